package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/lyrics"
	"github.com/o2sound/o2sound/internal/music"
	"github.com/o2sound/o2sound/internal/music/score"
)

// songCommand runs the song stage alone for a business metadata file, so a person can
// read the lyrics and listen to the song:
//
//	o2sound song -metadata business.json [-out dir] [-seed N] [-duration 30s]
//	             [-lyrics lyrics.json] [-voice] [-soundfont path] [-offline]
//
// It writes lyrics.json, plan.json, song.mid and song.m4a into the output directory. An
// LLM (LLM_BASE_URL, LLM_API_KEY or OPENAI_API_KEY, LLM_MODEL) and an ACE-Step server
// (ACESTEP_URL …) are used when configured, unless -offline is given.
func songCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("song", flag.ContinueOnError)
	fs.SetOutput(stderr)
	metadata := fs.String("metadata", "", "business metadata JSON (a business.Profile, as the crawler writes it)")
	out := fs.String("out", ".", "directory for lyrics.json, plan.json, song.mid and song.m4a")
	seed := fs.Int64("seed", 1, "seed: the same seed gives the same lyrics, plan and MIDI")
	duration := fs.Duration("duration", score.DefaultTarget, "target length, 15s to 90s")
	lyricsPath := fs.String("lyrics", "", "use these lyrics (JSON as written by this command) instead of writing new ones")
	voice := fs.Bool("voice", false, "speak the name and contact over the intro and ending (espeak-ng)")
	soundfont := fs.String("soundfont", music.DefaultSoundFont, "General MIDI soundfont for FluidSynth")
	offline := fs.Bool("offline", false, "ignore a configured LLM and ACE-Step server")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: o2sound song -metadata business.json [flags]\n\nWrites lyrics and a song for one business.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err // run treats flag.ErrHelp (-h) as success for every command
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("song: unexpected argument %q", fs.Arg(0))
	}
	if *metadata == "" {
		fs.Usage()
		return errors.New("song: -metadata is required")
	}
	if *duration < score.MinTarget || *duration > score.MaxTarget {
		return fmt.Errorf("song: duration %v: want %v to %v", *duration, score.MinTarget, score.MaxTarget)
	}
	var p business.Profile
	if err := songReadJSON(*metadata, &p); err != nil {
		return fmt.Errorf("song: metadata: %w", err)
	}
	if strings.TrimSpace(p.Name) == "" {
		return fmt.Errorf("song: metadata %s has no name", *metadata)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("song: %w", err)
	}

	var l *lyrics.Lyrics
	if *lyricsPath != "" {
		l = &lyrics.Lyrics{}
		if err := songReadJSON(*lyricsPath, l); err != nil {
			return fmt.Errorf("song: lyrics: %w", err)
		}
		if err := l.Validate(""); err != nil {
			return fmt.Errorf("song: %s: %w", *lyricsPath, err)
		}
	} else {
		cfg := lyrics.ConfigFromEnv()
		if *offline {
			cfg = lyrics.LLMConfig{}
		}
		var err error
		if l, err = lyrics.New(cfg).Write(ctx, p, *seed); err != nil {
			return fmt.Errorf("song: %w", err)
		}
		if l.FallbackReason != "" {
			fmt.Fprintf(stderr, "lyrics: LLM not used (%s); wrote them offline\n", l.FallbackReason)
		}
	}
	lyricsOut := filepath.Join(*out, "lyrics.json")
	if err := songWriteJSON(lyricsOut, l); err != nil {
		return fmt.Errorf("song: %w", err)
	}

	opts := music.SongOptions{Seed: *seed, Target: *duration, SoundFont: *soundfont, Voice: *voice}
	if ace := music.ACEStepConfigFromEnv(); ace.Enabled() && !*offline {
		opts.Provider = music.NewACEStep(ace)
	}
	last := -1
	opts.Progress = func(f float64) {
		// Print whole tens of percent, so a terminal shows movement without a flood.
		if pct := int(f*10) * 10; pct > last {
			last = pct
			fmt.Fprintf(stderr, "song: %3d%%\n", pct)
		}
	}
	start := time.Now()
	song, err := music.MakeSong(ctx, p, l, *out, opts)
	if err != nil {
		return fmt.Errorf("song: %w", err)
	}
	if song.FallbackReason != "" {
		fmt.Fprintf(stderr, "song: %s\n", song.FallbackReason)
	}
	pl := song.Plan
	fmt.Fprintf(stdout, "%s (%s, %s)\n", l.Title, l.Language, l.Source)
	fmt.Fprintf(stdout, "  %s, %s, %d bpm, %s, %d/4, %s\n", pl.Genre, pl.Mood, pl.Tempo, pl.Key, pl.BeatsPerBar, strings.Join(pl.Progression, " "))
	fmt.Fprintf(stdout, "  %.2f s, %d bars, %d sung lines, audio by %s in %v\n", pl.Duration, len(pl.Bars), len(pl.Lines), song.Source, time.Since(start).Round(10*time.Millisecond))
	for _, f := range []string{lyricsOut, song.PlanPath, song.MIDIPath, song.AudioPath} {
		fmt.Fprintln(stdout, "  "+f)
	}
	return nil
}

// songReadJSON decodes a small JSON file; metadata and lyrics are a few KiB, so anything
// much larger is a mistake.
func songReadJSON(path string, v any) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 1<<20+1))
	if err != nil {
		return err
	}
	if len(b) > 1<<20 {
		return fmt.Errorf("%s: larger than 1 MiB", path)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// songWriteJSON writes indented JSON via a temp file and rename.
func songWriteJSON(path string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
