package engine

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
)

// The reaper's tests stall a heartbeat with the clock rather than with sleeps: a
// reaper told that now is OrphanAfter+1 min ahead sees every heartbeat as silent for
// longer than OrphanAfter, which is what a stalled or dead worker looks like.

// later is a reaper clock at which every current heartbeat is stale.
func (b *bundle) later() time.Time { return time.Now().Add(b.e.opts.OrphanAfter + time.Minute) }

// attempts reports each start of a stage on started and lets the test decide, per
// attempt, how it behaves.
type attempts struct {
	started chan int
	mu      sync.Mutex
	release map[int]chan struct{}
}

func newAttempts() *attempts {
	return &attempts{started: make(chan int, 16), release: map[int]chan struct{}{}}
}

// gate returns the channel attempt n waits on when it ignores its context.
func (a *attempts) gate(n int) chan struct{} {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.release[n] == nil {
		a.release[n] = make(chan struct{})
	}
	return a.release[n]
}

// open lets attempt n go on; opening twice is allowed (cleanups open everything).
func (a *attempts) open(n int) {
	g := a.gate(n)
	a.mu.Lock()
	defer a.mu.Unlock()
	select {
	case <-g:
	default:
		close(g)
	}
}

func (a *attempts) waitStart(t *testing.T, want int) {
	t.Helper()
	select {
	case n := <-a.started:
		if n != want {
			t.Fatalf("attempt %d started, want %d", n, want)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("attempt %d never started", want)
	}
}

// waitStage polls until the task's stage reaches state.
func (b *bundle) waitStage(t *testing.T, id string, s o2sound.Stage, state string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		task, err := b.db.TaskForWork(context.Background(), id, false)
		if err != nil {
			t.Fatal(err)
		}
		if task.Stages[s].State == state {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("stage %s is %s, want %s", s, task.Stages[s].State, state)
		}
	}
}

// waitJobState polls River until the job reaches state.
func (b *bundle) waitJobState(t *testing.T, id int64, state rivertype.JobState) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		job := b.riverJob(t, id)
		if job.State == state {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d is %s, want %s", id, job.State, state)
		}
	}
}

// startStalled starts a task whose video stage behaves as attempt says, waits for
// the first attempt to run with nothing else running, and returns the task and the
// video stage's job.
func (b *bundle) startStalled(t *testing.T, a *attempts, attempt func(ctx context.Context, n int) error) (string, int64) {
	t.Helper()
	b.tp.hook[o2sound.StageVideo] = func(ctx context.Context, n int) error {
		a.started <- n
		return attempt(ctx, n)
	}
	task, err := b.e.StartTask(context.Background(), b.owner, "https://cafe.example", o2sound.TaskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a.waitStart(t, 1)
	// The music stage runs beside the video; the later clock must find only the
	// video's heartbeat.
	b.waitStage(t, task.ID, o2sound.StageMusic, o2sound.StageDone)
	job, err := b.db.StageJob(context.Background(), task.ID, o2sound.StageVideo)
	if err != nil || job == 0 {
		t.Fatalf("video job: %d %v", job, err)
	}
	return task.ID, job
}

// checkOneRun checks that the task finished with exactly one video stage result
// counted (the second attempt's), one merge and one video.
func (b *bundle) checkOneRun(t *testing.T, id string, oldJob int64) {
	t.Helper()
	done := b.waitState(t, id, o2sound.TaskCompleted, 30*time.Second)
	b.waitJobState(t, oldJob, rivertype.JobStateCancelled)
	var out struct {
		Run int `json:"run"`
	}
	if err := json.Unmarshal(done.Stages[o2sound.StageVideo].Output, &out); err != nil || out.Run != 2 {
		t.Fatalf("video output %s (%v): want the second attempt's", done.Stages[o2sound.StageVideo].Output, err)
	}
	if got := done.Stages[o2sound.StageVideo].Attempts; got != 2 {
		t.Fatalf("video stage started %d times, want 2", got)
	}
	b.tp.mu.Lock()
	merges := b.tp.runs[o2sound.StageMerge]
	b.tp.mu.Unlock()
	if merges != 1 {
		t.Fatalf("merge ran %d times, want once", merges)
	}
	if _, n, err := b.db.ListVideos(context.Background(), b.owner, o2sound.Page{}); err != nil || n != 1 {
		t.Fatalf("videos: %d %v", n, err)
	}
}

func TestStalledHeartbeatRunsTheStageOnce(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// first is the stalled attempt: it starts, its heartbeat goes silent, and
		// whatever it does afterwards must not count.
		first func(a *attempts) func(ctx context.Context) error
		// wakeAfterNew: the stalled attempt wakes only after the new one completed
		// the task; otherwise it wakes while the new one is running.
		wakeAfterNew bool
	}{
		{"the stalled attempt obeys River's cancel", func(a *attempts) func(ctx context.Context) error {
			return func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
		}, false},
		{"the stalled attempt wakes and succeeds while the new one runs", func(a *attempts) func(ctx context.Context) error {
			return func(ctx context.Context) error { <-a.gate(1); return nil }
		}, false},
		{"the stalled attempt wakes and succeeds after the task completed", func(a *attempts) func(ctx context.Context) error {
			return func(ctx context.Context) error { <-a.gate(1); return nil }
		}, true},
		{"the stalled attempt wakes and fails for good", func(a *attempts) func(ctx context.Context) error {
			return func(ctx context.Context) error {
				<-a.gate(1)
				return &o2sound.Error{Code: "VIDEO_001", Message: "late failure of a superseded attempt"}
			}
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			forEachDialect(t, func(t *testing.T, d store.Dialect) {
				b := setup(t, d, nil)
				a := newAttempts()
				first := tc.first(a)
				id, oldJob := b.startStalled(t, a, func(ctx context.Context, n int) error {
					if n == 1 {
						return first(ctx)
					}
					<-a.gate(n)
					return nil
				})
				t.Cleanup(func() { a.open(1); a.open(2) }) // never leave an attempt blocked
				got, err := b.e.reapOnce(context.Background(), b.later())
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != 1 || got[0].JobID != oldJob || got[0].Stage != o2sound.StageVideo || got[0].Action != reapRequeued {
					t.Fatalf("reaped %+v, want the video job %d requeued", got, oldJob)
				}
				a.waitStart(t, 2)
				if tc.wakeAfterNew {
					a.open(2)
					b.waitState(t, id, o2sound.TaskCompleted, 30*time.Second)
					a.open(1)
				} else {
					a.open(1)
					b.waitJobState(t, oldJob, rivertype.JobStateCancelled)
					a.open(2)
				}
				b.checkOneRun(t, id, oldJob)
			})
		})
	}
}

