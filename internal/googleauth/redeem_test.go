package googleauth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/auth"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
)

func TestRedeemRefusals(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		refused := func(name string, temp, session string) {
			t.Helper()
			if _, err := f.svc.Redeem(ctx, temp, session, "192.0.2.1"); o2sound.ErrorCode(err) != o2sound.CodeTokenInvalid {
				t.Errorf("%s: %v, want AUTH_008", name, err)
			}
		}
		si := f.mustSignIn()
		temp := tempToken(t, si)
		other, err := f.accounts.StartSession(ctx, si.Session.User) // same user, another browser
		if err != nil {
			t.Fatal(err)
		}
		refused("another session of the same user", temp, other.Token)
		refused("no session", temp, "")
		refused("unknown token", auth.NewToken(), si.Session.Token)
		refused("oversized token", strings.Repeat("a", 500), si.Session.Token)
		// Refusals did not burn it: the right browser still gets it.
		if _, err := f.svc.Redeem(ctx, temp, si.Session.Token, "192.0.2.1"); err != nil {
			t.Fatalf("own session after refusals: %v", err)
		}

		// Expired: 60 s on the database's clock.
		si2 := f.mustSignIn()
		f.db.SetClock(func() time.Time { return time.Now().Add(TempTokenTTL + time.Second) })
		refused("expired", tempToken(t, si2), si2.Session.Token)
		f.db.SetClock(time.Now)

		// Logging out removes the session's token with it.
		si3 := f.mustSignIn()
		if err := f.accounts.Logout(ctx, si3.Session.Token); err != nil {
			t.Fatal(err)
		}
		refused("after logout", tempToken(t, si3), si3.Session.Token)

		// Concurrent redemptions of one token: exactly one wins.
		si4 := f.mustSignIn()
		temp4 := tempToken(t, si4)
		wins := make(chan bool, 8)
		for range 8 {
			go func() {
				_, err := f.svc.Redeem(ctx, temp4, si4.Session.Token, "192.0.2.9")
				wins <- err == nil
			}()
		}
		n := 0
		for range 8 {
			if <-wins {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d concurrent redemptions succeeded, want 1", n)
		}
	})
}

func TestRedeemRateLimit(t *testing.T) {
	t.Parallel()
	f := setup(t, store.SQLite)
	ctx := context.Background()
	si := f.mustSignIn()
	for i := range 20 {
		if _, err := f.svc.Redeem(ctx, auth.NewToken(), si.Session.Token, "203.0.113.5"); o2sound.ErrorCode(err) != o2sound.CodeTokenInvalid {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	// Past the limit even the right token is refused from that address, before any look-up…
	_, err := f.svc.Redeem(ctx, tempToken(t, si), si.Session.Token, "203.0.113.5")
	var e *o2sound.Error
	if !errors.As(err, &e) || e.Code != o2sound.CodeTooManyAttempts || e.Details.(map[string]int)["retry_after_seconds"] <= 0 {
		t.Fatalf("after 20 failures: %v", err)
	}
	// …and it was not used up: from another address it still works.
	if _, err := f.svc.Redeem(ctx, tempToken(t, si), si.Session.Token, "192.0.2.1"); err != nil {
		t.Fatalf("other address: %v", err)
	}
}
