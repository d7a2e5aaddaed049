package video

import (
	"bytes"
	"context"
	"image"
	"math"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/o2sound/o2sound/internal/video/videotest"
)

var ptsTime = regexp.MustCompile(`pts_time:([0-9.]+)`)

// sceneChanges runs ffmpeg's scene detector over a video and returns the frame numbers
// where the picture changes abruptly.
func sceneChanges(t *testing.T, path string, threshold float64) []int {
	t.Helper()
	cmd := exec.Command("ffmpeg", "-hide_banner", "-nostdin", "-i", path,
		"-vf", "select='gt(scene,"+strconv.FormatFloat(threshold, 'f', 2, 64)+")',showinfo", "-f", "null", "-")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ffmpeg scene detection: %v\n%s", err, stderr.String())
	}
	var frames []int
	for _, m := range ptsTime.FindAllStringSubmatch(stderr.String(), -1) {
		sec, _ := strconv.ParseFloat(m[1], 64)
		frames = append(frames, int(math.Round(sec*fps)))
	}
	return frames
}

// TestCutsLandOnBars renders a fast song (hard cuts and pushes) and checks with ffmpeg's
// scene detection that every abrupt change happens inside a transition that starts on a
// bar line, and that every hard cut and push is seen there. (Dissolves and zooms are too
// gradual for the detector; the timeline checks cover them.)
func TestCutsLandOnBars(t *testing.T) {
	t.Parallel()
	imgs := testImages(t, image.Pt(800, 450), image.Pt(700, 700), image.Pt(900, 500), image.Pt(600, 800), image.Pt(1000, 560))
	plan := withSections(testPlan(180, 4, 16), 2, 8, 4, 2)
	plan.Seed = 3
	out := filepath.Join(t.TempDir(), "cuts.mp4")
	in := SlideshowInput{Images: imgs, Plan: plan, Profile: videotest.Bakery(), Aspect: Landscape, Scale: 0.2, Out: out}
	r, err := newRenderer(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.encode(context.Background(), out, nil, nil); err != nil {
		t.Fatal(err)
	}
	tl := r.tl
	checkTimeline(t, plan, tl)
	changes := sceneChanges(t, out, 0.1)
	if len(changes) == 0 {
		t.Fatal("scene detection found no cuts at all")
	}
	seen := map[int]bool{}
	for _, f := range changes {
		i := tl.shotAt(f)
		s := tl.shots[i]
		if i == 0 || f > s.start+s.in.frames {
			t.Errorf("picture changes at frame %d, outside any transition (shot %d: %d-%d, %v/%d)", f, i, s.start, s.end, s.in.kind, s.in.frames)
			continue
		}
		seen[s.start] = true
	}
	hard := 0
	for _, s := range tl.shots[1:] {
		t.Logf("cut at %d (%s, %d frames), detected %v", s.start, s.in.kind, s.in.frames, seen[s.start])
		if s.in.kind == transCut || s.in.kind == transPush {
			hard++
			if !seen[s.start] {
				t.Errorf("%s at frame %d not detected", s.in.kind, s.start)
			}
		}
	}
	if hard == 0 {
		t.Error("the test song has no hard cuts or pushes; pick another seed")
	}
}
