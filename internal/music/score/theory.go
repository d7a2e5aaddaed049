package score

import (
	"fmt"
	"strings"
)

// key is a tonic pitch class (0 = C) and a mode.
type key struct {
	tonic int
	minor bool
}

var (
	majorScale = [7]int{0, 2, 4, 5, 7, 9, 11}
	minorScale = [7]int{0, 2, 3, 5, 7, 8, 10}
	sharpNames = [12]string{"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"}
	flatNames  = [12]string{"C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"}
	// majorSharps is the key signature of each major tonic (negative = flats).
	majorSharps = [12]int{0, -5, 2, -3, 4, -1, 6, 1, -4, 3, -2, 5}
)

func (k key) scale() [7]int {
	if k.minor {
		return minorScale
	}
	return majorScale
}

// sharps is the key signature: sharps positive, flats negative.
func (k key) sharps() int {
	if k.minor {
		return majorSharps[(k.tonic+3)%12]
	}
	return majorSharps[k.tonic]
}

func (k key) noteName(pc int) string {
	pc = ((pc % 12) + 12) % 12
	if k.sharps() < 0 {
		return flatNames[pc]
	}
	return sharpNames[pc]
}

// String is the plan's spelling: "D major", "F# minor", "Bb major".
func (k key) String() string {
	mode := "major"
	if k.minor {
		mode = "minor"
	}
	return k.noteName(k.tonic) + " " + mode
}

// degreePitch is the MIDI note of scale degree deg (0 = tonic, 7 = octave above, negative
// below) with the tonic at MIDI note base.
func (k key) degreePitch(base, deg int) int {
	oct := floorDiv(deg, 7)
	d := deg - oct*7
	return base + oct*12 + k.scale()[d]
}

