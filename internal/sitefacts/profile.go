package sitefacts

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/htmltext"
)

// BuildProfile merges what the pages say into one Profile. pages[0] is the home page:
// its word wins, the others (about, menu, location …) fill gaps.
func BuildProfile(pages []*Page, finalURL string) business.Profile {
	var p business.Profile
	if len(pages) == 0 {
		return p
	}
	home := pages[0]
	ld := bestLD(pages)
	// A saved site read from its folder knows its host only from what it declares.
	host := hostOf(canonicalURL(home, ld, finalURL))

	p.Name = chooseName(home, ld, host)

	pool := textPool(pages)
	p.Language = detectLanguage(home.LangAttr, pool.all)

	// Description: JSON-LD > og > meta > the first real paragraph.
	descs := []string{}
	if ld != nil {
		descs = append(descs, ld.Description)
	}
	descs = append(descs, home.OGDesc, home.MetaDesc)
	for _, pg := range pages {
		descs = append(descs, pg.Paragraphs...)
	}
	// Old table layouts have no <p>: their first long line of text will do.
	for _, line := range strings.Split(home.Text, "\n") {
		if RuneLen(line) >= 30 && findPhone(line) == "" && findKoreanAddress(line) == "" {
			descs = append(descs, line)
			break
		}
	}
	for _, d := range descs {
		if d = htmltext.CollapseSpace(d); d != "" && d != p.Name && RuneLen(d) >= 8 && !IsBoilerplateDescription(d) {
			p.Description = htmltext.TruncateRunes(d, 300)
			break
		}
	}

	if ld != nil && ld.Rank == 3 && ld.Type != "LocalBusiness" {
		p.Category = ld.Type
	} else if c := inferCategory(pool); c != "" {
		p.Category = c
	} else if ld != nil && ld.Rank == 3 {
		p.Category = ld.Type
	}

	// Address and phone: structured data first, then what the pages show.
	// structured data (JSON-LD, then microdata/RDFa) first, then what the pages show.
	var locality, addrCountry string
	for _, pg := range pages {
		if pg.LD != nil && !pg.LD.Address.empty() {
			p.Address, locality, addrCountry = pg.LD.Address.String(), pg.LD.Address.Locality, pg.LD.Address.Country
			break
		}
	}
	for _, pg := range pages {
		if p.Address == "" && pg.Micro.Street != "" {
			p.Address, locality, addrCountry = pg.Micro.String(), pg.Micro.Locality, pg.Micro.Country
		}
	}
	for _, pg := range pages {
		if p.Address == "" && pg.Address != "" {
			p.Address, locality = pg.Address, pg.AddressLocality
		}
	}
	if p.Address != "" && locality == "" {
		// A one-line address from JSON-LD or an <address> block: read it as text.
		if a, l := findAddress(p.Address); a != "" && htmltext.HangulShare(a) < 0.3 {
			p.Address, locality = a, l
		}
	}
	p.Address = htmltext.TruncateRunes(stripName(p.Address, p.Name), 200)
	p.Area = areaOf(p.Address, cleanLocality(locality))
	var phones, declared []string
	if ld != nil && ld.Telephone != "" {
		phones = append(phones, ld.Telephone)
		declared = append(declared, ld.Telephone)
	}
	for _, pg := range pages {
		phones = append(phones, pg.Phones...)
		declared = append(declared, pg.Declared...)
	}
	p.Phone, p.PhoneE164, p.Country = pickPhone(phones, declared, p.Address+", "+locality, addrCountry, host, home.LangAttr, p.Language)

	p.URL = canonicalURL(home, ld, finalURL)
	if home.OGImage != "" && IsWebURL(home.OGImage) {
		p.ThumbnailURL = home.OGImage
	} else if ld != nil {
		for _, im := range ld.Images {
			if u, ok := htmltext.ResolveRef(MustParse(home.URL), im); ok && IsWebURL(u.String()) {
				p.ThumbnailURL = u.String()
				break
			}
		}
	}
	if home.ThemeColor != "" {
		p.Colors = []string{home.ThemeColor}
	}

	p.Keywords = buildKeywords(pages, ld, pool, p.Language)
	p.Tagline = buildTagline(home, ld, p)
	p.Hashtags = buildHashtags(p, pool)
	return p
}

func bestLD(pages []*Page) *ldBusiness {
	var best *ldBusiness
	for _, pg := range pages {
		if pg.LD != nil && (best == nil || pg.LD.Rank > best.Rank) {
			best = pg.LD
		}
	}
	return best
}

