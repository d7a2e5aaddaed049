// Package lyrics writes song lyrics about a business: a built-in writer that needs no
// network, and a client for any OpenAI-compatible chat endpoint that falls back to it.
// It knows nothing of HTTP handlers, jobs or audio; the music package reads its output.
package lyrics

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/o2sound/o2sound/internal/business"
)

// Lyrics is a song text: a title and named sections of lines, in one language.
type Lyrics struct {
	Title    string    `json:"title"`
	Language string    `json:"language"` // BCP 47 base language: "ko" or "en"
	Sections []Section `json:"sections"`
	// Source says which writer produced the text ("builtin" or "llm").
	Source string `json:"source,omitempty"`
	// FallbackReason is set when a configured writer failed and the built-in writer stood
	// in; operators read it to see why the LLM's lyrics were not used.
	FallbackReason string `json:"fallback_reason,omitempty"`
}

// Section is one part of the song; Name is one of the canonical SectionNames.
type Section struct {
	Name  string   `json:"name"`
	Lines []string `json:"lines"`
}

// Canonical section names. The song plan uses the same words for its sections.
const (
	Verse     = "verse"
	PreChorus = "prechorus"
	Chorus    = "chorus"
	Bridge    = "bridge"
	Outro     = "outro"
)

// Writer writes lyrics for a business. Implementations are deterministic for a seed where
// they can be (the built-in writer always is; an LLM is asked for a seed but may ignore it).
type Writer interface {
	Write(ctx context.Context, p business.Profile, seed int64) (*Lyrics, error)
}

// Limits a melody can carry. A line is sung as one phrase of one or two bars, so very short
// lines leave holes and very long ones cannot be sung at any tempo the planner picks.
const (
	MinLineSyllables = 2
	MaxLineSyllables = 16
	MaxLinesSection  = 8
	MaxSections      = 10
	MaxTitleRunes    = 80
)

// ErrInvalid is wrapped by every validation failure.
var ErrInvalid = errors.New("lyrics: invalid")

// Lines returns every line in order with its section name.
func (l *Lyrics) Lines() []SectionLine {
	var out []SectionLine
	for _, s := range l.Sections {
		for _, line := range s.Lines {
			out = append(out, SectionLine{Section: s.Name, Text: line})
		}
	}
	return out
}

// SectionLine is a line together with the name of the section it belongs to.
type SectionLine struct {
	Section string
	Text    string
}

