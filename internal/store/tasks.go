package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/o2sound/o2sound/internal/o2sound"
)

const taskColumns = `tasks.id, tasks.owner_id, coalesce(CAST(tasks.item_id AS TEXT), ''), tasks.url, tasks.state, tasks.options,
	coalesce(CAST(tasks.video_id AS TEXT), ''), tasks.video_filename, tasks.thumbnail_filename, tasks.cancel_requested, tasks.error_stage,
	tasks.error_code, tasks.error_message, tasks.created_at, tasks.updated_at, tasks.started_at, tasks.finished_at,
	coalesce(CAST(tasks.source_task_id AS TEXT), ''), tasks.reused, EXISTS (SELECT 1 FROM tasks AS remake WHERE remake.source_task_id = tasks.id)`

// stageColumns are a task_stages row's, as scanStage reads them.
const stageColumns = `stage, state, percent, output, attempts, started_at, finished_at, note`

// stageDest scans stageColumns into s; done finishes what Scan cannot.
type stageDest struct {
	s                 o2sound.TaskStage
	out               string
	started, finished sql.NullTime
}

func (d *stageDest) dests() []any {
	return []any{&d.s.Stage, &d.s.State, &d.s.Percent, &d.out, &d.s.Attempts, &d.started, &d.finished, &d.s.Note}
}

func (d *stageDest) done() *o2sound.TaskStage {
	s := d.s
	s.Output = json.RawMessage(d.out)
	if d.started.Valid {
		s.StartedAt = &d.started.Time
	}
	if d.finished.Valid {
		s.FinishedAt = &d.finished.Time
	}
	return &s
}

// rowWith scans a row's leading columns into the destinations its caller gives and
// the rest into extra.
type rowWith struct {
	r     row
	extra []any
}

func (w rowWith) Scan(dest ...any) error { return w.r.Scan(append(dest, w.extra...)...) }

func scanTask(r row) (*o2sound.Task, error) {
	var t o2sound.Task
	var opts, reused string
	var started, finished sql.NullTime
	err := r.Scan(&t.ID, &t.OwnerID, &t.ItemID, &t.URL, &t.State, &opts, &t.VideoID, &t.VideoFilename, &t.ThumbnailFilename,
		&t.CancelRequested, &t.ErrorStage, &t.ErrorCode, &t.ErrorMessage, &t.CreatedAt, &t.UpdatedAt, &started, &finished,
		&t.SourceTaskID, &reused, &t.Remade)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(opts), &t.Options); err != nil {
		return nil, fmt.Errorf("store: task %s options: %w", t.ID, err)
	}
	if err := json.Unmarshal([]byte(reused), &t.Reused); err != nil {
		return nil, fmt.Errorf("store: task %s reused: %w", t.ID, err)
	}
	if started.Valid {
		t.StartedAt = &started.Time
	}
	if finished.Valid {
		t.FinishedAt = &finished.Time
	}
	return &t, nil
}

// NewTaskID returns a fresh task id, for callers that prepare a task's files before
// CreateTask writes its row.
func NewTaskID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("store: new task id: %w", err)
	}
	return id.String(), nil
}