func MustParse(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		return &url.URL{}
	}
	return u
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

func IsWebURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// canonicalURL prefers what the site declares as its address, if it is a web URL.
func canonicalURL(home *Page, ld *ldBusiness, finalURL string) string {
	for _, c := range []string{home.Canonical, home.OGURL} {
		if IsWebURL(c) {
			return c
		}
	}
	if ld != nil && IsWebURL(ld.URL) {
		return ld.URL
	}
	if IsWebURL(finalURL) {
		return finalURL
	}
	return ""
}

func isGenericName(s string) bool {
	return genericNames[strings.ToLower(strings.TrimSpace(s))]
}

// pool is the site's text, split by how much each part says about the business.
type pool struct {
	strong string // titles, descriptions, keywords, headings: lower case
	all    string // everything, original case
	lower  string
}

func textPool(pages []*Page) pool {
	var strong, all strings.Builder
	for _, pg := range pages {
		for _, s := range []string{pg.Title, pg.OGTitle, pg.SiteName, pg.OGDesc, pg.MetaDesc, strings.Join(pg.Keywords, " "), withoutCookieNotices(strings.Join(pg.Headings, "\n"))} {
			strong.WriteString(s)
			strong.WriteByte('\n')
		}
		if pg.LD != nil {
			strong.WriteString(pg.LD.Name + "\n" + pg.LD.Description + "\n" + strings.Join(pg.LD.Keywords, " ") + "\n")
		}
		all.WriteString(withoutCookieNotices(pg.Text))
		all.WriteByte('\n')
	}
	a := strong.String() + all.String()
	return pool{strong: strings.ToLower(strong.String()), all: a, lower: strings.ToLower(a)}
}

// CountWord counts a word in lower-cased text: Hangul words inside compounds
// (브런치카페 has 브런치), Latin words only as whole words (bar is not in barber).
func CountWord(text, word string) int {
	if word == "" {
		return 0
	}
	if htmltext.HangulShare(word) > 0 {
		return strings.Count(text, word)
	}
	n := 0
	for i := 0; ; {
		j := strings.Index(text[i:], word)
		if j < 0 {
			return n
		}
		start, end := i+j, i+j+len(word)
		if !isWordByte(text, start-1) && !isWordByteAfter(text, end) {
			n++
		}
		i = end
	}
}

func isWordByte(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return false
	}
	c := s[i]
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80 && !isHangulAt(s, i)
}

// isWordByteAfter also accepts a plural s: "flowers" counts for "flower".
func isWordByteAfter(s string, i int) bool {
	if i < len(s) && s[i] == 's' && !isWordByte(s, i+1) {
		return false
	}
	return isWordByte(s, i)
}

func isHangulAt(s string, i int) bool {
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	r := []rune(s[i:min(len(s), i+4)])
	return len(r) > 0 && unicode.Is(unicode.Hangul, r[0])
}

// inferCategory picks the category whose words the site uses most, titles and
// headings counting three times. It needs a clear signal: three points and a lead.
func inferCategory(p pool) string {
	best, bestScore, second := "", 0, 0
	for _, c := range categories {
		score := 0
		for _, w := range c.Words {
			score += 3*CountWord(p.strong, w) + min(CountWord(p.lower, w), 10)
		}
		switch {
		case score > bestScore:
			best, second, bestScore = c.Type, bestScore, score
		case score > second:
			second = score
		}
	}
	if bestScore < 3 || bestScore == second {
		return ""
	}
	return best
}

func buildKeywords(pages []*Page, ld *ldBusiness, p pool, lang string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(k string) {
		k = htmltext.CollapseSpace(strings.Trim(k, "#\"'"))
		key := strings.ToLower(k)
		if k == "" || seen[key] || RuneLen(k) > 30 || len(out) >= 15 {
			return
		}
		seen[key] = true
		out = append(out, k)
	}
	if ld != nil {
		for _, k := range ld.Keywords {
			add(k)
		}
	}
	for _, pg := range pages {
		for _, k := range pg.Keywords {
			add(k)
		}
	}
	if len(out) < 5 {
		for _, t := range topTopics(p, lang, 8) {
			add(t)
		}
	}
	return out
}

// topTopics are the topic words the site mentions, most mentioned first.
func topTopics(p pool, lang string, n int) []string {
	words := topicWordsEn
	if lang == "ko" {
		words = topicWordsKo
	}
	type hit struct {
		w     string
		score int
		order int
	}
	var hits []hit
	for i, w := range words {
		if s := 3*CountWord(p.strong, w) + CountWord(p.lower, w); s > 0 {
			hits = append(hits, hit{w, s, i})
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].score != hits[j].score {
			return hits[i].score > hits[j].score
		}
		return hits[i].order < hits[j].order
	})
	var out []string
	for _, h := range hits {
		if len(out) == n {
			break
		}
		out = append(out, h.w)
	}
	return out
}

