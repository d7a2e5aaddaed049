package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/o2sound"
)

func TestHandler(t *testing.T) {
	t.Parallel()
	h := Handler(Options{Google: true})
	tests := []struct {
		name, method, path string
		status             int
		ctype              string
		page               bool // index.html with its CSP
	}{
		{"dashboard", "GET", "/app/", 200, "text/html; charset=utf-8", true},
		{"sign in", "GET", "/app/signin", 200, "text/html; charset=utf-8", true},
		{"sign up slash", "GET", "/app/signup/", 200, "text/html; charset=utf-8", true},
		{"new", "GET", "/app/new", 200, "text/html; charset=utf-8", true},
		{"profile", "GET", "/app/profile", 200, "text/html; charset=utf-8", true},
		{"task", "GET", "/app/tasks/f47ac10b-58cc-4372-a567-0e02b2c3d479", 200, "text/html; charset=utf-8", true},
		{"video", "GET", "/app/videos/0b9d6c1e", 200, "text/html; charset=utf-8", true},
		{"business", "GET", "/app/businesses/abc_DEF-1", 200, "text/html; charset=utf-8", true},
		{"head", "HEAD", "/app/profile", 200, "text/html; charset=utf-8", true},
		{"unknown page says so", "GET", "/app/nope", 404, "text/html; charset=utf-8", true},
		{"odd id", "GET", "/app/videos/a.b", 404, "text/html; charset=utf-8", true},
		{"nested too deep", "GET", "/app/videos/a/b", 404, "text/html; charset=utf-8", true},
		{"script", "GET", "/app/assets/js/app.js", 200, "text/javascript; charset=utf-8", false},
		{"style", "GET", "/app/assets/css/app.css", 200, "text/css; charset=utf-8", false},
		{"icon", "GET", "/app/assets/icon.svg", 200, "image/svg+xml", false},
		{"dictionary", "GET", "/app/assets/i18n/ko.json", 200, "application/json", false},
		{"missing asset", "GET", "/app/assets/js/nope.js", 404, "application/json", false},
		{"index is not an asset", "GET", "/app/assets/index.html", 404, "application/json", false},
		{"dot segments", "GET", "/app/assets/../web.go", 404, "application/json", false},
		{"post", "POST", "/app/", 405, "application/json", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(tt.method, tt.path, nil)
			req.URL.Path = tt.path // keep dot segments as a raw client could send them
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if got := rec.Header().Get("Content-Type"); got != tt.ctype {
				t.Errorf("Content-Type %q, want %q", got, tt.ctype)
			}
			csp := rec.Header().Get("Content-Security-Policy")
			if tt.page != (csp != "") {
				t.Errorf("CSP %q on a page=%v answer", csp, tt.page)
			}
			if tt.page && tt.method == "GET" && !strings.Contains(rec.Body.String(), `<script type="module" src="/app/assets/js/app.js">`) {
				t.Errorf("not the page: %.200s", rec.Body)
			}
			if tt.method == "HEAD" && rec.Body.Len() != 0 {
				t.Errorf("HEAD answered %d bytes", rec.Body.Len())
			}
			if tt.status == 200 && rec.Header().Get("ETag") == "" {
				t.Error("no ETag")
			}
		})
	}
}

func TestRevalidation(t *testing.T) {
	t.Parallel()
	h := Handler(Options{})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/app/assets/js/app.js", nil))
	etag := rec.Header().Get("ETag")
	if rec.Header().Get("Cache-Control") != "no-cache" || etag == "" {
		t.Fatalf("headers %v", rec.Header())
	}
	req := httptest.NewRequest("GET", "/app/assets/js/app.js", nil)
	req.Header.Set("If-None-Match", etag)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Fatalf("If-None-Match: %d, want 304", rec.Code)
	}
}

func TestConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		opts   Options
		cookie *http.Cookie
		want   map[string]bool
	}{
		{"nothing", Options{}, nil, map[string]bool{"google": false, "session": false}},
		{"google", Options{Google: true}, nil, map[string]bool{"google": true, "session": false}},
		{"session cookie", Options{}, &http.Cookie{Name: "session", Value: "x"}, map[string]bool{"google": false, "session": true}},
		{"other cookie", Options{}, &http.Cookie{Name: "theme", Value: "x"}, map[string]bool{"google": false, "session": false}},
		{"renamed cookie", Options{SessionCookie: "sid"}, &http.Cookie{Name: "sid", Value: "x"}, map[string]bool{"google": false, "session": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest("GET", "/app/config.json", nil)
			if tt.cookie != nil {
				req.AddCookie(tt.cookie)
			}
			rec := httptest.NewRecorder()
			Handler(tt.opts).ServeHTTP(rec, req)
			var got map[string]bool
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != 200 {
				t.Fatalf("%d %s: %v", rec.Code, rec.Body, err)
			}
			if !maps(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if rec.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("config may be cached: %v", rec.Header())
			}
		})
	}
}

func maps(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if bv, ok := b[k]; !ok || bv != v {
			return false
		}
	}
	return true
}

func TestCSP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		host    string
		wantWS  bool
		connect string
	}{
		{"localhost:8000", true, "connect-src 'self' ws://localhost:8000 wss://localhost:8000"},
		{"o2sound.example", true, "connect-src 'self' ws://o2sound.example wss://o2sound.example"},
		{"[::1]:8000", true, "connect-src 'self' ws://[::1]:8000 wss://[::1]:8000"},
		{"evil.example; script-src *", false, "connect-src 'self';"},
		{"a b", false, "connect-src 'self';"},
		{"", false, "connect-src 'self';"},
	}
	for _, tt := range tests {
		got := csp(tt.host)
		if !strings.Contains(got, tt.connect) {
			t.Errorf("csp(%q) = %q, want %q", tt.host, got, tt.connect)
		}
		for _, must := range []string{"default-src 'none'", "script-src 'self';", "style-src 'self';", "img-src 'self' data: https:", "media-src 'self' blob:", "frame-ancestors 'none'"} {
			if !strings.Contains(got, must) {
				t.Errorf("csp(%q) lacks %q", tt.host, must)
			}
		}
		if strings.Contains(got, "unsafe") {
			t.Errorf("csp(%q) allows unsafe code: %q", tt.host, got)
		}
	}
}

// FuzzHandler feeds the handler outside input (path and Host): it must never
// panic, answer only the expected statuses, and keep header values clean.
func FuzzHandler(f *testing.F) {
	h := Handler(Options{})
	for _, s := range []string{"/app/", "/app/tasks/x", "/app/assets/js/app.js", "/app/assets/%2e%2e/web.go", "/app//x", "/app"} {
		f.Add(s, "localhost:8000")
	}
	f.Fuzz(func(t *testing.T, p, host string) {
		req := httptest.NewRequest("GET", "/app/", nil)
		req.URL.Path = p
		req.Host = host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 301, 404:
		default:
			t.Fatalf("%q: status %d", p, rec.Code)
		}
		for k, vs := range rec.Header() {
			for _, v := range vs {
				if strings.ContainsAny(v, "\r\n\x00") {
					t.Fatalf("header %s carries a control character: %q", k, v)
				}
			}
		}
	})
}

