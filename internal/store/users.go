package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/google/uuid"

	"github.com/o2sound/o2sound/internal/o2sound"
)

const userColumns = `id, user_id, name, coalesce(email, ''), phone_number, password_hash, coalesce(google_sub, ''), created_at, updated_at`

func scanUser(r row) (*o2sound.User, error) {
	var u o2sound.User
	err := r.Scan(&u.ID, &u.UserID, &u.Name, &u.Email, &u.PhoneNumber, &u.PasswordHash, &u.GoogleSub, &u.CreatedAt, &u.UpdatedAt)
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// CreateUser inserts u, filling ID and timestamps. A taken user_id, email or Google
// subject is ErrConflict naming the index (users_user_id_key, users_email_key, …).
func (q Queries) CreateUser(ctx context.Context, u *o2sound.User) error {
	id, err := uuid.NewV7()
	if err != nil {
		return fmt.Errorf("store: create user: %w", err)
	}
	now := q.now()
	_, err = q.q.exec(ctx, `INSERT INTO users (id, user_id, name, email, phone_number, password_hash, google_sub, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
		id.String(), u.UserID, u.Name, nullIfEmpty(u.Email), u.PhoneNumber, u.PasswordHash, nullIfEmpty(u.GoogleSub), now)
	if err != nil {
		return fmt.Errorf("store: create user %q: %w", u.UserID, err)
	}
	u.ID, u.CreatedAt, u.UpdatedAt = id.String(), now, now
	return nil
}

// UserByID returns the user with the given UUID.
func (q Queries) UserByID(ctx context.Context, id string) (*o2sound.User, error) {
	if !validID(id) {
		return nil, ErrNotFound
	}
	u, err := scanUser(q.q.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("store: user %s: %w", id, err)
	}
	return u, nil
}

// UserByLogin returns the user whose login name is userID, compared case-insensitively.
func (q Queries) UserByLogin(ctx context.Context, userID string) (*o2sound.User, error) {
	u, err := scanUser(q.q.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE lower(user_id) = lower($1)`, userID))
	if err != nil {
		return nil, fmt.Errorf("store: user by login: %w", err)
	}
	return u, nil
}

// UserByEmail returns the user with this email, compared case-insensitively.
func (q Queries) UserByEmail(ctx context.Context, email string) (*o2sound.User, error) {
	u, err := scanUser(q.q.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE lower(email) = lower($1)`, email))
	if err != nil {
		return nil, fmt.Errorf("store: user by email: %w", err)
	}
	return u, nil
}

// UserByGoogleSub returns the user linked to a Google account subject.
func (q Queries) UserByGoogleSub(ctx context.Context, sub string) (*o2sound.User, error) {
	u, err := scanUser(q.q.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE google_sub = $1`, sub))
	if err != nil {
		return nil, fmt.Errorf("store: user by google subject: %w", err)
	}
	return u, nil
}

// LinkGoogle records the Google subject on an existing account whose email Google has
// verified. O2Sound never verified that address itself, so whoever set the account's
// password may not own it (a pre-account takeover): linking clears the password and
// ends the account's sessions, leaving Google as the way in.
func (q Queries) LinkGoogle(ctx context.Context, id, sub string) error {
	n, err := q.q.exec(ctx, `UPDATE users SET google_sub = $2, password_hash = '', updated_at = $3 WHERE id = $1 AND google_sub IS NULL`, id, sub, q.now())
	if err != nil {
		return fmt.Errorf("store: link google: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("store: link google: %w", ErrNotFound)
	}
	if _, err := q.q.exec(ctx, `DELETE FROM sessions WHERE owner_id = $1`, id); err != nil {
		return fmt.Errorf("store: link google: end sessions: %w", err)
	}
	return nil
}

// UpdateProfile changes the name, email and phone of the user id.
func (q Queries) UpdateProfile(ctx context.Context, id, name, email, phone string) (*o2sound.User, error) {
	if !validID(id) {
		return nil, ErrNotFound
	}
	n, err := q.q.exec(ctx, `UPDATE users SET name = $2, email = $3, phone_number = $4, updated_at = $5 WHERE id = $1`,
		id, name, nullIfEmpty(email), phone, q.now())
	if err != nil {
		return nil, fmt.Errorf("store: update profile: %w", err)
	}
	if n == 0 {
		return nil, fmt.Errorf("store: update profile: %w", ErrNotFound)
	}
	return q.UserByID(ctx, id)
}

func nullIfEmpty(s string) any {
	if s == "" {
		return sql.NullString{}
	}
	return s
}

// validID reports whether id is a UUID. Ids come from clients; checking here keeps a
// malformed one from reaching PostgreSQL's uuid parser as a server error.
func validID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil && len(id) == 36
}
