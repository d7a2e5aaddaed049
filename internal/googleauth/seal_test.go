package googleauth

import (
	"strings"
	"testing"
)

func TestSealer(t *testing.T) {
	t.Parallel()
	s1, err := newSealer([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := newSealer([]byte(strings.Repeat("j", 32)))
	const secret = "1//0gVO1VQ-refresh"
	a, b := s1.seal(secret, "refresh:u1"), s1.seal(secret, "refresh:u1")
	if a == b {
		t.Error("two seals of one value are equal: the nonce is not random")
	}
	if strings.Contains(a, secret) || !strings.HasPrefix(a, sealVersion) {
		t.Errorf("sealed value %q", a)
	}
	if got, err := s1.open(a, "refresh:u1"); err != nil || got != secret {
		t.Fatalf("open = %q, %v", got, err)
	}
	flipped := []byte(a)
	flipped[len(flipped)-3] ^= 1
	for name, tc := range map[string]struct {
		s             *sealer
		sealed, bound string
	}{
		"other row":      {s1, a, "refresh:u2"},
		"other secret":   {s2, a, "refresh:u1"},
		"tampered":       {s1, string(flipped), "refresh:u1"},
		"no version":     {s1, strings.TrimPrefix(a, sealVersion), "refresh:u1"},
		"not base64":     {s1, sealVersion + "!!!", "refresh:u1"},
		"truncated":      {s1, a[:10], "refresh:u1"},
		"plain text row": {s1, secret, "refresh:u1"},
	} {
		if got, err := tc.s.open(tc.sealed, tc.bound); err == nil {
			t.Errorf("%s: opened to %q", name, got)
		}
	}
	if s1.seal("", "x") != "" {
		t.Error("empty value sealed to non-empty")
	}
	if got, err := s1.open("", "x"); got != "" || err != nil {
		t.Errorf("open empty = %q, %v", got, err)
	}
	if _, err := newSealer([]byte("short")); err == nil {
		t.Error("short secret accepted")
	}
}

func BenchmarkSeal(b *testing.B) {
	s, _ := newSealer([]byte(strings.Repeat("k", 32)))
	for b.Loop() {
		s.open(s.seal("ya29.a0AfH6SMBx-access-token-of-typical-length-0123456789", "access:h"), "access:h")
	}
}
