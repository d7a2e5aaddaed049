package music

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/lyrics"
	"github.com/o2sound/o2sound/internal/music/acestep"
	"github.com/o2sound/o2sound/internal/music/score"
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
		tag := map[string]string{score.SectionIntro: "Intro", score.SectionOutro: "Outro", score.SectionBreak: "Instrumental",
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