// buildTagline finds a short line for the opening card: the slogan, a short
// description, or a heading that is not just the name.
func buildTagline(home *Page, ld *ldBusiness, p business.Profile) string {
	var cands []string
	if ld != nil {
		cands = append(cands, ld.Slogan)
	}
	cands = append(cands, home.OGDesc, home.MetaDesc)
	cands = append(cands, home.Headings...)
	// "Harbor Flowers — Fresh flowers by the water": the title's other half.
	if parts := splitTitle(home.Title); len(parts) > 1 {
		cands = append(cands, parts...)
	}
	cands = append(cands, firstSentence(p.Description))
	for _, c := range cands {
		c = htmltext.CollapseSpace(c)
		n := RuneLen(c)
		if n < 4 || n > 40 || strings.EqualFold(c, p.Name) || strings.Contains(p.Name, c) || isGenericName(c) {
			continue
		}
		return c
	}
	return ""
}

func firstSentence(s string) string {
	if i := strings.IndexAny(s, ".!?。"); i > 0 {
		return s[:i+1]
	}
	return s
}

// buildHashtags makes 3–10 tags in the site's language, without '#': the category,
// what the site talks about, the neighbourhood, and the name.
func buildHashtags(p business.Profile, pl pool) []string {
	lang := p.Language
	if lang != "ko" {
		lang = "en"
	}
	var out []string
	seen := map[string]bool{}
	var topical []string // tags about what the business offers
	address := hashtagText(p.Address)
	area := hashtagText(p.Area)
	add := func(t string) {
		t = hashtagText(t)
		if t == "" || RuneLen(t) > 20 || seen[strings.ToLower(t)] || len(out) >= 10 || !meaningfulTag(t, address, area) {
			return
		}
		if lang == "ko" && htmltext.HangulShare(t) == 0 {
			return // an English keyword on a Korean site would read oddly among Korean tags
		}
		seen[strings.ToLower(t)] = true
		out = append(out, t)
	}
	// addTopic skips a tag that repeats another: 스페셜티 and 스페셜티커피 say the same
	// thing twice (카페 and 역삼동카페 do not; area tags go through add).
	addTopic := func(t string) {
		t = hashtagText(t)
		for _, e := range topical {
			if RuneLen(e) >= 3 && (strings.Contains(t, e) || strings.Contains(e, t)) {
				return
			}
		}
		n := len(out)
		add(t)
		if len(out) > n {
			topical = append(topical, t)
		}
	}
	label := categoryLabel(p.Category, lang)
	addTopic(label)
	topics := topTopics(pl, lang, 6)
	for _, t := range topics[:min(len(topics), 4)] {
		addTopic(t)
	}
	for _, k := range p.Keywords {
		if len(out) >= 7 {
			break
		}
		addTopic(k)
	}
	for _, t := range topics[min(len(topics), 4):] {
		if len(out) >= 8 {
			break // leave room for the neighbourhood and the name
		}
		addTopic(t)
	}
	if p.Area != "" {
		if lang == "ko" && label != "" {
			for _, unit := range strings.Fields(p.Area) {
				short := unit
				if s := strings.TrimSuffix(unit, "구"); s != unit && RuneLen(s) >= 2 {
					short = s
				}
				add(short + label)
			}
		} else if lang == "en" {
			add(p.Area)
		}
	}
	if RuneLen(p.Name) <= 15 {
		add(p.Name)
	}
	fallback := []string{"추천", "동네가게", "일상"}
	if lang == "en" {
		fallback = []string{"local", "smallbusiness", "shoplocal"}
	}
	for _, f := range fallback {
		if len(out) >= 3 {
			break
		}
		add(f)
	}
	return out
}

// hashtagText turns a phrase into a tag: letters and digits only, no spaces, Latin in
// lower case.
func hashtagText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_':
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

var (
	tagUnitRE = regexp.MustCompile(`suite|apartment|^(?:ste|apt|fl|rm|unit|floor|room|bldg|building|pobox)[a-z]?$|(?:층|호|번지|번길)$`)
	// cookieNoticeRE finds the consent banner's lines, whose "cookies" are not baked.
	cookieNoticeRE = regexp.MustCompile(`(?i)cookie.*(?:consent|accept|agree|einverstanden|polic|privacy|browser|website|site|experience|third|tracking|analytic|gdpr|datenschutz|dsgvo|einstellung|akzept|drittanbieter|utilis|navega|accett|informativ|zustimm|samtyck|informasjonskaps)|(?:consent|accept|polic|privacy|browser|website|datenschutz|utilis|navega|akzept).*cookie`)
)

