package crawl

import (
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/korean"
)

func eucKR(t testing.TB, s string) []byte {
	b, err := korean.EUCKR.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeHTML(t *testing.T) {
	t.Parallel()
	const ko = "<html><head>%s<title>행복한 빵집</title></head><body>갓 구운 빵과 커피가 있는 동네 빵집입니다</body></html>"
	page := func(head string) string { return strings.Replace(ko, "%s", head, 1) }
	cases := []struct {
		name        string
		body        []byte
		contentType string
		wantCharset string
	}{
		{"utf-8 by header", []byte(page("")), "text/html; charset=utf-8", "utf-8"},
		{"utf-8 undeclared", []byte(page("")), "text/html", "utf-8"},
		{"euc-kr by meta", eucKR(t, page(`<meta charset="euc-kr">`)), "text/html", "euc-kr"},
		{"euc-kr by http-equiv", eucKR(t, page(`<meta http-equiv="Content-Type" content="text/html; charset=EUC-KR">`)), "", "euc-kr"},
		{"ks_c_5601 label", eucKR(t, page(`<meta charset="ks_c_5601-1987">`)), "", "euc-kr"},
		{"euc-kr with a lying header", eucKR(t, page("")), "text/html; charset=utf-8", "euc-kr"},
		{"euc-kr undeclared", eucKR(t, page("")), "text/html", "euc-kr"},
		{"utf-8 despite an euc-kr meta", []byte(page(`<meta charset="euc-kr">`)), "", "utf-8"},
		{"utf-8 cut mid-rune by the cap", []byte(page(""))[:len(page(""))-40], "", "utf-8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			text, cs := decodeHTML(tc.body, tc.contentType)
			if cs != tc.wantCharset {
				t.Errorf("charset %q, want %q", cs, tc.wantCharset)
			}
			if !strings.Contains(text, "행복한 빵집") || !utf8.ValidString(text) {
				t.Errorf("decoded text %q", text)
			}
		})
	}
	latin := []byte("<html><head><meta charset=\"iso-8859-1\"><title>Caf\xe9 Cr\xe8me</title></head></html>")
	if text, _ := decodeHTML(latin, ""); !strings.Contains(text, "Café Crème") {
		t.Errorf("latin-1 page decoded as %q", text)
	}
}

func TestNameFromTitle(t *testing.T) {
	t.Parallel()
	cases := []struct{ title, host, want string }{
		{"홈 | 카페 블루문", "bluemoon.cafe", "카페 블루문"},
		{"Cafe Bluemoon - Best brunch in Gangnam", "bluemoon.cafe", "Cafe Bluemoon"},
		{"Best brunch in Gangnam | Blue Moon", "bluemoon.cafe", "Blue Moon"},
		{"Welcome to our little shop — Dalbit", "", "Dalbit"},
		{"행복한 빵집 공식 홈페이지", "", "행복한 빵집"},
		{"Home", "", ""},
		{"React App", "", ""},
		{"  Harbor   Flowers  ", "", "Harbor Flowers"},
	}
	for _, tc := range cases {
		if got := chooseName(&pageMeta{Title: tc.title}, nil, tc.host); got != tc.want {
			t.Errorf("name from title %q = %q, want %q", tc.title, got, tc.want)
		}
	}
}

func TestKoreanAddressAndArea(t *testing.T) {
	t.Parallel()
	cases := []struct{ text, addr, area string }{
		{"주소: 서울시 강남구 역삼동 123-45 1층", "서울시 강남구 역삼동 123-45 1층", "강남구 역삼동"},
		{"서울특별시 강남구 테헤란로4길 12 (역삼동)", "서울특별시 강남구 테헤란로4길 12 (역삼동)", "강남구 역삼동"},
		{"경기도 수원시 영통구 매탄동 1-2", "경기도 수원시 영통구 매탄동 1-2", "영통구 매탄동"},
		{"제주특별자치도 제주시 애월읍 애월리 123", "제주특별자치도 제주시 애월읍 애월리 123", "제주시 애월읍"},
		{"마포구 연남동 223-14 행복한 빵집", "마포구 연남동 223-14", "마포구 연남동"},
		{"부산광역시 해운대구 우동 1408", "부산광역시 해운대구 우동 1408", "해운대구 우동"},
		{"사업자등록번호 105-12-34567", "", ""},
		{"We are open from 8 to 9", "", ""},
	}
	for _, tc := range cases {
		got := findKoreanAddress(tc.text)
		if got != tc.addr {
			t.Errorf("findKoreanAddress(%q) = %q, want %q", tc.text, got, tc.addr)
			continue
		}
		if got != "" {
			if area := areaOf(got, ""); area != tc.area {
				t.Errorf("areaOf(%q) = %q, want %q", got, area, tc.area)
			}
		}
	}
	if a := areaOf("12 Dock Street, Portland, ME 04101", ""); a != "Portland" {
		t.Errorf("english area %q", a)
	}
}

