package score

import (
	"hash/fnv"
	"math/rand/v2"
)

// Time inside a bar is counted in sixteenth notes ("units"); the MIDI file uses 480 ticks
// per quarter, so a unit is 120 ticks.
const (
	ticksPerQuarter = 480
	ticksPerUnit    = ticksPerQuarter / 4
	// minLineSeconds keeps fast tempos from rushing a line into one short bar: a line of
	// eight syllables needs about two seconds to be sung, not rapped.
	minLineSeconds = 1.9
)

// span is one sung note: its onset and length in units from the start of the line's bar.
type span struct{ start, dur int }

// breathUnits is the rest left at the end of a phrase of the given length.
func breathUnits(units int) int {
	if units >= 24 {
		return 4
	}
	return 2
}

// lineCapacity is the most syllables a phrase of this many units carries: a mix of eighths
// and sixteenths, never all sixteenths.
func lineCapacity(units int) int { return (units - breathUnits(units)) * 3 / 4 }

// lineBars is how many bars a line of n syllables takes: one bar when it fits and the bar
// is long enough to sing in, else more.
func lineBars(n, beatsPerBar, tempo int) int {
	barSec := float64(beatsPerBar) * 60 / float64(tempo)
	for bars := 1; ; bars++ {
		units := bars * beatsPerBar * 4
		if lineCapacity(units) >= n && float64(bars)*barSec >= minLineSeconds {
			return bars
		}
		if bars >= 4 {
			return bars
		}
	}
}

// seeded returns a generator for one musical decision, keyed by the song's seed and the
// decision's name, so that the same line in a repeated chorus gets the same rhythm and
// melody, and PlanSong and Compose (which run separately) agree.
func seeded(seed int64, parts ...any) *rand.Rand {
	h := fnv.New64a()
	for _, p := range parts {
		switch v := p.(type) {
		case string:
			h.Write([]byte(v))
		case int:
			h.Write([]byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)})
		}
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
}

// lineRhythm lays n syllables over a phrase of units sixteenths: eighth notes by default,
// quarter notes on the beats when there is room, pairs of sixteenths when there is not, a
// longer last note and a breath at the end. Rhythms depend only on the section kind, n and
// the phrase length, so parallel lines sound like verses of one song.
func lineRhythm(seed int64, section string, n, units int) []span {
	if n <= 0 {
		return nil
	}
	rng := seeded(seed, "rhythm", section, n, units)
	breath := breathUnits(units)
	start := 0
	// Starting on the "and" of one gives a lift; only when there is room for it.
	if 2*n+2+breath <= units && rng.IntN(5) < 2 {
		start = 2
	}
	avail := units - start - breath
	dur := make([]int, n)
	for i := range dur {
		dur[i] = 2
	}
	total := 2 * n
	// Too many syllables: turn eighths into sixteenths, from the middle of the line out,
	// keeping the first and last notes full.
	for total > avail {
		changed := false
		for _, i := range middleOut(n) {
			if total <= avail {
				break
			}
			if dur[i] == 2 && i != n-1 {
				dur[i] = 1
				total--
				changed = true
			}
		}
		if !changed {
			// Only reachable past lineCapacity; shorten the last note as well.
			for i := range dur {
				if total > avail && dur[i] > 1 {
					dur[i]--
					total--
				}
			}
			if total > avail {
				break
			}
		}
	}
	extra := avail - total
	// Room to spare: the last note grows first (a held word ends the phrase), then notes
	// that fall on a beat become quarters, then the rest becomes silence before the breath.
	grow := min(extra, 4)
	dur[n-1] += grow
	extra -= grow
	for extra >= 2 {
		var onBeat, any []int
		at := start
		for i := 0; i < n-1; i++ {
			if dur[i] < 4 {
				any = append(any, i)
				if at%4 == 0 {
					onBeat = append(onBeat, i)
				}
			}
			at += dur[i]
		}
		pick := onBeat
		if len(pick) == 0 {
			pick = any
		}
		if len(pick) == 0 {
			break
		}
		dur[pick[rng.IntN(len(pick))]] += 2
		extra -= 2
	}
	if extra > 0 && dur[n-1] < 8 {
		g := min(extra, 8-dur[n-1])
		dur[n-1] += g
	}
	out := make([]span, n)
	at := start
	for i := range out {
		out[i] = span{at, dur[i]}
		at += dur[i]
	}
	return out
}

// middleOut lists 0..n-1 starting from the middle and alternating outwards.
func middleOut(n int) []int {
	out := make([]int, 0, n)
	mid := n / 2
	for d := 0; len(out) < n; d++ {
		if i := mid + d; i < n {
			out = append(out, i)
		}
		if i := mid - d - 1; d >= 0 && i >= 0 && len(out) < n {
			out = append(out, i)
		}
	}
	return out
}
