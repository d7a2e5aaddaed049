package score

import (
	"testing"

	"github.com/o2sound/o2sound/internal/music/musictest"
)

func TestRetime(t *testing.T) {
	t.Parallel()
	_, _, plan := fixture(t, "gym_ko", 1, 0) // 120 bpm, 30 s
	tests := []struct {
		duration  float64
		tempo     int
		wantTempo int
	}{
		{30, 0, 120},
		{31.37, 120, 120},
		{26.2, 100, 100},
		{40, 128, 120}, // 128 does not divide 1800: keep the plan's tempo
		{18, 150, 150},
	}
	for _, tt := range tests {
		got, err := Retime(plan, tt.duration, tt.tempo)
		if err != nil {
			t.Fatalf("%v: %v", tt, err)
		}
		if got.Duration != tt.duration || got.Tempo != tt.wantTempo {
			t.Errorf("%v: %.3fs at %d", tt, got.Duration, got.Tempo)
		}
		musictest.CheckRetimed(t, got)
		if len(got.Lines) != len(plan.Lines) || len(got.Sections) != len(plan.Sections) {
			t.Errorf("%v: %d lines %d sections, want %d %d", tt, len(got.Lines), len(got.Sections), len(plan.Lines), len(plan.Sections))
		}
	}
	if _, err := Retime(plan, 0, 120); err == nil {
		t.Error("zero duration accepted")
	}
}
