package render_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/render"
	"github.com/o2sound/o2sound/internal/render/rendertest"
)

const spaPage = `<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>React App</title>
<script src="/static/main.js" defer></script></head>
<body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div></body></html>`

const spaScript = `fetch("/api/shop.json").then(r => r.json()).then(shop => {
  document.title = shop.name;
  const root = document.getElementById("root");
  root.innerHTML = "<h1>" + shop.name + "</h1><p>" + shop.about + "</p>" +
    shop.photos.map(p => '<img src="' + p + '" alt="사진">').join("");
});`

func TestRenderSinglePageApp(t *testing.T) {
	t.Parallel()
	srv := rendertest.Site(t, map[string]string{
		"/":               spaPage,
		"/static/main.js": spaScript,
		"/api/shop.json":  `{"name":"카페 블루문","about":"연남동 골목의 작은 로스터리 카페입니다.","photos":["/img/latte.jpg","/img/room.jpg"]}`,
	})
	c := render.New(rendertest.Options(srv, rendertest.Browser(t)))
	p, err := c.Render(context.Background(), srv.URL+"/")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("rendered in %v: %d requests, %d bytes, stopped %q, refused %v", p.Duration, p.Requests, p.Bytes, p.Stopped, p.Refused)
	for _, want := range []string{"<h1>카페 블루문</h1>", "작은 로스터리", `src="/img/latte.jpg"`, "<title>카페 블루문</title>"} {
		if !strings.Contains(p.HTML, want) {
			t.Errorf("rendered DOM lacks %q:\n%s", want, p.HTML)
		}
	}
	if p.Stopped != "" || p.URL != srv.URL+"/" || p.Requests < 3 {
		t.Errorf("page %+v", p)
	}
}

// forbidden is a server the page must never reach: it counts every TCP connection.
type forbidden struct {
	addr  string
	conns atomic.Int64
}

func listenForbidden(t *testing.T, host string) *forbidden {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatalf("listen on %s: %v", host, err)
	}
	f := &forbidden{addr: ln.Addr().String()}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			f.conns.Add(1)
			fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: 6\r\n\r\nSECRET")
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return f
}

