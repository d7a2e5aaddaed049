package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/o2sound/o2sound/internal/files"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
	"github.com/o2sound/o2sound/internal/store/storetest"
)

// testPipeline is a pipeline of small real stages: each writes a file into the task
// directory and records that it ran; hooks let a test block or fail a stage.
type testPipeline struct {
	mu    sync.Mutex
	runs  map[o2sound.Stage]int
	order []o2sound.Stage
	hook  map[o2sound.Stage]func(ctx context.Context, attempt int) error
	outs  map[o2sound.Stage]any // a stage's output instead of the default
}

func (tp *testPipeline) work() Work {
	p := Work{}
	for _, s := range o2sound.Stages {
		p[s] = func(ctx context.Context, r *Run) (any, error) {
			tp.mu.Lock()
			tp.runs[s]++
			attempt := tp.runs[s]
			tp.order = append(tp.order, s)
			hook := tp.hook[s]
			tp.mu.Unlock()
			for _, d := range s.After() {
				if _, ok := r.Outputs[d]; !ok {
					return nil, fmt.Errorf("stage %s ran before %s finished", s, d)
				}
			}
			r.Progress(0.5)
			if hook != nil {
				if err := hook(ctx, attempt); err != nil {
					return nil, err
				}
			}
			path := filepath.Join(r.Dir, string(s)+".out")
			if err := os.WriteFile(path, []byte(string(s)), 0o644); err != nil {
				return nil, err
			}
			if s == o2sound.StageMerge {
				thumb := filepath.Join(r.Dir, "thumb.jpg")
				os.WriteFile(thumb, []byte("jpeg"), 0o644)
				return FinishedVideo{Video: path, Thumbnail: thumb, Duration: 30, Width: 1920, Height: 1080, SizeBytes: 5, Title: "t"}, nil
			}
			if out := tp.outs[s]; out != nil {
				return out, nil
			}
			return map[string]any{"file": path, "run": attempt}, nil
		}
	}
	return p
}

type bundle struct {
	db    *store.DB
	files *files.Store
	e     *Engine
	tp    *testPipeline
	owner string
}

func setup(t *testing.T, d store.Dialect, tune func(*Options)) *bundle {
	t.Helper()
	db := storetest.Open(t, d)
	fs, err := files.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tp := &testPipeline{runs: map[o2sound.Stage]int{}, hook: map[o2sound.Stage]func(context.Context, int) error{},
		outs: map[o2sound.Stage]any{}}
	o := DefaultOptions()
	o.FetchPollInterval = 50 * time.Millisecond
	o.HeartbeatEvery = 200 * time.Millisecond
	o.OrphanAfter = 2 * time.Second
	o.LightWorkers, o.HeavyWorkers = 2, 2
	if tune != nil {
		tune(&o)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e, err := New(context.Background(), db, fs, tp.work(), o, log)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Stop(5 * time.Second) })
	u := &o2sound.User{UserID: "owner", Name: "Owner"}
	if err := db.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return &bundle{db: db, files: fs, e: e, tp: tp, owner: u.ID}
}

func forEachDialect(t *testing.T, fn func(t *testing.T, d store.Dialect)) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, d)
		})
	}
}

