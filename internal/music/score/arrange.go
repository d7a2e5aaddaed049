package score

import (
	"math"

	"github.com/o2sound/o2sound/internal/lyrics"
	"github.com/o2sound/o2sound/internal/music/midi"
)

// hit is an onset and length in sixteenths within a bar.
type hit struct{ at, dur int }

// accompaniment writes harmony, pad, bass, drums and the instrumental solo bar by bar.
func (c *composer) accompaniment() {
	harmony := c.track(HarmonyChannel, "harmony", c.st.harmony)
	bass := c.track(BassChannel, "bass", c.st.bass)
	var pad *midi.Track
	if c.st.pad >= 0 {
		pad = c.track(PadChannel, "pad", c.st.pad)
	}
	drums := c.track(DrumChannel, "drums", 0)
	solo := c.track(SoloChannel, "solo", c.st.solo)

	nBars := len(c.plan.Bars)
	barTicks := int64(c.barUnits) * ticksPerUnit
	// Fade the pad and harmony in over the first bar (no hard start) and the pad out over
	// the last (the audio fade finishes the job).
	c.expressionRamp(harmony, HarmonyChannel, 0, 70, 127)
	if pad != nil {
		c.expressionRamp(pad, PadChannel, 0, 30, 127)
		c.expressionRamp(pad, PadChannel, nBars-1, 127, 50)
	}

	sung := make([]bool, nBars)
	barSec := c.plan.BarSeconds()
	for _, l := range c.plan.Lines {
		for b := int(math.Floor(l.Start/barSec + 1e-6)); b < nBars && float64(b)*barSec < l.End; b++ {
			sung[b] = true
		}
	}

	// Silence every channel on the final bar line: the audio fades out there anyway, and
	// without this FluidSynth keeps rendering cymbal and reverb tails for seconds.
	defer func() {
		end := c.endTick()
		for ch, t := range c.tracks {
			t.Control(end, ch, 120, 0) // all sound off
		}
	}()

	var prevVoicing, prevPad []int
	soloPitch := c.st.leadCenter
	for b := 0; b < nBars; b++ {
		sec := c.sectionAt(b)
		inSec := b - sec.StartBar
		final := b == nBars-1
		dyn := dynamics(sec.Name)
		ch := c.chords[b]
		next := ch
		if b+1 < nBars {
			next = c.chords[b+1]
		}
		start := c.tick(b, 0)

		voicing := ch.voicing(52, prevVoicing)
		prevVoicing = voicing
		if final {
			// The last chord rings for the whole bar, root doubled an octave up.
			for _, n := range append(voicing, voicing[0]+12) {
				harmony.Note(start, barTicks, HarmonyChannel, n, 78)
			}
		} else {
			c.comp(harmony, b, sec.Name, voicing, dyn)
		}

		if pad != nil {
			pv := ch.voicing(57, prevPad)
			prevPad = pv
			vel := map[string]int{SectionIntro: 64, lyrics.Chorus: 76, lyrics.Bridge: 66, SectionBreak: 72, SectionOutro: 68}[sec.Name]
			if vel == 0 {
				vel = 52
			}
			for _, n := range pv {
				pad.Note(start, barTicks, PadChannel, n, vel)
			}
		}

		c.bassBar(bass, b, sec.Name, ch, next, final, dyn)
		c.drumBar(drums, b, sec.Name, inSec, sec.Bars, final, dyn)

		// The solo instrument fills bars where nobody sings: the intro after its first bar,
		// breaks and the instrumental ending, where it comes to rest on the tonic.
		playSolo := !sung[b] && ((sec.Name == SectionIntro && inSec > 0) || sec.Name == SectionBreak || sec.Name == SectionOutro)
		if final && b > 0 && !sung[b-1] {
			tonic := c.key.degreePitch(melodyBase(c.key, c.st.leadCenter), 0)
			solo.Note(start, barTicks-ticksPerUnit, SoloChannel, tonic, 72)
		} else if playSolo && !final {
			soloPitch = c.soloBar(solo, b, ch, soloPitch, dyn)
		}
	}
}

// expressionRamp moves controller 11 from one value to another across a bar.
func (c *composer) expressionRamp(t *midi.Track, ch, bar, from, to int) {
	steps := c.barUnits / 2
	for i := 0; i <= steps; i++ {
		v := from + (to-from)*i/steps
		t.Control(c.tick(bar, i*2), ch, 11, v)
	}
}

