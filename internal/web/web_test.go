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

	"github.com/o2sound/o2sound/internal/lyrics"
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
		{"editor", "GET", "/app/tasks/f47ac10b-58cc-4372-a567-0e02b2c3d479/edit", 200, "text/html; charset=utf-8", true},
		{"editor of a video", "GET", "/app/videos/0b9d6c1e/edit", 404, "text/html; charset=utf-8", true},
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

// nodeOrSkip finds Node: without it the test skips, or fails under CI=true.
func nodeOrSkip(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node is missing (scripts/install-deps.sh --test installs it)")
		}
		t.Skip("node is not installed")
	}
	return node
}

// assetsOnDisk copies the embedded assets into a temporary directory for Node to load.
func assetsOnDisk(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, assetFS); err != nil {
		t.Fatal(err)
	}
	return dir
}

// runNode runs script as an ES module and returns what it printed.
func runNode(t *testing.T, node, script string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--input-type=module", "-e", script)
	cmd.WaitDelay = time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	return out
}

// TestModulesParse runs Node's syntax check over each module when Node is there
// (the browser test covers them anyway, but this fails in a second, not a minute).
func TestModulesParse(t *testing.T) {
	t.Parallel()
	node := nodeOrSkip(t)
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
	node := nodeOrSkip(t)
	dir := assetsOnDisk(t)
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
		{`captionLang({title: "카페 블루문"})`, `"ko"`},
		{`captionLang({title: "Blue Moon Cafe"})`, `"en"`},
		{`settled({state: "review"})`, `true`},
		{`settled({state: "running"})`, `false`},
		{`ended({state: "review"})`, `false`},
		// Which steps run again: the contract's rule.
		{`rerunStages({}, false)`, `["merge"]`},
		{`rerunStages({}, true)`, `["music","video","merge"]`},
		{`rerunStages({lyrics: {}}, false)`, `["music","video","merge"]`},
		{`rerunStages({photos: []}, false)`, `["video","merge"]`},
		{`rerunStages({logo: ""}, false)`, `["video","merge"]`},
		{`rerunStages({facts: {name: "x"}}, false)`, `["video","merge"]`},
		{`rerunStages({style: {tempo: 90}}, false)`, `["music","video","merge"]`},
		{`rerunStages({duration: 45}, false)`, `["music","video","merge"]`},
		{`rerunStages({aspect: "1:1"}, false)`, `["video","merge"]`},
		{`rerunStages({aspect: "1:1", photos: []}, true)`, `["music","video","merge"]`},
		// Only what changed goes to the server; facts and style field by field.
		{`changesOf(DRAFT, stateOf(DRAFT))`, `{}`},
		{`(() => { const c = stateOf(DRAFT); c.facts.tagline = " New line "; c.style.tempo = 90; return changesOf(DRAFT, c); })()`, `{"facts":{"tagline":"New line"},"style":{"tempo":90}}`},
		{`(() => { const c = stateOf(DRAFT); c.lyrics.sections[1].lines[0] = "  커피  한 잔 "; return changesOf(DRAFT, c).lyrics; })()`,
			`{"title":"블루문","sections":[{"name":"verse","lines":["아침 햇살 카페","커피 향기"]},{"name":"chorus","lines":["커피 한 잔"]}]}`},
		{`(() => { const c = stateOf(DRAFT); c.photos.reverse(); c.logo = ""; return changesOf(DRAFT, c); })()`, `{"photos":["p2","p1"],"logo":""}`},
		{`(() => { const c = stateOf(DRAFT); c.facts.hashtags = ["카페"]; return changesOf(DRAFT, c); })()`, `{"facts":{"hashtags":["카페"]}}`},
		{`remakeBody("t1", {aspect: "1:1"})`, `{"task_id":"t1","aspect":"1:1"}`},
		// Checks that mirror draft.choices.
		{`(() => { const c = stateOf(DRAFT); return validate(c, changesOf(DRAFT, c), DRAFT.choices); })()`, `[]`},
		{`(() => { const c = stateOf(DRAFT); c.lyrics.sections[0].lines[0] = "가"; c.lyrics.sections[0].lines[1] = "가나다라마바사아자차카타파하가나다"; return validate(c, changesOf(DRAFT, c), DRAFT.choices).map(e => e.field + " " + e.key); })()`,
			`["lyrics.sections[0].lines[0] err_line_short","lyrics.sections[0].lines[1] err_line_long"]`},
		{`(() => { const c = stateOf(DRAFT); c.lyrics.sections[1].lines.push("하나","둘","셋"); return validate(c, changesOf(DRAFT, c), DRAFT.choices).map(e => e.field + " " + e.key); })()`,
			`["lyrics.sections[1] err_lines_count","lyrics.sections[1].lines[2] err_line_short","lyrics.sections[1].lines[3] err_line_short"]`},
		{`(() => { const c = stateOf(DRAFT); c.photos = []; c.facts.name = " "; c.facts.phone = "123"; return validate(c, changesOf(DRAFT, c), DRAFT.choices).map(e => e.field + " " + e.key); })()`,
			`["facts.name err_required","facts.phone err_phone_number","photos err_photos_none"]`},
		{`(() => { const c = stateOf(DRAFT); c.photos = ["a","b","c","d"]; c.duration = 120; c.style.tempo = 91; return validate(c, changesOf(DRAFT, c), DRAFT.choices).map(e => e.field + " " + e.key); })()`,
			`["photos err_photos_many","style.tempo err_invalid","duration err_duration"]`},
		{`parseFieldPath("lyrics.sections[1].lines[2]")`, `{"kind":"line","section":1,"line":2}`},
		{`parseFieldPath("facts.hashtags[3]")`, `{"kind":"facts","name":"hashtags"}`},
		{`parseFieldPath("photos[0]")`, `{"kind":"photos"}`},
		{`parseFieldPath("style.tempo")`, `{"kind":"style","name":"tempo"}`},
		{`parseFieldPath("whatever")`, `{"kind":"other","field":"whatever"}`},
		// Versions of one business's video together, newest first.
		{`groupByItem([{id:"c",item_id:"i1",created_at:"2026-01-03T00:00:00Z"},{id:"x",created_at:"2026-01-02T12:00:00Z"},{id:"b",item_id:"i1",created_at:"2026-01-02T00:00:00Z"},{id:"z",item_id:"i2",created_at:"2026-01-01T12:00:00Z"},{id:"a",item_id:"i1",created_at:"2026-01-01T00:00:00Z"}]).map(g => g.versions.map(v => v.id).join(""))`,
			`["cba","x","z"]`},
	}
	var script strings.Builder
	for _, imp := range [][2]string{
		{"normalizeURL", "views/new.js"}, {"parseHashtags", "views/business.js"},
		{"shortURL, aspectOf, groupByItem", "views/dashboard.js"}, {"formatLength", "i18n.js"},
		{"captionLang", "views/video.js"}, {"ended, settled", "progress.js"},
		{"changesOf, parseFieldPath, remakeBody, rerunStages, stateOf, validate", "draft.js"},
	} {
		fmt.Fprintf(&script, "import { %s } from %s;\n", imp[0], strconv.Quote("file://"+filepath.Join(dir, "assets", "js", imp[1])))
	}
	script.WriteString("const DRAFT = " + testDraft + ";\n")
	script.WriteString("const out = [];\n")
	for _, tt := range tests {
		fmt.Fprintf(&script, "out.push(JSON.stringify(%s));\n", tt.expr)
	}
	script.WriteString("console.log(JSON.stringify(out));\n")
	out := runNode(t, node, script.String())
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

