package score

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/lyrics"
	"github.com/o2sound/o2sound/internal/music/midi"
	"github.com/o2sound/o2sound/internal/music/musictest"
	"github.com/o2sound/o2sound/internal/songplan"
)

func TestComposeDeterministic(t *testing.T) {
	t.Parallel()
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, l1, p1 := fixture(t, name, 9, 0)
			_, l2, p2 := fixture(t, name, 9, 0)
			a, err := Compose(p1, l1)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Compose(p2, l2)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Fatal("same seed gave different MIDI bytes")
			}
			_, l3, p3 := fixture(t, name, 10, 0)
			c, err := Compose(p3, l3)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(a, c) {
				t.Error("seeds 9 and 10 gave identical MIDI")
			}
		})
	}
}

// noteOn is a decoded note with its channel, key, tick and length.
type noteOn struct {
	ch, key, vel int
	tick, dur    int64
}

func decodeNotes(t *testing.T, b []byte) (*midi.File, []noteOn, map[int64][]string) {
	t.Helper()
	f, err := midi.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	var notes []noteOn
	lyricAt := map[int64][]string{}
	for _, tr := range f.Tracks {
		open := map[[2]int]int{} // (ch, key) -> index in notes
		for _, e := range tr.Events {
			switch {
			case e.Status == 0xFF && e.Meta == midi.MetaLyric:
				lyricAt[e.Tick] = append(lyricAt[e.Tick], string(e.Data))
			case e.Kind() == 0x90 && e.Data[1] > 0:
				if _, ok := open[[2]int{e.Channel(), int(e.Data[0])}]; ok {
					// The earlier note's off would cut this one short in a synthesizer.
					t.Errorf("channel %d key %d struck at tick %d while still sounding", e.Channel()+1, e.Data[0], e.Tick)
				}
				open[[2]int{e.Channel(), int(e.Data[0])}] = len(notes)
				notes = append(notes, noteOn{ch: e.Channel(), key: int(e.Data[0]), vel: int(e.Data[1]), tick: e.Tick})
			case e.Kind() == 0x80 || (e.Kind() == 0x90 && e.Data[1] == 0):
				if i, ok := open[[2]int{e.Channel(), int(e.Data[0])}]; ok {
					notes[i].dur = e.Tick - notes[i].tick
					delete(open, [2]int{e.Channel(), int(e.Data[0])})
				}
			}
		}
		if len(open) > 0 {
			t.Errorf("%d notes never released", len(open))
		}
	}
	return f, notes, lyricAt
}

func TestComposeArrangement(t *testing.T) {
	t.Parallel()
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, l, plan := fixture(t, name, 1, 0)
			b, err := Compose(plan, l)
			if err != nil {
				t.Fatal(err)
			}
			checkComposition(t, plan, b)
		})
	}
}

