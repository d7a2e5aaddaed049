package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
)

// Crash recovery. A running stage beats every HeartbeatEvery; a job silent for
// OrphanAfter lost its worker (kill -9, a crash, a lost machine) or the worker
// stalled. River's own rescuer would retry it too, but only after
// RescueStuckJobsAfter, which must exceed the longest stage (10 minutes), so the
// reaper hands such a stage on itself, through River's API and without writing
// River's tables: in one transaction it cancels the silent job (JobCancelTx: a
// stalled worker that wakes up has its context cancelled, and a dead one's job is
// later finalized as cancelled by River's rescuer, not retried) and inserts a new job
// for the stage, recorded as the stage's owner. The old attempt's lease no longer
// holds, so whatever it does after waking up is dropped: it can neither complete the
// stage nor enqueue what follows (see StageLease).

// errWorkerGone is why a task whose stage lost its worker on every attempt fails.
var errWorkerGone = errors.New("engine: the worker stopped during every attempt")

// reapOrphans hands the stages of dead workers to new jobs until ctx ends.
func (e *Engine) reapOrphans(ctx context.Context) {
	defer e.maintDone.Done()
	t := time.NewTicker(e.opts.OrphanAfter / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := e.reapOnce(ctx, time.Now()); err != nil && ctx.Err() == nil {
			e.log.Warn("hand on orphaned jobs", "err", err)
		}
	}
}

// reaped says what the reaper did with one silent job.
type reaped struct {
	JobID    int64
	TaskID   string
	Stage    o2sound.Stage
	Action   string // reapRequeued, reapFailed or reapDropped
	NewJobID int64  // the stage's new job, when requeued
}

const (
	reapRequeued = "requeued" // the stage runs again in a new job
	reapFailed   = "failed"   // the stage lost its worker on every attempt: the task failed
	reapDropped  = "dropped"  // the job no longer owned its stage, or its task ended
)

// reapOnce hands on every job whose heartbeat is older than now-OrphanAfter.
func (e *Engine) reapOnce(ctx context.Context, now time.Time) ([]reaped, error) {
	staleBefore := now.Add(-e.opts.OrphanAfter)
	orphans, err := e.db.StaleHeartbeats(ctx, staleBefore)
	if err != nil {
		return nil, err
	}
	var done []reaped
	for _, o := range orphans {
		r, err := e.reapJob(ctx, o, staleBefore)
		if err != nil {
			return done, fmt.Errorf("engine: hand on job %d: %w", o.JobID, err)
		}
		if r == nil {
			continue
		}
		done = append(done, *r)
		e.log.Info("the worker of a job went silent", "job", r.JobID, "task_id", r.TaskID, "stage", string(r.Stage),
			"action", r.Action, "new_job", r.NewJobID)
		if r.Action == reapFailed {
			e.cleanupTask(r.TaskID)
		}
		if r.Action != reapDropped {
			e.hub.publish(ctx, r.TaskID)
		}
	}
	return done, nil
}

// reapJob hands on one silent job in one transaction, or returns nil when another
// reaper claimed it first, it beat again, or River no longer has it running.
func (e *Engine) reapJob(ctx context.Context, o store.Orphan, staleBefore time.Time) (*reaped, error) {
	var r *reaped
	err := e.db.InTx(ctx, func(tx *store.Tx) error {
		r = nil
		claimed, err := tx.ClaimHeartbeat(ctx, o.JobID, staleBefore)
		if err != nil || !claimed {
			return err
		}
		job, err := e.q.jobTx(ctx, tx, o.JobID)
		if errors.Is(err, rivertype.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if job.State != rivertype.JobStateRunning {
			return nil // it ended; its worker died before forgetting the heartbeat
		}
		s, ok := stageOfKind(job.Kind)
		if !ok {
			return nil
		}
		r = &reaped{JobID: job.ID, TaskID: o.TaskID, Stage: s}
		t, err := tx.TaskForWork(ctx, o.TaskID, true)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		owner, err := tx.StageJob(ctx, o.TaskID, s)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		// Whatever happens next, the silent attempt must not run on: cancelled, a
		// stalled worker stops when it wakes, and River's rescuer finalizes a dead
		// worker's job as cancelled instead of running it again.
		if err := e.q.cancelTx(ctx, tx, job.ID); err != nil {
			return err
		}
		if t == nil || t.Ended() || (owner != 0 && owner != job.ID) { // 0: queued before stages recorded their jobs
			r.Action = reapDropped
			return nil
		}
		if job.Attempt >= job.MaxAttempts {
			// Every attempt ended with its worker gone (a crash, an out-of-memory
			// kill): retrying again would only take more workers down. The stage to
			// blame is the job's own.
			r.Action = reapFailed
			return failTaskTx(ctx, tx, o.TaskID, s, errWorkerGone)
		}
		// The new job gets the attempts the old one had left, so a stage that kills
		// its worker every time still fails after MaxAttempts in all.
		opts := insertOpts(s)
		opts.MaxAttempts = job.MaxAttempts - job.Attempt
		opts.UniqueOpts = river.UniqueOpts{} // the old job still holds the unique key until River finalizes it
		next, err := e.q.insertTx(ctx, tx, StageArgs{TaskID: o.TaskID, Stage: s}, opts)
		if err != nil {
			return err
		}
		if err := tx.SetStage(ctx, o.TaskID, s, o2sound.StageQueued, 0, nil); err != nil {
			return err
		}
		if err := tx.AssignStageJob(ctx, o.TaskID, s, next.ID); err != nil {
			return err
		}
		r.Action, r.NewJobID = reapRequeued, next.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}
