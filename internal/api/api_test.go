package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/account"
	"github.com/o2sound/o2sound/internal/api"
	"github.com/o2sound/o2sound/internal/auth"
	"github.com/o2sound/o2sound/internal/config"
	"github.com/o2sound/o2sound/internal/files"
	"github.com/o2sound/o2sound/internal/library"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
	"github.com/o2sound/o2sound/internal/store/storetest"
)

// bundle is one running API over a real database.
type bundle struct {
	t     testing.TB
	srv   *httptest.Server
	db    *store.DB
	files *files.Store
}

func setup(t *testing.T, d store.Dialect) *bundle { return setupWith(t, d, nil) }

func dialects() []store.Dialect { return storetest.Dialects() }

// setupWith builds the bundle; workflow, when given, makes the moviemaker endpoints,
// and each of more may change the dependencies before the server is built.
func setupWith(t testing.TB, d store.Dialect, workflow func(*bundle) api.Workflow, more ...func(*bundle, *api.Deps)) *bundle {
	t.Helper()
	db := storetest.Open(t, d)
	fs, err := files.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{
		SessionSecret: []byte(strings.Repeat("s", 32)), SessionIdle: time.Hour, SessionMaxAge: 24 * time.Hour,
		FrontendOrigins: []string{"http://localhost:3300"}, DataDir: t.TempDir(),
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	b := &bundle{t: t, db: db, files: fs}
	deps := api.Deps{
		Config: cfg, Logger: log, Version: "test", Ping: db.Ping,
		Accounts: account.New(db, account.Options{Secret: cfg.SessionSecret, IdleTimeout: cfg.SessionIdle, MaxAge: cfg.SessionMaxAge, Logger: log}),
		Library:  library.New(db, fs, log),
	}
	if workflow != nil {
		deps.Workflow = workflow(b)
	}
	for _, f := range more {
		f(b, &deps)
	}
	b.srv = httptest.NewServer(api.New(deps).Handler())
	t.Cleanup(b.srv.Close)
	return b
}

// forEachDialect runs fn against SQLite, and PostgreSQL when TEST_DATABASE_URL is set.
func forEachDialect(t *testing.T, fn func(t *testing.T, b *bundle)) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, setup(t, d))
		})
	}
}

// client is a browser-like client with its own cookie jar.
type client struct {
	b   *bundle
	hc  *http.Client
	ID  string // the user's UUID once joined
	Log string // the user's login name
}

func (b *bundle) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{b: b, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("response is not a JSON object: %v: %s", err, r.body)
	}
	return m
}

func (c *client) do(method, path string, body any, headers ...string) response {
	c.b.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.b.srv.URL+path, rd)
	if err != nil {
		c.b.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: data}
}

// expect checks status and, for errors, the envelope and code.
func expect(t testing.TB, r response, status int, code string) map[string]any {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	m := r.json(t)
	if code != "" {
		if m["status"] != "error" || m["error_code"] != code || m["error_message"] == "" || m["details"] == nil {
			t.Fatalf("want error envelope with %s, got %s", code, r.body)
		}
	}
	return m
}

func (b *bundle) user(login string) *client {
	b.t.Helper()
	c := b.client()
	r := c.do("POST", "/auth/join", map[string]string{"user_id": login, "name": "사용자 " + login, "password": "securepassword123",
		"email": login + "@example.com", "phone_number": "010-1234-5678"})
	m := expect(b.t, r, 201, "")
	c.ID, c.Log = m["id"].(string), login
	expect(b.t, c.do("POST", "/auth/login", map[string]string{"user_id": login, "password": "securepassword123"}), 200, "")
	return c
}

func (b *bundle) item(owner *client, url string) string {
	b.t.Helper()
	it := &o2sound.Item{OwnerID: owner.ID, Name: "카페 블루문", Address: "서울시 강남구 역삼동 123-45", URL: url, PhoneNumber: "02-1234-5678", Hashtags: []string{"카페", "브런치"}}
	if err := b.db.SaveItemForURL(context.Background(), it); err != nil {
		b.t.Fatal(err)
	}
	return it.ID
}

