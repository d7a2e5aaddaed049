-- Counted attempts (sign-ins, one-time-token look-ups, Google sign-ins started), kept
-- in the database so that every API process enforces the same limits. key_hash is an
-- HMAC of the user_id or client address, never the value itself.
CREATE TABLE attempts (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    scope    TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    at       TIMESTAMP NOT NULL
);
CREATE INDEX attempts_key ON attempts (scope, key_hash, at);
CREATE INDEX attempts_at ON attempts (at);
