package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/crawl"
	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/o2sound"
)

// LocalOptions configures MakeLocal.
type LocalOptions struct {
	Steps
	Fetch    fetch.Options
	Aspect   string        // "16:9", "9:16" or "1:1"
	Duration time.Duration // song length; clamped to 15–90 s by the planner
	Seed     int64
	// WorkDir holds the intermediate files; empty means a temporary directory that is
	// removed afterwards.
	WorkDir string
	// Progress receives each stage's progress, 0..1; called from several goroutines.
	Progress func(s o2sound.Stage, frac float64)
}

// LocalResult is what MakeLocal made.
type LocalResult struct {
	MergeOutput
	Crawl  CrawlOutput
	Lyrics LyricsOutput
	Music  MusicOutput
	Images ImagesOutput
}

// MakeLocal runs the whole pipeline in this process — the stage table's graph: crawl,
// then lyrics ∥ images, then music ∥ video, then merge — without a database or a queue, and writes the MP4
// to out (its thumbnail beside it as out's name + ".jpg"). source is a URL or a folder.
func MakeLocal(ctx context.Context, source, out string, o LocalOptions) (*LocalResult, error) {
	if o.Progress == nil {
		o.Progress = func(o2sound.Stage, float64) {}
	}
	if o.Aspect == "" {
		o.Aspect = "16:9"
	}
	dir := o.WorkDir
	if dir == "" {
		tmp, err := os.MkdirTemp(filepath.Dir(absOrSelf(out)), ".o2sound-make-*")
		if err != nil {
			return nil, fmt.Errorf("pipeline: %w", err)
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	progress := func(s o2sound.Stage) func(float64) { return func(f float64) { o.Progress(s, f) } }
	seed := o.Seed
	if seed == 0 {
		seed = seedOf(source)
	}

	res := &LocalResult{}
	var (
		cr *crawl.Result
		vo VideoOutput
	)
	steps := map[o2sound.Stage]func(ctx context.Context) error{
		o2sound.StageCrawl: func(ctx context.Context) (err error) {
			if cr, err = crawlLocal(ctx, source, filepath.Join(dir, crawlDir), o); err == nil {
				res.Crawl = CrawlOutput{Profile: cr.Profile, Images: cr.Images, Dropped: len(cr.Dropped) + cr.MoreDropped}
			}
			return err
		},
		o2sound.StageLyrics: func(ctx context.Context) (err error) {
			res.Lyrics, err = o.WriteLyrics(ctx, cr.Profile, seed, o.Duration, dir)
			return err
		},
		o2sound.StageImages: func(ctx context.Context) (err error) {
			res.Images, err = o.CheckImages(ctx, cr.Images, logoRef(cr), o.Aspect, progress(o2sound.StageImages))
			return err
		},
		o2sound.StageMusic: func(ctx context.Context) (err error) {
			res.Music, err = o.MakeMusic(ctx, cr.Profile, res.Lyrics, dir, progress(o2sound.StageMusic))
			return err
		},
		o2sound.StageVideo: func(ctx context.Context) (err error) {
			vo, err = o.RenderVideo(ctx, cr.Profile, res.Lyrics, res.Images, o.Aspect, dir, progress(o2sound.StageVideo))
			return err
		},
		o2sound.StageMerge: func(ctx context.Context) error { return o.mergeInto(ctx, cr.Profile, res, vo, dir, out) },
	}
	if err := runGraph(ctx, steps, o.Progress); err != nil {
		return nil, err
	}
	return res, nil
}

// runGraph runs each stage's step once the stages it waits for (o2sound.StageTable)
// have finished, side by side where the table allows, as the engine's jobs would.
// The first error cancels the rest and is returned.
func runGraph(ctx context.Context, steps map[o2sound.Stage]func(context.Context) error, progress func(o2sound.Stage, float64)) error {
	g, gctx := errgroup.WithContext(ctx)
	done := make(map[o2sound.Stage]chan struct{}, len(o2sound.Stages))
	for _, s := range o2sound.Stages {
		done[s] = make(chan struct{})
	}
	for _, s := range o2sound.Stages {
		g.Go(func() error {
			for _, d := range s.After() {
				select {
				case <-done[d]:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			if err := steps[s](gctx); err != nil {
				return err
			}
			progress(s, 1)
			close(done[s])
			return nil
		})
	}
	return g.Wait()
}

// mergeInto merges res's song with the slideshow vo, delivers the video to out and
// records it in res.
func (o LocalOptions) mergeInto(ctx context.Context, p business.Profile, res *LocalResult, vo VideoOutput, dir, out string) error {
	m, err := o.Merge(ctx, p, res.Music, vo, dir, func(f float64) { o.Progress(o2sound.StageMerge, f) })
	if err != nil {
		return err
	}
	if err := deliver(&m, out); err != nil {
		return err
	}
	res.MergeOutput = m
	return nil
}

// deliver moves the merge's video to out and its thumbnail beside it (out's name +
// ".jpg"). The intermediate files are private to this process (0600); the results are
// the user's, readable like any file they would save.
func deliver(m *MergeOutput, out string) error {
	if err := os.Rename(m.Video, out); err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	os.Chmod(out, 0o644)
	m.Video = out
	if m.Thumbnail != "" {
		thumb := strings.TrimSuffix(out, filepath.Ext(out)) + ".jpg"
		if err := os.Rename(m.Thumbnail, thumb); err == nil {
			os.Chmod(thumb, 0o644)
			m.Thumbnail = thumb
		}
	}
	return nil
}

func absOrSelf(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
