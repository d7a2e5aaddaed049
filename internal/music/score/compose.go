package score

import (
	"errors"
	"fmt"
	"math"

	"github.com/o2sound/o2sound/internal/lyrics"
	"github.com/o2sound/o2sound/internal/music/midi"
	"github.com/o2sound/o2sound/internal/songplan"
)

// MIDI channels of the arrangement. Channel 10 (index 9) is percussion in General MIDI.
const (
	LeadChannel    = 0
	HarmonyChannel = 1
	BassChannel    = 2
	PadChannel     = 3
	SoloChannel    = 4
	DrumChannel    = 9
)

// Compose writes the arrangement of a plan as a Standard MIDI File: drums, bass, harmony,
// an optional pad, and a lead melody with exactly one note per lyric syllable (each carrying
// its syllable as a lyric event). The plan must come from PlanSong (Compose re-derives the
// same rhythms from the plan's seed); l, when given, must hold the plan's lines. The bytes
// depend only on the inputs.
func Compose(plan *songplan.Plan, l *lyrics.Lyrics) ([]byte, error) {
	c, err := newComposer(plan, l)
	if err != nil {
		return nil, err
	}
	c.conductor()
	if err := c.lead(); err != nil {
		return nil, err
	}
	c.accompaniment()
	c.clipToEnd()
	b, err := c.file.Encode()
	if err != nil {
		return nil, fmt.Errorf("music: compose: %w", err)
	}
	return b, nil
}

type composer struct {
	plan   *songplan.Plan
	lyrics *lyrics.Lyrics
	st     style
	key    key
	chords []chord // per bar
	g      grid
	file   *midi.File
	tracks map[int]*midi.Track
	// barUnits is the length of a bar in sixteenths.
	barUnits int
}

func newComposer(plan *songplan.Plan, l *lyrics.Lyrics) (*composer, error) {
	if plan == nil {
		return nil, errors.New("music: compose: no plan")
	}
	if err := plan.Validate(); err != nil {
		return nil, fmt.Errorf("music: compose: %w", err)
	}
	st, ok := styles[plan.Genre]
	if !ok {
		return nil, fmt.Errorf("music: compose: unknown genre %q", plan.Genre)
	}
	if st.beatsPerBar != plan.BeatsPerBar {
		return nil, fmt.Errorf("music: compose: genre %q is in %d/4, plan says %d/4", plan.Genre, st.beatsPerBar, plan.BeatsPerBar)
	}
	k, err := parseKey(plan.Key)
	if err != nil {
		return nil, fmt.Errorf("music: compose: %w", err)
	}
	c := &composer{
		plan: plan, lyrics: l, st: st, key: k,
		g:        grid{tempo: plan.Tempo, beatsPerBar: plan.BeatsPerBar},
		file:     &midi.File{Division: ticksPerQuarter},
		tracks:   map[int]*midi.Track{},
		barUnits: plan.BeatsPerBar * 4,
	}
	for i, b := range plan.Bars {
		if b.Index != i {
			return nil, fmt.Errorf("music: compose: bar %d has index %d", i, b.Index)
		}
		ch, err := parseSymbol(b.Chord)
		if err != nil {
			return nil, fmt.Errorf("music: compose: bar %d: %w", i, err)
		}
		c.chords = append(c.chords, ch)
	}
	if l != nil {
		have := map[string]bool{}
		for _, line := range l.Lines() {
			have[line.Text] = true
		}
		for _, line := range plan.Lines {
			if !have[line.Text] {
				return nil, fmt.Errorf("music: compose: plan line %q is not in the lyrics", line.Text)
			}
		}
	}
	return c, nil
}

// tick converts a bar and sixteenth to MIDI ticks.
func (c *composer) tick(bar, unit int) int64 {
	return int64(bar*c.barUnits+unit) * ticksPerUnit
}

func (c *composer) track(ch int, name string, program int) *midi.Track {
	if t, ok := c.tracks[ch]; ok {
		return t
	}
	t := c.file.NewTrack()
	t.MetaText(0, midi.MetaTrackName, name)
	if ch != DrumChannel {
		t.Program(0, ch, program)
	}
	// Effect sends and pan (reverb, chorus) per channel; the pad far behind the rest.
	mix := map[int][3]int{
		LeadChannel:    {64, 55, 10},
		HarmonyChannel: {46, 50, 25},
		BassChannel:    {64, 15, 0},
		PadChannel:     {84, 70, 40},
		SoloChannel:    {76, 60, 10},
		DrumChannel:    {64, 35, 0},
	}[ch]
	pan, rev, cho := mix[0], mix[1], mix[2]
	vol := c.levels()[ch]
	t.Control(0, ch, 7, vol)
	t.Control(0, ch, 10, pan)
	t.Control(0, ch, 91, rev)
	t.Control(0, ch, 93, cho)
	t.Control(0, ch, 11, 127)
	c.tracks[ch] = t
	return t
}

// Base channel levels in dB (0 = full volume) before the style's lead and solo trims.
var baseLevels = map[int]float64{
	LeadChannel: -2.2, HarmonyChannel: -8, BassChannel: -4.2, PadChannel: -13.6, SoloChannel: -5.6, DrumChannel: -4.9,
}

// levels returns each channel's CC7 volume: the base levels with the style's lead and
// solo trims, shifted down together when a trim would push a channel past full volume.
// CC7 follows the General MIDI curve, 40·log10(cc/127) dB.
func (c *composer) levels() map[int]int {
	db := map[int]float64{}
	top := 0.0
	for ch, l := range baseLevels {
		switch ch {
		case LeadChannel:
			l += c.st.leadDB
		case SoloChannel:
			l += c.st.soloDB
		}
		db[ch] = l
		top = math.Max(top, l)
	}
	out := map[int]int{}
	for ch, l := range db {
		out[ch] = clampInt(int(math.Round(127*math.Pow(10, (l-top)/40))), 1, 127)
	}
	return out
}

