package lyrics

import (
	"encoding/json"
	"fmt"
	"strings"
)

// maxLLMContent bounds the text ParseLLMOutput looks at; real answers are a few KiB.
const maxLLMContent = 64 << 10

// ParseLLMOutput reads the lyrics JSON a chat model wrote. Models wrap JSON in code fences
// or chatter, name sections "Verse 1" or "후렴", pad lines with spaces and sometimes nest the
// object under "lyrics"; those are normalised. Anything else that breaks the structure is
// an error. wantLang fills a missing language. The result is validated without a name
// check (the caller knows the name).
func ParseLLMOutput(content, wantLang string) (*Lyrics, error) {
	if len(content) > maxLLMContent {
		return nil, fmt.Errorf("%w: output longer than %d bytes", ErrInvalid, maxLLMContent)
	}
	start := strings.IndexByte(content, '{')
	end := strings.LastIndexByte(content, '}')
	if start < 0 || end < start {
		return nil, fmt.Errorf("%w: no JSON object in output %q", ErrInvalid, snippet([]byte(content)))
	}
	raw := []byte(content[start : end+1])

	type rawSection struct {
		Name  string   `json:"name"`
		Lines []string `json:"lines"`
	}
	type rawLyrics struct {
		Title    string       `json:"title"`
		Language string       `json:"language"`
		Sections []rawSection `json:"sections"`
	}
	var doc struct {
		rawLyrics
		Lyrics *rawLyrics `json:"lyrics"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%w: output is not the lyrics JSON: %v", ErrInvalid, err)
	}
	r := doc.rawLyrics
	if len(r.Sections) == 0 && doc.Lyrics != nil {
		r = *doc.Lyrics
	}
	l := &Lyrics{
		Title:    strings.TrimSpace(strings.Trim(strings.TrimSpace(r.Title), `"'“”`)),
		Language: normaliseLanguage(r.Language),
	}
	if l.Language == "" {
		l.Language = wantLang
	}
	for i, s := range r.Sections {
		name := CanonicalSection(s.Name)
		if name == "" {
			return nil, fmt.Errorf("%w: section %d has unknown name %q", ErrInvalid, i, s.Name)
		}
		sec := Section{Name: name}
		for _, line := range s.Lines {
			line = strings.Join(strings.Fields(line), " ")
			if line != "" {
				sec.Lines = append(sec.Lines, line)
			}
		}
		l.Sections = append(l.Sections, sec)
	}
	if err := l.Validate(""); err != nil {
		return nil, err
	}
	return l, nil
}

// normaliseLanguage turns "ko-KR", "Korean", "한국어", "EN" into a base language code.
func normaliseLanguage(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if base, _, ok := strings.Cut(s, "-"); ok {
		s = base
	}
	if base, _, ok := strings.Cut(s, "_"); ok {
		s = base
	}
	switch s {
	case "korean", "한국어", "kor":
		return "ko"
	case "english", "eng":
		return "en"
	}
	return s
}
