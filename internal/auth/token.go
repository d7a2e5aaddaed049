package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
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
