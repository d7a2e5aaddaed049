package auth

import (
	"strings"
	"sync"
	"testing"
)

func TestPasswordRoundTrip(t *testing.T) {
	t.Parallel()
	h, err := HashPassword("securepassword123")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("unexpected encoding %q", h)
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"securepassword123", true}, {"securepassword124", false}, {"", false}, {"비밀번호비밀번호", false}} {
		ok, err := VerifyPassword(tc.pw, h)
		if err != nil || ok != tc.want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	h2, _ := HashPassword("securepassword123")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
}

func TestVerifyRejectsMalformedHashes(t *testing.T) {
	t.Parallel()
	for _, h := range []string{"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=19456,t=2,p=1$!!$a2V5",
		"$argon2id$v=18$m=19456,t=2,p=1$c2FsdA$a2V5"} {
		if ok, err := VerifyPassword("x", h); ok || err == nil {
			t.Errorf("VerifyPassword accepted %q", h)
		}
	}
}

func FuzzVerifyPassword(f *testing.F) {
	f.Add("pw", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5")
	f.Fuzz(func(t *testing.T, pw, h string) {
		VerifyPassword(pw, h) // must not panic
	})
}

func TestTokens(t *testing.T) {
	t.Parallel()
	a, b := NewToken(), NewToken()
	if a == b || len(a) != 43 {
		t.Fatalf("tokens %q %q", a, b)
	}
	if len(RandomName(16)) != 32 {
		t.Fatal("RandomName(16) is not 128 bits of hex")
	}
	if TokenHash([]byte("k1"), a) == TokenHash([]byte("k2"), a) {
		t.Fatal("token hash ignores the key")
	}
}

// TestTokenHasherMatchesTokenHash: the keyed-once hasher gives TokenHash's answer for
// every token, including from many goroutines sharing it.
func TestTokenHasherMatchesTokenHash(t *testing.T) {
	t.Parallel()
	for _, secret := range [][]byte{[]byte(strings.Repeat("s", 32)), []byte("short"), make([]byte, 100)} {
		h := NewTokenHasher(secret)
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Go(func() {
				for i := range 50 {
					tok := NewToken()
					if i%7 == 0 {
						tok = strings.Repeat("x", g*i) // lengths around the block size too
					}
					if got, want := h.Hash(tok), TokenHash(secret, tok); got != want {
						t.Errorf("secret %q, token %q: %s, want %s", secret, tok, got, want)
					}
				}
			})
		}
		wg.Wait()
	}
}
