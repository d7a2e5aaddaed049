package lyrics

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/o2sound/o2sound/internal/business"
)

// Builtin writes lyrics from phrase banks with slots for the business's name, area and
// keywords. It needs no network, never fails for a profile with a name, and gives the same
// text for the same profile and seed.
type Builtin struct{}

// NewBuiltin returns the offline lyric writer.
func NewBuiltin() *Builtin { return &Builtin{} }

// Syllable window for built-in lines: long enough to say something, short enough that the
// melody sings each line as one phrase of one bar (see package music).
const (
	builtinMinSyl  = 4
	builtinMaxSyl  = 9
	builtinNameMax = 12 // lines built around the name may run longer
)

// Write implements Writer.
func (b *Builtin) Write(_ context.Context, p business.Profile, seed int64) (*Lyrics, error) {
	ko := p.IsKorean()
	theme := Classify(p)
	// A page may hold anything where a name or an area should be (nothing, emoji,
	// control characters, ten thousand letters): the writer sings cleaned text, or a
	// stand-in for the name.
	p.Area, p.Address, p.Tagline = singableText(p.Area), singableText(p.Address), singableText(p.Tagline)
	name := nameToSing(p, bankFor(ko).themes[theme].noun, ko)
	l, err := write(p, seed, ko, theme, name)
	if err == nil {
		return l, nil
	}
	// The banks are written so that a clean name always fits, but a name in the other
	// script can still tip the language check (a long Latin name in Korean lyrics): then
	// sing its first word, or write in the other language, or sing what the place is.
	first := strings.Fields(name)[0]
	for _, alt := range []struct {
		ko   bool
		name string
	}{{ko, first}, {!ko, name}, {!ko, first}, {ko, nameToSing(business.Profile{}, bankFor(ko).themes[theme].noun, ko)}} {
		if l, alterr := write(p, seed, alt.ko, theme, alt.name); alterr == nil {
			return l, nil
		}
	}
	return nil, fmt.Errorf("lyrics: builtin: %w", err)
}

func bankFor(ko bool) bank {
	if ko {
		return koreanBank
	}
	return englishBank
}

// write writes the lyrics in one language around one form of the name.
func write(p business.Profile, seed int64, ko bool, theme Theme, name string) (*Lyrics, error) {
	lang, bank := "en", bankFor(ko)
	if ko {
		lang = "ko"
	}
	w := &writer{
		rng:   rand.New(rand.NewPCG(uint64(seed), hashString(name))),
		ko:    lang == "ko",
		used:  map[string]bool{},
		theme: bank.themes[theme],
	}
	w.slots = map[string]string{
		"name":  singName(name),
		"short": ShortName(singName(name)),
		"area":  AreaName(p),
		"noun":  w.theme.noun,
	}
	w.keywords = pickKeywords(p, w.ko, w.theme.keywords, w.rng)
	w.slots["kw"], w.slots["kw2"] = w.keywords[0], w.keywords[1]

	l := &Lyrics{Language: lang, Source: "builtin"}
	l.Title = w.pickTitle(bank.titles)

	verse1 := w.section(Verse, [][]string{bank.opening, w.theme.images, bank.keywordLines, bank.leadIn}, true, false, true)
	w.rotateKeywords()
	chorus := w.section(Chorus, [][]string{bank.chorusHook, bank.chorusKeyword, bank.chorusInvite, bank.chorusClose}, false, true)
	w.rotateKeywords()
	second := bank.keywordLines
	if tl := w.taglineLine(p.Tagline); tl != "" {
		second = []string{tl}
	}
	verse2 := w.section(Verse, [][]string{w.theme.images, second, bank.keywordPair, bank.leadIn}, false, true, true)
	l.Sections = []Section{verse1, chorus, verse2, chorus}
	// A bridge on about half the seeds gives longer songs some contrast; a short outro
	// names the business one last time.
	if w.rng.IntN(2) == 0 {
		l.Sections = append(l.Sections, w.section(Bridge, [][]string{bank.bridge, bank.bridge}), chorus)
	}
	l.Sections = append(l.Sections, w.section(Outro, [][]string{bank.outro, bank.outroName}))

	if err := l.Validate(name); err != nil {
		return nil, err
	}
	return l, nil
}

// bank is a language's phrase bank. Phrases use {slot} and, in Korean, {slot|은}-style
// particle slots that attachJosa resolves (은/는, 이/가, 을/를, 와/과, 으로/로 …).
type bank struct {
	titles        []string
	opening       []string // first line of verse 1: where we are
	keywordLines  []string // a line about one keyword
	keywordPair   []string // a line about two keywords
	leadIn        []string // last verse line, leading into the chorus
	chorusHook    []string // chorus line 1: the name
	chorusKeyword []string
	chorusInvite  []string
	chorusClose   []string // chorus line 4: the name again
	bridge        []string
	outro         []string
	outroName     []string
	themes        map[Theme]themeBank
}

type themeBank struct {
	noun     string   // what the place is: "카페", "bakery"
	keywords []string // used when the site gives too few
	images   []string // verse lines painting the place
}

type writer struct {
	rng      *rand.Rand
	ko       bool
	slots    map[string]string
	keywords []string
	used     map[string]bool // phrases already used, so verses do not repeat each other
	// preferSlots makes line try phrases with slots before generic ones.
	preferSlots bool
	theme       themeBank
}