// CreateTask inserts a queued task with a row per stage, filling ID (unless set), the
// video id and file names, and timestamps. Stages are pending unless t.Stages already
// holds them as done with their output: a re-make's reused stages.
func (q Queries) CreateTask(ctx context.Context, t *o2sound.Task, videoFilename, thumbnailFilename string) error {
	if t.ID == "" {
		id, err := NewTaskID()
		if err != nil {
			return err
		}
		t.ID = id
	}
	vid, err := uuid.NewV7()
	if err != nil {
		return fmt.Errorf("store: create task: %w", err)
	}
	opts, _ := json.Marshal(t.Options)
	if t.Reused == nil {
		t.Reused = []o2sound.Stage{}
	}
	reused, _ := json.Marshal(t.Reused)
	now := q.now()
	t.VideoID, t.VideoFilename, t.ThumbnailFilename = vid.String(), videoFilename, thumbnailFilename
	t.State, t.CreatedAt, t.UpdatedAt = o2sound.TaskQueued, now, now
	_, err = q.q.exec(ctx, `INSERT INTO tasks (id, owner_id, item_id, url, state, options, video_id, video_filename, thumbnail_filename,
			source_task_id, reused, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
		t.ID, t.OwnerID, nullID(t.ItemID), t.URL, t.State, string(opts), t.VideoID, videoFilename, thumbnailFilename,
		nullID(t.SourceTaskID), string(reused), now)
	if err != nil {
		return fmt.Errorf("store: create task: %w", err)
	}
	given := t.Stages
	t.Stages = map[o2sound.Stage]*o2sound.TaskStage{}
	for _, s := range o2sound.Stages {
		st := &o2sound.TaskStage{Stage: s, State: o2sound.StagePending, Output: json.RawMessage("{}")}
		if g := given[s]; g != nil && g.State == o2sound.StageDone {
			st.State, st.Output, st.Percent, st.FinishedAt, st.Note = o2sound.StageDone, g.Output, 100, &now, g.Note
		}
		var finished any
		if st.FinishedAt != nil {
			finished = now
		}
		if _, err := q.q.exec(ctx, `INSERT INTO task_stages (task_id, stage, state, percent, output, finished_at, note) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			t.ID, string(s), st.State, st.Percent, string(st.Output), finished, st.Note); err != nil {
			return fmt.Errorf("store: create task stage: %w", err)
		}
		t.Stages[s] = st
	}
	return nil
}

func (q Queries) loadStages(ctx context.Context, t *o2sound.Task) error {
	return q.loadStagesOf(ctx, []*o2sound.Task{t})
}

