package googleauth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// sealer encrypts the secrets sign-in keeps in the database: Google's refresh and
// access tokens and PKCE verifiers. A copied table or backup alone reveals none of
// them. The AES-256-GCM key is derived from SESSION_SECRET_KEY with HKDF-SHA256 under
// its own label, so it is never the key that hashes session tokens; each value is
// sealed with what it belongs to (a user, a token hash) as associated data, so a
// ciphertext moved to another row does not open.
type sealer struct{ aead cipher.AEAD }

// sealVersion prefixes every sealed value so a future key or cipher can be told apart.
const sealVersion = "v1."

// hkdfLabel names this key's purpose; changing it changes every derived key.
const hkdfLabel = "o2sound google-signin token encryption v1"

func newSealer(secret []byte) (*sealer, error) {
	if len(secret) < 32 {
		return nil, errors.New("googleauth: session secret shorter than 32 bytes")
	}
	key, err := hkdf.Key(sha256.New, secret, nil, hkdfLabel, 32)
	if err != nil {
		return nil, fmt.Errorf("googleauth: derive key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("googleauth: cipher: %w", err)
	}
	// A random 96-bit nonce per value, prepended to the ciphertext by the AEAD itself.
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("googleauth: gcm: %w", err)
	}
	return &sealer{aead: aead}, nil
}

// seal encrypts plain for the row described by bound. The empty string stays empty:
// "nothing stored" needs no ciphertext.
func (s *sealer) seal(plain, bound string) string {
	if plain == "" {
		return ""
	}
	return sealVersion + base64.RawURLEncoding.EncodeToString(s.aead.Seal(nil, nil, []byte(plain), []byte(bound)))
}

var errSealed = errors.New("googleauth: sealed value does not open (tampered, moved, or SESSION_SECRET_KEY changed)")

// open reverses seal for the same bound.
func (s *sealer) open(sealed, bound string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	rest, ok := strings.CutPrefix(sealed, sealVersion)
	if !ok {
		return "", errSealed
	}
	ct, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return "", errSealed
	}
	plain, err := s.aead.Open(nil, nil, ct, []byte(bound))
	if err != nil {
		return "", errSealed
	}
	return string(plain), nil
}
