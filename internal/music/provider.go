package music

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/lyrics"
	"github.com/o2sound/o2sound/internal/music/acestep"
	"github.com/o2sound/o2sound/internal/songplan"
)

// Provider makes a song's audio with an external model (a singer) instead of the built-in
// composer and synthesizer. MakeSong checks what it returns, fits the plan to it and falls
// back to the built-in song on any failure.
type Provider interface {
	Name() string
	Generate(ctx context.Context, req ProviderRequest) (*ProviderAudio, error)
}

// ProviderRequest is what a provider gets: the business, its lyrics, and the plan whose
// tempo, key, meter, length and sung sections it should follow.
type ProviderRequest struct {
	Profile business.Profile
	Lyrics  *lyrics.Lyrics
	Plan    *songplan.Plan
}

// ProviderAudio is a provider's result: an audio file's bytes, its format as a file
// extension, and the tempo the model says it used (0 when unknown).
type ProviderAudio struct {
	Data  []byte
	Ext   string
	Tempo int
}

// ACEStepConfig configures the ACE-Step provider.
type ACEStepConfig = acestep.Config

// ACEStepConfigFromEnv reads ACESTEP_URL, ACESTEP_API_KEY, ACESTEP_MODEL,
// ACESTEP_THINKING, ACESTEP_STEPS and ACESTEP_TIMEOUT; without ACESTEP_URL the provider
// is off (Enabled reports false).
func ACEStepConfigFromEnv() ACEStepConfig { return acestep.ConfigFromEnv() }

// NewACEStep returns a Provider backed by a self-hosted ACE-Step 1.5 API server.
func NewACEStep(cfg ACEStepConfig) Provider { return &aceStep{client: acestep.New(cfg)} }

type aceStep struct{ client *acestep.Client }

func (a *aceStep) Name() string { return "acestep" }

func (a *aceStep) Generate(ctx context.Context, req ProviderRequest) (*ProviderAudio, error) {
	if req.Plan == nil || req.Lyrics == nil {
		return nil, fmt.Errorf("music: acestep: plan and lyrics are required")
	}
	p := req.Plan
	res, err := a.client.Generate(ctx, acestep.Request{
		Prompt:        caption(p, req.Profile, req.Lyrics.Language),
		Lyrics:        planLyricSheet(p),
		Language:      req.Lyrics.Language,
		BPM:           p.Tempo,
		KeyScale:      aceKey(p.Key),
		TimeSignature: fmt.Sprint(p.BeatsPerBar),
		Duration:      math.Max(10, p.Duration),
		Seed:          p.Seed & math.MaxInt32, // the server's seeds are 32-bit
		Format:        "wav",
	})
	if err != nil {
		return nil, fmt.Errorf("music: %w", err)
	}
	return &ProviderAudio{Data: res.Audio, Ext: res.Format, Tempo: res.Metas.BPM}, nil
}

// caption is the style prompt: the plan's genre and mood, the instruments the built-in
// arrangement would use, and the voice.
func caption(p *songplan.Plan, prof business.Profile, lang string) string {
	parts := []string{p.Genre, p.Mood + " mood", "catchy commercial jingle", "clear lead vocals"}
	if lang == "ko" {
		parts = append(parts, "Korean lyrics", "K-pop vocal style")
	}
	if t := lyrics.Classify(prof); t != lyrics.ThemeGeneral {
		parts = append(parts, "for a "+string(t))
	}
	return strings.Join(parts, ", ")
}

// planLyricSheet writes the lyrics in the order the plan sings them, with ACE-Step's
// structure tags, so the model's song has the plan's shape (instrumental intro and
// ending included).
func planLyricSheet(p *songplan.Plan) string {
	var b strings.Builder
	for _, s := range p.Sections {
		tag := map[string]string{SectionIntro: "Intro", SectionOutro: "Outro", SectionBreak: "Instrumental",
			lyrics.Verse: "Verse", lyrics.Chorus: "Chorus", lyrics.Bridge: "Bridge", lyrics.PreChorus: "Pre-Chorus"}[s.Name]
		if tag == "" {
			tag = "Verse"
		}
		b.WriteString("[" + tag + "]\n")
		for _, l := range p.Lines {
			if l.Start >= s.Start-1e-6 && l.Start < s.End-1e-6 {
				b.WriteString(l.Text + "\n")
			}
		}
		b.WriteString("\n")
	}
	return strings.TrimSpace(b.String()) + "\n"
}

// aceKey turns "D major" into ACE-Step's "D Major".
func aceKey(k string) string {
	name, mode, ok := strings.Cut(k, " ")
	if !ok {
		return k
	}
	return name + " " + strings.ToUpper(mode[:1]) + mode[1:]
}

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