// TestRenderRefusesForbiddenTargets: a page whose scripts, images, frames, websockets
// and redirects aim at the metadata address, other loopback addresses and ports, and
// file: URLs reaches none of them, and the DOM holds none of their content.
func TestRenderRefusesForbiddenTargets(t *testing.T) {
	t.Parallel()
	secretDir := t.TempDir()
	secretFile := filepath.Join(secretDir, "secret.txt")
	if err := os.WriteFile(secretFile, []byte("FILE-SECRET"), 0o600); err != nil {
		t.Fatal(err)
	}
	otherPort := listenForbidden(t, "127.0.0.1") // the fixture's address, another port
	otherAddr := listenForbidden(t, "127.0.0.2") // another loopback address
	targets := []string{
		"http://169.254.169.254/latest/meta-data/",
		"http://" + otherPort.addr + "/",
		"http://" + otherAddr.addr + "/",
		"http://localhost:" + strings.Split(otherPort.addr, ":")[1] + "/",
		"file://" + secretFile,
	}
	var list strings.Builder
	for _, u := range targets {
		fmt.Fprintf(&list, "%q,", u)
	}
	page := `<!DOCTYPE html><html><head><title>x</title>
<script src="/redirect.js"></script>
</head><body><div id="out"></div>
<img src="http://` + otherAddr.addr + `/pixel.png">
<iframe src="file://` + secretFile + `"></iframe>
<iframe src="http://` + otherPort.addr + `/frame"></iframe>
<script>
const targets = [` + list.String() + `];
const out = document.getElementById("out");
Promise.all(targets.map(u => fetch(u).then(r => r.text()).then(t => "GOT " + u + " " + t, e => "BLOCKED " + u))).then(lines => {
  out.innerHTML = lines.map(l => "<p>" + l + "</p>").join("");
  document.title = "done";
});
try { new WebSocket("ws://` + otherPort.addr + `/ws"); } catch (e) {}
const x = new XMLHttpRequest(); x.open("GET", "http://169.254.169.254/computeMetadata/v1/"); x.send();
navigator.sendBeacon && navigator.sendBeacon("http://` + otherAddr.addr + `/beacon", "x");
</script></body></html>`
	var fixtureHits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fixtureHits.Add(1)
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, page)
		case "/redirect.js":
			// A redirect hop is checked like any request.
			http.Redirect(w, r, "http://"+otherAddr.addr+"/evil.js", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	c := render.New(rendertest.Options(srv, rendertest.Browser(t)))
	p, err := c.Render(context.Background(), srv.URL+"/")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("rendered in %v: %d requests; refused %q", p.Duration, p.Requests, p.Refused)
	if n := otherPort.conns.Load() + otherAddr.conns.Load(); n != 0 {
		t.Errorf("forbidden servers saw %d connections (other port %d, other address %d)", n, otherPort.conns.Load(), otherAddr.conns.Load())
	}
	if strings.Contains(p.HTML, "SECRET") || strings.Contains(p.HTML, "<p>GOT") {
		t.Errorf("forbidden content in the DOM:\n%s", p.HTML)
	}
	for _, u := range targets {
		if !strings.Contains(p.HTML, "BLOCKED "+u) {
			t.Errorf("no sign the page's fetch of %s failed:\n%s", u, p.HTML)
		}
	}
	// file: URLs never reach the network layer (Chromium refuses them from an http
	// page itself); the BLOCKED line above is their proof.
	refused := strings.Join(p.Refused, "\n")
	for _, want := range []string{"169.254.169.254", otherPort.addr, otherAddr.addr, "/evil.js"} {
		if !strings.Contains(refused, want) {
			t.Errorf("refusals do not mention %s:\n%s", want, refused)
		}
	}
	if fixtureHits.Load() < 2 {
		t.Errorf("the fixture itself was reached %d times", fixtureHits.Load())
	}
}

