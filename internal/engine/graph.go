// Package engine runs tasks as River jobs, one job kind per row of
// o2sound.StageTable: each job records its stage's output, enqueues what comes next
// and completes itself in one transaction. The join (a stage that waits for two
// branches) is this package's code, in Engine.completeStage; River has no DAG
// feature. The engine also cancels tasks through River, hands the stages of dead
// workers on (reaper.go), and publishes live progress (hub.go). What each stage does
// is the pipeline's: a Work function per stage, given to New.
package engine

import (
	"fmt"
	"slices"

	"github.com/o2sound/o2sound/internal/o2sound"
)

// readyAfter returns the stages that become runnable once finished completes, given
// the stage states of the task (with finished already done).
func readyAfter(finished o2sound.Stage, stages map[o2sound.Stage]*o2sound.TaskStage) []o2sound.Stage {
	var ready []o2sound.Stage
	for _, s := range o2sound.Stages {
		if !slices.Contains(s.After(), finished) {
			continue
		}
		if st := stages[s]; st == nil || st.State != o2sound.StagePending {
			continue // already queued, running or done
		}
		if depsDone(s, stages) {
			ready = append(ready, s)
		}
	}
	return ready
}

// depsDone reports whether every stage s waits for is done.
func depsDone(s o2sound.Stage, stages map[o2sound.Stage]*o2sound.TaskStage) bool {
	for _, d := range s.After() {
		if st := stages[d]; st == nil || st.State != o2sound.StageDone {
			return false
		}
	}
	return true
}

// reviewDone reports whether every review stage is done.
func reviewDone(stages map[o2sound.Stage]*o2sound.TaskStage) bool {
	for _, s := range o2sound.ReviewStages {
		if st := stages[s]; st == nil || st.State != o2sound.StageDone {
			return false
		}
	}
	return true
}

// ReviewDone reports whether t has finished what it runs before a review: a draft can
// be made from it.
func ReviewDone(t *o2sound.Task) bool { return reviewDone(t.Stages) }

// checkWork refuses a pipeline that does not give every stage of the table exactly
// its work.
func checkWork(w Work) error {
	for _, s := range o2sound.Stages {
		if w[s] == nil {
			return fmt.Errorf("engine: the pipeline has no work for stage %s", s)
		}
	}
	for s := range w {
		if !s.Known() {
			return fmt.Errorf("engine: the pipeline has work for %q, which is not a stage", s)
		}
	}
	return nil
}
