package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"time"

	"github.com/o2sound/o2sound/internal/crawl"
	"github.com/o2sound/o2sound/internal/engine"
	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/files"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/songplan"
	"github.com/o2sound/o2sound/internal/store"
)

// Config holds what the stages need when the engine runs them, besides the Steps.
type Config struct {
	Steps
	DB    *store.DB
	Files *files.Store
	Fetch fetch.Options // the safe fetcher's settings (private networks only for development)
	// Metrics records each render's frames per second (nil: none).
	Metrics interface {
		ObserveRender(frames int, took time.Duration)
	}
}

// Work is the function of every stage of o2sound.StageTable, for engine.New.
func (c Config) Work() engine.Work {
	return engine.Work{
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
	var ce *fetch.Error
	if !errors.As(err, &ce) {
		return err
	}
	switch ce.Code {
	case o2sound.CodeCrawlUnreachable, o2sound.CodeCrawlTimeout, o2sound.CodeCrawlHTTPStatus:
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
func (c Config) crawlStage(ctx context.Context, r *engine.Run) (any, error) {
	dir := filepath.Join(r.Dir, "crawl")
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	r.Progress(0.05)
	res, err := crawl.Crawl(ctx, r.Task.URL, crawl.Options{Fetch: c.Fetch, OutDir: dir, Render: c.Render, Renderer: c.Renderer})
	if err != nil {
		return nil, userError(err, r.Task.Stages[o2sound.StageCrawl].Attempts)
	}
	r.Progress(0.9)
	p := res.Profile
	nationalPhone(&p)
	meta, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	// The item keeps the number in E.164 (empty when the site's is no valid number: the
	// card still shows what the site wrote).
	it := &o2sound.Item{OwnerID: r.Task.OwnerID, Name: p.Name, Address: p.Address, URL: r.Task.URL, PhoneNumber: p.PhoneE164,
		ThumbnailURL: p.ThumbnailURL, Hashtags: p.Hashtags, Metadata: meta}
	if err := c.DB.SaveItemForURL(ctx, it); err != nil {
		return nil, err
	}
	if err := c.DB.SetTaskItem(ctx, r.Task.ID, it.ID); err != nil {
		return nil, err
	}
	return &CrawlOutput{Profile: p, ItemID: it.ID, Images: res.Images, Logo: logoRef(res), Dropped: len(res.Dropped) + res.MoreDropped}, nil
}

func (c Config) lyricsStage(ctx context.Context, r *engine.Run) (any, error) {
	var cr CrawlOutput
	if err := r.Output(o2sound.StageCrawl, &cr); err != nil {
		return nil, err
	}
	out, err := c.WriteLyrics(ctx, cr.Profile, seedOf(r.Task.ID), targetOf(r.Task), r.Dir)
	if errors.Is(err, errUnsingable) {
		return nil, &o2sound.Error{Code: o2sound.CodeCrawlNothingUsable, Err: err,
			Message: "The site's name and text could not be made into a song. Give the business a name and a short description, then try again."}
	}
	return &out, err
}

// imagesStage keeps the crawled photos a video can use, chooses their order for the
// video's frame, and makes each (and the logo) one of the owner's photos, with an id the draft and re-makes refer to.
func (c Config) imagesStage(ctx context.Context, r *engine.Run) (any, error) {
	var cr CrawlOutput
	if err := r.Output(o2sound.StageCrawl, &cr); err != nil {
		return nil, err
	}
	out, err := c.CheckImages(ctx, cr.Images, cr.Logo, r.Task.Options.Aspect, r.Progress)
	if err != nil {
		return nil, err
	}
	// A retried stage registers its photos again; the first attempt's go.
	if err := c.forgetSitePhotos(ctx, r.Task.ID); err != nil {
		return nil, err
	}
	for i := range out.Photos {
		if err := c.registerPhoto(ctx, r.Task, &out.Photos[i]); err != nil {
			return nil, err
		}
	}
	if out.Logo != nil {
		if err := c.registerPhoto(ctx, r.Task, out.Logo); err != nil {
			return nil, err
		}
	}
	return &out, nil
}

// registerPhoto stores a site photo of t's crawl in the photo store and records it.
func (c Config) registerPhoto(ctx context.Context, t *o2sound.Task, ref *PhotoRef) error {
	id, err := store.NewPhotoID()
	if err != nil {
		return err
	}
	if ref.Format == "" {
		ref.Format = "jpeg"
	}
	if err := c.Files.PutPhoto(id, ref.Format, ref.Path); err != nil {
		return err
	}
	st, err := os.Stat(ref.Path)
	if err != nil {
		return fmt.Errorf("pipeline: photo: %w", err)
	}
	ref.ID, ref.Source = id, o2sound.PhotoFromSite
	return c.DB.CreatePhoto(ctx, &o2sound.Photo{ID: id, OwnerID: t.OwnerID, TaskID: t.ID, Source: o2sound.PhotoFromSite,
		Format: ref.Format, Width: ref.Width, Height: ref.Height, SizeBytes: st.Size()})
}

// forgetSitePhotos removes the photos an earlier attempt of t's images stage recorded.
func (c Config) forgetSitePhotos(ctx context.Context, taskID string) error {
	gone, err := c.DB.DeleteTaskPhotos(ctx, taskID, o2sound.PhotoFromSite)
	if err != nil {
		return err
	}
	for _, p := range gone {
		if err := c.Files.RemovePhoto(p.ID, p.Format); err != nil {
			return err
		}
	}
	return nil
}

func (c Config) musicStage(ctx context.Context, r *engine.Run) (any, error) {
	var cr CrawlOutput
	var ly LyricsOutput
	if err := outputs(r, map[o2sound.Stage]any{o2sound.StageCrawl: &cr, o2sound.StageLyrics: &ly}); err != nil {
		return nil, err
	}
	out, err := c.MakeMusic(ctx, cr.Profile, ly, r.Dir, r.Progress)
	return &out, err
}

func (c Config) videoStage(ctx context.Context, r *engine.Run) (any, error) {
	var cr CrawlOutput
	var ly LyricsOutput
	var im ImagesOutput
	if err := outputs(r, map[o2sound.Stage]any{o2sound.StageCrawl: &cr, o2sound.StageLyrics: &ly, o2sound.StageImages: &im}); err != nil {
		return nil, err
	}
	start := time.Now()
	out, err := c.RenderVideo(ctx, cr.Profile, ly, im, r.Task.Options.Aspect, r.Dir, r.Progress)
	if err == nil && c.Metrics != nil {
		if plan, perr := songplan.Load(ly.Plan); perr == nil {
			c.Metrics.ObserveRender(int(plan.Duration*songplan.FPS+0.5), time.Since(start))
		}
	}
	return &out, err
}

func (c Config) mergeStage(ctx context.Context, r *engine.Run) (any, error) {
	var cr CrawlOutput
	var mu MusicOutput
	var vo VideoOutput
	if err := outputs(r, map[o2sound.Stage]any{o2sound.StageCrawl: &cr, o2sound.StageMusic: &mu, o2sound.StageVideo: &vo}); err != nil {
		return nil, err
	}
	out, err := c.Merge(ctx, cr.Profile, mu, vo, r.Dir, r.Progress)
	return &out, err
}

func outputs(r *engine.Run, want map[o2sound.Stage]any) error {
	for s, v := range want {
		if err := r.Output(s, v); err != nil {
			return err
		}
	}
	return nil
}

// logoRef is the crawl's logo as a photo reference, or nil.
func logoRef(res *crawl.Result) *PhotoRef {
	if res.Logo == nil {
		return nil
	}
	return &PhotoRef{Path: res.Logo.Path, Width: res.Logo.Width, Height: res.Logo.Height, Source: o2sound.PhotoFromSite, Format: "png"}
}