// waitState polls the task until it reaches state or the deadline passes.
func (b *bundle) waitState(t *testing.T, id, state string, within time.Duration) *o2sound.Task {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		task, err := b.e.Task(context.Background(), b.owner, id)
		if err != nil {
			t.Fatal(err)
		}
		if task.State == state {
			return task
		}
		if time.Now().After(deadline) {
			t.Fatalf("task state %s after %v, want %s (stages: %+v)", task.State, within, state, stageStates(task))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// riverJob reads a job through River's API.
func (b *bundle) riverJob(t *testing.T, id int64) *rivertype.JobRow {
	t.Helper()
	var job *rivertype.JobRow
	err := b.db.InTx(context.Background(), func(tx *store.Tx) error {
		var err error
		job, err = b.e.q.jobTx(context.Background(), tx, id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return job
}

func stageStates(t *o2sound.Task) map[o2sound.Stage]string {
	m := map[o2sound.Stage]string{}
	for s, st := range t.Stages {
		m[s] = st.State
	}
	return m
}

func TestTaskRunsEveryStageOnceAndStoresOneVideo(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		b := setup(t, d, nil)
		task, err := b.e.StartTask(context.Background(), b.owner, "https://cafe.example", o2sound.TaskOptions{Aspect: "16:9", Duration: 30})
		if err != nil {
			t.Fatal(err)
		}
		done := b.waitState(t, task.ID, o2sound.TaskCompleted, 30*time.Second)
		for _, s := range o2sound.Stages {
			if done.Stages[s].State != o2sound.StageDone || b.tp.runs[s] != 1 {
				t.Errorf("stage %s: state %s, ran %d times", s, done.Stages[s].State, b.tp.runs[s])
			}
		}
		p := o2sound.ProgressOf(done, time.Now())
		if p.Percent != 100 || !p.Flags["combined"] {
			t.Fatalf("progress %+v", p)
		}
		videos, n, err := b.db.ListVideos(context.Background(), b.owner, o2sound.Page{})
		if err != nil || n != 1 || videos[0].ID != task.VideoID || videos[0].Filename != task.VideoFilename || videos[0].Resolution != "1920x1080" {
			t.Fatalf("videos: %v %d %+v", err, n, videos)
		}
		if _, err := b.files.OpenVideo(task.VideoID, files.VideoFile); err != nil {
			t.Fatalf("video file not stored: %v", err)
		}
		// A completed task keeps its working files: a re-make reuses them.
		if !b.files.HasTaskDir(task.ID) {
			t.Fatal("the completed task's working directory is gone")
		}
	})
}

// TestCancelStopsRunningStage: the cancel reaches the running stage through River (its
// work context is cancelled when the cancel commits), not through the reaper or the
// stage's timeout. It typically takes tens of milliseconds; the bound is loose because
// two loaded cores can delay PostgreSQL's notification past a second, and any bound under
// the reaper's 15 s still tells River's delivery from the fallbacks.
func TestCancelStopsRunningStage(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		b := setup(t, d, nil)
		started := make(chan struct{})
		var stoppedAt atomic.Int64
		b.tp.hook[o2sound.StageVideo] = func(ctx context.Context, _ int) error {
			close(started)
			<-ctx.Done()
			stoppedAt.Store(time.Now().UnixNano())
			return ctx.Err()
		}
		task, err := b.e.StartTask(context.Background(), b.owner, "https://cafe.example", o2sound.TaskOptions{})
		if err != nil {
			t.Fatal(err)
		}
		select {
		case <-started:
		case <-time.After(30 * time.Second):
			t.Fatal("video stage never started")
		}
		cancelledAt := time.Now()
		got, err := b.e.Cancel(context.Background(), b.owner, task.ID)
		if err != nil || got.State != o2sound.TaskCancelled {
			t.Fatalf("cancel: %v %+v", err, got)
		}
		const bound = 5 * time.Second
		deadline := time.Now().Add(bound)
		for stoppedAt.Load() == 0 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if stoppedAt.Load() == 0 {
			t.Fatalf("running stage not stopped within %v of cancel", bound)
		}
		took := time.Unix(0, stoppedAt.Load()).Sub(cancelledAt)
		t.Logf("%s: the running stage stopped %v after the cancel", d, took)
		// River finalizes the cancelled job: nothing of the task stays queued or running.
		videoJob, err := b.db.StageJob(context.Background(), task.ID, o2sound.StageVideo)
		if err != nil || videoJob == 0 {
			t.Fatalf("video stage job: %d %v", videoJob, err)
		}
		for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			job := b.riverJob(t, videoJob)
			if job.State == rivertype.JobStateCancelled {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("video job %s after the cancel, want cancelled", job.State)
			}
		}
		dir := filepath.Join(b.files.Root(), "tasks", task.ID)
		for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if _, err := os.Stat(dir); os.IsNotExist(err) {
				break
			}
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Fatal("task directory left after cancel")
		}
		if _, err := b.e.Cancel(context.Background(), b.owner, task.ID); o2sound.ErrorCode(err) != o2sound.CodeTaskNotActive {
			t.Fatalf("second cancel: %v", err)
		}
		// The merge can only run from a job, and no job was ever made for it: the
		// cancel's transaction ended its stages, and a completion after it enqueues nothing.
		if job, err := b.db.StageJob(context.Background(), task.ID, o2sound.StageMerge); err != nil || job != 0 {
			t.Fatalf("merge job %d (%v) after cancel", job, err)
		}
		after, err := b.e.Task(context.Background(), b.owner, task.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st := after.Stages[o2sound.StageMerge].State; st != o2sound.StageCancelled {
			t.Fatalf("merge stage %s after cancel, want cancelled", st)
		}
	})
}

func TestPermanentErrorFailsTaskWithItsCode(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		b := setup(t, d, nil)
		b.tp.hook[o2sound.StageCrawl] = func(context.Context, int) error {
			return &o2sound.Error{Code: "CRAWL_004", Message: "the site's robots.txt does not allow O2Sound"}
		}
		task, _ := b.e.StartTask(context.Background(), b.owner, "https://cafe.example", o2sound.TaskOptions{})
		failed := b.waitState(t, task.ID, o2sound.TaskFailed, 20*time.Second)
		if failed.ErrorStage != "crawl" || failed.ErrorCode != "CRAWL_004" || failed.ErrorMessage == "" {
			t.Fatalf("failure not recorded: %+v", failed)
		}
		if b.tp.runs[o2sound.StageCrawl] != 1 || b.tp.runs[o2sound.StageLyrics] != 0 {
			t.Fatalf("runs after permanent failure: %v", b.tp.runs)
		}
	})
}