// loadStagesOf fills in the stages of tasks with one query, however many there are
// (a page of a list is at most 100).
func (q Queries) loadStagesOf(ctx context.Context, tasks []*o2sound.Task) error {
	if len(tasks) == 0 {
		return nil
	}
	byID := make(map[string]*o2sound.Task, len(tasks))
	marks := make([]string, len(tasks))
	args := make([]any, len(tasks))
	for i, t := range tasks {
		t.Stages = map[o2sound.Stage]*o2sound.TaskStage{}
		byID[t.ID] = t
		marks[i] = fmt.Sprintf("$%d", i+1)
		args[i] = t.ID
	}
	rs, err := q.q.query(ctx, `SELECT task_id, `+stageColumns+` FROM task_stages
		WHERE task_id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return fmt.Errorf("store: task stages: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var taskID string
		var d stageDest
		if err := rs.Scan(append([]any{&taskID}, d.dests()...)...); err != nil {
			return fmt.Errorf("store: task stages: %w", err)
		}
		if t := byID[taskID]; t != nil {
			t.Stages[d.s.Stage] = d.done()
		}
	}
	return rs.Err()
}

// TaskByID returns the owner's task with its stages; another owner's is ErrNotFound.
func (q Queries) TaskByID(ctx context.Context, ownerID, id string) (*o2sound.Task, error) {
	if !validID(ownerID) || !validID(id) {
		return nil, fmt.Errorf("store: task: %w", ErrNotFound)
	}
	// One statement, so one snapshot: a stage's end and its task's end are committed
	// together, and a poller sees both or neither (two reads could show a finished
	// merge on a running task, or a completed task whose merge still runs).
	rs, err := q.q.query(ctx, `SELECT `+taskColumns+`, s.`+strings.ReplaceAll(stageColumns, ", ", ", s.")+`
		FROM tasks JOIN task_stages AS s ON s.task_id = tasks.id WHERE tasks.id = $1 AND tasks.owner_id = $2`, id, ownerID)
	if err != nil {
		return nil, fmt.Errorf("store: task %s: %w", id, err)
	}
	defer rs.Close()
	var t *o2sound.Task
	for rs.Next() {
		var d stageDest
		row, err := scanTask(rowWith{rs, d.dests()})
		if err != nil {
			return nil, fmt.Errorf("store: task %s: %w", id, err)
		}
		if t == nil {
			t = row
			t.Stages = map[o2sound.Stage]*o2sound.TaskStage{}
		}
		t.Stages[d.s.Stage] = d.done()
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("store: task %s: %w", id, err)
	}
	if t == nil {
		return nil, fmt.Errorf("store: task %s: %w", id, ErrNotFound)
	}
	return t, nil
}

// TaskForWork returns a task for a worker (not owner-scoped: workers act for the owner
// recorded in the row). On PostgreSQL, lock=true takes a row lock until the transaction
// ends, which serialises the stage completions of one task; SQLite's write lock
// already does.
func (q Queries) TaskForWork(ctx context.Context, id string, lock bool) (*o2sound.Task, error) {
	if !validID(id) {
		return nil, fmt.Errorf("store: task: %w", ErrNotFound)
	}
	query := `SELECT ` + taskColumns + ` FROM tasks WHERE id = $1`
	if lock {
		if _, ok := q.q.(pgxQuerier); ok {
			query += ` FOR UPDATE`
		}
	}
	t, err := scanTask(q.q.queryRow(ctx, query, id))
	if err != nil {
		return nil, fmt.Errorf("store: task %s: %w", id, err)
	}
	return t, q.loadStages(ctx, t)
}

// ListTasks returns one page of the owner's tasks, newest first, with their stages.
func (q Queries) ListTasks(ctx context.Context, ownerID string, page o2sound.Page) ([]*o2sound.Task, int, error) {
	if !validID(ownerID) {
		return nil, 0, ErrNotFound
	}
	var total int
	if err := q.q.queryRow(ctx, `SELECT count(*) FROM tasks WHERE owner_id = $1`, ownerID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count tasks: %w", err)
	}
	rs, err := q.q.query(ctx, `SELECT `+taskColumns+` FROM tasks WHERE owner_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
		ownerID, limitOf(page), page.Offset())
	if err != nil {
		return nil, 0, fmt.Errorf("store: list tasks: %w", err)
	}
	var tasks []*o2sound.Task
	for rs.Next() {
		t, err := scanTask(rs)
		if err != nil {
			rs.Close()
			return nil, 0, fmt.Errorf("store: list tasks: %w", err)
		}
		tasks = append(tasks, t)
	}
	err = rs.Err()
	rs.Close()
	if err != nil {
		return nil, 0, fmt.Errorf("store: list tasks: %w", err)
	}
	if err := q.loadStagesOf(ctx, tasks); err != nil {
		return nil, 0, err
	}
	if tasks == nil {
		tasks = []*o2sound.Task{}
	}
	return tasks, total, nil
}

