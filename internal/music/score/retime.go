package score

import (
	"fmt"
	"math"

	"github.com/o2sound/o2sound/internal/songplan"
)

// Retime fits a plan to audio whose real length is duration and whose tempo is tempo
// (0 or an unusable value keeps the plan's): the bar grid is rebuilt at that tempo to cover
// the audio, sections keep their order and relative length (snapped to bars), and the
// lines, whose exact times a singing model does not report, are stretched with the audio.
// Duration becomes exactly the audio's length.
func Retime(p *songplan.Plan, duration float64, tempo int) (*songplan.Plan, error) {
	if p == nil || duration <= 0 {
		return nil, fmt.Errorf("music: retime: no plan or duration")
	}
	if tempo < 40 || tempo > 240 || (60*songplan.FPS)%tempo != 0 {
		tempo = p.Tempo
	}
	q := *p
	q.Tempo = tempo
	q.Duration = round6(duration)
	q.Sections, q.Bars, q.Lines = nil, nil, nil
	g := grid{tempo: tempo, beatsPerBar: p.BeatsPerBar}
	barSec := float64(p.BeatsPerBar) * 60 / float64(tempo)
	nBars := max(1, int(math.Ceil(duration/barSec-1e-6)))
	f := duration / p.Duration

	// Section starts, stretched and snapped to bar lines, strictly increasing.
	starts := make([]int, len(p.Sections))
	for i, s := range p.Sections {
		b := int(math.Round(s.Start * f / barSec))
		if i > 0 {
			b = max(b, starts[i-1]+1)
		}
		starts[i] = min(b, nBars-(len(p.Sections)-i))
	}
	if len(starts) > 0 {
		starts[0] = 0
	}
	for i, s := range p.Sections {
		end := nBars
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		if end <= starts[i] {
			continue // more sections than bars: a very short audio; drop the extras
		}
		q.Sections = append(q.Sections, songplan.Section{
			Name: s.Name, StartBar: starts[i], Bars: end - starts[i],
			Start: g.at(starts[i], 0), End: math.Min(g.at(end, 0), q.Duration),
		})
	}
	for i := 0; i < nBars; i++ {
		start := g.at(i, 0)
		// The chord is the one the original plan had at the same point of the song.
		old := p.Bars[min(len(p.Bars)-1, int(start/f/p.BarSeconds()))]
		b := songplan.Bar{Index: i, Start: start, Chord: old.Chord}
		for _, s := range q.Sections {
			if i >= s.StartBar && i < s.StartBar+s.Bars {
				b.Section = s.Name
			}
		}
		for beat := 0; beat < p.BeatsPerBar; beat++ {
			if t := g.at(i, beat*4); t < q.Duration {
				b.Beats = append(b.Beats, t)
			}
		}
		q.Bars = append(q.Bars, b)
	}
	for _, l := range p.Lines {
		nl := l
		nl.Start, nl.End = round6(l.Start*f), round6(math.Min(l.End*f, q.Duration))
		if nl.Start < q.Duration {
			q.Lines = append(q.Lines, nl)
		}
	}
	if err := q.Validate(); err != nil {
		return nil, fmt.Errorf("music: retime: %w", err)
	}
	return &q, nil
}
