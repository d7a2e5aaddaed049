package o2sound

import (
	"testing"
	"time"
)

func newTask(start time.Time, duration float64) *Task {
	task := &Task{State: TaskRunning, StartedAt: &start, Options: TaskOptions{Duration: duration}, Stages: map[Stage]*TaskStage{}}
	for _, s := range Stages {
		task.Stages[s] = &TaskStage{Stage: s, State: StagePending}
	}
	return task
}

func TestProgressOf(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	task := newTask(start, 30)
	p := ProgressOf(task, start)
	if p.Percent != 0 || len(p.Flags) != 6 || p.Flags["metadata"] {
		t.Fatalf("fresh task: %+v", p)
	}
	for _, s := range []Stage{StageCrawl, StageLyrics, StageImages, StageMusic} {
		task.Stages[s].State = StageDone
	}
	task.Stages[StageVideo].State = StageRunning
	task.Stages[StageVideo].Percent = 50
	p = ProgressOf(task, start.Add(40*time.Second))
	if !p.Flags["metadata"] || !p.Flags["songs"] || p.Flags["movies"] || p.Flags["combined"] {
		t.Fatalf("flags %v", p.Flags)
	}
	if p.Percent != 62.5 || len(p.Current) != 1 || p.Current[0] != StageVideo {
		t.Fatalf("percent %v current %v", p.Percent, p.Current)
	}
	task.State = TaskCompleted
	if p := ProgressOf(task, start); p.Percent != 100 || p.ETA != 0 {
		t.Fatalf("completed: %+v", p)
	}
}

// TestEstimateProgress: the time left is the longest path through the stages still to
// run, from what each stage typically takes, and a running stage's own pace counts more
// as it advances. (The old estimate, elapsed × (100−p)/p, said "almost done" at 26 %
// because the quick first stages made the whole task look fast.)
func TestEstimateProgress(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	typical := StageTimes{
		StageCrawl:  {Fixed: 10 * time.Second},
		StageLyrics: {Fixed: 4 * time.Second},
		StageImages: {Fixed: 6 * time.Second},
		StageMusic:  {PerSecond: 1 * time.Second},        // 30 s for a 30 s video
		StageVideo:  {PerSecond: 2 * time.Second},        // 60 s
		StageMerge:  {PerSecond: 200 * time.Millisecond}, // 6 s
	}
	type stage struct {
		state   string
		percent float64
		ran     time.Duration // how long it has been running
	}
	tests := []struct {
		name     string
		duration float64
		review   bool
		stages   map[Stage]stage
		want     time.Duration
	}{
		// crawl 10 → max(lyrics 4, images 6) → max(music 30, video 60) → merge 6. Video
		// waits for both lyrics and images: 10 + 6 + 60 + 6.
		{"not started", 30, false, nil, 82 * time.Second},
		{"twice as long", 60, false, nil, 10*time.Second + 6*time.Second + 120*time.Second + 12*time.Second},
		{"review stops after images", 30, true, nil, 16 * time.Second},
		{"crawl on pace", 30, false, map[Stage]stage{StageCrawl: {StageRunning, 50, 5 * time.Second}}, 77 * time.Second},
		// At 26 % the quick stages are done and the slow ones have barely begun: far from
		// "almost done".
		{"at 26 percent", 30, false, map[Stage]stage{
			StageCrawl: {state: StageDone}, StageLyrics: {state: StageDone}, StageImages: {state: StageDone},
			StageMusic: {StageRunning, 10, 3 * time.Second}, StageVideo: {StageRunning, 5, 3 * time.Second},
		}, 57*time.Second + 6*time.Second},
		// The music is done, the video runs on: the music's time no longer counts.
		{"music done, video half", 30, false, map[Stage]stage{
			StageCrawl: {state: StageDone}, StageLyrics: {state: StageDone}, StageImages: {state: StageDone},
			StageMusic: {state: StageDone}, StageVideo: {StageRunning, 50, 30 * time.Second},
		}, 36 * time.Second},
		// The video runs at half speed: at 80 % its own pace dominates.
		{"slow video at 80 percent", 30, false, map[Stage]stage{
			StageCrawl: {state: StageDone}, StageLyrics: {state: StageDone}, StageImages: {state: StageDone},
			StageMusic: {state: StageDone}, StageVideo: {StageRunning, 80, 96 * time.Second},
		}, 27600 * time.Millisecond}, // (0.2·60 + 96)·0.2 = 21.6 s of video, then the merge's 6
		{"merging", 30, false, map[Stage]stage{
			StageCrawl: {state: StageDone}, StageLyrics: {state: StageDone}, StageImages: {state: StageDone},
			StageMusic: {state: StageDone}, StageVideo: {state: StageDone}, StageMerge: {StageRunning, 50, 3 * time.Second},
		}, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			now := start.Add(time.Minute)
			task := newTask(start, tt.duration)
			task.Options.Review = tt.review
			for s, st := range tt.stages {
				began := now.Add(-st.ran)
				task.Stages[s].State, task.Stages[s].Percent, task.Stages[s].StartedAt = st.state, st.percent, &began
			}
			got := EstimateProgress(task, now, typical).ETA
			if d := got - tt.want; d < -time.Second || d > time.Second { // ETA is rounded to seconds
				t.Errorf("ETA %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMedianStageTimes(t *testing.T) {
	t.Parallel()
	var samples []StageSample
	// Five crawls, one of them a pathological retry: the median ignores it.
	for _, s := range []time.Duration{4, 5, 6, 300, 5} {
		samples = append(samples, StageSample{Stage: StageCrawl, Took: s * time.Second})
	}
	// Videos of different lengths: the per-second median is 2 s per video second.
	samples = append(samples,
		StageSample{Stage: StageVideo, Took: 30 * time.Second, VideoSeconds: 15},
		StageSample{Stage: StageVideo, Took: 120 * time.Second, VideoSeconds: 60},
		StageSample{Stage: StageVideo, Took: 100 * time.Second, VideoSeconds: 30},
		StageSample{Stage: StageVideo, Took: 40 * time.Second, VideoSeconds: 20},
	)
	// Two merges are not enough history: the default stays.
	samples = append(samples, StageSample{Stage: StageMerge, Took: time.Hour, VideoSeconds: 30},
		StageSample{Stage: StageMerge, Took: time.Hour, VideoSeconds: 30})
	got := MedianStageTimes(samples)
	if got[StageCrawl] != (StageCost{Fixed: 5 * time.Second}) {
		t.Errorf("crawl %+v", got[StageCrawl])
	}
	if c := got[StageVideo]; c.PerSecond != 2*time.Second || c.For(45) != 90*time.Second {
		t.Errorf("video %+v", c)
	}
	if got[StageMerge] != DefaultStageTimes[StageMerge] || got[StageLyrics] != DefaultStageTimes[StageLyrics] {
		t.Errorf("merge %+v lyrics %+v, want the defaults", got[StageMerge], got[StageLyrics])
	}
}