// video stores a finished video of size bytes for owner and returns it.
func (b *bundle) video(owner *client, size int) *o2sound.Video {
	b.t.Helper()
	v := &o2sound.Video{OwnerID: owner.ID, Title: "카페 블루문 홍보 영상", Filename: auth.RandomName(16) + ".mp4",
		ThumbnailName: auth.RandomName(16) + ".jpg", Status: o2sound.VideoCompleted, Resolution: "1920x1080", Duration: 30}
	if err := b.db.CreateVideo(context.Background(), v); err != nil {
		b.t.Fatal(err)
	}
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i % 251)
	}
	if err := b.files.WriteVideo(v.ID, files.VideoFile, bytes.NewReader(data)); err != nil {
		b.t.Fatal(err)
	}
	if err := b.files.WriteVideo(v.ID, files.ThumbnailFile, strings.NewReader("\xff\xd8\xff jpeg")); err != nil {
		b.t.Fatal(err)
	}
	return v
}

func TestSeedFlow(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *bundle) {
		c := b.client()
		m := expect(t, c.do("POST", "/auth/join", map[string]string{"user_id": "testuser", "name": "홍길동", "password": "securepassword123",
			"email": "test@example.com", "phone_number": "010-1234-5678"}), 201, "")
		id := m["id"].(string)
		if m["name"] != "홍길동" || len(m) != 2 {
			t.Fatalf("join body %v", m)
		}
		r := c.do("POST", "/auth/login", map[string]string{"user_id": "testuser", "password": "securepassword123"})
		m = expect(t, r, 200, "")
		if m["id"] != id || m["name"] != "홍길동" {
			t.Fatalf("login body %v", m)
		}
		cookie := r.header.Get("Set-Cookie")
		for _, want := range []string{"session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(cookie, want) {
				t.Errorf("Set-Cookie %q lacks %s", cookie, want)
			}
		}
		m = expect(t, c.do("POST", "/user/profile", map[string]string{"id": id}), 200, "")
		if m["email"] != "test@example.com" || m["phone_number"] != "010-1234-5678" || m["created_at"] == nil {
			t.Fatalf("profile %v", m)
		}
		m = expect(t, c.do("PUT", "/user/profile/update", map[string]string{"id": id, "name": "홍길동", "email": "newemail@example.com", "phone_number": "010-9876-5432"}), 200, "")
		if m["user_id"] != "testuser" || m["name"] != "홍길동" {
			t.Fatalf("profile update %v", m)
		}
		m = expect(t, c.do("POST", "/user/items", map[string]string{"id": id}), 200, "")
		if m["total_count"].(float64) != 0 || m["items"] == nil {
			t.Fatalf("items %v", m)
		}
		if _, paged := m["page"]; paged {
			t.Fatal("pagination fields without a page request")
		}
		m = expect(t, c.do("POST", "/user/videos", map[string]string{"id": id}), 200, "")
		if m["total_count"].(float64) != 0 || m["videos"] == nil {
			t.Fatalf("videos %v", m)
		}
		expect(t, c.do("POST", "/auth/logout", nil), 200, "")
		expect(t, c.do("POST", "/user/profile", map[string]string{"id": id}), 401, o2sound.CodeUnauthenticated)
	})
}

func TestLogoutEndsSessionServerSide(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *bundle) {
		c := b.user("alice")
		u, _ := http.NewRequest("GET", b.srv.URL, nil)
		stolen := c.hc.Jar.Cookies(u.URL)
		expect(t, c.do("POST", "/auth/logout", nil), 200, "")
		thief := b.client()
		thief.hc.Jar.SetCookies(u.URL, stolen)
		expect(t, thief.do("POST", "/user/profile", nil), 401, o2sound.CodeUnauthenticated)
	})
}

