package crawl

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/o2sound/o2sound/internal/crawl/crawltest"
	"github.com/o2sound/o2sound/internal/htmltext"
	"github.com/o2sound/o2sound/internal/sitefacts"
)

func TestSrcsetAndCSS(t *testing.T) {
	t.Parallel()
	srcsets := map[string]string{
		"a.jpg 640w, b.jpg 1280w, c.jpg 320w": "b.jpg",
		"a.jpg 1x, b.jpg 2x":                  "b.jpg",
		"a.jpg, b.jpg 2x":                     "b.jpg",
		"https://cdn.x/w_100,h_100/a.jpg 100w, https://cdn.x/w_900,h_600/a.jpg 900w": "https://cdn.x/w_900,h_600/a.jpg",
		"data:image/gif;base64,AAAA 1x, real.jpg 1x":                                 "real.jpg",
		"":     "",
		" , ,": "",
	}
	for in, want := range srcsets {
		if got := largestSrcset(in); got != want {
			t.Errorf("largestSrcset(%q) = %q, want %q", in, got, want)
		}
	}
	css := `.a{background-image:url("/a.jpg")} .b{background: #fff url(/b.png) no-repeat}
		@font-face{src:url(/f.woff2)} .c{cursor:url(/c.cur)} .d{background-image:url(data:image/png;base64,xx)}`
	if got := cssBackgroundURLs(css); !reflect.DeepEqual(got, []string{"/a.jpg", "/b.png"}) {
		t.Errorf("cssBackgroundURLs = %v", got)
	}
}

