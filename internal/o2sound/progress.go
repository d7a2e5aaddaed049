package o2sound

import (
	"math"
	"time"
)

// stageWeight is each stage's rough share of a task's wall time, measured on the
// example site; it turns per-stage percents into one percent and an ETA.
var stageWeight = map[Stage]float64{
	StageCrawl: 10, StageLyrics: 3, StageImages: 12, StageMusic: 15, StageVideo: 45, StageMerge: 15,
}

// Progress is what a client sees of a task.
type Progress struct {
	Flags   map[string]bool // the seed's six booleans, keyed by ProgressKey
	Percent float64         // 0–100 across all stages
	Current []Stage         // stages running now
	ETA     time.Duration   // estimated time left; 0 when unknown or done
}

// ProgressOf summarises t at time now.
func ProgressOf(t *Task, now time.Time) Progress {
	p := Progress{Flags: map[string]bool{}}
	var total, done float64
	for _, s := range Stages {
		w := stageWeight[s]
		total += w
		st := t.Stages[s]
		if st == nil {
			p.Flags[s.ProgressKey()] = false
			continue
		}
		p.Flags[s.ProgressKey()] = st.State == StageDone
		switch st.State {
		case StageDone:
			done += w
		case StageRunning:
			done += w * math.Min(math.Max(st.Percent, 0), 100) / 100
			p.Current = append(p.Current, s)
		}
	}
	p.Percent = math.Round(1000*done/total) / 10
	if t.State == TaskCompleted {
		p.Percent = 100
	}
	if t.State == TaskRunning && t.StartedAt != nil && p.Percent >= 5 && p.Percent < 100 {
		elapsed := now.Sub(*t.StartedAt)
		p.ETA = time.Duration(float64(elapsed) * (100 - p.Percent) / p.Percent).Round(time.Second)
	}
	return p
}
