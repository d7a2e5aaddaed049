package workflow

import (
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/o2sound/o2sound/internal/o2sound"
)

// Queues: light stages (network, text) and heavy ones (audio and video rendering)
// have their own concurrency, so a long render never holds up a crawl.
const (
	QueueLight = "light"
	QueueHeavy = "heavy"
)

// stageArgs is what every stage's job arguments provide.
type stageArgs interface {
	river.JobArgs
	taskID() string
	stage() o2sound.Stage
}

// Job kinds, one per stage. The arguments carry only the task id: everything else is
// in the task's rows and files, so a retried job sees the latest durable state.
type (
	CrawlArgs struct {
		TaskID string `json:"task_id" river:"unique"`
	}
	LyricsArgs struct {
		TaskID string `json:"task_id" river:"unique"`
	}
	ImagesArgs struct {
		TaskID string `json:"task_id" river:"unique"`
	}
	MusicArgs struct {
		TaskID string `json:"task_id" river:"unique"`
	}
	VideoArgs struct {
		TaskID string `json:"task_id" river:"unique"`
	}
	MergeArgs struct {
		TaskID string `json:"task_id" river:"unique"`
	}
)

func (CrawlArgs) Kind() string  { return "o2sound_crawl" }
func (LyricsArgs) Kind() string { return "o2sound_lyrics" }
func (ImagesArgs) Kind() string { return "o2sound_images" }
func (MusicArgs) Kind() string  { return "o2sound_music" }
func (VideoArgs) Kind() string  { return "o2sound_video" }
func (MergeArgs) Kind() string  { return "o2sound_merge" }

func (a CrawlArgs) taskID() string  { return a.TaskID }
func (a LyricsArgs) taskID() string { return a.TaskID }
func (a ImagesArgs) taskID() string { return a.TaskID }
func (a MusicArgs) taskID() string  { return a.TaskID }
func (a VideoArgs) taskID() string  { return a.TaskID }
func (a MergeArgs) taskID() string  { return a.TaskID }

func (CrawlArgs) stage() o2sound.Stage  { return o2sound.StageCrawl }
func (LyricsArgs) stage() o2sound.Stage { return o2sound.StageLyrics }
func (ImagesArgs) stage() o2sound.Stage { return o2sound.StageImages }
func (MusicArgs) stage() o2sound.Stage  { return o2sound.StageMusic }
func (VideoArgs) stage() o2sound.Stage  { return o2sound.StageVideo }
func (MergeArgs) stage() o2sound.Stage  { return o2sound.StageMerge }

// argsFor builds the job arguments of a stage.
func argsFor(s o2sound.Stage, taskID string) stageArgs {
	switch s {
	case o2sound.StageCrawl:
		return CrawlArgs{taskID}
	case o2sound.StageLyrics:
		return LyricsArgs{taskID}
	case o2sound.StageImages:
		return ImagesArgs{taskID}
	case o2sound.StageMusic:
		return MusicArgs{taskID}
	case o2sound.StageVideo:
		return VideoArgs{taskID}
	default:
		return MergeArgs{taskID}
	}
}

// queueOf says where a stage runs.
func queueOf(s o2sound.Stage) string {
	switch s {
	case o2sound.StageMusic, o2sound.StageVideo, o2sound.StageMerge:
		return QueueHeavy
	}
	return QueueLight
}

// insertOpts makes each (stage, task) job unique: whichever branch finishes last
// enqueues the merge, and a second attempt to enqueue it is a no-op.
func insertOpts(s o2sound.Stage) *river.InsertOpts {
	return &river.InsertOpts{
		Queue:       queueOf(s),
		MaxAttempts: 5,
		UniqueOpts:  river.UniqueOpts{ByArgs: true},
	}
}

// stageOfKind names the stage whose jobs are of kind.
func stageOfKind(kind string) (o2sound.Stage, bool) {
	for _, s := range o2sound.Stages {
		if argsFor(s, "").Kind() == kind {
			return s, true
		}
	}
	return "", false
}

// defaultRetryDelays back off 2 s, 10 s, 30 s, 60 s: quick enough that a transient
// network error costs little, slow enough not to hammer a site that is struggling.
var defaultRetryDelays = []time.Duration{2 * time.Second, 10 * time.Second, 30 * time.Second, 60 * time.Second}

// retryPolicy waits steps[n-1] after the n-th failed attempt (the last step after that).
type retryPolicy struct{ steps []time.Duration }

func (p retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	steps := p.steps
	if len(steps) == 0 {
		steps = defaultRetryDelays
	}
	i := len(job.Errors) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(steps) {
		i = len(steps) - 1
	}
	return time.Now().Add(steps[i])
}
