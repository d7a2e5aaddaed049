// Package music turns lyrics and a business profile into a song: a plan (tempo, key,
// chords, sections and the time of every bar, beat and lyric line) that exists before any
// audio, a MIDI arrangement composed from it, and audio rendered with FluidSynth and the
// General MIDI soundfont, loudness-normalised and encoded to AAC. An external singing
// model (ACE-Step) can replace the rendered audio. Nothing here knows about HTTP or jobs.
package music

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/lyrics"
	"github.com/o2sound/o2sound/internal/songplan"
)

// Song lengths. The target is where PlanSong aims; the song ends on a bar line, so the
// result is within about half a bar of it.
const (
	DefaultTarget = 30 * time.Second
	MinTarget     = 15 * time.Second
	MaxTarget     = 90 * time.Second
)

// Section names the plan adds to the lyric ones (verse, chorus, bridge, …).
const (
	SectionIntro = "intro"
	SectionBreak = "break" // instrumental, used to fill long songs
	SectionOutro = "outro"
)

// PlanOptions tunes PlanSong.
type PlanOptions struct {
	Seed   int64         // the task's seed: same seed, same plan
	Target time.Duration // desired length; 0 means DefaultTarget; clamped to 15–90 s
	// The owner's (or a re-make's) style: empty or zero fields are chosen as usual.
	// Genre is one of Genres(), Tempo one of Tempos(), Key as a plan writes it ("D major").
	Genre string
	Tempo int
	Key   string
}

// ClampTarget applies the default and the 15–90 s bounds.
func ClampTarget(d time.Duration) time.Duration {
	switch {
	case d <= 0:
		return DefaultTarget
	case d < MinTarget:
		return MinTarget
	case d > MaxTarget:
		return MaxTarget
	}
	return d
}

// part is a run of bars in the arrangement: a lyric section (lines set) or an
// instrumental one.
type part struct {
	name  string
	lines []partLine
	bars  int
}

type partLine struct {
	text string
	syl  int
	bars int
}

// PlanSong decides the song for a business and its lyrics: genre and mood from the kind of
// business, tempo, key, time signature and chord progression from the seed, which lyric
// sections fit the target length, and the time of every bar, beat and sung line. It is
// pure and fast, so the video can be cut while the audio renders.
func PlanSong(p business.Profile, l *lyrics.Lyrics, opts PlanOptions) (*songplan.Plan, error) {
	if l == nil {
		return nil, errors.New("music: plan: no lyrics")
	}
	if err := l.Validate(""); err != nil {
		return nil, fmt.Errorf("music: plan: %w", err)
	}
	target := ClampTarget(opts.Target).Seconds()
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), hashString(p.Name)))
	st := chooseStyle(p, rng)
	if opts.Genre != "" {
		g, ok := styles[opts.Genre]
		if !ok {
			return nil, fmt.Errorf("music: plan: unknown genre %q", opts.Genre)
		}
		st = g
	}
	tempo := st.tempos[rng.IntN(len(st.tempos))]
	if opts.Tempo != 0 {
		if !slices.Contains(Tempos(), opts.Tempo) {
			return nil, fmt.Errorf("music: plan: tempo %d is not one of %v", opts.Tempo, Tempos())
		}
		tempo = opts.Tempo
	}
	minor := st.modes[rng.IntN(len(st.modes))]
	tonics := majorTonics
	if minor {
		tonics = minorTonics
	}
	k := key{tonic: tonics[rng.IntN(len(tonics))], minor: minor}
	if opts.Key != "" {
		fixed, err := parseKey(opts.Key)
		if err != nil {
			return nil, fmt.Errorf("music: plan: %w", err)
		}
		k, minor = fixed, fixed.minor
	}
	progs := st.progressionsFor(minor)
	roman := progs[rng.IntN(len(progs))]
	prog := make([]chord, len(roman))
	for i, r := range roman {
		c, err := parseRoman(k, r)
		if err != nil {
			return nil, err
		}
		prog[i] = c
	}

	barSec := float64(st.beatsPerBar) * 60 / float64(tempo)
	parts := lyricParts(l, st.beatsPerBar, tempo)
	arr := fitArrangement(parts, barSec, target)

	plan := &songplan.Plan{
		Seed:           opts.Seed,
		Genre:          st.genre,
		Mood:           st.mood,
		Tempo:          tempo,
		Key:            k.String(),
		BeatsPerBar:    st.beatsPerBar,
		LyricsTitle:    l.Title,
		LyricsLanguage: l.Language,
	}
	for _, c := range prog {
		plan.Progression = append(plan.Progression, c.symbol(k))
	}
	g := grid{tempo: tempo, beatsPerBar: st.beatsPerBar}
	totalBars := 0
	for _, a := range arr {
		totalBars += a.bars
	}
	tonicChord := chord{root: k.tonic, intervals: qualities["maj"].intervals}
	if minor {
		tonicChord = chord{root: k.tonic, intervals: qualities["min"].intervals, suffix: "m"}
	}
	bar := 0
	for _, a := range arr {
		plan.Sections = append(plan.Sections, songplan.Section{
			Name: a.name, StartBar: bar, Bars: a.bars,
			Start: g.at(bar, 0), End: g.at(bar+a.bars, 0),
		})
		shift := 0
		if a.name == lyrics.Bridge {
			shift = 2 // the bridge starts away from home for contrast
		}
		for i := 0; i < a.bars; i++ {
			c := prog[(i+shift)%len(prog)]
			if bar+i == totalBars-1 {
				c = tonicChord // end at home
			}
			b := songplan.Bar{Index: bar + i, Start: g.at(bar+i, 0), Chord: c.symbol(k), Section: a.name}
			for beat := 0; beat < st.beatsPerBar; beat++ {
				b.Beats = append(b.Beats, g.at(bar+i, beat*4))
			}
			plan.Bars = append(plan.Bars, b)
		}
		lineBar := bar
		for _, pl := range a.lines {
			units := pl.bars * st.beatsPerBar * 4
			spans := lineRhythm(opts.Seed, a.name, pl.syl, units)
			last := spans[len(spans)-1]
			plan.Lines = append(plan.Lines, songplan.Line{
				Section:   a.name,
				Text:      pl.text,
				Start:     g.at(lineBar, spans[0].start),
				End:       g.at(lineBar, last.start+last.dur),
				Syllables: pl.syl,
			})
			lineBar += pl.bars
		}
		bar += a.bars
	}
	plan.Duration = g.at(totalBars, 0)
	if err := plan.Validate(); err != nil {
		return nil, fmt.Errorf("music: plan: %w", err)
	}
	return plan, nil
}

