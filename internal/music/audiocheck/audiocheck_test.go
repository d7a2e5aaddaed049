package audiocheck

import (
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseReport(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/ffmpeg_stderr.txt")
	if err != nil {
		t.Fatal(err)
	}
	r, err := ParseReport(b)
	if err != nil {
		t.Fatal(err)
	}
	if r.IntegratedLUFS != -26.2 || r.TruePeakDBFS != -20.4 || r.Samples != 198450 {
		t.Errorf("report %+v", r)
	}
	if math.Abs(r.PeakDBFS+20.560574) > 1e-6 {
		t.Errorf("sample peak %v", r.PeakDBFS)
	}
	if len(r.Silences) != 1 || math.Abs(r.Silences[0].Start-2) > 0.01 || math.Abs(r.Silences[0].End-3.5) > 0.01 {
		t.Errorf("silences %+v", r.Silences)
	}
}

func TestParseReportEdgeCases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		wantErr bool
		check   func(*Report) bool
	}{
		{"no summary", "Input #0, wav\nOutput #0, null", true, nil},
		{"silent file", "Summary:\n\n  Integrated loudness:\n    I:         -70.0 LUFS\n  True peak:\n    Peak:       -inf dBFS\n", false,
			func(r *Report) bool {
				return r.IntegratedLUFS == -70 && math.IsInf(r.TruePeakDBFS, -1) && math.IsInf(r.PeakDBFS, -1)
			}},
		{"silence to the end", "silence_start: 4.5\nSummary:\n    I:  -14.0 LUFS\n    Peak:  -1.5 dBFS\n", false,
			func(r *Report) bool {
				return len(r.Silences) == 1 && r.Silences[0].Start == 4.5 && math.IsInf(r.Silences[0].End, 1)
			}},
		{"two silences", "silence_start: 1\nsilence_end: 2.5 | silence_duration: 1.5\nsilence_start: 9\nsilence_end: 10 | silence_duration: 1\nSummary:\n    I:  -14.0 LUFS\n    Peak:  -1.5 dBFS\n", false,
			func(r *Report) bool { return len(r.Silences) == 2 && r.Silences[1] == Silence{9, 10} }},
		{"missing true peak", "Summary:\n    I:  -14.0 LUFS\n", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := ParseReport([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err == nil && !tt.check(r) {
				t.Errorf("report %+v", r)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	good := Report{IntegratedLUFS: -14, TruePeakDBFS: -1.5, Duration: 30, Samples: 30*44100 + 700, SampleRate: 44100, Channels: 2, Codec: "aac",
		Silences: []Silence{{29.5, 30}}}
	tests := []struct {
		name string
		mod  func(*Report)
		want string // substring of the error; "" means pass
	}{
		{"good", func(*Report) {}, ""},
		{"clipping", func(r *Report) { r.TruePeakDBFS = -0.2 }, "true peak"},
		{"too quiet", func(r *Report) { r.IntegratedLUFS = -18 }, "loudness"},
		{"too loud", func(r *Report) { r.IntegratedLUFS = -10.5 }, "loudness"},
		{"gap", func(r *Report) { r.Silences = append(r.Silences, Silence{10, 11.5}) }, "silence of 1.50s at 10.00s"},
		{"long silent ending", func(r *Report) { r.Silences = []Silence{{20, 30}} }, "silence of 10.00s"},
		{"short", func(r *Report) { r.Duration = 29.95 }, "duration 29.950s"},
		{"decoded too short", func(r *Report) { r.Samples = 29 * 44100 }, "decoded"},
		{"mono", func(r *Report) { r.Channels = 1 }, "1 channels"},
		{"48k", func(r *Report) { r.SampleRate = 48000 }, "sample rate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := good
			r.Silences = append([]Silence(nil), good.Silences...)
			tt.mod(&r)
			err := r.Check(Song(30))
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("unexpected: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestMeasure runs the real ffmpeg on a file with a known gap and level.
func TestMeasure(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("ffmpeg is missing (scripts/install-deps.sh installs it)")
		}
		t.Skip("ffmpeg not installed")
	}
	dir := t.TempDir()
	wav := filepath.Join(dir, "gap.wav")
	// 2 s of a 0 dBFS-peak-free sine at -20 dBFS, 1.5 s of silence, 1 s more sine.
	cmd := exec.Command("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
		"-f", "lavfi", "-i", "sine=f=440:sample_rate=44100:d=2",
		"-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono:d=1.5",
		"-f", "lavfi", "-i", "sine=f=440:sample_rate=44100:d=1",
		"-filter_complex", "[0:a][1:a][2:a]concat=n=3:v=0:a=1,volume=0.8,pan=stereo|c0=c0|c1=c0",
		"-y", wav)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := Measure(ctx, wav, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.SampleRate != 44100 || r.Channels != 2 || math.Abs(r.Duration-4.5) > 0.01 || r.Samples != 4.5*44100 {
		t.Errorf("format %+v", r)
	}
	// sine's default amplitude is 1/8 (-18.06 dBFS); volume 0.8 takes off 1.94 dB.
	if math.Abs(r.PeakDBFS+20) > 0.1 || r.TruePeakDBFS > -19.5 {
		t.Errorf("peaks %.2f / %.2f", r.PeakDBFS, r.TruePeakDBFS)
	}
	if len(r.Silences) != 1 || math.Abs(r.Silences[0].Start-2) > 0.05 || math.Abs(r.Silences[0].End-3.5) > 0.05 {
		t.Errorf("silences %+v", r.Silences)
	}
	if err := r.Check(Criteria{MaxSilence: 1}); err == nil {
		t.Error("a 1.5 s gap passed the silence check")
	}

	if _, err := Measure(ctx, filepath.Join(dir, "missing.wav"), Options{}); err == nil {
		t.Error("no error for a missing file")
	}
}

func FuzzParseReport(f *testing.F) {
	b, _ := os.ReadFile("testdata/ffmpeg_stderr.txt")
	f.Add(b)
	f.Add([]byte("silence_start: 1\nSummary:\n I: -inf LUFS\n Peak: inf dBFS\nsilence_end: 2"))
	f.Fuzz(func(t *testing.T, in []byte) {
		r, err := ParseReport(in)
		if err != nil {
			return
		}
		for _, s := range r.Silences {
			if math.IsNaN(s.Start) || math.IsNaN(s.End) {
				t.Fatalf("NaN silence %+v", s)
			}
		}
		if math.IsNaN(r.IntegratedLUFS) || math.IsNaN(r.TruePeakDBFS) {
			t.Fatalf("NaN levels %+v", r)
		}
	})
}
