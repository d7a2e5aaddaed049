package ffmpeg

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// testClip builds arguments for a short H.264 + AAC clip from lavfi sources.
func testClip(seconds float64, extra ...Option) func(tmp string) ([]string, error) {
	return func(tmp string) ([]string, error) {
		return New().
			InputLavfi("testsrc2=s=160x90:r=30", Duration(seconds)).
			InputLavfi("sine=f=440:r=48000", Duration(seconds)).
			OutputOptions(VideoCodec("libx264"), Preset("ultrafast"), PixFmt("yuv420p"), AudioCodec("aac")).
			OutputOptions(extra...).
			Output(tmp).Build()
	}
}

func TestProduceWritesCheckedFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "clip.mp4")
	var mu sync.Mutex
	var fracs []float64
	opts := RunOptions{Timeout: 30 * time.Second, Duration: 2, Progress: func(f float64) {
		mu.Lock()
		fracs = append(fracs, f)
		mu.Unlock()
	}}
	want := Expect{Video: true, Audio: true, VideoCodec: "h264", AudioCodec: "aac", Width: 160, Height: 90,
		Duration: 2, Tolerance: 0.05, FastStart: true, PixFmt: "yuv420p",
		Also: func(info *Info) error {
			if len(info.Streams) != 2 {
				return fmt.Errorf("%d streams", len(info.Streams))
			}
			return nil
		}}
	info, err := Produce(context.Background(), out, testClip(2, Opt("movflags", "+faststart")), opts, want)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := info.Video()
	if v.FrameRate != 30 || v.PixFmt != "yuv420p" || v.NbFrames != 60 {
		t.Errorf("video stream %+v", v)
	}
	a, _ := info.Audio()
	if a.SampleRate != 48000 || a.Channels != 1 {
		t.Errorf("audio stream %+v", a)
	}
	if len(fracs) == 0 || fracs[len(fracs)-1] != 1 {
		t.Errorf("progress %v, want it to end at 1", fracs)
	}
	for i := 1; i < len(fracs); i++ {
		if fracs[i] <= fracs[i-1] || fracs[i] > 1 {
			t.Errorf("progress not increasing within [0,1]: %v", fracs)
		}
	}
	assertOnly(t, dir, "clip.mp4")
}

func TestProduceFailedCheckLeavesNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "clip.mp4")
	_, err := Produce(context.Background(), out, testClip(1), RunOptions{}, Expect{Video: true, Width: 1920})
	if err == nil || !strings.Contains(err.Error(), "160x90") {
		t.Fatalf("err = %v, want a size mismatch", err)
	}
	_, err = Produce(context.Background(), out, testClip(1), RunOptions{}, Expect{Profile: "High"})
	// ultrafast turns off CABAC and B-frames, so x264 signals a baseline profile.
	if err == nil || !strings.Contains(err.Error(), `want "High"`) {
		t.Fatalf("err = %v, want a profile mismatch", err)
	}
	_, err = Produce(context.Background(), out, testClip(1), RunOptions{}, Expect{Also: func(*Info) error { return errors.New("refused") }})
	if err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("err = %v, want the Also refusal", err)
	}
	// Without +faststart, the mp4 muxer writes moov at the end.
	_, err = Produce(context.Background(), out, testClip(1), RunOptions{}, Expect{FastStart: true})
	if err == nil || !strings.Contains(err.Error(), "moov after mdat") {
		t.Fatalf("err = %v, want moov after mdat", err)
	}
	assertOnly(t, dir)
}

func TestProducePanicRemovesTemp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	func() {
		defer func() {
			if recover() == nil {
				t.Error("no panic")
			}
		}()
		Produce(context.Background(), filepath.Join(dir, "x.mp4"), func(string) ([]string, error) { panic("boom") }, RunOptions{}, Expect{})
	}()
	assertOnly(t, dir)
}

