package engine

import (
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/o2sound/o2sound/internal/o2sound"
)

// StageArgs are the arguments of every stage's job. Each stage of o2sound.StageTable
// has its own job kind ("o2sound_" + the stage), so River UI and metrics tell them
// apart; the arguments carry only the task id: everything else is in the task's rows
// and files, so a retried job sees the latest durable state. The stage itself is not
// encoded: a worker takes it from its job's kind.
type StageArgs struct {
	TaskID string        `json:"task_id" river:"unique"`
	Stage  o2sound.Stage `json:"-"`
}

// Kind is the stage's job kind.
func (a StageArgs) Kind() string { return kindOf(a.Stage) }

func kindOf(s o2sound.Stage) string { return "o2sound_" + string(s) }

// stageOfKind names the stage whose jobs are of kind.
func stageOfKind(kind string) (o2sound.Stage, bool) {
	for _, s := range o2sound.Stages {
		if kindOf(s) == kind {
			return s, true
		}
	}
	return "", false
}

// addWorkers registers one worker per row of the stage table, each for its stage's
// kind. River names a worker's kind by its argument type's Kind method; one type for
// every stage needs the registration form that takes an argument value
// (AddWorkerArgs), as the kind depends on the stage.
func addWorkers(workers *river.Workers, e *Engine) {
	for _, spec := range o2sound.StageTable {
		river.AddWorkerArgs(workers, StageArgs{Stage: spec.Stage}, &stageWorker{e: e, stage: spec.Stage})
	}
}

// insertOpts makes each (stage, task) job unique: whichever branch finishes last
// enqueues the merge, and a second attempt to enqueue it is a no-op.
func insertOpts(s o2sound.Stage) *river.InsertOpts {
	return &river.InsertOpts{
		Queue:       s.Spec().Queue,
		MaxAttempts: 5,
		UniqueOpts:  river.UniqueOpts{ByArgs: true},
	}
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
