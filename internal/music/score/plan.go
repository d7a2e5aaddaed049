// Package score writes a song down before any sound exists: PlanSong turns lyrics and a
// business profile into a plan (genre, tempo, key, chords, sections and the time of every
// bar, beat and lyric line), Compose turns the plan into a Standard MIDI File, and Retime
// fits a plan to audio of another length. Everything here is a pure function of its
// inputs and the seed: no files, processes or network. The planner and the composer
// share one vocabulary (styles, keys and chords, the seeded lyric rhythms the composer
// re-derives from the plan), which is why they are one package. Package music makes
// the sound.
package score

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

// Song lengths. The target is where PlanSong aims; the song ends on a beat of its final
// bar, so the result is within lengthTolerance (one beat, at most 0.5 s) of it.
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
	tempo := st.tempos[rng.IntN(len(st.tempos))] // the seed's choice; fitTempo may prefer another
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

	tempo, fitted := fitTempo(l, st, tempo, opts.Tempo != 0, target)
	arr := fitted.parts

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
	end := g.at(0, fitted.beats*4)
	bar := 0
	for _, a := range arr {
		plan.Sections = append(plan.Sections, songplan.Section{
			Name: a.name, StartBar: bar, Bars: a.bars,
			Start: g.at(bar, 0), End: math.Min(g.at(bar+a.bars, 0), end),
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
			// The final bar may be cut short: only the beats before the end are played.
			for beat := 0; beat < st.beatsPerBar && (bar+i)*st.beatsPerBar+beat < fitted.beats; beat++ {
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
	plan.Duration = end
	if err := plan.Validate(); err != nil {
		return nil, fmt.Errorf("music: plan: %w", err)
	}
	return plan, nil
}

// fitTempo picks the tempo and arrangement that last target seconds: the seed's tempo
// unless another of the style's tempos fits clearly better, and, when none of the style's
// can (very long lines in a short song), any tempo the video grid allows. A tempo the
// owner fixed is kept.
func fitTempo(l *lyrics.Lyrics, st style, seedTempo int, fixed bool, target float64) (int, arrangement) {
	try := func(tempo int) arrangement {
		return fitArrangement(lyricParts(l, st.beatsPerBar, tempo), st.beatsPerBar, tempo, target)
	}
	tempo, best := seedTempo, try(seedTempo)
	if fixed {
		return tempo, best
	}
	for _, t := range st.tempos {
		// Another tempo changes the genre's feel, so it must buy a real improvement.
		if a := try(t); t != seedTempo && a.cost < best.cost-0.25 {
			tempo, best = t, a
		}
	}
	if best.miss <= lengthTolerance(tempo) {
		return tempo, best
	}
	for _, t := range Tempos() {
		if a := try(t); a.cost < best.cost {
			tempo, best = t, a
		}
	}
	return tempo, best
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

// arrangement is a fitted song: its parts (intro … outro, in whole bars) and where it
// ends, in beats from the start. The end lies in the last bar: a song may stop on a beat
// before its final bar line, so that it lasts what the owner chose and not up to a bar
// more (the last bar is the held final chord, which the audio fades out anyway).
type arrangement struct {
	parts []part
	beats int
	miss  float64 // |length − target| in seconds
	cost  float64
}

// Costs of musical compromises, in seconds of missed length they are worth.
const (
	costVerseEnd  = 1.5  // a song that stops after a verse sounds unfinished
	costCutShort  = 0.6  // the last section sung only in part (its first lines)
	costOffBar    = 0.05 // ending on a beat inside the final bar rather than on its bar line
	costLongEnds  = 0.15 // per second of instrumental intro over 4 s or ending over 4.5 s
	costShortTail = 1.0  // per second the instrumental ending falls short of 2 s
	costMissed    = 100  // per second of length beyond the tolerance: a hard limit
	maxTailBars   = 8
)

// lengthTolerance is how far a plan may end from its target: one beat, never over 0.5 s.
func lengthTolerance(tempo int) float64 { return math.Min(0.5, 60/float64(tempo)) }

// fitArrangement chooses which lyric sections to sing, how long the intro and the
// instrumental ending are and on which beat the song stops, so that it lasts target
// seconds within lengthTolerance. It considers every prefix of the lyrics that contains a
// chorus, the first chorus alone (short songs), the whole lyrics extended with
// instrumental breaks and repeated choruses (long songs), and each of these with its last
// section cut to its first lines (to fill the gaps between whole sections).
func fitArrangement(parts []part, beatsPerBar, tempo int, target float64) arrangement {
	beatSec := 60 / float64(tempo)
	barSec := beatSec * float64(beatsPerBar)
	tol := lengthTolerance(tempo)
	best := arrangement{cost: math.Inf(1)}
	for _, c := range arrangementCandidates(parts, barSec, target) {
		body := 0
		for _, p := range c.parts {
			body += p.bars
		}
		for intro := 1; intro <= 4; intro++ {
			// An intro long enough for a title card and a breath before the first word.
			if float64(intro)*barSec < 1.5 && intro < 4 {
				continue
			}
			for tail := 1; tail <= maxTailBars; tail++ {
				bars := intro + body + tail
				beats := bars * beatsPerBar
				whole := float64(bars) * barSec
				if whole > target && whole-barSec < target {
					// The target falls inside the final bar: stop on its nearest beat.
					k := int(math.Round((target - (whole - barSec)) / beatSec))
					beats = (bars-1)*beatsPerBar + clampInt(k, 1, beatsPerBar)
				}
				end := float64(beats) * beatSec
				ending := end - float64(intro+body)*barSec
				miss := math.Abs(end - target)
				cost := miss + costMissed*math.Max(0, miss-tol) + c.cost
				cost += 0.01 * float64(abs(intro-2)+abs(tail-2))
				cost += costLongEnds * (math.Max(0, float64(intro)*barSec-4) + math.Max(0, ending-4.5))
				cost += costShortTail * math.Max(0, 2-ending)
				if beats%beatsPerBar != 0 {
					cost += costOffBar
				}
				if cost < best.cost-1e-9 {
					best = arrangement{beats: beats, miss: miss, cost: cost}
					best.parts = make([]part, 0, len(c.parts)+2)
					best.parts = append(best.parts, part{name: SectionIntro, bars: intro})
					best.parts = append(best.parts, c.parts...)
					if last := len(best.parts) - 1; best.parts[last].name == lyrics.Outro {
						// A sung outro and the instrumental ending are one section.
						merged := best.parts[last]
						merged.bars += tail
						best.parts[last] = merged
					} else {
						best.parts = append(best.parts, part{name: SectionOutro, bars: tail})
					}
				}
			}
		}
	}
	return best
}

// candidate is a sequence of lyric and break parts and what its shape costs.
type candidate struct {
	parts []part
	cost  float64
}

// arrangementCandidates lists the sequences of sections fitArrangement weighs.
func arrangementCandidates(parts []part, barSec, target float64) []candidate {
	firstChorus, lastChorus := -1, -1
	for i, p := range parts {
		if p.name == lyrics.Chorus {
			if firstChorus < 0 {
				firstChorus = i
			}
			lastChorus = i
		}
	}
	var seqs [][]part
	for j := 1; j <= len(parts); j++ {
		if firstChorus >= 0 && firstChorus >= j {
			continue
		}
		seqs = append(seqs, parts[:j])
		// A chorus sung twice in a row is how jingles end; it also fills the gap when the
		// next lyric section would overshoot.
		if last := parts[j-1]; last.name == lyrics.Chorus {
			seqs = append(seqs, append(append([]part{}, parts[:j]...), last))
		}
	}
	if firstChorus >= 0 {
		seqs = append(seqs, parts[firstChorus:firstChorus+1])
	}
	// Long songs: instrumental breaks and repeated choruses before a sung outro, as many
	// as it takes to reach the target.
	at := len(parts)
	if at > 0 && parts[at-1].name == lyrics.Outro {
		at--
	}
	lyricBars := 0
	for _, p := range parts {
		lyricBars += p.bars
	}
	brk := part{name: SectionBreak, bars: 4}
	extend := func(ext ...part) {
		seqs = append(seqs, append(append(append([]part{}, parts[:at]...), ext...), parts[at:]...))
	}
	if lastChorus >= 0 {
		ch := parts[lastChorus]
		extend(ch)
		var ext []part
		for bars := lyricBars; float64(bars)*barSec < target+8*barSec && len(ext) < 64; bars += brk.bars + ch.bars {
			ext = append(ext, brk, ch)
			extend(ext...)
			extend(append(append([]part{}, ext...), ch)...)
		}
	} else {
		var ext []part
		for bars := lyricBars; float64(bars)*barSec < target+8*barSec && len(ext) < 64; bars += brk.bars {
			ext = append(ext, brk)
			extend(ext...)
		}
	}

	var out []candidate
	for _, s := range seqs {
		cost := 0.0
		if last := s[len(s)-1].name; last != lyrics.Chorus && last != lyrics.Outro && last != SectionBreak {
			cost = costVerseEnd
		}
		out = append(out, candidate{parts: s, cost: cost})
		// The same with its last section sung only in part: its first k lines.
		last := s[len(s)-1]
		for k := 1; k < len(last.lines); k++ {
			cut := part{name: last.name, lines: last.lines[:k]}
			for _, l := range cut.lines {
				cut.bars += l.bars
			}
			if cut.bars%2 == 1 {
				cut.bars++
			}
			seq := append(append([]part{}, s[:len(s)-1]...), cut)
			out = append(out, candidate{parts: seq, cost: cost + costCutShort})
		}
	}
	return out
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
