package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // the crawler's re-encoded images are JPEGs
	"os"
	"path/filepath"
	"time"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/captions"
	"github.com/o2sound/o2sound/internal/crawl"
	"github.com/o2sound/o2sound/internal/lyrics"
	"github.com/o2sound/o2sound/internal/music"
	"github.com/o2sound/o2sound/internal/music/score"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/songplan"
	"github.com/o2sound/o2sound/internal/video"
)

// Steps are the pipeline's steps as plain functions from files to files. The River
// stages (pipeline.go) and the one-shot "o2sound make" (local.go) both call them, so
// a video is made the same way by either.
type Steps struct {
	Lyrics     lyrics.Writer  // built-in, or an LLM with the built-in as fallback
	Provider   music.Provider // an external singer (ACE-Step); nil: built-in composer only
	Voice      bool           // espeak-ng announcement over the intro and ending
	SoundFont  string         // empty: music's default General MIDI soundfont
	FontPath   string         // empty: the installed Nanum fonts
	VideoScale float64        // below 1 renders smaller than 1080p; 0 means 1
	// Render and Renderer say when the crawl renders a page in a browser (CRAWL_RENDER)
	// and what renders it; a nil Renderer means rendering is not available.
	Render   crawl.RenderMode
	Renderer crawl.Renderer
}

// Stage outputs, stored as JSON in task_stages.output. Their paths are relative to the
// task's directory (see paths.go), so a re-make can link a finished stage's files into
// its own directory and reuse the output as it is, and a worker that mounts the data
// directory elsewhere still finds them. Each stage writes into a subdirectory of its own.
type (
	CrawlOutput struct {
		Profile business.Profile `json:"profile"`
		ItemID  string           `json:"item_id,omitempty"`
		Images  []crawl.Image    `json:"images"`
		Logo    *PhotoRef        `json:"logo,omitempty"` // the site's logo, alpha kept
		Dropped int              `json:"dropped"`
	}
	LyricsOutput struct {
		Lyrics         string `json:"lyrics"` // lyrics/lyrics.json
		Plan           string `json:"plan"`   // lyrics/plan.json, before any audio exists
		FallbackReason string `json:"fallback_reason,omitempty"`
		AsWritten      bool   `json:"as_written,omitempty"` // the owner's text, not a writer's
	}
	ImagesOutput struct {
		Photos []PhotoRef `json:"photos"` // in video order
		Logo   *PhotoRef  `json:"logo,omitempty"`
		Cards  bool       `json:"cards"` // too few photos: the video is built from cards
	}
	MusicOutput struct {
		Song     string  `json:"song"` // song/song.m4a
		Plan     string  `json:"plan"` // the plan the audio follows (re-timed for a provider's song)
		Source   string  `json:"source"`
		Fallback string  `json:"fallback_reason,omitempty"`
		Duration float64 `json:"duration"`
	}
	VideoOutput struct {
		Slideshow string `json:"slideshow"` // video/slideshow.mp4
	}
)