// testDraft is a POST /moviemaker/draft answer as the contract gives it.
const testDraft = `{"task_id": "t1",
  "facts": {"name": "카페 블루문", "tagline": "핸드드립 커피", "phone": "02-336-7788", "address": "서울", "website": "https://bluemoon.cafe", "hashtags": ["카페", "커피"]},
  "lyrics": {"title": "블루문", "sections": [{"name": "verse", "lines": ["아침 햇살 카페", "커피 향기"]}, {"name": "chorus", "lines": ["블루문 블루문"]}]},
  "photos": [{"photo_id": "p1", "url": "/moviemaker/photos/p1", "width": 1600, "height": 1067, "source": "site"},
             {"photo_id": "p2", "url": "/moviemaker/photos/p2", "width": 1200, "height": 800, "source": "site"}],
  "logo": {"photo_id": "p1", "url": "/moviemaker/photos/p1"},
  "style": {"genre": "acoustic pop", "mood": "warm", "tempo": 100}, "aspect": "16:9", "duration": 30,
  "choices": {"genres": ["acoustic pop"], "moods": ["warm"], "tempos": [60, 72, 75, 90, 100, 120, 150, 180],
    "aspects": ["16:9", "9:16", "1:1"], "min_duration": 15, "max_duration": 90, "max_photos": 3, "max_sections": 10,
    "max_lines_per_section": 3, "min_line_syllables": 2, "max_line_syllables": 16,
    "section_names": ["verse", "prechorus", "chorus", "bridge", "outro"]}}`

