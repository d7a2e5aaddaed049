package pipeline

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/engine"
	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/files"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
	"github.com/o2sound/o2sound/internal/store/storetest"
)

// realBundle is an engine with the real pipeline, serving the bundled example site.
type realBundle struct {
	db    *store.DB
	files *files.Store
	e     *Service
	owner string
	site  string
}

func realSetup(tb testing.TB, d store.Dialect, scale float64) *realBundle {
	return realSetupWith(tb, d, scale, http.FileServer(http.Dir("../../examples/cafe")), nil)
}

// realSetupWith serves site instead of the example, and lets tune change the engine's
// options.
func realSetupWith(tb testing.TB, d store.Dialect, scale float64, siteHandler http.Handler, tune func(*engine.Options)) *realBundle {
	tb.Helper()
	db := storetest.Open(tb, d)
	fs, err := files.Open(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	site := httptest.NewServer(siteHandler)
	tb.Cleanup(site.Close)
	w := Config{DB: db, Files: fs, Fetch: fetch.Options{AllowPrivateNetworks: true},
		Steps: Steps{VideoScale: scale}}.Work()
	o := engine.DefaultOptions()
	o.FetchPollInterval = 50 * time.Millisecond
	if tune != nil {
		tune(&o)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e, err := engine.New(context.Background(), db, fs, w, o, log)
	if err != nil {
		tb.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { e.Stop(5 * time.Second) })
	u := &o2sound.User{UserID: "owner", Name: "Owner"}
	if err := db.CreateUser(context.Background(), u); err != nil {
		tb.Fatal(err)
	}
	return &realBundle{db: db, files: fs, e: NewService(e, db, fs, log), owner: u.ID, site: site.URL + "/"}
}

func (b *realBundle) wait(tb testing.TB, id, state string) *o2sound.Task {
	tb.Helper()
	for deadline := time.Now().Add(3 * time.Minute); ; time.Sleep(20 * time.Millisecond) {
		t, err := b.e.Task(context.Background(), b.owner, id)
		if err != nil {
			tb.Fatal(err)
		}
		if t.State == state {
			return t
		}
		if t.Ended() || time.Now().After(deadline) {
			tb.Fatalf("task %s is %s (%s %s), want %s", id, t.State, t.ErrorCode, t.ErrorMessage, state)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestRemakePlansOnlyWhatChanged checks which stages each kind of change runs, on a
// task that waits for review and on a completed one.
func TestRemakePlansOnlyWhatChanged(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		b := realSetup(t, d, 0.25)
		ctx := context.Background()
		rt, err := b.e.StartTask(ctx, b.owner, b.site, o2sound.TaskOptions{Aspect: "16:9", Duration: 15, Review: true})
		if err != nil {
			t.Fatal(err)
		}
		review := b.wait(t, rt.ID, o2sound.TaskReview)
		for _, s := range []o2sound.Stage{o2sound.StageMusic, o2sound.StageVideo, o2sound.StageMerge} {
			if st := review.Stages[s]; st.State != o2sound.StagePending || st.Attempts != 0 {
				t.Fatalf("stage %s is %s (%d attempts) while the task waits for review", s, st.State, st.Attempts)
			}
		}
		draft, err := b.e.Draft(ctx, b.owner, rt.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(draft.Photos) < 3 || draft.Logo == nil || draft.Facts.Name == "" {
			t.Fatalf("draft: %+v", draft)
		}
		// Continuing without a change makes the song and the video.
		cont, err := b.e.Remake(ctx, b.owner, rt.ID, o2sound.DraftChanges{})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(cont.Reused, []o2sound.Stage{o2sound.StageCrawl, o2sound.StageLyrics, o2sound.StageImages}) {
			t.Fatalf("continuing reused %v", cont.Reused)
		}
		done := b.wait(t, cont.ID, o2sound.TaskCompleted)
		src, err := b.e.loadDraftSource(ctx, b.owner, done.ID)
		if err != nil {
			t.Fatal(err)
		}
		lyr := draft.Lyrics
		lyr.Sections = slices.Clone(lyr.Sections)
		lyr.Sections[0].Lines = append(slices.Clone(lyr.Sections[0].Lines[:1]), lyr.Sections[0].Lines[1:]...)
		lyr.Sections[0].Lines[0] = "새로운 노래 한 줄이에요"
		ids := []string{}
		for _, p := range draft.Photos {
			ids = append(ids, p.PhotoID)
		}
		m, v, g := o2sound.StageMusic, o2sound.StageVideo, o2sound.StageMerge
		for _, tc := range []struct {
			name string
			ch   o2sound.DraftChanges
			run  []o2sound.Stage
		}{
			{"nothing", o2sound.DraftChanges{}, []o2sound.Stage{g}},
			{"lyrics", o2sound.DraftChanges{Lyrics: &lyr}, []o2sound.Stage{m, v, g}},
			{"same lyrics", o2sound.DraftChanges{Lyrics: &draft.Lyrics}, []o2sound.Stage{g}},
			{"photos", o2sound.DraftChanges{Photos: ids[1:]}, []o2sound.Stage{v, g}},
			{"logo off", o2sound.DraftChanges{Logo: ptr("")}, []o2sound.Stage{v, g}},
			{"facts", o2sound.DraftChanges{Facts: &o2sound.FactChanges{Name: ptr("카페 하늘숲 삼청점")}}, []o2sound.Stage{v, g}},
			{"same facts", o2sound.DraftChanges{Facts: &o2sound.FactChanges{Name: ptr(draft.Facts.Name)}}, []o2sound.Stage{g}},
			{"aspect", o2sound.DraftChanges{Aspect: "9:16"}, []o2sound.Stage{v, g}},
			{"tempo", o2sound.DraftChanges{Style: &o2sound.StyleChanges{Tempo: otherTempo(draft.Style.Tempo)}}, []o2sound.Stage{m, v, g}},
			{"duration", o2sound.DraftChanges{Duration: 30}, []o2sound.Stage{m, v, g}},
		} {
			rp, err := b.e.planRemake(ctx, src, tc.ch)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			var run []o2sound.Stage
			for _, s := range o2sound.Stages {
				if rp.run[s] {
					run = append(run, s)
				}
			}
			if !slices.Equal(run, tc.run) {
				t.Errorf("%s runs %v, want %v", tc.name, run, tc.run)
			}
		}
	})
}

func otherTempo(t int) int {
	if t == 120 {
		return 90
	}
	return 120
}

// TestRemakeRefusesBadChanges checks the validation a re-make does before anything is
// created: every bad field is named, nothing is queued.
func TestRemakeRefusesBadChanges(t *testing.T) {
	t.Parallel()
	b := realSetup(t, store.SQLite, 0.25)
	ctx := context.Background()
	rt, err := b.e.StartTask(ctx, b.owner, b.site, o2sound.TaskOptions{Aspect: "16:9", Duration: 15, Review: true})
	if err != nil {
		t.Fatal(err)
	}
	b.wait(t, rt.ID, o2sound.TaskReview)
	draft, err := b.e.Draft(ctx, b.owner, rt.ID)
	if err != nil {
		t.Fatal(err)
	}
	lyricsWith := func(line string) *o2sound.DraftLyrics {
		l := draft.Lyrics
		l.Sections = slices.Clone(l.Sections)
		l.Sections[0].Lines = slices.Clone(l.Sections[0].Lines)
		l.Sections[0].Lines[0] = line
		return &l
	}
	noChorus := &o2sound.DraftLyrics{Title: "x", Sections: []o2sound.DraftSection{{Name: "verse", Lines: []string{"하나 둘 셋 넷"}}, {Name: "outro", Lines: []string{"다섯 여섯 일곱"}}}}
	for _, tc := range []struct {
		name  string
		ch    o2sound.DraftChanges
		code  string
		field string
	}{
		{"markup in a line", o2sound.DraftChanges{Lyrics: lyricsWith("{name} 최고의 카페")}, o2sound.CodeValidation, "lyrics.sections[0].lines[0]"},
		{"a line too long", o2sound.DraftChanges{Lyrics: lyricsWith("가나다라마바사아자차카타파하가나다라마바사")}, o2sound.CodeValidation, "lyrics.sections[0].lines[0]"},
		{"no chorus", o2sound.DraftChanges{Lyrics: noChorus}, o2sound.CodeValidation, "lyrics.sections"},
		{"empty name", o2sound.DraftChanges{Facts: &o2sound.FactChanges{Name: ptr("  ")}}, o2sound.CodeValidation, "facts.name"},
		{"bad website", o2sound.DraftChanges{Facts: &o2sound.FactChanges{Website: ptr("javascript:alert(1)")}}, o2sound.CodeValidation, "facts.website"},
		{"no photos", o2sound.DraftChanges{Photos: []string{}}, o2sound.CodeValidation, "photos"},
		{"a photo twice", o2sound.DraftChanges{Photos: []string{draft.Photos[0].PhotoID, draft.Photos[0].PhotoID}}, o2sound.CodeValidation, "photos[1]"},
		{"unknown photo", o2sound.DraftChanges{Photos: []string{"0193a1b2-0000-7000-8000-000000000000"}}, o2sound.CodePhotoNotFound, ""},
		{"unknown logo", o2sound.DraftChanges{Logo: ptr("0193a1b2-0000-7000-8000-000000000000")}, o2sound.CodePhotoNotFound, ""},
		{"genre", o2sound.DraftChanges{Style: &o2sound.StyleChanges{Genre: "death metal"}}, o2sound.CodeValidation, "style.genre"},
		{"tempo", o2sound.DraftChanges{Style: &o2sound.StyleChanges{Tempo: 97}}, o2sound.CodeValidation, "style.tempo"},
		{"mood against genre", o2sound.DraftChanges{Style: &o2sound.StyleChanges{Genre: "bossa nova", Mood: "energetic"}}, o2sound.CodeValidation, "style.mood"},
		{"aspect", o2sound.DraftChanges{Aspect: "4:3"}, o2sound.CodeValidation, "aspect"},
		{"duration", o2sound.DraftChanges{Duration: 5}, o2sound.CodeValidation, "duration"},
	} {
		_, err := b.e.Remake(ctx, b.owner, rt.ID, tc.ch)
		if o2sound.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
			continue
		}
		if tc.field != "" {
			var de *o2sound.Error
			if !errors.As(err, &de) || !hasField(de, tc.field) {
				t.Errorf("%s: %v does not name %s", tc.name, err, tc.field)
			}
		}
	}
	tasks, n, err := b.e.Tasks(ctx, b.owner, o2sound.Page{})
	if err != nil || n != 1 {
		t.Fatalf("refused re-makes created tasks: %d %v", n, tasks)
	}
	if _, err := b.e.Remake(ctx, "0193a1b2-0000-7000-8000-000000000001", rt.ID, o2sound.DraftChanges{}); o2sound.ErrorCode(err) != o2sound.CodeTaskNotFound {
		t.Errorf("another owner's task: %v", err)
	}
}

func hasField(e *o2sound.Error, field string) bool {
	fields, _ := e.Details.([]o2sound.FieldError)
	for _, f := range fields {
		if f.Field == field {
			return true
		}
	}
	return false
}
