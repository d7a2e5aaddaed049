package store

import (
	"context"
	"database/sql"
	"regexp"
	"sync"
	"sync/atomic"
	"time"
)

// SQLite compiles every query text it is given; a fresh compile of a two-table SELECT
// costs more than running it. The store's queries are constant strings, so a SQLite
// DB keeps one prepared statement per text (database/sql prepares it once on each
// connection it runs on) and rewrites $N to ?N once per text, not once per call.
// PostgreSQL needs none of this: pgx's default query mode, QueryExecModeCacheStatement,
// already prepares each text once per connection (see openPostgres).

// maxCachedStatements bounds the cache. The store's texts number about a hundred; the
// few built per call (an IN list as long as a page) could otherwise grow it forever.
// Texts past the bound still run, rewritten and compiled per call as before.
const maxCachedStatements = 512

// sqlStmts is a SQLite database's statement cache, keyed by query text as written.
type sqlStmts struct {
	db      *sql.DB
	entries sync.Map // string → *sqlEntry
	n       atomic.Int32
	max     int32

	mu      sync.Mutex // guards closed against wg.Add
	closed  bool
	pending sync.WaitGroup // background prepares
}

// sqlEntry is one query text: its SQLite spelling and, once ready, its statement.
type sqlEntry struct {
	text      string // $N rewritten to ?N
	cached    bool   // false past maxCachedStatements: never prepared
	stmt      atomic.Pointer[sql.Stmt]
	preparing atomic.Bool
}

func newSQLStmts(db *sql.DB) *sqlStmts { return &sqlStmts{db: db, max: maxCachedStatements} }

// placeholder matches PostgreSQL-style $N parameters; SQLite's ?N means the same thing.
var placeholder = regexp.MustCompile(`\$(\d+)`)

func rebind(q string) string { return placeholder.ReplaceAllString(q, "?$1") }

// entry returns query's cache entry, making it on first sight.
func (c *sqlStmts) entry(query string) *sqlEntry {
	if e, ok := c.entries.Load(query); ok {
		return e.(*sqlEntry)
	}
	e := &sqlEntry{text: rebind(query)}
	if c.n.Load() >= c.max {
		return e
	}
	if got, loaded := c.entries.LoadOrStore(query, e); loaded {
		return got.(*sqlEntry)
	}
	c.n.Add(1)
	e.cached = true
	return e
}

// prepared returns e's statement, or nil while there is none yet. The first call
// starts preparing it in the background and the caller runs the text unprepared:
// preparing needs a connection of its own, and waiting for one from inside a
// transaction (which holds one, maybe while the others queue for the write lock
// behind it) could wait forever.
func (c *sqlStmts) prepared(e *sqlEntry) *sql.Stmt {
	if st := e.stmt.Load(); st != nil || !e.cached {
		return st
	}
	if !e.preparing.CompareAndSwap(false, true) {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.pending.Add(1)
	go func() {
		defer c.pending.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		st, err := c.db.PrepareContext(ctx, e.text)
		if err != nil {
			// The calls keep running the text unprepared and report their own
			// errors; a later call tries preparing again.
			e.preparing.Store(false)
			return
		}
		e.stmt.Store(st)
	}()
	return nil
}

// close stops new background prepares and waits for those under way; call it after
// closing the *sql.DB, which makes any prepare still waiting for a connection fail.
func (c *sqlStmts) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.pending.Wait()
}

// size reports how many texts the cache holds and how many of them are prepared.
func (c *sqlStmts) size() (texts, prepared int) {
	c.entries.Range(func(_, v any) bool {
		texts++
		if v.(*sqlEntry).stmt.Load() != nil {
			prepared++
		}
		return true
	})
	return texts, prepared
}

// sqlQuerier runs queries on SQLite through database/sql, on the database or, with
// tx set, inside a transaction.
type sqlQuerier struct {
	stmts *sqlStmts
	tx    *sql.Tx

	mu   sync.Mutex
	inTx map[*sqlEntry]*txStmt // the transaction's copies of cached statements
}

