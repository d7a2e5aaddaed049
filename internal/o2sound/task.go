package o2sound

import (
	"encoding/json"
	"time"
)

// Stage is one step of the video-making workflow.
type Stage string

const (
	StageCrawl  Stage = "crawl"  // the site's metadata → the business item
	StageLyrics Stage = "lyrics" // lyrics and the song plan
	StageImages Stage = "images" // keep the photos a video can use, in the order to show them; make them the owner's
	StageMusic  Stage = "music"  // render the song
	StageVideo  Stage = "video"  // the slideshow cut on the plan's bars
	StageMerge  Stage = "merge"  // song + slideshow → the stored MP4
)

// The stages are declared, each once, in StageTable (stages.go).

// Task states.
const (
	TaskQueued  = "queued"
	TaskRunning = "running"
	// TaskReview: a task started for review finished its crawl, lyrics and photos and
	// waits for the owner, who continues it with a re-make. Nothing runs meanwhile.
	TaskReview    = "review"
	TaskCompleted = "completed"
	TaskFailed    = "failed"
	TaskCancelled = "cancelled"
)

// Stage states.
const (
	StagePending   = "pending" // waiting for the stages it depends on
	StageQueued    = "queued"  // its job is in the queue
	StageRunning   = "running"
	StageDone      = "done"
	StageFailed    = "failed"
	StageCancelled = "cancelled"
)

// TaskOptions are the owner's choices for a video.
type TaskOptions struct {
	Aspect   string  `json:"aspect"`   // "16:9", "9:16" or "1:1"
	Duration float64 `json:"duration"` // target song length in seconds
	// Review stops the task after crawl, lyrics and images, in state TaskReview.
	Review bool `json:"review,omitempty"`
}

// Task is one request to make a video from a URL.
type Task struct {
	ID                string
	OwnerID           string
	ItemID            string
	URL               string
	State             string
	Options           TaskOptions
	VideoID           string // chosen up front so a retried merge stores exactly one video
	VideoFilename     string
	ThumbnailFilename string
	CancelRequested   bool
	SourceTaskID      string  // the task this one re-makes; empty for a task from a URL
	Reused            []Stage // stages whose outputs came from the source task (they did not run)
	Remade            bool    // a newer task re-makes this one
	ErrorStage        string
	ErrorCode         string
	ErrorMessage      string
	CreatedAt         time.Time
	UpdatedAt         time.Time
	StartedAt         *time.Time
	FinishedAt        *time.Time
	Stages            map[Stage]*TaskStage
}

// Ended reports whether the task reached a final state.
func (t *Task) Ended() bool {
	return t.State == TaskCompleted || t.State == TaskFailed || t.State == TaskCancelled
}

// Settled reports whether nothing more happens to the task without the owner: it
// ended, or it waits for review.
func (t *Task) Settled() bool { return t.Ended() || t.State == TaskReview }

// ParseStage names a stage; ok is false for anything else.
func ParseStage(s string) (Stage, bool) {
	for _, st := range Stages {
		if string(st) == s {
			return st, true
		}
	}
	return "", false
}

// TaskStage is the state of one stage of a task. Output is the stage's durable result
// (paths inside the task directory, small facts) as JSON.
type TaskStage struct {
	Stage      Stage
	State      string
	Percent    float64
	Output     json.RawMessage
	Attempts   int
	StartedAt  *time.Time
	FinishedAt *time.Time
	// Note tells the owner how a finished stage went when it matters, such as a
	// fallback taken ("built-in writer (LLM timed out)").
	Note string
}