// CountActiveTasks counts queued and running tasks: the owner's and everyone's. Inside
// a transaction on PostgreSQL it first locks the owner's row, so concurrent starts by
// one owner count one after another (SQLite's write lock already serialises them).
func (q Queries) CountActiveTasks(ctx context.Context, ownerID string) (mine, all int, err error) {
	if _, ok := q.q.(pgxQuerier); ok {
		if _, err := q.q.exec(ctx, `SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, ownerID); err != nil {
			return 0, 0, fmt.Errorf("store: count active tasks: %w", err)
		}
	}
	err = q.q.queryRow(ctx, `SELECT count(*), coalesce(sum(CASE WHEN owner_id = $1 THEN 1 ELSE 0 END), 0) FROM tasks WHERE state IN ($2, $3)`,
		ownerID, o2sound.TaskQueued, o2sound.TaskRunning).Scan(&all, &mine)
	if err != nil {
		return 0, 0, fmt.Errorf("store: count active tasks: %w", err)
	}
	return mine, all, nil
}

// MarkTaskRunning moves a queued task to running.
func (q Queries) MarkTaskRunning(ctx context.Context, id string) error {
	now := q.now()
	_, err := q.q.exec(ctx, `UPDATE tasks SET state = $2, started_at = coalesce(started_at, $3), updated_at = $3 WHERE id = $1 AND state = $4`,
		id, o2sound.TaskRunning, now, o2sound.TaskQueued)
	if err != nil {
		return fmt.Errorf("store: mark task running: %w", err)
	}
	return nil
}

// MarkTaskReview moves a running task whose crawl, lyrics and photos are done to
// review, where it waits for the owner.
func (q Queries) MarkTaskReview(ctx context.Context, id string) error {
	_, err := q.q.exec(ctx, `UPDATE tasks SET state = $2, updated_at = $3 WHERE id = $1 AND state IN ($4, $5)`,
		id, o2sound.TaskReview, q.now(), o2sound.TaskQueued, o2sound.TaskRunning)
	if err != nil {
		return fmt.Errorf("store: mark task review: %w", err)
	}
	return nil
}

// FinishTask moves an unfinished task to a final state, recording an error for failures.
// It reports whether it changed the task (false if it had already ended).
func (q Queries) FinishTask(ctx context.Context, id, state, errStage, errCode, errMsg string) (bool, error) {
	now := q.now()
	n, err := q.q.exec(ctx, `UPDATE tasks SET state = $2, error_stage = $3, error_code = $4, error_message = $5, finished_at = $6, updated_at = $6
		WHERE id = $1 AND state IN ($7, $8, $9)`,
		id, state, errStage, errCode, errMsg, now, o2sound.TaskQueued, o2sound.TaskRunning, o2sound.TaskReview)
	if err != nil {
		return false, fmt.Errorf("store: finish task: %w", err)
	}
	if state != o2sound.TaskCompleted {
		// Stages that had not finished end with the task.
		stageState := o2sound.StageCancelled
		if _, err := q.q.exec(ctx, `UPDATE task_stages SET state = $2, finished_at = $3 WHERE task_id = $1 AND state NOT IN ($4, $5)`,
			id, stageState, now, o2sound.StageDone, o2sound.StageFailed); err != nil {
			return false, fmt.Errorf("store: finish task stages: %w", err)
		}
	}
	return n > 0, nil
}

// SetTaskItem links a task to the business item its crawl produced.
func (q Queries) SetTaskItem(ctx context.Context, id, itemID string) error {
	if _, err := q.q.exec(ctx, `UPDATE tasks SET item_id = $2, updated_at = $3 WHERE id = $1`, id, itemID, q.now()); err != nil {
		return fmt.Errorf("store: set task item: %w", err)
	}
	return nil
}

// RequestCancel marks the owner's unfinished task cancelled. It returns the task as it
// was before, so the caller can tell "already ended" from "cancelled now".
func (q Queries) RequestCancel(ctx context.Context, ownerID, id string) (*o2sound.Task, error) {
	t, err := q.TaskByID(ctx, ownerID, id)
	if err != nil {
		return nil, err
	}
	if t.Ended() {
		return t, nil
	}
	if _, err := q.q.exec(ctx, `UPDATE tasks SET cancel_requested = TRUE, updated_at = $2 WHERE id = $1`, id, q.now()); err != nil {
		return nil, fmt.Errorf("store: cancel task: %w", err)
	}
	changed, err := q.FinishTask(ctx, id, o2sound.TaskCancelled, "", "", "")
	if err != nil {
		return nil, err
	}
	if !changed { // it ended (completed or failed) meanwhile
		return q.TaskByID(ctx, ownerID, id)
	}
	return t, nil
}

// TaskCancelled reports whether a task has been asked to stop (cancelled or ended).
func (q Queries) TaskCancelled(ctx context.Context, id string) (bool, error) {
	var cancel bool
	var state string
	if err := q.q.queryRow(ctx, `SELECT cancel_requested, state FROM tasks WHERE id = $1`, id).Scan(&cancel, &state); err != nil {
		return false, fmt.Errorf("store: task cancelled: %w", err)
	}
	return cancel || state == o2sound.TaskCancelled || state == o2sound.TaskFailed, nil
}

// SetStage records a stage's state, percent and (when output is non-nil) its output.
func (q Queries) SetStage(ctx context.Context, taskID string, s o2sound.Stage, state string, percent float64, output json.RawMessage) error {
	now := q.now()
	query := `UPDATE task_stages SET state = $3, percent = $4`
	args := []any{taskID, string(s), state, percent}
	switch state {
	case o2sound.StageRunning:
		query += `, attempts = attempts + 1, started_at = coalesce(started_at, $5), finished_at = NULL`
		args = append(args, now)
	case o2sound.StageDone, o2sound.StageFailed, o2sound.StageCancelled:
		query += `, finished_at = $5`
		args = append(args, now)
	}
	if output != nil {
		query += fmt.Sprintf(`, output = $%d`, len(args)+1)
		args = append(args, string(output))
	}
	// A stage that finished (done, failed, cancelled with its task) never moves again:
	// a late writer (a stage losing a race with cancel) must not resurrect it.
	query += fmt.Sprintf(` WHERE task_id = $1 AND stage = $2 AND state NOT IN ('%s', '%s', '%s')`,
		o2sound.StageDone, o2sound.StageFailed, o2sound.StageCancelled)
	if _, err := q.q.exec(ctx, query, args...); err != nil {
		return fmt.Errorf("store: set stage %s: %w", s, err)
	}
	_, err := q.q.exec(ctx, `UPDATE tasks SET updated_at = $2 WHERE id = $1`, taskID, now)
	return err
}

// RiverJobCounts counts O2Sound's River jobs by state (available, running, retryable,
// scheduled), for /health.
func (q Queries) RiverJobCounts(ctx context.Context) (map[string]int, error) {
	rs, err := q.q.query(ctx, `SELECT state, count(*) FROM river_job WHERE state IN ('available', 'running', 'retryable', 'scheduled') GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("store: river job counts: %w", err)
	}
	defer rs.Close()
	counts := map[string]int{"available": 0, "running": 0, "retryable": 0, "scheduled": 0}
	for rs.Next() {
		var state string
		var n int
		if err := rs.Scan(&state, &n); err != nil {
			return nil, err
		}
		counts[state] = n
	}
	return counts, rs.Err()
}

// WorkerBeat records that the worker process id (on host) is alive.
func (q Queries) WorkerBeat(ctx context.Context, id, host string, started time.Time) error {
	_, err := q.q.exec(ctx, `INSERT INTO worker_processes (id, host, started_at, beat_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at`, id, host, started.UTC(), q.now())
	if err != nil {
		return fmt.Errorf("store: worker beat: %w", err)
	}
	return nil
}

// WorkerGone removes a worker process that is stopping.
func (q Queries) WorkerGone(ctx context.Context, id string) error {
	_, err := q.q.exec(ctx, `DELETE FROM worker_processes WHERE id = $1`, id)
	return err
}

// LiveWorkers counts worker processes that beat since 'since', and forgets long-dead ones.
func (q Queries) LiveWorkers(ctx context.Context, since time.Time) (int, error) {
	if _, err := q.q.exec(ctx, `DELETE FROM worker_processes WHERE beat_at < $1`, since.Add(-time.Hour).UTC()); err != nil {
		return 0, fmt.Errorf("store: live workers: %w", err)
	}
	var n int
	if err := q.q.queryRow(ctx, `SELECT count(*) FROM worker_processes WHERE beat_at >= $1`, since.UTC()).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: live workers: %w", err)
	}
	return n, nil
}