func TestItemsAndPagination(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *bundle) {
		c := b.user("owner")
		var ids []string
		for i := range 5 {
			ids = append(ids, b.item(c, fmt.Sprintf("https://cafe%d.example", i)))
		}
		m := expect(t, c.do("POST", "/user/items", map[string]any{"id": c.ID, "page": 2, "page_size": 2}), 200, "")
		items := m["items"].([]any)
		if m["total_count"].(float64) != 5 || m["page"].(float64) != 2 || m["page_size"].(float64) != 2 || m["total_pages"].(float64) != 3 || len(items) != 2 {
			t.Fatalf("page 2: %v", m)
		}
		if items[0].(map[string]any)["item_id"] != ids[2] {
			t.Fatalf("not newest first: %v", items)
		}
		first := expect(t, c.do("POST", "/user/items", nil), 200, "")["items"].([]any)[0].(map[string]any)
		for _, k := range []string{"item_id", "name", "address", "url", "phone_number", "thumbnail_url", "hashtags"} {
			if _, ok := first[k]; !ok {
				t.Errorf("item lacks %s: %v", k, first)
			}
		}
		m = expect(t, c.do("PUT", "/user/item/update", map[string]any{"id": c.ID, "item_id": ids[0], "name": "카페 블루문 강남점",
			"url": "https://bluemoon-gangnam.cafe", "thumbnail_url": "https://example.com/new-thumb.jpg"}), 200, "")
		if m["success"] != true || m["item_id"] != ids[0] {
			t.Fatalf("update: %v", m)
		}
		it, _ := b.db.ItemByID(context.Background(), c.ID, ids[0])
		if it.Name != "카페 블루문 강남점" || it.Address != "서울시 강남구 역삼동 123-45" {
			t.Fatalf("update changed the wrong fields: %+v", it)
		}
		expect(t, c.do("PUT", "/user/item/update", map[string]any{"item_id": ids[1], "url": "https://bluemoon-gangnam.cafe"}), 409, o2sound.CodeItemConflict)
		expect(t, c.do("PUT", "/user/item/update", map[string]any{"item_id": ids[1], "url": "javascript:alert(1)", "phone_number": "12"}), 422, o2sound.CodeValidation)
		m = expect(t, c.do("DELETE", "/user/item/delete", map[string]any{"id": c.ID, "item_id": ids[0]}), 200, "")
		if m["success"] != true {
			t.Fatalf("delete: %v", m)
		}
		expect(t, c.do("DELETE", "/user/item/delete", map[string]any{"item_id": ids[0]}), 404, o2sound.CodeItemNotFound)
		expect(t, c.do("POST", "/user/items", map[string]any{"page_size": 101}), 422, o2sound.CodeValidation)
	})
}

func TestBadInputGetsClear4xx(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *bundle) {
		c := b.user("validator")
		anon := b.client()
		big := `{"user_id":"` + strings.Repeat("a", 1<<20) + `"}`
		for _, tc := range []struct {
			name         string
			who          *client
			method, path string
			body         any
			headers      []string
			status       int
			code         string
		}{
			{"malformed json", c, "POST", "/user/items", "{bad", nil, 400, o2sound.CodeBadRequest},
			{"unknown field", c, "POST", "/user/items", `{"id":"x","admin":true}`, nil, 422, o2sound.CodeValidation},
			{"wrong type", c, "POST", "/user/items", `{"page":"one"}`, nil, 422, o2sound.CodeValidation},
			{"body over 1 MiB", anon, "POST", "/auth/login", big, nil, 413, o2sound.CodeBodyTooLarge},
			{"form content type", anon, "POST", "/auth/login", "user_id=a", []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, o2sound.CodeBadRequest},
			{"missing field", anon, "POST", "/auth/join", `{"user_id":"abc"}`, nil, 422, o2sound.CodeValidation},
			{"bad fields", anon, "POST", "/auth/join", `{"user_id":"a b","name":"","password":"short","email":"no","phone_number":"555"}`, nil, 422, o2sound.CodeValidation},
			{"duplicate user", anon, "POST", "/auth/join", `{"user_id":"VALIDATOR","name":"x","password":"securepassword123"}`, nil, 409, o2sound.CodeUserIDTaken},
			{"duplicate email", anon, "POST", "/auth/join", `{"user_id":"other","name":"x","password":"securepassword123","email":"validator@example.com"}`, nil, 409, o2sound.CodeEmailTaken},
			{"wrong password", anon, "POST", "/auth/login", `{"user_id":"validator","password":"wrongpassword"}`, nil, 401, o2sound.CodeInvalidLogin},
			{"unknown user", anon, "POST", "/auth/login", `{"user_id":"nobody","password":"wrongpassword"}`, nil, 401, o2sound.CodeInvalidLogin},
			{"no session", anon, "POST", "/user/videos", `{}`, nil, 401, o2sound.CodeUnauthenticated},
			{"bad session", anon, "POST", "/user/videos", `{}`, []string{"Cookie", "session=forged"}, 401, o2sound.CodeUnauthenticated},
			{"malformed item id", c, "DELETE", "/user/item/delete", `{"item_id":"'; DROP TABLE items; --"}`, nil, 404, o2sound.CodeItemNotFound},
			{"malformed video id", c, "DELETE", "/user/video/delete", `{"video_id":"x"}`, nil, 404, o2sound.CodeVideoNotFound},
			{"bad profile email", c, "PUT", "/user/profile/update", `{"name":"x","email":"not-an-email"}`, nil, 422, o2sound.CodeValidation},
			{"unknown route", anon, "GET", "/nope", nil, nil, 404, o2sound.CodeNotFound},
			{"wrong method", anon, "GET", "/auth/login", nil, nil, 405, o2sound.CodeMethod},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := tc.who.do(tc.method, tc.path, tc.body, tc.headers...)
				expect(t, r, tc.status, tc.code)
			})
		}
		// Validation lists every failing field.
		r := anon.do("POST", "/auth/join", `{"user_id":"a b","name":"","password":"short","email":"no","phone_number":"555"}`)
		fields := r.json(t)["details"].(map[string]any)["fields"].([]any)
		if len(fields) != 5 {
			t.Fatalf("want 5 failing fields, got %v", fields)
		}
	})
}

