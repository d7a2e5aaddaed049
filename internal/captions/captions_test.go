package captions

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/o2sound/o2sound/internal/songplan"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func plan(duration float64, lines ...songplan.Line) *songplan.Plan {
	return &songplan.Plan{Tempo: 120, BeatsPerBar: 4, Duration: duration, Lines: lines,
		Bars: []songplan.Bar{{Start: 0}}}
}

func line(text string, start, end float64) songplan.Line {
	return songplan.Line{Text: text, Start: start, End: end}
}

func TestFromPlan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		plan *songplan.Plan
		want []Cue
	}{
		{"nil plan", nil, []Cue{}},
		{"no lines", plan(10), []Cue{}},
		{"in order, apart", plan(10, line("하나", 1, 2.5), line("둘", 3, 4.25)),
			[]Cue{{1, 2.5, "하나"}, {3, 4.25, "둘"}}},
		{"sorted by start", plan(10, line("둘", 3, 4), line("하나", 1, 2)),
			[]Cue{{1, 2, "하나"}, {3, 4, "둘"}}},
		{"empty and blank lines left out", plan(10, line("", 1, 2), line("  \n ", 2, 3), line("셋", 3, 4)),
			[]Cue{{3, 4, "셋"}}},
		{"text cleaned", plan(10, line("  첫 줄 \r\n\r\n 둘째 줄\r", 1, 2), line("bad \xff byte", 3, 4)),
			[]Cue{{1, 2, "첫 줄\n둘째 줄"}, {3, 4, "bad \uFFFD byte"}}},
		{"overlap trims the earlier", plan(10, line("a", 1, 3), line("b", 2, 4)),
			[]Cue{{1, 2, "a"}, {2, 4, "b"}}},
		{"overlap leaving too little joins", plan(10, line("a", 1, 3), line("b", 1.2, 4)),
			[]Cue{{1, 4, "a\nb"}}},
		{"same start joins", plan(10, line("a", 1, 2), line("b", 1, 3)),
			[]Cue{{1, 3, "a\nb"}}},
		{"a repeated line over itself is one", plan(10, line("la la", 1, 2), line("la la", 1.1, 2.5)),
			[]Cue{{1, 2.5, "la la"}}},
		{"nested cue keeps the outer's start", plan(10, line("a", 1, 5), line("b", 2, 3)),
			[]Cue{{1, 2, "a"}, {2, 3, "b"}}},
		{"short lengthened into silence", plan(10, line("a", 1, 1.1), line("b", 3, 4)),
			[]Cue{{1, 1.3, "a"}, {3, 4, "b"}}},
		{"short lengthened up to the next", plan(10, line("a", 1, 1.05), line("b", 1.2, 2), line("c", 5, 6)),
			// a can only reach 1.2, so it joins b (its nearest neighbour).
			[]Cue{{1, 2, "a\nb"}, {5, 6, "c"}}},
		{"short joins the nearer previous", plan(10, line("a", 1, 2), line("b", 2.02, 2.12), line("c", 2.2, 3)),
			[]Cue{{1, 2.2, "a\nb"}, {2.2, 3, "c"}}},
		{"short joins the nearer next", plan(10, line("a", 1, 2), line("b", 2.1, 2.15), line("c", 2.2, 3)),
			[]Cue{{1, 2, "a"}, {2.1, 3, "b\nc"}}},
		{"clipped to the song", plan(5, line("a", -1, 1), line("b", 4, 9), line("c", 6, 7)),
			[]Cue{{0, 1, "a"}, {4, 5, "b"}}},
		{"short at the very end joins the previous", plan(5, line("a", 3, 4.8), line("b", 4.9, 5.5)),
			[]Cue{{3, 5, "a\nb"}}},
		{"only cue in a tiny song kept", plan(0.2, line("a", 0, 1)),
			[]Cue{{0, 0.2, "a"}}},
		{"times rounded to milliseconds", plan(10, line("a", 1.00049, 2.0006)),
			[]Cue{{1, 2.001, "a"}}},
		{"no duration: no clipping at the end", plan(0, line("a", 100, 103)),
			[]Cue{{100, 103, "a"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := FromPlan(tt.plan)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FromPlan =\n%#v\nwant\n%#v", got, tt.want)
			}
			checkWellFormed(t, got)
		})
	}
}

// checkWellFormed asserts FromPlan's promises: in order, no overlap, none too short
// (unless the whole song is), text without empty lines.
func checkWellFormed(t *testing.T, cues []Cue) {
	t.Helper()
	for i, c := range cues {
		if c.End-c.Start < MinCueSeconds-1e-9 && len(cues) > 1 {
			t.Errorf("cue %d %v lasts under %v s", i, c, MinCueSeconds)
		}
		if i > 0 && cues[i-1].End > c.Start+1e-9 {
			t.Errorf("cue %d %v overlaps %v", i, c, cues[i-1])
		}
		if strings.Contains(c.Text, "\n\n") || strings.HasPrefix(c.Text, "\n") || strings.HasSuffix(c.Text, "\n") || c.Text == "" {
			t.Errorf("cue %d text %q", i, c.Text)
		}
	}
}