// txStmt is a cached statement bound to a transaction's connection. busy counts its
// results still open: SQLite has one cursor per statement, so while one is open a
// second use of the same text in the transaction runs unprepared instead of resetting it.
type txStmt struct {
	stmt *sql.Stmt
	busy int
}

// acquire returns the statement to run e with and a release func to call once its
// results are closed; a nil statement means run e.text unprepared.
func (s *sqlQuerier) acquire(ctx context.Context, e *sqlEntry) (*sql.Stmt, func()) {
	st := s.stmts.prepared(e)
	if st == nil {
		return nil, func() {}
	}
	if s.tx == nil {
		// Outside a transaction every use takes a free connection, and a connection
		// whose statement has open results is not free: nothing to track.
		return st, func() {}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.inTx[e]
	if ts == nil {
		if s.inTx == nil {
			s.inTx = map[*sqlEntry]*txStmt{}
		}
		// StmtContext reuses the statement already prepared on the transaction's
		// connection, or prepares it there (on that same connection, so no wait).
		txst := s.tx.StmtContext(ctx, st)
		if ctx.Err() != nil {
			// It failed for this call's context alone (a Stmt that only returns that
			// error); keeping it would fail every later use in the transaction.
			return nil, func() {}
		}
		ts = &txStmt{stmt: txst}
		s.inTx[e] = ts
	}
	if ts.busy > 0 {
		return nil, func() {}
	}
	ts.busy++
	released := false
	return ts.stmt, func() {
		s.mu.Lock()
		if !released { // a row may be scanned twice; it is freed once
			released = true
			ts.busy--
		}
		s.mu.Unlock()
	}
}

func (s *sqlQuerier) exec(ctx context.Context, query string, args ...any) (int64, error) {
	e := s.stmts.entry(query)
	st, release := s.acquire(ctx, e)
	var res sql.Result
	var err error
	switch {
	case st != nil:
		res, err = st.ExecContext(ctx, args...)
	case s.tx != nil:
		res, err = s.tx.ExecContext(ctx, e.text, args...)
	default:
		res, err = s.stmts.db.ExecContext(ctx, e.text, args...)
	}
	release()
	if err != nil {
		return 0, mapErr(err)
	}
	return res.RowsAffected()
}

func (s *sqlQuerier) query(ctx context.Context, query string, args ...any) (rows, error) {
	e := s.stmts.entry(query)
	st, release := s.acquire(ctx, e)
	var r *sql.Rows
	var err error
	switch {
	case st != nil:
		r, err = st.QueryContext(ctx, args...)
	case s.tx != nil:
		r, err = s.tx.QueryContext(ctx, e.text, args...)
	default:
		r, err = s.stmts.db.QueryContext(ctx, e.text, args...)
	}
	if err != nil {
		release()
		return nil, mapErr(err)
	}
	return sqlRows{Rows: r, release: release}, nil
}

func (s *sqlQuerier) queryRow(ctx context.Context, query string, args ...any) row {
	e := s.stmts.entry(query)
	st, release := s.acquire(ctx, e)
	var r *sql.Row
	switch {
	case st != nil:
		r = st.QueryRowContext(ctx, args...)
	case s.tx != nil:
		r = s.tx.QueryRowContext(ctx, e.text, args...)
	default:
		r = s.stmts.db.QueryRowContext(ctx, e.text, args...)
	}
	return sqlRow{Row: r, release: release}
}

type sqlRows struct {
	*sql.Rows
	release func()
}

func (r sqlRows) Close() {
	r.Rows.Close()
	r.release()
}

type sqlRow struct {
	*sql.Row
	release func()
}

// Scan reads the row; it also closes it, so the statement is free again.
func (r sqlRow) Scan(dest ...any) error {
	err := r.Row.Scan(dest...)
	r.release()
	return mapErr(err)
}
