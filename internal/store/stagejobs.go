package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/o2sound/o2sound/internal/o2sound"
)

// StageLease names one attempt at a stage: the River job that owns the stage and the
// stage's attempt count when that attempt started. Every start counts an attempt, so
// a lease is held by at most one attempt; a stage handed to another job, or started
// again, is no longer held by the older lease. The engine writes a stage's results
// only while its lease holds, checked in the writing transaction.
type StageLease struct {
	JobID   int64
	Attempt int
}

// stageFinal lists the stage states a stage never leaves.
var stageFinal = fmt.Sprintf(`('%s', '%s', '%s')`, o2sound.StageDone, o2sound.StageFailed, o2sound.StageCancelled)

// AssignStageJob records jobID as the River job that runs the stage. A stage handed
// to a new job (its worker died) no longer answers to the old one.
func (q Queries) AssignStageJob(ctx context.Context, taskID string, s o2sound.Stage, jobID int64) error {
	if _, err := q.q.exec(ctx, `UPDATE task_stages SET job_id = $3 WHERE task_id = $1 AND stage = $2`, taskID, string(s), jobID); err != nil {
		return fmt.Errorf("store: assign stage job: %w", err)
	}
	return nil
}

// StartStage moves the stage to running for job jobID and counts the attempt,
// returning its lease. ok is false when the stage is not jobID's (it was handed to
// another job) or has finished: then nothing changed. A stage with no job recorded
// (queued before jobs were) becomes jobID's.
func (q Queries) StartStage(ctx context.Context, taskID string, s o2sound.Stage, jobID int64) (lease StageLease, ok bool, err error) {
	now := q.now()
	err = q.q.queryRow(ctx, `UPDATE task_stages SET state = $4, percent = 0, attempts = attempts + 1,
			started_at = coalesce(started_at, $5), finished_at = NULL, job_id = $3, note = ''
		WHERE task_id = $1 AND stage = $2 AND (job_id IS NULL OR job_id = $3) AND state NOT IN `+stageFinal+`
		RETURNING attempts`, taskID, string(s), jobID, o2sound.StageRunning, now).Scan(&lease.Attempt)
	if errors.Is(err, ErrNotFound) {
		return StageLease{}, false, nil
	}
	if err != nil {
		return StageLease{}, false, fmt.Errorf("store: start stage %s: %w", s, err)
	}
	if _, err := q.q.exec(ctx, `UPDATE tasks SET updated_at = $2 WHERE id = $1`, taskID, now); err != nil {
		return StageLease{}, false, fmt.Errorf("store: start stage %s: %w", s, err)
	}
	lease.JobID = jobID
	return lease, true, nil
}

// HoldsStage reports whether lease is still the running attempt of the stage. Inside
// the transaction that writes the attempt's results, after the task row is locked
// (TaskForWork with lock), the answer holds until commit: whatever hands the stage on
// takes the same lock.
func (q Queries) HoldsStage(ctx context.Context, taskID string, s o2sound.Stage, lease StageLease) (bool, error) {
	var n int
	err := q.q.queryRow(ctx, `SELECT count(*) FROM task_stages WHERE task_id = $1 AND stage = $2 AND job_id = $3 AND attempts = $4 AND state = $5`,
		taskID, string(s), lease.JobID, lease.Attempt, o2sound.StageRunning).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: stage lease: %w", err)
	}
	return n > 0, nil
}

// StageJobs returns the River jobs of the task's stages that have not finished: the
// ones a cancel must stop.
func (q Queries) StageJobs(ctx context.Context, taskID string) (map[o2sound.Stage]int64, error) {
	if !validID(taskID) {
		return nil, fmt.Errorf("store: stage jobs: %w", ErrNotFound)
	}
	rs, err := q.q.query(ctx, `SELECT stage, job_id FROM task_stages WHERE task_id = $1 AND job_id IS NOT NULL AND state NOT IN `+stageFinal, taskID)
	if err != nil {
		return nil, fmt.Errorf("store: stage jobs: %w", err)
	}
	defer rs.Close()
	jobs := map[o2sound.Stage]int64{}
	for rs.Next() {
		var s string
		var id int64
		if err := rs.Scan(&s, &id); err != nil {
			return nil, fmt.Errorf("store: stage jobs: %w", err)
		}
		jobs[o2sound.Stage(s)] = id
	}
	return jobs, rs.Err()
}