// TestRenderBudgets: a page that never finishes, one that asks for 10 000 images, one
// that pulls 50 MB and one that builds a huge DOM are each stopped by their budget, in
// bounded time, with what they had built by then.
func TestRenderBudgets(t *testing.T) {
	t.Parallel()
	var imageHits, workerHits atomic.Int64
	big := strings.Repeat("x", 1<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/forever":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<!DOCTYPE html><html><head><title>Slow</title></head><body><h1>Partial content</h1><script src="/never.js"></script>`)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		case r.URL.Path == "/never.js":
			<-r.Context().Done()
		case r.URL.Path == "/images":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<!DOCTYPE html><html><body><h1>Gallery</h1><div id="g"></div><script>
const g = document.getElementById("g");
for (let i = 0; i < 10000; i++) {
  const im = document.createElement("img"); im.src = "/img/" + i + ".jpg"; g.appendChild(im);
  fetch("/img/f" + i + ".jpg").catch(() => {});
}
</script></body></html>`)
		case r.URL.Path == "/worker":
			// A worker's fetch is not the page's: it bypasses the in-page budget and
			// must be stopped further down.
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<!DOCTYPE html><html><body><h1>Worker</h1><script>
const code = "for (let i = 0; i < 3000; i++) fetch('" + location.origin + "/wimg/' + i + '.jpg').catch(() => {});";
new Worker(URL.createObjectURL(new Blob([code], {type: "text/javascript"})));
</script></body></html>`)
		case strings.HasPrefix(r.URL.Path, "/wimg/"):
			workerHits.Add(1)
			w.Header().Set("Content-Type", "image/jpeg")
			fmt.Fprint(w, "not really a jpeg")
		case strings.HasPrefix(r.URL.Path, "/img/"):
			imageHits.Add(1)
			w.Header().Set("Content-Type", "image/jpeg")
			fmt.Fprint(w, "not really a jpeg")
		case r.URL.Path == "/bytes":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<!DOCTYPE html><html><body><h1>Heavy</h1><script>
fetch("/big.bin").then(r => r.text()).then(t => { document.body.dataset.got = t.length; }).catch(() => {});
</script></body></html>`)
		case r.URL.Path == "/big.bin":
			w.Header().Set("Content-Type", "application/octet-stream")
			for i := 0; i < 50 && r.Context().Err() == nil; i++ {
				fmt.Fprint(w, big)
			}
		case r.URL.Path == "/dom":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<!DOCTYPE html><html><head><title>Big DOM</title></head><body><script>
document.body.insertAdjacentHTML("beforeend", "<p>" + "가".repeat(1000000) + "</p>");
</script></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)

	cases := []struct {
		path    string
		opts    func(*render.Options)
		stopped string
		want    string
		check   func(t *testing.T, p *render.Page)
	}{
		{path: "/forever", opts: func(o *render.Options) { o.Timeout = 6 * time.Second }, stopped: render.StoppedTime, want: "Partial content"},
		{path: "/images", stopped: render.StoppedRequests, want: "<h1>Gallery</h1>", check: func(t *testing.T, p *render.Page) {
			if n := imageHits.Load(); n > render.DefaultMaxRequests {
				t.Errorf("the site served %d image requests, budget %d", n, render.DefaultMaxRequests)
			}
		}},
		{path: "/worker", stopped: render.StoppedRequests, want: "<h1>Worker</h1>", check: func(t *testing.T, p *render.Page) {
			if n := workerHits.Load(); n > render.DefaultMaxRequests {
				t.Errorf("the site served %d worker requests, budget %d", n, render.DefaultMaxRequests)
			}
		}},
		{path: "/bytes", opts: func(o *render.Options) { o.MaxBytes = 4 << 20 }, stopped: render.StoppedBytes, want: "<h1>Heavy</h1>", check: func(t *testing.T, p *render.Page) {
			if p.Bytes > 5<<20 {
				t.Errorf("%d bytes crossed the proxy, budget 4 MiB", p.Bytes)
			}
		}},
		{path: "/dom", opts: func(o *render.Options) { o.MaxDOMBytes = 512 << 10 }, want: "<title>Big DOM</title>", check: func(t *testing.T, p *render.Page) {
			if !p.Truncated || len(p.HTML) > 512<<10 {
				t.Errorf("DOM of %d bytes, truncated %v; budget 512 KiB", len(p.HTML), p.Truncated)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(strings.Trim(tc.path, "/"), func(t *testing.T) {
			t.Parallel()
			o := rendertest.Options(srv, rendertest.Browser(t))
			if tc.opts != nil {
				tc.opts(&o)
			}
			start := time.Now()
			p, err := render.New(o).Render(context.Background(), srv.URL+tc.path)
			if err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			t.Logf("%s: %v, %d requests, %d bytes, stopped %q, %d DOM bytes", tc.path, took, p.Requests, p.Bytes, p.Stopped, len(p.HTML))
			limit := render.DefaultTimeout + 2*time.Second
			if o.Timeout > 0 {
				limit = o.Timeout + 2*time.Second
			}
			if took > limit {
				t.Errorf("took %v, over %v", took, limit)
			}
			if p.Stopped != tc.stopped {
				t.Errorf("stopped %q, want %q", p.Stopped, tc.stopped)
			}
			if !strings.Contains(p.HTML, tc.want) {
				t.Errorf("DOM lacks %q: %.300s", tc.want, p.HTML)
			}
			if tc.check != nil {
				tc.check(t, p)
			}
		})
	}
}

func TestRenderWithoutChromium(t *testing.T) {
	t.Parallel()
	c := render.New(render.Options{ExecPath: filepath.Join(t.TempDir(), "no-such-chromium")})
	if err := c.Available(); !errors.Is(err, render.ErrUnavailable) {
		t.Errorf("Available: %v", err)
	}
	if _, err := c.Render(context.Background(), "http://127.0.0.1:9/"); !errors.Is(err, render.ErrUnavailable) {
		t.Errorf("Render: %v, want ErrUnavailable", err)
	}
}
