package store

import (
	"context"
	"fmt"

	"github.com/o2sound/o2sound/internal/o2sound"
)

// TaskCounts counts every task by state (each state present, zero or not), for the
// operator's metrics.
func (q Queries) TaskCounts(ctx context.Context) (map[string]int, error) {
	counts := map[string]int{}
	for _, s := range []string{o2sound.TaskQueued, o2sound.TaskRunning, o2sound.TaskReview, o2sound.TaskCompleted,
		o2sound.TaskFailed, o2sound.TaskCancelled} {
		counts[s] = 0
	}
	rs, err := q.q.query(ctx, `SELECT state, count(*) FROM tasks GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("store: task counts: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var state string
		var n int
		if err := rs.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("store: task counts: %w", err)
		}
		counts[state] = n
	}
	return counts, rs.Err()
}
