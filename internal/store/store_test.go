package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
	"github.com/o2sound/o2sound/internal/store/storetest"
)

// forEachDialect runs fn as a parallel subtest per database engine.
func forEachDialect(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	storetest.Each(t, func(t *testing.T, d store.Dialect) { fn(t, storetest.Open(t, d)) })
}

func mustUser(t *testing.T, db *store.DB, login string) *o2sound.User {
	t.Helper()
	u := &o2sound.User{UserID: login, Name: "Name " + login, Email: login + "@example.com", PasswordHash: "x"}
	if err := db.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestMigrateIsIdempotent(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		applied, err := db.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Fatalf("second Migrate applied %v", applied)
		}
	})
}

func TestUsers(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mustUser(t, db, "Alice")
		if u.ID == "" || u.CreatedAt.IsZero() {
			t.Fatalf("CreateUser did not fill id/times: %+v", u)
		}
		got, err := db.UserByLogin(ctx, "alice")
		if err != nil || got.ID != u.ID {
			t.Fatalf("UserByLogin case-insensitive: %v %+v", err, got)
		}
		if !got.CreatedAt.Equal(u.CreatedAt) {
			t.Fatalf("created_at round trip: %v != %v", got.CreatedAt, u.CreatedAt)
		}
		for _, tc := range []struct {
			name  string
			user  o2sound.User
			index string
		}{
			{"same login other case", o2sound.User{UserID: "ALICE", Name: "x"}, "users_user_id_key"},
			{"same email other case", o2sound.User{UserID: "bob", Name: "x", Email: "ALICE@example.com"}, "users_email_key"},
		} {
			err := db.CreateUser(ctx, &tc.user)
			if !errors.Is(err, store.ErrConflict) || !store.ConflictOn(err, tc.index) {
				t.Errorf("%s: got %v, want conflict on %s", tc.name, err, tc.index)
			}
		}
		// Two users without email do not collide.
		for _, login := range []string{"noemail1", "noemail2"} {
			if err := db.CreateUser(ctx, &o2sound.User{UserID: login, Name: "x"}); err != nil {
				t.Fatal(err)
			}
		}
		up, err := db.UpdateProfile(ctx, u.ID, "Alice B", "", "010-1234-5678")
		if err != nil || up.Name != "Alice B" || up.Email != "" || up.PhoneNumber != "010-1234-5678" {
			t.Fatalf("UpdateProfile: %v %+v", err, up)
		}
		if _, err := db.UserByID(ctx, "not-a-uuid"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("malformed id: %v", err)
		}
	})
}

func TestItemsAreOwnerScoped(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, b := mustUser(t, db, "a"), mustUser(t, db, "b")
		var ids []string
		for i := range 3 {
			it := &o2sound.Item{OwnerID: a.ID, Name: fmt.Sprint("cafe ", i), URL: fmt.Sprintf("https://c%d.example", i), Hashtags: []string{"카페"}}
			if err := db.SaveItemForURL(ctx, it); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, it.ID)
		}
		// Saving the same URL again updates, not duplicates.
		again := &o2sound.Item{OwnerID: a.ID, Name: "renamed", URL: "https://c0.example"}
		if err := db.SaveItemForURL(ctx, again); err != nil || again.ID != ids[0] || again.Name != "renamed" {
			t.Fatalf("upsert: %v %+v", err, again)
		}
		items, total, err := db.ListItems(ctx, a.ID, o2sound.Page{Number: 1, Size: 2})
		if err != nil || total != 3 || len(items) != 2 || items[0].ID != ids[2] {
			t.Fatalf("ListItems page: %v total=%d len=%d", err, total, len(items))
		}
		if items[0].Hashtags[0] != "카페" {
			t.Fatalf("hashtags round trip: %v", items[0].Hashtags)
		}
		if _, n, _ := db.ListItems(ctx, b.ID, o2sound.Page{}); n != 0 {
			t.Fatalf("b sees %d of a's items", n)
		}
		if _, err := db.ItemByID(ctx, b.ID, ids[1]); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("b reads a's item: %v", err)
		}
		if err := db.UpdateItem(ctx, &o2sound.Item{ID: ids[1], OwnerID: b.ID, Name: "stolen"}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("b updates a's item: %v", err)
		}
		if err := db.DeleteItem(ctx, b.ID, ids[1]); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("b deletes a's item: %v", err)
		}
		if err := db.DeleteItem(ctx, a.ID, ids[1]); err != nil {
			t.Fatal(err)
		}
	})
}

func TestVideos(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, b := mustUser(t, db, "a"), mustUser(t, db, "b")
		v := &o2sound.Video{OwnerID: a.ID, Title: "promo", Filename: "abc.mp4", ThumbnailName: "abc.jpg", Status: o2sound.VideoCompleted, Duration: 30.5}
		if err := db.CreateVideo(ctx, v); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"abc.mp4", "abc.jpg"} {
			got, err := db.VideoByFileName(ctx, name)
			if err != nil || got.ID != v.ID {
				t.Fatalf("VideoByFileName(%s): %v", name, err)
			}
		}
		if err := db.CountDownload(ctx, v.ID); err != nil {
			t.Fatal(err)
		}
		got, _ := db.VideoByID(ctx, a.ID, v.ID)
		if got.DownloadCount != 1 || got.Duration != 30.5 {
			t.Fatalf("video: %+v", got)
		}
		if _, err := db.DeleteVideo(ctx, b.ID, v.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("b deletes a's video: %v", err)
		}
		if _, err := db.DeleteVideo(ctx, a.ID, v.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.VideoByFileName(ctx, "abc.mp4"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("deleted video still found: %v", err)
		}
	})
}

