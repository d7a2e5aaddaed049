package workflow

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
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

// TestPreflightPassesWhenInstalled: on a machine set up by install-deps.sh (CI),
// nothing is missing.
func TestPreflightPassesWhenInstalled(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("fluidsynth"); err != nil && os.Getenv("CI") == "" {
		t.Skip("media tools are not installed (scripts/install-deps.sh installs them)")
	}
	if err := (Steps{}).Preflight(); err != nil {
		t.Fatal(err)
	}
}
