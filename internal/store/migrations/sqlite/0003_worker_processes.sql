-- Live worker processes, so /health can say whether anything is working the queue.
CREATE TABLE worker_processes (
    id         TEXT PRIMARY KEY,
    host       TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    beat_at    TIMESTAMP NOT NULL
);