func TestPhones(t *testing.T) {
	t.Parallel()
	format := map[string]string{
		"02-1234-5678": "02-1234-5678", "0212345678": "02-1234-5678", "02 123 4567": "02-123-4567",
		"+82-2-1234-5678": "02-1234-5678", "+82 (0)2 1234 5678": "02-1234-5678", "+82-10-1234-5678": "010-1234-5678",
		"010.1234.5678": "010-1234-5678", "031-123-4567": "031-123-4567", "1588-1234": "1588-1234",
		"0505-123-4567": "0505-123-4567", "+1 (207) 555-0142": "+1-207-555-0142", "12": "",
	}
	for in, want := range format {
		if got := formatPhone(in); got != want {
			t.Errorf("formatPhone(%q) = %q, want %q", in, got, want)
		}
	}
	find := map[string]string{
		"전화 : 02-333-1234 영업시간":   "02-333-1234",
		"Tel. 031.123.4567":       "031-123-4567",
		"대표번호 1588-1234":          "1588-1234",
		"사업자등록번호 105-12-34567":    "",
		"주문번호 202401021234567":    "",
		"Call (207) 555-0142 now": "207-555-0142",
	}
	for in, want := range find {
		if got := findPhone(in); got != want {
			t.Errorf("findPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDetectLanguage(t *testing.T) {
	t.Parallel()
	cases := []struct{ attr, text, want string }{
		{"en", "카페 블루문은 역삼동 골목의 작은 카페입니다 coffee", "ko"},
		{"ko-KR", "Welcome", "ko"},
		{"en-US", "Fresh flowers by the water", "en"},
		{"", "Fresh flowers by the water", "en"},
		{"", "ようこそ、私たちのカフェへ", "ja"},
		{"", "欢迎光临我们的咖啡馆", "zh"},
		{"fr", "Bienvenue au café", "fr"},
		{"", "12345", ""},
		{"", "Wir sind eine kleine Bäckerei in der Altstadt und backen jeden Tag frisches Brot für Sie", "de"},
		{"", "Nous sommes une petite boulangerie dans la vieille ville et nous cuisons le pain pour vous", "fr"},
		{"", "Somos una pequeña panadería en el centro y horneamos pan fresco para todos los vecinos con amor", "es"},
		{"", "Siamo una piccola panetteria nel centro e sforniamo il pane fresco per tutti che passano della città", "it"},
		{"", "Wij zijn een kleine bakkerij in het centrum en bakken elke dag vers brood voor u en uw familie", "nl"},
		{"", "Vi är ett litet bageri i gamla stan och bakar färskt bröd för dig och din familj varje dag som", "sv"},
		{"", "Vi er et lite bakeri i sentrum og baker ferskt brød for deg hver dag, ikke bare til helgen også", "no"},
		{"", "Vi er et lille bageri i centrum og bager frisk brød af økologisk mel til dig hver dag", "da"},
		{"", "Somos uma pequena padaria no centro e fazemos pão fresco para você todos os dias com amor e não", "pt"},
		{"", "Jesteśmy małą piekarnią w centrum i pieczemy świeży chleb dla was, to nie jest tylko praca ale", "pl"},
		{"", "Мы маленькая пекарня в центре города", "ru"},
		{"", "Ми маленька пекарня в центрі міста і печемо хліб", "uk"},
		{"x-klingon-long", "", ""},
	}
	for _, tc := range cases {
		if got := detectLanguage(tc.attr, tc.text); got != tc.want {
			t.Errorf("detectLanguage(%q, %q) = %q, want %q", tc.attr, tc.text, got, tc.want)
		}
	}
}

func TestParseJSONLD(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		scripts []string
		want    *ldBusiness
	}{
		{"graph with a business", []string{`{"@context":"https://schema.org","@graph":[
			{"@type":"WebSite","name":"Site"},
			{"@type":["LocalBusiness","Bakery"],"name":"빵집","telephone":"02-1","image":{"@type":"ImageObject","contentUrl":"/a.jpg"},
			 "address":"서울시 마포구 연남동 1-1","keywords":"빵, 케이크"}]}`},
			&ldBusiness{Type: "Bakery", Rank: 3, Name: "빵집", Telephone: "02-1", Images: []string{"/a.jpg"},
				Address: ldAddress{Text: "서울시 마포구 연남동 1-1"}, Keywords: []string{"빵", "케이크"}, SiteName: "Site"}},
		{"IRI type nested in a page", []string{`[{"@type":"WebPage","mainEntity":{"@type":"http://schema.org/Restaurant","name":"Dalbit","logo":{"url":"/logo.png"}}}]`},
			&ldBusiness{Type: "Restaurant", Rank: 3, Name: "Dalbit", Logo: "/logo.png"}},
		{"organization beats website", []string{`{"@type":"WebSite","name":"W","description":"site"}`, `{"@type":"Organization","name":"O"}`},
			&ldBusiness{Type: "Organization", Rank: 2, Name: "O", SiteName: "W"}},
		{"an author is not the business, the publisher is", []string{`{"@type":"NewsArticle","author":{"@type":"Organization","name":"Wire Agency"},
			"publisher":{"@type":"Organization","name":"Daily Planet","logo":{"@type":"ImageObject","@id":"https://x.example/#logo"}}}`},
			&ldBusiness{Type: "Organization", Rank: 2, Name: "Daily Planet", Publisher: true}},
		{"a recipe's author person and product brand are skipped", []string{`{"@type":"Recipe","author":{"@type":"Person","name":"Purple Carrot"},
			"brand":{"@type":"Organization","name":"Acme"}}`}, nil},
		{"an image's @id is not its URL", []string{`{"@type":"Bakery","name":"B","image":[{"@type":"ImageObject","@id":"https://b.example/#primaryimage"},{"@type":"ImageObject","url":"/b.jpg"}]}`},
			&ldBusiness{Type: "Bakery", Rank: 3, Name: "B", Images: []string{"/b.jpg"}}},
		{"website only keeps its name", []string{`{"@type":"WebSite","name":"W","description":"site","image":"/x.jpg"}`},
			&ldBusiness{Type: "WebSite", Rank: 1, Name: "W"}},
		{"broken JSON is skipped", []string{`{"@type":"Bakery",}`, `<!-- {"@type":"Florist","name":"F"} -->`},
			&ldBusiness{Type: "Florist", Rank: 3, Name: "F"}},
		{"unknown but business-like type", []string{`{"@type":"CoffeeRoasteryShop","name":"R","telephone":1588123}`},
			&ldBusiness{Type: "CoffeeRoasteryShop", Rank: 3, Name: "R", Telephone: "1588123"}},
		{"nothing", []string{`{"@type":"BreadcrumbList"}`, `[]`, `"x"`}, nil},
	}
	for _, tc := range cases {
		got := parseJSONLD(tc.scripts)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}
	a := ldAddress{Street: "테헤란로 123", Locality: "강남구", Region: "서울특별시"}
	if a.String() != "서울특별시 강남구 테헤란로 123" {
		t.Errorf("korean address %q", a.String())
	}
	e := ldAddress{Street: "12 Dock St", Locality: "Portland", Region: "ME", Postal: "04101"}
	if e.String() != "12 Dock St, Portland, ME 04101" {
		t.Errorf("english address %q", e.String())
	}
}

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

func TestParseCSSColor(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"#1F3A5F": "#1f3a5f", "#abc": "#aabbcc", "#11223344": "#112233", "rgb(31, 58, 95)": "#1f3a5f",
		"rgba(255,0,0,0.5)": "#ff0000", "rgb(100% 0% 0%)": "#ff0000", "navy": "#000080", "#12": "", "#gggggg": "",
		"hsl(0,100%,50%)": "", "rgb(1,2)": "",
	}
	for in, want := range cases {
		got, ok := parseCSSColor(in)
		if got != want || ok != (want != "") {
			t.Errorf("parseCSSColor(%q) = %q, %v; want %q", in, got, ok, want)
		}
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
	doc := parseHTML(page)
	meta := extractMeta(doc, base)
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
	links := []pageLink{
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

// fixturePages are the fixture sites' HTML files, the fuzzers' seed corpus.
func fixturePages(f *testing.F) [][]byte {
	paths, _ := filepath.Glob(filepath.Join("testdata", "sites", "*", "*.html"))
	var out [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// FuzzExtractMetadata feeds arbitrary bytes through charset detection, parsing,
// extraction and profile building: nothing may panic, and the profile must stay within
// its documented shape.
func FuzzExtractMetadata(f *testing.F) {
	for _, b := range fixturePages(f) {
		f.Add(b, "text/html")
	}
	f.Add([]byte(`<script type="application/ld+json">{"@graph":[{"@type":"Bakery","address":[{"streetAddress":1}]}]}</script>`), "")
	f.Add([]byte(`<title>Ironbark Strength Club</title><address>Ironbark Strength Club 2315 E Cesar Chavez St, Suite B Austin, TX 78702</address><h2>Tel. +49 (0) 99 73 84 59 – 0</h2><p itemprop="streetAddress">Stadtplatz 3</p>© 2024 Brand GmbH`), "")
	f.Add([]byte("<meta http-equiv=refresh content='0;url=javascript:x'><frameset><frame src=main.html></frameset>"), "text/html; charset=euc-kr")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		text, _ := decodeHTML(body, contentType)
		if !utf8.ValidString(text) {
			t.Fatal("decoded text is not UTF-8")
		}
		base, _ := url.Parse("https://example.com/")
		meta := extractMeta(parseHTML(text), base)
		p := buildProfile([]*pageMeta{meta}, base.String())
		completeProfile(&p, &Result{})
		if len(p.Hashtags) > 10 {
			t.Fatalf("%d hashtags", len(p.Hashtags))
		}
		for _, s := range append([]string{p.Name, p.Description, p.Address, p.Phone, p.Area, p.Tagline}, p.Hashtags...) {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in %q", s)
			}
		}
		for _, h := range p.Hashtags {
			if h == "" || strings.ContainsAny(h, " #") {
				t.Fatalf("bad hashtag %q", h)
			}
		}
		for _, c := range p.Colors {
			if _, ok := hexRGB(c); !ok {
				t.Fatalf("bad colour %q", c)
			}
		}
		if p.PhoneE164 != "" && !strings.HasPrefix(p.PhoneE164, "+") {
			t.Fatalf("E.164 %q", p.PhoneE164)
		}
		if p.Name != "" && len(p.Address) > len(p.Name) && strings.HasPrefix(p.Address, p.Name+" ") {
			t.Fatalf("address %q starts with the name %q", p.Address, p.Name)
		}
		if meta.Next != "" && !strings.HasPrefix(meta.Next, "http") {
			t.Fatalf("shell redirect to %q", meta.Next)
		}
	})
}

// FuzzExtractImages: every candidate is an absolute http(s) URL, listed once, and the
// per-page cap holds.
func FuzzExtractImages(f *testing.F) {
	for _, b := range fixturePages(f) {
		f.Add(b)
	}
	f.Add([]byte(`<img srcset=", ,a 1e9x, b 99999999999w"><div style="background:url('x')url(y)"></div><base href="//evil/">`))
	f.Fuzz(func(t *testing.T, body []byte) {
		base, _ := url.Parse("https://example.com/dir/page.html")
		doc := parseHTML(string(body))
		cands, _ := extractCandidates(doc, base, extractMeta(doc, base), 1)
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
