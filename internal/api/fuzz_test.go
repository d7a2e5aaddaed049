package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/account"
	"github.com/o2sound/o2sound/internal/api"
	"github.com/o2sound/o2sound/internal/config"
	"github.com/o2sound/o2sound/internal/engine"
	"github.com/o2sound/o2sound/internal/googleauth"
	"github.com/o2sound/o2sound/internal/googleauth/googletest"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/pipeline"
	"github.com/o2sound/o2sound/internal/store"
)

// How a fuzz route uses the fuzzed bytes.
const (
	inBody  = iota // sent as the request body
	inPath         // substituted for the route's {param}, loosely URL-escaped; no body
	inQuery        // used as the raw query string; no body
)

type fuzzRoute struct {
	method, path string
	use          int
	valid        string // a body (or path value, or query) the route accepts
}

// fuzzRoutes is every route the API serves (server.go, *_handlers.go, docs.go), with
// Google sign-in configured and a workflow given, plus a few wrong methods and unknown
// paths. Append only: a route's index is part of the saved fuzz inputs.
var fuzzRoutes = []fuzzRoute{
	{"GET", "/", inQuery, ""},
	{"GET", "/health", inQuery, ""},
	{"POST", "/auth/join", inBody, `{"user_id":"newuser","name":"홍길동","password":"securepassword123","email":"new@example.com","phone_number":"010-1234-5678"}`},
	{"POST", "/auth/login", inBody, `{"user_id":"{{login}}","password":"securepassword123"}`},
	{"POST", "/auth/logout", inBody, ``},
	{"POST", "/user/profile", inBody, `{"id":"{{me}}"}`},
	{"PUT", "/user/profile/update", inBody, `{"id":"{{me}}","name":"홍길동","email":"fuzz@example.com","phone_number":"010-9876-5432"}`},
	{"POST", "/user/items", inBody, `{"id":"{{me}}","page":1,"page_size":10}`},
	{"PUT", "/user/item/update", inBody, `{"id":"{{me}}","item_id":"{{item}}","name":"카페 블루문 강남점","hashtags":["카페"]}`},
	{"DELETE", "/user/item/delete", inBody, `{"id":"{{me}}","item_id":"{{item}}"}`},
	{"POST", "/user/videos", inBody, `{"id":"{{me}}","page":1,"page_size":10}`},
	{"DELETE", "/user/video/delete", inBody, `{"user_id":"{{login}}","video_id":"{{video}}"}`},
	{"GET", "/user/video/{filename}", inPath, `{{file}}`},
	{"HEAD", "/user/video/{filename}", inPath, `{{thumb}}`},
	{"GET", "/social/google/login", inQuery, `return_url=http%3A%2F%2Flocalhost%3A3300%2Fdashboard`},
	{"GET", "/social/google/callback", inQuery, `code=abc&state=def`},
	{"GET", "/social/google/token/{temp_token_id}", inPath, `not-a-token`},
	{"POST", "/moviemaker/start-workflow", inBody, `{"url":"https://bluemoon.cafe","aspect":"9:16","duration":20}`},
	{"POST", "/moviemaker/progress", inBody, `{"task_id":"{{task}}"}`},
	{"POST", "/moviemaker/cancel", inBody, `{"task_id":"{{task}}"}`},
	{"GET", "/moviemaker/tasks", inQuery, `page=1&page_size=5`},
	{"GET", "/ws/progress/{task_id}", inPath, `{{task}}`},
	{"GET", "/openapi.json", inQuery, ""},
	{"GET", "/openapi.yaml", inQuery, ""},
	{"GET", "/docs", inQuery, ""},
	{"GET", "/redoc", inQuery, ""},
	{"GET", "/docs/assets/{name}", inPath, `swagger-init.js`},
	// Wrong methods and unknown routes.
	{"GET", "/auth/login", inBody, ``},
	{"PATCH", "/user/items", inBody, `{}`},
	{"OPTIONS", "/user/profile", inBody, ``},
	{"POST", "/health", inBody, `{}`},
	{"GET", "/{path}", inPath, `nope`},
	{"POST", "/user/{path}", inPath, `video/x`},
	{"DELETE", "/moviemaker/{path}", inPath, `tasks`},
}