// TestPageMarkup checks index.html against the policy: no inline script, style or
// handlers, and every file it names is embedded.
func TestPageMarkup(t *testing.T) {
	t.Parallel()
	doc, err := html.Parse(bytes.NewReader(mustRead(t, "assets/index.html")))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			attrs := map[string]string{}
			for _, a := range n.Attr {
				attrs[a.Key] = a.Val
				if strings.HasPrefix(a.Key, "on") || a.Key == "style" {
					t.Errorf("<%s %s=…> is inline code the policy refuses", n.Data, a.Key)
				}
			}
			switch n.Data {
			case "script":
				if attrs["src"] == "" || attrs["type"] != "module" {
					t.Errorf("script without src or not a module: %v", attrs)
				}
			case "style":
				t.Error("inline <style>")
			}
			for _, k := range []string{"src", "href"} {
				if v, ok := attrs[k]; ok && strings.HasPrefix(v, "/app/assets/") {
					if _, err := fs.Stat(assetFS, "assets/"+strings.TrimPrefix(v, "/app/assets/")); err != nil {
						t.Errorf("%s=%q is not embedded", k, v)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

var importPattern = regexp.MustCompile(`(?m)^\s*import\s+(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]`)

// TestModulesResolve checks every import of every module names an embedded file
// (there is no build step to catch a typo), and that nothing loads from elsewhere.
func TestModulesResolve(t *testing.T) {
	t.Parallel()
	err := fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body := string(mustRead(t, p))
		if strings.HasSuffix(p, ".js") {
			for _, m := range importPattern.FindAllStringSubmatch(body, -1) {
				spec := m[1]
				if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") {
					t.Errorf("%s imports %q: only relative module paths are served", p, spec)
					continue
				}
				if _, err := fs.Stat(assetFS, path.Join(path.Dir(p), spec)); err != nil {
					t.Errorf("%s imports %q, which is not embedded", p, spec)
				}
			}
		}
		// Nothing from other sites: no CDN, no web fonts. The SVG namespace is a
		// name, not a download.
		clean := strings.ReplaceAll(body, "http://www.w3.org/2000/svg", "")
		for _, bad := range []string{"http://", "https://cdn", "//fonts.", "@import", "url(http"} {
			if strings.Contains(clean, bad) && !strings.HasSuffix(p, ".json") {
				t.Errorf("%s contains %q", p, bad)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestModulesParse runs Node's syntax check over each module when Node is there
// (the browser test covers them anyway, but this fails in a second, not a minute).
func TestModulesParse(t *testing.T) {
	t.Parallel()
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node is missing (scripts/install-deps.sh --test installs it)")
		}
		t.Skip("node is not installed")
	}
	fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".js") {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, node, "--input-type=module", "--check")
		cmd.Stdin = bytes.NewReader(mustRead(t, p))
		cmd.WaitDelay = time.Second
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: %v\n%s", p, err, out)
		}
		return nil
	})
}

// TestPureFunctions runs the page's pure helpers (address clean-up, hashtags,
// lengths) under Node, which loads the same modules the browser does.
func TestPureFunctions(t *testing.T) {
	t.Parallel()
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node is missing (scripts/install-deps.sh --test installs it)")
		}
		t.Skip("node is not installed")
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, assetFS); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ expr, want string }{
		{`normalizeURL("bluemoon.cafe")`, `"https://bluemoon.cafe/"`},
		{`normalizeURL("  http://x.example/menu ")`, `"http://x.example/menu"`},
		{`normalizeURL("HTTPS://Cafe.Example")`, `"https://cafe.example/"`},
		{`normalizeURL("ftp://x.example")`, `""`},
		{`normalizeURL("javascript:alert(1)")`, `""`},
		{`normalizeURL("https://user:pw@x.example")`, `""`},
		{`normalizeURL("hello")`, `""`},
		{`normalizeURL("   ")`, `""`},
		{`parseHashtags("#카페 #브런치, coffee ##x #카페")`, `["카페","브런치","coffee","x"]`},
		{`parseHashtags("a#b")`, `["ab"]`},
		{`parseHashtags("")`, `[]`},
		{`formatLength(75)`, `"1:15"`},
		{`formatLength(14.6)`, `"0:15"`},
		{`formatLength(undefined)`, `"0:00"`},
		{`shortURL("https://www.bluemoon.cafe/")`, `"bluemoon.cafe"`},
		{`shortURL("https://x.example/menu")`, `"x.example/menu"`},
		{`shortURL("not a url")`, `"not a url"`},
		{`aspectOf("540x960")`, `"540 / 960"`},
		{`aspectOf("")`, `"16 / 9"`},
	}
	var script strings.Builder
	for _, imp := range [][2]string{
		{"normalizeURL", "views/new.js"}, {"parseHashtags", "views/business.js"},
		{"shortURL, aspectOf", "views/dashboard.js"}, {"formatLength", "i18n.js"},
	} {
		fmt.Fprintf(&script, "import { %s } from %s;\n", imp[0], strconv.Quote("file://"+filepath.Join(dir, "assets", "js", imp[1])))
	}
	script.WriteString("const out = [];\n")
	for _, tt := range tests {
		fmt.Fprintf(&script, "out.push(JSON.stringify(%s));\n", tt.expr)
	}
	script.WriteString("console.log(JSON.stringify(out));\n")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--input-type=module", "-e", script.String())
	cmd.WaitDelay = time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var got []string
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(tests) {
		t.Fatalf("node printed %s (%v)", out, err)
	}
	for i, tt := range tests {
		if got[i] != tt.want {
			t.Errorf("%s = %s, want %s", tt.expr, got[i], tt.want)
		}
	}
}

