package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"hash/fnv"
	"os"
	"path/filepath"
	"time"

	"github.com/o2sound/o2sound/internal/crawl"
	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
)

// PipelineConfig holds what the River stages need besides the Steps.
type PipelineConfig struct {
	Steps
	DB    *store.DB
	Fetch fetch.Options // the safe fetcher's settings (private networks only for development)
}

// NewPipeline returns the stages that make a real video.
func NewPipeline(c PipelineConfig) Pipeline {
	return Pipeline{
		o2sound.StageCrawl:  c.crawlStage,
		o2sound.StageLyrics: c.lyricsStage,
		o2sound.StageImages: c.imagesStage,
		o2sound.StageMusic:  c.musicStage,
		o2sound.StageVideo:  c.videoStage,
		o2sound.StageMerge:  c.mergeStage,
	}
}

// userError turns the crawler's errors (which carry codes and plain messages for the
// owner) into domain errors, so the task fails at once instead of retrying. Timeouts,
// unreachable sites and error statuses are retried first: they are often transient.
func userError(err error, attempt int) error {
	var ce *crawl.Error
	if !errors.As(err, &ce) {
		return err
	}
	switch ce.Code {
	case crawl.CodeUnreachable, crawl.CodeTimeout, crawl.CodeHTTPStatus:
		if attempt < 3 {
			return err
		}
	}
	return &o2sound.Error{Code: ce.Code, Message: ce.Message, Err: err}
}

// seedOf makes a task's song deterministic.
func seedOf(taskID string) int64 {
	h := fnv.New64a()
	h.Write([]byte(taskID))
	return int64(h.Sum64() >> 1)
}

func targetOf(t *o2sound.Task) time.Duration {
	return time.Duration(t.Options.Duration * float64(time.Second))
}

// crawlStage reads the site, and makes (or refreshes) the owner's business item.
func (c PipelineConfig) crawlStage(ctx context.Context, r *Run) (any, error) {
	dir := filepath.Join(r.Dir, "crawl")
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	r.Progress(0.05)
	res, err := crawl.Crawl(ctx, r.Task.URL, crawl.Options{Fetch: c.Fetch, OutDir: dir})
	if err != nil {
		return nil, userError(err, r.Task.Stages[o2sound.StageCrawl].Attempts)
	}
	r.Progress(0.9)
	p := res.Profile
	meta, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	it := &o2sound.Item{OwnerID: r.Task.OwnerID, Name: p.Name, Address: p.Address, URL: r.Task.URL, PhoneNumber: p.Phone,
		ThumbnailURL: p.ThumbnailURL, Hashtags: p.Hashtags, Metadata: meta}
	if !o2sound.ValidPhone(it.PhoneNumber) {
		it.PhoneNumber = "" // what the site wrote stays in the metadata
	}
	if err := c.DB.SaveItemForURL(ctx, it); err != nil {
		return nil, err
	}
	if err := c.DB.SetTaskItem(ctx, r.Task.ID, it.ID); err != nil {
		return nil, err
	}
	return CrawlOutput{Profile: p, ItemID: it.ID, Images: res.Images, Dropped: len(res.Dropped) + res.MoreDropped}, nil
}

func (c PipelineConfig) lyricsStage(ctx context.Context, r *Run) (any, error) {
	var cr CrawlOutput
	if err := r.Output(o2sound.StageCrawl, &cr); err != nil {
		return nil, err
	}
	return c.WriteLyrics(ctx, cr.Profile, seedOf(r.Task.ID), targetOf(r.Task), r.Dir)
}

func (c PipelineConfig) imagesStage(ctx context.Context, r *Run) (any, error) {
	var cr CrawlOutput
	if err := r.Output(o2sound.StageCrawl, &cr); err != nil {
		return nil, err
	}
	return c.CheckImages(ctx, cr.Images, r.Progress)
}

func (c PipelineConfig) musicStage(ctx context.Context, r *Run) (any, error) {
	var cr CrawlOutput
	var ly LyricsOutput
	if err := outputs(r, map[o2sound.Stage]any{o2sound.StageCrawl: &cr, o2sound.StageLyrics: &ly}); err != nil {
		return nil, err
	}
	return c.MakeMusic(ctx, cr.Profile, ly, seedOf(r.Task.ID), r.Dir, r.Progress)
}

func (c PipelineConfig) videoStage(ctx context.Context, r *Run) (any, error) {
	var cr CrawlOutput
	var ly LyricsOutput
	var im ImagesOutput
	if err := outputs(r, map[o2sound.Stage]any{o2sound.StageCrawl: &cr, o2sound.StageLyrics: &ly, o2sound.StageImages: &im}); err != nil {
		return nil, err
	}
	return c.RenderVideo(ctx, cr.Profile, ly, im, r.Task.Options.Aspect, r.Dir, r.Progress)
}

func (c PipelineConfig) mergeStage(ctx context.Context, r *Run) (any, error) {
	var cr CrawlOutput
	var mu MusicOutput
	var vo VideoOutput
	if err := outputs(r, map[o2sound.Stage]any{o2sound.StageCrawl: &cr, o2sound.StageMusic: &mu, o2sound.StageVideo: &vo}); err != nil {
		return nil, err
	}
	return c.Merge(ctx, cr.Profile, mu, vo, r.Dir, r.Progress)
}

func outputs(r *Run, want map[o2sound.Stage]any) error {
	for s, v := range want {
		if err := r.Output(s, v); err != nil {
			return err
		}
	}
	return nil
}
