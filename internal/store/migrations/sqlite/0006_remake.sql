-- The owner shapes the video: tasks that re-make another task's video reuse its
-- finished stages; photos (found on the site or uploaded) are the owner's, by id;
-- finished videos carry captions.
ALTER TABLE tasks ADD COLUMN source_task_id TEXT REFERENCES tasks (id) ON DELETE SET NULL;
ALTER TABLE tasks ADD COLUMN reused TEXT NOT NULL DEFAULT '[]';
CREATE INDEX tasks_source ON tasks (source_task_id) WHERE source_task_id IS NOT NULL;

CREATE TABLE photos (
    id         TEXT PRIMARY KEY,
    owner_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    task_id    TEXT REFERENCES tasks (id) ON DELETE SET NULL,
    source     TEXT NOT NULL,
    format     TEXT NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    size_bytes INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX photos_owner_source ON photos (owner_id, source);

ALTER TABLE videos ADD COLUMN captions_name TEXT;
CREATE UNIQUE INDEX videos_captions_name_key ON videos (captions_name) WHERE captions_name IS NOT NULL;
