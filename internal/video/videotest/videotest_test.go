package videotest

import (
	"image/jpeg"
	"os"
	"testing"
)

func TestPlanIsValid(t *testing.T) {
	t.Parallel()
	for _, secs := range []float64{1, 8, 30, 95} {
		p := Plan(secs)
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
		if d := p.Duration - secs; d < -1 || d > 1 {
			t.Errorf("Plan(%v) lasts %v", secs, p.Duration)
		}
	}
}

func TestWriteImages(t *testing.T) {
	t.Parallel()
	paths, err := WriteImages(t.TempDir(), 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := jpeg.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width < 1000 {
			t.Errorf("%s: %+v %v", p, cfg, err)
		}
	}
}
