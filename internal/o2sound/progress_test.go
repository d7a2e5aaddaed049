package o2sound

import (
	"testing"
	"time"
)

func TestProgressOf(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	task := &Task{State: TaskRunning, StartedAt: &start, Stages: map[Stage]*TaskStage{}}
	for _, s := range Stages {
		task.Stages[s] = &TaskStage{Stage: s, State: StagePending}
	}
	p := ProgressOf(task, start)
	if p.Percent != 0 || len(p.Flags) != 6 || p.Flags["metadata"] || p.ETA != 0 {
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
	if p.ETA != 24*time.Second {
		t.Fatalf("eta %v", p.ETA)
	}
	task.State = TaskCompleted
	if p := ProgressOf(task, start); p.Percent != 100 || p.ETA != 0 {
		t.Fatalf("completed: %+v", p)
	}
}
