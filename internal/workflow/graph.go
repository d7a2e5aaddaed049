// Package workflow runs the video-making pipeline as River jobs: one job kind per
// stage, each recording its output, enqueueing what comes next and completing itself
// in one transaction. The join (a stage that waits for two branches) is this
// package's code, in Engine.completeStage; River has no DAG feature.
//
//	crawl ─┬─ lyrics ─┬─ music ──────┐
//	       │          └───────┐      ├─ merge → stored MP4
//	       └─ images ─────── video ──┘
//
// The video waits for the lyrics stage as well as the images because the lyrics stage
// also decides the song plan (tempo, bars), which the slideshow is cut on; the music
// renders in parallel with the video.
package workflow

import "github.com/o2sound/o2sound/internal/o2sound"

// dependsOn lists the stages each stage waits for. The graph lives with the domain types
// because progress estimates walk it too.
var dependsOn = o2sound.DependsOn

// readyAfter returns the stages that become runnable once finished completes, given
// the stage states of the task (with finished already done).
func readyAfter(finished o2sound.Stage, stages map[o2sound.Stage]*o2sound.TaskStage) []o2sound.Stage {
	var ready []o2sound.Stage
	for _, s := range o2sound.Stages {
		deps := dependsOn[s]
		if !contains(deps, finished) {
			continue
		}
		if st := stages[s]; st == nil || st.State != o2sound.StagePending {
			continue // already queued, running or done
		}
		all := true
		for _, d := range deps {
			if d != finished && (stages[d] == nil || stages[d].State != o2sound.StageDone) {
				all = false
			}
		}
		if all {
			ready = append(ready, s)
		}
	}
	return ready
}

func contains(list []o2sound.Stage, s o2sound.Stage) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// reviewStages are what a task started for review runs before it waits for the owner.
var reviewStages = map[o2sound.Stage]bool{o2sound.StageCrawl: true, o2sound.StageLyrics: true, o2sound.StageImages: true}

// reviewDone reports whether every review stage is done.
func reviewDone(stages map[o2sound.Stage]*o2sound.TaskStage) bool {
	for s := range reviewStages {
		if st := stages[s]; st == nil || st.State != o2sound.StageDone {
			return false
		}
	}
	return true
}
