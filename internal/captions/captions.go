// Package captions turns a song plan's sung lines into subtitle files: WebVTT for the
// page's <track> and SubRip (SRT) for the places that take only that. ParseVTT reads
// WebVTT back, so tests and the workflow can check what a video says and when.
//
// Times are kept in whole milliseconds (the precision both formats write), so the cues
// FromPlan returns are exactly the cues a file holds.
package captions

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/o2sound/o2sound/internal/songplan"
)

// Cue is one caption: Text on screen from Start to End, in seconds. Text may hold
// several lines separated by "\n"; it is plain text (no markup).
type Cue struct {
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	Text  string  `json:"text"`
}

// MinCueSeconds is the shortest cue FromPlan makes: anything shorter flashes by
// unread, and some players drop it.
const MinCueSeconds = 0.3

const minCueMs = 300

// cueMs is a cue in whole milliseconds while FromPlan arranges cues.
type cueMs struct {
	start, end int64
	text       string
}

func toMs(sec float64) int64 { return int64(math.Round(sec * 1000)) }

// FromPlan lists the plan's sung lines as cues in time order. Lines without text, or
// wholly outside the song, are left out; times are clipped to the song. Cues never
// overlap: a line still on screen when the next starts ends there, and when that would
// leave it shorter than MinCueSeconds the two become one two-line cue. A lone line
// shorter than MinCueSeconds is lengthened into the silence after it, or else joined to
// its neighbour, so no sung text is ever dropped for being short.
func FromPlan(p *songplan.Plan) []Cue {
	if p == nil {
		return []Cue{}
	}
	limit := int64(math.MaxInt64)
	if p.Duration > 0 && !math.IsInf(p.Duration, 0) {
		limit = toMs(p.Duration)
	}
	var in []cueMs
	for _, l := range p.Lines {
		text := cleanText(l.Text)
		if text == "" || math.IsNaN(l.Start) || math.IsNaN(l.End) {
			continue
		}
		s, e := max(0, toMs(l.Start)), min(limit, toMs(l.End))
		if math.IsInf(l.End, 1) {
			e = limit
		}
		if e <= s || s >= limit {
			continue
		}
		in = append(in, cueMs{s, e, text})
	}
	sort.SliceStable(in, func(i, j int) bool { return in[i].start < in[j].start })

	// Overlaps: trim the earlier cue, or join the two when trimming leaves too little.
	var out []cueMs
	for _, c := range in {
		if n := len(out); n > 0 && out[n-1].end > c.start {
			last := &out[n-1]
			if c.start-last.start >= minCueMs {
				last.end = c.start
			} else {
				last.end = max(last.end, c.end)
				last.text = joinText(last.text, c.text)
				continue
			}
		}
		out = append(out, c)
	}

	// Short cues: lengthen into the following silence, else join a neighbour. Joining
	// only ever widens a cue over time no other cue holds, so no overlap appears.
	for i := 0; i < len(out); {
		c := &out[i]
		if c.end-c.start >= minCueMs {
			i++
			continue
		}
		next := limit
		if i+1 < len(out) {
			next = out[i+1].start
		}
		// The silence on either side, before lengthening: the line belongs with the
		// neighbour it is sung closer to.
		prevGap, nextGap := int64(math.MaxInt64), next-c.end
		if i > 0 {
			prevGap = c.start - out[i-1].end
		}
		c.end = min(c.start+minCueMs, next)
		if c.end-c.start >= minCueMs {
			i++
			continue
		}
		switch {
		case i > 0 && (i+1 >= len(out) || prevGap <= nextGap):
			prev := &out[i-1]
			prev.end, prev.text = c.end, joinText(prev.text, c.text)
			out = append(out[:i], out[i+1:]...)
			i-- // the joined cue may still be short
		case i+1 < len(out):
			nx := &out[i+1]
			nx.start, nx.text = c.start, joinText(c.text, nx.text)
			out = append(out[:i], out[i+1:]...)
		default:
			// The only cue, in a song shorter than MinCueSeconds: keep what there is.
			i++
		}
	}

	cues := make([]Cue, 0, len(out))
	for _, c := range out {
		cues = append(cues, Cue{Start: float64(c.start) / 1000, End: float64(c.end) / 1000, Text: c.text})
	}
	return cues
}

