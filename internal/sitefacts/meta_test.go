package sitefacts

import (
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/o2sound/o2sound/internal/crawl/crawltest"
	"github.com/o2sound/o2sound/internal/htmltext"
)

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
		if got := chooseName(&Page{Title: tc.title}, nil, tc.host); got != tc.want {
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

func FuzzExtractMetadata(f *testing.F) {
	for _, b := range crawltest.FixturePages(f) {
		f.Add(b, "text/html")
	}
	f.Add([]byte(`<script type="application/ld+json">{"@graph":[{"@type":"Bakery","address":[{"streetAddress":1}]}]}</script>`), "")
	f.Add([]byte(`<title>Ironbark Strength Club</title><address>Ironbark Strength Club 2315 E Cesar Chavez St, Suite B Austin, TX 78702</address><h2>Tel. +49 (0) 99 73 84 59 – 0</h2><p itemprop="streetAddress">Stadtplatz 3</p>© 2024 Brand GmbH`), "")
	f.Add([]byte("<meta http-equiv=refresh content='0;url=javascript:x'><frameset><frame src=main.html></frameset>"), "text/html; charset=euc-kr")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		text, _ := htmltext.DecodeHTML(body, contentType)
		if !utf8.ValidString(text) {
			t.Fatal("decoded text is not UTF-8")
		}
		base, _ := url.Parse("https://example.com/")
		meta := ExtractPage(htmltext.ParseHTML(text), base)
		p := BuildProfile([]*Page{meta}, base.String())
		CompleteProfile(&p, nil)
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
			if !hexColor.MatchString(c) {
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

var hexColor = regexp.MustCompile(`^#[0-9a-f]{6}$`)
