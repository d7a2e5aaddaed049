package engine

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/store"
	"github.com/o2sound/o2sound/internal/store/storetest"
)

func workerCount(t *testing.T, e *Engine) (int, bool) {
	t.Helper()
	_, v, ok := e.WorkersHealth(context.Background())
	m, isMap := v.(map[string]any)
	if !isMap {
		t.Fatalf("workers health %v", v)
	}
	return m["processes"].(int), ok
}

// TestHealthCountsOnlyCheckedInWorkers: an API-only process sees no workers until one
// checks in; a worker counts from the moment Start returns and stops counting when it
// stops.
func TestHealthCountsOnlyCheckedInWorkers(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		api := setup(t, d, func(o *Options) { o.RunWorkers = false })
		if n, ok := workerCount(t, api.e); n != 0 || ok {
			t.Fatalf("no worker running: health says %d processes, healthy %v", n, ok)
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		o := DefaultOptions()
		o.FetchPollInterval = 50 * time.Millisecond
		w, err := New(context.Background(), api.db, api.files, api.tp.work(), o, log)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		if n, ok := workerCount(t, api.e); n != 1 || !ok {
			t.Fatalf("one worker started: health says %d processes, healthy %v", n, ok)
		}
		if err := w.Stop(5 * time.Second); err != nil {
			t.Fatal(err)
		}
		if n, ok := workerCount(t, api.e); n != 0 || ok {
			t.Fatalf("the worker stopped: health says %d processes, healthy %v", n, ok)
		}
	})
}

// TestFailedStartLeavesNothingRunning: when the worker's first check-in fails, Start
// fails and River's client is stopped, so no process works jobs that health cannot see.
func TestFailedStartLeavesNothingRunning(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		b := &bundle{db: db}
		fs := setup(t, d, func(o *Options) { o.RunWorkers = false }).files
		tp := &testPipeline{}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		e, err := New(context.Background(), db, fs, tp.work(), DefaultOptions(), log)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.dropWorkerTable(); err != nil {
			t.Fatal(err)
		}
		if err := e.Start(context.Background()); err == nil {
			e.Stop(time.Second)
			t.Fatal("Start succeeded without the worker check-in")
		}
		select {
		case <-e.q.stopped():
		case <-time.After(10 * time.Second):
			t.Fatal("River's client still runs after the failed start")
		}
	})
}

func (b *bundle) dropWorkerTable() error {
	if b.db.Dialect() == store.SQLite {
		_, err := b.db.SQL().Exec(`DROP TABLE worker_processes`)
		return err
	}
	_, err := b.db.Pool().Exec(context.Background(), `DROP TABLE worker_processes`)
	return err
}
