package store

import (
	"context"
	"fmt"
	"time"
)

// TryAttempt counts an attempt for (scope, keyHash) unless limit attempts already fall
// within the last window; then it counts nothing and says how long until the oldest
// of them leaves the window. The check and the count are one transaction, serialised
// per key (SQLite's write lock; an advisory lock on PostgreSQL), so API processes
// sharing the database cannot together let more than limit through.
func (db *DB) TryAttempt(ctx context.Context, scope, keyHash string, limit int, window time.Duration) (id int64, blocked bool, wait time.Duration, err error) {
	err = db.InTx(ctx, func(tx *Tx) error {
		if db.dialect == Postgres {
			if _, err := tx.q.exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, scope+" "+keyHash); err != nil {
				return err
			}
		}
		now := db.clock()
		rs, err := tx.q.query(ctx, `SELECT at FROM attempts WHERE scope = $1 AND key_hash = $2 AND at > $3 ORDER BY at`,
			scope, keyHash, now.Add(-window))
		if err != nil {
			return err
		}
		var times []time.Time
		for rs.Next() {
			var at time.Time
			if err := rs.Scan(&at); err != nil {
				rs.Close()
				return err
			}
			times = append(times, at)
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return err
		}
		if len(times) >= limit {
			blocked, wait = true, times[len(times)-limit].Add(window).Sub(now)
			return nil
		}
		return tx.q.queryRow(ctx, `INSERT INTO attempts (scope, key_hash, at) VALUES ($1, $2, $3) RETURNING id`, scope, keyHash, now).Scan(&id)
	})
	if err != nil {
		return 0, false, 0, fmt.Errorf("store: count attempt: %w", err)
	}
	return id, blocked, max(wait, 0), nil
}

// UndoAttempt takes back the attempt TryAttempt counted as id: one that turned out
// to be legitimate. By id, so that parallel requests each give back their own.
func (q Queries) UndoAttempt(ctx context.Context, id int64) error {
	if _, err := q.q.exec(ctx, `DELETE FROM attempts WHERE id = $1`, id); err != nil {
		return fmt.Errorf("store: undo attempt: %w", err)
	}
	return nil
}

// ResetAttempts forgets every attempt counted for (scope, keyHash).
func (q Queries) ResetAttempts(ctx context.Context, scope, keyHash string) error {
	if _, err := q.q.exec(ctx, `DELETE FROM attempts WHERE scope = $1 AND key_hash = $2`, scope, keyHash); err != nil {
		return fmt.Errorf("store: reset attempts: %w", err)
	}
	return nil
}

// DeleteAttemptsBefore removes attempts older than before, which no window reaches.
func (q Queries) DeleteAttemptsBefore(ctx context.Context, before time.Time) (int64, error) {
	n, err := q.q.exec(ctx, `DELETE FROM attempts WHERE at < $1`, before.UTC())
	if err != nil {
		return 0, fmt.Errorf("store: delete old attempts: %w", err)
	}
	return n, nil
}
