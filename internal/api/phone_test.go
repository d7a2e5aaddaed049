package api_test

import (
	"context"
	"testing"

	"github.com/o2sound/o2sound/internal/o2sound"
)

// TestPhoneNumbers signs up, changes profiles and edits businesses with Korean, US and
// German numbers: each is stored in E.164 and answered in its country's national form;
// junk is REQ_001 naming the field and saying what is accepted.
func TestPhoneNumbers(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *bundle) {
		ctx := context.Background()
		profilePhone := func(c *client) string {
			t.Helper()
			return expect(t, c.do("POST", "/user/profile", nil), 200, "")["phone_number"].(string)
		}
		join := func(login, number string) *client {
			t.Helper()
			c := b.client()
			m := expect(t, c.do("POST", "/auth/join", map[string]string{"user_id": login, "name": login, "password": "securepassword123",
				"phone_number": number}), 201, "")
			c.ID, c.Log = m["id"].(string), login
			expect(t, c.do("POST", "/auth/login", map[string]string{"user_id": login, "password": "securepassword123"}), 200, "")
			return c
		}
		fieldError := func(r response, field string) {
			t.Helper()
			m := expect(t, r, 422, o2sound.CodeValidation)
			for _, f := range m["details"].(map[string]any)["fields"].([]any) {
				f := f.(map[string]any)
				if f["field"] == field && f["message"] == o2sound.PhoneHint {
					return
				}
			}
			t.Errorf("%s is not named with %q: %s", field, o2sound.PhoneHint, r.body)
		}

		// Sign-up: without "+" a number is Korean.
		users := map[string]*client{}
		for _, tc := range []struct{ login, entry, e164, shown string }{
			{"korean", "010-1234-5678", "+821012345678", "010-1234-5678"},
			{"korean2", "0212345678", "+82212345678", "02-1234-5678"},
			{"texan", "+1 512-555-0147", "+15125550147", "(512) 555-0147"},
			{"berliner", "+49 (0)30 1234567", "+49301234567", "030 1234567"},
		} {
			c := join(tc.login, tc.entry)
			users[tc.login] = c
			if u, err := b.db.UserByID(ctx, c.ID); err != nil || u.PhoneNumber != tc.e164 {
				t.Errorf("%s: stored %q (%v), want %q", tc.login, u.PhoneNumber, err, tc.e164)
			}
			if got := profilePhone(c); got != tc.shown {
				t.Errorf("%s: profile shows %q, want %q", tc.login, got, tc.shown)
			}
		}
		anon := b.client()
		for _, junk := range []string{"hello", "555", "(512) 555-0147", "010-1234-5678 ext. 9"} {
			fieldError(anon.do("POST", "/auth/join", map[string]string{"user_id": "junkuser", "name": "x", "password": "securepassword123",
				"phone_number": junk}), "phone_number")
		}

		// Profile: without "+" a number is read in the country of the one it replaces,
		// so the national form the profile shows is taken back as it is.
		for _, tc := range []struct{ login, entry, shown string }{
			{"texan", "(512) 555-0147", "(512) 555-0147"},
			{"texan", "512.555.0199", "(512) 555-0199"},
			{"berliner", "030 7654321", "030 7654321"},
			{"korean", "+49 30 1234567", "030 1234567"},
			{"korean2", "02-336-7788", "02-336-7788"},
			{"korean2", "+1 (512) 555-0147", "(512) 555-0147"},
		} {
			c := users[tc.login]
			expect(t, c.do("PUT", "/user/profile/update", map[string]string{"name": tc.login, "phone_number": tc.entry}), 200, "")
			if got := profilePhone(c); got != tc.shown {
				t.Errorf("%s updated to %q: profile shows %q, want %q", tc.login, tc.entry, got, tc.shown)
			}
		}
		for _, junk := range []string{"12", "02-336-7788x", "+999 123 4567"} {
			fieldError(users["texan"].do("PUT", "/user/profile/update", map[string]string{"name": "texan", "phone_number": junk}), "phone_number")
		}
		if got := profilePhone(users["texan"]); got != "(512) 555-0199" {
			t.Errorf("a refused update changed the number: %q", got)
		}

		// Items: without "+" a number is read in the business's country (its address).
		owner := users["korean"]
		items := map[string]string{}
		for _, it := range []struct{ key, address string }{
			{"kr", "서울특별시 종로구 삼청로 12"},
			{"us", "2315 E Cesar Chavez St, Suite B, Austin, TX 78702"},
			{"de", "Theodorstraße 180, 40472 Düsseldorf, Germany"},
		} {
			row := &o2sound.Item{OwnerID: owner.ID, Name: "Shop " + it.key, Address: it.address, URL: "https://" + it.key + ".example"}
			if err := b.db.SaveItemForURL(ctx, row); err != nil {
				t.Fatal(err)
			}
			items[it.key] = row.ID
		}
		shownItem := func(id string) string {
			t.Helper()
			for _, it := range expect(t, owner.do("POST", "/user/items", nil), 200, "")["items"].([]any) {
				if it := it.(map[string]any); it["item_id"] == id {
					return it["phone_number"].(string)
				}
			}
			t.Fatalf("item %s not listed", id)
			return ""
		}
		for _, tc := range []struct{ key, entry, e164, shown string }{
			{"kr", "02-336-7788", "+8223367788", "02-336-7788"},
			{"us", "(512) 555-0147", "+15125550147", "(512) 555-0147"},
			{"us", "+1 512 555 0147", "+15125550147", "(512) 555-0147"},
			{"de", "0211 5375940", "+492115375940", "0211 5375940"},
			{"de", "+49 30 1234567", "+49301234567", "030 1234567"},
			{"kr", "+1 512 555 0147", "+15125550147", "(512) 555-0147"},
		} {
			expect(t, owner.do("PUT", "/user/item/update", map[string]any{"item_id": items[tc.key], "phone_number": tc.entry}), 200, "")
			row, err := b.db.ItemByID(ctx, owner.ID, items[tc.key])
			if err != nil || row.PhoneNumber != tc.e164 {
				t.Errorf("%s item with %q: stored %q (%v), want %q", tc.key, tc.entry, row.PhoneNumber, err, tc.e164)
			}
			if got := shownItem(items[tc.key]); got != tc.shown {
				t.Errorf("%s item with %q: listed %q, want %q", tc.key, tc.entry, got, tc.shown)
			}
		}
		// A Korean business's number without "+" is Korean: a US number needs its code.
		for _, junk := range []string{"(512) 555-0147", "hello", "0"} {
			fieldError(owner.do("PUT", "/user/item/update", map[string]any{"item_id": items["kr"], "phone_number": junk}), "phone_number")
		}
		expect(t, owner.do("PUT", "/user/item/update", map[string]any{"item_id": items["kr"], "phone_number": ""}), 200, "")
		if got := shownItem(items["kr"]); got != "" {
			t.Errorf("an empty number is removed: %q", got)
		}

		// Rows written before E.164 (national Korean forms) are shown the same way.
		legacy := b.item(owner, "https://legacy.example")
		if got := shownItem(legacy); got != "02-1234-5678" {
			t.Errorf("a legacy row is listed as %q", got)
		}
	})
}