func TestSessions(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mustUser(t, db, "s")
		s := &store.Session{TokenHash: "h1", OwnerID: u.ID, ExpiresAt: time.Now().Add(time.Hour)}
		if err := db.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		got, err := db.SessionByHash(ctx, "h1")
		if err != nil || got.OwnerID != u.ID || got.ExpiresAt.Sub(s.ExpiresAt).Abs() > time.Millisecond {
			t.Fatalf("SessionByHash: %v %+v", err, got)
		}
		so, err := db.SessionOwner(ctx, "h1")
		if err != nil || !so.LastSeenAt.Equal(got.LastSeenAt) || !so.ExpiresAt.Equal(got.ExpiresAt) {
			t.Fatalf("SessionOwner: %v %+v", err, so)
		}
		if gu := so.User; gu.ID != u.ID || gu.UserID != "s" || gu.Name != u.Name || gu.Email != "s@example.com" || gu.PasswordHash != "x" || !gu.CreatedAt.Equal(u.CreatedAt) || !gu.UpdatedAt.Equal(u.UpdatedAt) {
			t.Fatalf("SessionOwner's user: %+v, want %+v", gu, u)
		}
		if _, err := db.SessionOwner(ctx, "h2"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("SessionOwner of an unknown hash: %v", err)
		}
		if n, err := db.DeleteExpiredSessions(ctx, time.Hour); err != nil || n != 0 {
			t.Fatalf("fresh session expired: %v %d", err, n)
		}
		if err := db.DeleteSession(ctx, "h1"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionByHash(ctx, "h1"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("deleted session: %v", err)
		}
	})
}

// TestListTasksLoadsEachTasksStages: a page of tasks comes with each task's own
// stages (loaded together), newest first, and never another owner's.
func TestListTasksLoadsEachTasksStages(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, b := mustUser(t, db, "lister"), mustUser(t, db, "other")
		var ids []string
		for i := range 3 {
			tk := &o2sound.Task{OwnerID: a.ID, URL: fmt.Sprintf("https://site%d.example/", i)}
			if err := db.CreateTask(ctx, tk, fmt.Sprintf("v%d.mp4", i), fmt.Sprintf("v%d.jpg", i)); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, tk.ID)
			// Task i has its first i stages done, so each task's stages are told apart.
			for _, s := range o2sound.Stages[:i] {
				if err := db.SetStage(ctx, tk.ID, s, o2sound.StageDone, 100, nil); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := db.CreateTask(ctx, &o2sound.Task{OwnerID: b.ID, URL: "https://b.example/"}, "b.mp4", "b.jpg"); err != nil {
			t.Fatal(err)
		}
		tasks, total, err := db.ListTasks(ctx, a.ID, o2sound.Page{Number: 1, Size: 2})
		if err != nil || total != 3 || len(tasks) != 2 {
			t.Fatalf("ListTasks: %d of %d, %v", len(tasks), total, err)
		}
		for k, tk := range tasks {
			i := 2 - k // newest first
			if tk.ID != ids[i] || len(tk.Stages) != len(o2sound.Stages) {
				t.Fatalf("task %d: %s with %d stages, want %s", k, tk.ID, len(tk.Stages), ids[i])
			}
			for j, s := range o2sound.Stages {
				want := o2sound.StagePending
				if j < i {
					want = o2sound.StageDone
				}
				if got := tk.Stages[s].State; got != want {
					t.Errorf("task %d stage %s: %s, want %s", i, s, got, want)
				}
			}
		}
	})
}

// TestRepeatedQueriesArePrepared: a query text run again is not compiled again. On
// SQLite the store's cache holds one prepared statement per text; on PostgreSQL the
// pool keeps pgx's statement cache, one server-side statement per text and connection.
func TestRepeatedQueriesArePrepared(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mustUser(t, db, "prep")
		read := func() {
			t.Helper()
			if got, err := db.UserByID(ctx, u.ID); err != nil || got.UserID != "prep" {
				t.Fatalf("UserByID: %v %+v", err, got)
			}
		}
		if db.Dialect() == store.SQLite {
			read()
			n := db.PreparedTexts()
			for range 10 {
				read()
			}
			if got := db.PreparedTexts(); got != n || n == 0 {
				t.Fatalf("prepared texts: %d after the first read, %d after ten more", n, got)
			}
			return
		}
		cc := db.Pool().Config().ConnConfig
		if cc.DefaultQueryExecMode != pgx.QueryExecModeCacheStatement || cc.StatementCacheCapacity == 0 {
			t.Fatalf("pool query mode %v, statement cache %d", cc.DefaultQueryExecMode, cc.StatementCacheCapacity)
		}
		// The server lists a connection's prepared statements with their text.
		const text = `SELECT id FROM users WHERE user_id = $1`
		err := db.Pool().AcquireFunc(ctx, func(c *pgxpool.Conn) error {
			for i := range 3 {
				var id string
				if err := c.QueryRow(ctx, text, "prep").Scan(&id); err != nil {
					return err
				}
				var n int
				if err := c.QueryRow(ctx, `SELECT count(*) FROM pg_prepared_statements WHERE statement = $1`, text).Scan(&n); err != nil {
					return err
				}
				if n != 1 {
					return fmt.Errorf("run %d: the text is prepared %d times on the connection, want 1", i, n)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
