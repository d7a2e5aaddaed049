package ffmpeg

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseProbe(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("testdata", "probe.json"))
	if err != nil {
		t.Fatal(err)
	}
	info, err := ParseProbe(b)
	if err != nil {
		t.Fatal(err)
	}
	if info.FormatName != "mov,mp4,m4a,3gp,3g2,mj2" || info.Duration != 6.016 || info.Size != 123456 {
		t.Errorf("format %+v", info)
	}
	if info.Tags["comment"] != "o2sound:thumbnail=1.5" || info.Tags["encoder"] == "" {
		t.Errorf("tags %v", info.Tags)
	}
	v, ok := info.Video()
	want := Stream{Index: 0, CodecType: "video", CodecName: "h264", Profile: "High", PixFmt: "yuv420p",
		Width: 480, Height: 270, FrameRate: 30, NbFrames: 180, Duration: 6}
	if !ok || v != want {
		t.Errorf("video\n got %+v\nwant %+v", v, want)
	}
	a, ok := info.Audio()
	wantA := Stream{Index: 1, CodecType: "audio", CodecName: "aac", Profile: "LC", SampleRate: 44100, Channels: 2, NbFrames: 259, Duration: 6.013}
	if !ok || a != wantA {
		t.Errorf("audio\n got %+v\nwant %+v", a, wantA)
	}
}

func TestParseProbeRejects(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "{", "{}", `{"format":{},"streams":[]}`} {
		if _, err := ParseProbe([]byte(in)); err == nil {
			t.Errorf("ParseProbe(%q) = nil error", in)
		}
	}
}

func TestParseRate(t *testing.T) {
	t.Parallel()
	tests := map[string]float64{"30/1": 30, "30000/1001": 30000.0 / 1001, "0/0": 0, "25": 25, "N/A": 0, "x/y": 0}
	for in, want := range tests {
		if got := parseRate(in); got != want {
			t.Errorf("parseRate(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestProbeErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := Probe(context.Background(), filepath.Join(dir, "none.mp4")); err == nil {
		t.Error("missing file: nil error")
	}
	empty := filepath.Join(dir, "empty.mp4")
	os.WriteFile(empty, nil, 0o644)
	if _, err := Probe(context.Background(), empty); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty file: %v", err)
	}
	junk := filepath.Join(dir, "junk.mp4")
	os.WriteFile(junk, []byte("this is not a video"), 0o644)
	if _, err := Probe(context.Background(), junk); err == nil || !strings.Contains(err.Error(), "ffprobe") {
		t.Errorf("junk file: %v", err)
	}
}

func FuzzParseProbe(f *testing.F) {
	b, _ := os.ReadFile(filepath.Join("testdata", "probe.json"))
	f.Add(b)
	f.Add([]byte(`{"streams":[{"avg_frame_rate":"1/0","nb_frames":"1e400"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := ParseProbe(data)
		if err != nil {
			return
		}
		for _, s := range info.Streams {
			if s.FrameRate < 0 || s.Duration < 0 || s.NbFrames < 0 {
				t.Fatalf("negative number in %+v", s)
			}
		}
	})
}
