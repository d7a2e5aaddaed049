package score

import "github.com/o2sound/o2sound/internal/lyrics"

// melodyRange is the span of scale degrees (0 = tonic) a section's melody moves in:
// verses sit low, choruses lift by a few steps, which is what makes a chorus feel like one.
func melodyRange(section string) (lo, hi int) {
	switch section {
	case lyrics.Chorus:
		return 0, 9
	case lyrics.Bridge:
		return -1, 7
	case lyrics.PreChorus:
		return 1, 8
	default:
		return -3, 6
	}
}

// melodyBase puts the tonic within a fifth of the instrument's centre.
func melodyBase(k key, center int) int {
	base := center - ((center-k.tonic)%12+12)%12 // tonic at or below centre
	if center-base > 6 {
		base += 12
	}
	return base
}

// lineMelody picks one pitch per syllable. Notes on beats land on chord tones of the chord
// sounding under them; notes between beats move by step; the line rises to a peak and
// falls to an ending that depends on where the line sits in its section (open ending on
// the second line, home on the last). Same inputs, same melody — repeated choruses match.
func lineMelody(seed int64, k key, base int, section string, lineIdx, lineCount int, spans []span, chords []chord) []int {
	n := len(spans)
	if n == 0 {
		return nil
	}
	rng := seeded(seed, "melody", section, lineIdx%4, n)
	lo, hi := melodyRange(section)
	starts := map[string][]int{lyrics.Chorus: {4, 7, 5}, lyrics.Bridge: {2, 5}, lyrics.PreChorus: {3, 5}}[section]
	if starts == nil {
		starts = []int{2, 4, 0}
	}
	startDeg := starts[rng.IntN(len(starts))]
	apex := min(startDeg+1+rng.IntN(3), hi)
	last := lineIdx == lineCount-1
	var endDeg int
	switch {
	case last && section == lyrics.Chorus:
		endDeg = 7
	case last:
		endDeg = 0
	case lineIdx%2 == 1:
		endDeg = []int{4, 1}[rng.IntN(2)]
	default:
		endDeg = []int{2, 4, 0}[rng.IntN(3)]
	}
	endDeg = clampInt(endDeg, lo, hi)

	target := func(i int) float64 {
		if n == 1 {
			return float64(endDeg)
		}
		t := float64(i) / float64(n-1)
		if t <= 0.6 {
			return float64(startDeg) + (float64(apex)-float64(startDeg))*t/0.6
		}
		return float64(apex) + (float64(endDeg)-float64(apex))*(t-0.6)/0.4
	}
	isChordTone := func(c chord, deg int) bool { return c.contains(k.degreePitch(base, deg)) }

	out := make([]int, n)
	degs := make([]int, n)
	for i, sp := range spans {
		want := int(target(i) + 0.5)
		if i > 0 && i < n-1 {
			want += []int{-1, 0, 0, 1}[rng.IntN(4)]
		}
		want = clampInt(want, lo, hi)
		c := chords[i]
		var deg int
		switch {
		case i == n-1:
			// Land on a chord tone, as near the intended ending as possible.
			deg = nearestWhere(endDeg, lo, hi, func(d int) bool { return isChordTone(c, d) })
			if last && isChordTone(c, endDeg) {
				deg = endDeg
			}
		case sp.start%4 == 0:
			deg = nearestWhere(want, lo, hi, func(d int) bool {
				return isChordTone(c, d) && (i == 0 || abs(d-degs[i-1]) <= 4)
			})
		default:
			deg = want
			if i > 0 && abs(deg-degs[i-1]) > 2 {
				if deg > degs[i-1] {
					deg = degs[i-1] + 2
				} else {
					deg = degs[i-1] - 2
				}
			}
		}
		// Three of the same pitch in a row sounds stuck unless the words ask for it.
		if i >= 2 && deg == degs[i-1] && deg == degs[i-2] && i != n-1 {
			if deg+1 <= hi {
				deg++
			} else {
				deg--
			}
		}
		degs[i] = deg
		out[i] = k.degreePitch(base, deg)
	}
	return out
}

// nearestWhere returns the degree in [lo, hi] closest to want that satisfies ok, or want
// itself when none does.
func nearestWhere(want, lo, hi int, ok func(int) bool) int {
	for d := 0; d <= hi-lo; d++ {
		if c := want - d; c >= lo && c <= hi && ok(c) {
			return c
		}
		if c := want + d; c >= lo && c <= hi && ok(c) {
			return c
		}
	}
	return clampInt(want, lo, hi)
}

func clampInt(v, lo, hi int) int {
	return max(lo, min(v, hi))
}
