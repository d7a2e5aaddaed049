// Package songplan is the timeline of a song, decided before any audio exists so the
// video can be cut on the music's bars while the music is still rendering.
// The music package writes a Plan; the video package reads one. No I/O beyond JSON.
package songplan

import (
	"encoding/json"
	"fmt"
	"os"
)

// FPS is the frame rate every O2Sound video uses. Tempos are chosen to divide 60*FPS
// (90, 100, 120, 150 …) so that every beat is a whole number of frames.
const FPS = 30

// Plan is a song's structure and timing. Times are seconds from the start of the audio.
type Plan struct {
	Seed           int64     `json:"seed"`
	Genre          string    `json:"genre"`
	Mood           string    `json:"mood"`
	Tempo          int       `json:"tempo"`         // beats per minute
	Key            string    `json:"key"`           // e.g. "D major", "A minor"
	BeatsPerBar    int       `json:"beats_per_bar"` // time signature numerator (denominator 4)
	Progression    []string  `json:"progression"`   // chord symbols, one per bar, cycled
	Sections       []Section `json:"sections"`
	Bars           []Bar     `json:"bars"`
	Lines          []Line    `json:"lines"`    // lyric lines with their sung times
	Duration       float64   `json:"duration"` // total length of the audio in seconds
	LyricsTitle    string    `json:"lyrics_title,omitempty"`
	LyricsLanguage string    `json:"lyrics_language,omitempty"`
}

// Section is a contiguous run of bars: intro, verse, chorus, bridge, outro.
type Section struct {
	Name     string  `json:"name"`
	StartBar int     `json:"start_bar"`
	Bars     int     `json:"bars"`
	Start    float64 `json:"start"`
	End      float64 `json:"end"`
}

// Bar is one bar of the song; Beats holds the start time of each beat in it.
type Bar struct {
	Index   int       `json:"index"`
	Start   float64   `json:"start"`
	Beats   []float64 `json:"beats"`
	Chord   string    `json:"chord"`
	Section string    `json:"section"`
}

// Line is one lyric line and when it is sung.
type Line struct {
	Section   string  `json:"section"`
	Text      string  `json:"text"`
	Start     float64 `json:"start"`
	End       float64 `json:"end"`
	Syllables int     `json:"syllables"`
}

// BeatSeconds is the length of one beat.
func (p *Plan) BeatSeconds() float64 { return 60 / float64(p.Tempo) }

// BarSeconds is the length of one bar.
func (p *Plan) BarSeconds() float64 { return p.BeatSeconds() * float64(p.BeatsPerBar) }

// Validate checks the invariants every consumer relies on.
func (p *Plan) Validate() error {
	switch {
	case p.Tempo <= 0 || (60*FPS)%p.Tempo != 0:
		return fmt.Errorf("songplan: tempo %d does not divide %d", p.Tempo, 60*FPS)
	case p.BeatsPerBar <= 0:
		return fmt.Errorf("songplan: beats per bar %d", p.BeatsPerBar)
	case len(p.Bars) == 0:
		return fmt.Errorf("songplan: no bars")
	case p.Duration <= 0:
		return fmt.Errorf("songplan: duration %v", p.Duration)
	}
	for i := 1; i < len(p.Bars); i++ {
		if p.Bars[i].Start <= p.Bars[i-1].Start {
			return fmt.Errorf("songplan: bar %d starts before bar %d", i, i-1)
		}
	}
	return nil
}

// Load reads a plan written by Save.
func Load(path string) (*Plan, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("songplan: %w", err)
	}
	var p Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("songplan: %s: %w", path, err)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// Save writes the plan as indented JSON via a temp file and rename.
func (p *Plan) Save(path string) error {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return fmt.Errorf("songplan: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("songplan: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("songplan: %w", err)
	}
	return nil
}
