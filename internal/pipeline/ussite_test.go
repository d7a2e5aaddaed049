package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/account"
	"github.com/o2sound/o2sound/internal/api"
	"github.com/o2sound/o2sound/internal/config"
	"github.com/o2sound/o2sound/internal/engine"
	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/files"
	"github.com/o2sound/o2sound/internal/library"
	"github.com/o2sound/o2sound/internal/music"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/pipeline"
	"github.com/o2sound/o2sound/internal/store"
	"github.com/o2sound/o2sound/internal/store/storetest"
)

// ironbarkHTML is the site of issue 12: an English gym site in Austin, TX, with its
// number in E.164 style in JSON-LD and its address block led by the name.
const ironbarkHTML = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Ironbark Strength Club | Barbell gym in East Austin</title>
<meta name="description" content="A barbell gym for strength training, powerlifting and coached classes in East Austin.">
<meta property="og:image" content="/images/interior.jpg">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"ExerciseGym",
 "name":"Ironbark Strength Club","telephone":"+1 512-555-0147",
 "address":{"@type":"PostalAddress","streetAddress":"2315 E Cesar Chavez St, Suite B","addressLocality":"Austin",
  "addressRegion":"TX","postalCode":"78702","addressCountry":"US"}}</script>
</head><body>
<h1>Ironbark Strength Club</h1>
<p>Strength training, powerlifting and coached classes for every level, six days a week.
Our coaches build programs around your goals, from your first squat to your first meet.</p>
<img src="/images/interior.jpg" alt="The gym floor"><img src="/images/storefront.jpg" alt="Our front door">
<img src="/images/brunch.jpg" alt="Smoothie bar"><img src="/images/bakery.jpg" alt="Recovery lounge">
<h2>Call us: +1 512-555-0147</h2>
<footer><address>Ironbark Strength Club 2315 E Cesar Chavez St, Suite B Austin, TX 78702</address>
<p>© 2024 Ironbark Strength Club LLC. All rights reserved.</p></footer>
</body></html>`

// ironbarkSite serves the gym's site with real photos (the example café's).
func ironbarkSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "images"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(ironbarkHTML), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"interior.jpg", "storefront.jpg", "brunch.jpg", "bakery.jpg"} {
		b, err := os.ReadFile(filepath.Join("../../examples/cafe/images", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "images", name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// apiBundle is the real API over the real pipeline and a real database.
type apiBundle struct {
	t   *testing.T
	db  *store.DB
	srv *httptest.Server
	hc  *http.Client
}

func setupAPI(t *testing.T, d store.Dialect) *apiBundle {
	t.Helper()
	db := storetest.Open(t, d)
	fs, err := files.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	w := pipeline.Config{DB: db, Files: fs, Fetch: fetch.Options{AllowPrivateNetworks: true},
		Steps: pipeline.Steps{VideoScale: 0.25}}.Work()
	o := engine.DefaultOptions()
	o.FetchPollInterval = 50 * time.Millisecond
	e, err := engine.New(context.Background(), db, fs, w, o, log)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Stop(5 * time.Second) })
	cfg := &config.Config{SessionSecret: []byte(strings.Repeat("s", 32)), SessionIdle: time.Hour, SessionMaxAge: 24 * time.Hour,
		FrontendOrigins: []string{"http://localhost:3300"}, DataDir: t.TempDir()}
	srv := httptest.NewServer(api.New(api.Deps{Config: cfg, Logger: log, Version: "test", Ping: db.Ping,
		Accounts: account.New(db, account.Options{Secret: cfg.SessionSecret, IdleTimeout: cfg.SessionIdle, MaxAge: cfg.SessionMaxAge, Logger: log}),
		Library:  library.New(db, fs, log), Workflow: pipeline.NewService(e, db, fs, log)}).Handler())
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return &apiBundle{t: t, db: db, srv: srv, hc: &http.Client{Jar: jar}}
}

// call sends body as JSON and decodes the answer into out, failing unless it is 2xx.
func (b *apiBundle) call(method, path string, body, out any) {
	b.t.Helper()
	if status, data := b.send(method, path, body); status/100 != 2 {
		b.t.Fatalf("%s %s: %d %s", method, path, status, data)
	} else if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			b.t.Fatalf("%s %s: %v: %s", method, path, err, data)
		}
	}
}

func (b *apiBundle) send(method, path string, body any) (int, []byte) {
	b.t.Helper()
	var rd io.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, b.srv.URL+path, rd)
	if err != nil {
		b.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

func (b *apiBundle) waitState(id, state string) {
	b.t.Helper()
	for deadline := time.Now().Add(4 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
		var p struct {
			State        string `json:"state"`
			ErrorCode    string `json:"error_code"`
			ErrorMessage string `json:"error_message"`
		}
		b.call("POST", "/moviemaker/progress", map[string]string{"task_id": id}, &p)
		if p.State == state {
			return
		}
		if p.State == "completed" || p.State == "failed" || p.State == "cancelled" || time.Now().After(deadline) {
			b.t.Fatalf("task %s is %s (%s %s), want %s", id, p.State, p.ErrorCode, p.ErrorMessage, state)
		}
	}
}

// crawlOutput is what the stages after the crawl (lyrics, music, video cards) read.
func (b *apiBundle) crawlOutput(ownerID, taskID string) pipeline.CrawlOutput {
	b.t.Helper()
	task, err := b.db.TaskByID(context.Background(), ownerID, taskID)
	if err != nil {
		b.t.Fatal(err)
	}
	var cr pipeline.CrawlOutput
	if err := json.Unmarshal(task.Stages[o2sound.StageCrawl].Output, &cr); err != nil {
		b.t.Fatalf("crawl output: %v", err)
	}
	return cr
}

// TestUSBusinessEndToEnd is issue 12's acceptance for the Austin gym: through the real
// API, crawler, lyrics writer and renderer, the number reads "(512) 555-0147" and the
// area "Austin" in the items, the draft's facts, what the end card and the voice are
// given, and the lyrics sing no suite, zip code or raw number.
func TestUSBusinessEndToEnd(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		b := setupAPI(t, d)
		site := ironbarkSite(t)
		var me struct {
			ID string `json:"id"`
		}
		b.call("POST", "/auth/join", map[string]string{"user_id": "ironbark", "name": "Jo Owner", "password": "securepassword123",
			"phone_number": "+1 512 555 0199"}, &me)
		b.call("POST", "/auth/login", map[string]string{"user_id": "ironbark", "password": "securepassword123"}, nil)

		var started struct {
			TaskID string `json:"task_id"`
		}
		b.call("POST", "/moviemaker/start-workflow", map[string]any{"url": site, "review": true, "duration": 15, "aspect": "16:9"}, &started)
		b.waitState(started.TaskID, "review")

		const national, e164, address = "(512) 555-0147", "+15125550147", "2315 E Cesar Chavez St, Suite B, Austin, TX 78702"
		var items struct {
			Items []struct {
				ItemID      string   `json:"item_id"`
				Address     string   `json:"address"`
				PhoneNumber string   `json:"phone_number"`
				Hashtags    []string `json:"hashtags"`
			} `json:"items"`
		}
		b.call("POST", "/user/items", nil, &items)
		if len(items.Items) != 1 || items.Items[0].PhoneNumber != national || items.Items[0].Address != address {
			t.Fatalf("items: %+v", items.Items)
		}
		it, err := b.db.ItemByID(context.Background(), me.ID, items.Items[0].ItemID)
		if err != nil || it.PhoneNumber != e164 {
			t.Errorf("the item stores %q (%v), want %q", it.PhoneNumber, err, e164)
		}
		var draft struct {
			Facts  o2sound.Facts       `json:"facts"`
			Lyrics o2sound.DraftLyrics `json:"lyrics"`
		}
		b.call("POST", "/moviemaker/draft", map[string]string{"task_id": started.TaskID}, &draft)
		if draft.Facts.Phone != national || draft.Facts.Address != address {
			t.Errorf("draft facts: phone %q address %q", draft.Facts.Phone, draft.Facts.Address)
		}
		for _, tags := range [][]string{items.Items[0].Hashtags, draft.Facts.Hashtags} {
			if !containsString(tags, "austin") {
				t.Errorf("hashtags %v lack the area", tags)
			}
			for _, h := range tags {
				if strings.Contains(h, "suite") || strings.Contains(h, "78702") {
					t.Errorf("hashtag %q holds a part of the address", h)
				}
			}
		}

		cr := b.crawlOutput(me.ID, started.TaskID)
		p := cr.Profile
		if p.Phone != national || p.PhoneE164 != e164 || p.Country != "US" || p.Area != "Austin" {
			t.Errorf("the profile the stages read: phone %q %q country %q area %q", p.Phone, p.PhoneE164, p.Country, p.Area)
		}
		if a := music.NewAnnouncement(p); !strings.Contains(a.Outro, "5 1 2, 5 5 5, 0 1 4 7") || strings.Contains(a.Outro, "plus") {
			t.Errorf("the voice says %q", a.Outro)
		}
		// The built-in writer sings the place by its locality: no suite, zip or number.
		unsung := regexp.MustCompile(`(?i)suite|\b78702\b|\bTX\b|\+1|555|0147|cesar|chavez`)
		lines := []string{draft.Lyrics.Title}
		for _, s := range draft.Lyrics.Sections {
			lines = append(lines, s.Lines...)
		}
		for _, l := range lines {
			if unsung.MatchString(l) {
				t.Errorf("the lyrics sing %q", l)
			}
		}
		if !strings.Contains(strings.Join(lines, "\n"), "Austin") {
			t.Errorf("the lyrics do not sing the area: %q", lines)
		}

		// The owner's facts: a number without "+" is the business's (US); junk is named.
		for _, junk := range []string{"hello", "02-336-7788"} {
			status, data := b.send("POST", "/moviemaker/remake", map[string]any{"task_id": started.TaskID, "facts": map[string]string{"phone": junk}})
			var e struct {
				ErrorCode string `json:"error_code"`
				Details   struct {
					Fields []o2sound.FieldError `json:"fields"`
				} `json:"details"`
			}
			json.Unmarshal(data, &e)
			if status != 422 || e.ErrorCode != o2sound.CodeValidation || len(e.Details.Fields) != 1 ||
				e.Details.Fields[0].Field != "facts.phone" || e.Details.Fields[0].Message != o2sound.PhoneHint {
				t.Errorf("facts.phone %q: %d %s", junk, status, data)
			}
		}

		// Continue: the song and the video are made from that profile. One rendering
		// is enough to show the end card gets the national number; the shared test
		// machine has two cores.
		if d != store.SQLite {
			return
		}
		var cont struct {
			TaskID string `json:"task_id"`
		}
		b.call("POST", "/moviemaker/remake", map[string]string{"task_id": started.TaskID}, &cont)
		b.waitState(cont.TaskID, "completed")
		if p := b.crawlOutput(me.ID, cont.TaskID).Profile; p.Phone != national || p.Area != "Austin" {
			t.Errorf("the video was rendered from phone %q area %q", p.Phone, p.Area)
		}
		var profile struct {
			PhoneNumber string `json:"phone_number"`
		}
		b.call("POST", "/user/profile", nil, &profile)
		if profile.PhoneNumber != "(512) 555-0199" {
			t.Errorf("the owner's profile shows %q", profile.PhoneNumber)
		}
	})
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
