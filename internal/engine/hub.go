package engine

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/o2sound/o2sound/internal/store"
)

// notifyChannel is the PostgreSQL channel that carries "task changed" between processes.
const notifyChannel = "o2sound_tasks"

// Hub tells subscribers that a task changed (a stage moved, progress, cancel). Within
// a process it is a set of channels; on PostgreSQL, changes made by other processes (a
// worker on another machine, a cancel on another API server) arrive by LISTEN/NOTIFY.
// Subscribers re-read the task: a notification carries no state, so a lost or doubled
// one costs nothing.
type Hub struct {
	db  *store.DB
	log *slog.Logger

	mu   sync.Mutex
	subs map[string]map[chan struct{}]struct{}
}

func newHub(db *store.DB, log *slog.Logger) *Hub {
	return &Hub{db: db, log: log, subs: map[string]map[chan struct{}]struct{}{}}
}

func (h *Hub) subscribe(taskID string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.subs[taskID] == nil {
		h.subs[taskID] = map[chan struct{}]struct{}{}
	}
	h.subs[taskID][ch] = struct{}{}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.subs[taskID], ch)
		if len(h.subs[taskID]) == 0 {
			delete(h.subs, taskID)
		}
		h.mu.Unlock()
	}
}

// deliver wakes this process's subscribers of taskID without blocking.
func (h *Hub) deliver(taskID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs[taskID] {
		select {
		case ch <- struct{}{}:
		default: // a wake-up is already pending
		}
	}
}

// publish announces that taskID changed, here and (on PostgreSQL) everywhere.
func (h *Hub) publish(ctx context.Context, taskID string) {
	h.deliver(taskID)
	if pool := h.db.Pool(); pool != nil {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, err := pool.Exec(ctx, `SELECT pg_notify($1, $2)`, notifyChannel, taskID); err != nil {
			h.log.Warn("notify task change", "task_id", taskID, "err", err)
		}
	}
}

// start listens for other processes' notifications on PostgreSQL.
func (h *Hub) start(ctx context.Context, wg *sync.WaitGroup) error {
	if h.db.Pool() == nil {
		return nil
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			if err := h.listen(ctx); err != nil && ctx.Err() == nil {
				h.log.Warn("task notifications: reconnecting", "err", err)
				select {
				case <-ctx.Done():
				case <-time.After(time.Second):
				}
			}
		}
	}()
	return nil
}

func (h *Hub) listen(ctx context.Context) error {
	pooled, err := h.db.Pool().Acquire(ctx)
	if err != nil {
		return err
	}
	// A LISTENing connection must not go back to the pool for others to use.
	conn := pooled.Hijack()
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return err
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		h.deliver(n.Payload)
	}
}
