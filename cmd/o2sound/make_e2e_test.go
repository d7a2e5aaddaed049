package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/ffmpeg"
)

// TestMakeFromExampleSite runs "o2sound make" on the bundled example site, as the
// README's quick start does (smaller and shorter, to keep the suite quick), and checks
// the MP4 it writes.
func TestMakeFromExampleSite(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	out := filepath.Join(t.TempDir(), "cafe.mp4")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "make", "../../examples/cafe", "-o", out, "-aspect", "9:16", "-duration", "15s")
	cmd.Env = append(os.Environ(), "VIDEO_SCALE=0.25", "DATA_DIR="+t.TempDir())
	output, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("o2sound make: %v\n%s", err, output)
	}
	// Not a terminal: one plain line per stage and quarter, ending with the summary.
	for _, want := range []string{"metadata  100%", "video     100%", "combined  100%", "카페 하늘숲 홍보 영상"} {
		if !strings.Contains(string(output), want) {
			t.Errorf("output lacks %q:\n%s", want, output)
		}
	}
	info, err := ffmpeg.Probe(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	var v, a bool
	for _, s := range info.Streams {
		switch s.CodecType {
		case "video":
			v = s.CodecName == "h264" && s.Width == 270 && s.Height == 480
		case "audio":
			a = s.CodecName == "aac"
		}
	}
	if !v || !a || info.Duration < 14 || info.Duration > 16.5 {
		t.Fatalf("result: %+v", info)
	}
	for _, p := range []string{out, strings.TrimSuffix(out, ".mp4") + ".jpg"} {
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm() != 0o644 {
			t.Errorf("%s: %v %v", p, err, st)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".o2sound-make-*")); len(left) > 0 {
		t.Fatalf("work directory left behind: %v", left)
	}
}
