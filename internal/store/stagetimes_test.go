package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
)

// clock is a time source tests move by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock               { return &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }

// runTask makes a task whose stages each run for took[stage] (by the clock), finishing
// it in state end.
func runTask(t *testing.T, db *store.DB, c *clock, owner string, duration float64, took map[o2sound.Stage]time.Duration, end string) *o2sound.Task {
	t.Helper()
	ctx := context.Background()
	tk := &o2sound.Task{OwnerID: owner, URL: "https://example.com/", Options: o2sound.TaskOptions{Aspect: "16:9", Duration: duration}}
	if err := db.CreateTask(ctx, tk, tk.URL+"v.mp4", "v.jpg"); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkTaskRunning(ctx, tk.ID); err != nil {
		t.Fatal(err)
	}
	for _, s := range o2sound.Stages {
		d, ok := took[s]
		if !ok {
			continue
		}
		if err := db.SetStage(ctx, tk.ID, s, o2sound.StageRunning, 0, nil); err != nil {
			t.Fatal(err)
		}
		c.add(d)
		if err := db.SetStage(ctx, tk.ID, s, o2sound.StageDone, 100, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.FinishTask(ctx, tk.ID, end, "", "", ""); err != nil {
		t.Fatal(err)
	}
	c.add(time.Second)
	return tk
}

func TestStageTimesFromHistory(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		db.SetClock(c.now)
		u := mustUser(t, db, "timer")
		all := func(crawl, video time.Duration) map[o2sound.Stage]time.Duration {
			return map[o2sound.Stage]time.Duration{o2sound.StageCrawl: crawl, o2sound.StageLyrics: time.Second,
				o2sound.StageImages: 3 * time.Second, o2sound.StageMusic: 10 * time.Second, o2sound.StageVideo: video, o2sound.StageMerge: 2 * time.Second}
		}
		// The cache has its own clock: the database's runs the tasks' stages.
		cc := newClock()
		cache := &store.StageTimesCache{Queries: db, Tasks: 3, Now: cc.now}
		// No history: the defaults.
		if got := cache.StageTimes(ctx); fmt.Sprint(got) != fmt.Sprint(o2sound.DefaultStageTimes) {
			t.Fatalf("empty history: %v", got)
		}
		// Failed tasks and stages that did not run do not count; only the newest 3
		// completed tasks do.
		runTask(t, db, c, u.ID, 30, all(time.Hour, time.Hour), o2sound.TaskCompleted) // oldest: falls out
		runTask(t, db, c, u.ID, 30, all(time.Hour, time.Hour), o2sound.TaskFailed)
		runTask(t, db, c, u.ID, 15, all(4*time.Second, 30*time.Second), o2sound.TaskCompleted)
		runTask(t, db, c, u.ID, 60, all(6*time.Second, 120*time.Second), o2sound.TaskCompleted)
		runTask(t, db, c, u.ID, 30, all(5*time.Second, 90*time.Second), o2sound.TaskCompleted)
		samples, err := db.RecentStageSamples(ctx, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(samples) != 18 || samples[0].VideoSeconds != 30 {
			t.Fatalf("%d samples, first %+v", len(samples), samples[0])
		}
		// Still cached: the history read a moment ago (when it was empty) stands.
		if got := cache.StageTimes(ctx)[o2sound.StageCrawl]; got != o2sound.DefaultStageTimes[o2sound.StageCrawl] {
			t.Fatalf("refreshed before a minute passed: crawl %v", got)
		}
		cc.add(59 * time.Second)
		if got := cache.StageTimes(ctx)[o2sound.StageCrawl]; got != o2sound.DefaultStageTimes[o2sound.StageCrawl] {
			t.Fatalf("refreshed before a minute passed: crawl %v", got)
		}
		cc.add(time.Second)
		got := cache.StageTimes(ctx)
		if got[o2sound.StageCrawl].Fixed != 5*time.Second {
			t.Errorf("crawl %+v, want the median 5s", got[o2sound.StageCrawl])
		}
		// Video: 2, 2 and 3 s per second of video.
		if got[o2sound.StageVideo].PerSecond != 2*time.Second {
			t.Errorf("video %+v, want 2s per video second", got[o2sound.StageVideo])
		}
		// A re-make's reused stages have no start: they are not timings.
		tk := &o2sound.Task{OwnerID: u.ID, URL: "https://example.com/", Options: o2sound.TaskOptions{Duration: 30},
			Stages: map[o2sound.Stage]*o2sound.TaskStage{o2sound.StageCrawl: {State: o2sound.StageDone, Output: []byte("{}")}}}
		if err := db.CreateTask(ctx, tk, "r.mp4", "r.jpg"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FinishTask(ctx, tk.ID, o2sound.TaskCompleted, "", "", ""); err != nil {
			t.Fatal(err)
		}
		if samples, err := db.RecentStageSamples(ctx, 1); err != nil || len(samples) != 0 {
			t.Fatalf("reused stages counted: %v %+v", err, samples)
		}
	})
}
