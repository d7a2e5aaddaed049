package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/o2sound/o2sound/internal/o2sound"
)

// RecentStageSamples returns how long each stage took in the last tasks completed tasks
// on this installation, newest first, with the video length each task asked for. Only
// stages that ran are counted (a re-make's reused stages have no start). It reads
// timings across owners on purpose: they describe the machine, not anyone's data, and
// nothing of a task but its durations leaves this function.
func (q Queries) RecentStageSamples(ctx context.Context, tasks int) ([]o2sound.StageSample, error) {
	rs, err := q.q.query(ctx, `SELECT s.stage, s.started_at, s.finished_at, t.options
		FROM (SELECT id, options, finished_at FROM tasks WHERE state = $1 AND finished_at IS NOT NULL
			ORDER BY finished_at DESC LIMIT $2) AS t
		JOIN task_stages AS s ON s.task_id = t.id
		WHERE s.state = $3 AND s.started_at IS NOT NULL AND s.finished_at IS NOT NULL
		ORDER BY t.finished_at DESC`, o2sound.TaskCompleted, tasks, o2sound.StageDone)
	if err != nil {
		return nil, fmt.Errorf("store: stage samples: %w", err)
	}
	defer rs.Close()
	var out []o2sound.StageSample
	for rs.Next() {
		var stage, opts string
		var started, finished time.Time
		if err := rs.Scan(&stage, &started, &finished, &opts); err != nil {
			return nil, fmt.Errorf("store: stage samples: %w", err)
		}
		var o o2sound.TaskOptions
		if err := json.Unmarshal([]byte(opts), &o); err != nil {
			continue // an unreadable row says nothing about speed
		}
		out = append(out, o2sound.StageSample{Stage: o2sound.Stage(stage), Took: finished.Sub(started), VideoSeconds: o.Duration})
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("store: stage samples: %w", err)
	}
	return out, nil
}

// StageTimesCache keeps the typical stage times of recent tasks, read at most once per
// Every, so that progress polling (every task view asks) costs no query.
type StageTimesCache struct {
	Queries interface {
		RecentStageSamples(ctx context.Context, tasks int) ([]o2sound.StageSample, error)
	}
	Tasks int              // how many recent completed tasks count; 0 means 30
	Every time.Duration    // 0 means a minute
	Now   func() time.Time // nil means time.Now
	Error func(err error)  // told when a refresh fails (the last times are kept)

	mu    sync.Mutex
	at    time.Time
	times o2sound.StageTimes
}

// StageTimes returns the cached typical times, refreshing them when they are older than
// Every. Until the first successful read it answers the defaults.
func (c *StageTimesCache) StageTimes(ctx context.Context) o2sound.StageTimes {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	every, tasks := c.Every, c.Tasks
	if every <= 0 {
		every = time.Minute
	}
	if tasks <= 0 {
		tasks = 30
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if t := now(); c.times == nil || t.Sub(c.at) >= every {
		// Stamp the attempt before it runs: a failing database is asked once a minute too.
		c.at = t
		samples, err := c.Queries.RecentStageSamples(ctx, tasks)
		switch {
		case err != nil && c.Error != nil:
			c.Error(err)
		case err == nil:
			c.times = o2sound.MedianStageTimes(samples)
		}
		if c.times == nil {
			c.times = o2sound.DefaultStageTimes
		}
	}
	return c.times
}