var (
	tCall    = regexp.MustCompile(`\bt\('([a-z0-9_]+)'`)
	tnCall   = regexp.MustCompile(`\btn\('([a-z0-9_]+)'`)
	dataI18n = regexp.MustCompile(`data-i18n(?:-aria-label)?="([a-z0-9_]+)"`)
	failList = regexp.MustCompile(`'((?:[A-Z]+_\d{3})|NETWORK)'`)
	holes    = regexp.MustCompile(`\{(\w+)\}`)
)

// TestTranslations checks both languages have the same keys with the same
// placeholders, and every key the page uses exists, including the ones built at
// run time from the API's stage names, states and failure codes.
func TestTranslations(t *testing.T) {
	t.Parallel()
	dicts := map[string]map[string]string{}
	for _, l := range []string{"en", "ko"} {
		var d map[string]string
		if err := json.Unmarshal(mustRead(t, "assets/i18n/"+l+".json"), &d); err != nil {
			t.Fatalf("%s.json: %v", l, err)
		}
		dicts[l] = d
	}
	for k, en := range dicts["en"] {
		ko, ok := dicts["ko"][k]
		if !ok {
			t.Errorf("ko lacks %q", k)
			continue
		}
		if a, b := placeholders(en), placeholders(ko); !slices.Equal(a, b) {
			t.Errorf("%q: en has %v, ko has %v", k, a, b)
		}
		if strings.TrimSpace(ko) == "" || strings.TrimSpace(en) == "" {
			t.Errorf("%q is empty", k)
		}
	}
	for k := range dicts["ko"] {
		if _, ok := dicts["en"][k]; !ok {
			t.Errorf("en lacks %q", k)
		}
	}

	used := map[string]bool{}
	var ui string
	fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".json") {
			return err
		}
		body := string(mustRead(t, p))
		if p == "assets/js/ui.js" {
			ui = body
		}
		for _, m := range tCall.FindAllStringSubmatch(body, -1) {
			used[m[1]] = true
		}
		for _, m := range tnCall.FindAllStringSubmatch(body, -1) {
			used[m[1]+"_other"] = true
		}
		for _, m := range dataI18n.FindAllStringSubmatch(body, -1) {
			used[m[1]] = true
		}
		return nil
	})
	for _, s := range o2sound.Stages {
		used["stage_"+string(s)] = true
	}
	for _, s := range []string{o2sound.StagePending, o2sound.StageQueued, o2sound.StageRunning, o2sound.StageDone, o2sound.StageFailed, o2sound.StageCancelled} {
		used["stage_state_"+s] = true
	}
	for _, s := range []string{o2sound.TaskQueued, o2sound.TaskRunning, o2sound.TaskCompleted, o2sound.TaskFailed, o2sound.TaskCancelled} {
		used["task_heading_"+s] = true
	}
	for _, s := range []string{o2sound.VideoProcessing, o2sound.VideoCompleted, o2sound.VideoFailed} {
		used["video_status_"+s] = true
		used["video_status_"+s+"_long"] = true
	}
	// Every crawl failure the owner can meet is explained, and so is the rest.
	known := map[string]bool{}
	for _, m := range failList.FindAllStringSubmatch(ui, -1) {
		known[m[1]] = true
	}
	for _, c := range []string{fetch.CodeUnreachable, fetch.CodeTimeout, fetch.CodeNotHTML, fetch.CodeRobots,
		fetch.CodeAddressNotAllowed, fetch.CodeNothingUsable, fetch.CodeInvalidURL, fetch.CodeHTTPStatus, o2sound.CodeTooManyTasks} {
		if !known[c] {
			t.Errorf("ui.js does not explain %s", c)
		}
	}
	known["OTHER"] = true
	for c := range known {
		used["fail_"+c+"_title"], used["fail_"+c+"_help"] = true, true
	}

	var missing []string
	for k := range used {
		if _, ok := dicts["en"][k]; !ok {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("keys used but not translated: %v", missing)
	}
}

