package music

import (
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/lyrics"
	"github.com/o2sound/o2sound/internal/music/musictest"
	"github.com/o2sound/o2sound/internal/music/score"
	"github.com/o2sound/o2sound/internal/songplan"
)

// fixture returns a fixture business, its built-in lyrics and its plan.
func fixture(t testing.TB, name string, seed int64, target time.Duration) (business.Profile, *lyrics.Lyrics, *songplan.Plan) {
	t.Helper()
	p := musictest.Profile(t, name)
	l := musictest.Lyrics(t, p, seed)
	plan, err := score.PlanSong(p, l, score.PlanOptions{Seed: seed, Target: target})
	if err != nil {
		t.Fatal(err)
	}
	return p, l, plan
}

// genreSongs is musictest.GenreSongs with the real planner: one song in every genre.
func genreSongs(t testing.TB) map[string]musictest.Song {
	t.Helper()
	return musictest.GenreSongs(t, func(p business.Profile, l *lyrics.Lyrics, seed int64, target time.Duration) (*songplan.Plan, error) {
		return score.PlanSong(p, l, score.PlanOptions{Seed: seed, Target: target})
	})
}