// documentedStatus is the README's table of error codes and their statuses.
var documentedStatus = map[string][]int{
	o2sound.CodeInvalidLogin: {401}, o2sound.CodeUserIDTaken: {409}, o2sound.CodeEmailTaken: {409},
	o2sound.CodeUnauthenticated: {401}, o2sound.CodeTooManyAttempts: {429}, o2sound.CodeOAuthUnavailable: {503},
	o2sound.CodeOAuthFailed: {400}, o2sound.CodeTokenInvalid: {404}, o2sound.CodeCrossOrigin: {403},
	o2sound.CodeUserNotFound: {404}, o2sound.CodeForbidden: {403}, o2sound.CodeItemNotFound: {404},
	o2sound.CodeItemConflict: {409}, o2sound.CodeVideoNotFound: {404}, o2sound.CodeTaskNotFound: {404},
	o2sound.CodeTaskNotActive: {409}, o2sound.CodeTooManyTasks: {429}, o2sound.CodeValidation: {422},
	o2sound.CodeBadRequest: {400, 415}, o2sound.CodeBodyTooLarge: {413}, o2sound.CodeNotFound: {404},
	o2sound.CodeMethod: {405}, o2sound.CodeRateLimited: {429}, o2sound.CodeRange: {416}, o2sound.CodePrecondition: {412}, o2sound.CodeInternal: {500},
	o2sound.CodeUnavailable: {503},
}

// fuzzEnv is one running API per dialect with a signed-in owner who has an item, a
// video and a queued task; {{placeholders}} in inputs name them.
type fuzzEnv struct {
	b        *bundle
	hc       *http.Client
	accounts *account.Service
	engine   *engine.Engine
	owner    *o2sound.User
	token    string // the owner's session
	vars     map[string]string
}

// setupFuzz builds the environment with Google sign-in (a local issuer) and a workflow
// engine that queues tasks but runs no workers, so nothing is crawled or rendered.
func setupFuzz(tb testing.TB, d store.Dialect) *fuzzEnv {
	tb.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var eng *engine.Engine
	b := setupWith(tb, d, func(b *bundle) api.Workflow {
		o := engine.DefaultOptions()
		o.RunWorkers = false
		var err error
		// The real pipeline's work: with no workers in this process it never runs.
		w := pipeline.Config{DB: b.db, Files: b.files}.Work()
		if eng, err = engine.New(context.Background(), b.db, b.files, w, o, log); err != nil {
			tb.Fatal(err)
		}
		return pipeline.NewService(eng, b.db, b.files, log)
	}, func(b *bundle, deps *api.Deps) {
		iss := googletest.New(tb, gClientID, gClientSecret)
		deps.Config.Google = config.Google{ClientID: gClientID, ClientSecret: gClientSecret,
			RedirectURI: "http://127.0.0.1:1/social/google/callback", ErrorURL: gErrorPage, IssuerURL: iss.URL}
		g, err := googleauth.New(b.db, googleauth.Options{Google: deps.Config.Google, Origins: deps.Config.FrontendOrigins,
			Secret: deps.Config.SessionSecret, Sessions: deps.Accounts, Logger: log})
		if err != nil {
			tb.Fatal(err)
		}
		deps.Google = g
	})
	env := &fuzzEnv{b: b, engine: eng, vars: map[string]string{},
		hc:       &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		accounts: account.New(b.db, account.Options{Secret: []byte(strings.Repeat("s", 32)), IdleTimeout: time.Hour, MaxAge: 24 * time.Hour, Logger: log})}
	c := b.user("fuzzer")
	owner, err := b.db.UserByID(context.Background(), c.ID)
	if err != nil {
		tb.Fatal(err)
	}
	env.owner = owner
	env.token = env.session(tb)
	env.vars["{{me}}"], env.vars["{{login}}"] = c.ID, c.Log
	env.vars["{{item}}"] = b.item(c, "https://bluemoon.cafe")
	v := b.video(c, 1000)
	env.vars["{{video}}"], env.vars["{{file}}"], env.vars["{{thumb}}"] = v.ID, v.Filename, v.ThumbnailName
	env.vars["{{task}}"] = expect(tb, c.do("POST", "/moviemaker/start-workflow", map[string]any{"url": "https://bluemoon.cafe"}), 200, "")["task_id"].(string)
	return env
}

