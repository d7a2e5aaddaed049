package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/o2sound/o2sound/internal/crawl"
)

// expectation is the part of a page's expect.json the scorer reads; see the corpus
// README for the rest.
type expectation struct {
	URL            string   `json:"url"`
	Name           string   `json:"name"`
	NameAlt        []string `json:"name_alt"`
	Description    *string  `json:"description"`
	DescriptionAlt []string `json:"description_alt"`
	Lang           *string  `json:"lang"`
	Phone          *string  `json:"phone"`
	Address        *string  `json:"address"`
}

// Description outcomes.
const (
	descOK   = "ok"
	descMiss = "miss"
	descNone = "none" // the page declares no description; not scored
)

// pageScore is one row of the table.
type pageScore struct {
	Page      string
	Expected  string
	Found     string
	NameOK    bool
	Desc      string // descOK, descMiss or descNone
	FoundDesc string
	Err       string // the crawl failed; the row counts as misses
}

// report is the whole run.
type report struct {
	Pages     []pageScore
	Names     int // correct names
	Descs     int // correct declared descriptions
	DescTotal int // pages that declare one
}

func (r report) nameShare() float64 {
	if len(r.Pages) == 0 {
		return 0
	}
	return float64(r.Names) / float64(len(r.Pages))
}

func (r report) descShare() float64 {
	if r.DescTotal == 0 {
		return 1
	}
	return float64(r.Descs) / float64(r.DescTotal)
}

// scoreCorpus crawls every folder of dir that holds an expect.json and an index.html,
// the home page alone and with no image written, and compares what it found.
func scoreCorpus(ctx context.Context, dir string) (report, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return report{}, fmt.Errorf("crawlscore: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var r report
	for _, name := range names {
		folder := filepath.Join(dir, name)
		raw, err := os.ReadFile(filepath.Join(folder, "expect.json"))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return report{}, fmt.Errorf("crawlscore: %w", err)
		}
		var exp expectation
		if err := json.Unmarshal(raw, &exp); err != nil {
			return report{}, fmt.Errorf("crawlscore: %s/expect.json: %w", name, err)
		}
		if exp.Name == "" {
			return report{}, fmt.Errorf("crawlscore: %s/expect.json has no name", name)
		}
		row := pageScore{Page: name, Expected: exp.Name, Desc: descNone}
		res, err := crawl.CrawlDir(ctx, folder, crawl.Options{MaxPages: 1})
		if err != nil {
			row.Err = err.Error()
		} else {
			row.Found = res.Profile.Name
			row.FoundDesc = res.Profile.Description
		}
		row.NameOK = row.Err == "" && nameMatches(row.Found, exp)
		if exp.Description != nil {
			r.DescTotal++
			row.Desc = descMiss
			if row.Err == "" && descriptionMatches(row.FoundDesc, *exp.Description, exp.DescriptionAlt) {
				row.Desc = descOK
				r.Descs++
			}
		}
		if row.NameOK {
			r.Names++
		}
		r.Pages = append(r.Pages, row)
	}
	if len(r.Pages) == 0 {
		return report{}, fmt.Errorf("crawlscore: no page with an expect.json under %s", dir)
	}
	return r, nil
}

// nameMatches applies the corpus's rule: equal after normalising, any of name and
// name_alt, but never the bare host name.
func nameMatches(found string, exp expectation) bool {
	found = strings.TrimSpace(found)
	wants := append([]string{exp.Name}, exp.NameAlt...)
	for _, want := range wants {
		if found != "" && strings.EqualFold(found, strings.TrimSpace(want)) {
			return true // listed as it is, even when it reads like a host ("shingon-reiki.de")
		}
	}
	if found == "" || isHostName(found, exp.URL) {
		return false
	}
	f := normalizeName(found)
	if f == "" {
		return false
	}
	for _, want := range wants {
		if normalizeName(want) == f {
			return true
		}
	}
	return false
}

// isHostName: "www.kikkoman.eu" found on www.kikkoman.eu is a URL, not a name; a site
// that writes itself "NPR.org" (its own capitals) is naming itself.
func isHostName(found, pageURL string) bool {
	if found != strings.ToLower(found) {
		return false
	}
	u, err := url.Parse(pageURL)
	if err != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	return found == host || found == strings.TrimPrefix(host, "www.")
}

// legalForms are dropped from the end of a name ("Wube Software Ltd.", "Brand GmbH").
var legalForms = map[string]bool{
	"gmbh": true, "ag": true, "kg": true, "ug": true, "inc": true, "llc": true, "ltd": true,
	"limited": true, "corp": true, "corporation": true, "co": true, "plc": true, "sa": true,
	"sas": true, "sarl": true, "srl": true, "spa": true, "bv": true, "nv": true, "ab": true,
	"as": true, "asa": true, "oy": true, "aps": true, "kk": true, "pty": true, "llp": true,
}

// domainEndings are dropped from the end of a name ("NPR.org" is NPR).
var domainEndings = []string{".co.uk", ".com", ".org", ".net", ".io", ".de", ".eu", ".fr", ".it",
	".nl", ".se", ".no", ".dk", ".es", ".jp", ".kr", ".ru", ".tv", ".co", ".uk", ".info", ".biz"}

// normalizeName folds case, accents, spacing, punctuation, &/and, a leading "the", a
// trailing domain ending and legal forms.
func normalizeName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, d := range domainEndings {
		if strings.HasSuffix(s, d) {
			s = strings.TrimSuffix(s, d)
			break
		}
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == '&':
			b.WriteString(" and ")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	if len(words) > 1 && words[0] == "the" {
		words = words[1:]
	}
	for len(words) > 1 && legalForms[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	for i, w := range words {
		if w == "and" {
			words[i] = ""
		}
	}
	return strings.Join(words, "")
}

// descriptionMatches: non-empty, and a token Jaccard of at least 0.5 with the expected
// text or one of its alternatives. The crawler keeps the first few hundred characters
// of a long description and marks the cut with "…"; a cut description is compared with
// the expected one cut at the same length, so a faithful prefix counts and anything
// else still does not.
func descriptionMatches(found, want string, alts []string) bool {
	found = strings.TrimSpace(found)
	if found == "" {
		return false
	}
	ft := tokens(found)
	cut, truncated := strings.CutSuffix(found, "…")
	for _, w := range append([]string{want}, alts...) {
		if truncated && len([]rune(w)) > len([]rune(cut)) {
			w = string([]rune(w)[:len([]rune(cut))])
		}
		if jaccard(ft, tokens(w)) >= 0.5 {
			return true
		}
	}
	return false
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)
}

// tokens splits text into lower-case words; runs of CJK characters, written without
// spaces, become character bigrams.
func tokens(s string) map[string]bool {
	out := map[string]bool{}
	var word []rune
	var cjk []rune
	flushWord := func() {
		if len(word) > 0 {
			out[string(word)] = true
			word = word[:0]
		}
	}
	flushCJK := func() {
		switch {
		case len(cjk) == 1:
			out[string(cjk)] = true
		case len(cjk) > 1:
			for i := 0; i+1 < len(cjk); i++ {
				out[string(cjk[i:i+2])] = true
			}
		}
		cjk = cjk[:0]
	}
	for _, r := range strings.ToLower(s) {
		switch {
		case isCJK(r):
			flushWord()
			cjk = append(cjk, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			flushCJK()
			word = append(word, r)
		default:
			flushWord()
			flushCJK()
		}
	}
	flushWord()
	flushCJK()
	return out
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	union := len(a) + len(b) - inter
	return float64(inter) / float64(union)
}
