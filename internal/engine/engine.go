package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/o2sound/o2sound/internal/auth"
	"github.com/o2sound/o2sound/internal/files"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
)

// Run is what a stage function gets: the task, its working directory, the outputs of
// the stages before it, and a way to report progress.
type Run struct {
	Task     *o2sound.Task
	Dir      string                            // the task's working directory in the file store
	Outputs  map[o2sound.Stage]json.RawMessage // outputs of finished stages
	Progress func(frac float64)                // 0..1 within this stage
	Log      *slog.Logger
}

// Output decodes a finished stage's output into v, its paths made absolute.
func (r *Run) Output(s o2sound.Stage, v any) error {
	raw, ok := r.Outputs[s]
	if !ok {
		return fmt.Errorf("engine: stage %s has no output", s)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("engine: stage %s output: %w", s, err)
	}
	if p, ok := v.(Pathed); ok {
		Resolve(r.Dir, p)
	}
	return nil
}

// StageFunc does one stage's work and returns its output (marshalled to JSON and stored).
// It must be idempotent: a retried stage runs again on the same directory. Errors that
// are *o2sound.Error fail the task at once (the user must act); others are retried.
type StageFunc func(ctx context.Context, r *Run) (output any, err error)

// Work maps each stage of o2sound.StageTable to its function: the pipeline.
type Work map[o2sound.Stage]StageFunc

// FinishedVideo is what the final stage (merge) returns: the finished files in the
// task directory and what the video row shows. The engine stores both in the merge's
// completing transaction.
type FinishedVideo struct {
	Video       string  `json:"video"`     // path of the MP4 in the task directory
	Thumbnail   string  `json:"thumbnail"` // path of the JPEG in the task directory
	Duration    float64 `json:"duration"`
	Width       int     `json:"width"`
	Height      int     `json:"height"`
	SizeBytes   int64   `json:"size_bytes"`
	Title       string  `json:"title"`
	Description string  `json:"description"`
	CaptionsVTT string  `json:"captions_vtt,omitempty"` // the sung lines, WebVTT
	CaptionsSRT string  `json:"captions_srt,omitempty"` // the same, SubRip
}

// Options configures the engine.
type Options struct {
	// Metrics records stage runs for the operator (nil: none).
	Metrics      StageMetrics
	RunWorkers   bool // work jobs in this process (serve; worker). false: API only
	LightWorkers int  // concurrent jobs of the light queue (crawl, lyrics, images) per process
	HeavyWorkers int  // concurrent jobs of the heavy queue (music, video, merge) per process
	// StageTimeouts override the stage table's deadlines (tests shorten them).
	StageTimeouts     map[o2sound.Stage]time.Duration
	HeartbeatEvery    time.Duration // a running job proves it is alive this often
	OrphanAfter       time.Duration // a job silent this long is handed to another worker
	FetchPollInterval time.Duration // how often idle workers look for jobs
	MaxActivePerUser  int           // queued+running tasks one owner may have
	MaxActiveTotal    int           // queued+running tasks overall
	// CheckURL validates a URL before a task exists (the safe fetcher's rules).
	CheckURL func(ctx context.Context, rawURL string) error

	// RetryDelays is River's backoff between attempts (nil: 2 s, 10 s, 30 s, 60 s).
	RetryDelays []time.Duration
}

// DefaultOptions are the production settings.
func DefaultOptions() Options {
	return Options{
		RunWorkers: true, LightWorkers: 4, HeavyWorkers: 1,
		HeartbeatEvery: 2 * time.Second, OrphanAfter: 15 * time.Second,
		FetchPollInterval: time.Second,
		MaxActivePerUser:  3, MaxActiveTotal: 50,
	}
}

// timeout is the stage's deadline: the table's, unless overridden.
func (o Options) timeout(s o2sound.Stage) time.Duration {
	if d := o.StageTimeouts[s]; d > 0 {
		return d
	}
	return s.Spec().Timeout
}

func (o Options) longestStage() time.Duration {
	var m time.Duration
	for _, s := range o2sound.Stages {
		m = max(m, o.timeout(s))
	}
	return m
}

// workersFor is how many jobs of queue this process works at once.
func (o Options) workersFor(queue string) int {
	if queue == o2sound.QueueHeavy {
		return o.HeavyWorkers
	}
	return o.LightWorkers
}

// Engine starts tasks, runs their stages and reports their progress.
type Engine struct {
	db    *store.DB
	files *files.Store
	work  Work
	opts  Options
	log   *slog.Logger
	q     queue
	hub   *Hub

	stopMaint context.CancelFunc
	maintDone sync.WaitGroup
}

// New creates the engine and River's client (migrating River's tables). w must give
// every stage of o2sound.StageTable its work.
func New(ctx context.Context, db *store.DB, fs *files.Store, w Work, o Options, log *slog.Logger) (*Engine, error) {
	if err := checkWork(w); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	if o.Metrics == nil {
		o.Metrics = noMetrics{}
	}
	e := &Engine{db: db, files: fs, work: w, opts: o, log: log}
	workers := river.NewWorkers()
	addWorkers(workers, e)
	q, err := newQueue(ctx, db, o, workers, log)
	if err != nil {
		return nil, err
	}
	e.q = q
	e.hub = newHub(db, log)
	return e, nil
}