// comp plays one bar of the harmony instrument in the genre's pattern.
func (c *composer) comp(t *midi.Track, bar int, section string, voicing []int, dyn float64) {
	busy := section == lyrics.Chorus || section == SectionBreak
	var hits []hit
	switch c.st.comp {
	case compBlock:
		if busy {
			hits = []hit{{0, 4}, {4, 4}, {8, 4}, {12, 4}}
		} else {
			hits = []hit{{0, 8}, {8, 8}}
		}
	case compStrum:
		hits = []hit{{0, 4}, {4, 2}, {6, 4}, {10, 2}, {12, 2}, {14, 2}}
	case compBossa:
		hits = []hit{{0, 2}, {3, 2}, {6, 3}, {10, 2}, {12, 3}}
	case compOffbeat:
		hits = []hit{{2, 2}, {6, 2}, {10, 2}, {14, 2}}
	case compPad:
		hits = []hit{{0, c.barUnits}}
	case compWaltz:
		hits = []hit{{4, 3}, {8, 3}}
	case compJazz:
		if busy {
			hits = []hit{{0, 3}, {6, 2}, {10, 2}, {14, 2}}
		} else {
			hits = []hit{{0, 5}, {6, 3}}
		}
	case compArp:
		c.arpeggio(t, bar, voicing, dyn)
		return
	}
	for _, h := range hits {
		if h.at >= c.barUnits {
			continue
		}
		dur := min(h.dur, c.barUnits-h.at)
		on := c.tick(bar, h.at)
		vel := 72
		if h.at%8 == 0 {
			vel = 80
		}
		vel = scaleVel(vel, dyn)
		notes := voicing
		if c.st.comp == compStrum {
			// Strums: down-strokes low to high, up-strokes (odd hits) high to low and lighter,
			// each string a few ticks after the last, as a hand moves across them.
			up := h.at%4 != 0
			if up {
				notes = reversed(voicing)
				vel = scaleVel(vel, 0.82)
			}
			for j, n := range notes {
				t.Note(on+int64(j*10), int64(dur)*ticksPerUnit-int64(j*10)-10, HarmonyChannel, n, vel)
			}
			continue
		}
		for _, n := range notes {
			t.Note(on, int64(dur)*ticksPerUnit-12, HarmonyChannel, n, vel)
		}
	}
}

// arpeggio breaks the chord into rising and falling eighths that ring on (harp, guitar).
func (c *composer) arpeggio(t *midi.Track, bar int, voicing []int, dyn float64) {
	tones := append(append([]int{}, voicing...), voicing[0]+12, voicing[1]+12)
	order := []int{0, 1, 2, 3, 4, 3, 2, 1}
	for i := 0; i*2 < c.barUnits; i++ {
		n := tones[order[i%len(order)]%len(tones)]
		vel := scaleVel(64+map[bool]int{true: 10}[i%4 == 0], dyn)
		// Let each note ring into the next one, but not as far as the next strike of the
		// same key (two steps later at the turn of the pattern) or into the next bar: a late
		// note-off would cut the new note short.
		ring := min(4, c.barUnits-i*2)
		t.Note(c.tick(bar, i*2), int64(ring)*ticksPerUnit-10, HarmonyChannel, n, vel)
	}
}

func reversed(in []int) []int {
	out := make([]int, len(in))
	for i, v := range in {
		out[len(in)-1-i] = v
	}
	return out
}

// bassBar plays one bar of bass in the genre's style.
func (c *composer) bassBar(t *midi.Track, bar int, section string, ch, next chord, final bool, dyn float64) {
	root := ch.bassNote(33)
	fifth := root + 7
	if fifth > 47 {
		fifth -= 12
	}
	barUnits := c.barUnits
	if final {
		t.Note(c.tick(bar, 0), int64(barUnits)*ticksPerUnit, BassChannel, root, 96)
		return
	}
	type bn struct{ at, dur, note int }
	var notes []bn
	busy := section == lyrics.Chorus || section == SectionBreak
	switch c.st.bassLine {
	case bassRoot:
		if busy {
			notes = []bn{{0, 6, root}, {6, 2, root}, {8, 6, fifth}, {14, 2, root + 12}}
		} else {
			notes = []bn{{0, 8, root}, {8, 8, root}}
		}
	case bassRootFifth:
		notes = []bn{{0, 6, root}, {6, 2, fifth}, {8, 6, fifth}, {14, 2, root}}
	case bassWalking:
		third := root + ch.intervals[1]
		approach := next.bassNote(33) - 1
		if approach < 30 {
			approach += 2
		}
		notes = []bn{{0, 4, root}, {4, 4, third}, {8, 4, fifth}, {12, 4, approach}}
	case bassOctave:
		for u := 0; u < barUnits; u += 2 {
			n := root
			if (u/2)%2 == 1 {
				n = root + 12
			}
			notes = append(notes, bn{u, 2, n})
		}
	case bassOffbeat:
		notes = []bn{{2, 2, root}, {6, 2, root}, {10, 2, root}, {14, 2, root + 12}}
	case bassPedal:
		notes = []bn{{0, barUnits, root}}
	case bassWaltz:
		if bar%2 == 0 {
			notes = []bn{{0, 4, root}}
		} else {
			notes = []bn{{0, 4, fifth}}
		}
	}
	for _, n := range notes {
		if n.at >= barUnits {
			continue
		}
		dur := min(n.dur, barUnits-n.at)
		vel := 92
		if n.at == 0 {
			vel = 100
		}
		t.Note(c.tick(bar, n.at), int64(dur)*ticksPerUnit-20, BassChannel, n.note, scaleVel(vel, dyn))
	}
}

