// Package googletest is a local OpenID Connect issuer standing in for Google in
// tests: discovery document, JWKS, an authorisation endpoint that approves at once
// as a chosen identity, and a token endpoint that checks what Google checks (client
// credentials, single-use codes, redirect URI, PKCE S256) and returns RS256-signed ID
// tokens. Tests can tamper with the next ID tokens to exercise every refusal.
package googletest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// keys are generated once per test binary: RSA generation is the slow part.
var keys = sync.OnceValues(func() (*rsa.PrivateKey, *rsa.PrivateKey) {
	k1, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	k2, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k1, k2
})

// OtherKey is an RSA key the issuer does not publish: tokens signed with it must fail.
func OtherKey() *rsa.PrivateKey { _, k := keys(); return k }

// Identity is the Google account that approves the next sign-ins.
type Identity struct {
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
	Picture       string
}

// DefaultIdentity is a verified Gmail user.
var DefaultIdentity = Identity{Subject: "109876543210987654321", Email: "user@gmail.com", EmailVerified: true,
	Name: "구글 사용자", Picture: "https://lh3.googleusercontent.com/a/test-picture"}

// Issuer is a running local issuer.
type Issuer struct {
	URL          string
	ClientID     string
	ClientSecret string

	srv *httptest.Server
	key *rsa.PrivateKey
	kid string

	mu       sync.Mutex
	identity Identity
	tamper   func(claims map[string]any)
	signWith *rsa.PrivateKey
	deny     string
	noID     bool
	codes    map[string]*grant
	refused  []string
	issued   []Tokens
}

// Tokens is one successful token response, for tests to compare with what O2Sound
// hands out and keeps.
type Tokens struct {
	AccessToken  string
	RefreshToken string
	IDToken      string
}

type grant struct {
	clientID, redirectURI, challenge, nonce string
	identity                                Identity
	used                                    bool
}

// New starts an issuer for the client id and secret, stopped when tb ends.
func New(tb testing.TB, clientID, clientSecret string) *Issuer {
	tb.Helper()
	k, _ := keys()
	i := &Issuer{ClientID: clientID, ClientSecret: clientSecret, key: k, kid: "test-key-1",
		identity: DefaultIdentity, codes: map[string]*grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", i.discovery)
	mux.HandleFunc("GET /jwks", i.jwks)
	mux.HandleFunc("GET /authorize", i.authorize)
	mux.HandleFunc("POST /token", i.token)
	i.srv = httptest.NewServer(mux)
	i.URL = i.srv.URL
	tb.Cleanup(i.srv.Close)
	return i
}

// SetIdentity chooses who approves the next sign-ins.
func (i *Issuer) SetIdentity(id Identity) { i.mu.Lock(); i.identity = id; i.mu.Unlock() }

// Tamper edits the claims of every ID token issued from now on (nil stops).
func (i *Issuer) Tamper(f func(claims map[string]any)) { i.mu.Lock(); i.tamper = f; i.mu.Unlock() }

// SignWith signs ID tokens with k instead of the published key (nil restores it).
func (i *Issuer) SignWith(k *rsa.PrivateKey) { i.mu.Lock(); i.signWith = k; i.mu.Unlock() }

// Deny makes the authorisation endpoint answer with error instead of a code ("" stops).
func (i *Issuer) Deny(error string) { i.mu.Lock(); i.deny = error; i.mu.Unlock() }

// OmitIDToken leaves the id_token out of token responses.
func (i *Issuer) OmitIDToken(omit bool) { i.mu.Lock(); i.noID = omit; i.mu.Unlock() }

// Refusals lists why the token endpoint refused requests, oldest first.
func (i *Issuer) Refusals() []string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return slices.Clone(i.refused)
}

// Issued lists the token responses given, oldest first.
func (i *Issuer) Issued() []Tokens {
	i.mu.Lock()
	defer i.mu.Unlock()
	return slices.Clone(i.issued)
}

func (i *Issuer) discovery(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                i.URL,
		"authorization_endpoint":                i.URL + "/authorize",
		"token_endpoint":                        i.URL + "/token",
		"jwks_uri":                              i.URL + "/jwks",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
		"scopes_supported":                      []string{"openid", "email", "profile"},
	})
}

