package o2sound

import "time"

// Queues: light stages (network, text) and heavy ones (audio and video rendering)
// have their own concurrency, so a long render never holds up a crawl.
const (
	QueueLight = "light"
	QueueHeavy = "heavy"
)

// StageSpec is everything about a stage but its work: what it waits for, where and
// how long it may run, how clients see it, and what it typically costs. The engine
// builds the job graph, the River job kinds, workers, queues and deadlines from it;
// progress and time-left estimates read it; the pipeline supplies one function per
// row (the engine refuses to start when the two disagree). The functions live with
// the pipeline because they need the crawler, the composer and ffmpeg, which the
// domain must not import.
type StageSpec struct {
	Stage   Stage
	After   []Stage       // the stages it waits for; its job is enqueued when all are done
	Key     string        // the seed's progress field
	Queue   string        // QueueLight or QueueHeavy
	Timeout time.Duration // River cancels an attempt's work after this
	// Weight is the stage's rough share of a task's wall time, measured on the
	// example site; it turns per-stage percents into one percent.
	Weight float64
	// Typical is its time before an installation has history (a 30 s video at full
	// size on two cores); a stage with a PerSecond part grows with the video's length.
	Typical StageCost
	// Review: it runs before a task started for review stops for its owner.
	Review bool
}

// StageTable declares every stage once, each after the stages it waits for:
//
//	crawl ─┬─ lyrics ─┬─ music ──────┐
//	       │          └───────┐      ├─ merge → stored MP4
//	       └─ images ─────── video ──┘
//
// The video waits for the lyrics stage as well as the images because the lyrics stage
// also decides the song plan (tempo, bars), which the slideshow is cut on; the music
// renders in parallel with the video.
var StageTable = []StageSpec{
	{Stage: StageCrawl, Key: "metadata", Queue: QueueLight, Timeout: 2 * time.Minute, Weight: 10,
		Typical: StageCost{Fixed: 8 * time.Second}, Review: true},
	{Stage: StageLyrics, After: []Stage{StageCrawl}, Key: "lyrics", Queue: QueueLight, Timeout: 2 * time.Minute, Weight: 3,
		Typical: StageCost{Fixed: 2 * time.Second}, Review: true},
	{Stage: StageImages, After: []Stage{StageCrawl}, Key: "images", Queue: QueueLight, Timeout: 3 * time.Minute, Weight: 12,
		Typical: StageCost{Fixed: 8 * time.Second}, Review: true},
	{Stage: StageMusic, After: []Stage{StageLyrics}, Key: "songs", Queue: QueueHeavy, Timeout: 5 * time.Minute, Weight: 15,
		Typical: StageCost{Fixed: 2 * time.Second, PerSecond: 400 * time.Millisecond}},
	{Stage: StageVideo, After: []Stage{StageLyrics, StageImages}, Key: "movies", Queue: QueueHeavy, Timeout: 10 * time.Minute, Weight: 45,
		Typical: StageCost{Fixed: 2 * time.Second, PerSecond: 1500 * time.Millisecond}},
	{Stage: StageMerge, After: []Stage{StageMusic, StageVideo}, Key: "combined", Queue: QueueHeavy, Timeout: 5 * time.Minute, Weight: 15,
		Typical: StageCost{Fixed: 1 * time.Second, PerSecond: 150 * time.Millisecond}},
}

// Stages lists every stage in the table's order: each after the ones it waits for.
var Stages = func() []Stage {
	s := make([]Stage, len(StageTable))
	for i, spec := range StageTable {
		s[i] = spec.Stage
	}
	return s
}()

var specOf = func() map[Stage]*StageSpec {
	m := make(map[Stage]*StageSpec, len(StageTable))
	for i := range StageTable {
		m[StageTable[i].Stage] = &StageTable[i]
	}
	return m
}()

// Spec is the stage's row of StageTable; the zero StageSpec for a name not in it.
func (s Stage) Spec() StageSpec {
	if p := specOf[s]; p != nil {
		return *p
	}
	return StageSpec{}
}

// Known reports whether s is a stage of StageTable.
func (s Stage) Known() bool { return specOf[s] != nil }

// ProgressKey is the seed's progress field for a stage.
func (s Stage) ProgressKey() string { return s.Spec().Key }

// After lists the stages s waits for.
func (s Stage) After() []Stage { return s.Spec().After }

// ReviewStages are what a task started for review runs before it waits for its owner.
var ReviewStages = func() []Stage {
	var r []Stage
	for _, spec := range StageTable {
		if spec.Review {
			r = append(r, spec.Stage)
		}
	}
	return r
}()

// DefaultStageTimes are used before an installation has history (fewer than
// MinStageSamples finished runs of a stage).
var DefaultStageTimes = func() StageTimes {
	t := StageTimes{}
	for _, spec := range StageTable {
		t[spec.Stage] = spec.Typical
	}
	return t
}()

// scalesWithVideo reports whether a stage's time grows with the video's length.
func scalesWithVideo(s Stage) bool { return s.Spec().Typical.PerSecond > 0 }
