package music

import (
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/music/acestep/acesteptest"
	"github.com/o2sound/o2sound/internal/music/audiocheck"
	"github.com/o2sound/o2sound/internal/music/musictest"
	"github.com/o2sound/o2sound/internal/music/score"
	"github.com/o2sound/o2sound/internal/songplan"
)

// needTools skips audio tests on machines without the renderers (the project's
// scripts/install-deps.sh installs them); under CI=true a missing one fails the run.
func needTools(t testing.TB) {
	t.Helper()
	missing := func(what string) {
		t.Helper()
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing (scripts/install-deps.sh installs it)", what)
		}
		t.Skipf("%s not installed", what)
	}
	for _, bin := range []string{"fluidsynth", "ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(bin); err != nil {
			missing(bin)
		}
	}
	if _, err := os.Stat(DefaultSoundFont); err != nil {
		missing("the General MIDI soundfont " + DefaultSoundFont)
	}
}

func measure(t *testing.T, path string) *audiocheck.Report {
	t.Helper()
	r, err := audiocheck.Measure(context.Background(), path, audiocheck.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestMakeSongFullCheck is the full acceptance check on a default 30 s song: every audio
// promise measured on the finished song.m4a, plus the files MakeSong leaves behind.
func TestMakeSongFullCheck(t *testing.T) {
	t.Parallel()
	needTools(t)
	p, l, _ := fixture(t, "cafe_ko", 1, 0)
	dir := t.TempDir()
	var mu sync.Mutex
	var fracs []float64
	song, err := MakeSong(context.Background(), p, l, dir, SongOptions{Seed: 1, Progress: func(f float64) {
		mu.Lock()
		fracs = append(fracs, f)
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	if song.Source != "builtin" || song.Retimed || song.FallbackReason != "" {
		t.Errorf("song %+v", song)
	}
	r := measure(t, song.AudioPath)
	t.Logf("30 s song: %.2f LUFS, true peak %.2f dBFS, %.3f s, %d Hz, %d ch, silences %v",
		r.IntegratedLUFS, r.TruePeakDBFS, r.Duration, r.SampleRate, r.Channels, r.Silences)
	if err := r.Check(audiocheck.Song(song.Plan.Duration)); err != nil {
		t.Error(err)
	}
	if math.Abs(song.Plan.Duration-30) > 1.5 {
		t.Errorf("plan duration %.2f", song.Plan.Duration)
	}
	saved, err := songplan.Load(song.PlanPath)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Duration != song.Plan.Duration || len(saved.Lines) != len(song.Plan.Lines) {
		t.Error("plan.json differs from the returned plan")
	}
	if mid, err := os.ReadFile(song.MIDIPath); err != nil || !strings.HasPrefix(string(mid), "MThd") {
		t.Errorf("song.mid: %v", err)
	}
	// Progress rises from 0 to 1 and never goes back.
	mu.Lock()
	defer mu.Unlock()
	if len(fracs) < 3 || fracs[len(fracs)-1] != 1 {
		t.Errorf("progress %v", fracs)
	}
	for i := 1; i < len(fracs); i++ {
		if fracs[i] < fracs[i-1] {
			t.Fatalf("progress went back: %v", fracs)
		}
	}
	// Nothing but the three files is left in the directory (temp files are cleaned up).
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("output dir holds %v", names)
	}
}

// TestRenderShortSongs renders 15 s songs of other genres, with and without the voice,
// and checks the audio promises on each.
func TestRenderShortSongs(t *testing.T) {
	t.Parallel()
	needTools(t)
	tests := []struct {
		fixture string
		voice   bool
	}{
		{"gym_ko", false},
		{"diner_en", true},
		{"bakery_ko", true},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			p, l, plan := fixture(t, tt.fixture, 2, 15*time.Second)
			mid, err := score.Compose(plan, l)
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "song.m4a")
			if err := Render(context.Background(), mid, plan, out, RenderOptions{Voice: tt.voice, Announce: NewAnnouncement(p)}); err != nil {
				t.Fatal(err)
			}
			r := measure(t, out)
			if err := r.Check(audiocheck.Song(plan.Duration)); err != nil {
				t.Errorf("%s (%s, voice %v): %v", tt.fixture, plan.Genre, tt.voice, err)
			}
		})
	}
}

// TestRenderEveryGenreLong renders a song in every genre, up to 90 s long, and checks the
// audio promises on each. It takes a minute and a half on two cores, so it runs only when
// O2SOUND_LONG_TESTS is set (the short renders above cover the pipeline on every run).
func TestRenderEveryGenreLong(t *testing.T) {
	t.Parallel()
	if os.Getenv("O2SOUND_LONG_TESTS") == "" {
		t.Skip("set O2SOUND_LONG_TESTS=1 to render every genre")
	}
	needTools(t)
	// Serial on purpose: each FluidSynth holds the 150 MB soundfont.
	for genre, s := range genreSongs(t) {
		t.Run(genre, func(t *testing.T) {
			mid, err := score.Compose(s.Plan, s.Lyrics)
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "song.m4a")
			if err := Render(context.Background(), mid, s.Plan, out, RenderOptions{}); err != nil {
				t.Fatal(err)
			}
			r := measure(t, out)
			t.Logf("%.1fs: %.1f LUFS, true peak %.1f dBFS, LRA %.1f", s.Plan.Duration, r.IntegratedLUFS, r.TruePeakDBFS, r.LoudnessRange)
			if err := r.Check(audiocheck.Song(s.Plan.Duration)); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestRenderCancel(t *testing.T) {
	t.Parallel()
	needTools(t)
	_, l, plan := fixture(t, "yoga_en", 1, 0)
	mid, err := score.Compose(plan, l)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = Render(ctx, mid, plan, filepath.Join(dir, "song.m4a"), RenderOptions{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("cancel took %v", time.Since(start))
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("cancelled render left %d files", len(entries))
	}
}

func TestRenderErrors(t *testing.T) {
	t.Parallel()
	_, l, plan := fixture(t, "cafe_ko", 1, 0)
	mid, _ := score.Compose(plan, l)
	dir := t.TempDir()
	tests := []struct {
		name string
		midi []byte
		plan *songplan.Plan
		opts RenderOptions
		want string
	}{
		{"no midi", nil, plan, RenderOptions{}, "empty MIDI"},
		{"no plan", mid, nil, RenderOptions{}, "no duration"},
		{"missing soundfont", mid, plan, RenderOptions{SoundFont: filepath.Join(dir, "none.sf2")}, "soundfont"},
		{"missing synth", mid, plan, RenderOptions{FluidSynth: filepath.Join(dir, "no-fluidsynth")}, "fluidsynth"},
	}
	for _, tt := range tests {
		err := Render(context.Background(), tt.midi, tt.plan, filepath.Join(dir, "x.m4a"), tt.opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}

// TestMakeSongACEStep uses a local server following ACE-Step's documented API whose
// "model" returns a song of a different length and tempo than planned; the plan must be
// re-timed to the real audio.
func TestMakeSongACEStep(t *testing.T) {
	t.Parallel()
	needTools(t)
	srv := acesteptest.NewServer(acesteptest.Options{APIKey: "k", Polls: 1, AudioSeconds: 17.3, BPM: 120})
	defer srv.Close()
	p, l, _ := fixture(t, "cafe_ko", 4, 15*time.Second)
	dir := t.TempDir()
	prov := NewACEStep(ACEStepConfig{BaseURL: srv.URL, APIKey: "k", PollInterval: 10 * time.Millisecond, Timeout: 20 * time.Second})
	song, err := MakeSong(context.Background(), p, l, dir, SongOptions{Seed: 4, Target: 15 * time.Second, Provider: prov})
	if err != nil {
		t.Fatal(err)
	}
	if song.Source != "acestep" || !song.Retimed || song.FallbackReason != "" {
		t.Fatalf("song %+v", song)
	}
	if math.Abs(song.Plan.Duration-17.3) > 0.001 || song.Plan.Tempo != 120 {
		t.Errorf("retimed plan: %.3fs at %d bpm", song.Plan.Duration, song.Plan.Tempo)
	}
	musictest.CheckRetimed(t, song.Plan)
	r := measure(t, song.AudioPath)
	if err := r.Check(audiocheck.Song(song.Plan.Duration)); err != nil {
		t.Error(err)
	}
	saved, err := songplan.Load(song.PlanPath)
	if err != nil || saved.Duration != song.Plan.Duration {
		t.Errorf("plan.json not re-timed: %v", err)
	}
	// What the model was asked for follows the plan.
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	req := reqs[0]
	lyricsSent, _ := req["lyrics"].(string)
	if req["vocal_language"] != "ko" || req["time_signature"] != "4" || !strings.Contains(lyricsSent, "[Chorus]") ||
		!strings.Contains(lyricsSent, "블루문") || !strings.Contains(req["prompt"].(string), "Korean") {
		t.Errorf("request %v", req)
	}
}

// TestMakeSongACEStepFallback: on every kind of provider failure the built-in song is made
// and the reason recorded.
func TestMakeSongACEStepFallback(t *testing.T) {
	t.Parallel()
	needTools(t)
	tests := []struct {
		name    string
		opts    acesteptest.Options
		timeout time.Duration
		want    string
	}{
		{"server error", acesteptest.Options{Mode: acesteptest.FailSubmit}, 10 * time.Second, "status 500"},
		{"task failed", acesteptest.Options{Mode: acesteptest.FailTask}, 10 * time.Second, "failed"},
		{"timeout", acesteptest.Options{Mode: acesteptest.Hang}, 300 * time.Millisecond, "deadline exceeded"},
		{"not audio", acesteptest.Options{Mode: acesteptest.BadAudio}, 10 * time.Second, "bad audio"},
		{"far too short", acesteptest.Options{AudioSeconds: 4}, 10 * time.Second, "bad audio: 4.0s long"},
		{"silent", acesteptest.Options{Audio: silentWAV(16)}, 10 * time.Second, "bad audio"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := acesteptest.NewServer(tt.opts)
			defer srv.Close()
			p, l, _ := fixture(t, "diner_en", 5, 15*time.Second)
			prov := NewACEStep(ACEStepConfig{BaseURL: srv.URL, PollInterval: 10 * time.Millisecond, Timeout: tt.timeout})
			song, err := MakeSong(context.Background(), p, l, t.TempDir(), SongOptions{Seed: 5, Target: 15 * time.Second, Provider: prov})
			if err != nil {
				t.Fatal(err)
			}
			if song.Source != "builtin" || song.Retimed || !strings.Contains(song.FallbackReason, tt.want) {
				t.Fatalf("source %q retimed %v reason %q, want %q", song.Source, song.Retimed, song.FallbackReason, tt.want)
			}
			// The fallback song is the planned one, and its file is exactly that long.
			r := measure(t, song.AudioPath)
			if math.Abs(r.Duration-song.Plan.Duration) > 0.02 || r.Codec != "aac" {
				t.Errorf("fallback audio %.3fs %s for a %.3fs plan", r.Duration, r.Codec, song.Plan.Duration)
			}
		})
	}
}

// silentWAV is a valid WAV of digital silence: audio that decodes but is not a song.
func silentWAV(seconds float64) []byte {
	b := acesteptest.SongWAV(seconds, 44100)
	for i := 44; i < len(b); i++ {
		b[i] = 0
	}
	return b
}

func TestNewAnnouncement(t *testing.T) {
	t.Parallel()
	a := NewAnnouncement(musictest.Profile(t, "cafe_ko"))
	if a.Language != "ko" || a.Intro != "카페 블루문. 아늑한 골목 카페" || a.Outro != "카페 블루문. 문의, 0 2, 1 2 3 4, 5 6 7 8" {
		t.Errorf("%+v", a)
	}
	a = NewAnnouncement(musictest.Profile(t, "yoga_en"))
	if a.Language != "en" || a.Intro != "Still Water Yoga" || a.Outro != "Still Water Yoga. stillwater dot yoga" {
		t.Errorf("%+v", a)
	}
}

// BenchmarkSongStage is the whole built-in song stage for a 30 s song: compose, render with
// FluidSynth, measure, normalise and encode to AAC (and the verifying measurement).
func BenchmarkSongStage(b *testing.B) {
	needTools(b)
	_, l, plan := fixture(b, "cafe_ko", 1, 30*time.Second)
	dir := b.TempDir()
	for b.Loop() {
		mid, err := score.Compose(plan, l)
		if err != nil {
			b.Fatal(err)
		}
		if err := Render(context.Background(), mid, plan, filepath.Join(dir, "song.m4a"), RenderOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(plan.Duration, "song-s")
}