func TestTransientErrorRetriesOnlyThatStage(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		b := setup(t, d, nil)
		b.tp.hook[o2sound.StageMusic] = func(_ context.Context, attempt int) error {
			if attempt == 1 {
				return errors.New("fluidsynth: temporary failure")
			}
			return nil
		}
		task, _ := b.e.StartTask(context.Background(), b.owner, "https://cafe.example", o2sound.TaskOptions{})
		b.waitState(t, task.ID, o2sound.TaskCompleted, 30*time.Second)
		for _, s := range o2sound.Stages {
			want := 1
			if s == o2sound.StageMusic {
				want = 2
			}
			if b.tp.runs[s] != want {
				t.Errorf("stage %s ran %d times, want %d", s, b.tp.runs[s], want)
			}
		}
	})
}

func TestQueueLimits(t *testing.T) {
	t.Parallel()
	b := setup(t, store.SQLite, func(o *Options) { o.RunWorkers = false; o.MaxActivePerUser = 2 })
	for range 2 {
		if _, err := b.e.StartTask(context.Background(), b.owner, "https://cafe.example", o2sound.TaskOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := b.e.StartTask(context.Background(), b.owner, "https://cafe.example", o2sound.TaskOptions{})
	if o2sound.ErrorCode(err) != o2sound.CodeTooManyTasks {
		t.Fatalf("third task: %v", err)
	}
}

func TestReadyAfterJoins(t *testing.T) {
	t.Parallel()
	stages := map[o2sound.Stage]*o2sound.TaskStage{}
	for _, s := range o2sound.Stages {
		stages[s] = &o2sound.TaskStage{State: o2sound.StagePending}
	}
	set := func(s o2sound.Stage) { stages[s].State = o2sound.StageDone }
	set(o2sound.StageCrawl)
	if got := readyAfter(o2sound.StageCrawl, stages); fmt.Sprint(got) != "[lyrics images]" {
		t.Fatalf("after crawl: %v", got)
	}
	stages[o2sound.StageLyrics].State, stages[o2sound.StageImages].State = o2sound.StageQueued, o2sound.StageQueued
	set(o2sound.StageLyrics)
	if got := readyAfter(o2sound.StageLyrics, stages); fmt.Sprint(got) != "[music]" {
		t.Fatalf("after lyrics, images pending: %v", got)
	}
	stages[o2sound.StageMusic].State = o2sound.StageQueued
	set(o2sound.StageImages)
	if got := readyAfter(o2sound.StageImages, stages); fmt.Sprint(got) != "[video]" {
		t.Fatalf("after images: %v", got)
	}
	stages[o2sound.StageVideo].State = o2sound.StageQueued
	set(o2sound.StageVideo)
	if got := readyAfter(o2sound.StageVideo, stages); len(got) != 0 {
		t.Fatalf("merge ready before music: %v", got)
	}
	set(o2sound.StageMusic)
	if got := readyAfter(o2sound.StageMusic, stages); fmt.Sprint(got) != "[merge]" {
		t.Fatalf("after music: %v", got)
	}
}

func TestQueueLimitHoldsUnderConcurrentStarts(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		b := setup(t, d, func(o *Options) { o.RunWorkers = false; o.MaxActivePerUser = 2 })
		var wg sync.WaitGroup
		var started, refused atomic.Int32
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := b.e.StartTask(context.Background(), b.owner, "https://cafe.example", o2sound.TaskOptions{})
				switch o2sound.ErrorCode(err) {
				case o2sound.CodeTooManyTasks:
					refused.Add(1)
				case o2sound.CodeInternal:
					if err == nil {
						started.Add(1)
					} else {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		if started.Load() != 2 || refused.Load() != 8 {
			t.Fatalf("started %d, refused %d; want 2 and 8", started.Load(), refused.Load())
		}
	})
}

// fellBack is a stage output that took a fallback.
type fellBack struct {
	Text string `json:"text"`
}

func (fellBack) StageNote() string { return "built-in writer (LLM timed out)" }

func TestStageNoteReachesProgress(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		b := setup(t, d, nil)
		b.tp.outs[o2sound.StageLyrics] = fellBack{Text: "la"}
		task, err := b.e.StartTask(context.Background(), b.owner, "https://cafe.example", o2sound.TaskOptions{})
		if err != nil {
			t.Fatal(err)
		}
		done := b.waitState(t, task.ID, o2sound.TaskCompleted, 30*time.Second)
		for _, s := range o2sound.Stages {
			want := ""
			if s == o2sound.StageLyrics {
				want = "built-in writer (LLM timed out)"
			}
			if got := done.Stages[s].Note; got != want {
				t.Errorf("stage %s note %q, want %q", s, got, want)
			}
		}
	})
}
