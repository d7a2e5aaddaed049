// Package musictest holds what the tests of the song packages (score and music) share:
// the fixture businesses, which live with the lyrics package that owns the profiles, and
// the checks on a retimed plan. It imports neither package, so both can use it.
package musictest

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/lyrics"
	"github.com/o2sound/o2sound/internal/songplan"
)

// Profile loads the fixture business name ("cafe_ko", "gym_ko", …) from the lyrics
// package's testdata, wherever the calling test runs.
func Profile(t testing.TB, name string) business.Profile {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "..", "lyrics", "testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var p business.Profile
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// Lyrics are the built-in writer's lyrics for p with seed.
func Lyrics(t testing.TB, p business.Profile, seed int64) *lyrics.Lyrics {
	t.Helper()
	l, err := lyrics.NewBuiltin().Write(context.Background(), p, seed)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// CheckRetimed asserts what Retime promises of a plan fitted to audio: valid, sections
// that follow each other over every bar, a last bar that reaches the end, and lines
// inside the song.
func CheckRetimed(t testing.TB, p *songplan.Plan) {
	t.Helper()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	next := 0
	for _, s := range p.Sections {
		if s.StartBar != next {
			t.Fatalf("section %+v does not follow bar %d", s, next)
		}
		next += s.Bars
	}
	if next != len(p.Bars) {
		t.Fatalf("sections cover %d of %d bars", next, len(p.Bars))
	}
	last := p.Bars[len(p.Bars)-1]
	if last.Start >= p.Duration || last.Start+p.BarSeconds() < p.Duration-1e-6 {
		t.Errorf("last bar at %.3f does not reach the end %.3f", last.Start, p.Duration)
	}
	for _, l := range p.Lines {
		if l.Start < 0 || l.End > p.Duration || l.End <= l.Start {
			t.Errorf("line %+v outside %.3fs", l, p.Duration)
		}
	}
}

// Song is a song's lyrics and plan, not yet composed.
type Song struct {
	Lyrics *lyrics.Lyrics
	Plan   *songplan.Plan
}

// Planner is score.PlanSong with the options the genre search varies.
type Planner func(p business.Profile, l *lyrics.Lyrics, seed int64, target time.Duration) (*songplan.Plan, error)

// GenreSongs finds, for every genre the planner chooses, a business and seed that get
// it, and returns the lyrics and plan of each (targets vary so long songs are covered).
// The search is fixed, so the same songs come back every run.
func GenreSongs(t testing.TB, plan Planner) map[string]Song {
	t.Helper()
	profiles := []business.Profile{
		{Name: "Bean There", Category: "CafeOrCoffeeShop", Language: "en"},
		{Name: "밀가루 공방", Category: "Bakery", Language: "ko"},
		{Name: "Taco Town", Category: "Restaurant", Language: "en"},
		{Name: "Blue Note Bar", Category: "BarOrPub", Language: "en"},
		{Name: "Iron Gym", Category: "ExerciseGym", Language: "en"},
		{Name: "Calm Spa", Category: "DaySpa", Language: "en"},
		{Name: "헤어 살롱 봄", Category: "HairSalon", Language: "ko"},
		{Name: "Rose Florist", Category: "Florist", Language: "en"},
		{Name: "Gift Box", Category: "Store", Language: "en"},
		{Name: "Little Stars Academy", Category: "EducationalOrganization", Language: "en"},
		{Name: "Smile Dental", Category: "Dentist", Language: "en"},
		{Name: "Seaside Inn", Category: "Hotel", Language: "en"},
	}
	targets := []time.Duration{90 * time.Second, 60 * time.Second, 15 * time.Second}
	out := map[string]Song{}
	for _, p := range profiles {
		for seed := int64(1); seed <= 8; seed++ {
			l := Lyrics(t, p, seed)
			pl, err := plan(p, l, seed, targets[len(out)%len(targets)])
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := out[pl.Genre]; !ok {
				out[pl.Genre] = Song{l, pl}
			}
		}
	}
	return out
}
