package pipeline

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/crawl"
	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/lyrics"
	"github.com/o2sound/o2sound/internal/music/score"
	"github.com/o2sound/o2sound/internal/o2sound"
)

// malformedPages are pages as broken as the web serves them. Each goes through crawl →
// built-in lyrics → song plan → composition.
var malformedPages = map[string]string{
	"broken JSON-LD": `<html><head><title>Nordic Bakery</title><script type="application/ld+json">{"@context":"https://schema.org","@type":"Bakery","name":"Nordic Bak</script>
<script type="application/ld+json">[{"@type":"LocalBusiness","name":{"@value":["x"]},"address":42,"telephone":{"a":1},"image":[null,{"@id":7}]}, 3, null]</script>
<script type="application/ld+json">{"@graph":[{"@type":["Bakery",{"x":1}],"name":"Nordic Bakery","address":{"@type":"PostalAddress","streetAddress":["1 Main St"],"addressLocality":{"name":"Oslo"}}}]}</script>
</head><body><h1>Nordic Bakery</h1><p>Fresh bread every day.</p></body></html>`,
	"unclosed tags":         `<html><head><title>Café Nord<body><h1>Café Nord<p>Fresh bread <div><span><b><i>and coffee <table><tr><td>open daily`,
	"control characters":    "<html lang=\"en\"><head><title>\x00Sunny\x07 Bakery\x1b[31m\x7f</title><meta name=\"description\" content=\"We\x00 bake\x0b bread\x1f.\"></head><body><h1>\x00\x01\x02</h1><p>Bread\x00 and\x08 cakes.</p></body></html>",
	"enormous name":         `<html><head><meta property="og:site_name" content="` + strings.Repeat("Bakery ", 1500) + `"><title>` + strings.Repeat("B", 10000) + `</title></head><body><h1>` + strings.Repeat("Bread and butter ", 700) + `</h1><p>We bake.</p></body></html>`,
	"10000-character title": `<html><head><title>` + strings.Repeat("Sourdough croissant bakery ", 400) + `</title></head><body><p>Bread.</p></body></html>`,
	"empty names":           `<html><head><title></title><meta property="og:site_name" content=""><script type="application/ld+json">{"@type":"Bakery","name":""}</script><meta name="description" content="Fresh bread and coffee every morning in the old town."></head><body><h1> </h1></body></html>`,
	"punctuation name":      `<html><head><title>!!! ??? *** — ··· !!!</title><meta name="description" content="Bread, cakes and coffee."></head><body><h1>!!!</h1></body></html>`,
	"emoji name":            `<html><head><title>☕️🥐🍰</title><meta name="description" content="🍞🍞🍞 bread every day"></head><body><h1>☕️🥐🍰</h1><p>🥖🥖</p></body></html>`,
	"HTML entities":         `<html><head><title>Caf&eacute; &amp; Bar &#x1F370; &bogus; &#0; &#xD800; &#99999999;</title><meta name="description" content="&lt;script&gt;alert(1)&lt;/script&gt; cakes &amp;&amp; coffee"></head><body><h1>Caf&eacute; &amp; Bar</h1></body></html>`,
	"RTL text":              `<html lang="ar" dir="rtl"><head><title>مخبز الأصدقاء | خبز طازج</title><meta name="description" content="مخبز عائلي يقدم الخبز الطازج كل صباح"></head><body><h1>` + "\u202eמאפיית השכונה\u202c" + `</h1><p>خبز وكعك</p></body></html>`,
	"zalgo and zero-width":  "<html><head><title>Z\u0337\u0322a\u0335l\u0338g\u0336o\u0334\u200b\u200d\ufeff Bakery</title></head><body><p>Bread\u200b\u200b\u200b.</p></body></html>",
	"invalid UTF-8":         "<html><head><meta charset=\"utf-8\"><title>Bak\xff\xfeery \xc3\x28 Nord</title><meta name=\"description\" content=\"Fresh \xed\xa0\x80 bread\"></head><body><h1>Bak\xffery</h1></body></html>",
	"only a description":    `<html><head><meta name="description" content="Fresh bread and coffee every morning."></head><body></body></html>`,
	"nothing at all":        `<html><head></head><body></body></html>`,
	"one very long word":    `<html><head><title>` + strings.Repeat("a", 10000) + `</title></head><body><p>` + strings.Repeat("b", 10000) + `</p></body></html>`,
	"digits and symbols":    `<html><head><title>24/7 @ #1 $$$ 100% 2024-01-01</title></head><body><h1>24/7</h1></body></html>`,
	"hangul jamo only":      `<html lang="ko"><head><title>ㅋㅋㅋ ㅎㅎ ㄱ</title></head><body><h1>ㅋㅋㅋ</h1><p>ㅎㅎㅎ 빵</p></body></html>`,
}

// TestMalformedContentCompletesOrFailsWithACrawlCode: whatever a page holds, the lyrics
// and the song plan are made, or the crawl refuses the site with one of its documented
// codes. Nothing ends as an internal error (which the owner sees as SERVER_001 "after
// several tries").
func TestMalformedContentCompletesOrFailsWithACrawlCode(t *testing.T) {
	t.Parallel()
	for name, page := range malformedPages {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/" {
					http.NotFound(w, r)
					return
				}
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.Write([]byte(page))
			}))
			defer srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			res, err := crawl.Crawl(ctx, srv.URL+"/", crawl.Options{Fetch: fetch.Options{AllowPrivateNetworks: true}, OutDir: t.TempDir()})
			if err != nil {
				code := fetch.ErrorCode(err)
				if !strings.HasPrefix(code, "CRAWL_") {
					t.Fatalf("crawl failed without a crawl code: %v", err)
				}
				if _, ok := userError(err, 3).(*o2sound.Error); !ok {
					t.Fatalf("crawl error %v would be retried as an internal error", err)
				}
				t.Logf("refused: %s", code)
				return
			}
			p := res.Profile
			// What the crawl keeps is stored (PostgreSQL refuses NUL and invalid UTF-8 in
			// text) and shown on a title card.
			for field, v := range map[string]string{"name": p.Name, "description": p.Description, "address": p.Address, "area": p.Area} {
				if !o2sound.ValidText(v, 2000) {
					t.Errorf("crawled %s %+q is not clean text", field, v)
				}
			}
			if n := len([]rune(p.Name)); n > 80 {
				t.Errorf("crawled name is %d characters long", n)
			}
			for seed := int64(1); seed <= 3; seed++ {
				l, err := lyrics.NewBuiltin().Write(ctx, p, seed)
				if err != nil {
					t.Fatalf("lyrics for %+q: %v", p.Name, err)
				}
				for _, target := range []time.Duration{15 * time.Second, 60 * time.Second} {
					plan, err := score.PlanSong(p, l, score.PlanOptions{Seed: seed, Target: target})
					if err != nil {
						t.Fatalf("plan for %+q: %v", p.Name, err)
					}
					if _, err := score.Compose(plan, l); err != nil {
						t.Fatalf("compose for %+q: %v", p.Name, err)
					}
				}
			}
		})
	}
}
