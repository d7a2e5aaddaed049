package config

import (
	"bytes"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultsAndGeneratedSecret(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c, err := FromEnv(env(map[string]string{"DATA_DIR": dir}), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.ListenAddr != ":8000" || c.DSN() != dir+"/o2sound.db" || c.FrontendOrigins[0] != "http://localhost:3300" {
		t.Fatalf("defaults: %+v", c)
	}
	if c.CrawlRender != "auto" {
		t.Errorf("CRAWL_RENDER default %q, want auto", c.CrawlRender)
	}
	for in, want := range map[string]string{"off": "off", "ALWAYS": "always", " auto ": "auto"} {
		r, err := FromEnv(env(map[string]string{"DATA_DIR": dir, "CRAWL_RENDER": in}), nil, nil)
		if err != nil || r.CrawlRender != want {
			t.Errorf("CRAWL_RENDER=%q: %v, %v", in, r, err)
		}
	}
	if !c.SecretGenerated || len(c.SessionSecret) < 32 {
		t.Fatal("secret not generated")
	}
	again, err := FromEnv(env(map[string]string{"DATA_DIR": dir}), nil, nil)
	if err != nil || !bytes.Equal(again.SessionSecret, c.SessionSecret) {
		t.Fatal("generated secret not kept across starts")
	}
}

func TestBadConfiguration(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"DATABASE_URL": "mysql://x"}, "DATABASE_URL"},
		{map[string]string{"SESSION_SECRET_KEY": "short"}, "SESSION_SECRET_KEY"},
		{map[string]string{"APP_ENV": "production"}, "SESSION_SECRET_KEY is required"},
		{map[string]string{"FRONTEND_ORIGINS": "localhost:3300"}, "FRONTEND_ORIGINS"},
		{map[string]string{"SESSION_IDLE_TIMEOUT": "forever"}, "SESSION_IDLE_TIMEOUT"},
		{map[string]string{"COOKIE_SECURE": "maybe"}, "COOKIE_SECURE"},
		{map[string]string{"LOG_LEVEL": "loud"}, "LOG_LEVEL"},
		{map[string]string{"CRAWL_RENDER": "sometimes"}, "CRAWL_RENDER"},
	} {
		tc.env["DATA_DIR"] = t.TempDir()
		_, err := FromEnv(env(tc.env), nil, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want error mentioning %s", tc.env, err, tc.want)
		}
	}
}

func TestSecretNeverInError(t *testing.T) {
	t.Parallel()
	secret := "postgres://user:hunter2@db/x"
	_, err := FromEnv(env(map[string]string{"DATA_DIR": t.TempDir(), "SESSION_SECRET_KEY": "x", "DATABASE_URL": secret}), nil, nil)
	if err != nil && strings.Contains(err.Error(), "hunter2") {
		t.Fatal("error leaks a secret")
	}
}
