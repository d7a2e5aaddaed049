// Package storetest opens real, migrated databases for tests: a SQLite file in a
// temporary directory, and — when TEST_DATABASE_URL is set — a fresh PostgreSQL schema
// that is dropped when the test ends.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/o2sound/o2sound/internal/store"
)

// Dialects lists the engines tests should run against: SQLite always, PostgreSQL
// when TEST_DATABASE_URL names one.
func Dialects() []store.Dialect {
	if os.Getenv("TEST_DATABASE_URL") != "" {
		return []store.Dialect{store.SQLite, store.Postgres}
	}
	return []store.Dialect{store.SQLite}
}

// Each runs fn as a parallel subtest, named after the engine, for every dialect in
// Dialects.
func Each(t *testing.T, fn func(t *testing.T, d store.Dialect)) {
	t.Helper()
	RequirePostgresInCI(t)
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, d)
		})
	}
}

// RequirePostgresInCI fails the test under CI=true when TEST_DATABASE_URL is unset: CI
// must test both engines, and a missing PostgreSQL must not pass as "SQLite only".
func RequirePostgresInCI(tb testing.TB) {
	tb.Helper()
	if os.Getenv("CI") != "" && os.Getenv("TEST_DATABASE_URL") == "" {
		tb.Fatal("CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests would not run (make test sets it)")
	}
}

// Open returns a migrated database of dialect d that is closed (and, on PostgreSQL,
// dropped) when tb ends.
func Open(tb testing.TB, d store.Dialect) *store.DB {
	tb.Helper()
	dsn := DSN(tb, d)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return db
}

// DSN returns a connection string for an empty database of dialect d, removed when tb
// ends. Use it when the code under test opens the database itself.
func DSN(tb testing.TB, d store.Dialect) string {
	tb.Helper()
	if d == store.SQLite {
		return filepath.Join(tb.TempDir(), "o2sound.db")
	}
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		tb.Skip("TEST_DATABASE_URL is not set")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatalf("storetest: connect TEST_DATABASE_URL: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, base); err == nil {
			c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
			c.Close(ctx)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
