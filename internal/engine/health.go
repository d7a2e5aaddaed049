package engine

import (
	"context"
	"os"
	"time"

	"github.com/google/uuid"
)

// workerBeatEvery is how often a worker process says it is alive; /health counts
// processes heard from within three beats.
const workerBeatEvery = 5 * time.Second

// workerBeat names this worker process in worker_processes.
type workerBeat struct {
	id, host string
	started  time.Time
}

func newWorkerBeat() workerBeat {
	host, _ := os.Hostname()
	return workerBeat{id: uuid.NewString(), host: host, started: time.Now()}
}

// beatWorker keeps this worker process's row fresh until ctx ends (Start wrote the
// first beat), then removes it.
func (e *Engine) beatWorker(ctx context.Context, w workerBeat) {
	defer e.maintDone.Done()
	t := time.NewTicker(workerBeatEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			dctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			e.db.WorkerGone(dctx, w.id)
			cancel()
			return
		case <-t.C:
		}
		if err := e.db.WorkerBeat(ctx, w.id, w.host, w.started); err != nil && ctx.Err() == nil {
			e.log.Warn("worker beat", "err", err)
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
	// Only processes that checked in count: this one's first beat lands in Start,
	// before it works a job, so a process whose beats fail is not counted either.
	return "workers", map[string]any{"processes": n, "in_process": e.opts.RunWorkers}, n > 0
}
