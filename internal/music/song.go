package music

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/lyrics"
	"github.com/o2sound/o2sound/internal/music/audiocheck"
	"github.com/o2sound/o2sound/internal/music/score"
	"github.com/o2sound/o2sound/internal/songplan"
)

// File names MakeSong writes into its output directory.
const (
	PlanFile  = "plan.json"
	MIDIFile  = "song.mid"
	AudioFile = "song.m4a"
)

// SongOptions tunes MakeSong.
type SongOptions struct {
	Seed   int64
	Target time.Duration // default 30 s, clamped to 15–90 s
	// Plan, when set, is used as is instead of calling PlanSong: the workflow plans first
	// so the video can be cut while the music renders.
	Plan      *songplan.Plan
	SoundFont string
	Voice     bool // espeak-ng announcement over the intro and ending (built-in songs)
	// Provider, when set, is asked for the audio first (ACE-Step); nil means built-in only.
	Provider Provider
	// Progress receives 0..1 as the stage advances.
	Progress func(frac float64)
}

// Song is what MakeSong produced.
type Song struct {
	Plan      *songplan.Plan
	PlanPath  string
	MIDIPath  string
	AudioPath string
	// Source is "builtin" or the provider's name.
	Source string
	// Retimed is true when the plan was fitted to a provider's audio after rendering, so a
	// video cut from the plan given before must be re-cut from Plan.
	Retimed bool
	// FallbackReason says why a configured provider was not used.
	FallbackReason string
}

// MakeSong is the whole song stage: plan (unless given), compose, then the provider's
// audio if one is configured and delivers usable audio, else the built-in render. It
// writes plan.json, song.mid and song.m4a into outDir (each via temp file and rename).
func MakeSong(ctx context.Context, p business.Profile, l *lyrics.Lyrics, outDir string, opts SongOptions) (*Song, error) {
	prog := newProgress(opts.Progress)
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("music: %w", err)
	}
	plan := opts.Plan
	if plan == nil {
		var err error
		if plan, err = score.PlanSong(p, l, score.PlanOptions{Seed: opts.Seed, Target: opts.Target}); err != nil {
			return nil, err
		}
	}
	song := &Song{
		Plan:      plan,
		PlanPath:  filepath.Join(outDir, PlanFile),
		MIDIPath:  filepath.Join(outDir, MIDIFile),
		AudioPath: filepath.Join(outDir, AudioFile),
		Source:    "builtin",
	}
	if err := plan.Save(song.PlanPath); err != nil {
		return nil, fmt.Errorf("music: %w", err)
	}
	prog.set(0.02)
	mid, err := score.Compose(plan, l)
	if err != nil {
		return nil, err
	}
	if err := writeFileAtomic(song.MIDIPath, mid); err != nil {
		return nil, err
	}
	prog.set(0.05)

	if opts.Provider != nil {
		retimed, err := fromProvider(ctx, opts.Provider, p, l, plan, song.AudioPath, func(f float64) { prog.set(0.05 + 0.95*f) })
		if err == nil {
			if err := retimed.Save(song.PlanPath); err != nil {
				return nil, fmt.Errorf("music: %w", err)
			}
			song.Plan, song.Retimed, song.Source = retimed, true, opts.Provider.Name()
			prog.set(1)
			return song, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("music: %w", ctx.Err())
		}
		song.FallbackReason = fmt.Sprintf("%s: %v", opts.Provider.Name(), err)
	}

	// After a failed provider the bar may already be far along; the render fills the rest.
	base := math.Max(0.05, prog.value())
	ropts := RenderOptions{
		SoundFont: opts.SoundFont,
		Voice:     opts.Voice,
		Announce:  NewAnnouncement(p),
		Progress:  func(f float64) { prog.set(base + (1-base)*f) },
	}
	if err := Render(ctx, mid, plan, song.AudioPath, ropts); err != nil {
		return nil, err
	}
	prog.set(1)
	return song, nil
}

// Bounds on a provider's audio relative to the plan: a model may round the length, but a
// song of half or twice the asked length is not the song that was planned.
const (
	minProviderRatio = 0.6
	maxProviderRatio = 1.5
	minProviderLUFS  = -45.0
)

// fromProvider asks the provider for audio, checks it is a real song of about the planned
// length, masters it like a built-in render and returns the plan fitted to it.
func fromProvider(ctx context.Context, pr Provider, p business.Profile, l *lyrics.Lyrics, plan *songplan.Plan, out string, progress func(float64)) (*songplan.Plan, error) {
	progress(0.02)
	audio, err := pr.Generate(ctx, ProviderRequest{Profile: p, Lyrics: l, Plan: plan})
	if err != nil {
		return nil, err
	}
	progress(0.6)
	work, err := os.MkdirTemp(filepath.Dir(out), ".provider-*")
	if err != nil {
		return nil, fmt.Errorf("music: %w", err)
	}
	defer os.RemoveAll(work)
	ext := audio.Ext
	if ext == "" {
		ext = "wav"
	}
	raw := filepath.Join(work, "provider."+ext)
	if err := os.WriteFile(raw, audio.Data, 0o644); err != nil {
		return nil, fmt.Errorf("music: %w", err)
	}
	m, err := audiocheck.Measure(ctx, raw, audiocheck.Options{})
	if err != nil {
		return nil, fmt.Errorf("bad audio: %w", err)
	}
	switch {
	case m.Duration < plan.Duration*minProviderRatio || m.Duration > plan.Duration*maxProviderRatio:
		return nil, fmt.Errorf("bad audio: %.1fs long for a %.1fs plan", m.Duration, plan.Duration)
	case m.IntegratedLUFS < minProviderLUFS:
		return nil, fmt.Errorf("bad audio: nearly silent (%.1f LUFS)", m.IntegratedLUFS)
	}
	// The finished file is exactly this long (whole samples), and so is the plan.
	duration := math.Round(m.Duration*sampleRate) / sampleRate
	retimed, err := score.Retime(plan, duration, audio.Tempo)
	if err != nil {
		return nil, err
	}
	if err := master(ctx, raw, nil, retimed.Duration, out, func(f float64) { progress(0.65 + 0.35*f) }); err != nil {
		return nil, err
	}
	return retimed, nil
}

// writeFileAtomic writes via a temp file in the same directory and renames it into place.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("music: %w", err)
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	if werr == nil {
		werr = f.Chmod(0o644) // CreateTemp makes 0600; the song is not a secret
	}
	cerr := f.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp)
		return fmt.Errorf("music: writing %s: %v %v", filepath.Base(path), werr, cerr)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("music: %w", err)
	}
	return nil
}