// session starts a fresh session for the owner and returns its token.
func (env *fuzzEnv) session(tb testing.TB) string {
	s, err := env.accounts.StartSession(context.Background(), env.owner)
	if err != nil {
		tb.Fatal(err)
	}
	return s.Token
}

func FuzzEndpoints(f *testing.F) {
	var envs []*fuzzEnv
	for _, d := range dialects() {
		envs = append(envs, setupFuzz(f, d))
	}

	// Valid inputs for each route, with and without a session.
	for i, r := range fuzzRoutes {
		f.Add(uint8(i), []byte(r.valid), "application/json", true)
		f.Add(uint8(i), []byte(r.valid), "application/json", false)
	}
	bad := []string{
		``, `{`, `}`, `{bad`, `{"id":}`, `{"id":"x",}`, `{"id" "x"}`, `'{"id":"x"}'`, `{"id":"x"}{"id":"y"}`, `{"id":"x"} trailing`,
		`null`, `true`, `0`, `-1`, `"string"`, `[]`, `[{"id":"x"}]`, `{}`, `{"":""}`,
		`{"id":null,"item_id":null,"video_id":null,"task_id":null,"user_id":null,"password":null,"url":null,"name":null}`,
		`{"page":1e400}`, `{"page":99999999999999999999999999}`, `{"page":-9223372036854775809}`, `{"page":1.5}`, `{"page":"1"}`,
		`{"page_size":0}`, `{"page":0,"page_size":0}`, `{"page":1000001}`, `{"duration":1e308,"url":"https://x.example"}`,
		`{"duration":-0,"url":"https://x.example"}`, `{"duration":NaN,"url":"https://x.example"}`, `{"duration":14.999999999999999,"url":"https://x.example"}`,
		`{"id":["{{me}}"]}`, `{"id":{"$ne":null}}`, `{"item_id":{"{{item}}":1}}`, `{"hashtags":"카페","item_id":"{{item}}"}`,
		`{"hashtags":[null,1,{}],"item_id":"{{item}}"}`, `{"hashtags":[` + strings.Repeat(`"x",`, 60) + `"x"],"item_id":"{{item}}"}`,
		`{"name":"` + strings.Repeat("가", 201) + `","item_id":"{{item}}"}`, `{"id":"{{me}}","id":"other"}`, `{"ID":"{{me}}"}`,
		`{"user_id":"\u0000","password":"\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000"}`,
		`{"user_id":"fuzzer\u0000","password":"securepassword123"}`, `{"user_id":"{{login}}","password":"securepassword123\u0000"}`,
		`{"user_id":"a\u0000b","name":"\u0000","password":"securepassword123","email":"a\u0000@example.com","phone_number":"010\u0000"}`,
		`{"name":"x\u0000","email":"x\u0000@example.com"}`, `{"item_id":"{{item}}\u0000"}`, `{"video_id":"{{video}}\u0000"}`,
		`{"task_id":"{{task}}\u0000"}`, `{"url":"https://bluemoon.cafe/\u0000"}`, `{"item_id":"{{item}}","url":"https://x.example/\u0000"}`,
		"{\"id\":\"\x00\"}", "{\"user_id\":\"\xff\xfe\",\"password\":\"\xc3\x28\xc3\x28\xc3\x28\xc3\x28\"}", "\xef\xbb\xbf{}", "\x00\x00\x00",
		`{"user_id":"홍길동","password":"비밀번호비밀번호"}`, `{"name":"😀\ud800\udfff\ud800","item_id":"{{item}}"}`, `{"name":"\u202e\u200b"}`,
		`{"user_id":"' OR 1=1 --","password":"' OR 1=1 --"}`, `{"item_id":"00000000-0000-0000-0000-000000000000"}`,
		`{"task_id":"00000000-0000-0000-0000-000000000000"}`, `{"url":"javascript:alert(1)"}`, `{"url":"http://[::1"}`,
		`{"url":"https://user:pass@x.example"}`, `{"url":"` + "https://x.example/" + strings.Repeat("a", 3000) + `"}`,
		`{"aspect":"4:3","url":"https://x.example"}`, `{"aspect":null,"url":"https://x.example"}`,
		strings.Repeat("[", 20000) + strings.Repeat("]", 20000), strings.Repeat(`{"a":`, 20000) + `1` + strings.Repeat("}", 20000),
		`{"id":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`,
		`{{me}}/../../etc/passwd`, `..%2f..%2fetc%2fpasswd`, `%00`, `%zz`, `a%5c..%5cb.mp4`, `{{file}}%00`, `{{file}}?download=1`,
		`page=abc&page_size=-1`, `page=0`, `page=1000001&page_size=101`, `page=1&page=2`, `return_url=javascript:alert(1)`,
		`return_url=http://localhost:3300.evil.example/`, `return_url=` + strings.Repeat("a", 3000), `error=access_denied&state=x`,
		`code=&state=&error=`, strings.Repeat("x", 200),
	}
	for i := range fuzzRoutes {
		for _, body := range bad {
			f.Add(uint8(i), []byte(body), "application/json", true)
		}
	}
	// Wrong and odd content types, and a body over the 1 MiB limit.
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
		"application/cbor", "application/json; charset=latin1", "application/json; charset=utf-8", "APPLICATION/JSON",
		"application/merge-patch+json", "application/problem+json", "application/json;;", "application/", "/", ";", "\x00", "application/json\xff"} {
		for _, i := range []int{2, 3, 5, 6, 7, 8, 9, 11, 17, 18, 19} {
			f.Add(uint8(i), []byte(fuzzRoutes[i].valid), ct, true)
		}
	}
	f.Add(uint8(3), []byte(`{"user_id":"`+strings.Repeat("a", 1<<20)+`"}`), "application/json", false)
	f.Add(uint8(4), bytes.Repeat([]byte("x"), 1<<20+1), "application/json", true)

	f.Fuzz(func(t *testing.T, routeIndex uint8, body []byte, contentType string, withSession bool) {
		route := fuzzRoutes[int(routeIndex)%len(fuzzRoutes)]
		for _, env := range envs {
			env.check(t, route, body, contentType, withSession)
		}
	})
}

