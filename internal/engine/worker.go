package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/o2sound/o2sound/internal/auth"
	"github.com/o2sound/o2sound/internal/files"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
)

// errCancelled ends the job of a stage stopped by the owner's cancel.
var errCancelled = errors.New("engine: task cancelled")

// errTaskEnded stops a completion whose task ended meanwhile (cancelled or failed).
var errTaskEnded = errors.New("engine: task already ended")

// errSuperseded stops an attempt whose stage was handed to another job while its
// heartbeat was silent.
var errSuperseded = errors.New("engine: the stage was handed to another job")

// stageWorker works one stage's jobs.
type stageWorker struct {
	river.WorkerDefaults[StageArgs]
	e     *Engine
	stage o2sound.Stage
}

// Timeout is the stage's own deadline; River cancels the work context after it.
func (w *stageWorker) Timeout(*river.Job[StageArgs]) time.Duration { return w.e.opts.timeout(w.stage) }

func (w *stageWorker) Work(ctx context.Context, job *river.Job[StageArgs]) error {
	e, s, id := w.e, w.stage, job.Args.TaskID
	log := e.log.With("task_id", id, "stage", string(s), "job", job.ID, "attempt", job.Attempt)
	// After River cancels the work context (the owner's cancel, a superseded
	// attempt), the bookkeeping that follows still has to reach the database.
	bctx := context.WithoutCancel(ctx)

	stopBeat := e.heartbeat(ctx, job.ID, id, log)
	defer stopBeat()

	// bctx: a job cancelled while River was fetching it starts with its context
	// already cancelled, and must still see its task ended and clean up.
	t, err := e.db.TaskForWork(bctx, id, false)
	if errors.Is(err, store.ErrNotFound) {
		return river.JobCancel(fmt.Errorf("task %s no longer exists", id))
	}
	if err != nil {
		return err
	}
	if t.Ended() {
		e.cleanupTask(id)
		return river.JobCancel(errTaskEnded)
	}
	if st := t.Stages[s]; st != nil && st.State == o2sound.StageDone {
		return nil // finished before; its completion already enqueued what follows
	}
	var lease store.StageLease
	var ok bool
	err = e.db.InTx(bctx, func(tx *store.Tx) error {
		if err := tx.MarkTaskRunning(bctx, id); err != nil {
			return err
		}
		lease, ok, err = tx.StartStage(bctx, id, s, job.ID)
		return err
	})
	if err != nil {
		return err
	}
	if !ok {
		// The stage ended with its task (a cancel just now), or it was handed to
		// another job (this one's heartbeat went silent): nothing left to do here.
		if ended, err := e.db.TaskCancelled(bctx, id); err == nil && ended {
			e.cleanupTask(id)
			return river.JobCancel(errTaskEnded)
		}
		log.Info("stage not started: it belongs to another job")
		return river.JobCancel(errSuperseded)
	}
	log = log.With("lease", lease.Attempt)
	t.Stages[s].State, t.Stages[s].Attempts = o2sound.StageRunning, lease.Attempt
	e.hub.publish(ctx, id)

	dir, err := e.files.TaskDir(id)
	if err != nil {
		return err
	}
	outputs := map[o2sound.Stage]json.RawMessage{}
	for name, st := range t.Stages {
		if st.State == o2sound.StageDone {
			outputs[name] = st.Output
		}
	}

	fn := e.work[s] // New checked that every stage has its work
	run := &Run{Task: t, Dir: dir, Outputs: outputs, Progress: e.progressReporter(ctx, id, s, lease), Log: log}
	start := time.Now()
	out, err := runStage(ctx, fn, run)
	if errors.Is(context.Cause(ctx), river.ErrJobCancelledRemotely) {
		// River cancelled this job: the owner cancelled the task, or the reaper
		// handed the stage to a new job while this one's heartbeat was silent.
		if ended, cerr := e.db.TaskCancelled(bctx, id); cerr == nil && ended {
			log.Info("stage stopped: task cancelled", "after", time.Since(start).Round(time.Millisecond))
			e.cleanupTask(id)
			e.hub.publish(bctx, id)
			return river.JobCancel(errCancelled)
		}
		log.Warn("stage stopped: handed to another job", "after", time.Since(start).Round(time.Millisecond))
		return river.JobCancel(errSuperseded)
	}
	if err != nil {
		e.opts.Metrics.StageFailed(string(s), o2sound.ErrorCode(err))
		var de *o2sound.Error
		if errors.As(err, &de) || job.Attempt >= job.MaxAttempts {
			log.Warn("stage failed; task failed", "err", err)
			e.failStage(bctx, id, s, lease, err)
			return river.JobCancel(err)
		}
		log.Warn("stage failed; will retry", "err", err)
		if ctx.Err() == nil {
			err := e.db.InTx(ctx, func(tx *store.Tx) error {
				if held, err := e.holds(ctx, tx, id, s, lease); err != nil || !held {
					return err
				}
				return tx.SetStage(ctx, id, s, o2sound.StageQueued, 0, nil)
			})
			if err != nil {
				log.Warn("record the retry", "err", err)
			}
			e.hub.publish(ctx, id)
		}
		return err
	}

	if p, ok := out.(Pathed); ok {
		Relativize(dir, p)
	}
	raw, err := json.Marshal(out)
	if err != nil {
		return fmt.Errorf("engine: stage %s output: %w", s, err)
	}
	note := ""
	if n, ok := out.(noted); ok {
		if note = n.StageNote(); note != "" {
			log.Warn("stage took a fallback", "note", note)
		}
	}
	err = e.completeStage(ctx, job.JobRow, id, s, lease, dir, raw, note)
	if errors.Is(err, errTaskEnded) {
		e.cleanupTask(id)
		return river.JobCancel(err)
	}
	if errors.Is(err, errSuperseded) {
		log.Warn("stage result dropped: the stage was handed to another job", "took", time.Since(start).Round(time.Millisecond))
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	log.Info("stage done", "took", time.Since(start).Round(time.Millisecond))
	e.opts.Metrics.ObserveStage(string(s), time.Since(start))
	// A completed task keeps its working files (the merge's were moved into the
	// store): they are what a re-make reuses. Deleting the video removes them.
	e.hub.publish(ctx, id)
	return nil
}

// noted is a stage output with something to tell the owner about how it went.
type noted interface{ StageNote() string }

// completeStage records the attempt's output (and note), enqueues the stages it makes ready and
// completes its River job, in one transaction; errSuperseded when lease no longer
// holds, errTaskEnded when the task ended meanwhile.
func (e *Engine) completeStage(ctx context.Context, job *rivertype.JobRow, id string, s o2sound.Stage, lease store.StageLease, dir string, raw json.RawMessage, note string) error {
	return e.db.InTx(ctx, func(tx *store.Tx) error {
		cur, err := tx.TaskForWork(ctx, id, true)
		if err != nil {
			return err
		}
		if cur.Ended() {
			return errTaskEnded
		}
		// The fence: an attempt whose stage was handed on while it was silent
		// must not complete it or enqueue what follows. The task row is locked,
		// so the reaper cannot hand it on between this check and the commit.
		if held, err := tx.HoldsStage(ctx, id, s, lease); err != nil {
			return err
		} else if !held {
			return errSuperseded
		}
		if err := tx.SetStage(ctx, id, s, o2sound.StageDone, 100, raw); err != nil {
			return err
		}
		if note != "" {
			if err := tx.SetStageNote(ctx, id, s, note); err != nil {
				return err
			}
		}
		cur.Stages[s].State = o2sound.StageDone
		for _, next := range readyAfter(s, cur.Stages) {
			if cur.Options.Review && !next.Spec().Review {
				continue // waits for the owner
			}
			if err := e.enqueue(ctx, tx, id, next); err != nil {
				return err
			}
		}
		if cur.Options.Review && reviewDone(cur.Stages) {
			if err := tx.MarkTaskReview(ctx, id); err != nil {
				return err
			}
		}
		if s == o2sound.StageMerge {
			if err := e.storeVideo(ctx, tx, cur, dir, raw); err != nil {
				return err
			}
			if _, err := tx.FinishTask(ctx, id, o2sound.TaskCompleted, "", "", ""); err != nil {
				return err
			}
		}
		return e.q.completeTx(ctx, tx, job)
	})
}

// holds locks the task row (on PostgreSQL; SQLite's write lock already serialises)
// and reports whether lease is still the stage's running attempt.
func (e *Engine) holds(ctx context.Context, tx *store.Tx, taskID string, s o2sound.Stage, lease store.StageLease) (bool, error) {
	if _, err := tx.TaskForWork(ctx, taskID, true); err != nil {
		return false, err
	}
	return tx.HoldsStage(ctx, taskID, s, lease)
}

// runStage calls fn, turning a panic into an error so one bad input cannot take the
// worker process down.
func runStage(ctx context.Context, fn StageFunc, r *Run) (out any, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("engine: stage panicked: %v", v)
		}
	}()
	return fn(ctx, r)
}