func TestLoginFailuresAreRateLimited(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *bundle) {
		b.user("victim")
		c := b.client()
		for range 5 {
			expect(t, c.do("POST", "/auth/login", map[string]string{"user_id": "victim", "password": "guess-guess"}), 401, o2sound.CodeInvalidLogin)
		}
		r := c.do("POST", "/auth/login", map[string]string{"user_id": "victim", "password": "securepassword123"})
		m := expect(t, r, 429, o2sound.CodeTooManyAttempts)
		if m["details"].(map[string]any)["retry_after_seconds"] == nil {
			t.Fatalf("no retry hint: %v", m)
		}
	})
}

func TestCrossUserIsolation(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *bundle) {
		alice, bob := b.user("alice"), b.user("bob")
		item := b.item(alice, "https://alice.example")
		v := b.video(alice, 1000)
		for _, tc := range []struct {
			name         string
			method, path string
			body         any
			status       int
			code         string
		}{
			{"items of alice by id", "POST", "/user/items", map[string]any{"id": alice.ID}, 403, o2sound.CodeForbidden},
			{"videos of alice by id", "POST", "/user/videos", map[string]any{"id": alice.ID}, 403, o2sound.CodeForbidden},
			{"profile of alice", "POST", "/user/profile", map[string]any{"id": alice.ID}, 403, o2sound.CodeForbidden},
			{"update alice's profile", "PUT", "/user/profile/update", map[string]any{"id": alice.ID, "name": "pwned"}, 403, o2sound.CodeForbidden},
			{"update alice's item", "PUT", "/user/item/update", map[string]any{"item_id": item, "name": "pwned"}, 404, o2sound.CodeItemNotFound},
			{"update alice's item as alice", "PUT", "/user/item/update", map[string]any{"id": alice.ID, "item_id": item, "name": "pwned"}, 403, o2sound.CodeForbidden},
			{"delete alice's item", "DELETE", "/user/item/delete", map[string]any{"item_id": item}, 404, o2sound.CodeItemNotFound},
			{"delete alice's video", "DELETE", "/user/video/delete", map[string]any{"video_id": v.ID}, 404, o2sound.CodeVideoNotFound},
			{"delete alice's video naming alice", "DELETE", "/user/video/delete", map[string]any{"user_id": "alice", "video_id": v.ID}, 403, o2sound.CodeForbidden},
		} {
			t.Run(tc.name, func(t *testing.T) {
				expect(t, bob.do(tc.method, tc.path, tc.body), tc.status, tc.code)
			})
		}
		// Bob's own lists are empty; Alice's data is intact.
		if m := expect(t, bob.do("POST", "/user/items", nil), 200, ""); m["total_count"].(float64) != 0 {
			t.Fatalf("bob sees items: %v", m)
		}
		if m := expect(t, bob.do("POST", "/user/videos", nil), 200, ""); m["total_count"].(float64) != 0 {
			t.Fatalf("bob sees videos: %v", m)
		}
		m := expect(t, alice.do("POST", "/user/items", nil), 200, "")
		if got := m["items"].([]any)[0].(map[string]any)["name"]; got != "카페 블루문" {
			t.Fatalf("alice's item changed: %v", got)
		}
		if m := expect(t, alice.do("POST", "/user/profile", nil), 200, ""); m["name"] != "사용자 alice" {
			t.Fatalf("alice's profile changed: %v", m)
		}
		if m := expect(t, alice.do("POST", "/user/videos", nil), 200, ""); m["total_count"].(float64) != 1 {
			t.Fatalf("alice's video gone: %v", m)
		}
	})
}

