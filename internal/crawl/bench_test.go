package crawl

import (
	"context"
	"fmt"
	"image/color"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/o2sound/o2sound/internal/crawl/crawltest"
	"github.com/o2sound/o2sound/internal/htmltext"
	"github.com/o2sound/o2sound/internal/imageprep"
	"github.com/o2sound/o2sound/internal/sitefacts"
)

// benchSite serves a café page with 40 1280×853 photos (ten scenes, four seeds each;
// some seeds of a scene are near-duplicates, as real galleries have) plus a logo.
func benchSite(b *testing.B) *httptest.Server {
	b.Helper()
	images := map[string][]byte{}
	var page strings.Builder
	page.WriteString(`<html lang="ko"><head><meta charset="utf-8"><title>갤러리 | 카페 하늘숲</title>
<meta name="description" content="삼청동 정원 카페 하늘숲의 사진들"></head><body>
<header><a class="logo" href="/"><img src="/logo.png" alt="logo"></a></header><h1>갤러리</h1>`)
	kinds := crawltest.Scenes()
	for i := range 40 {
		kind := kinds[i%len(kinds)]
		name := fmt.Sprintf("/photos/%s-%d.jpg", kind, i)
		images[name] = crawltest.JPEG(crawltest.Scene(kind, int64(100+i), 1280, 853), 82)
		fmt.Fprintf(&page, `<figure><img src="%s" alt="%s 사진 %d"></figure>`, name, kind, i)
	}
	images["/logo.png"] = crawltest.PNG(crawltest.Logo(240, color.NRGBA{47, 93, 80, 255}, color.NRGBA{244, 231, 200, 255}))
	page.WriteString("<address>서울시 종로구 삼청동 35-7</address></body></html>")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, page.String())
			return
		}
		if data, ok := images[r.URL.Path]; ok {
			w.Write(data)
			return
		}
		http.NotFound(w, r)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkCrawl40Images is a whole crawl: page, 40 downloads, 40 decodes, hashing,
// ranking and re-encoding of every kept image.
func BenchmarkCrawl40Images(b *testing.B) {
	srv := benchSite(b)
	opts := testOptions(b)
	opts.MaxImages = 40
	opts.MaxDownloads = 40
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := Crawl(context.Background(), srv.URL, opts)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Images) < 10 {
			b.Fatalf("kept only %d images", len(res.Images))
		}
	}
}

// BenchmarkExtractPage is the per-page cost: decode, parse, metadata and candidates.
func BenchmarkExtractPage(b *testing.B) {
	body, err := os.ReadFile("testdata/sites/cafe-ko/index.html")
	if err != nil {
		b.Fatal(err)
	}
	base, _ := url.Parse("https://bluemoon.cafe/")
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		text, _ := htmltext.DecodeHTML(body, "text/html")
		doc := htmltext.ParseHTML(text)
		m := sitefacts.ExtractPage(doc, base)
		extractCandidates(doc, base, m, 0)
		sitefacts.BuildProfile([]*sitefacts.Page{m}, base.String())
	}
}

// BenchmarkMeasure is the pHash and detail measurement of one 2560×1707 image.
func BenchmarkMeasure(b *testing.B) {
	img := crawltest.Scene("interior", 1, 2560, 1707)
	b.ReportAllocs()
	for b.Loop() {
		imageprep.Measure(img)
	}
}
