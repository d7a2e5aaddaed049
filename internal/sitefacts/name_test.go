package sitefacts

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/o2sound/o2sound/internal/htmltext"
)

// TestChooseName covers the failure patterns of issue 12 on small pages written for
// the purpose (the real saved pages are scored by crawlscore).
func TestChooseName(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, url, html, want string
	}{
		{"brand part of the title beats og:title", "https://smitten.example/blog/x",
			`<title>cucumber raita salad | smitten kitchen</title><meta property="og:title" content="cucumber raita salad">`, "smitten kitchen"},
		{"og:site_name", "https://k.example/r",
			`<title>Soy popcorn</title><meta property="og:site_name" content="Kikkoman"><meta property="og:title" content="Soy popcorn">`, "Kikkoman"},
		{"JSON-LD author is not the business", "https://purplecarrot.example/recipe/x",
			`<title>Roasted Bowl | Plant-Based Recipes</title><script type="application/ld+json">{"@type":"Recipe","author":{"@type":"Organization","name":"Chef Collective"}}</script><footer>© Copyright 2023 Purple Carrot. All rights reserved.</footer>`, "Purple Carrot"},
		{"publisher Organization", "https://news.example/a",
			`<title>Something happened today in the city hall, officials say</title><script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Person","name":"Jo Writer"},"publisher":{"@type":"Organization","name":"Daily Planet"}}</script>`, "Daily Planet"},
		{"WebSite name", "https://w.example/",
			`<title>Start</title><script type="application/ld+json">{"@type":"WebSite","name":"Harbor Flowers"}</script>`, "Harbor Flowers"},
		{"› separator", "https://mooncake.example/", `<title>Sale › Mooncake Bakery</title>`, "Mooncake Bakery"},
		{"﹣ separator", "https://yue.example/", `<title>月餅專賣﹣Yue Bakery</title>`, "Yue Bakery"},
		{": separators, long title", "https://www.amazon.co.uk/dp/1",
			`<title>Vegetable Perfection: 100 delicious recipes for roots, bulbs, shoots and stems: Amazon.co.uk: Follas, Mat: 9781849757096: Books</title>`, "Amazon.co.uk"},
		{"· and • separators", "https://dalbit.example/", `<title>메뉴 · 달빛식당 • 서울</title><meta property="og:site_name" content="달빛식당">`, "달빛식당"},
		{":: separator", "https://pixel.example/", `<title>Post title :: Pixel Diary ::</title><meta property="og:site_name" content="Pixel Diary">`, "Pixel Diary"},
		{"copyright line only", "https://rams.example/news/x",
			`<title>Receiver focused on being present as he prepares for the season</title><meta property="og:title" content="Receiver focused on being present as he prepares for the season"><footer><p>© 2023 Los Angeles Rams. All rights reserved</p></footer>`, "Los Angeles Rams"},
		{"logo alt text", "https://x.example/", `<title>Welcome</title><header><img class="site-logo" src="/l.png" alt="Bluebird Yoga logo"></header>`, "Bluebird Yoga"},
		{"host-like names lose to a real one", "https://www.kikkoman.eu/r",
			`<title>Popcorn | Kikkoman</title><meta property="og:title" content="Popcorn"><script type="application/ld+json">{"@type":"Organization","name":"www.kikkoman.eu"}</script>`, "Kikkoman"},
		{"the host alone is not a name", "https://127.0.0.1/", `<title></title>`, ""},
		{"a title that is the headline names no one", "https://n.example/a",
			`<title>Big news today</title><meta property="og:title" content="Big news today">`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u, _ := url.Parse(tc.url)
			m := ExtractPage(htmltext.ParseHTML(tc.html), u)
			if got := chooseName(m, m.LD, hostOf(tc.url)); got != tc.want {
				t.Errorf("name %q, want %q; candidates %+v", got, tc.want, nameCandidates(m, m.LD, hostOf(tc.url)))
			}
		})
	}
}

func TestCopyrightHolders(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{
		"© 2024 Brand GmbH": {"Brand GmbH"},
		"Copyright © 2016":  nil,
		"© 1996-2024, Amazon.com, Inc. or its affiliates":     {"Amazon.com"},
		"&copy; Kikkoman Trading Europe GmbH 2023 – 2025":     nil, // not decoded: no mark
		"© Kikkoman Trading Europe GmbH 2023 – 2025":          {"Kikkoman Trading Europe GmbH"},
		"Copyright (c) 2020 by Harbor Flowers | Impressum":    {"Harbor Flowers"},
		"© 2023 Los Angeles Rams. All rights reserved":        {"Los Angeles Rams"},
		"Copyright 2022 Café Crème – Tous droits réservés":    {"Café Crème"},
		"© 2021 카페 블루문. 모든 권리 보유":                             {"카페 블루문"},
		"We talk about copyright law and fair use every week": {"law and fair use every week"},
	}
	for in, want := range cases {
		if got := copyrightHolders(in); !reflect.DeepEqual(got, want) {
			t.Errorf("copyrightHolders(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitTitle(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{
		"A | B":               {"A", "B"},
		"A - B – C — D":       {"A", "B", "C", "D"},
		"H-E-B":               {"H-E-B"},
		"Product: Shop: Book": {"Product", "Shop", "Book"},
		"10:30 Cafe":          {"10:30 Cafe"},
		"A › B » C":           {"A", "B", "C"},
		"A﹣B":                 {"A", "B"},
		"A :: B ::":           {"A", "B"},
		"A · B • C":           {"A", "B", "C"},
		"카페 블루문 공식 홈페이지":      {"카페 블루문"},
	}
	for in, want := range cases {
		if got := splitTitle(in); !reflect.DeepEqual(got, want) {
			t.Errorf("splitTitle(%q) = %q, want %q", in, got, want)
		}
	}
}