func TestVideoListAndDelete(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *bundle) {
		c := b.user("filmmaker")
		v := b.video(c, 5000)
		m := expect(t, c.do("POST", "/user/videos", map[string]any{"id": c.ID}), 200, "")
		got := m["videos"].([]any)[0].(map[string]any)
		for _, k := range []string{"id", "title", "description", "url", "is_uploaded", "download_count", "resolution", "status", "thumbnail_url"} {
			if _, ok := got[k]; !ok {
				t.Errorf("video lacks %s", k)
			}
		}
		if got["url"] != "/user/video/"+v.Filename || got["is_uploaded"] != true || got["status"] != "completed" {
			t.Fatalf("video body %v", got)
		}
		stream := b.client()
		if r := stream.do("GET", got["url"].(string), nil); r.status != 200 || len(r.body) != 5000 {
			t.Fatalf("stream: %d %d", r.status, len(r.body))
		}
		if r := stream.do("GET", got["thumbnail_url"].(string), nil); r.status != 200 || r.header.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("thumbnail: %d %s", r.status, r.header.Get("Content-Type"))
		}
		m = expect(t, c.do("DELETE", "/user/video/delete", map[string]any{"user_id": "filmmaker", "video_id": v.ID}), 200, "")
		if m["message"] != "비디오가 성공적으로 삭제되었습니다" {
			t.Fatalf("delete: %v", m)
		}
		r := stream.do("GET", got["url"].(string), nil)
		if r.status != 404 || r.json(t)["detail"] != "Video not found" {
			t.Fatalf("deleted video still streams: %d %s", r.status, r.body)
		}
		if _, err := b.files.OpenVideo(v.ID, files.VideoFile); err == nil {
			t.Fatal("file left after delete")
		}
	})
}

func TestStreamingRanges(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *bundle) {
		owner := b.user("streamer")
		v := b.video(owner, 1000)
		path := "/user/video/" + v.Filename
		c := b.client() // no session: share links work without one
		for _, tc := range []struct {
			rng          string
			status       int
			first, n     int
			contentRange string
		}{
			{"bytes=0-99", 206, 0, 100, "bytes 0-99/1000"},
			{"bytes=100-", 206, 100, 900, "bytes 100-999/1000"},
			{"bytes=-100", 206, 900, 100, "bytes 900-999/1000"},
			{"bytes=2000-3000", 416, 0, 0, "bytes */1000"},
			{"", 200, 0, 1000, ""},
		} {
			r := c.do("GET", path, nil, "Range", tc.rng)
			if r.status != tc.status || r.header.Get("Content-Range") != tc.contentRange {
				t.Errorf("Range %q: %d %q", tc.rng, r.status, r.header.Get("Content-Range"))
				continue
			}
			if tc.status == 416 {
				expect(t, r, 416, o2sound.CodeRange)
				continue
			}
			if len(r.body) != tc.n || r.body[0] != byte(tc.first%251) {
				t.Errorf("Range %q: %d bytes starting %d", tc.rng, len(r.body), r.body[0])
			}
			if r.header.Get("Content-Type") != "video/mp4" || r.header.Get("Accept-Ranges") != "bytes" {
				t.Errorf("headers %v", r.header)
			}
		}
		head := c.do("HEAD", path, nil)
		etag, lm := head.header.Get("ETag"), head.header.Get("Last-Modified")
		if head.status != 200 || head.header.Get("Content-Length") != "1000" || etag == "" || lm == "" || len(head.body) != 0 {
			t.Fatalf("HEAD: %d %v", head.status, head.header)
		}
		if r := c.do("GET", path, nil, "If-None-Match", etag); r.status != 304 {
			t.Fatalf("If-None-Match: %d", r.status)
		}
		expect(t, c.do("GET", path, nil, "If-Match", `"another-version"`), 412, o2sound.CodePrecondition)
		// Downloads counted: GETs from byte 0 answered with bytes (no range, 0-99),
		// not the other ranges, HEAD, the 304 revalidation or the refused If-Match.
		got, _ := b.db.VideoByID(context.Background(), owner.ID, v.ID)
		if got.DownloadCount != 2 {
			t.Fatalf("download_count %d, want 2", got.DownloadCount)
		}
		for _, bad := range []string{
			"/user/video/..%2f..%2fetc%2fpasswd", "/user/video/..%2F..%2F..%2Fo2sound.db", "/user/video/%2Fetc%2Fpasswd",
			"/user/video/..", "/user/video/" + v.ID + ".mp4", "/user/video/" + strings.ToUpper(v.Filename),
			"/user/video/" + v.Filename + "%00", "/user/video/bluemoon_promo_2024.mp4", "/user/video/a%5c..%5cb.mp4",
		} {
			r := c.do("GET", bad, nil)
			if r.status != 404 || r.json(t)["detail"] != "Video not found" || r.json(t)["error_code"] != o2sound.CodeVideoNotFound {
				t.Errorf("%s: %d %s", bad, r.status, r.body)
			}
		}
	})
}