func TestExtractCandidates(t *testing.T) {
	t.Parallel()
	const page = `<html><head>
<meta property="og:image" content="https://cdn.example.com/og.jpg">
<base href="/shop/">
</head><body>
<header><a class="logo" href="/"><img src="logo.png"></a></header>
<img src="data:image/gif;base64,R0lGOD" data-src="lazy.jpg" alt="lazy one" width="800" height="600">
<img srcset="s.jpg 300w, l.jpg 1200w" src="s.jpg">
<a href="/full/big.jpg"><img src="thumb.jpg" alt="thumb"></a>
<picture><source type="image/avif" srcset="p.avif"><source srcset="p.webp 1200w"><img src="p.jpg" alt="pic"></picture>
<div style="background-image: url('bg.jpg')"></div>
<section data-bg="sect.jpg"></section>
<img src="javascript:alert(1)"><img src="ftp://x/y.jpg"><img src="og.jpg">
<noscript><img src="noscript.jpg"></noscript>
<img src="lazy.jpg" alt="again">
</body></html>`
	base, _ := url.Parse("https://example.com/index.html")
	doc := htmltext.ParseHTML(page)
	meta := sitefacts.ExtractPage(doc, base)
	cands, overflow := extractCandidates(doc, base, meta, 0)
	var got []string
	for _, c := range cands {
		got = append(got, c.Origin+" "+c.URL)
	}
	want := []string{
		"og:image https://cdn.example.com/og.jpg",
		"img https://example.com/shop/logo.png",
		"img https://example.com/shop/lazy.jpg",
		"img https://example.com/shop/l.jpg",
		"link https://example.com/full/big.jpg",
		"img https://example.com/shop/thumb.jpg",
		"picture https://example.com/shop/p.webp",
		"background https://example.com/shop/bg.jpg",
		"background https://example.com/shop/sect.jpg",
		"img https://example.com/shop/og.jpg",
	}
	if !reflect.DeepEqual(got, want) || overflow != 0 {
		t.Fatalf("candidates:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !cands[1].Chrome || !strings.Contains(cands[1].Context, "logo") {
		t.Errorf("logo candidate %+v", cands[1])
	}
	if cands[2].Alt != "lazy one" || cands[2].DeclW != 800 {
		t.Errorf("lazy candidate %+v", cands[2])
	}
}

func TestPreFilter(t *testing.T) {
	t.Parallel()
	cases := []struct {
		c    candidate
		want string
	}{
		{candidate{URL: "https://x/a.jpg"}, ""},
		{candidate{URL: "https://x/a.SVG"}, ReasonSVG},
		{candidate{URL: "https://x/favicon.ico"}, ReasonFormat},
		{candidate{URL: "https://x/photo.avif"}, ReasonFormat},
		{candidate{URL: "https://x/a.gif", DeclW: 1, DeclH: 1}, ReasonTracking},
		{candidate{URL: "https://www.google-analytics.com/collect?x"}, ReasonTracking},
		{candidate{URL: "https://ssl.google-analytics.com/__utm.gif"}, ReasonTracking},
		{candidate{URL: "https://www.facebook.com/tr?id=1"}, ReasonTracking},
		{candidate{URL: "https://x/a.jpg", Hints: "site-logo"}, ReasonLogo},
		{candidate{URL: "https://x/a.jpg", Context: "navbar-logo"}, ReasonLogo},
		{candidate{URL: "https://x/a.jpg", Hints: "로고"}, ReasonLogo},
		{candidate{URL: "https://x/a.jpg", Context: "navbar-brand", Chrome: true}, ReasonLogo},
		{candidate{URL: "https://x/a.jpg", Hints: "ico_phone"}, ReasonIcon},
		{candidate{URL: "https://x/a.jpg", Hints: "sns instagram"}, ReasonIcon},
		{candidate{URL: "https://x/a.jpg", Hints: "spacer"}, ReasonTracking},
		{candidate{URL: "https://x/a.jpg", DeclW: 32, DeclH: 32}, ReasonIcon},
		{candidate{URL: "https://x/a.jpg", Hints: "iconic-latte bicycle"}, ""}, // tokens, not substrings
		{candidate{URL: "https://x/a.jpg", Context: "blog-post"}, ""},
	}
	for _, tc := range cases {
		if got, _ := preFilter(tc.c); got != tc.want {
			t.Errorf("preFilter(%+v) = %q, want %q", tc.c, got, tc.want)
		}
	}
}

func TestPickPages(t *testing.T) {
	t.Parallel()
	home, _ := url.Parse("https://bluemoon.cafe/")
	src := &webSource{home: home}
	links := []sitefacts.Link{
		{URL: "https://bluemoon.cafe/", Text: "홈"},
		{URL: "https://bluemoon.cafe/gallery", Text: "갤러리"},
		{URL: "https://bluemoon.cafe/brand-story", Text: "브랜드 스토리"},
		{URL: "https://instagram.com/bluemoon", Text: "메뉴 보기"},
		{URL: "https://www.bluemoon.cafe/menu", Text: "Menu"},
		{URL: "https://bluemoon.cafe/menu.pdf", Text: "메뉴판 PDF"},
		{URL: "https://bluemoon.cafe/map", Text: "오시는 길"},
		{URL: "https://bluemoon.cafe/contact", Text: "문의"},
	}
	got := pickPages(links, src, map[string]bool{"https://bluemoon.cafe/": true}, 3)
	var s []string
	for _, u := range got {
		s = append(s, u.String())
	}
	want := []string{"https://www.bluemoon.cafe/menu", "https://bluemoon.cafe/brand-story", "https://bluemoon.cafe/map"}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("pickPages = %v, want %v", s, want)
	}
}

func FuzzExtractImages(f *testing.F) {
	for _, b := range crawltest.FixturePages(f) {
		f.Add(b)
	}
	f.Add([]byte(`<img srcset=", ,a 1e9x, b 99999999999w"><div style="background:url('x')url(y)"></div><base href="//evil/">`))
	f.Fuzz(func(t *testing.T, body []byte) {
		base, _ := url.Parse("https://example.com/dir/page.html")
		doc := htmltext.ParseHTML(string(body))
		cands, _ := extractCandidates(doc, base, sitefacts.ExtractPage(doc, base), 1)
		if len(cands) > maxCandidatesPerPage {
			t.Fatalf("%d candidates", len(cands))
		}
		seen := map[string]bool{}
		for _, c := range cands {
			u, err := url.Parse(c.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				t.Fatalf("candidate URL %q", c.URL)
			}
			if seen[c.URL] {
				t.Fatalf("duplicate candidate %q", c.URL)
			}
			seen[c.URL] = true
			preFilter(c)
		}
	})
}