// storeVideo moves the merge's files into the file store under the video id chosen
// when the task was created, and writes the video row — once, however often the merge
// runs.
func (e *Engine) storeVideo(ctx context.Context, tx *store.Tx, t *o2sound.Task, dir string, raw json.RawMessage) error {
	var m FinishedVideo
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("engine: merge output: %w", err)
	}
	Resolve(dir, &m)
	if err := e.files.PutVideo(t.VideoID, files.VideoFile, m.Video); err != nil {
		return err
	}
	thumb := t.ThumbnailFilename
	if m.Thumbnail != "" {
		if err := e.files.PutVideo(t.VideoID, files.ThumbnailFile, m.Thumbnail); err != nil {
			return err
		}
	} else {
		thumb = ""
	}
	captions := ""
	if m.CaptionsVTT != "" && m.CaptionsSRT != "" {
		if err := e.files.PutVideo(t.VideoID, files.CaptionsVTT, m.CaptionsVTT); err != nil {
			return err
		}
		if err := e.files.PutVideo(t.VideoID, files.CaptionsSRT, m.CaptionsSRT); err != nil {
			return err
		}
		captions = auth.RandomName(16) + ".vtt"
	}
	v := &o2sound.Video{
		ID: t.VideoID, OwnerID: t.OwnerID, ItemID: t.ItemID, TaskID: t.ID, Title: m.Title, Description: m.Description,
		Filename: t.VideoFilename, ThumbnailName: thumb, CaptionsName: captions, Resolution: fmt.Sprintf("%dx%d", m.Width, m.Height),
		Status: o2sound.VideoCompleted, Duration: m.Duration, SizeBytes: m.SizeBytes,
	}
	if err := tx.CreateVideo(ctx, v); err != nil && !errors.Is(err, store.ErrConflict) {
		return err
	}
	return nil
}