// PhotoRef is a picture a video is made from: the owner's photo id (none in make's
// local runs) and its file.
type PhotoRef struct {
	ID     string `json:"id,omitempty"`
	Path   string `json:"path"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Source string `json:"source,omitempty"` // o2sound.PhotoFromSite or PhotoFromUpload
	Format string `json:"format,omitempty"` // "jpeg" or "png"
}

// MinPhotoSide is the shortest side a photo needs to be shown in a video.
const MinPhotoSide = 240

// Subdirectories of a task's directory, one per stage that writes files.
const (
	crawlDir  = "crawl"
	lyricsDir = "lyrics"
	imagesDir = "images"
	songDir   = "song"
	videoDir  = "video"
	mergeDir  = "merge"
)

// stageDirs are the subdirectories a stage's output refers to: what a re-make links
// when it reuses the stage.
var stageDirs = map[o2sound.Stage][]string{
	o2sound.StageCrawl: {crawlDir}, o2sound.StageLyrics: {lyricsDir}, o2sound.StageImages: {imagesDir, crawlDir},
	o2sound.StageMusic: {songDir}, o2sound.StageVideo: {videoDir}, o2sound.StageMerge: {mergeDir},
}

// freshDir empties and creates a stage's subdirectory: a retried stage starts clean.
func freshDir(dir, sub string) (string, error) {
	d := filepath.Join(dir, sub)
	if err := os.RemoveAll(d); err != nil {
		return "", fmt.Errorf("pipeline: %w", err)
	}
	if err := os.MkdirAll(d, 0o750); err != nil {
		return "", fmt.Errorf("pipeline: %w", err)
	}
	return d, nil
}

// WriteLyrics writes lyrics.json and plan.json into dir.
func (s Steps) WriteLyrics(ctx context.Context, p business.Profile, seed int64, target time.Duration, dir string) (LyricsOutput, error) {
	w := s.Lyrics
	if w == nil {
		w = lyrics.NewBuiltin()
	}
	l, err := w.Write(ctx, p, seed)
	if errors.Is(err, lyrics.ErrInvalid) {
		return LyricsOutput{}, fmt.Errorf("%w: %w", errUnsingable, err)
	}
	if err != nil {
		return LyricsOutput{}, err
	}
	return SaveLyrics(p, l, score.PlanOptions{Seed: seed, Target: target}, dir)
}

// errUnsingable marks a lyrics-stage failure caused by what the site holds: the same
// profile fails the same way every time, so the task fails at once with a crawl code
// rather than after several tries as an internal error.
var errUnsingable = errors.New("pipeline: the site's text cannot be made into a song")

// SaveLyrics plans the song for l and writes lyrics.json and plan.json into dir's
// lyrics subdirectory.
func SaveLyrics(p business.Profile, l *lyrics.Lyrics, opts score.PlanOptions, dir string) (LyricsOutput, error) {
	plan, err := score.PlanSong(p, l, opts)
	if err != nil {
		return LyricsOutput{}, fmt.Errorf("%w: %w", errUnsingable, err) // a pure function of its inputs
	}
	sub, err := freshDir(dir, lyricsDir)
	if err != nil {
		return LyricsOutput{}, err
	}
	out := LyricsOutput{Lyrics: filepath.Join(sub, "lyrics.json"), Plan: filepath.Join(sub, "plan.json"), FallbackReason: l.FallbackReason}
	if err := writeJSON(out.Lyrics, l); err != nil {
		return LyricsOutput{}, err
	}
	if err := plan.Save(out.Plan); err != nil {
		return LyricsOutput{}, err
	}
	return out, nil
}

// CheckImages keeps the crawler's photos that decode and are big enough for video,
// puts them in the order to show them in a frame of aspect (order.go), and says
// whether there are enough for a slideshow.
func (s Steps) CheckImages(ctx context.Context, images []crawl.Image, logo *PhotoRef, aspect string, progress func(float64)) (ImagesOutput, error) {
	out := ImagesOutput{Photos: []PhotoRef{}, Logo: logo}
	for i, img := range images {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		progress(float64(i) / float64(len(images)+1))
		f, err := os.Open(img.Path)
		if err != nil {
			continue
		}
		cfg, _, err := image.DecodeConfig(f)
		f.Close()
		if err != nil || min(cfg.Width, cfg.Height) < MinPhotoSide {
			continue
		}
		out.Photos = append(out.Photos, PhotoRef{Path: img.Path, Width: cfg.Width, Height: cfg.Height,
			Source: o2sound.PhotoFromSite, Format: "jpeg"})
	}
	out.Photos = orderForVideo(out.Photos, aspect)
	out.Cards = len(out.Photos) < 3
	return out, nil
}

// MakeMusic composes and renders the song (or asks the configured provider) into dir.
func (s Steps) MakeMusic(ctx context.Context, p business.Profile, ly LyricsOutput, dir string, progress func(float64)) (MusicOutput, error) {
	plan, err := songplan.Load(ly.Plan)
	if err != nil {
		return MusicOutput{}, err
	}
	var l lyrics.Lyrics
	if err := readJSON(ly.Lyrics, &l); err != nil {
		return MusicOutput{}, err
	}
	sub, err := freshDir(dir, songDir)
	if err != nil {
		return MusicOutput{}, err
	}
	// The plan's seed, not the task's: a re-make with new words keeps the tune's character.
	song, err := music.MakeSong(ctx, p, &l, sub, music.SongOptions{Seed: plan.Seed, Plan: plan, SoundFont: s.SoundFont,
		Voice: s.Voice, Provider: s.Provider, Progress: progress})
	if err != nil {
		return MusicOutput{}, err
	}
	return MusicOutput{Song: song.AudioPath, Plan: song.PlanPath, Source: song.Source, Fallback: song.FallbackReason, Duration: song.Plan.Duration}, nil
}

// RenderVideo cuts the slideshow on the plan's bars into dir.
func (s Steps) RenderVideo(ctx context.Context, p business.Profile, ly LyricsOutput, im ImagesOutput, aspect, dir string, progress func(float64)) (VideoOutput, error) {
	plan, err := songplan.Load(ly.Plan)
	if err != nil {
		return VideoOutput{}, err
	}
	a, err := video.ParseAspect(aspect)
	if err != nil {
		return VideoOutput{}, err
	}
	sub, err := freshDir(dir, videoDir)
	if err != nil {
		return VideoOutput{}, err
	}
	images := make([]string, len(im.Photos))
	for i, ph := range im.Photos {
		images[i] = ph.Path
	}
	out := VideoOutput{Slideshow: filepath.Join(sub, "slideshow.mp4")}
	logo := ""
	if im.Logo != nil {
		logo = im.Logo.Path
	}
	err = video.RenderSlideshow(ctx, video.SlideshowInput{Images: images, Logo: logo, Plan: plan, Profile: p, Aspect: a,
		Scale: s.VideoScale, Out: out.Slideshow, Progress: progress, FontPath: s.FontPath})
	return out, err
}

// Merge puts song and slideshow together into dir/final.mp4 with a thumbnail.
func (s Steps) Merge(ctx context.Context, p business.Profile, mu MusicOutput, vo VideoOutput, dir string, progress func(float64)) (MergeOutput, error) {
	sub, err := freshDir(dir, mergeDir)
	if err != nil {
		return MergeOutput{}, err
	}
	out := filepath.Join(sub, "final.mp4")
	thumb := filepath.Join(sub, "thumb.jpg")
	res, err := video.Merge(ctx, video.MergeInput{Video: vo.Slideshow, Audio: mu.Song, Out: out, Thumbnail: thumb, Progress: progress})
	if err != nil {
		return MergeOutput{}, err
	}
	// Captions follow the plan the audio was made to (a provider's song re-times it).
	plan, err := songplan.Load(mu.Plan)
	if err != nil {
		return MergeOutput{}, err
	}
	cues := captions.FromPlan(plan)
	vtt, srt := filepath.Join(sub, "captions.vtt"), filepath.Join(sub, "captions.srt")
	if err := captions.WriteVTT(vtt, cues); err != nil {
		return MergeOutput{}, err
	}
	if err := captions.WriteSRT(srt, cues); err != nil {
		return MergeOutput{}, err
	}
	title, desc := titleOf(p)
	return MergeOutput{Video: out, Thumbnail: res.Thumbnail, Duration: res.Duration, Width: res.Width, Height: res.Height,
		SizeBytes: res.Size, Title: title, Description: desc, CaptionsVTT: vtt, CaptionsSRT: srt}, nil
}

// titleOf names the video in the site's language, like the seed's "카페 블루문 홍보 영상".
func titleOf(p business.Profile) (title, description string) {
	name := p.Name
	if name == "" {
		name = "O2Sound"
	}
	description = p.Description
	if p.IsKorean() {
		if description == "" {
			description = name + " 소개 영상"
		}
		return name + " 홍보 영상", description
	}
	if description == "" {
		description = "A short film about " + name
	}
	return name + " promo video", description
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o640); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	return json.Unmarshal(b, v)
}
