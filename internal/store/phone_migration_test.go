package store_test

import (
	"context"
	"testing"

	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
)

// TestPhoneMigration runs 0007 over rows written before numbers were kept in E.164:
// every form the old Korean validator accepted becomes E.164, the rest is left alone.
func TestPhoneMigration(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cases := []struct{ before, after string }{
			{"010-1234-5678", "+821012345678"},
			{"01012345678", "+821012345678"},
			{"02-123-4567", "+8221234567"},
			{"031-123-4567", "+82311234567"},
			{"0505-123-4567", "+825051234567"},
			{"1588-1234", "+8215881234"},
			{"+15125550147", "+15125550147"},
			{"", ""},
			{"call 02-1234", "call 02-1234"},
		}
		users := make([]*o2sound.User, len(cases))
		items := make([]*o2sound.Item, len(cases))
		owner := mustUser(t, db, "phoneowner")
		for i, tc := range cases {
			users[i] = &o2sound.User{UserID: "legacy" + string(rune('a'+i)), Name: "x", PhoneNumber: tc.before}
			if err := db.CreateUser(ctx, users[i]); err != nil {
				t.Fatal(err)
			}
			items[i] = &o2sound.Item{OwnerID: owner.ID, Name: "x", URL: "https://legacy.example/" + string(rune('a'+i)), PhoneNumber: tc.before}
			if err := db.SaveItemForURL(ctx, items[i]); err != nil {
				t.Fatal(err)
			}
		}
		// Run 0007 again, as on a database that had the rows before it.
		del := `DELETE FROM schema_migrations WHERE version = 7`
		var err error
		if db.Dialect() == store.Postgres {
			_, err = db.Pool().Exec(ctx, del)
		} else {
			_, err = db.SQL().ExecContext(ctx, del)
		}
		if err != nil {
			t.Fatal(err)
		}
		applied, err := db.Migrate(ctx)
		if err != nil || len(applied) != 1 || applied[0] != "0007_phone_e164.sql" {
			t.Fatalf("migrate: %v %v", applied, err)
		}
		for i, tc := range cases {
			u, err := db.UserByID(ctx, users[i].ID)
			if err != nil {
				t.Fatal(err)
			}
			it, err := db.ItemByID(ctx, owner.ID, items[i].ID)
			if err != nil {
				t.Fatal(err)
			}
			if u.PhoneNumber != tc.after || it.PhoneNumber != tc.after {
				t.Errorf("%q became %q (user) and %q (item), want %q", tc.before, u.PhoneNumber, it.PhoneNumber, tc.after)
			}
		}
	})
}