func TestCORSAndCrossOrigin(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *bundle) {
		c := b.user("browser")
		r := c.do("OPTIONS", "/user/items", nil, "Origin", "http://localhost:3300", "Access-Control-Request-Method", "POST")
		if r.status != 204 || r.header.Get("Access-Control-Allow-Origin") != "http://localhost:3300" || r.header.Get("Access-Control-Allow-Credentials") != "true" {
			t.Fatalf("preflight: %d %v", r.status, r.header)
		}
		r = c.do("POST", "/user/items", nil, "Origin", "http://localhost:3300", "Sec-Fetch-Site", "cross-site")
		if r.status != 200 || r.header.Get("Access-Control-Allow-Origin") != "http://localhost:3300" {
			t.Fatalf("allowed origin: %d %s", r.status, r.body)
		}
		for _, origin := range []string{"https://evil.example", "http://localhost:3300.evil.example", "null"} {
			r = c.do("POST", "/user/items", nil, "Origin", origin, "Sec-Fetch-Site", "cross-site")
			expect(t, r, 403, o2sound.CodeCrossOrigin)
			if r.header.Get("Access-Control-Allow-Origin") != "" {
				t.Fatalf("CORS granted to %s", origin)
			}
		}
		// A cross-site form post with the session cookie is refused before it can act.
		r = c.do("PUT", "/user/profile/update", `{"name":"csrf"}`, "Origin", "https://evil.example")
		expect(t, r, 403, o2sound.CodeCrossOrigin)
		if m := expect(t, c.do("POST", "/user/profile", nil), 200, ""); m["name"] == "csrf" {
			t.Fatal("cross-origin write went through")
		}
	})
}

func TestHealth(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *bundle) {
		c := b.client()
		m := expect(t, c.do("GET", "/health", nil), 200, "")
		if m["status"] != "healthy" || m["database"] != "connected" {
			t.Fatalf("health %v", m)
		}
		for _, k := range []string{"redis", "celery"} {
			if _, ok := m[k]; ok {
				t.Errorf("health reports %s, which O2Sound does not run", k)
			}
		}
		b.db.Close()
		m = expect(t, c.do("GET", "/health", nil), 503, "")
		if m["status"] != "unhealthy" || m["database"] != "disconnected" {
			t.Fatalf("health with db down %v", m)
		}
	})
}

