package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"sync"
)

// NewToken returns a URL-safe random token carrying 256 bits.
func NewToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails on supported platforms (Go 1.24+ panics instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// RandomName returns n random bytes hex-encoded; file names use it (16 bytes = 128 bits).
func RandomName(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// TokenHash is what the database stores for a token: an HMAC keyed by the server's
// secret, so a leaked sessions table cannot be replayed as cookies.
func TokenHash(secret []byte, token string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(token))
	return hex.EncodeToString(m.Sum(nil))
}

// TokenHasher computes TokenHash for one secret, keying the HMAC once rather than on
// every call: every authenticated request hashes its session token. Safe for
// concurrent use.
type TokenHasher struct{ pool sync.Pool }

// NewTokenHasher returns a hasher for secret.
func NewTokenHasher(secret []byte) *TokenHasher {
	key := append([]byte(nil), secret...)
	return &TokenHasher{pool: sync.Pool{New: func() any { return hmac.New(sha256.New, key) }}}
}

// Hash returns TokenHash(secret, token).
func (h *TokenHasher) Hash(token string) string {
	m := h.pool.Get().(hash.Hash)
	m.Reset() // back to the keyed state, without hashing the key again
	m.Write([]byte(token))
	var sum [sha256.Size]byte
	s := hex.EncodeToString(m.Sum(sum[:0]))
	h.pool.Put(m)
	return s
}
