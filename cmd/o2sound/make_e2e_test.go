package main

import (
	"context"
	"encoding/json"
	"math"
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
	if !v || !a {
		t.Fatalf("result: %+v", info)
	}
	// The length asked for is the video's length (it used to be up to a bar longer:
	// 17.6 s for "15 s"): within half a second, the planner's bound, plus a frame.
	if off := math.Abs(info.Duration - 15); off > 0.5+1.0/30 {
		t.Errorf("a 15 s video lasts %.3fs", info.Duration)
	}
	for _, s := range info.Streams {
		if math.Abs(s.Duration-info.Duration) > 0.05 {
			t.Errorf("%s stream lasts %.3fs of %.3fs", s.CodecType, s.Duration, info.Duration)
		}
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

// TestMakeReviewThenDraft stops "make" at the draft, edits it as an owner would (a
// name, a chorus line, fewer photos, another tempo) and renders from it.
func TestMakeReviewThenDraft(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "cafe.mp4")
	run := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append([]string{"make"}, args...)...)
		cmd.Env = append(os.Environ(), "VIDEO_SCALE=0.25", "DATA_DIR="+t.TempDir())
		output, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("o2sound make %v: %v\n%s", args, err, output)
		}
		return string(output)
	}
	run("-review", "../../examples/cafe", "-o", out, "-duration", "15s")
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("-review rendered a video")
	}
	draftPath := filepath.Join(dir, "draft.json")
	raw, err := os.ReadFile(draftPath)
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]any
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	photos := d["photos"].([]any)
	if len(photos) < 3 || d["facts"].(map[string]any)["name"] != "카페 하늘숲" {
		t.Fatalf("draft: %s", raw)
	}
	const line = "하늘숲에서 쉬어 가요"
	d["facts"].(map[string]any)["name"] = "카페 하늘숲 삼청점"
	d["photos"] = photos[:3]
	d["style"].(map[string]any)["tempo"] = 150
	for _, s := range d["lyrics"].(map[string]any)["sections"].([]any) {
		if sec := s.(map[string]any); sec["name"] == "chorus" {
			sec["lines"].([]any)[1] = line
		}
	}
	raw, _ = json.Marshal(d)
	os.WriteFile(draftPath, raw, 0o644)
	summary := run("-draft", draftPath, "-o", out)
	if !strings.Contains(summary, "카페 하늘숲 삼청점 홍보 영상") {
		t.Fatalf("summary: %s", summary)
	}
	if st, err := os.Stat(out); err != nil || st.Size() < 10_000 {
		t.Fatalf("no video: %v", err)
	}

	// A broken edit is refused with the field named, and nothing is written.
	d["lyrics"].(map[string]any)["sections"].([]any)[0].(map[string]any)["lines"].([]any)[0] = "{name} 최고"
	raw, _ = json.Marshal(d)
	os.WriteFile(draftPath, raw, 0o644)
	cmd := exec.Command(bin, "make", "-draft", draftPath, "-o", filepath.Join(dir, "bad.mp4"))
	cmd.Env = append(os.Environ(), "DATA_DIR="+t.TempDir())
	output, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(output), "lyrics.sections[0].lines[0]") {
		t.Fatalf("a broken draft: %v\n%s", err, output)
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.mp4")); !os.IsNotExist(err) {
		t.Fatal("a refused draft wrote a video")
	}
}

// TestMakeWritesOnlyItsOutput runs "o2sound make" from a read-only working directory
// with a private temp dir: afterwards the output's folder holds the video and its
// thumbnail, and nothing else anywhere changed (no session key, no data directory).
func TestMakeWritesOnlyItsOutput(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	work, tmp, outDir := t.TempDir(), t.TempDir(), t.TempDir()
	site, err := filepath.Abs("../../examples/cafe")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(work, 0o555); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "make", site, "-o", filepath.Join(outDir, "cafe.mp4"), "-duration", "15s")
	cmd.Dir = work
	env := []string{"VIDEO_SCALE=0.25", "TMPDIR=" + tmp}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TMPDIR=") && !strings.HasPrefix(kv, "DATA_DIR=") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("o2sound make: %v\n%s", err, out)
	}
	list := func(dir string) []string {
		var names []string
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && p != dir {
				rel, _ := filepath.Rel(dir, p)
				names = append(names, rel)
			}
			return nil
		})
		return names
	}
	if got := list(work); len(got) != 0 {
		t.Errorf("make wrote into its working directory: %v", got)
	}
	if got := list(tmp); len(got) != 0 {
		t.Errorf("make left files in the temp dir: %v", got)
	}
	if got := strings.Join(list(outDir), " "); got != "cafe.jpg cafe.mp4" {
		t.Errorf("output folder holds %q, want the video and its thumbnail", got)
	}
}