// Text renders the lyrics as a plain lyric sheet with [Section] headers, the format both
// people and singing models (ACE-Step) read.
func (l *Lyrics) Text() string {
	var b strings.Builder
	for i, s := range l.Sections {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("[" + sectionHeader(s.Name) + "]\n")
		for _, line := range s.Lines {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func sectionHeader(name string) string {
	switch name {
	case PreChorus:
		return "Pre-Chorus"
	case "":
		return "Verse"
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

// CanonicalSection maps the many ways people and models name song parts to the canonical
// names, or "" when the name is not a song part O2Sound can place.
func CanonicalSection(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.Trim(n, "[]()#: ")
	// "Verse 1", "chorus 2", "후렴 1" → drop the trailing number.
	n = strings.TrimRightFunc(n, func(r rune) bool { return unicode.IsDigit(r) || r == ' ' || r == '-' || r == '_' })
	n = strings.NewReplacer("-", "", "_", "", " ", "").Replace(n)
	switch n {
	case "verse", "v", "벌스", "절", "1절", "2절":
		return Verse
	case "prechorus", "pre", "build", "프리코러스":
		return PreChorus
	case "chorus", "refrain", "hook", "후렴", "코러스", "후렴구":
		return Chorus
	case "bridge", "브릿지", "브리지":
		return Bridge
	case "outro", "ending", "coda", "아웃트로", "엔딩":
		return Outro
	}
	return ""
}

// Validate checks what every consumer relies on: a title, known sections, a chorus that
// carries the business name, lines a melody can carry, text in the expected language, and
// no template or placeholder debris. name may be empty to skip the name check.
func (l *Lyrics) Validate(name string) error {
	if l == nil {
		return fmt.Errorf("%w: nil", ErrInvalid)
	}
	title := strings.TrimSpace(l.Title)
	if title == "" {
		return fmt.Errorf("%w: empty title", ErrInvalid)
	}
	if utf8.RuneCountInString(title) > MaxTitleRunes {
		return fmt.Errorf("%w: title longer than %d characters", ErrInvalid, MaxTitleRunes)
	}
	if err := checkDebris(title); err != nil {
		return fmt.Errorf("%w: title: %v", ErrInvalid, err)
	}
	if l.Language != "ko" && l.Language != "en" {
		return fmt.Errorf("%w: language %q (want ko or en)", ErrInvalid, l.Language)
	}
	if len(l.Sections) < 2 || len(l.Sections) > MaxSections {
		return fmt.Errorf("%w: %d sections (want 2–%d)", ErrInvalid, len(l.Sections), MaxSections)
	}
	hasChorus, nameInChorus := false, false
	var hangul, latin int
	for i, s := range l.Sections {
		if CanonicalSection(s.Name) != s.Name || s.Name == "" {
			return fmt.Errorf("%w: section %d has unknown name %q", ErrInvalid, i, s.Name)
		}
		if len(s.Lines) == 0 || len(s.Lines) > MaxLinesSection {
			return fmt.Errorf("%w: section %d (%s) has %d lines (want 1–%d)", ErrInvalid, i, s.Name, len(s.Lines), MaxLinesSection)
		}
		for j, line := range s.Lines {
			if strings.TrimSpace(line) != line || line == "" {
				return fmt.Errorf("%w: section %d line %d is empty or padded", ErrInvalid, i, j)
			}
			if err := checkDebris(line); err != nil {
				return fmt.Errorf("%w: section %d line %d: %v", ErrInvalid, i, j, err)
			}
			n := Syllables(line)
			if n < MinLineSyllables || n > MaxLineSyllables {
				return fmt.Errorf("%w: section %d line %d has %d syllables (want %d–%d): %q",
					ErrInvalid, i, j, n, MinLineSyllables, MaxLineSyllables, line)
			}
			for _, r := range line {
				switch {
				case isHangul(r):
					hangul++
				case r < utf8.RuneSelf && unicode.IsLetter(r):
					latin++
				}
			}
			if s.Name == Chorus && name != "" && mentions(line, name) {
				nameInChorus = true
			}
		}
		if s.Name == Chorus {
			hasChorus = true
		}
	}
	if !hasChorus {
		return fmt.Errorf("%w: no chorus", ErrInvalid)
	}
	if name != "" && !nameInChorus {
		return fmt.Errorf("%w: the chorus never names %q", ErrInvalid, name)
	}
	// Korean lyrics may quote an English brand name; English lyrics may quote a Korean one.
	// What matters is that most of the singing is in the expected language.
	switch {
	case l.Language == "ko" && hangul < latin:
		return fmt.Errorf("%w: language ko but mostly Latin letters", ErrInvalid)
	case l.Language == "en" && latin < 2*hangul:
		return fmt.Errorf("%w: language en but much Hangul", ErrInvalid)
	}
	return nil
}

// checkDebris rejects the marks a template engine or a model leaves when it did not finish:
// unfilled slots, section headers inside lines, markdown, ellipsis fillers.
func checkDebris(s string) error {
	if strings.ContainsAny(s, "{}[]<>*#_|\\`") {
		return fmt.Errorf("markup or placeholder in %q", s)
	}
	low := strings.ToLower(s)
	for _, bad := range []string{"lorem", "ipsum", "todo", "placeholder", "xxx", "...", "…", "business name", "insert"} {
		if strings.Contains(low, bad) {
			return fmt.Errorf("placeholder text %q in %q", bad, s)
		}
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Errorf("control character in %q", s)
		}
	}
	return nil
}

// mentions reports whether line contains the business name, or its most distinctive word,
// ignoring case and spaces: "블루문" counts for "카페 블루문 강남점".
func mentions(line, name string) bool {
	squash := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || unicode.IsPunct(r) {
				return -1
			}
			return unicode.ToLower(r)
		}, s)
	}
	l := squash(line)
	if n := squash(name); n != "" && strings.Contains(l, n) {
		return true
	}
	for _, form := range []string{ShortName(name), singName(name)} {
		if f := squash(form); f != "" && strings.Contains(l, f) {
			return true
		}
	}
	return false
}

// CheckLine checks one line as Validate does: not empty or padded, no markup or
// placeholder, and a syllable count a melody can carry.
func CheckLine(line string) error {
	if strings.TrimSpace(line) != line || line == "" {
		return fmt.Errorf("%w: the line is empty or starts or ends with spaces", ErrInvalid)
	}
	if err := checkDebris(line); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if n := Syllables(line); n < MinLineSyllables || n > MaxLineSyllables {
		return fmt.Errorf("%w: %d syllables; a sung line has %d to %d", ErrInvalid, n, MinLineSyllables, MaxLineSyllables)
	}
	return nil
}

// LanguageOf says whether text is mostly Korean ("ko") or not ("en").
func LanguageOf(lines []string) string {
	var hangul, latin int
	for _, line := range lines {
		for _, r := range line {
			switch {
			case isHangul(r):
				hangul++
			case r < utf8.RuneSelf && unicode.IsLetter(r):
				latin++
			}
		}
	}
	if hangul > latin {
		return "ko"
	}
	return "en"
}