// meaningfulTag: a tag says what the business is or where; it is never a number, a
// unit, a street or a postcode taken from the address (only the area may come from it).
func meaningfulTag(t, address, area string) bool {
	if strings.IndexFunc(t, unicode.IsDigit) >= 0 || tagUnitRE.MatchString(t) {
		return false
	}
	if htmltext.HangulShare(t) == 0 && RuneLen(t) < 3 {
		return false
	}
	if address != "" && t != area && !strings.Contains(area, t) && strings.Contains(address, t) && RuneLen(t) >= 3 && htmltext.HangulShare(t) == 0 {
		return false
	}
	return true
}

// withoutCookieNotices drops a consent banner from a page's text: once a page has
// one, its every line about cookies is about the banner (a bakery's "cookies" then
// still come through its headings, menus and description), and so are the short
// cookie links of a footer.
func withoutCookieNotices(text string) string {
	if !strings.Contains(strings.ToLower(text), "cookie") {
		return text
	}
	lines := strings.Split(text, "\n")
	banner := false
	for _, l := range lines {
		banner = banner || cookieNoticeRE.MatchString(l)
	}
	out := lines[:0]
	for _, l := range lines {
		mentions := strings.Contains(strings.ToLower(l), "cookie")
		if mentions && (banner || len(strings.Fields(l)) <= 4) {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// boilerplateDescriptions are the descriptions app generators ship in their template
// index.html: they describe the tool, not the business.
var boilerplateDescriptions = []string{
	"web site created using create-react-app",
	"web site created using create-",
	"generated by create next app",
	"created with vite",
	"a vue.js project",
	"my gatsby site",
	"this is a nuxt app",
}

func IsBoilerplateDescription(s string) bool {
	s = strings.ToLower(htmltext.CollapseSpace(s))
	for _, b := range boilerplateDescriptions {
		if strings.HasPrefix(s, b) {
			return true
		}
	}
	return false
}

// CompleteProfile fills what can be derived once everything is known: language, area,
// category, hashtags and a thumbnail (the first of imageURLs on the web).
func CompleteProfile(p *business.Profile, imageURLs []string) {
	cleanProfile(p)
	if p.Language == "" {
		p.Language = detectLanguage("", p.Name+"\n"+p.Description+"\n"+p.Address)
	}
	if p.Area == "" && p.Address != "" {
		p.Area = areaOf(p.Address, "")
	}
	if p.Phone != "" {
		if f := formatPhone(p.Phone); f != "" {
			p.Phone = f
		}
	}
	if p.ThumbnailURL == "" {
		for _, u := range imageURLs {
			if IsWebURL(u) {
				p.ThumbnailURL = u
				break
			}
		}
	}
	pl := pool{all: p.Name + "\n" + p.Description + "\n" + strings.Join(p.Keywords, " ")}
	pl.lower = strings.ToLower(pl.all)
	pl.strong = pl.lower
	if p.Category == "" {
		p.Category = inferCategory(pl)
	}
	if len(p.Keywords) == 0 {
		p.Keywords = topTopics(pl, p.Language, 8)
	}
	if len(p.Hashtags) < 3 {
		p.Hashtags = buildHashtags(*p, pl)
	}
	if len(p.Hashtags) > 10 {
		p.Hashtags = p.Hashtags[:10]
	}
}

// RelevanceTerms are the words that make an image's alt text or file name about the
// business: its keywords, hashtags, name and category words.
func RelevanceTerms(p *business.Profile) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		s = strings.ToLower(strings.TrimSpace(s))
		if RuneLen(s) < 2 || seen[s] || (htmltext.HangulShare(s) == 0 && len(s) < 3) {
			return
		}
		seen[s] = true
		out = append(out, s)
	}
	for _, k := range p.Keywords {
		add(k)
	}
	for _, k := range p.Hashtags {
		add(k)
	}
	for _, f := range strings.FieldsFunc(p.Name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		add(f)
	}
	if c, ok := categoryByType[p.Category]; ok {
		for _, w := range c.Words {
			add(w)
		}
	}
	words := topicWordsEn
	if p.Language == "ko" {
		words = topicWordsKo
	}
	for _, w := range words {
		add(w)
	}
	return out
}