// Start runs the workers (when configured), the progress listener and the orphan
// reaper. On error it stops whatever it had started, so a failed start-up leaves
// nothing running.
func (e *Engine) Start(ctx context.Context) (err error) {
	mctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	e.stopMaint = cancel
	defer func() {
		if err != nil {
			cancel()
			e.maintDone.Wait()
		}
	}()
	if err := e.hub.start(mctx, &e.maintDone); err != nil {
		return err
	}
	if !e.opts.RunWorkers {
		return nil
	}
	if err := e.q.start(mctx); err != nil {
		return fmt.Errorf("engine: start workers: %w", err)
	}
	// The first beat lands before Start returns, so /health counts this process
	// from the moment it works jobs, and a database that cannot take the beat fails
	// the start-up instead of leaving workers nobody can see.
	w := newWorkerBeat()
	if err := e.db.WorkerBeat(ctx, w.id, w.host, w.started); err != nil {
		sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer scancel()
		if serr := e.q.stopAndCancel(sctx); serr != nil {
			e.log.Warn("stop workers after a failed start", "err", serr)
		}
		return fmt.Errorf("engine: start workers: %w", err)
	}
	e.maintDone.Add(2)
	go e.reapOrphans(mctx)
	go e.beatWorker(mctx, w)
	return nil
}

// Stop lets running stages finish for up to grace, then cancels them (their ffmpeg
// processes are killed); cancelled stages are retried on the next start.
func (e *Engine) Stop(grace time.Duration) error {
	var err error
	if e.opts.RunWorkers {
		ctx, cancel := context.WithTimeout(context.Background(), grace)
		err = e.q.stop(ctx)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err = e.q.stopAndCancel(ctx)
			cancel()
		}
	}
	if e.stopMaint != nil {
		e.stopMaint()
	}
	e.maintDone.Wait()
	return err
}

// Queue reports the job queue for /health.
func (e *Engine) Queue(ctx context.Context) (map[string]int, error) { return e.q.queueCounts(ctx) }

// RunsWorkers reports whether this process works jobs.
func (e *Engine) RunsWorkers() bool { return e.opts.RunWorkers }

// Subscribe returns a channel that receives a value whenever the task changes.
func (e *Engine) Subscribe(taskID string) (<-chan struct{}, func()) { return e.hub.subscribe(taskID) }

// StartTask validates the URL, checks the queue limits, and in one transaction writes
// the task and enqueues its first stage.
func (e *Engine) StartTask(ctx context.Context, ownerID, rawURL string, opts o2sound.TaskOptions) (*o2sound.Task, error) {
	if e.opts.CheckURL != nil {
		if err := e.opts.CheckURL(ctx, rawURL); err != nil {
			return nil, err
		}
	}
	t := &o2sound.Task{OwnerID: ownerID, URL: rawURL, Options: opts}
	err := e.db.InTx(ctx, func(tx *store.Tx) error {
		if err := e.checkLimits(ctx, tx, ownerID); err != nil {
			return err
		}
		if err := tx.CreateTask(ctx, t, auth.RandomName(16)+".mp4", auth.RandomName(16)+".jpg"); err != nil {
			return err
		}
		return e.enqueue(ctx, tx, t.ID, o2sound.StageCrawl)
	})
	if err != nil {
		var de *o2sound.Error
		if errors.As(err, &de) {
			return nil, err
		}
		return nil, fmt.Errorf("engine: start task: %w", err)
	}
	e.log.InfoContext(ctx, "task started", "task_id", t.ID, "owner", ownerID)
	return t, nil
}

func (e *Engine) enqueue(ctx context.Context, tx *store.Tx, taskID string, s o2sound.Stage) error {
	if err := tx.SetStage(ctx, taskID, s, o2sound.StageQueued, 0, nil); err != nil {
		return err
	}
	job, err := e.q.insertTx(ctx, tx, StageArgs{TaskID: taskID, Stage: s}, insertOpts(s))
	if err != nil {
		return fmt.Errorf("engine: enqueue %s: %w", s, err)
	}
	return tx.AssignStageJob(ctx, taskID, s, job.ID)
}

// Task returns the owner's task.
func (e *Engine) Task(ctx context.Context, ownerID, id string) (*o2sound.Task, error) {
	t, err := e.db.TaskByID(ctx, ownerID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errTaskNotFound
	}
	return t, err
}

// Tasks lists the owner's tasks, newest first.
func (e *Engine) Tasks(ctx context.Context, ownerID string, page o2sound.Page) ([]*o2sound.Task, int, error) {
	return e.db.ListTasks(ctx, ownerID, page)
}

var errTaskNotFound = &o2sound.Error{Code: o2sound.CodeTaskNotFound, Message: "task not found"}