func joinText(a, b string) string {
	if a == b {
		return a // a repeated line sung over itself is one caption, not two
	}
	return a + "\n" + b
}

// cleanText makes caption text safe for both formats: valid UTF-8, no carriage
// returns or NULs, no empty lines (an empty line ends a cue in both), each line trimmed.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "\uFFFD") // as ParseVTT reads a NUL
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// fileLines is a cue's text as it may be written: valid UTF-8 without CR or empty
// lines, but otherwise as given, so ParseVTT reads back exactly the text it returned.
func fileLines(s string) []string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "\uFFFD") // as ParseVTT reads a NUL
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// ErrBadCue is wrapped by the writers for a cue they cannot write.
var ErrBadCue = errors.New("captions: bad cue")

func checkCues(cues []Cue) error {
	for i, c := range cues {
		s, e := toMs(c.Start), toMs(c.End)
		switch {
		case math.IsNaN(c.Start) || math.IsNaN(c.End) || math.IsInf(c.Start, 0) || math.IsInf(c.End, 0):
			return fmt.Errorf("%w %d: time %v → %v", ErrBadCue, i+1, c.Start, c.End)
		case s < 0:
			return fmt.Errorf("%w %d: starts before zero (%v)", ErrBadCue, i+1, c.Start)
		case e <= s:
			return fmt.Errorf("%w %d: ends at %v, not after its start %v", ErrBadCue, i+1, c.End, c.Start)
		case s >= maxMs || e >= maxMs:
			return fmt.Errorf("%w %d: time %v → %v out of range", ErrBadCue, i+1, c.Start, c.End)
		}
	}
	return nil
}

// maxMs bounds times to what the timestamp formats hold comfortably (under 10 000 h).
const maxMs = 10000 * 3600 * 1000

// timestamp formats ms as hh:mm:ss<sep>mmm, the form both WebVTT and SRT accept.
func timestamp(ms int64, sep byte) string {
	h := ms / 3600000
	m := ms / 60000 % 60
	s := ms / 1000 % 60
	return fmt.Sprintf("%02d:%02d:%02d%c%03d", h, m, s, sep, ms%1000)
}

// writeFile writes data to path through a temporary file in the same directory and a
// rename, so a reader (the web server streaming captions) never sees half a file.
func writeFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".captions-*.tmp")
	if err != nil {
		return fmt.Errorf("captions: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("captions: write %s: %w", filepath.Base(path), err)
	}
	return nil
}

var vttEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// FormatVTT renders cues as a WebVTT file. Text is escaped (&, <, >), so it is shown
// as written and can never be read as markup or a timing line ("-->").
func FormatVTT(cues []Cue) ([]byte, error) {
	if err := checkCues(cues); err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("WEBVTT\n")
	for i, c := range cues {
		fmt.Fprintf(&b, "\n%d\n%s --> %s\n", i+1, timestamp(toMs(c.Start), '.'), timestamp(toMs(c.End), '.'))
		for _, l := range fileLines(c.Text) {
			b.WriteString(vttEscaper.Replace(l))
			b.WriteByte('\n')
		}
	}
	return []byte(b.String()), nil
}

// FormatSRT renders cues as a SubRip file: numbered cues, comma decimal separator.
// SubRip has no escaping; text is written as is, less empty lines.
func FormatSRT(cues []Cue) ([]byte, error) {
	if err := checkCues(cues); err != nil {
		return nil, err
	}
	var b strings.Builder
	for i, c := range cues {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%d\n%s --> %s\n", i+1, timestamp(toMs(c.Start), ','), timestamp(toMs(c.End), ','))
		for _, l := range fileLines(c.Text) {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	return []byte(b.String()), nil
}

// WriteVTT writes cues to path as WebVTT (UTF-8, no BOM), atomically.
func WriteVTT(path string, cues []Cue) error {
	data, err := FormatVTT(cues)
	if err != nil {
		return err
	}
	return writeFile(path, data)
}

// WriteSRT writes cues to path as SubRip (UTF-8, no BOM), atomically.
func WriteSRT(path string, cues []Cue) error {
	data, err := FormatSRT(cues)
	if err != nil {
		return err
	}
	return writeFile(path, data)
}
