-- Google sign-in: logins in progress, one-time tokens handed to the frontend, and
-- Google's tokens per user. Secrets are stored encrypted (PKCE verifiers, Google
-- tokens) or as keyed hashes (state values, one-time tokens), never as sent.
CREATE TABLE oauth_states (
    state_hash TEXT PRIMARY KEY,
    nonce      TEXT NOT NULL,
    verifier   TEXT NOT NULL,
    return_url TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX oauth_states_expires ON oauth_states (expires_at);

-- A temp token belongs to the browser session started at the callback: logging that
-- session out (or its expiry sweep) removes the token with it.
CREATE TABLE oauth_temp_tokens (
    token_hash        TEXT PRIMARY KEY,
    owner_id          UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_hash      TEXT NOT NULL REFERENCES sessions (token_hash) ON DELETE CASCADE,
    access_token      TEXT NOT NULL DEFAULT '',
    access_expires_at TIMESTAMPTZ NOT NULL,
    picture           TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMPTZ NOT NULL,
    expires_at        TIMESTAMPTZ NOT NULL,
    used_at           TIMESTAMPTZ
);
CREATE INDEX oauth_temp_tokens_expires ON oauth_temp_tokens (expires_at);
CREATE INDEX oauth_temp_tokens_session ON oauth_temp_tokens (session_hash);

CREATE TABLE google_tokens (
    owner_id      UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    google_sub    TEXT NOT NULL,
    refresh_token TEXT NOT NULL DEFAULT '',
    scope         TEXT NOT NULL DEFAULT '',
    updated_at    TIMESTAMPTZ NOT NULL
);