// drumBar plays one bar of the kit: a light first intro bar, crashes at new choruses, a
// fill before each new section and a final crash.
func (c *composer) drumBar(t *midi.Track, bar int, section string, inSec, secBars int, final bool, dyn float64) {
	kit := drumKits[c.st.drums]
	rng := seeded(c.plan.Seed, "drums", bar)
	if final {
		vel := 60
		if kit.crash {
			vel = 100
		}
		t.Note(c.tick(bar, 0), int64(c.barUnits)*ticksPerUnit, DrumChannel, drumCrash, vel)
		t.Note(c.tick(bar, 0), ticksPerQuarter, DrumChannel, drumKick, 100)
		return
	}
	introLight := section == SectionIntro && inSec == 0 && secBars > 1
	fill := kit.fill != nil && inSec == secBars-1
	fillFrom := c.barUnits - 4
	for _, v := range kit.voices {
		if introLight && !v.intro {
			continue
		}
		for u := 0; u < c.barUnits && u < len(v.pattern); u++ {
			vel := drumVelocity(v.pattern[u])
			if vel == 0 || (fill && u >= fillFrom) {
				continue
			}
			if v.key == drumClosedHat && u == 0 && inSec == 0 && kit.crash && (section == lyrics.Chorus || section == SectionBreak) {
				continue // the crash takes the hat's place
			}
			vel += rng.IntN(9) - 4
			t.Note(c.tick(bar, u), ticksPerUnit, DrumChannel, v.key, scaleVel(vel, dyn))
		}
	}
	if inSec == 0 && kit.crash && (section == lyrics.Chorus || section == SectionBreak) {
		t.Note(c.tick(bar, 0), 4*ticksPerQuarter, DrumChannel, drumCrash, scaleVel(104, dyn))
	}
	if fill {
		for i, k := range kit.fill {
			t.Note(c.tick(bar, fillFrom+i), ticksPerUnit, DrumChannel, k, scaleVel(78+8*i, dyn))
		}
	}
}

// soloBar improvises a bar on chord tones near the lead's register: quarters and eighths,
// moving stepwise through the chord. It returns the last pitch so lines connect.
func (c *composer) soloBar(t *midi.Track, bar int, ch chord, prev int, dyn float64) int {
	rng := seeded(c.plan.Seed, "solo", bar)
	lo, hi := c.st.leadCenter-7, c.st.leadCenter+7
	var tones []int
	for p := lo; p <= hi; p++ {
		if ch.contains(p) {
			tones = append(tones, p)
		}
	}
	if len(tones) == 0 {
		return prev
	}
	// Nearest chord tone to where the last bar ended.
	idx := 0
	for i, p := range tones {
		if abs(p-prev) < abs(tones[idx]-prev) {
			idx = i
		}
	}
	dir := 1
	if rng.IntN(2) == 0 {
		dir = -1
	}
	u := 0
	pitch := tones[idx]
	for u < c.barUnits-2 {
		dur := 2
		if u%4 == 0 && rng.IntN(3) == 0 {
			dur = 4
		}
		dur = min(dur, c.barUnits-2-u)
		t.Note(c.tick(bar, u), int64(dur)*ticksPerUnit-20, SoloChannel, pitch, scaleVel(78+map[bool]int{true: 8}[u%4 == 0], dyn))
		idx += dir
		if idx < 0 || idx >= len(tones) {
			dir = -dir
			idx += 2 * dir
			idx = clampInt(idx, 0, len(tones)-1)
		}
		pitch = tones[idx]
		u += dur
	}
	return pitch
}
