// Package config turns the environment (the seed's variable names where they exist)
// and command-line flags into one Config. Flags win over the environment.
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is everything O2Sound reads at start-up.
type Config struct {
	ListenAddr  string // LISTEN_ADDR, default ":8000"
	DataDir     string // DATA_DIR, default "./data"
	DatabaseURL string // DATABASE_URL; empty means a SQLite file in DataDir
	Production  bool   // APP_ENV=production: refuse unsafe defaults

	// SessionSecret keys token hashes and encrypts OAuth refresh tokens at rest.
	// From SESSION_SECRET_KEY; in development, generated once into DataDir.
	SessionSecret []byte `json:"-"`
	// SecretGenerated is true when SessionSecret was generated rather than configured.
	SecretGenerated bool

	CookieSecure    bool          // COOKIE_SECURE; defaults to true when PUBLIC_URL is https
	PublicURL       string        // PUBLIC_URL, e.g. https://o2sound.example.com
	FrontendOrigins []string      // FRONTEND_ORIGINS, comma separated; default http://localhost:3300
	SessionIdle     time.Duration // SESSION_IDLE_TIMEOUT, default 7 days
	SessionMaxAge   time.Duration // SESSION_MAX_AGE, default 30 days
	TrustProxy      bool          // TRUST_PROXY: take the client address from X-Forwarded-For
	// AdminUsers (ADMIN_USERS, comma-separated user_ids) and AdminToken (ADMIN_TOKEN, a
	// bearer token of ≥ 32 characters, for scrapers) may see /metrics and /admin/jobs.
	AdminUsers []string
	AdminToken string `json:"-"`

	Google Google

	// Workers is how many render (music, video, merge) jobs this process works at once
	// (WORKERS, -workers); 0 serves the API only. Light stages get WorkersLight.
	Workers      int
	WorkersLight int // WORKERS_LIGHT, default 4
	// CrawlAllowPrivate lets the crawler reach loopback and private addresses
	// (CRAWL_ALLOW_PRIVATE_NETWORKS): for local development and tests only.
	CrawlAllowPrivate bool
	// CrawlRender says when the crawler renders a page in headless Chromium
	// (CRAWL_RENDER): "auto" (default) only pages whose HTML is a JavaScript shell,
	// "always" every page, "off" never.
	CrawlRender string
	// VideoScale renders videos smaller than 1080p (VIDEO_SCALE, 0.1–1, default 1): for
	// previews, demos on slow machines and the end-to-end tests.
	VideoScale float64
	// MusicVoice adds an espeak-ng announcement over the song's intro and ending
	// (MUSIC_VOICE, default false).
	MusicVoice bool

	LogLevel  string // LOG_LEVEL: debug, info, warn, error
	LogFormat string // LOG_FORMAT: text or json
}

// Google holds the OAuth client settings (seed names).
type Google struct {
	ClientID     string `json:"-"` // GOOGLE_CLIENT_ID
	ClientSecret string `json:"-"` // GOOGLE_CLIENT_SECRET
	RedirectURI  string // GOOGLE_REDIRECT_URI
	// ErrorURL is where a failed sign-in is sent (GOOGLE_ERROR_URL; the seed's
	// http://localhost:3300/auth/error by default).
	ErrorURL string
	// IssuerURL is the OpenID issuer (GOOGLE_ISSUER_URL); tests point it at a local one.
	IssuerURL string
}

// Enabled reports whether Google sign-in is configured.
func (g Google) Enabled() bool {
	return g.ClientID != "" && g.ClientSecret != "" && g.RedirectURI != ""
}

// FromEnv reads the environment through getenv and then the flags in args (which may
// be nil). It returns an error naming the first bad setting.
func FromEnv(getenv func(string) string, fs *flag.FlagSet, args []string) (*Config, error) {
	c, err := fromEnv(getenv, fs, args)
	if err != nil {
		return nil, err
	}
	if err := c.loadSecret(getenv("SESSION_SECRET_KEY")); err != nil {
		return nil, err
	}
	return c, nil
}

// ForLocal reads the configuration of a command that serves no one and stores
// nothing ("o2sound make"): no data directory is used and no session key is read or
// generated, so the command writes nothing outside its output and its own temp dir.
func ForLocal(getenv func(string) string) (*Config, error) {
	return fromEnv(getenv, nil, nil)
}