// FuzzFromPlan: whatever the plan's lines, the cues are well formed, every sung word
// inside the song is kept, and the files written from them read back the same.
func FuzzFromPlan(f *testing.F) {
	f.Add(10.0, "a", 1.0, 2.0, "b", 1.5, 1.6, "c", 1.61, 1.7)
	f.Add(3.0, "x", 2.9, 3.5, "y", 0.0, 0.1, "", 1.0, 1.0)
	f.Add(0.0, "<&>", -5.0, 1.0, "-->", 0.5, 0.55, "\n\n", 0.1, 0.2)
	f.Fuzz(func(t *testing.T, dur float64, t1 string, s1, e1 float64, t2 string, s2, e2 float64, t3 string, s3, e3 float64) {
		for _, v := range []float64{dur, s1, e1, s2, e2, s3, e3} {
			if v < -1e6 || v > 1e6 || v != v {
				return // out of any song's range; FromPlan clips, but the sums below overflow
			}
		}
		p := plan(dur, line(t1, s1, e1), line(t2, s2, e2), line(t3, s3, e3))
		cues := FromPlan(p)
		checkWellFormed(t, cues)
		if len(cues) == 0 {
			return
		}
		vtt, err := FormatVTT(cues)
		if err != nil {
			t.Fatalf("FormatVTT(%v): %v", cues, err)
		}
		back, err := ParseVTT(bytes.NewReader(vtt))
		if err != nil {
			t.Fatalf("ParseVTT of our own file: %v\n%s", err, vtt)
		}
		if !reflect.DeepEqual(back, cues) {
			t.Errorf("read back %#v, wrote %#v", back, cues)
		}
	})
}

func TestTimestamp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ms       int64
		vtt, srt string
	}{
		{0, "00:00:00.000", "00:00:00,000"},
		{1500, "00:00:01.500", "00:00:01,500"},
		{61001, "00:01:01.001", "00:01:01,001"},
		{3599999, "00:59:59.999", "00:59:59,999"},
		{3600000, "01:00:00.000", "01:00:00,000"},
		{100 * 3600000, "100:00:00.000", "100:00:00,000"},
	}
	for _, tt := range tests {
		if got := timestamp(tt.ms, '.'); got != tt.vtt {
			t.Errorf("vtt %d = %q, want %q", tt.ms, got, tt.vtt)
		}
		if got := timestamp(tt.ms, ','); got != tt.srt {
			t.Errorf("srt %d = %q, want %q", tt.ms, got, tt.srt)
		}
	}
}

// goldenPlan is a song's worth of lines with everything a writer must get right:
// Hangul, markup-like text, an overlap, a short line and a line past the end.
func goldenPlan() *songplan.Plan {
	return plan(30,
		line("카페 블루문에서 만나요", 2, 4.5),
		line("Fish & chips <3 --> forever", 4.25, 7),
		line("짧게", 7.5, 7.55),
		line("오늘도 커피 한 잔 ☕", 9, 12.125),
		line("  두 줄로\n 부르는 노래  ", 12.125, 16),
		line("끝나지 않는 노래", 28, 35),
	)
}

func TestWriteGolden(t *testing.T) {
	t.Parallel()
	cues := FromPlan(goldenPlan())
	dir := t.TempDir()
	for _, tc := range []struct {
		name  string
		write func(string, []Cue) error
	}{{"song.vtt", WriteVTT}, {"song.srt", WriteSRT}} {
		path := filepath.Join(dir, tc.name)
		if err := tc.write(path, cues); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "golden", tc.name)
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s:\n%s", tc.name, golden, got)
		}
		if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o644 {
			t.Errorf("%s mode %v, %v", tc.name, st.Mode(), err)
		}
	}
	// Nothing but the two files: the temporary files were renamed, not left behind.
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("directory holds %d entries", len(ents))
	}
	// The VTT reads back exactly; the markup-like line is text, not markup.
	f, err := os.Open(filepath.Join(dir, "song.vtt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	back, err := ParseVTT(f)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, cues) {
		t.Errorf("read back\n%#v\nwrote\n%#v", back, cues)
	}
	if cues[1].Text != "Fish & chips <3 --> forever" {
		t.Errorf("cue 2 %q", cues[1].Text)
	}
}

func TestWriteRefusesBadCues(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := map[string][]Cue{
		"ends before start": {{Start: 2, End: 1, Text: "a"}},
		"zero length":       {{Start: 2, End: 2.0001, Text: "a"}},
		"negative":          {{Start: -1, End: 1, Text: "a"}},
		"not a number":      {{Start: 0, End: nan(), Text: "a"}},
		"far too long":      {{Start: 0, End: 1e12, Text: "a"}},
	}
	for name, cues := range tests {
		for _, w := range []func(string, []Cue) error{WriteVTT, WriteSRT} {
			path := filepath.Join(dir, "out")
			if err := w(path, cues); !errors.Is(err, ErrBadCue) {
				t.Errorf("%s: err = %v, want ErrBadCue", name, err)
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("%s: a file was written", name)
			}
		}
	}
	if err := WriteVTT(filepath.Join(dir, "missing", "x.vtt"), nil); err == nil || !strings.HasPrefix(err.Error(), "captions: ") {
		t.Errorf("missing directory: err = %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("left behind %v", ents)
	}
}

func nan() float64 {
	var z float64
	return z / z
}

func TestEmptyFiles(t *testing.T) {
	t.Parallel()
	vtt, err := FormatVTT(nil)
	if err != nil || string(vtt) != "WEBVTT\n" {
		t.Errorf("empty VTT %q, %v", vtt, err)
	}
	srt, err := FormatSRT(nil)
	if err != nil || len(srt) != 0 {
		t.Errorf("empty SRT %q, %v", srt, err)
	}
	cues, err := ParseVTT(bytes.NewReader(vtt))
	if err != nil || len(cues) != 0 || cues == nil {
		t.Errorf("parse empty: %#v, %v", cues, err)
	}
}