// grid converts bar and sixteenth positions to seconds. Tempos divide 1800, so a beat is
// a whole number of frames at 30 fps and times are computed from frames, not by adding
// floats, to stay exact.
type grid struct{ tempo, beatsPerBar int }

func (g grid) at(bar, unit int) float64 {
	framesPerBeat := 60 * songplan.FPS / g.tempo
	units := bar*g.beatsPerBar*4 + unit
	return round6(float64(units*framesPerBeat) / float64(4*songplan.FPS))
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// lyricParts measures each lyric section in bars: each line takes lineBars bars and a
// section is rounded up to an even number of bars so phrases pair up.
func lyricParts(l *lyrics.Lyrics, beatsPerBar, tempo int) []part {
	var parts []part
	for _, s := range l.Sections {
		pt := part{name: s.Name}
		for _, line := range s.Lines {
			n := lyrics.Syllables(line)
			b := lineBars(n, beatsPerBar, tempo)
			pt.lines = append(pt.lines, partLine{text: line, syl: n, bars: b})
			pt.bars += b
		}
		if pt.bars%2 == 1 {
			pt.bars++
		}
		parts = append(parts, pt)
	}
	return parts
}

// fitArrangement chooses which lyric sections to sing and how long the intro and the
// instrumental ending are, so the song is as close to target seconds as bars allow. It
// considers every prefix of the lyrics that contains a chorus, the first chorus alone
// (short songs), and the whole lyrics extended with instrumental breaks and repeated
// choruses (long songs).
func fitArrangement(parts []part, barSec, target float64) []part {
	firstChorus, lastChorus := -1, -1
	for i, p := range parts {
		if p.name == lyrics.Chorus {
			if firstChorus < 0 {
				firstChorus = i
			}
			lastChorus = i
		}
	}
	var candidates [][]part
	for j := 1; j <= len(parts); j++ {
		if firstChorus >= 0 && firstChorus >= j {
			continue
		}
		candidates = append(candidates, parts[:j])
		// A chorus sung twice in a row is how jingles end; it also fills the gap when the
		// next lyric section would overshoot.
		if last := parts[j-1]; last.name == lyrics.Chorus {
			candidates = append(candidates, append(append([]part{}, parts[:j]...), last))
		}
	}
	if firstChorus >= 0 {
		candidates = append(candidates, parts[firstChorus:firstChorus+1])
	}
	if firstChorus < 0 && len(candidates) == 0 {
		candidates = append(candidates, parts)
	}
	// Long songs: insert instrumental breaks and repeated choruses before a sung outro.
	at := len(parts)
	if at > 0 && parts[at-1].name == lyrics.Outro {
		at--
	}
	brk := part{name: SectionBreak, bars: 4}
	var extensions [][]part
	if lastChorus >= 0 {
		ch := parts[lastChorus]
		extensions = [][]part{{ch}, {brk, ch}, {brk, ch, ch}, {brk, ch, brk, ch}, {brk, ch, brk, ch, ch}}
	} else {
		extensions = [][]part{{brk}, {brk, brk}}
	}
	for _, ext := range extensions {
		c := append(append(append([]part{}, parts[:at]...), ext...), parts[at:]...)
		candidates = append(candidates, c)
	}

	var best []part
	bestCost := math.Inf(1)
	for _, c := range candidates {
		body := 0
		for _, p := range c {
			body += p.bars
		}
		for intro := 1; intro <= 4; intro++ {
			// An intro long enough for a title card and a breath before the first word.
			if float64(intro)*barSec < 1.5 && intro < 4 {
				continue
			}
			for tail := 1; tail <= 4; tail++ {
				// An ending long enough to fade on a held chord.
				if float64(tail)*barSec < 2.0 && tail < 4 {
					continue
				}
				total := float64(intro+body+tail) * barSec
				cost := math.Abs(total-target) + 0.01*float64(abs(intro-2)+abs(tail-2))
				// Long instrumental stretches at either end lose the listener.
				cost += 0.15 * (math.Max(0, float64(intro)*barSec-4) + math.Max(0, float64(tail)*barSec-4.5))
				// A song that stops after a verse sounds unfinished; it may end that way
				// only when it is clearly closer to the target.
				if last := c[len(c)-1].name; last != lyrics.Chorus && last != lyrics.Outro && last != SectionBreak {
					cost += 1.5
				}
				if cost < bestCost-1e-9 {
					bestCost = cost
					best = make([]part, 0, len(c)+2)
					best = append(best, part{name: SectionIntro, bars: intro})
					best = append(best, c...)
					if last := len(best) - 1; best[last].name == lyrics.Outro {
						// A sung outro and the instrumental ending are one section.
						merged := best[last]
						merged.bars += tail
						best[last] = merged
					} else {
						best = append(best, part{name: SectionOutro, bars: tail})
					}
				}
			}
		}
	}
	return best
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
