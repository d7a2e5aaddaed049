package store

import (
	"context"
	"fmt"
	"time"

	"github.com/o2sound/o2sound/internal/o2sound"
)

// Session is a signed-in browser. Only a hash of its token is stored.
type Session struct {
	TokenHash  string
	OwnerID    string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// CreateSession stores a new session.
func (q Queries) CreateSession(ctx context.Context, s *Session) error {
	now := q.now()
	s.CreatedAt, s.LastSeenAt = now, now
	_, err := q.q.exec(ctx, `INSERT INTO sessions (token_hash, owner_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)`,
		s.TokenHash, s.OwnerID, now, s.ExpiresAt.UTC())
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// CreatePasswordSession stores a new session only if the user's password hash is still
// passwordHash, the one just verified. Linking a Google account clears the password and
// ends the account's sessions; without this check a sign-in verified just before the
// link could add its session just after, and survive it.
func (q Queries) CreatePasswordSession(ctx context.Context, s *Session, passwordHash string) error {
	now := q.now()
	s.CreatedAt, s.LastSeenAt = now, now
	n, err := q.q.exec(ctx, `INSERT INTO sessions (token_hash, owner_id, created_at, last_seen_at, expires_at)
		SELECT $1, id, $3, $3, $4 FROM users WHERE id = $2 AND password_hash = $5 AND password_hash <> ''`,
		s.TokenHash, s.OwnerID, now, s.ExpiresAt.UTC(), passwordHash)
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("store: create session: password changed: %w", ErrNotFound)
	}
	return nil
}

// SessionByHash returns the session with this token hash, whether or not it has expired;
// the caller applies its timeouts.
func (q Queries) SessionByHash(ctx context.Context, hash string) (*Session, error) {
	var s Session
	err := q.q.queryRow(ctx, `SELECT token_hash, owner_id, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = $1`, hash).
		Scan(&s.TokenHash, &s.OwnerID, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt)
	if err != nil {
		return nil, fmt.Errorf("store: session: %w", err)
	}
	return &s, nil
}

// SessionOwner is a session as authenticating a request needs it: when it was last
// used, when it expires, and whose it is.
type SessionOwner struct {
	LastSeenAt time.Time
	ExpiresAt  time.Time
	User       *o2sound.User
}

// sessionOwnerQuery reads a session and its user in one statement: every signed-in
// request runs it, so it is one read (one round trip on PostgreSQL, one read
// transaction on SQLite) rather than two, of the columns Authenticate uses.
const sessionOwnerQuery = `SELECT s.last_seen_at, s.expires_at,
	u.id, u.user_id, u.name, coalesce(u.email, ''), u.phone_number, u.password_hash, coalesce(u.google_sub, ''), u.created_at, u.updated_at
	FROM sessions s JOIN users u ON u.id = s.owner_id WHERE s.token_hash = $1`

// SessionOwner returns the session with this token hash, whether or not it has
// expired, with its user; ErrNotFound when there is no such session.
func (q Queries) SessionOwner(ctx context.Context, hash string) (*SessionOwner, error) {
	var u o2sound.User
	so := &SessionOwner{User: &u}
	err := q.q.queryRow(ctx, sessionOwnerQuery, hash).Scan(&so.LastSeenAt, &so.ExpiresAt,
		&u.ID, &u.UserID, &u.Name, &u.Email, &u.PhoneNumber, &u.PasswordHash, &u.GoogleSub, &u.CreatedAt, &u.UpdatedAt)
	if err != nil {
		return nil, fmt.Errorf("store: session: %w", err)
	}
	return so, nil
}

// TouchSession records activity on a session.
func (q Queries) TouchSession(ctx context.Context, hash string) error {
	if _, err := q.q.exec(ctx, `UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1`, hash, q.now()); err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// DeleteSession ends a session.
func (q Queries) DeleteSession(ctx context.Context, hash string) error {
	if _, err := q.q.exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hash); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their absolute expiry or idle longer than idle.
func (q Queries) DeleteExpiredSessions(ctx context.Context, idle time.Duration) (int64, error) {
	now := q.now()
	n, err := q.q.exec(ctx, `DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2`, now, now.Add(-idle))
	if err != nil {
		return 0, fmt.Errorf("store: delete expired sessions: %w", err)
	}
	return n, nil
}
