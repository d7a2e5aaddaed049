package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"riverqueue.com/riverui"

	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
)

// queue hides which River client (SQLite's *sql.Tx or PostgreSQL's pgx.Tx) is in use.
type queue interface {
	insertTx(ctx context.Context, tx *store.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobRow, error)
	// cancelTx cancels a job when tx commits: a queued one at once; a running one's
	// work context is cancelled in whichever process runs it (LISTEN/NOTIFY on
	// PostgreSQL, River's notification outbox on SQLite), and if that process is gone
	// River's rescuer later finalizes it as cancelled instead of retrying it.
	cancelTx(ctx context.Context, tx *store.Tx, jobID int64) error
	jobTx(ctx context.Context, tx *store.Tx, jobID int64) (*rivertype.JobRow, error)
	completeTx(ctx context.Context, tx *store.Tx, job *rivertype.JobRow) error
	start(ctx context.Context) error
	stop(ctx context.Context) error
	stopAndCancel(ctx context.Context) error
	stopped() <-chan struct{}
	queueCounts(ctx context.Context) (map[string]int, error)
	adminUI(ctx context.Context, prefix string, log *slog.Logger) (http.Handler, error)
}

type riverQueue[TTx any] struct {
	client *river.Client[TTx]
	txOf   func(*store.Tx) TTx
	db     *store.DB
}

func (q *riverQueue[TTx]) insertTx(ctx context.Context, tx *store.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobRow, error) {
	res, err := q.client.InsertTx(ctx, q.txOf(tx), args, opts)
	if err != nil {
		return nil, err
	}
	return res.Job, nil
}

func (q *riverQueue[TTx]) cancelTx(ctx context.Context, tx *store.Tx, jobID int64) error {
	_, err := q.client.JobCancelTx(ctx, q.txOf(tx), jobID)
	if errors.Is(err, rivertype.ErrNotFound) {
		return nil // removed by River's cleaner: nothing left to stop
	}
	return err
}

func (q *riverQueue[TTx]) jobTx(ctx context.Context, tx *store.Tx, jobID int64) (*rivertype.JobRow, error) {
	return q.client.JobGetTx(ctx, q.txOf(tx), jobID)
}

// completeTx marks a running job completed inside tx. River's JobCompleteTx is
// generic over the job's argument type; the row form is equivalent here because the
// worker returns right after, and River then sees the job already completed.
func (q *riverQueue[TTx]) completeTx(ctx context.Context, tx *store.Tx, row *rivertype.JobRow) error {
	job := &river.Job[rawArgs]{JobRow: row}
	switch t := any(q.txOf(tx)).(type) {
	case *sql.Tx:
		_, err := river.JobCompleteTx[*riversqlite.Driver](ctx, t, job)
		return err
	case pgx.Tx:
		_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, t, job)
		return err
	}
	return fmt.Errorf("engine: unknown transaction type %T", q.txOf(tx))
}

// rawArgs lets completeTx name a job without knowing its argument type.
type rawArgs struct{}

func (rawArgs) Kind() string { return "" }

func (q *riverQueue[TTx]) start(ctx context.Context) error { return q.client.Start(ctx) }
func (q *riverQueue[TTx]) stop(ctx context.Context) error  { return q.client.Stop(ctx) }
func (q *riverQueue[TTx]) stopAndCancel(ctx context.Context) error {
	return q.client.StopAndCancel(ctx)
}
func (q *riverQueue[TTx]) stopped() <-chan struct{} { return q.client.Stopped() }

// queueCounts counts jobs waiting or running per state, for /health.
func (q *riverQueue[TTx]) queueCounts(ctx context.Context) (map[string]int, error) {
	return q.db.RiverJobCounts(ctx)
}

// clientConfig is the River configuration shared by both drivers.
func clientConfig(o Options, workers *river.Workers, log *slog.Logger) *river.Config {
	cfg := &river.Config{
		Logger:               log.With("component", "river"),
		RescueStuckJobsAfter: o.longestStage() + 5*time.Minute,
		RetryPolicy:          retryPolicy{steps: o.RetryDelays},
		FetchPollInterval:    o.FetchPollInterval,
		FetchCooldown:        o.FetchPollInterval / 4,
		JobTimeout:           -1, // each worker sets its stage's own timeout
	}
	if o.RunWorkers {
		cfg.Workers = workers
		cfg.Queues = map[string]river.QueueConfig{}
		for _, spec := range o2sound.StageTable {
			cfg.Queues[spec.Queue] = river.QueueConfig{MaxWorkers: max(o.workersFor(spec.Queue), 1)}
		}
	}
	return cfg
}

// newQueue creates the River client for db's engine and brings River's tables up to date.
func newQueue(ctx context.Context, db *store.DB, o Options, workers *river.Workers, log *slog.Logger) (queue, error) {
	cfg := clientConfig(o, workers, log)
	switch db.Dialect() {
	case store.SQLite:
		driver := riversqlite.New(db.SQL())
		if err := migrateRiver(ctx, driver, log); err != nil {
			return nil, err
		}
		c, err := river.NewClient(driver, cfg)
		if err != nil {
			return nil, fmt.Errorf("engine: river: %w", err)
		}
		return &riverQueue[*sql.Tx]{client: c, txOf: (*store.Tx).SQL, db: db}, nil
	default:
		driver := riverpgxv5.New(db.Pool())
		if err := migrateRiver(ctx, driver, log); err != nil {
			return nil, err
		}
		c, err := river.NewClient(driver, cfg)
		if err != nil {
			return nil, fmt.Errorf("engine: river: %w", err)
		}
		return &riverQueue[pgx.Tx]{client: c, txOf: (*store.Tx).PGX, db: db}, nil
	}
}

func migrateRiver[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], log *slog.Logger) error {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: log.With("component", "rivermigrate")})
	if err != nil {
		return fmt.Errorf("engine: river migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("engine: river migrations: %w", err)
	}
	return nil
}

// MigrateQueue brings River's tables up to date (the migrate command; New does it too).
func MigrateQueue(ctx context.Context, db *store.DB, log *slog.Logger) error {
	if db.Dialect() == store.SQLite {
		return migrateRiver(ctx, riversqlite.New(db.SQL()), log)
	}
	return migrateRiver(ctx, riverpgxv5.New(db.Pool()), log)
}

// adminUI is River UI over this queue's client, mounted under prefix.
func (q *riverQueue[TTx]) adminUI(ctx context.Context, prefix string, log *slog.Logger) (http.Handler, error) {
	h, err := riverui.NewHandler(&riverui.HandlerOpts{
		Endpoints: riverui.NewEndpoints(q.client, nil),
		Logger:    log,
		Prefix:    prefix,
	})
	if err != nil {
		return nil, fmt.Errorf("engine: river ui: %w", err)
	}
	if err := h.Start(ctx); err != nil {
		return nil, fmt.Errorf("engine: river ui: %w", err)
	}
	return h, nil
}