// StagePercent records progress of the stage's running attempt; a superseded
// attempt's progress is dropped.
func (q Queries) StagePercent(ctx context.Context, taskID string, s o2sound.Stage, lease StageLease, percent float64) error {
	if _, err := q.q.exec(ctx, `UPDATE task_stages SET percent = $3 WHERE task_id = $1 AND stage = $2 AND state = $4 AND job_id = $5 AND attempts = $6`,
		taskID, string(s), percent, o2sound.StageRunning, lease.JobID, lease.Attempt); err != nil {
		return fmt.Errorf("store: stage percent: %w", err)
	}
	return nil
}

// Heartbeat records that the job jobID of task taskID is alive.
func (q Queries) Heartbeat(ctx context.Context, jobID int64, taskID string) error {
	_, err := q.q.exec(ctx, `INSERT INTO job_heartbeats (job_id, task_id, beat_at) VALUES ($1, $2, $3)
		ON CONFLICT (job_id) DO UPDATE SET beat_at = excluded.beat_at`, jobID, taskID, q.now())
	if err != nil {
		return fmt.Errorf("store: heartbeat: %w", err)
	}
	return nil
}

// EndHeartbeat forgets a job's heartbeat when it stops running.
func (q Queries) EndHeartbeat(ctx context.Context, jobID int64) error {
	if _, err := q.q.exec(ctx, `DELETE FROM job_heartbeats WHERE job_id = $1`, jobID); err != nil {
		return fmt.Errorf("store: end heartbeat: %w", err)
	}
	return nil
}

// Orphan is a running job whose worker stopped beating.
type Orphan struct {
	JobID  int64
	TaskID string
}

// StaleHeartbeats lists the jobs whose last heartbeat came before staleBefore: their
// worker process died (kill -9, a crash, a lost machine) or stalled.
func (q Queries) StaleHeartbeats(ctx context.Context, staleBefore time.Time) ([]Orphan, error) {
	rs, err := q.q.query(ctx, `SELECT job_id, task_id FROM job_heartbeats WHERE beat_at < $1 ORDER BY job_id`, staleBefore.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: stale heartbeats: %w", err)
	}
	defer rs.Close()
	var found []Orphan
	for rs.Next() {
		var o Orphan
		if err := rs.Scan(&o.JobID, &o.TaskID); err != nil {
			return nil, fmt.Errorf("store: stale heartbeats: %w", err)
		}
		found = append(found, o)
	}
	return found, rs.Err()
}

// ClaimHeartbeat deletes the job's heartbeat if it is still older than staleBefore,
// reporting whether it did: of several reapers only the one whose delete removed the
// row hands the job on, and a job beating afresh is left alone.
func (q Queries) ClaimHeartbeat(ctx context.Context, jobID int64, staleBefore time.Time) (bool, error) {
	n, err := q.q.exec(ctx, `DELETE FROM job_heartbeats WHERE job_id = $1 AND beat_at < $2`, jobID, staleBefore.UTC())
	if err != nil {
		return false, fmt.Errorf("store: claim job %d: %w", jobID, err)
	}
	return n > 0, nil
}

// StageJob returns the River job recorded as running the stage (0 if none).
func (q Queries) StageJob(ctx context.Context, taskID string, s o2sound.Stage) (int64, error) {
	var id *int64
	if err := q.q.queryRow(ctx, `SELECT job_id FROM task_stages WHERE task_id = $1 AND stage = $2`, taskID, string(s)).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: stage job: %w", err)
	}
	if id == nil {
		return 0, nil
	}
	return *id, nil
}

// SetStageNote records what the owner should know about how the stage went (see
// o2sound.TaskStage.Note); the engine writes it with the stage's output.
func (q Queries) SetStageNote(ctx context.Context, taskID string, s o2sound.Stage, note string) error {
	if _, err := q.q.exec(ctx, `UPDATE task_stages SET note = $3 WHERE task_id = $1 AND stage = $2`, taskID, string(s), note); err != nil {
		return fmt.Errorf("store: stage note %s: %w", s, err)
	}
	return nil
}