// conductor writes tempo, meter, key and section markers.
func (c *composer) conductor() {
	t := c.file.NewTrack()
	title := c.plan.LyricsTitle
	if title == "" {
		title = "O2Sound"
	}
	t.MetaText(0, midi.MetaTrackName, title)
	t.Tempo(0, int(math.Round(60e6/float64(c.plan.Tempo))))
	t.TimeSignature(0, c.plan.BeatsPerBar, 2)
	t.KeySignature(0, c.key.sharps(), c.key.minor)
	for _, s := range c.plan.Sections {
		t.MetaText(c.tick(s.StartBar, 0), midi.MetaMarker, s.Name)
	}
	// End the file exactly at the plan's end so renderers stop on the last bar line.
	t.MetaText(c.endTick(), midi.MetaMarker, "end")
}

// endTick is the plan's end in ticks: the final bar line, or a beat before it when the
// plan stops inside its final bar to last exactly what was asked.
func (c *composer) endTick() int64 {
	return int64(math.Round(c.plan.Duration / (c.plan.BeatSeconds() / ticksPerQuarter)))
}

// clipToEnd cuts every track at endTick: notes still sounding there (the held final
// chord) end on it, and nothing starts after it. The parts are written bar by bar in
// whole bars, which is simpler than teaching each of them about a shortened last bar.
func (c *composer) clipToEnd() {
	end := c.endTick()
	for _, t := range c.tracks {
		type voice struct{ ch, key byte }
		dropped := map[voice]int{}
		kept := t.Events[:0]
		for _, e := range t.Events {
			switch {
			case e.Status == 0xFF || e.Tick < end:
			case e.Kind() == 0x90 && e.Data[1] > 0 && e.Tick >= end:
				dropped[voice{e.Status & 0x0F, e.Data[0]}]++
				continue
			case e.Kind() == 0x80 || e.Kind() == 0x90:
				v := voice{e.Status & 0x0F, e.Data[0]}
				if dropped[v] > 0 {
					dropped[v]--
					continue
				}
				e.Tick = end
			case e.Tick > end:
				continue // controllers after the end change nothing anyone hears
			}
			kept = append(kept, e)
		}
		t.Events = kept
	}
}

// sectionAt returns the plan section containing bar.
func (c *composer) sectionAt(bar int) songplan.Section {
	for _, s := range c.plan.Sections {
		if bar >= s.StartBar && bar < s.StartBar+s.Bars {
			return s
		}
	}
	return songplan.Section{Name: SectionOutro, StartBar: bar, Bars: 1}
}

// dynamics scales velocities by section: quiet intro, full chorus.
func dynamics(section string) float64 {
	switch section {
	case SectionIntro:
		return 0.8
	case lyrics.Chorus:
		return 1.0
	case lyrics.Bridge, SectionBreak:
		return 0.88
	default:
		return 0.9
	}
}

func scaleVel(v int, f float64) int { return max(1, min(127, int(math.Round(float64(v)*f)))) }

// lead writes the sung melody: one note per syllable, with the syllable as a lyric event.
func (c *composer) lead() error {
	t := c.track(LeadChannel, "lead", c.st.lead)
	base := melodyBase(c.key, c.st.leadCenter)
	barSec := c.plan.BarSeconds()
	// Count lines per section occurrence so line positions (first, last) are known.
	type occ struct{ start, count int }
	lineIdx := make([]int, len(c.plan.Lines))
	counts := map[int]*occ{}
	for i, line := range c.plan.Lines {
		bar := int(math.Floor(line.Start/barSec + 1e-6))
		s := c.sectionAt(bar)
		o := counts[s.StartBar]
		if o == nil {
			o = &occ{start: i}
			counts[s.StartBar] = o
		}
		lineIdx[i] = i - o.start
		o.count++
	}
	for i, line := range c.plan.Lines {
		bar := int(math.Floor(line.Start/barSec + 1e-6))
		sec := c.sectionAt(bar)
		syl := lyrics.SplitSyllables(line.Text)
		n := len(syl)
		if n != line.Syllables || n == 0 {
			return fmt.Errorf("music: compose: line %q has %d syllables, plan says %d", line.Text, n, line.Syllables)
		}
		bars := lineBars(n, c.plan.BeatsPerBar, c.plan.Tempo)
		spans := lineRhythm(c.plan.Seed, line.Section, n, bars*c.barUnits)
		if got := c.g.at(bar, spans[0].start); math.Abs(got-line.Start) > 1e-3 {
			// The plan was edited or re-timed (a provider's audio); its lines no longer
			// follow this composer's rhythms, so a melody would drift from the captions.
			return fmt.Errorf("music: compose: line %q starts at %.3fs, composer expects %.3fs", line.Text, line.Start, got)
		}
		chords := make([]chord, n)
		for j, sp := range spans {
			chords[j] = c.chords[min(bar+sp.start/c.barUnits, len(c.chords)-1)]
		}
		pitches := lineMelody(c.plan.Seed, c.key, base, line.Section, lineIdx[i], counts[sec.StartBar].count, spans, chords)
		dyn := dynamics(line.Section)
		for j, sp := range spans {
			on := c.tick(bar, sp.start)
			dur := int64(sp.dur)*ticksPerUnit - 24 // a hair of space between syllables
			vel := c.st.leadVelocity
			if sp.start%4 == 0 {
				vel += 8
			}
			t.MetaText(on, midi.MetaLyric, syl[j])
			t.Note(on, dur, LeadChannel, pitches[j], scaleVel(vel, dyn))
		}
	}
	return nil
}
