-- Live worker processes, so /health can say whether anything is working the queue.
CREATE TABLE worker_processes (
    id         TEXT PRIMARY KEY,
    host       TEXT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    beat_at    TIMESTAMPTZ NOT NULL
);
