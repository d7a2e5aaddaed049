package engine

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
	"github.com/o2sound/o2sound/internal/store/storetest"
)

// TestRiverMigratesUpFromV7 is the upgrade a deployed database makes: River v0.47 left
// its schema at version 7; v0.48 added version 8 (on SQLite it rebuilds river_job). The
// jobs queued before the upgrade must survive it.
func TestRiverMigratesUpFromV7(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		ctx := context.Background()
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		if err := MigrateQueue(ctx, db, log); err != nil {
			t.Fatal(err)
		}
		var err error
		if d == store.SQLite {
			err = checkUpgradeFrom7(ctx, t, riversqlite.New(db.SQL()), db, log)
		} else {
			err = checkUpgradeFrom7(ctx, t, riverpgxv5.New(db.Pool()), db, log)
		}
		if err != nil {
			t.Fatal(err)
		}
	})
}

func checkUpgradeFrom7[TTx any](ctx context.Context, t *testing.T, driver riverdriver.Driver[TTx], db *store.DB, log *slog.Logger) error {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: log})
	if err != nil {
		return err
	}
	latest := m.AllVersions()[len(m.AllVersions())-1].Version
	if latest < 8 {
		t.Fatalf("River's latest migration is %d; v0.51 has 8", latest)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionDown, &rivermigrate.MigrateOpts{TargetVersion: 7}); err != nil {
		return err
	}
	if v := lastVersion(ctx, t, m); v != 7 {
		t.Fatalf("schema at %d after migrating down to 7", v)
	}
	// A job queued by the old version, with an insert-only client.
	c, err := river.NewClient(driver, &river.Config{Logger: log})
	if err != nil {
		return err
	}
	ins, err := c.Insert(ctx, StageArgs{TaskID: "0190a000-0000-7000-8000-000000000001", Stage: o2sound.StageCrawl}, insertOpts(o2sound.StageCrawl))
	if err != nil {
		return err
	}
	if err := MigrateQueue(ctx, db, log); err != nil {
		return err
	}
	if v := lastVersion(ctx, t, m); v != latest {
		t.Fatalf("schema at %d after MigrateQueue, want %d", v, latest)
	}
	got, err := c.JobGet(ctx, ins.Job.ID)
	if err != nil {
		return err
	}
	if got.Kind != "o2sound_crawl" || string(got.EncodedArgs) == "" || got.State != ins.Job.State {
		t.Fatalf("job after the upgrade: %+v", got)
	}
	// The rebuilt table keeps handing out new ids.
	next, err := c.Insert(ctx, StageArgs{TaskID: "0190a000-0000-7000-8000-000000000001", Stage: o2sound.StageLyrics}, insertOpts(o2sound.StageLyrics))
	if err != nil {
		return err
	}
	if next.Job.ID <= ins.Job.ID {
		t.Fatalf("job id %d after %d", next.Job.ID, ins.Job.ID)
	}
	return nil
}

func lastVersion[TTx any](ctx context.Context, t *testing.T, m *rivermigrate.Migrator[TTx]) int {
	t.Helper()
	vs, err := m.ExistingVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		return 0
	}
	return vs[len(vs)-1].Version
}
