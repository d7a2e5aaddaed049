package workflow

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

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
	Music  MusicOutput
	Images ImagesOutput
}

// MakeLocal runs the whole pipeline in this process — crawl, then lyrics ∥ images,
// then music ∥ video, then merge — without a database or a queue, and writes the MP4
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
			return nil, fmt.Errorf("workflow: %w", err)
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
	cr, err := crawlLocal(ctx, source, filepath.Join(dir, crawlDir), o)
	if err != nil {
		return nil, err
	}
	res.Crawl = CrawlOutput{Profile: cr.Profile, Images: cr.Images, Dropped: len(cr.Dropped) + cr.MoreDropped}
	o.Progress(o2sound.StageCrawl, 1)
	p := cr.Profile

	var ly LyricsOutput
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		var err error
		ly, err = o.WriteLyrics(gctx, p, seed, o.Duration, dir)
		o.Progress(o2sound.StageLyrics, 1)
		return err
	})
	g.Go(func() error {
		var err error
		res.Images, err = o.CheckImages(gctx, cr.Images, logoRef(cr), progress(o2sound.StageImages))
		o.Progress(o2sound.StageImages, 1)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}

	var vo VideoOutput
	g, gctx = errgroup.WithContext(ctx)
	g.Go(func() error {
		var err error
		res.Music, err = o.MakeMusic(gctx, p, ly, dir, progress(o2sound.StageMusic))
		return err
	})
	g.Go(func() error {
		var err error
		vo, err = o.RenderVideo(gctx, p, ly, res.Images, o.Aspect, dir, progress(o2sound.StageVideo))
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	o.Progress(o2sound.StageMusic, 1)
	o.Progress(o2sound.StageVideo, 1)

	m, err := o.Merge(ctx, p, res.Music, vo, dir, progress(o2sound.StageMerge))
	if err != nil {
		return nil, err
	}
	if err := deliver(&m, out); err != nil {
		return nil, err
	}
	o.Progress(o2sound.StageMerge, 1)
	res.MergeOutput = m
	return res, nil
}

// deliver moves the merge's video to out and its thumbnail beside it (out's name +
// ".jpg"). The intermediate files are private to this process (0600); the results are
// the user's, readable like any file they would save.
func deliver(m *MergeOutput, out string) error {
	if err := os.Rename(m.Video, out); err != nil {
		return fmt.Errorf("workflow: %w", err)
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
