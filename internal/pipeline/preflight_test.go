package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font/gofont/goregular"
)

// TestPreflightNamesWhatIsMissing: with nothing installed, every missing program and
// file is named, with how to install them. Not parallel: it empties PATH.
func TestPreflightNamesWhatIsMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	dir := t.TempDir()
	err := Steps{Voice: true, SoundFont: filepath.Join(dir, "none.sf2"), FontPath: filepath.Join(dir, "none.ttf")}.Preflight()
	var pe *PreflightError
	if !errors.As(err, &pe) || len(pe.Missing) != 6 {
		t.Fatalf("err = %v, want the 6 missing things", err)
	}
	for _, want := range []string{"ffmpeg", "ffprobe", "fluidsynth", "espeak-ng", "none.sf2", "none.ttf", "scripts/install-deps.sh"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message does not name %s:\n%v", want, err)
		}
	}
}

// TestPreflightAcceptsWhatIsThere: programs found in PATH and a soundfont that
// exists are not reported (stand-ins here, so the test needs nothing installed);
// the font is read, not just found: one without Hangul is reported. Not parallel:
// it sets PATH. (The real tools pass it wherever a video is made: every end-to-end
// test starts serve or make, which refuse to start otherwise.)
func TestPreflightAcceptsWhatIsThere(t *testing.T) {
	bin := t.TempDir()
	for _, p := range []string{"ffmpeg", "ffprobe", "fluidsynth", "espeak-ng"} {
		if err := os.WriteFile(filepath.Join(bin, p), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin)
	dir := t.TempDir()
	sf, latin := filepath.Join(dir, "gm.sf2"), filepath.Join(dir, "latin.ttf")
	if err := os.WriteFile(sf, []byte("RIFF"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(latin, goregular.TTF, 0o644); err != nil {
		t.Fatal(err)
	}
	err := Steps{Voice: true, SoundFont: sf, FontPath: latin}.Preflight()
	var pe *PreflightError
	if !errors.As(err, &pe) || len(pe.Missing) != 1 || !strings.Contains(err.Error(), "lacks Hangul") {
		t.Fatalf("err = %v, want only the font without Hangul", err)
	}
}