// checkComposition decodes a composed file and checks the arrangement promises.
func checkComposition(t *testing.T, plan *songplan.Plan, b []byte) {
	t.Helper()
	f, notes, lyricAt := decodeNotes(t, b)
	if f.Division != ticksPerQuarter {
		t.Fatalf("division %d", f.Division)
	}
	tickSec := plan.BeatSeconds() / ticksPerQuarter
	endTick := int64(math.Round(plan.Duration / tickSec))
	perCh := map[int]int{}
	var lead []noteOn
	for _, n := range notes {
		perCh[n.ch]++
		if n.tick < 0 || n.tick+n.dur > endTick {
			t.Fatalf("note %+v outside the song (end tick %d)", n, endTick)
		}
		if n.ch == LeadChannel {
			lead = append(lead, n)
		}
	}
	for _, ch := range []int{LeadChannel, HarmonyChannel, BassChannel, DrumChannel} {
		if perCh[ch] == 0 {
			t.Errorf("channel %d is silent", ch+1)
		}
	}
	// One lead note per sung syllable, each carrying its syllable, each inside its
	// line's time.
	var want []string
	for _, line := range plan.Lines {
		want = append(want, lyrics.SplitSyllables(line.Text)...)
	}
	if len(lead) != len(want) {
		t.Fatalf("%d lead notes for %d syllables", len(lead), len(want))
	}
	li, inLine := 0, 0
	for i, n := range lead {
		if got := lyricAt[n.tick]; len(got) != 1 || got[0] != want[i] {
			t.Fatalf("lead note %d at tick %d carries %q, want %q", i, n.tick, got, want[i])
		}
		line := plan.Lines[li]
		start, end := float64(n.tick)*tickSec, float64(n.tick+n.dur)*tickSec
		if start < line.Start-1e-3 || end > line.End+1e-3 {
			t.Fatalf("syllable %q at %.3f–%.3f outside line %q %.3f–%.3f", want[i], start, end, line.Text, line.Start, line.End)
		}
		if inLine++; inLine == line.Syllables {
			li, inLine = li+1, 0
		}
	}
	// Something sounds from the first tick (no dead air at the start) and the last
	// bar holds a chord for its whole length (no abrupt stop).
	lastBar := int64(len(plan.Bars)-1) * int64(plan.BeatsPerBar) * ticksPerQuarter
	startsAtZero, heldToEnd := false, 0
	for _, n := range notes {
		if n.tick == 0 && n.ch != DrumChannel {
			startsAtZero = true
		}
		if n.ch == HarmonyChannel && n.tick == lastBar && n.tick+n.dur == endTick {
			heldToEnd++
		}
	}
	if !startsAtZero {
		t.Error("nothing plays at the first tick")
	}
	if heldToEnd < 3 {
		t.Errorf("final chord has %d held notes", heldToEnd)
	}
}

// genreSongs finds, for every genre the planner can choose, a business and seed that get
// it (musictest.GenreSongs), and checks that every style is reachable.
func genreSongs(t testing.TB) map[string]musictest.Song {
	t.Helper()
	out := musictest.GenreSongs(t, func(p business.Profile, l *lyrics.Lyrics, seed int64, target time.Duration) (*songplan.Plan, error) {
		return PlanSong(p, l, PlanOptions{Seed: seed, Target: target})
	})
	for g := range styles {
		if _, ok := out[g]; !ok {
			t.Errorf("genre %q never chosen", g)
		}
	}
	return out
}

// TestComposeEveryGenre composes one song in each genre the planner can choose.
func TestComposeEveryGenre(t *testing.T) {
	t.Parallel()
	for genre, s := range genreSongs(t) {
		t.Run(genre, func(t *testing.T) {
			t.Parallel()
			checkPlan(t, s.Plan, s.Lyrics)
			b, err := Compose(s.Plan, s.Lyrics)
			if err != nil {
				t.Fatal(err)
			}
			checkComposition(t, s.Plan, b)
		})
	}
}

func TestComposeRejects(t *testing.T) {
	t.Parallel()
	_, l, plan := fixture(t, "cafe_ko", 1, 0)
	tests := []struct {
		name string
		mod  func()
		want string
	}{
		{"retimed plan", func() { plan.Lines[0].Start += 0.2 }, "composer expects"},
		{"unknown genre", func() { plan.Genre = "polka" }, "unknown genre"},
		{"wrong meter", func() { plan.BeatsPerBar = 3 }, "3/4"},
		{"bad key", func() { plan.Key = "H major" }, "key"},
		{"bad chord", func() { plan.Bars[2].Chord = "Q7" }, "chord"},
		{"foreign line", func() { plan.Lines[1].Text = "전혀 다른 가사" }, "not in the lyrics"},
	}
	for _, tt := range tests {
		_, _, plan = fixture(t, "cafe_ko", 1, 0)
		tt.mod()
		_, err := Compose(plan, l)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
	if _, err := Compose(nil, l); err == nil {
		t.Error("nil plan accepted")
	}
}

func BenchmarkCompose(b *testing.B) {
	_, l, plan := fixture(b, "cafe_ko", 1, 0)
	for b.Loop() {
		if _, err := Compose(plan, l); err != nil {
			b.Fatal(err)
		}
	}
}