func TestRunCancelKillsProcess(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pids := make(chan int, 1)
	started := make(chan struct{})
	var once sync.Once
	// -re paces the source at realtime so the run would last a minute if not cancelled.
	build := func(tmp string) ([]string, error) {
		return New().InputLavfi("testsrc2=s=160x90:r=30", Flag("re"), Duration(60)).
			OutputOptions(VideoCodec("libx264"), Preset("ultrafast")).Output(tmp).Build()
	}
	opts := RunOptions{
		Duration: 60,
		OnStart:  func(pid int) { pids <- pid },
		Progress: func(float64) { once.Do(func() { close(started) }) },
	}
	done := make(chan error, 1)
	go func() {
		_, err := Produce(ctx, filepath.Join(dir, "long.mp4"), build, opts, Expect{})
		done <- err
	}()
	select {
	case <-started:
	case <-time.After(20 * time.Second):
		t.Fatal("ffmpeg never reported progress")
	}
	pid := <-pids
	cancel()
	at := time.Now()
	var err error
	select {
	case err = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Produce did not return after cancel")
	}
	if d := time.Since(at); d > time.Second {
		t.Errorf("returned %v after cancel, want < 1s", d)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("ffmpeg pid %d still exists after cancel (kill 0: %v)", pid, err)
	}
	assertOnly(t, dir)
}

func TestRunTimeout(t *testing.T) {
	t.Parallel()
	args, err := New().InputLavfi("testsrc2=s=64x64:r=30", Flag("re"), Duration(60)).
		OutputOptions(Format("null")).Output(os.DevNull).Build()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = Run(context.Background(), args, RunOptions{Timeout: 300 * time.Millisecond})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want deadline exceeded", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestRunFailureHasStderrTail(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.wav")
	args, err := New().Input(missing).Output(filepath.Join(dir, "o.mp4")).Build()
	if err != nil {
		t.Fatal(err)
	}
	err = Run(context.Background(), args, RunOptions{})
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v (%T), want *Error", err, err)
	}
	if !strings.Contains(fe.Stderr, "No such file or directory") || !strings.Contains(err.Error(), "missing.wav") {
		t.Errorf("error lacks the stderr reason: %v", err)
	}
	if !strings.Contains(err.Error(), "exit status 1") {
		t.Errorf("error lacks exit status: %v", err)
	}

	err = Run(context.Background(), args, RunOptions{Bin: filepath.Join(dir, "no-ffmpeg")})
	if !errors.As(err, &fe) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing binary: err = %v", err)
	}
}

func TestRunStdinRawFrames(t *testing.T) {
	t.Parallel()
	const w, h, n = 32, 16, 10
	frame := bytes.Repeat([]byte{128}, w*h*3/2)
	raw := bytes.Repeat(frame, n)
	out := filepath.Join(t.TempDir(), "raw.mkv")
	info, err := Produce(context.Background(), out, func(tmp string) ([]string, error) {
		return New().InputPipe(Format("rawvideo"), PixFmt("yuv420p"), Size(w, h), FrameRate(30)).
			OutputOptions(VideoCodec("libx264"), Preset("ultrafast")).Output(tmp).Build()
	}, RunOptions{Stdin: bytes.NewReader(raw)}, Expect{Video: true, Width: w, Height: h})
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Duration; got < 0.3 || got > 0.4 {
		t.Errorf("duration %v, want ~0.333", got)
	}
}

func TestTailBuffer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		writes []string
		max    int
		want   string
	}{
		{"fits", []string{"ab", "cd"}, 8, "abcd"},
		{"cut to line", []string{"line1\nline2\n", "line3\n"}, 14, "…line2\nline3\n"},
		{"one big write", []string{"0123456789\nxyz"}, 5, "…xyz"},
		{"cut mid line without newline", []string{"abcdefgh"}, 4, "…efgh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := &tailBuffer{max: tt.max}
			for _, w := range tt.writes {
				b.Write([]byte(w))
			}
			if got := b.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if len(b.buf) > tt.max {
				t.Errorf("kept %d bytes, max %d", len(b.buf), tt.max)
			}
		})
	}
}

// assertOnly fails unless dir holds exactly the named files (no temp leftovers).
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("dir holds %q, want %q", got, names)
	}
}