func (i *Issuer) jwks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &i.key.PublicKey, KeyID: i.kid, Algorithm: string(jose.RS256), Use: "sig"},
	}})
}

// authorize approves at once, as Google does for a user already signed in who has
// consented before, after checking the request is one Google would accept.
func (i *Issuer) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	switch {
	case q.Get("client_id") != i.ClientID:
		err = fmt.Errorf("unknown client_id")
	case err != nil || !redirect.IsAbs():
		err = fmt.Errorf("redirect_uri must be absolute")
	case q.Get("response_type") != "code":
		err = fmt.Errorf("response_type must be code")
	case !slices.Contains(strings.Fields(q.Get("scope")), "openid"):
		err = fmt.Errorf("scope must include openid")
	case q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43:
		err = fmt.Errorf("PKCE S256 is required")
	case q.Get("state") == "" || q.Get("nonce") == "":
		err = fmt.Errorf("state and nonce are required")
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	back := redirect.Query()
	back.Set("state", q.Get("state"))
	i.mu.Lock()
	if i.deny != "" {
		back.Set("error", i.deny)
	} else {
		code := "4/" + randomString(24)
		i.codes[code] = &grant{clientID: q.Get("client_id"), redirectURI: q.Get("redirect_uri"),
			challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), identity: i.identity}
		back.Set("code", code)
	}
	i.mu.Unlock()
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

// token exchanges a code the way Google does: client credentials (Basic or form),
// a known and unused code issued to that client and redirect URI, and the PKCE
// verifier whose S256 hash is the code's challenge.
func (i *Issuer) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	id, secret, ok := r.BasicAuth()
	if ok {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	refuse := func(status int, code, why string) {
		i.refused = append(i.refused, why)
		writeJSON(w, status, map[string]string{"error": code, "error_description": why})
	}
	if id != i.ClientID || subtle.ConstantTimeCompare([]byte(secret), []byte(i.ClientSecret)) != 1 {
		refuse(http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	if r.PostForm.Get("grant_type") != "authorization_code" {
		refuse(http.StatusBadRequest, "unsupported_grant_type", "grant_type must be authorization_code")
		return
	}
	g := i.codes[r.PostForm.Get("code")]
	switch {
	case g == nil:
		refuse(http.StatusBadRequest, "invalid_grant", "unknown code")
		return
	case g.used:
		refuse(http.StatusBadRequest, "invalid_grant", "code already used")
		return
	}
	g.used = true // a code is spent by any attempt, as at Google
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case g.clientID != id || g.redirectURI != r.PostForm.Get("redirect_uri"):
		refuse(http.StatusBadRequest, "invalid_grant", "redirect_uri mismatch")
		return
	case base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
		refuse(http.StatusBadRequest, "invalid_grant", "PKCE verification failed")
		return
	}

	t := Tokens{AccessToken: "ya29.test-" + randomString(32), RefreshToken: "1//test-" + randomString(32)}
	now := time.Now()
	atHash := sha256.Sum256([]byte(t.AccessToken))
	c := map[string]any{
		"iss": i.URL, "aud": i.ClientID, "azp": i.ClientID, "sub": g.identity.Subject,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "nonce": g.nonce,
		"at_hash": base64.RawURLEncoding.EncodeToString(atHash[:16]),
		"email":   g.identity.Email, "email_verified": g.identity.EmailVerified,
		"name": g.identity.Name, "picture": g.identity.Picture,
	}
	if i.tamper != nil {
		i.tamper(c)
	}
	key := i.key
	if i.signWith != nil {
		key = i.signWith
	}
	var err error
	if t.IDToken, err = sign(key, i.kid, c); err != nil {
		refuse(http.StatusInternalServerError, "server_error", err.Error())
		return
	}
	i.issued = append(i.issued, t)
	resp := map[string]any{"access_token": t.AccessToken, "token_type": "Bearer", "expires_in": 3599,
		"refresh_token": t.RefreshToken, "scope": "openid email profile"}
	if !i.noID {
		resp["id_token"] = t.IDToken
	}
	writeJSON(w, http.StatusOK, resp)
}

// Now returns a Unix time claim value shifted by d, for tampering with exp and iat.
func Now(d time.Duration) int64 { return time.Now().Add(d).Unix() }

func sign(key *rsa.PrivateKey, kid string, claims map[string]any) (string, error) {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
