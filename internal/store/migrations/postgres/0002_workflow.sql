-- The video-making workflow: a task per request, a row per stage, heartbeats of
-- running jobs (to hand a dead worker's job to a live one quickly).
ALTER TABLE tasks ADD COLUMN options TEXT NOT NULL DEFAULT '{}';
ALTER TABLE tasks ADD COLUMN video_id UUID;
ALTER TABLE tasks ADD COLUMN video_filename TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN thumbnail_filename TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN cancel_requested BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE tasks ADD COLUMN error_stage TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN error_code TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN error_message TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN started_at TIMESTAMPTZ;
ALTER TABLE tasks ADD COLUMN finished_at TIMESTAMPTZ;
CREATE INDEX tasks_state ON tasks (state);

CREATE TABLE task_stages (
    task_id     UUID NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    stage       TEXT NOT NULL,
    state       TEXT NOT NULL,
    percent     DOUBLE PRECISION NOT NULL DEFAULT 0,
    output      TEXT NOT NULL DEFAULT '{}',
    attempts    INTEGER NOT NULL DEFAULT 0,
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    PRIMARY KEY (task_id, stage)
);

CREATE TABLE job_heartbeats (
    job_id  BIGINT PRIMARY KEY,
    task_id UUID NOT NULL,
    beat_at TIMESTAMPTZ NOT NULL
);