func fromEnv(getenv func(string) string, fs *flag.FlagSet, args []string) (*Config, error) {
	c := &Config{
		ListenAddr:  or(getenv("LISTEN_ADDR"), ":8000"),
		DataDir:     or(getenv("DATA_DIR"), "./data"),
		DatabaseURL: getenv("DATABASE_URL"),
		Production:  strings.EqualFold(getenv("APP_ENV"), "production"),
		PublicURL:   strings.TrimRight(getenv("PUBLIC_URL"), "/"),
		LogLevel:    or(getenv("LOG_LEVEL"), "info"),
		LogFormat:   or(getenv("LOG_FORMAT"), "text"),
		CrawlRender: strings.ToLower(strings.TrimSpace(or(getenv("CRAWL_RENDER"), "auto"))),
		Google: Google{
			ClientID:     getenv("GOOGLE_CLIENT_ID"),
			ClientSecret: getenv("GOOGLE_CLIENT_SECRET"),
			RedirectURI:  getenv("GOOGLE_REDIRECT_URI"),
			ErrorURL:     or(getenv("GOOGLE_ERROR_URL"), "http://localhost:3300/auth/error"),
			IssuerURL:    or(getenv("GOOGLE_ISSUER_URL"), "https://accounts.google.com"),
		},
	}
	var err error
	if c.SessionIdle, err = duration(getenv, "SESSION_IDLE_TIMEOUT", 7*24*time.Hour); err != nil {
		return nil, err
	}
	if c.SessionMaxAge, err = duration(getenv, "SESSION_MAX_AGE", 30*24*time.Hour); err != nil {
		return nil, err
	}
	if c.TrustProxy, err = boolean(getenv, "TRUST_PROXY", false); err != nil {
		return nil, err
	}
	if c.CookieSecure, err = boolean(getenv, "COOKIE_SECURE", strings.HasPrefix(c.PublicURL, "https://")); err != nil {
		return nil, err
	}
	if c.CrawlAllowPrivate, err = boolean(getenv, "CRAWL_ALLOW_PRIVATE_NETWORKS", false); err != nil {
		return nil, err
	}
	if c.Workers, err = integer(getenv, "WORKERS", 1); err != nil {
		return nil, err
	}
	if c.WorkersLight, err = integer(getenv, "WORKERS_LIGHT", 4); err != nil {
		return nil, err
	}
	if c.MusicVoice, err = boolean(getenv, "MUSIC_VOICE", false); err != nil {
		return nil, err
	}
	c.VideoScale = 1
	if v := getenv("VIDEO_SCALE"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0.1 || f > 1 {
			return nil, fmt.Errorf("config: VIDEO_SCALE: %q is not a number from 0.1 to 1", v)
		}
		c.VideoScale = f
	}
	for _, u := range strings.Split(getenv("ADMIN_USERS"), ",") {
		if u = strings.TrimSpace(u); u != "" {
			c.AdminUsers = append(c.AdminUsers, u)
		}
	}
	c.AdminToken = getenv("ADMIN_TOKEN")
	if c.AdminToken != "" && len(c.AdminToken) < 32 {
		return nil, errors.New("config: ADMIN_TOKEN must be at least 32 characters")
	}
	origins := or(getenv("FRONTEND_ORIGINS"), "http://localhost:3300")
	for _, o := range strings.Split(origins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.FrontendOrigins = append(c.FrontendOrigins, strings.TrimRight(o, "/"))
		}
	}

	if fs != nil {
		fs.StringVar(&c.ListenAddr, "addr", c.ListenAddr, "listen address (LISTEN_ADDR)")
		fs.StringVar(&c.DataDir, "data", c.DataDir, "data directory (DATA_DIR)")
		fs.StringVar(&c.DatabaseURL, "db", c.DatabaseURL, "database: postgres://… or empty for SQLite in the data directory (DATABASE_URL)")
		fs.IntVar(&c.Workers, "workers", c.Workers, "render jobs worked at once in this process; 0 serves the API only (WORKERS)")
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Config) validate() error {
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return errors.New("config: DATABASE_URL must be a postgres:// URL (leave it empty for the embedded SQLite database)")
	}
	for _, o := range c.FrontendOrigins {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.User != nil {
			return fmt.Errorf("config: FRONTEND_ORIGINS: %q is not an origin like https://app.example.com", o)
		}
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("config: PUBLIC_URL: %q is not an absolute http(s) URL", c.PublicURL)
		}
	}
	if c.SessionIdle <= 0 || c.SessionMaxAge < c.SessionIdle {
		return errors.New("config: SESSION_IDLE_TIMEOUT must be positive and not longer than SESSION_MAX_AGE")
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("config: LOG_LEVEL: %q is not debug, info, warn or error", c.LogLevel)
	}
	switch c.CrawlRender {
	case "auto", "off", "always":
	default:
		return fmt.Errorf("config: CRAWL_RENDER: %q is not auto, off or always", c.CrawlRender)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("config: LOG_FORMAT: %q is not text or json", c.LogFormat)
	}
	return nil
}

// loadSecret uses SESSION_SECRET_KEY when set. Otherwise, outside production, it
// reads or creates DataDir/session.key so sessions survive restarts.
func (c *Config) loadSecret(env string) error {
	if env != "" {
		if len(env) < 32 {
			return errors.New("config: SESSION_SECRET_KEY must be at least 32 characters")
		}
		c.SessionSecret = []byte(env)
		return nil
	}
	if c.Production {
		return errors.New("config: SESSION_SECRET_KEY is required when APP_ENV=production")
	}
	path := filepath.Join(c.DataDir, "session.key")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		c.SessionSecret = []byte(strings.TrimSpace(string(b)))
		c.SecretGenerated = true
		return nil
	}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return fmt.Errorf("config: DATA_DIR %s: %w", c.DataDir, err)
	}
	b := make([]byte, 32)
	rand.Read(b)
	secret := hex.EncodeToString(b)
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return fmt.Errorf("config: write %s: %w", path, err)
	}
	c.SessionSecret = []byte(secret)
	c.SecretGenerated = true
	return nil
}

// SQLitePath is the database file used when DatabaseURL is empty.
func (c *Config) SQLitePath() string { return filepath.Join(c.DataDir, "o2sound.db") }

// DSN is what store.Open takes.
func (c *Config) DSN() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return c.SQLitePath()
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func duration(getenv func(string) string, key string, def time.Duration) (time.Duration, error) {
	v := getenv(key)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("config: %s: %q is not a positive duration like 168h", key, v)
	}
	return d, nil
}

func integer(getenv func(string) string, key string, def int) (int, error) {
	v := getenv(key)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 64 {
		return 0, fmt.Errorf("config: %s: %q is not a whole number from 0 to 64", key, v)
	}
	return n, nil
}

func boolean(getenv func(string) string, key string, def bool) (bool, error) {
	v := getenv(key)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("config: %s: %q is not true or false", key, v)
	}
	return b, nil
}