// section builds one section, one line per slot list, each line the first (in seeded
// order) phrase that fills completely and fits the syllable window.
func (w *writer) section(name string, slots [][]string, preferSlots ...bool) Section {
	s := Section{Name: name}
	for i, options := range slots {
		w.preferSlots = i < len(preferSlots) && preferSlots[i]
		s.Lines = append(s.Lines, w.line(options))
	}
	w.preferSlots = false
	return s
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (w *writer) line(options []string) string {
	order := w.rng.Perm(len(options))
	if w.preferSlots {
		// Phrases that sing the site's own words (area, keywords) come before the generic
		// ones, which only stand in when no slotted phrase fits.
		slices.SortStableFunc(order, func(a, b int) int {
			return boolInt(!strings.Contains(options[a], "{")) - boolInt(!strings.Contains(options[b], "{"))
		})
	}
	var fallback string
	for pass := 0; pass < 2; pass++ {
		for _, i := range order {
			tmpl := options[i]
			if pass == 0 && w.used[tmpl] {
				continue
			}
			text, ok := w.fill(tmpl)
			if !ok {
				continue
			}
			n := Syllables(text)
			limit := builtinMaxSyl
			if strings.Contains(tmpl, "{name") || strings.Contains(tmpl, "{short") {
				limit = builtinNameMax
			}
			if n < builtinMinSyl || n > limit {
				if fallback == "" && n >= MinLineSyllables && n <= MaxLineSyllables {
					fallback = text
				}
				continue
			}
			w.used[tmpl] = true
			return text
		}
	}
	if fallback != "" {
		return fallback
	}
	// Every bank list ends with phrases that use no optional slot, so this is reached only
	// for names too long for any phrase; the name alone is still a singable line.
	return w.slots["name"]
}

// fill replaces {slot} and {slot|particle}; ok is false when a slot is empty (no area
// known, no keywords).
func (w *writer) fill(tmpl string) (string, bool) {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			break
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			return "", false
		}
		b.WriteString(tmpl[:i])
		key, particle, _ := strings.Cut(tmpl[i+1:i+j], "|")
		val := w.slots[key]
		if val == "" {
			return "", false
		}
		if particle != "" {
			val = attachJosa(val, particle)
		}
		b.WriteString(val)
		tmpl = tmpl[i+j+1:]
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	if !w.ko && out != "" {
		r, size := utf8.DecodeRuneInString(out)
		out = string(unicode.ToUpper(r)) + out[size:]
	}
	return out, true
}

func (w *writer) pickTitle(titles []string) string {
	for _, i := range w.rng.Perm(len(titles)) {
		if t, ok := w.fill(titles[i]); ok && utf8.RuneCountInString(t) <= MaxTitleRunes {
			return t
		}
	}
	return truncateRunes(w.slots["name"], MaxTitleRunes)
}

// rotateKeywords moves to the next pair of keywords so each section sings new ones.
func (w *writer) rotateKeywords() {
	if len(w.keywords) > 2 {
		w.keywords = append(w.keywords[2:], w.keywords[:2]...)
	}
	w.slots["kw"], w.slots["kw2"] = w.keywords[0], w.keywords[1]
}

// taglineLine returns the site's tagline when it can be sung as a verse line as is.
func (w *writer) taglineLine(tagline string) string {
	t := strings.TrimSpace(strings.TrimRight(tagline, ".!?。"))
	if t == "" || checkDebris(t) != nil || w.ko != hasHangul(t) {
		return ""
	}
	if n := Syllables(t); n < builtinMinSyl || n > builtinMaxSyl {
		return ""
	}
	return t
}

// pickKeywords chooses at least two short, singable keywords in the song's language,
// in a seeded order, topping up from the theme's defaults.
func pickKeywords(p business.Profile, ko bool, defaults []string, rng *rand.Rand) []string {
	seen := map[string]bool{}
	var out []string
	add := func(k string) {
		k = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(k), "#"))
		key := strings.ToLower(k)
		if k == "" || seen[key] || checkDebris(k) != nil || hasDigit(k) {
			return
		}
		if mentions(k, p.Name) || mentions(p.Name, k) {
			return // the name has its own lines
		}
		if place := strings.ToLower(p.Area + " " + p.Address); strings.Contains(place, key) || (AreaName(p) != "" && strings.Contains(key, strings.ToLower(AreaName(p)))) {
			return // place names make odd keywords ("milkshakes and portland")
		}
		if ko != hasHangul(k) {
			return
		}
		n := Syllables(k)
		if n < 1 || n > 4 || len(strings.Fields(k)) > 2 {
			return
		}
		if !ko && strings.ToUpper(k) != k {
			k = strings.ToLower(k)
		}
		seen[key] = true
		out = append(out, k)
	}
	for _, k := range p.Keywords {
		add(k)
	}
	for _, k := range p.Hashtags {
		add(k)
	}
	// The site's own words first (in seeded order), the theme's defaults after them.
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	own := len(out)
	for _, k := range defaults {
		add(k)
	}
	if own < len(out) {
		tail := out[own:]
		rng.Shuffle(len(tail), func(i, j int) { tail[i], tail[j] = tail[j], tail[i] })
	}
	// A name that contains every default ("Coffee Bread Cafe") could leave fewer than two;
	// the general words always fit.
	for _, k := range generalKeywords(ko) {
		if len(out) >= 2 {
			break
		}
		add(k)
	}
	for len(out) < 2 {
		out = append(out, generalKeywords(ko)[len(out)])
	}
	return out
}

func generalKeywords(ko bool) []string {
	if ko {
		return []string{"웃음", "정성", "행복"}
	}
	return []string{"smiles", "care", "joy"}
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
