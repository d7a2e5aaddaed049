package captions

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxVTTBytes bounds what ParseVTT reads; a song's captions are a few kilobytes.
const maxVTTBytes = 8 << 20

// ErrNotVTT is wrapped by ParseVTT when the input is not WebVTT at all.
var ErrNotVTT = errors.New("captions: not a WebVTT file")

// ParseVTT reads a WebVTT file into cues, in file order. It takes what real files
// hold: a byte-order mark, CRLF or CR line ends, a header after "WEBVTT", NOTE, STYLE
// and REGION blocks, cue identifiers, cue settings after the end time, and both
// "mm:ss.ttt" and "hh:mm:ss.ttt" times. Cue text comes back as plain text: tags such
// as <v Singer> or <b> are removed and the entities WebVTT defines are decoded; its
// lines are joined with "\n". A malformed timing line, or a cue that ends before it
// starts, is an error naming the line.
func ParseVTT(r io.Reader) ([]Cue, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxVTTBytes+1))
	if err != nil {
		return nil, fmt.Errorf("captions: read: %w", err)
	}
	if len(data) > maxVTTBytes {
		return nil, fmt.Errorf("captions: WebVTT file over %d MiB", maxVTTBytes>>20)
	}
	s := strings.ToValidUTF8(string(data), "\uFFFD")
	s = strings.TrimPrefix(s, "\uFEFF")
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	s = strings.ReplaceAll(s, "\x00", "\uFFFD") // as the WebVTT parser does
	lines := strings.Split(s, "\n")

	if !isSignature(lines[0]) {
		return nil, fmt.Errorf("%w: the first line must be WEBVTT", ErrNotVTT)
	}
	i := 1
	for i < len(lines) && lines[i] != "" { // the header's own lines
		if strings.Contains(lines[i], "-->") {
			return nil, fmt.Errorf("%w: line %d: a cue needs a blank line after the header", ErrNotVTT, i+1)
		}
		i++
	}
	cues := []Cue{}
	for i < len(lines) {
		if lines[i] == "" {
			i++
			continue
		}
		// A block: an optional identifier, then a timing line; anything else (NOTE,
		// STYLE, REGION, stray text) is skipped to the next blank line.
		timing := -1
		switch {
		case strings.Contains(lines[i], "-->"):
			timing = i
		case i+1 < len(lines) && strings.Contains(lines[i+1], "-->"):
			timing = i + 1
		}
		if timing < 0 {
			for i < len(lines) && lines[i] != "" {
				i++
			}
			continue
		}
		start, end, err := parseTiming(lines[timing])
		if err != nil {
			return nil, fmt.Errorf("captions: line %d: %w", timing+1, err)
		}
		if end <= start {
			return nil, fmt.Errorf("captions: line %d: the cue ends (%s) before it starts", timing+1, timestamp(end, '.'))
		}
		i = timing + 1
		var text []string
		// The text runs to a blank line; a line with "-->" starts the next cue.
		for i < len(lines) && lines[i] != "" && !strings.Contains(lines[i], "-->") {
			if t := plainText(lines[i]); t != "" { // a line of tags alone shows nothing
				text = append(text, t)
			}
			i++
		}
		cues = append(cues, Cue{Start: float64(start) / 1000, End: float64(end) / 1000, Text: strings.Join(text, "\n")})
	}
	return cues, nil
}

// isSignature: "WEBVTT" alone or followed by a space or tab and anything.
func isSignature(l string) bool {
	rest, ok := strings.CutPrefix(l, "WEBVTT")
	return ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t')
}

// parseTiming reads "start --> end [settings]" into milliseconds.
func parseTiming(l string) (start, end int64, err error) {
	left, right, _ := strings.Cut(l, "-->")
	start, err = parseTimestamp(strings.Trim(left, " \t"))
	if err != nil {
		return 0, 0, err
	}
	right = strings.TrimLeft(right, " \t")
	if k := strings.IndexAny(right, " \t"); k >= 0 {
		right = right[:k] // cue settings follow
	}
	end, err = parseTimestamp(right)
	return start, end, err
}

// parseTimestamp reads [hh:]mm:ss.ttt.
func parseTimestamp(s string) (int64, error) {
	bad := fmt.Errorf("bad timestamp %q (want [hh:]mm:ss.ttt)", s)
	main, frac, ok := strings.Cut(s, ".")
	if !ok || len(frac) != 3 || !digits(frac) {
		return 0, bad
	}
	parts := strings.Split(main, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, bad
	}
	var h int64
	if len(parts) == 3 {
		if len(parts[0]) == 0 || len(parts[0]) > 4 || !digits(parts[0]) {
			return 0, bad
		}
		h, _ = strconv.ParseInt(parts[0], 10, 64)
		parts = parts[1:]
	}
	if len(parts[0]) != 2 || len(parts[1]) != 2 || !digits(parts[0]) || !digits(parts[1]) {
		return 0, bad
	}
	m, _ := strconv.ParseInt(parts[0], 10, 64)
	sec, _ := strconv.ParseInt(parts[1], 10, 64)
	ms, _ := strconv.ParseInt(frac, 10, 64)
	if m > 59 || sec > 59 {
		return 0, bad
	}
	return ((h*60+m)*60+sec)*1000 + ms, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

var vttUnescaper = strings.NewReplacer(
	"&amp;", "&", "&lt;", "<", "&gt;", ">", "&nbsp;", "\u00a0", "&lrm;", "\u200e", "&rlm;", "\u200f",
)

// plainText removes a cue line's tags (<v Singer>, <b>, <00:00:01.000> …) and decodes
// its entities. Tags go first: a decoded "&lt;" is text, not the start of a tag.
func plainText(l string) string {
	if strings.IndexByte(l, '<') >= 0 {
		var b strings.Builder
		for {
			k := strings.IndexByte(l, '<')
			if k < 0 {
				b.WriteString(l)
				break
			}
			b.WriteString(l[:k])
			e := strings.IndexByte(l[k:], '>')
			if e < 0 {
				break // an unclosed tag runs to the end of the line
			}
			l = l[k+e+1:]
		}
		l = b.String()
	}
	if strings.IndexByte(l, '&') >= 0 {
		l = vttUnescaper.Replace(l)
	}
	return l
}