// TestSyllablesMatchServer checks the editor counts a line's syllables as the
// server does (internal/lyrics), so its "at most N syllables" check agrees with
// the API's REQ_001 on the same line.
func TestSyllablesMatchServer(t *testing.T) {
	t.Parallel()
	node := nodeOrSkip(t)
	lines := []string{
		"카페 블루문", "커피가, 생각나는 날!", "GS25편의점", "coffee in the morning", "Fresh bread", "table",
		"make time", "bakery", "places makes wanted loved", "we're yes eyes", "sunshine extra", "BBQ night",
		"Café latte", "  ", "...!?", "", "rhythm", "the little cafe on the corner", "Maybe tomorrow, maybe today",
		"오늘도 블루문에서 만나요", "ㅋㅋ 좋아요", "NYC style bagels", "'cause I'm 24/7 open~", "sing-along", "Jalapeño nachos",
		"브런치 brunch 브런치", "Über-cool vibes", "x", "queue", "boxes wishes judges", "recipes lattes cafes",
	}
	dir := assetsOnDisk(t)
	in, _ := json.Marshal(lines)
	script := fmt.Sprintf("import { syllables } from %s;\nconsole.log(JSON.stringify(%s.map(syllables)));\n",
		strconv.Quote("file://"+filepath.Join(dir, "assets", "js", "draft.js")), in)
	out := runNode(t, node, script)
	var got []int
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(lines) {
		t.Fatalf("node printed %s (%v)", out, err)
	}
	for i, line := range lines {
		if want := lyrics.Syllables(line); got[i] != want {
			t.Errorf("syllables(%q): page %d, server %d", line, got[i], want)
		}
	}
}

