// Package store keeps O2Sound's rows in SQLite (the embedded default) or PostgreSQL.
//
// Queries are written once, in PostgreSQL's $N placeholder style, and run through a
// small querier interface with one adapter per driver. That keeps every query usable
// inside either kind of transaction River enqueues in: *sql.Tx on SQLite, pgx.Tx on
// PostgreSQL (see Tx.SQL and Tx.PGX).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Dialect names the database engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// ErrNotFound is returned when a row does not exist or is not the caller's.
var ErrNotFound = errors.New("store: not found")

// ErrConflict is returned when a unique constraint would be violated; wrapped with
// the constraint's name so callers can tell which one.
var ErrConflict = errors.New("store: conflict")

// DB is an open database. Its query methods run outside any transaction; InTx runs
// a function with the same methods inside one.
type DB struct {
	Queries
	dialect Dialect
	sqlDB   *sql.DB       // SQLite
	stmts   *sqlStmts     // SQLite's prepared statements
	pool    *pgxpool.Pool // PostgreSQL
	now     func() time.Time
}

// Open connects to dsn: a postgres:// or postgresql:// URL, or a SQLite file path
// (optionally prefixed with sqlite:// or file:).
func Open(ctx context.Context, dsn string) (*DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite://"))
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("store: empty SQLite path")
	}
	path = strings.TrimPrefix(path, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	// WAL lets readers run beside the single writer; busy_timeout makes writers wait
	// for the lock instead of failing; _txlock=immediate takes the write lock at BEGIN
	// so read-then-write transactions cannot deadlock on lock upgrade.
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate&_time_format=sqlite"
	sqlDB, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	sqlDB.SetMaxOpenConns(8)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	if err := sqlDB.PingContext(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	db := &DB{dialect: SQLite, sqlDB: sqlDB, stmts: newSQLStmts(sqlDB), now: time.Now}
	db.Queries = Queries{q: &sqlQuerier{stmts: db.stmts}, now: db.clock}
	return db, nil
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: parse DATABASE_URL: %w", redactErr(err))
	}
	// pgx's default, QueryExecModeCacheStatement, prepares each query text once per
	// connection (up to StatementCacheCapacity, 512) and then sends only its name and
	// arguments: the statement cache SQLite gets from sqlStmts. A DATABASE_URL may
	// still choose another mode (default_query_exec_mode=exec behind PgBouncer, say).
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: connect postgres: %w", redactErr(err))
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: connect postgres %s: %w", cfg.ConnConfig.Host, redactErr(err))
	}
	db := &DB{dialect: Postgres, pool: pool, now: time.Now}
	db.Queries = Queries{q: pgxQuerier{pool}, now: db.clock}
	return db, nil
}

// redactErr drops error text that may echo a connection string with a password.
func redactErr(err error) error {
	msg := err.Error()
	if strings.Contains(msg, "://") {
		return errors.New("invalid connection string (details withheld: it may contain a password)")
	}
	return err
}

func (db *DB) clock() time.Time { return db.now().UTC().Truncate(time.Microsecond) }

// SetClock replaces the time source; tests use it to move sessions through their timeouts.
func (db *DB) SetClock(now func() time.Time) { db.now = now }

// Dialect reports which engine this is.
func (db *DB) Dialect() Dialect { return db.dialect }

// SQL returns the *sql.DB of a SQLite database (nil on PostgreSQL).
func (db *DB) SQL() *sql.DB { return db.sqlDB }

// Pool returns the pgx pool of a PostgreSQL database (nil on SQLite).
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if db.pool != nil {
		return db.pool.Ping(ctx)
	}
	return db.sqlDB.PingContext(ctx)
}

// Close releases the connections.
func (db *DB) Close() error {
	if db.pool != nil {
		db.pool.Close()
		return nil
	}
	err := db.sqlDB.Close()
	db.stmts.close()
	return err
}

// Tx is an open transaction. Its query methods are the DB's; SQL and PGX expose the
// driver transaction so a job can be enqueued in the same commit.
type Tx struct {
	Queries
	sqlTx *sql.Tx
	pgxTx pgx.Tx
}

// SQL returns the SQLite transaction (nil on PostgreSQL).
func (tx *Tx) SQL() *sql.Tx { return tx.sqlTx }

// PGX returns the PostgreSQL transaction (nil on SQLite).
func (tx *Tx) PGX() pgx.Tx { return tx.pgxTx }

// InTx runs fn in a transaction, committing when fn returns nil and rolling back otherwise.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	tx := &Tx{}
	if db.pool != nil {
		ptx, err := db.pool.Begin(ctx)
		if err != nil {
			return fmt.Errorf("store: begin: %w", err)
		}
		tx.pgxTx = ptx
		tx.Queries = Queries{q: pgxQuerier{ptx}, now: db.clock}
		defer func() {
			if err != nil {
				ptx.Rollback(context.WithoutCancel(ctx))
			}
		}()
		if err = fn(tx); err != nil {
			return err
		}
		if err = ptx.Commit(ctx); err != nil {
			return fmt.Errorf("store: commit: %w", err)
		}
		return nil
	}
	stx, err := db.sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	tx.sqlTx = stx
	tx.Queries = Queries{q: &sqlQuerier{stmts: db.stmts, tx: stx}, now: db.clock}
	defer func() {
		if err != nil {
			stx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = stx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// Queries holds every entity query; DB and Tx embed it.
type Queries struct {
	q   querier
	now func() time.Time
}

type querier interface {
	exec(ctx context.Context, query string, args ...any) (int64, error)
	query(ctx context.Context, query string, args ...any) (rows, error)
	queryRow(ctx context.Context, query string, args ...any) row
}

type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

type row interface{ Scan(dest ...any) error }

// pgxQuerier runs queries on PostgreSQL (a pool or a pgx.Tx).
type pgxQuerier struct {
	c interface {
		Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
		Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
		QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	}
}

func (p pgxQuerier) exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := p.c.Exec(ctx, query, args...)
	if err != nil {
		return 0, mapErr(err)
	}
	return tag.RowsAffected(), nil
}

func (p pgxQuerier) query(ctx context.Context, query string, args ...any) (rows, error) {
	r, err := p.c.Query(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	return r, nil
}

func (p pgxQuerier) queryRow(ctx context.Context, query string, args ...any) row {
	return pgxRow{p.c.QueryRow(ctx, query, args...)}
}

type pgxRow struct{ pgx.Row }

func (r pgxRow) Scan(dest ...any) error { return mapErr(r.Row.Scan(dest...)) }

// mapErr turns driver errors into the package's sentinel errors.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) || errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return fmt.Errorf("%w: %s", ErrConflict, pgErr.ConstraintName)
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) && (sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
		// SQLite names columns, not indexes: "UNIQUE constraint failed: users.email".
		return fmt.Errorf("%w: %s", ErrConflict, conflictName(sqErr.Error()))
	}
	return err
}

func conflictName(msg string) string {
	_, cols, ok := strings.Cut(msg, "constraint failed: ")
	if !ok {
		return msg
	}
	cols, _, _ = strings.Cut(cols, " (")
	return cols
}

// ConflictOn reports whether err is a unique violation naming what (a column such as
// "email" or an index such as "users_email_key"; both dialects are matched by substring).
func ConflictOn(err error, what string) bool {
	return errors.Is(err, ErrConflict) && strings.Contains(err.Error(), what)
}
