package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/o2sound/o2sound/internal/o2sound"
)

func TestWorkMustMatchTheStageTable(t *testing.T) {
	t.Parallel()
	noop := func(context.Context, *Run) (any, error) { return nil, nil }
	full := Work{}
	for _, s := range o2sound.Stages {
		full[s] = noop
	}
	missing := Work{}
	for s, f := range full {
		if s != o2sound.StageImages {
			missing[s] = f
		}
	}
	extra := Work{"polish": noop}
	for s, f := range full {
		extra[s] = f
	}
	tests := []struct {
		name string
		w    Work
		want string // "" when accepted
	}{
		{"every stage", full, ""},
		{"a stage without work", missing, "no work for stage images"},
		{"work for no stage", extra, `"polish", which is not a stage`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := checkWork(tt.w)
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("checkWork = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestJobKindsComeFromTheTable: one kind per stage, and a job's kind names its stage
// back (the worker and the reaper rely on it).
func TestJobKindsComeFromTheTable(t *testing.T) {
	t.Parallel()
	kinds := map[string]bool{}
	for _, spec := range o2sound.StageTable {
		k := StageArgs{TaskID: "x", Stage: spec.Stage}.Kind()
		if kinds[k] {
			t.Errorf("kind %s twice", k)
		}
		kinds[k] = true
		if s, ok := stageOfKind(k); !ok || s != spec.Stage {
			t.Errorf("stageOfKind(%s) = %s, %v", k, s, ok)
		}
		if q := insertOpts(spec.Stage).Queue; q != spec.Queue {
			t.Errorf("stage %s enqueued on %s, table says %s", spec.Stage, q, spec.Queue)
		}
	}
	if _, ok := stageOfKind("o2sound_polish"); ok {
		t.Error("a kind of no stage named a stage")
	}
	// Jobs queued by earlier versions carry the same kinds and {"task_id"} arguments.
	if got := (StageArgs{Stage: o2sound.StageCrawl}).Kind(); got != "o2sound_crawl" {
		t.Errorf("crawl kind %q", got)
	}
}
