package o2sound

import "testing"

// TestStageTableIsAGraph checks what the engine relies on: every stage waits only for
// stages listed before it, the progress keys are the seed's six, and every row says
// where and how long it runs.
func TestStageTableIsAGraph(t *testing.T) {
	t.Parallel()
	seen := map[Stage]bool{}
	keys := map[string]bool{}
	var review, final int
	waitedFor := map[Stage]bool{}
	for _, spec := range StageTable {
		if seen[spec.Stage] {
			t.Errorf("stage %s declared twice", spec.Stage)
		}
		for _, d := range spec.After {
			if !seen[d] {
				t.Errorf("stage %s waits for %s, which is not declared before it", spec.Stage, d)
			}
			waitedFor[d] = true
		}
		seen[spec.Stage] = true
		if keys[spec.Key] || spec.Key == "" {
			t.Errorf("stage %s: progress key %q empty or taken", spec.Stage, spec.Key)
		}
		keys[spec.Key] = true
		if spec.Queue != QueueLight && spec.Queue != QueueHeavy {
			t.Errorf("stage %s: unknown queue %q", spec.Stage, spec.Queue)
		}
		if spec.Timeout <= 0 || spec.Weight <= 0 || spec.Typical.For(30) <= 0 {
			t.Errorf("stage %s: timeout %v, weight %v, typical %v must be positive", spec.Stage, spec.Timeout, spec.Weight, spec.Typical)
		}
		if spec.Review {
			review++
		}
	}
	for _, s := range Stages {
		if !waitedFor[s] {
			final++
		}
	}
	if final != 1 || !waitedFor[StageVideo] || waitedFor[StageMerge] {
		t.Errorf("want one final stage (merge), got %d", final)
	}
	for _, k := range []string{"metadata", "lyrics", "songs", "images", "movies", "combined"} {
		if !keys[k] {
			t.Errorf("the seed's progress key %q has no stage", k)
		}
	}
	if review == 0 || review == len(StageTable) {
		t.Errorf("%d review stages: a review must stop somewhere before the end", review)
	}
}
