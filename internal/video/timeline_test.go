package video

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/o2sound/o2sound/internal/songplan"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// checkTimeline asserts the invariants every slideshow relies on.
func checkTimeline(t *testing.T, p *songplan.Plan, tl timeline) {
	t.Helper()
	total := int(math.Round(p.Duration * fps))
	if tl.frames != total {
		t.Fatalf("frames %d, want %d", tl.frames, total)
	}
	barFrames := map[int]bool{}
	for _, b := range p.Bars {
		barFrames[int(math.Round(b.Start*fps))] = true
		if got := b.Start * fps; math.Abs(got-math.Round(got)) > 1e-6 {
			t.Fatalf("bar %d starts between frames (%v)", b.Index, got)
		}
	}
	if tl.shots[0].start != 0 || tl.shots[len(tl.shots)-1].end != total {
		t.Errorf("shots cover [%d, %d), want [0, %d)", tl.shots[0].start, tl.shots[len(tl.shots)-1].end, total)
	}
	for i, s := range tl.shots {
		if s.end <= s.start {
			t.Errorf("shot %d empty: %+v", i, s)
		}
		if i > 0 {
			if s.start != tl.shots[i-1].end {
				t.Errorf("shot %d starts at %d, previous ends at %d", i, s.start, tl.shots[i-1].end)
			}
			if !barFrames[s.start] {
				t.Errorf("cut at frame %d is not on a bar line", s.start)
			}
			prev := tl.shots[i-1]
			if 2*s.in.frames > s.end-s.start || 2*s.in.frames > prev.end-prev.start {
				t.Errorf("transition %v/%d longer than half a shot (%d, %d frames)", s.in.kind, s.in.frames, prev.end-prev.start, s.end-s.start)
			}
			if (s.in.kind == transCut) != (s.in.frames == 0) {
				t.Errorf("shot %d: transition %v with %d frames", i, s.in.kind, s.in.frames)
			}
		}
	}
	// Every section that starts inside the video starts a new shot.
	cuts := map[int]bool{0: true}
	for _, c := range tl.cuts() {
		cuts[c] = true
	}
	for _, sec := range p.Sections {
		if f := int(math.Round(p.Bars[sec.StartBar].Start * fps)); f < total && !cuts[f] {
			t.Errorf("section %s at frame %d is not a cut", sec.Name, f)
		}
	}
	for i, c := range tl.captions {
		if c.start < 0 || c.end > total || c.end <= c.start || (i > 0 && c.start < tl.captions[i-1].end) {
			t.Errorf("caption %d spans [%d, %d)", i, c.start, c.end)
		}
		l := p.Lines[c.line]
		if c.start != int(math.Round(l.Start*fps)) {
			t.Errorf("caption %d starts at %d, line sung at %v", i, c.start, l.Start)
		}
	}
	if tl.thumb < 0 || tl.thumb >= total {
		t.Errorf("thumbnail frame %d outside the video", tl.thumb)
	}
}

func TestTimelineCutsOnBars(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tempo, beats, bars, images int
	}{
		{120, 4, 4, 5}, {120, 4, 16, 8}, {120, 4, 15, 30}, {90, 4, 12, 6}, {100, 3, 20, 4},
		{150, 4, 24, 10}, {180, 4, 40, 3}, {60, 4, 8, 3}, {120, 4, 3, 3}, {120, 4, 2, 4},
		{120, 4, 1, 0}, {120, 4, 16, 0}, {120, 4, 16, 2}, {75, 3, 9, 1}, {200, 4, 64, 12},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%dbpm-%d/4-%dbars-%dimg", tt.tempo, tt.beats, tt.bars, tt.images), func(t *testing.T) {
			t.Parallel()
			p := testPlan(tt.tempo, tt.beats, tt.bars, "하나", "둘", "셋", "넷", "다섯")
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			tl := buildTimeline(timelineInput{plan: p, images: tt.images, infoCards: 2})
			checkTimeline(t, p, tl)
			for _, s := range tl.shots {
				if s.content.kind == contentImage && (s.content.index < 0 || s.content.index >= tt.images) {
					t.Errorf("shot shows image %d of %d", s.content.index, tt.images)
				}
				if s.content.kind == contentCard && s.content.index >= 2+2 {
					t.Errorf("shot shows card %d of 4", s.content.index)
				}
			}
			if tt.images >= 3 {
				for _, s := range tl.shots[1 : len(tl.shots)-1] {
					if s.content.kind != contentImage {
						t.Errorf("middle shot shows a card although there are %d images: %+v", tt.images, s)
					}
				}
			}
			if tt.images < 3 && len(tl.shots) > 2 {
				cards := 0
				for _, s := range tl.shots[1 : len(tl.shots)-1] {
					if s.content.kind == contentCard {
						cards++
					}
				}
				if cards == 0 {
					t.Error("few images but no fallback cards in the middle")
				}
			}
			if tt.images > 0 {
				s := tl.shots[tl.shotAt(tl.thumb)]
				if s.content.kind != contentImage || tl.thumb < s.start+s.in.frames {
					t.Errorf("thumbnail frame %d is not a clean image frame (shot %+v)", tl.thumb, s)
				}
			}
		})
	}
}

// TestTimelineGolden pins the layout of two typical songs so that changes to shot
// lengths, transitions or moves are deliberate (go test -run Golden -update).
func TestTimelineGolden(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		plan   *songplan.Plan
		images int
	}{
		{"120bpm-16bars", testPlan(120, 4, 16, "하나", "둘", "셋"), 6},
		{"90bpm-fewimages", testPlan(90, 4, 10, "Hello", "World"), 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tl := buildTimeline(timelineInput{plan: tt.plan, images: tt.images, infoCards: 2})
			var b strings.Builder
			fmt.Fprintf(&b, "frames %d thumb %d\n", tl.frames, tl.thumb)
			for _, s := range tl.shots {
				what := fmt.Sprintf("image %d", s.content.index)
				if s.content.kind == contentCard {
					what = fmt.Sprintf("card %d", s.content.index)
				}
				fmt.Fprintf(&b, "shot %4d-%4d %-8s in %-9s %2d frames, move %d\n", s.start, s.end, what, s.in.kind, s.in.frames, s.style)
			}
			for _, c := range tl.captions {
				fmt.Fprintf(&b, "caption %4d-%4d line %d\n", c.start, c.end, c.line)
			}
			path := filepath.Join("testdata", "timeline-"+tt.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if b.String() != string(want) {
				t.Errorf("timeline changed (rerun with -update if intended):\n%s\nwant:\n%s", b.String(), want)
			}
		})
	}
}

func TestShotAt(t *testing.T) {
	t.Parallel()
	tl := timeline{shots: []shot{{start: 0, end: 10}, {start: 10, end: 25}, {start: 25, end: 30}}}
	for f, want := range map[int]int{0: 0, 9: 0, 10: 1, 24: 1, 25: 2, 29: 2} {
		if got := tl.shotAt(f); got != want {
			t.Errorf("shotAt(%d) = %d, want %d", f, got, want)
		}
	}
}
