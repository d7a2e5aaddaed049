package store

import (
	"context"
	"fmt"
	"time"
)

// OAuthState is a Google sign-in in progress, keyed by a hash of its state value.
// Verifier is the PKCE verifier, already encrypted by the caller.
type OAuthState struct {
	StateHash string
	Nonce     string
	Verifier  string
	ReturnURL string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// CreateOAuthState stores a sign-in in progress that lives for ttl.
func (q Queries) CreateOAuthState(ctx context.Context, st *OAuthState, ttl time.Duration) error {
	now := q.now()
	st.CreatedAt, st.ExpiresAt = now, now.Add(ttl)
	_, err := q.q.exec(ctx, `INSERT INTO oauth_states (state_hash, nonce, verifier, return_url, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, st.StateHash, st.Nonce, st.Verifier, st.ReturnURL, st.CreatedAt, st.ExpiresAt)
	if err != nil {
		return fmt.Errorf("store: create oauth state: %w", err)
	}
	return nil
}

// TakeOAuthState removes and returns the sign-in with this state hash. Deleting is what
// makes a state single-use: of two concurrent callbacks only one gets the row. An
// expired state is removed too and reported as ErrNotFound.
func (q Queries) TakeOAuthState(ctx context.Context, stateHash string) (*OAuthState, error) {
	var st OAuthState
	err := q.q.queryRow(ctx, `DELETE FROM oauth_states WHERE state_hash = $1
		RETURNING state_hash, nonce, verifier, return_url, created_at, expires_at`, stateHash).
		Scan(&st.StateHash, &st.Nonce, &st.Verifier, &st.ReturnURL, &st.CreatedAt, &st.ExpiresAt)
	if err != nil {
		return nil, fmt.Errorf("store: take oauth state: %w", err)
	}
	if !q.now().Before(st.ExpiresAt) {
		return nil, fmt.Errorf("store: take oauth state: expired: %w", ErrNotFound)
	}
	return &st, nil
}

// TempToken is the one-time token a finished Google sign-in hands the frontend. Only
// its keyed hash is stored; it is bound to the browser session created with it
// (SessionHash is that session's token hash). AccessToken is Google's access token,
// encrypted by the caller, kept only until the token is used.
type TempToken struct {
	TokenHash       string
	OwnerID         string
	SessionHash     string
	AccessToken     string
	AccessExpiresAt time.Time
	Picture         string
	CreatedAt       time.Time
	ExpiresAt       time.Time
}

// CreateTempToken stores a one-time token valid for ttl.
func (q Queries) CreateTempToken(ctx context.Context, t *TempToken, ttl time.Duration) error {
	now := q.now()
	t.CreatedAt, t.ExpiresAt = now, now.Add(ttl)
	_, err := q.q.exec(ctx, `INSERT INTO oauth_temp_tokens
		(token_hash, owner_id, session_hash, access_token, access_expires_at, picture, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		t.TokenHash, t.OwnerID, t.SessionHash, t.AccessToken, t.AccessExpiresAt.UTC(), t.Picture, t.CreatedAt, t.ExpiresAt)
	if err != nil {
		return fmt.Errorf("store: create temp token: %w", err)
	}
	return nil
}

// ClaimTempToken uses up the token with this hash if it is unused, unexpired and
// belongs to the session with sessionHash, and returns it. The conditional UPDATE is
// the single-use guarantee: of two concurrent claims exactly one matches. The stored
// access token is wiped in the same transaction, so nothing is handed out twice.
// Anything else (unknown, used, expired, another session's) is ErrNotFound.
func (db *DB) ClaimTempToken(ctx context.Context, tokenHash, sessionHash string) (*TempToken, error) {
	var t TempToken
	err := db.InTx(ctx, func(tx *Tx) error {
		now := tx.now()
		err := tx.q.queryRow(ctx, `UPDATE oauth_temp_tokens SET used_at = $3
			WHERE token_hash = $1 AND session_hash = $2 AND used_at IS NULL AND expires_at > $3
			RETURNING token_hash, owner_id, session_hash, access_token, access_expires_at, picture, created_at, expires_at`,
			tokenHash, sessionHash, now).
			Scan(&t.TokenHash, &t.OwnerID, &t.SessionHash, &t.AccessToken, &t.AccessExpiresAt, &t.Picture, &t.CreatedAt, &t.ExpiresAt)
		if err != nil {
			return err
		}
		_, err = tx.q.exec(ctx, `UPDATE oauth_temp_tokens SET access_token = '' WHERE token_hash = $1`, tokenHash)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim temp token: %w", err)
	}
	return &t, nil
}

// DeleteExpiredOAuth removes sign-ins past their expiry and one-time tokens that
// expired or were used more than an hour ago.
func (q Queries) DeleteExpiredOAuth(ctx context.Context) (int64, error) {
	now := q.now()
	a, err := q.q.exec(ctx, `DELETE FROM oauth_states WHERE expires_at <= $1`, now)
	if err != nil {
		return 0, fmt.Errorf("store: delete expired oauth states: %w", err)
	}
	b, err := q.q.exec(ctx, `DELETE FROM oauth_temp_tokens WHERE expires_at <= $1 OR used_at <= $2`, now, now.Add(-time.Hour))
	if err != nil {
		return a, fmt.Errorf("store: delete expired temp tokens: %w", err)
	}
	return a + b, nil
}

// GoogleToken is what O2Sound keeps of a user's Google grant. RefreshToken is
// encrypted by the caller; empty when Google has not issued one.
type GoogleToken struct {
	OwnerID      string
	GoogleSub    string
	RefreshToken string
	Scope        string
	UpdatedAt    time.Time
}

// SaveGoogleToken records the user's Google grant. An empty refresh token keeps the
// stored one: Google sends a refresh token only at the first consent.
func (q Queries) SaveGoogleToken(ctx context.Context, t *GoogleToken) error {
	t.UpdatedAt = q.now()
	_, err := q.q.exec(ctx, `INSERT INTO google_tokens (owner_id, google_sub, refresh_token, scope, updated_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (owner_id) DO UPDATE SET google_sub = excluded.google_sub,
			refresh_token = CASE WHEN excluded.refresh_token = '' THEN google_tokens.refresh_token ELSE excluded.refresh_token END,
			scope = CASE WHEN excluded.refresh_token = '' THEN google_tokens.scope ELSE excluded.scope END,
			updated_at = excluded.updated_at`,
		t.OwnerID, t.GoogleSub, t.RefreshToken, t.Scope, t.UpdatedAt)
	if err != nil {
		return fmt.Errorf("store: save google token: %w", err)
	}
	return nil
}

// GoogleTokenOf returns the Google grant of the user ownerID.
func (q Queries) GoogleTokenOf(ctx context.Context, ownerID string) (*GoogleToken, error) {
	if !validID(ownerID) {
		return nil, ErrNotFound
	}
	var t GoogleToken
	err := q.q.queryRow(ctx, `SELECT owner_id, google_sub, refresh_token, scope, updated_at FROM google_tokens WHERE owner_id = $1`, ownerID).
		Scan(&t.OwnerID, &t.GoogleSub, &t.RefreshToken, &t.Scope, &t.UpdatedAt)
	if err != nil {
		return nil, fmt.Errorf("store: google token: %w", err)
	}
	return &t, nil
}