// failTaskTx ends the task as failed inside tx, with the stage's error shown to the
// owner.
func failTaskTx(ctx context.Context, tx *store.Tx, taskID string, s o2sound.Stage, cause error) error {
	code, msg := o2sound.CodeInternal, "this step failed after several tries; please try again later"
	var de *o2sound.Error
	if errors.As(cause, &de) {
		code, msg = de.Code, de.Message
	}
	if err := tx.SetStage(ctx, taskID, s, o2sound.StageFailed, 0, nil); err != nil {
		return err
	}
	_, err := tx.FinishTask(ctx, taskID, o2sound.TaskFailed, string(s), code, msg)
	return err
}

// failStage fails the task for the stage's attempt lease, unless the stage was
// handed to another job meanwhile: a superseded attempt's failure is not the task's.
func (e *Engine) failStage(ctx context.Context, taskID string, s o2sound.Stage, lease store.StageLease, cause error) {
	held := false
	err := e.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if held, err = e.holds(ctx, tx, taskID, s, lease); err != nil || !held {
			return err
		}
		return failTaskTx(ctx, tx, taskID, s, cause)
	})
	if err != nil {
		e.log.Error("record task failure", "task_id", taskID, "err", err)
	}
	if !held {
		return
	}
	e.cleanupTask(taskID)
	e.hub.publish(ctx, taskID)
}

// repeat calls fn every interval (and whenever wake delivers) in its own goroutine
// until fn returns false or the returned stop is called; stop waits for it to end.
func repeat(ctx context.Context, every time.Duration, wake <-chan struct{}, fn func(ctx context.Context) bool) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			case <-wake:
			}
			if !fn(ctx) {
				return
			}
		}
	}()
	return func() {
		cancel()
		wg.Wait()
	}
}

// heartbeat records that this job is alive until the returned function is called.
func (e *Engine) heartbeat(ctx context.Context, jobID int64, taskID string, log *slog.Logger) (stop func()) {
	ctx = context.WithoutCancel(ctx)
	beat := func(ctx context.Context) bool {
		if err := e.db.Heartbeat(ctx, jobID, taskID); err != nil && ctx.Err() == nil {
			log.Warn("heartbeat", "err", err)
		}
		return true
	}
	beat(ctx)
	stopBeating := repeat(ctx, e.opts.HeartbeatEvery, nil, beat)
	return func() {
		stopBeating()
		if err := e.db.EndHeartbeat(context.Background(), jobID); err != nil {
			log.Warn("end heartbeat", "err", err)
		}
	}
}

// progressReporter records a running stage's progress at most every 300 ms or 2%.
func (e *Engine) progressReporter(ctx context.Context, taskID string, s o2sound.Stage, lease store.StageLease) func(float64) {
	var mu sync.Mutex
	var last time.Time
	lastPct := -1.0
	return func(frac float64) {
		pct := min(max(frac, 0), 1) * 100
		mu.Lock()
		if time.Since(last) < 300*time.Millisecond && pct-lastPct < 2 {
			mu.Unlock()
			return
		}
		last, lastPct = time.Now(), pct
		mu.Unlock()
		if err := e.db.StagePercent(ctx, taskID, s, lease, pct); err != nil && ctx.Err() == nil {
			e.log.Warn("record progress", "task_id", taskID, "err", err)
			return
		}
		e.hub.publish(ctx, taskID)
	}
}
