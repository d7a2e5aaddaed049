package o2sound

import (
	"math"
	"slices"
	"time"
)

// StageCost is what a stage typically takes: a fixed part plus a part per second of the
// video (the song, the slideshow and the merge grow with the length; the crawl does not).
type StageCost struct {
	Fixed     time.Duration
	PerSecond time.Duration // per second of video
}

// For is the stage's typical time for a video of the given length in seconds.
func (c StageCost) For(videoSeconds float64) time.Duration {
	return c.Fixed + time.Duration(float64(c.PerSecond)*math.Max(0, videoSeconds))
}

// StageTimes is what each stage typically takes on this installation.
type StageTimes map[Stage]StageCost

// StageSample is one finished run of a stage: how long it took, for how long a video.
type StageSample struct {
	Stage        Stage
	Took         time.Duration
	VideoSeconds float64
}

// MinStageSamples is how many finished runs a stage needs before its median replaces the
// default; one or two runs may be a cold cache or a first download of the soundfont.
const MinStageSamples = 3

// MedianStageTimes turns finished runs (newest first, as many as should count) into
// typical times: the median per stage — per second of video for the stages that grow
// with it — so one slow task (a retry, a busy machine) does not move the estimate.
func MedianStageTimes(samples []StageSample) StageTimes {
	by := map[Stage][]float64{}
	for _, s := range samples {
		if s.Took <= 0 {
			continue
		}
		v := s.Took.Seconds()
		if scalesWithVideo(s.Stage) {
			if s.VideoSeconds <= 0 {
				continue
			}
			v /= s.VideoSeconds
		}
		by[s.Stage] = append(by[s.Stage], v)
	}
	out := StageTimes{}
	for _, st := range Stages {
		vals := by[st]
		if len(vals) < MinStageSamples {
			out[st] = DefaultStageTimes[st]
			continue
		}
		m := time.Duration(median(vals) * float64(time.Second))
		if scalesWithVideo(st) {
			out[st] = StageCost{PerSecond: m}
		} else {
			out[st] = StageCost{Fixed: m}
		}
	}
	return out
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Progress is what a client sees of a task.
type Progress struct {
	Flags   map[string]bool // the seed's six booleans, keyed by ProgressKey
	Percent float64         // 0–100 across all stages
	Current []Stage         // stages running now
	ETA     time.Duration   // estimated time left; 0 when unknown or done
}

// ProgressOf summarises t at time now, estimating the time left from DefaultStageTimes.
func ProgressOf(t *Task, now time.Time) Progress { return EstimateProgress(t, now, nil) }

// EstimateProgress summarises t at time now, estimating the time left from typical
// (nil: DefaultStageTimes; a missing stage takes its default).
func EstimateProgress(t *Task, now time.Time, typical StageTimes) Progress {
	p := Progress{Flags: map[string]bool{}}
	var total, done float64
	for _, s := range Stages {
		w := s.Spec().Weight
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
	if (t.State == TaskRunning || t.State == TaskQueued) && p.Percent < 100 {
		p.ETA = timeLeft(t, now, typical).Round(time.Second)
	}
	return p
}

// timeLeft is the longest path through the stages still to finish: a running stage
// contributes what is left of it, a stage not started its typical time after the
// stages it waits for.
func timeLeft(t *Task, now time.Time, typical StageTimes) time.Duration {
	stages := Stages
	if t.Options.Review {
		// Started for review: it stops after the review stages, unless the owner has
		// already sent it on (then the review stages are all done).
		for _, s := range ReviewStages {
			if st := t.Stages[s]; st == nil || st.State != StageDone {
				stages = ReviewStages
				break
			}
		}
	}
	finish := map[Stage]time.Duration{}
	var longest time.Duration
	for _, s := range stages { // Stages lists every stage after the ones it waits for
		var after time.Duration
		for _, d := range s.After() {
			after = max(after, finish[d])
		}
		finish[s] = after + stageLeft(t.Stages[s], s, t.Options.Duration, now, typical)
		longest = max(longest, finish[s])
	}
	return longest
}

// stageLeft is what is left of one stage. A running stage's share left is taken from
// its typical time, corrected by its own pace as its percent grows: at 10 % the pace
// says little, at 80 % it says most.
func stageLeft(st *TaskStage, s Stage, videoSeconds float64, now time.Time, typical StageTimes) time.Duration {
	cost, ok := typical[s]
	if !ok {
		cost = DefaultStageTimes[s]
	}
	typ := cost.For(videoSeconds)
	if st == nil {
		return typ
	}
	switch st.State {
	case StageDone, StageFailed, StageCancelled:
		return 0
	case StageRunning:
		f := math.Min(math.Max(st.Percent, 0), 100) / 100
		whole := float64(typ)
		if st.StartedAt != nil && f > 0 {
			elapsed := float64(now.Sub(*st.StartedAt))
			whole = (1-f)*whole + f*(elapsed/f)
		}
		return time.Duration((1 - f) * whole)
	}
	return typ
}
