package pipeline

import (
	"context"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
)

// BenchmarkRemakeLyrics times a lyrics-only re-make of the example site's video at
// 1080p and 30 s (request to stored video) against the music, video and merge stages
// of the fresh task it re-makes (from the first of music and video starting to the
// merge finishing): the re-make should cost no more. "make bench" prints both.
func BenchmarkRemakeLyrics(b *testing.B) {
	rb := realSetup(b, store.SQLite, 1)
	ctx := context.Background()
	ft, err := rb.e.StartTask(ctx, rb.owner, rb.site, o2sound.TaskOptions{Aspect: "16:9", Duration: 30})
	if err != nil {
		b.Fatal(err)
	}
	fresh := rb.wait(b, ft.ID, o2sound.TaskCompleted)
	mu, vo, mg := fresh.Stages[o2sound.StageMusic], fresh.Stages[o2sound.StageVideo], fresh.Stages[o2sound.StageMerge]
	start := *mu.StartedAt
	if vo.StartedAt.Before(start) {
		start = *vo.StartedAt
	}
	freshMVM := mg.FinishedAt.Sub(start)
	draft, err := rb.e.Draft(ctx, rb.owner, ft.ID)
	if err != nil {
		b.Fatal(err)
	}
	var total time.Duration
	b.ResetTimer()
	for i := range b.N {
		lyr := draft.Lyrics
		lyr.Sections = append([]o2sound.DraftSection{}, lyr.Sections...)
		lyr.Sections[0].Lines = append([]string{}, lyr.Sections[0].Lines...)
		lyr.Sections[0].Lines[0] = []string{"새로운 아침이 밝아와요", "오늘도 커피 한 잔 해요", "하늘숲의 정원으로 와요"}[i%3]
		began := time.Now()
		rt, err := rb.e.Remake(ctx, rb.owner, ft.ID, o2sound.DraftChanges{Lyrics: &lyr})
		if err != nil {
			b.Fatal(err)
		}
		done := rb.wait(b, rt.ID, o2sound.TaskCompleted)
		total += time.Since(began)
		if len(done.Reused) != 3 {
			b.Fatalf("reused %v", done.Reused)
		}
	}
	b.StopTimer()
	remake := total / time.Duration(b.N)
	b.ReportMetric(freshMVM.Seconds(), "fresh-music+video+merge-s")
	b.ReportMetric(remake.Seconds(), "remake-s")
	b.ReportMetric(remake.Seconds()/freshMVM.Seconds(), "ratio")
	b.Logf("n=%d fresh music+video+merge %v, lyrics-only re-make %v", b.N, freshMVM, remake)
}
