package auth

import (
	"sync"
	"time"
)

// FailureLimiter counts failures per key in a sliding window and says when a key has
// failed too often. It is in memory: each API process limits on its own, which is
// enough to make online guessing impractical.
type FailureLimiter struct {
	max    int
	window time.Duration
	now    func() time.Time

	mu   sync.Mutex
	hits map[string][]time.Time
}

// NewFailureLimiter allows max failures per key within window.
func NewFailureLimiter(max int, window time.Duration) *FailureLimiter {
	return &FailureLimiter{max: max, window: window, now: time.Now, hits: map[string][]time.Time{}}
}

// Blocked reports whether key has reached its limit, and when it may try again.
func (l *FailureLimiter) Blocked(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	h := l.prune(key, now)
	if len(h) < l.max {
		return false, 0
	}
	return true, h[0].Add(l.window).Sub(now)
}

// Fail records a failure for key.
func (l *FailureLimiter) Fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.hits[key] = append(l.prune(key, now), now)
	if len(l.hits) > 100_000 {
		l.sweep(now)
	}
}

// TryFail counts an attempt for key before it is checked, unless key is at its limit,
// in which case it reports how long to wait. Counting first means concurrent guesses
// cannot all slip past the limit while their passwords are being verified; Undo takes
// the count back for an attempt that succeeded.
func (l *FailureLimiter) TryFail(key string) (blocked bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	h := l.prune(key, now)
	if len(h) >= l.max {
		return true, h[0].Add(l.window).Sub(now)
	}
	l.hits[key] = append(h, now)
	if len(l.hits) > 100_000 {
		l.sweep(now)
	}
	return false, 0
}

// Undo removes the most recent count for key.
func (l *FailureLimiter) Undo(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if h := l.hits[key]; len(h) > 0 {
		l.hits[key] = h[:len(h)-1]
		if len(l.hits[key]) == 0 {
			delete(l.hits, key)
		}
	}
}

// Reset forgets key's failures (after a success).
func (l *FailureLimiter) Reset(key string) {
	l.mu.Lock()
	delete(l.hits, key)
	l.mu.Unlock()
}

func (l *FailureLimiter) prune(key string, now time.Time) []time.Time {
	h := l.hits[key]
	i := 0
	for i < len(h) && now.Sub(h[i]) >= l.window {
		i++
	}
	h = h[i:]
	if len(h) == 0 {
		delete(l.hits, key)
		return nil
	}
	l.hits[key] = h
	return h
}

// sweep bounds memory when many keys are seen (a spray of user ids, say).
func (l *FailureLimiter) sweep(now time.Time) {
	for k := range l.hits {
		l.prune(k, now)
	}
}