var jsPattern = regexp.MustCompile(`export const (\w+_PATTERN) = '((?:[^'\\]|\\.)*)';`)

// TestPatternsMatchServer checks the forms' pattern attributes accept what the
// API accepts, so a typo is caught in the page and a valid entry never is.
func TestPatternsMatchServer(t *testing.T) {
	t.Parallel()
	patterns := map[string]*regexp.Regexp{}
	for _, m := range jsPattern.FindAllStringSubmatch(string(mustRead(t, "assets/js/forms.js")), -1) {
		// A pattern attribute matches the whole value.
		patterns[m[1]] = regexp.MustCompile(`^(?:` + strings.ReplaceAll(m[2], `\\`, `\`) + `)$`)
	}
	tests := []struct {
		pattern string
		valid   func(string) bool
		values  []string
	}{
		{"PHONE_PATTERN", o2sound.ValidPhone, []string{
			"010-1234-5678", "01012345678", "02-1234-5678", "021234567", "031-123-4567", "1588-1234", "15881234",
			"070-1234-5678", "0505-123-4567", "010-123-456", "1234", "+82-10-1234-5678", "010 1234 5678", "02-12-3456", "",
		}},
		{"EMAIL_PATTERN", o2sound.ValidEmail, []string{
			"minji@example.com", "a.b+c@cafe.co.kr", "minji@localhost", "minji@", "@example.com", "min ji@example.com", "minji@example.com ",
		}},
	}
	for _, tt := range tests {
		re := patterns[tt.pattern]
		if re == nil {
			t.Fatalf("forms.js has no %s", tt.pattern)
		}
		for _, v := range tt.values {
			if got, want := re.MatchString(v), tt.valid(v); got != want {
				t.Errorf("%s on %q: page %v, API %v", tt.pattern, v, got, want)
			}
		}
	}
}

var cssVar = regexp.MustCompile(`--([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})\s*;`)

// TestContrast keeps the palette readable: text colours against the backgrounds
// they sit on reach WCAG AA (4.5:1), the focus ring 3:1.
func TestContrast(t *testing.T) {
	t.Parallel()
	colors := map[string]string{"white": "#ffffff"}
	for _, m := range cssVar.FindAllStringSubmatch(string(mustRead(t, "assets/css/app.css")), -1) {
		colors[m[1]] = m[2]
	}
	tests := []struct {
		fg, bg string
		min    float64
	}{
		{"text", "bg", 4.5}, {"text", "surface", 4.5}, {"text", "surface-2", 4.5},
		{"muted", "bg", 4.5}, {"muted", "surface", 4.5}, {"muted", "surface-2", 4.5}, {"muted", "primary-soft", 4.5},
		{"primary", "surface", 4.5}, {"primary", "bg", 4.5}, {"white", "primary", 4.5}, {"white", "primary-hover", 4.5},
		{"primary-hover", "primary-soft", 4.5}, {"primary-hover", "surface", 4.5},
		{"success", "surface", 4.5}, {"success", "success-soft", 4.5},
		{"danger", "surface", 4.5}, {"danger", "danger-soft", 4.5}, {"white", "danger", 4.5},
		{"focus", "bg", 3}, {"focus", "surface", 3},
	}
	for _, tt := range tests {
		fg, bg := colors[tt.fg], colors[tt.bg]
		if fg == "" || bg == "" {
			t.Errorf("--%s or --%s is not defined as #rrggbb", tt.fg, tt.bg)
			continue
		}
		if r := contrast(fg, bg); r < tt.min {
			t.Errorf("%s on %s: contrast %.2f, want at least %.1f", tt.fg, tt.bg, r, tt.min)
		}
	}
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(hex string) float64 {
	var rgb [3]float64
	for i := range rgb {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			rgb[i] = c / 12.92
		} else {
			rgb[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*rgb[0] + 0.7152*rgb[1] + 0.0722*rgb[2]
}

func placeholders(s string) []string {
	var out []string
	for _, m := range holes.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	sort.Strings(out)
	return out
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := assetFS.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func BenchmarkPage(b *testing.B) {
	h := Handler(Options{})
	req := httptest.NewRequest("GET", "/app/videos/0b9d6c1e", nil)
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}
