package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/o2sound"
)

// openSQLiteTest opens a migrated SQLite file. Tests here reach inside the statement
// cache, so they live in the package and cannot use storetest (which imports it).
func openSQLiteTest(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "o2sound.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

func addUsers(t *testing.T, q Queries, logins ...string) []*o2sound.User {
	t.Helper()
	var us []*o2sound.User
	for _, l := range logins {
		u := &o2sound.User{UserID: l, Name: l, PasswordHash: "x"}
		if err := q.CreateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		us = append(us, u)
	}
	return us
}

// TestStatementCacheKeepsOneStatementPerText: repeating a query adds no entry, the
// entry (with its rewritten text) is the same object every time, and once the
// background prepare is done the text runs as a prepared statement.
func TestStatementCacheKeepsOneStatementPerText(t *testing.T) {
	t.Parallel()
	db := openSQLiteTest(t)
	ctx := context.Background()
	u := addUsers(t, db.Queries, "once")[0]

	const q = `SELECT ` + userColumns + ` FROM users WHERE id = $1`
	if _, err := db.UserByID(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	db.stmts.pending.Wait()
	e := db.stmts.entry(q)
	if e.text != `SELECT `+userColumns+` FROM users WHERE id = ?1` || e.stmt.Load() == nil {
		t.Fatalf("after its first use: text %q, prepared %v", e.text, e.stmt.Load() != nil)
	}
	texts0, _ := db.stmts.size()
	for i := range 20 {
		got, err := db.UserByID(ctx, u.ID)
		if err != nil || got.UserID != "once" {
			t.Fatalf("read %d: %v %+v", i, err, got)
		}
		if db.stmts.entry(q) != e {
			t.Fatalf("read %d made a second entry for the same text", i)
		}
	}
	texts, prepared := db.stmts.size()
	if texts != texts0 || prepared != texts {
		t.Fatalf("after 20 reads of a known text: %d texts (%d before), %d prepared", texts, texts0, prepared)
	}
}

// TestStatementCacheInTransaction: a cached statement used inside a transaction runs
// on the transaction's connection — it sees the transaction's own writes, others do
// not until commit, and a rollback takes them away.
func TestStatementCacheInTransaction(t *testing.T) {
	t.Parallel()
	for _, commit := range []bool{true, false} {
		t.Run(fmt.Sprintf("commit=%v", commit), func(t *testing.T) {
			t.Parallel()
			db := openSQLiteTest(t)
			ctx := context.Background()
			addUsers(t, db.Queries, "warm") // prepares CreateUser's text
			if _, err := db.UserByLogin(ctx, "warm"); err != nil {
				t.Fatal(err)
			}
			db.stmts.pending.Wait()

			rollback := errors.New("roll back")
			err := db.InTx(ctx, func(tx *Tx) error {
				u := addUsers(t, tx.Queries, "intx")[0]
				if got, err := tx.UserByLogin(ctx, "intx"); err != nil || got.ID != u.ID {
					return fmt.Errorf("the transaction does not see its own row: %v", err)
				}
				if _, err := db.UserByLogin(ctx, "intx"); !errors.Is(err, ErrNotFound) {
					return fmt.Errorf("outside the transaction, before commit: %v", err)
				}
				if !commit {
					return rollback
				}
				return nil
			})
			if commit && err != nil || !commit && !errors.Is(err, rollback) {
				t.Fatal(err)
			}
			_, err = db.UserByLogin(ctx, "intx")
			if commit && err != nil || !commit && !errors.Is(err, ErrNotFound) {
				t.Fatalf("after the transaction (commit %v): %v", commit, err)
			}
		})
	}
}

// TestStatementCacheNestedUseInTransaction: SQLite has one cursor per statement, so a
// text run again while its own results are still open in the same transaction must
// not reuse (and reset) the statement under them.
func TestStatementCacheNestedUseInTransaction(t *testing.T) {
	t.Parallel()
	db := openSQLiteTest(t)
	ctx := context.Background()
	addUsers(t, db.Queries, "n1", "n2", "n3")
	const q = `SELECT user_id FROM users WHERE user_id LIKE $1 ORDER BY user_id`
	count := func(qr querier) (int, error) {
		rs, err := qr.query(ctx, q, "n%")
		if err != nil {
			return 0, err
		}
		defer rs.Close()
		n := 0
		for rs.Next() {
			n++
		}
		return n, rs.Err()
	}
	if _, err := count(db.q); err != nil { // prepares the text
		t.Fatal(err)
	}
	db.stmts.pending.Wait()
	err := db.InTx(ctx, func(tx *Tx) error {
		for range 2 { // the second round reuses the transaction's statement
			rs, err := tx.q.query(ctx, q, "n%")
			if err != nil {
				return err
			}
			var outer []string
			for rs.Next() {
				var id string
				if err := rs.Scan(&id); err != nil {
					return err
				}
				outer = append(outer, id)
				if n, err := count(tx.q); err != nil || n != 3 {
					return fmt.Errorf("inner query: %d rows, %v", n, err)
				}
			}
			rs.Close()
			if err := rs.Err(); err != nil {
				return err
			}
			if fmt.Sprint(outer) != "[n1 n2 n3]" {
				return fmt.Errorf("outer query read %v, want [n1 n2 n3]", outer)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestStatementCacheIsBounded: past its bound the cache stops growing, and the texts
// it no longer keeps still run.
func TestStatementCacheIsBounded(t *testing.T) {
	t.Parallel()
	db := openSQLiteTest(t)
	ctx := context.Background()
	texts0, _ := db.stmts.size()
	db.stmts.max = int32(texts0 + 3)
	for i := range 10 {
		var n int
		if err := db.q.queryRow(ctx, fmt.Sprintf(`SELECT %d + $1`, i), 1).Scan(&n); err != nil || n != i+1 {
			t.Fatalf("query %d: %d, %v", i, n, err)
		}
	}
	db.stmts.pending.Wait()
	if texts, prepared := db.stmts.size(); texts != texts0+3 || prepared != texts {
		t.Fatalf("cache holds %d texts (%d prepared), want %d", texts, prepared, texts0+3)
	}
}

// TestStatementCacheNoWaitInsideBusyTransactions: every connection busy in a
// transaction, each running a text never seen before, still finishes: preparing must
// not wait for a connection of its own from inside one.
func TestStatementCacheNoWaitInsideBusyTransactions(t *testing.T) {
	t.Parallel()
	db := openSQLiteTest(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	const conns = 8 // openSQLite's SetMaxOpenConns
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for i := range conns {
		wg.Go(func() {
			errs <- db.InTx(ctx, func(tx *Tx) error {
				var n int
				return tx.q.queryRow(ctx, fmt.Sprintf(`SELECT count(*) + %d FROM users WHERE user_id <> $1`, i), "x").Scan(&n)
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestCloseWaitsForPrepares: closing right after first uses leaves no prepare running.
func TestCloseWaitsForPrepares(t *testing.T) {
	t.Parallel()
	db := openSQLiteTest(t)
	ctx := context.Background()
	for i := range 20 {
		var n int
		if err := db.q.queryRow(ctx, fmt.Sprintf(`SELECT %d + $1`, i), 1).Scan(&n); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// A prepare either stored its statement or, failing, cleared its flag; one that
	// is neither was still running when Close returned.
	db.stmts.entries.Range(func(k, v any) bool {
		if e := v.(*sqlEntry); e.preparing.Load() && e.stmt.Load() == nil {
			t.Errorf("a prepare of %q outlived Close", k)
		}
		return true
	})
	if st := db.stmts.prepared(db.stmts.entry(`SELECT 99 + $1`)); st != nil {
		t.Fatal("a closed database handed out a statement")
	}
}

// TestStatementCacheSurvivesACancelledCallInTransaction: a call whose own context is
// already cancelled fails, and the transaction's next use of the same text, with a
// live context, still works.
func TestStatementCacheSurvivesACancelledCallInTransaction(t *testing.T) {
	t.Parallel()
	db := openSQLiteTest(t)
	ctx := context.Background()
	addUsers(t, db.Queries, "c1")
	if _, err := db.UserByLogin(ctx, "c1"); err != nil { // prepares the text
		t.Fatal(err)
	}
	db.stmts.pending.Wait()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	err := db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.UserByLogin(cancelled, "c1"); !errors.Is(err, context.Canceled) {
			return fmt.Errorf("with a cancelled context: %v", err)
		}
		if u, err := tx.UserByLogin(ctx, "c1"); err != nil || u.UserID != "c1" {
			return fmt.Errorf("after the cancelled call: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
