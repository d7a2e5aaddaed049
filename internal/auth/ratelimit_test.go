package auth_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/auth"
	"github.com/o2sound/o2sound/internal/store"
	"github.com/o2sound/o2sound/internal/store/storetest"
)

var secret = []byte("test secret")

// TestLimiterWindow: max attempts per key, keys and scopes independent, the window
// slides, Undo and Reset give attempts back, and keys are never stored as written.
func TestLimiterWindow(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		db := storetest.Open(t, d)
		now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		l := auth.NewLimiter(db, "login", 3, time.Minute, secret)
		other := auth.NewLimiter(db, "lookup", 3, time.Minute, secret)
		var last auth.Attempt // the newest counted
		try := func(l *auth.Limiter, key string) (bool, time.Duration) {
			t.Helper()
			a, blocked, wait, err := l.TryFail(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			if blocked != (a == auth.Attempt{}) {
				t.Fatalf("blocked=%v with attempt %v", blocked, a)
			}
			if !blocked {
				last = a
			}
			return blocked, wait
		}
		for i := range 3 {
			if blocked, _ := try(l, "minji"); blocked {
				t.Fatalf("attempt %d blocked", i+1)
			}
			now = now.Add(10 * time.Second)
		}
		// Attempts at 0 s, 10 s and 20 s; now is 30 s: the first leaves the window at 60 s.
		if blocked, wait := try(l, "minji"); !blocked || wait != 30*time.Second {
			t.Fatalf("fourth attempt: blocked=%v wait=%v, want blocked for 30s", blocked, wait)
		}
		if blocked, _ := try(l, "other-user"); blocked {
			t.Fatal("keys are not independent")
		}
		if blocked, _ := try(other, "minji"); blocked {
			t.Fatal("scopes are not independent")
		}
		now = now.Add(30 * time.Second)
		if blocked, _ := try(l, "minji"); blocked {
			t.Fatal("the window did not slide")
		}
		if blocked, _ := try(l, "minji"); !blocked {
			t.Fatal("a slid window let two through")
		}
		if err := l.Undo(ctx, auth.Attempt{}); err != nil {
			t.Fatal(err) // an attempt that was not counted gives back nothing
		}
		if err := l.Reset(ctx, "minji"); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if blocked, _ := try(l, "minji"); blocked {
				t.Fatal("Reset did not forget")
			}
		}
		if err := l.Undo(ctx, last); err != nil {
			t.Fatal(err)
		}
		if blocked, _ := try(l, "minji"); blocked {
			t.Fatal("Undo did not give the attempt back")
		}
		if blocked, _ := try(l, "minji"); !blocked {
			t.Fatal("Undo gave back more than one attempt")
		}

		keys := storedKeys(t, db)
		if len(keys) == 0 {
			t.Fatal("no attempts stored")
		}
		for _, k := range keys {
			if strings.Contains(k, "minji") || strings.Contains(k, "other") {
				t.Fatalf("key stored as written: %q", k)
			}
		}
		n, err := db.DeleteAttemptsBefore(ctx, now.Add(time.Second))
		if err != nil || n == 0 {
			t.Fatalf("DeleteAttemptsBefore: %d, %v", n, err)
		}
	})
}

// TestLimiterCountsBeforeTheCheck: 50 concurrent guesses through two limiters on
// one database — two API processes, say — let exactly the limit through.
func TestLimiterCountsBeforeTheCheck(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		// Two connection pools on one database stand for two API processes.
		dsn := storetest.DSN(t, d)
		db, db2 := openDB(t, dsn), openDB(t, dsn)
		limiters := []*auth.Limiter{
			auth.NewLimiter(db, "login", 3, time.Minute, secret),
			auth.NewLimiter(db2, "login", 3, time.Minute, secret),
		}
		var wg sync.WaitGroup
		var allowed atomic.Int32
		for i := range 50 {
			wg.Go(func() {
				_, blocked, _, err := limiters[i%2].TryFail(context.Background(), "k")
				if err != nil {
					t.Error(err)
					return
				}
				if !blocked {
					allowed.Add(1)
				}
			})
		}
		wg.Wait()
		if allowed.Load() != 3 {
			t.Fatalf("%d attempts allowed, want 3", allowed.Load())
		}
	})
}

func openDB(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// storedKeys reads the attempts table as it is on disk.
func storedKeys(t *testing.T, db *store.DB) []string {
	t.Helper()
	const q = `SELECT scope || ' ' || key_hash FROM attempts`
	var next func() bool
	var scan func(...any) error
	if db.Dialect() == store.Postgres {
		rows, err := db.Pool().Query(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		next, scan = rows.Next, rows.Scan
	} else {
		rows, err := db.SQL().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		next, scan = rows.Next, rows.Scan
	}
	var keys []string
	for next() {
		var k string
		if err := scan(&k); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	return keys
}

// TestLimiterUndoIsPerAttempt: parallel requests that each give back their own
// attempt leave nothing counted (giving back "the newest" lost some under races).
func TestLimiterUndoIsPerAttempt(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		l := auth.NewLimiter(db, "login", 50, time.Minute, secret)
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				a, blocked, _, err := l.TryFail(context.Background(), "office")
				if err != nil || blocked {
					t.Errorf("blocked=%v err=%v", blocked, err)
					return
				}
				if err := l.Undo(context.Background(), a); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if keys := storedKeys(t, db); len(keys) != 0 {
			t.Fatalf("%d attempts still counted after every one was given back", len(keys))
		}
	})
}