func TestServiceInfoAndDocs(t *testing.T) {
	t.Parallel()
	b := setup(t, store.SQLite)
	c := b.client()
	m := expect(t, c.do("GET", "/", nil), 200, "")
	if m["docs"] != "/docs" || m["version"] != "test" || m["message"] == "" {
		t.Fatalf("service info %v", m)
	}
	r := c.do("GET", "/openapi.json", nil)
	var spec struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(r.body, &spec); err != nil || !strings.HasPrefix(spec.OpenAPI, "3.1") {
		t.Fatalf("openapi: %v %s", err, spec.OpenAPI)
	}
	for path, method := range map[string]string{
		"/": "get", "/health": "get", "/auth/join": "post", "/auth/login": "post", "/auth/logout": "post",
		"/user/items": "post", "/user/item/update": "put", "/user/item/delete": "delete", "/user/videos": "post",
		"/user/video/delete": "delete", "/user/profile": "post", "/user/profile/update": "put", "/user/video/{filename}": "get",
	} {
		if spec.Paths[path][method] == nil {
			t.Errorf("openapi lacks %s %s", method, path)
		}
	}
	if bytes.Contains(c.do("GET", "/", nil).body, []byte("$schema")) {
		t.Error("bodies carry $schema")
	}
	for path, want := range map[string]string{
		"/docs": "swagger-ui-bundle.js", "/redoc": "redoc.standalone.js",
		"/docs/assets/swagger-ui-bundle.js": "SwaggerUIBundle", "/docs/assets/redoc.standalone.js": "Redoc",
	} {
		r := c.do("GET", path, nil)
		if r.status != 200 || !bytes.Contains(r.body, []byte(want)) {
			t.Errorf("%s: %d, want it to contain %s", path, r.status, want)
		}
	}
}

// TestRestartKeepsSessions opens the same database twice: a session made by the
// first server still works on the second.
func TestRestartKeepsSessions(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			dsn := storetest.DSN(t, d)
			secret := []byte(strings.Repeat("k", 32))
			start := func() (*httptest.Server, *store.DB) {
				db, err := store.Open(context.Background(), dsn)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := db.Migrate(context.Background()); err != nil {
					t.Fatal(err)
				}
				fs, _ := files.Open(t.TempDir())
				cfg := &config.Config{SessionSecret: secret, SessionIdle: time.Hour, SessionMaxAge: 24 * time.Hour}
				log := slog.New(slog.NewTextHandler(io.Discard, nil))
				s := api.New(api.Deps{Config: cfg, Logger: log, Ping: db.Ping,
					Accounts: account.New(db, account.Options{Secret: secret, IdleTimeout: time.Hour, MaxAge: 24 * time.Hour}),
					Library:  library.New(db, fs, log)})
				return httptest.NewServer(s.Handler()), db
			}
			srv1, db1 := start()
			b := &bundle{t: t, srv: srv1, db: db1}
			c := b.user("persistent")
			srv1.Close()
			db1.Close()

			srv2, db2 := start()
			defer srv2.Close()
			defer db2.Close()
			u, _ := http.NewRequest("GET", srv1.URL, nil)
			cookies := c.hc.Jar.Cookies(u.URL)
			b.srv = srv2
			u2, _ := http.NewRequest("GET", srv2.URL, nil)
			c.hc.Jar.SetCookies(u2.URL, cookies)
			if m := expect(t, c.do("POST", "/user/profile", nil), 200, ""); m["user_id"] != "persistent" {
				t.Fatalf("profile after restart %v", m)
			}
		})
	}
}

func TestLogsNeverCarrySecretPaths(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	db := storetest.Open(t, store.SQLite)
	fs, _ := files.Open(t.TempDir())
	log := slog.New(slog.NewTextHandler(&logs, nil))
	cfg := &config.Config{SessionSecret: []byte(strings.Repeat("s", 32)), SessionIdle: time.Hour, SessionMaxAge: time.Hour}
	srv := httptest.NewServer(api.New(api.Deps{Config: cfg, Logger: log, Ping: db.Ping,
		Accounts: account.New(db, account.Options{Secret: cfg.SessionSecret, IdleTimeout: time.Hour, MaxAge: time.Hour}),
		Library:  library.New(db, fs, log)}).Handler())
	defer srv.Close()
	for _, p := range []string{"/user/video/0123456789abcdef0123456789abcdef.mp4", "/social/google/token/SECRETTOKEN"} {
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if strings.Contains(logs.String(), "0123456789abcdef") || strings.Contains(logs.String(), "SECRETTOKEN") {
		t.Fatalf("a secret path reached the logs:\n%s", logs.String())
	}
}
