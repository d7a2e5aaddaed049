-- Accounts, sessions, businesses, videos and workflow tasks.
-- Times are TIMESTAMPTZ so the driver reads them back as time.Time.
CREATE TABLE users (
    id            UUID PRIMARY KEY,
    user_id       TEXT NOT NULL,
    name          TEXT NOT NULL,
    email         TEXT,
    phone_number  TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    google_sub    TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX users_user_id_key ON users (lower(user_id));
CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX users_google_sub_key ON users (google_sub) WHERE google_sub IS NOT NULL;

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    owner_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_owner ON sessions (owner_id);

CREATE TABLE items (
    id            UUID PRIMARY KEY,
    owner_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    url           TEXT NOT NULL DEFAULT '',
    phone_number  TEXT NOT NULL DEFAULT '',
    thumbnail_url TEXT NOT NULL DEFAULT '',
    hashtags      TEXT NOT NULL DEFAULT '[]',
    metadata      TEXT NOT NULL DEFAULT '{}',
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX items_owner_url_key ON items (owner_id, url);
CREATE INDEX items_owner_created ON items (owner_id, created_at DESC);

CREATE TABLE tasks (
    id          UUID PRIMARY KEY,
    owner_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    item_id     UUID REFERENCES items (id) ON DELETE SET NULL,
    url         TEXT NOT NULL,
    state       TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX tasks_owner_created ON tasks (owner_id, created_at DESC);

CREATE TABLE videos (
    id             UUID PRIMARY KEY,
    owner_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    item_id        UUID REFERENCES items (id) ON DELETE SET NULL,
    task_id        UUID REFERENCES tasks (id) ON DELETE SET NULL,
    title          TEXT NOT NULL DEFAULT '',
    description    TEXT NOT NULL DEFAULT '',
    filename       TEXT NOT NULL,
    thumbnail_name TEXT,
    resolution     TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    duration       DOUBLE PRECISION NOT NULL DEFAULT 0,
    size_bytes     BIGINT NOT NULL DEFAULT 0,
    download_count BIGINT NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX videos_filename_key ON videos (filename);
CREATE UNIQUE INDEX videos_thumbnail_name_key ON videos (thumbnail_name) WHERE thumbnail_name IS NOT NULL;
CREATE INDEX videos_owner_created ON videos (owner_id, created_at DESC);
