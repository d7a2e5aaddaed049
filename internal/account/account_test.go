package account

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/auth"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
	"github.com/o2sound/o2sound/internal/store/storetest"
)

func TestSessionTimeouts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
		s := clockedService(db, &now, 0)
		ctx := context.Background()
		if _, err := s.Join(ctx, JoinRequest{UserID: "timer", Name: "T", Password: "securepassword123"}); err != nil {
			t.Fatal(err)
		}
		login := func() string {
			sess, err := s.Login(ctx, "timer", "securepassword123", "c")
			if err != nil {
				t.Fatal(err)
			}
			return sess.Token
		}
		authOK := func(token string) bool {
			_, err := s.Authenticate(ctx, token)
			if err != nil && o2sound.ErrorCode(err) != o2sound.CodeUnauthenticated {
				t.Fatal(err)
			}
			return err == nil
		}

		// Idle: used every 50 minutes it lives on; then 61 idle minutes end it.
		tok := login()
		for range 3 {
			now = now.Add(50 * time.Minute)
			if !authOK(tok) {
				t.Fatal("active session ended early")
			}
		}
		now = now.Add(61 * time.Minute)
		if authOK(tok) {
			t.Fatal("idle session still valid")
		}
		if authOK(tok) {
			t.Fatal("expired session came back")
		}

		// Absolute: even in constant use, a session ends after MaxAge.
		tok = login()
		for i := 0; i < 7; i++ {
			now = now.Add(30 * time.Minute)
			want := i < 5 // 3h = 6 × 30 min
			if got := authOK(tok); got != want {
				t.Fatalf("after %d min: valid=%v, want %v", (i+1)*30, got, want)
			}
		}

		// Each sign-in gets a new token; both sessions are independent.
		a, b := login(), login()
		if a == b {
			t.Fatal("token reused across sign-ins")
		}
		if err := s.Logout(ctx, a); err != nil {
			t.Fatal(err)
		}
		if authOK(a) || !authOK(b) {
			t.Fatal("logout ended the wrong session")
		}
	})
}

// TestSignInRacingAGoogleLink: a password verified just before the password is cleared
// (by linking a Google account) must not yield a session.
func TestSignInRacingAGoogleLink(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		s := New(db, Options{Secret: []byte(strings.Repeat("x", 32)), IdleTimeout: time.Hour, MaxAge: 3 * time.Hour})
		ctx := context.Background()
		u, err := s.Join(ctx, JoinRequest{UserID: "squatter", Name: "S", Password: "securepassword123", Email: "victim@gmail.com"})
		if err != nil {
			t.Fatal(err)
		}
		verified := u.PasswordHash // what a sign-in checked, just before the link
		if err := db.LinkGoogle(ctx, u.ID, "google-subject"); err != nil {
			t.Fatal(err)
		}
		err = db.CreatePasswordSession(ctx, &store.Session{TokenHash: "late", OwnerID: u.ID, ExpiresAt: time.Now().Add(time.Hour)}, verified)
		if err == nil {
			t.Fatal("a session was created with a password the link had cleared")
		}
		if _, err := s.Login(ctx, "squatter", "securepassword123", "c"); o2sound.ErrorCode(err) != o2sound.CodeInvalidLogin {
			t.Fatalf("password sign-in after the link: %v", err)
		}
	})
}

// TestLoginLimitIsShared: the failed sign-in limit is kept in the database, so two
// API processes (two Services on one database) share it; a success forgets the
// user's failures, and Cleanup drops attempts no window reaches any more.
func TestLoginLimitIsShared(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
		a, b := clockedService(db, &now, 4), clockedService(db, &now, 4)
		ctx := context.Background()
		if _, err := a.Join(ctx, JoinRequest{UserID: "shared", Name: "S", Password: "securepassword123"}); err != nil {
			t.Fatal(err)
		}
		// A success in between resets the user's count.
		for i, svc := range []*Service{a, b, a} {
			if _, err := svc.Login(ctx, "shared", "wrong-password", "c"); o2sound.ErrorCode(err) != o2sound.CodeInvalidLogin {
				t.Fatalf("guess %d: %v", i, err)
			}
		}
		if _, err := b.Login(ctx, "shared", "securepassword123", "c"); err != nil {
			t.Fatalf("good sign-in after 3 of 4 allowed failures: %v", err)
		}
		for i, svc := range []*Service{a, b, a, b} {
			if _, err := svc.Login(ctx, "SHARED", "wrong-password", "c"); o2sound.ErrorCode(err) != o2sound.CodeInvalidLogin {
				t.Fatalf("guess %d after the reset: %v", i, err)
			}
		}
		for _, svc := range []*Service{a, b} {
			_, err := svc.Login(ctx, "shared", "securepassword123", "c")
			if o2sound.ErrorCode(err) != o2sound.CodeTooManyAttempts {
				t.Fatalf("fifth attempt: %v, want %s from either process", err, o2sound.CodeTooManyAttempts)
			}
		}
		now = now.Add(auth.LimitWindow + time.Second)
		if _, err := a.Cleanup(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Login(ctx, "shared", "securepassword123", "c"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

// clockedService returns a Service on db whose clock, and db's, read *now.
// userFailures of 0 keeps the default limit.
func clockedService(db *store.DB, now *time.Time, userFailures int) *Service {
	clock := func() time.Time { return *now }
	db.SetClock(clock)
	s := New(db, Options{Secret: []byte(strings.Repeat("x", 32)), IdleTimeout: time.Hour, MaxAge: 3 * time.Hour, UserFailures: userFailures})
	s.now = clock
	return s
}

// TestAuthenticateRecordsActivityOncePerMinute: a signed-in request reads; it writes
// the session's last activity only when the recorded one is over a minute old, and a
// session whose owner is gone is refused.
func TestAuthenticateRecordsActivityOncePerMinute(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
		now := start
		s := clockedService(db, &now, 0)
		ctx := context.Background()
		u, err := s.Join(ctx, JoinRequest{UserID: "toucher", Name: "T", Password: "securepassword123"})
		if err != nil {
			t.Fatal(err)
		}
		sess, err := s.StartSession(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		hash := auth.TokenHash([]byte(strings.Repeat("x", 32)), sess.Token)
		for _, step := range []struct {
			after    time.Duration // since start
			lastSeen time.Duration // since start, once authenticated
		}{
			{10 * time.Second, 0},
			{59 * time.Second, 0},
			{61 * time.Second, 61 * time.Second}, // over a minute since 0: recorded
			{100 * time.Second, 61 * time.Second},
			{122 * time.Second, 122 * time.Second},
		} {
			now = start.Add(step.after)
			got, err := s.Authenticate(ctx, sess.Token)
			if err != nil || got.ID != u.ID || got.UserID != "toucher" {
				t.Fatalf("at +%v: %v %+v", step.after, err, got)
			}
			row, err := db.SessionByHash(ctx, hash)
			if err != nil {
				t.Fatal(err)
			}
			if want := start.Add(step.lastSeen); !row.LastSeenAt.Equal(want) {
				t.Fatalf("at +%v: last seen %v, want %v", step.after, row.LastSeenAt, want)
			}
		}
		if d == store.SQLite {
			_, err = db.SQL().ExecContext(ctx, `DELETE FROM users WHERE id = ?`, u.ID)
		} else {
			_, err = db.Pool().Exec(ctx, `DELETE FROM users WHERE id = $1`, u.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, sess.Token); o2sound.ErrorCode(err) != o2sound.CodeUnauthenticated {
			t.Fatalf("owner deleted: %v", err)
		}
	})
}