// TestStaleAttemptCannotWriteItsStage drives the fence directly: once the stage is
// handed on, the old lease can complete nothing, fail nothing and report no progress,
// while the new one can.
func TestStaleAttemptCannotWriteItsStage(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		b := setup(t, d, nil)
		a := newAttempts()
		id, oldJob := b.startStalled(t, a, func(ctx context.Context, n int) error { <-a.gate(n); return nil })
		t.Cleanup(func() { a.open(1); a.open(2) })
		ctx := context.Background()
		oldLease := store.StageLease{JobID: oldJob, Attempt: 1}
		oldRow := b.riverJob(t, oldJob)
		got, err := b.e.reapOnce(ctx, b.later())
		if err != nil || len(got) != 1 {
			t.Fatalf("reaped %+v %v", got, err)
		}
		a.waitStart(t, 2)
		newLease := store.StageLease{JobID: got[0].NewJobID, Attempt: 2}

		dir, err := b.files.TaskDir(id)
		if err != nil {
			t.Fatal(err)
		}
		err = b.e.completeStage(ctx, oldRow, id, o2sound.StageVideo, oldLease, dir, json.RawMessage(`{"run": 1}`), "")
		if err != errSuperseded {
			t.Fatalf("completing with the old lease: %v, want errSuperseded", err)
		}
		b.e.failStage(ctx, id, o2sound.StageVideo, oldLease, &o2sound.Error{Code: "VIDEO_001", Message: "stale"})
		if err := b.db.StagePercent(ctx, id, o2sound.StageVideo, oldLease, 77); err != nil {
			t.Fatal(err)
		}
		task, err := b.db.TaskForWork(ctx, id, false)
		if err != nil {
			t.Fatal(err)
		}
		if task.Ended() || task.Stages[o2sound.StageVideo].State != o2sound.StageRunning ||
			task.Stages[o2sound.StageVideo].Percent == 77 || task.Stages[o2sound.StageMerge].State != o2sound.StagePending {
			t.Fatalf("the old lease wrote: task %s, stages %v, video at %v%%", task.State, stageStates(task), task.Stages[o2sound.StageVideo].Percent)
		}
		if merge, err := b.db.StageJob(ctx, id, o2sound.StageMerge); err != nil || merge != 0 {
			t.Fatalf("merge enqueued by the old lease: job %d %v", merge, err)
		}
		for _, c := range []struct {
			lease store.StageLease
			want  bool
		}{{oldLease, false}, {newLease, true}, {store.StageLease{JobID: got[0].NewJobID, Attempt: 1}, false}} {
			if held, err := b.db.HoldsStage(ctx, id, o2sound.StageVideo, c.lease); err != nil || held != c.want {
				t.Errorf("HoldsStage(%+v) = %v %v, want %v", c.lease, held, err, c.want)
			}
		}
		if err := b.db.StagePercent(ctx, id, o2sound.StageVideo, newLease, 77); err != nil {
			t.Fatal(err)
		}
		if task, _ := b.db.TaskForWork(ctx, id, false); task.Stages[o2sound.StageVideo].Percent != 77 {
			t.Fatalf("the new lease's progress was dropped: %v", task.Stages[o2sound.StageVideo].Percent)
		}
		a.open(1)
		a.open(2)
		b.checkOneRun(t, id, oldJob)
	})
}

