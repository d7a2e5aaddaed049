package pipeline

import (
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/o2sound/o2sound/internal/music"
	"github.com/o2sound/o2sound/internal/video/artwork"
)

// Preflight checks that the programs and files the steps run on are installed:
// ffmpeg and ffprobe, FluidSynth and its soundfont, a Hangul font, and espeak-ng
// when the voice is on. A process that makes videos checks them before it takes any
// work, so a missing package is one clear message at start-up instead of every
// task failing at its music or video stage.
func (s Steps) Preflight() error {
	var missing []error
	programs := []string{"ffmpeg", "ffprobe", "fluidsynth"}
	if s.Voice {
		programs = append(programs, "espeak-ng")
	}
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			missing = append(missing, fmt.Errorf("%s is not installed (not in PATH)", p))
		}
	}
	sf := s.SoundFont
	if sf == "" {
		sf = music.DefaultSoundFont
	}
	if st, err := os.Stat(sf); err != nil || st.IsDir() {
		missing = append(missing, fmt.Errorf("no General MIDI soundfont at %s", sf))
	}
	if err := artwork.CheckFont(s.FontPath); err != nil {
		missing = append(missing, err)
	}
	if len(missing) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("cannot make videos here:")
	for _, m := range missing {
		b.WriteString("\n  - " + m.Error())
	}
	b.WriteString("\nInstall what is missing with scripts/install-deps.sh (on Debian: apt install ffmpeg fluidsynth fluid-soundfont-gm fonts-nanum espeak-ng).")
	return &PreflightError{Missing: missing, msg: b.String()}
}

// PreflightError lists what is missing to make videos.
type PreflightError struct {
	Missing []error
	msg     string
}

func (e *PreflightError) Error() string { return e.msg }