// pitchDegree is the inverse of degreePitch for notes in the scale, and the nearest degree
// below for notes outside it.
func (k key) pitchDegree(base, pitch int) int {
	rel := pitch - base
	oct := floorDiv(rel, 12)
	within := rel - oct*12
	d := 0
	for i, s := range k.scale() {
		if s <= within {
			d = i
		}
	}
	return oct*7 + d
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// chord is a chord as pitch classes relative to nothing: root plus intervals.
type chord struct {
	root      int   // pitch class
	intervals []int // from the root, ascending, starting with 0
	suffix    string
}

// Chord qualities used by the progressions.
var qualities = map[string]struct {
	intervals []int
	suffix    string
}{
	"maj":  {[]int{0, 4, 7}, ""},
	"min":  {[]int{0, 3, 7}, "m"},
	"dim":  {[]int{0, 3, 6}, "dim"},
	"maj7": {[]int{0, 4, 7, 11}, "maj7"},
	"min7": {[]int{0, 3, 7, 10}, "m7"},
	"dom7": {[]int{0, 4, 7, 10}, "7"},
	"sus4": {[]int{0, 5, 7}, "sus4"},
	"add9": {[]int{0, 4, 7, 14}, "add9"},
}

// parseRoman reads a chord in roman numerals relative to the key's tonic: the numeral is a
// major-scale step (I=0, II=2, III=4, IV=5, V=7, VI=9, VII=11) optionally flattened with
// "b" or sharpened with "#"; upper case is major, lower case minor; suffixes "7", "maj7",
// "dim", "sus4", "add9" set the quality. So in A minor "i bVI bIII bVII" is Am F C G.
func parseRoman(k key, s string) (chord, error) {
	rest := s
	shift := 0
	switch {
	case strings.HasPrefix(rest, "b"):
		shift, rest = -1, rest[1:]
	case strings.HasPrefix(rest, "#"):
		shift, rest = 1, rest[1:]
	}
	numerals := []struct {
		n    string
		semi int
	}{{"VII", 11}, {"III", 4}, {"II", 2}, {"IV", 5}, {"VI", 9}, {"V", 7}, {"I", 0}}
	var semi int
	var upper, found bool
	for _, n := range numerals {
		if strings.HasPrefix(rest, n.n) {
			semi, upper, found, rest = n.semi, true, true, rest[len(n.n):]
			break
		}
		if strings.HasPrefix(rest, strings.ToLower(n.n)) {
			semi, upper, found, rest = n.semi, false, true, rest[len(n.n):]
			break
		}
	}
	if !found {
		return chord{}, fmt.Errorf("music: chord %q: no roman numeral", s)
	}
	q := "maj"
	if !upper {
		q = "min"
	}
	switch rest {
	case "":
	case "7":
		if upper {
			q = "dom7"
		} else {
			q = "min7"
		}
	case "maj7", "dim", "sus4", "add9":
		q = rest
	default:
		return chord{}, fmt.Errorf("music: chord %q: unknown suffix %q", s, rest)
	}
	qq := qualities[q]
	return chord{root: (k.tonic + semi + shift + 12) % 12, intervals: qq.intervals, suffix: qq.suffix}, nil
}

// symbol is the chord's name in the key's spelling: "Bm7", "Gmaj7", "Eb".
func (c chord) symbol(k key) string { return k.noteName(c.root) + c.suffix }

// pitchClasses are the chord's notes as pitch classes.
func (c chord) pitchClasses() []int {
	out := make([]int, len(c.intervals))
	for i, iv := range c.intervals {
		out[i] = (c.root + iv) % 12
	}
	return out
}

// contains reports whether pitch (any octave) is a chord tone.
func (c chord) contains(pitch int) bool {
	pc := ((pitch % 12) + 12) % 12
	for _, x := range c.pitchClasses() {
		if x == pc {
			return true
		}
	}
	return false
}

// voicing places the chord's notes in a close position whose lowest note is in [lo, lo+12),
// choosing the inversion nearest to prev (smooth voice leading) when prev is given.
func (c chord) voicing(lo int, prev []int) []int {
	pcs := c.pitchClasses()
	var best []int
	bestCost := 1 << 30
	for inv := 0; inv < len(pcs); inv++ {
		var notes []int
		last := -1
		for i := 0; i < len(pcs); i++ {
			pc := pcs[(inv+i)%len(pcs)]
			n := lo + ((pc-lo)%12+12)%12
			for n <= last {
				n += 12
			}
			notes = append(notes, n)
			last = n
		}
		cost := 0
		if len(prev) > 0 {
			for i, n := range notes {
				p := prev[min(i, len(prev)-1)]
				cost += abs(n - p)
			}
		} else {
			cost = notes[0] - lo // root position near the bottom when there is no history
		}
		if cost < bestCost {
			best, bestCost = notes, cost
		}
	}
	return best
}

// bassNote is the chord root in [lo, lo+12).
func (c chord) bassNote(lo int) int { return lo + ((c.root-lo)%12+12)%12 }

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// parseKey reads a plan's key: "D major", "F# minor", "Bb major".
func parseKey(s string) (key, error) {
	name, mode, ok := strings.Cut(strings.TrimSpace(s), " ")
	if !ok || (mode != "major" && mode != "minor") {
		return key{}, fmt.Errorf("music: key %q", s)
	}
	pc, rest, err := parseNoteName(name)
	if err != nil || rest != "" {
		return key{}, fmt.Errorf("music: key %q", s)
	}
	return key{tonic: pc, minor: mode == "minor"}, nil
}

// parseNoteName reads a leading note name ("C", "F#", "Bb") and returns the rest.
func parseNoteName(s string) (pc int, rest string, err error) {
	if s == "" {
		return 0, "", fmt.Errorf("music: empty note name")
	}
	letters := map[byte]int{'C': 0, 'D': 2, 'E': 4, 'F': 5, 'G': 7, 'A': 9, 'B': 11}
	pc, ok := letters[s[0]]
	if !ok {
		return 0, "", fmt.Errorf("music: note name %q", s)
	}
	rest = s[1:]
	switch {
	case strings.HasPrefix(rest, "#"):
		pc, rest = pc+1, rest[1:]
	case strings.HasPrefix(rest, "b"):
		pc, rest = pc-1, rest[1:]
	}
	return (pc + 12) % 12, rest, nil
}

// parseSymbol reads a chord symbol as the plan writes it ("Bm7", "Gmaj7", "Eb", "F#dim").
func parseSymbol(s string) (chord, error) {
	pc, suffix, err := parseNoteName(s)
	if err != nil {
		return chord{}, fmt.Errorf("music: chord %q: %w", s, err)
	}
	for _, q := range qualities {
		if q.suffix == suffix {
			return chord{root: pc, intervals: q.intervals, suffix: q.suffix}, nil
		}
	}
	return chord{}, fmt.Errorf("music: chord %q: unknown quality %q", s, suffix)
}