// Cancel stops the owner's task. One transaction marks it cancelled and cancels its
// stages' River jobs (JobCancelTx): a queued job never starts, and the process
// running a stage, whichever it is, has its work context cancelled by River when the
// transaction commits; the stage then kills its work and cleans up.
func (e *Engine) Cancel(ctx context.Context, ownerID, id string) (*o2sound.Task, error) {
	var before *o2sound.Task
	err := e.db.InTx(ctx, func(tx *store.Tx) error {
		// The jobs first: ending the task ends its stages, after which none is running.
		jobs, err := tx.StageJobs(ctx, id)
		if err != nil {
			return err
		}
		if before, err = tx.RequestCancel(ctx, ownerID, id); err != nil {
			return err
		}
		if before.Ended() {
			return errTaskEnded // changes nothing
		}
		for s, job := range jobs {
			if err := e.q.cancelTx(ctx, tx, job); err != nil {
				return fmt.Errorf("engine: cancel %s job: %w", s, err)
			}
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errTaskNotFound
	}
	if errors.Is(err, errTaskEnded) {
		return nil, &o2sound.Error{Code: o2sound.CodeTaskNotActive, Message: "this task already ended (" + before.State + ")"}
	}
	if err != nil {
		return nil, err
	}
	e.hub.publish(ctx, id)
	e.log.InfoContext(ctx, "task cancelled", "task_id", id)
	return e.Task(ctx, ownerID, id)
}

// cleanupTask removes the working directory of a failed or cancelled task. A completed
// task's files stay for re-makes (a late duplicate job must not take them), and so do a
// task's waiting for review.
func (e *Engine) cleanupTask(taskID string) {
	if t, err := e.db.TaskForWork(context.Background(), taskID, false); err == nil &&
		(t.State == o2sound.TaskCompleted || t.State == o2sound.TaskReview) {
		return
	}
	if err := e.files.RemoveTaskDir(taskID); err != nil && !os.IsNotExist(err) {
		e.log.Warn("remove task directory", "task_id", taskID, "err", err)
	}
	// The photos its crawl found go too: without a draft nothing can show them.
	gone, err := e.db.DeleteTaskPhotos(context.Background(), taskID, o2sound.PhotoFromSite)
	if err != nil {
		e.log.Warn("remove task photos", "task_id", taskID, "err", err)
	}
	for _, p := range gone {
		if err := e.files.RemovePhoto(p.ID, p.Format); err != nil {
			e.log.Warn("remove photo", "photo", p.ID, "err", err)
		}
	}
}

// AdminJobs is River UI for this engine's queue, served under prefix (the API puts it
// behind its admin check). Its background services stop with ctx.
func (e *Engine) AdminJobs(ctx context.Context, prefix string) (http.Handler, error) {
	return e.q.adminUI(ctx, prefix, e.log)
}

// StageMetrics is what the engine reports to the operator's metrics.
type StageMetrics interface {
	ObserveStage(stage string, took time.Duration)
	StageFailed(stage, code string)
}

// noMetrics is used when Options.Metrics is nil.
type noMetrics struct{}

func (noMetrics) ObserveStage(string, time.Duration) {}
func (noMetrics) StageFailed(string, string)         {}

// StartPrepared starts a task whose directory its caller already laid out, with some
// stages done (a re-make reuses them): in one transaction it checks the queue limits,
// writes the task with its stages and enqueues every stage whose dependencies are
// done. t.ID must be set (its directory is named by it).
func (e *Engine) StartPrepared(ctx context.Context, t *o2sound.Task) error {
	return e.db.InTx(ctx, func(tx *store.Tx) error {
		if err := e.checkLimits(ctx, tx, t.OwnerID); err != nil {
			return err
		}
		if err := tx.CreateTask(ctx, t, auth.RandomName(16)+".mp4", auth.RandomName(16)+".jpg"); err != nil {
			return err
		}
		for _, s := range o2sound.Stages {
			if t.Stages[s].State == o2sound.StagePending && depsDone(s, t.Stages) {
				if err := e.enqueue(ctx, tx, t.ID, s); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// checkLimits refuses a new task when the owner or the service has too many in the
// making. It runs inside the transaction that creates the task, so concurrent starts
// cannot all see room for one more.
func (e *Engine) checkLimits(ctx context.Context, tx *store.Tx, ownerID string) error {
	mine, all, err := tx.CountActiveTasks(ctx, ownerID)
	if err != nil {
		return err
	}
	if mine >= e.opts.MaxActivePerUser {
		return &o2sound.Error{Code: o2sound.CodeTooManyTasks, Message: fmt.Sprintf(
			"you already have %d videos in the making; wait for one to finish or cancel one", mine)}
	}
	if all >= e.opts.MaxActiveTotal {
		return &o2sound.Error{Code: o2sound.CodeTooManyTasks, Message: "O2Sound is busy making other videos; try again in a few minutes"}
	}
	return nil
}