var (
	tCall    = regexp.MustCompile(`\bt\('([a-z0-9_]+)'`)
	tnCall   = regexp.MustCompile(`\btn\('([a-z0-9_]+)'`)
	dataI18n = regexp.MustCompile(`data-i18n(?:-aria-label)?="([a-z0-9_]+)"`)
	failList = regexp.MustCompile(`'((?:[A-Z]+_\d{3})|NETWORK)'`)
	holes    = regexp.MustCompile(`\{(\w+)\}`)
	draftKey = regexp.MustCompile(`'(err_[a-z_]+)'`)
	// photoCodes is the editor's list of upload failures it explains.
	photoCodes = regexp.MustCompile(`PHOTO_CODES = new Set\(\[([^\]]*)\]\)`)
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
	// The editor's keys built at run time: its checks' messages (draft.js), the
	// upload failures it explains, the parts of a draft, the lyric section names.
	for _, m := range draftKey.FindAllStringSubmatch(string(mustRead(t, "assets/js/draft.js")), -1) {
		used[m[1]] = true
	}
	editor := string(mustRead(t, "assets/js/views/editor.js"))
	codes := photoCodes.FindStringSubmatch(editor)
	if codes == nil {
		t.Fatal("editor.js has no PHOTO_CODES")
	}
	for _, c := range append(strings.Split(strings.ReplaceAll(strings.ReplaceAll(codes[1], "'", ""), " ", ""), ","), "OTHER") {
		used["photo_err_"+c] = true
	}
	for _, k := range []string{"facts", "lyrics", "photos", "logo", "style", "aspect", "duration"} {
		used["part_"+k] = true
	}
	for _, k := range []string{"verse", "prechorus", "chorus", "bridge", "outro"} {
		used["section_"+k] = true
	}
	used["task_heading_review"] = true
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
	for _, c := range []string{o2sound.CodeCrawlUnreachable, o2sound.CodeCrawlTimeout, o2sound.CodeCrawlNotHTML, o2sound.CodeCrawlRobots,
		o2sound.CodeCrawlAddress, o2sound.CodeCrawlNothingUsable, o2sound.CodeCrawlInvalidURL, o2sound.CodeCrawlHTTPStatus, o2sound.CodeTooManyTasks} {
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

// TestPatternsMatchServer checks the forms' pattern attributes against what the API
// accepts: a typo is caught in the page and a valid entry never is. A phone number's
// validity is libphonenumber's, which no pattern can hold: the page's pattern takes
// every number the API takes and refuses what is not written like a number at all.
func TestPatternsMatchServer(t *testing.T) {
	t.Parallel()
	patterns := map[string]*regexp.Regexp{}
	for _, m := range jsPattern.FindAllStringSubmatch(string(mustRead(t, "assets/js/forms.js")), -1) {
		// A pattern attribute matches the whole value.
		patterns[m[1]] = regexp.MustCompile(`^(?:` + strings.ReplaceAll(m[2], `\\`, `\`) + `)$`)
	}
	apiPhone := func(s string) bool { _, ok := o2sound.PhoneE164(s, ""); return ok }
	tests := []struct {
		pattern  string
		valid    func(string) bool
		superset bool // the page may let through what the API then refuses by name
		values   []string
	}{
		{"PHONE_PATTERN", apiPhone, true, []string{
			"010-1234-5678", "01012345678", "02-1234-5678", "021234567", "031-123-4567", "1588-1234", "15881234",
			"070-1234-5678", "0505-123-4567", "010 1234 5678", "+82-10-1234-5678", "+1 512 555 0147", "+1 (512) 555-0147",
			"+49 (0) 30 1234567", "+44 20 7946 0958", "+33 1 42 68 53 00", "０１０－１２３４－５６７８", "+81 3-1234-5678",
			"010-123-456", "02-12-3456", "(512) 555-0147",
		}},
		{"EMAIL_PATTERN", o2sound.ValidEmail, false, []string{
			"minji@example.com", "a.b+c@cafe.co.kr", "minji@localhost", "minji@", "@example.com", "min ji@example.com", "minji@example.com ",
		}},
	}
	refused := map[string][]string{"PHONE_PATTERN": {"", "123", "010-abcd-5678", "call 02-1234-5678", "1-800-FLOWERS", "+1 512 555 0147 ext. 2", "010-1234-5678-0000-1111-2222-3333"}}
	for _, tt := range tests {
		re := patterns[tt.pattern]
		if re == nil {
			t.Fatalf("forms.js has no %s", tt.pattern)
		}
		for _, v := range tt.values {
			got, want := re.MatchString(v), tt.valid(v)
			if got != want && !(tt.superset && got) {
				t.Errorf("%s on %q: page %v, API %v", tt.pattern, v, got, want)
			}
		}
		for _, v := range refused[tt.pattern] {
			if re.MatchString(v) || tt.valid(v) {
				t.Errorf("%s on %q: page %v, API %v, want both to refuse", tt.pattern, v, re.MatchString(v), tt.valid(v))
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