// TestReaperFailsTheJobsOwnStage: a stage whose worker goes silent on every attempt
// fails its task after MaxAttempts in all, blaming that stage, not the crawl.
func TestReaperFailsTheJobsOwnStage(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		b := setup(t, d, nil)
		a := newAttempts()
		id, job := b.startStalled(t, a, func(ctx context.Context, n int) error { <-ctx.Done(); return ctx.Err() })
		const maxAttempts = 5
		for n := 1; n <= maxAttempts; n++ {
			if n > 1 {
				a.waitStart(t, n)
			}
			got, err := b.e.reapOnce(context.Background(), b.later())
			if err != nil || len(got) != 1 || got[0].JobID != job {
				t.Fatalf("reap %d: %+v %v", n, got, err)
			}
			if n == maxAttempts {
				if got[0].Action != reapFailed {
					t.Fatalf("reap %d: %s, want the task failed", n, got[0].Action)
				}
				break
			}
			if got[0].Action != reapRequeued {
				t.Fatalf("reap %d: %s, want requeued", n, got[0].Action)
			}
			if next := b.riverJob(t, got[0].NewJobID); next.MaxAttempts != maxAttempts-n {
				t.Fatalf("reap %d: the new job may try %d times, want %d", n, next.MaxAttempts, maxAttempts-n)
			}
			// The silent attempt stops on River's cancel (and forgets its heartbeat)
			// before the next one is made silent.
			b.waitJobState(t, job, rivertype.JobStateCancelled)
			job = got[0].NewJobID
		}
		failed := b.waitState(t, id, o2sound.TaskFailed, 10*time.Second)
		if failed.ErrorStage != string(o2sound.StageVideo) || failed.ErrorCode != o2sound.CodeInternal {
			t.Fatalf("failure blamed %q with %q, want the video stage", failed.ErrorStage, failed.ErrorCode)
		}
		if got := failed.Stages[o2sound.StageVideo].Attempts; got != maxAttempts {
			t.Fatalf("video started %d times, want %d", got, maxAttempts)
		}
		b.waitJobState(t, job, rivertype.JobStateCancelled)
		for deadline := time.Now().Add(5 * time.Second); b.files.HasTaskDir(id); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the failed task's directory is still there")
			}
		}
		b.tp.mu.Lock()
		defer b.tp.mu.Unlock()
		if b.tp.runs[o2sound.StageMerge] != 0 {
			t.Fatal("merge ran for a failed task")
		}
	})
}

// TestReaperLeavesLiveAndForeignJobsAlone: a beating job is not touched; of two
// reapers only one hands a stage on; and a superseded job that beats again (its
// worker woke up) does not take its stage back.
func TestReaperLeavesLiveAndForeignJobsAlone(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		b := setup(t, d, nil)
		a := newAttempts()
		id, oldJob := b.startStalled(t, a, func(ctx context.Context, n int) error { <-a.gate(n); return nil })
		t.Cleanup(func() { a.open(1); a.open(2) })
		ctx := context.Background()
		if got, err := b.e.reapOnce(ctx, time.Now()); err != nil || len(got) != 0 {
			t.Fatalf("reaped a beating job: %+v %v", got, err)
		}

		var wg sync.WaitGroup
		results := make([][]reaped, 2)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := b.e.reapOnce(ctx, b.later())
				if err != nil {
					t.Error(err)
				}
				results[i] = r
			}()
		}
		wg.Wait()
		all := append(results[0], results[1]...)
		if len(all) != 1 || all[0].Action != reapRequeued {
			t.Fatalf("two reapers handed on %+v, want one requeue", all)
		}
		newJob := all[0].NewJobID
		a.waitStart(t, 2)

		// The old attempt's worker wakes and beats again, then goes silent again.
		if err := b.db.Heartbeat(ctx, oldJob, id); err != nil {
			t.Fatal(err)
		}
		r, err := b.e.reapJob(ctx, store.Orphan{JobID: oldJob, TaskID: id}, b.later())
		if err != nil || r == nil || r.Action != reapDropped {
			t.Fatalf("reaping the superseded job: %+v %v, want dropped", r, err)
		}
		if owner, err := b.db.StageJob(ctx, id, o2sound.StageVideo); err != nil || owner != newJob {
			t.Fatalf("video stage owned by %d (%v), want %d", owner, err, newJob)
		}
		a.open(1)
		a.open(2)
		b.checkOneRun(t, id, oldJob)
	})
}