// check sends one request and holds the answer to the rule: never a 5xx, and every
// 4xx carries the documented JSON envelope.
func (env *fuzzEnv) check(t *testing.T, route fuzzRoute, body []byte, contentType string, withSession bool) {
	in := string(body)
	for k, v := range env.vars {
		in = strings.ReplaceAll(in, k, v)
	}
	target := env.b.srv.URL + route.path
	var rd io.Reader
	switch route.use {
	case inBody:
		if len(in) > 0 {
			rd = strings.NewReader(in)
		}
	case inPath:
		target = target[:strings.IndexByte(target, '{')] + looseEscape(in, false)
	case inQuery:
		if in != "" {
			target += "?" + looseEscape(in, true)
		}
	}
	req, err := http.NewRequest(route.method, target, rd)
	if err != nil {
		t.Fatalf("building %s %s: %v", route.method, target, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", headerSafe(contentType))
	}
	if withSession {
		token := env.token
		if route.path == "/auth/logout" {
			token = env.session(t) // logging out must not end the session later inputs use
		}
		req.AddCookie(&http.Cookie{Name: "session", Value: token})
	}
	resp, err := env.hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: no answer (did the server panic?): %v", route.method, target, err)
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", route.method, target, err)
	}
	show := func() string {
		return fmt.Sprintf("%s %s (Content-Type %q, session %v, body %q)\n-> %d %s %q", route.method, truncate(target, 300), contentType, withSession,
			truncate(in, 300), resp.StatusCode, resp.Header.Get("Content-Type"), truncate(string(data), 500))
	}
	if resp.StatusCode >= 500 {
		t.Fatalf("server error:\n%s", show())
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if resp.StatusCode < 400 {
		if ct == "application/json" && route.method != "HEAD" && !json.Valid(data) {
			t.Fatalf("success with a broken JSON body:\n%s", show())
		}
		env.restore(t, route, resp.StatusCode)
		return
	}
	if ct != "application/json" {
		t.Fatalf("error without a JSON Content-Type:\n%s", show())
	}
	if route.method == "HEAD" {
		return
	}
	var eb struct {
		Status       *string         `json:"status"`
		ErrorCode    string          `json:"error_code"`
		ErrorMessage string          `json:"error_message"`
		Details      *map[string]any `json:"details"`
	}
	if err := json.Unmarshal(data, &eb); err != nil {
		t.Fatalf("error body is not a JSON object (%v):\n%s", err, show())
	}
	if eb.Status == nil || *eb.Status != "error" || eb.ErrorCode == "" || eb.ErrorMessage == "" || eb.Details == nil || *eb.Details == nil {
		t.Fatalf("error body is not the envelope {status: \"error\", error_code, error_message, details: {}}:\n%s", show())
	}
	if want, ok := documentedStatus[eb.ErrorCode]; !ok || !slices.Contains(want, resp.StatusCode) {
		t.Fatalf("%s is documented with status %v, not %d:\n%s", eb.ErrorCode, want, resp.StatusCode, show())
	}
}

// restore puts back what a successful input deleted, so placeholders keep naming
// something that exists.
func (env *fuzzEnv) restore(t *testing.T, route fuzzRoute, status int) {
	if status != http.StatusOK {
		return
	}
	ctx := context.Background()
	switch route.path {
	case "/user/item/delete":
		it := &o2sound.Item{OwnerID: env.owner.ID, Name: "카페 블루문", Address: "서울시 강남구 역삼동 123-45",
			URL: fmt.Sprintf("https://bluemoon-%d.cafe", time.Now().UnixNano()), PhoneNumber: "02-1234-5678", Hashtags: []string{"카페"}}
		if err := env.b.db.SaveItemForURL(ctx, it); err != nil {
			t.Fatal(err)
		}
		env.vars["{{item}}"] = it.ID
	case "/user/video/delete":
		if _, err := env.b.db.VideoByID(ctx, env.owner.ID, env.vars["{{video}}"]); err == nil {
			return
		}
		old := env.b.t
		env.b.t = t // the harness fails through b.t; the fuzz target's F must not be used here
		v := env.b.video(&client{ID: env.owner.ID}, 1000)
		env.b.t = old
		env.vars["{{video}}"], env.vars["{{file}}"], env.vars["{{thumb}}"] = v.ID, v.Filename, v.ThumbnailName
	case "/moviemaker/cancel":
		// A new queued task, unless the owner already has as many as allowed. Few in
		// all: unpaginated lists return every task, and a long list slows each exec.
		if _, total, err := env.engine.Tasks(ctx, env.owner.ID, o2sound.Page{Number: 1, Size: 1}); err != nil || total >= 10 {
			return
		}
		if task, err := env.engine.StartTask(ctx, env.owner.ID, "https://bluemoon.cafe", o2sound.TaskOptions{Aspect: "16:9", Duration: 30}); err == nil {
			env.vars["{{task}}"] = task.ID
		}
	}
}

// looseEscape makes s fit in a URL path (or query) while keeping what the fuzzer
// wrote where it can: '/', valid %XX escapes, and in a query '&', '=' and '?'.
func looseEscape(s string, query bool) string {
	const hex = "0123456789ABCDEF"
	isHex := func(c byte) bool { return strings.IndexByte("0123456789abcdefABCDEF", c) >= 0 }
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		keep := c > 0x20 && c < 0x7f && c != '#' && c != '"' && c != '<' && c != '>' && c != '\\' && c != '^' &&
			c != '`' && c != '{' && c != '|' && c != '}'
		switch {
		case c == '%':
			keep = i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])
		case c == '?':
			keep = query
		}
		if keep {
			sb.WriteByte(c)
		} else {
			sb.WriteByte('%')
			sb.WriteByte(hex[c>>4])
			sb.WriteByte(hex[c&15])
		}
	}
	return sb.String()
}

// headerSafe drops the bytes a Go client refuses to send in a header value.
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t') || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + fmt.Sprintf("… (%d bytes)", len(s))
}
