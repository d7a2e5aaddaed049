package auth

import (
	"context"
	"time"
)

// AttemptStore keeps a Limiter's counts. The store package's database is one: kept
// there, the limits hold across every API process sharing it, not per process.
type AttemptStore interface {
	TryAttempt(ctx context.Context, scope, keyHash string, max int, window time.Duration) (id int64, blocked bool, wait time.Duration, err error)
	UndoAttempt(ctx context.Context, id int64) error
	ResetAttempts(ctx context.Context, scope, keyHash string) error
}

// LimitWindow is the window of every limit O2Sound sets on attempts (sign-ins,
// one-time-token look-ups, Google sign-ins started); attempts older than it count for
// nothing and are deleted.
const LimitWindow = 15 * time.Minute

// Limiter allows max attempts per key in a sliding window. Keys (user ids, client
// addresses) are stored only as HMACs under the server secret.
type Limiter struct {
	store  AttemptStore
	scope  string
	max    int
	window time.Duration
	secret []byte
}

// NewLimiter returns a limiter of max attempts per window; scope keeps its counts
// apart from other limiters' in the same store.
func NewLimiter(s AttemptStore, scope string, max int, window time.Duration, secret []byte) *Limiter {
	return &Limiter{store: s, scope: scope, max: max, window: window, secret: secret}
}

// Attempt is one counted attempt, to give back with Undo; the zero Attempt (one
// that was not counted) gives back nothing.
type Attempt struct{ id int64 }

// TryFail counts an attempt for key before it is checked, unless key is at its limit,
// in which case it reports how long to wait. Counting first means concurrent guesses
// cannot all slip past the limit while their passwords are being verified; Undo takes
// the count back for an attempt that succeeded.
func (l *Limiter) TryFail(ctx context.Context, key string) (a Attempt, blocked bool, wait time.Duration, err error) {
	id, blocked, wait, err := l.store.TryAttempt(ctx, l.scope, l.hash(key), l.max, l.window)
	return Attempt{id}, blocked, wait, err
}

// Undo takes back attempt a. It runs even when ctx is done: a request that ended
// must not leave its attempt counted against a good sign-in.
func (l *Limiter) Undo(ctx context.Context, a Attempt) error {
	if a.id == 0 {
		return nil
	}
	return l.store.UndoAttempt(context.WithoutCancel(ctx), a.id)
}

// Reset forgets key's attempts (after a success).
func (l *Limiter) Reset(ctx context.Context, key string) error {
	return l.store.ResetAttempts(context.WithoutCancel(ctx), l.scope, l.hash(key))
}

func (l *Limiter) hash(key string) string {
	return TokenHash(l.secret, "limit:"+l.scope+":"+key)
}
