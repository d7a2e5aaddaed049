package crawl

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/crawl/crawltest"
	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/o2sound"
)

// TestCrawlErrors: each way a crawl can fail yields its code, a plain message, and an
// error errors.As finds through the caller's own wrapping.
func TestCrawlErrors(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow: /members\n")
		case "/photo.jpg":
			w.Header().Set("Content-Type", "image/jpeg")
			w.Write(crawltest.JPEG(crawltest.Quadrants(64, 64), 80))
		case "/data":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"a":1}`)
		case "/gone":
			http.NotFound(w, r)
		case "/broken":
			http.Error(w, "oops", http.StatusInternalServerError)
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		case "/members":
			fmt.Fprint(w, "<title>Members</title>")
		}
	}))
	t.Cleanup(srv.Close)
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedURL := "http://" + closed.Addr().String() + "/"
	closed.Close()

	dev := fetch.Options{AllowPrivateNetworks: true, Timeout: 1500 * time.Millisecond}
	cases := []struct {
		name string
		url  string
		opts fetch.Options
		code string
	}{
		{"robots", srv.URL + "/members", dev, o2sound.CodeCrawlRobots},
		{"image instead of a page", srv.URL + "/photo.jpg", dev, o2sound.CodeCrawlNotHTML},
		{"json", srv.URL + "/data", dev, o2sound.CodeCrawlNotHTML},
		{"404", srv.URL + "/gone", dev, o2sound.CodeCrawlHTTPStatus},
		{"500", srv.URL + "/broken", dev, o2sound.CodeCrawlHTTPStatus},
		{"timeout", srv.URL + "/slow", dev, o2sound.CodeCrawlTimeout},
		{"connection refused", closedURL, dev, o2sound.CodeCrawlUnreachable},
		{"private address in production", srv.URL + "/", fetch.Options{AllowedPorts: []int{portOf(t, srv.URL)}}, o2sound.CodeCrawlAddress},
		{"metadata address even in development", "http://169.254.169.254/latest/", dev, o2sound.CodeCrawlAddress},
		{"not http", "file:///etc/passwd", dev, o2sound.CodeCrawlInvalidURL},
		{"user info", "http://example.com@127.0.0.1/", dev, o2sound.CodeCrawlInvalidURL},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Crawl(context.Background(), tc.url, Options{Fetch: tc.opts})
			wrapped := fmt.Errorf("workflow: crawl task: %w", err)
			var ce *fetch.Error
			if !errors.As(wrapped, &ce) {
				t.Fatalf("got %v, want a *fetch.Error %s", err, tc.code)
			}
			if ce.Code != tc.code {
				t.Fatalf("got %s (%v), want %s", ce.Code, err, tc.code)
			}
			if ce.Message == "" || strings.Contains(ce.Message, "127.0.0.1") || strings.Contains(ce.Message, "dial") {
				t.Errorf("message %q should be plain and not leak internals", ce.Message)
			}
		})
	}
}

func portOf(t *testing.T, raw string) int {
	ap, err := netip.ParseAddrPort(strings.TrimPrefix(raw, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	return int(ap.Port())
}

func TestCrawlCancelled(t *testing.T) {
	t.Parallel()
	srv := siteServer(t, "cafe-ko")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Crawl(ctx, srv.URL, testOptions(t))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

// TestShellPages: a home page that is only a meta refresh or a frameset leads to the
// real page, as on many older Korean sites.
func TestShellPages(t *testing.T) {
	t.Parallel()
	main := `<html><head><title>달빛 식당</title><meta name="description" content="한식 백반집 달빛 식당입니다"></head><body><p>매일 바뀌는 반찬과 따뜻한 밥이 있는 동네 식당입니다.</p></body></html>`
	pages := map[string]string{
		"/refresh/":          `<html><head><meta http-equiv="refresh" content="0; URL='/refresh/main.html'"></head></html>`,
		"/refresh/main.html": main,
		"/frames/":           `<html><frameset rows="80,*"><frame name="top" src="top.html"><frame name="mainFrame" src="body.html"></frameset></html>`,
		"/frames/top.html":   `<html><body>메뉴</body></html>`,
		"/frames/body.html":  main,
		"/away/":             `<html><head><meta http-equiv="refresh" content="0;url=https://elsewhere.example/"></head><body>잠시만 기다려 주세요</body></html>`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	for _, path := range []string{"/refresh/", "/frames/"} {
		res, err := Crawl(context.Background(), srv.URL+path, testOptions(t))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if res.Profile.Name != "달빛 식당" || res.Profile.Category != "Restaurant" || len(res.Pages) != 2 {
			t.Errorf("%s: profile %+v pages %v", path, res.Profile, res.Pages)
		}
	}
	// A refresh to another site is not followed: we crawl what we were given.
	if _, err := Crawl(context.Background(), srv.URL+"/away/", testOptions(t)); fetch.ErrorCode(err) != o2sound.CodeCrawlNothingUsable {
		t.Errorf("off-site refresh: %v", err)
	}
}

// TestPageWith5000Images: a page listing 5 000 images costs a bounded number of
// downloads and a bounded report, and finishes quickly.
func TestPageWith5000Images(t *testing.T) {
	t.Parallel()
	// The smallest photo the filters keep: the test is about bounded work, not decoding.
	photo := crawltest.JPEG(crawltest.Scene("latte", 3, 480, 320), 70)
	var downloads atomic.Int64
	var page strings.Builder
	page.WriteString("<html><head><title>Gallery | Moon Bakery</title></head><body><h1>Moon Bakery</h1>")
	for i := range 5000 {
		fmt.Fprintf(&page, `<img src="/img/%d.jpg" alt="photo %d">`, i, i)
	}
	page.WriteString("</body></html>")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/":
			fmt.Fprint(w, page.String())
		case strings.HasPrefix(r.URL.Path, "/img/"):
			downloads.Add(1)
			w.Header().Set("Content-Type", "image/jpeg")
			w.Write(photo)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	opts := testOptions(t)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	res, err := Crawl(context.Background(), srv.URL, opts)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if n := downloads.Load(); n != 40 {
		t.Errorf("%d image downloads, want the default budget of 40", n)
	}
	// All 5 000 are accounted for: one kept (the rest are the same photo), the others
	// dropped as duplicates, over the download budget, or beyond the per-page cap.
	total := len(res.Images) + len(res.Dropped) + res.MoreDropped
	if len(res.Images) != 1 || total != 5000 || len(res.Dropped) > maxDroppedListed {
		t.Errorf("kept %d, listed %d dropped, %d more: total %d", len(res.Images), len(res.Dropped), res.MoreDropped, total)
	}
	// Generous: the bound that matters is the download count above; this only catches
	// work proportional to the 5 000 (race detector and a busy CI box included).
	if elapsed > time.Minute {
		t.Errorf("took %v", elapsed)
	}
	t.Logf("5000-image page: %v, %d MiB allocated", elapsed, (after.TotalAlloc-before.TotalAlloc)>>20)
}

// TestHostileImages: a slow-drip image times out alone, a gzip bomb page stops at the
// page cap, and neither sinks the crawl.
func TestHostileImages(t *testing.T) {
	t.Parallel()
	bomb, err := os.ReadFile("../fetch/testdata/bomb.gz.gz")
	if err != nil {
		t.Fatal(err)
	}
	good := crawltest.JPEG(crawltest.Scene("bakery", 1, 640, 427), 70)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, `<html><head><title>Slow Bakery</title></head><body><h1>Slow Bakery</h1>
				<img src="/good.jpg" alt="bread"><img src="/drip.jpg"><img src="/bomb.jpg"></body></html>`)
		case "/bomb-page/":
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip, gzip")
			w.Write(bomb)
		case "/good.jpg":
			w.Write(good)
		case "/bomb.jpg":
			w.Header().Set("Content-Encoding", "gzip, gzip")
			w.Write(bomb)
		case "/drip.jpg":
			w.Header().Set("Content-Type", "image/jpeg")
			for i := 0; i < 30; i++ {
				if _, err := w.Write(good[i : i+1]); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(time.Second):
				}
			}
		}
	}))
	t.Cleanup(srv.Close)
	opts := testOptions(t)
	opts.Fetch.Timeout = 1500 * time.Millisecond
	start := time.Now()
	res, err := Crawl(context.Background(), srv.URL, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Images) != 1 {
		t.Errorf("kept %+v", res.Images)
	}
	wantDropped(t, res, map[string]string{"/drip.jpg": ReasonDownload, "/bomb.jpg": ReasonBytes})
	if d := time.Since(start); d > 20*time.Second { // the drip alone would take 30 s
		t.Errorf("took %v", d)
	}

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = Crawl(context.Background(), srv.URL+"/bomb-page/", opts)
	runtime.ReadMemStats(&after)
	if fetch.ErrorCode(err) != o2sound.CodeCrawlNothingUsable {
		t.Errorf("bomb page: %v, want %s", err, o2sound.CodeCrawlNothingUsable)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<20 {
		t.Errorf("bomb page allocated %d MiB", alloc>>20)
	}
}
