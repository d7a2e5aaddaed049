package workflow

import (
	"context"
	"os"
	"time"

	"github.com/google/uuid"
)

// workerBeatEvery is how often a worker process says it is alive; /health counts
// processes heard from within three beats.
const workerBeatEvery = 5 * time.Second

// beatWorker records this worker process in the database until ctx ends.
func (e *Engine) beatWorker(ctx context.Context) {
	defer e.maintDone.Done()
	id := uuid.NewString()
	host, _ := os.Hostname()
	started := time.Now()
	t := time.NewTicker(workerBeatEvery)
	defer t.Stop()
	for {
		if err := e.db.WorkerBeat(ctx, id, host, started); err != nil && ctx.Err() == nil {
			e.log.Warn("worker beat", "err", err)
		}
		select {
		case <-ctx.Done():
			dctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			e.db.WorkerGone(dctx, id)
			cancel()
			return
		case <-t.C:
		}
	}
}

// QueueHealth reports the job queue for GET /health.
func (e *Engine) QueueHealth(ctx context.Context) (string, any, bool) {
	counts, err := e.q.queueCounts(ctx)
	if err != nil {
		return "queue", "unavailable", false
	}
	return "queue", counts, true
}

// WorkersHealth reports how many worker processes are alive. With none, tasks cannot
// progress, so the service is unhealthy.
func (e *Engine) WorkersHealth(ctx context.Context) (string, any, bool) {
	n, err := e.db.LiveWorkers(ctx, time.Now().Add(-3*workerBeatEvery))
	if err != nil {
		return "workers", "unknown", false
	}
	if n == 0 && e.opts.RunWorkers {
		n = 1 // this process works jobs; its first beat may not have landed yet
	}
	return "workers", map[string]any{"processes": n, "in_process": e.opts.RunWorkers}, n > 0
}
