package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	_ "image/jpeg" // the crawler's re-encoded images are JPEGs
	"os"
	"path/filepath"
	"time"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/crawl"
	"github.com/o2sound/o2sound/internal/lyrics"
	"github.com/o2sound/o2sound/internal/music"
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
}

// Stage outputs, stored as JSON in task_stages.output. Paths are inside the task's
// directory, so a retried stage finds what earlier stages made.
type (
	CrawlOutput struct {
		Profile business.Profile `json:"profile"`
		ItemID  string           `json:"item_id,omitempty"`
		Images  []crawl.Image    `json:"images"`
		Dropped int              `json:"dropped"`
	}
	LyricsOutput struct {
		Lyrics         string `json:"lyrics"` // lyrics.json
		Plan           string `json:"plan"`   // plan.json, before any audio exists
		FallbackReason string `json:"fallback_reason,omitempty"`
	}
	ImagesOutput struct {
		Images []string `json:"images"` // usable JPEGs, best first
		Cards  bool     `json:"cards"`  // too few photos: the video is built from cards
	}
	MusicOutput struct {
		Song     string  `json:"song"` // song.m4a
		Plan     string  `json:"plan"` // the plan the audio follows (re-timed for a provider's song)
		Source   string  `json:"source"`
		Fallback string  `json:"fallback_reason,omitempty"`
		Duration float64 `json:"duration"`
	}
	VideoOutput struct {
		Slideshow string `json:"slideshow"`
	}
)

// WriteLyrics writes lyrics.json and plan.json into dir.
func (s Steps) WriteLyrics(ctx context.Context, p business.Profile, seed int64, target time.Duration, dir string) (LyricsOutput, error) {
	w := s.Lyrics
	if w == nil {
		w = lyrics.NewBuiltin()
	}
	l, err := w.Write(ctx, p, seed)
	if err != nil {
		return LyricsOutput{}, err
	}
	plan, err := music.PlanSong(p, l, music.PlanOptions{Seed: seed, Target: target})
	if err != nil {
		return LyricsOutput{}, err
	}
	out := LyricsOutput{Lyrics: filepath.Join(dir, "lyrics.json"), Plan: filepath.Join(dir, "plan.json"), FallbackReason: l.FallbackReason}
	if err := writeJSON(out.Lyrics, l); err != nil {
		return LyricsOutput{}, err
	}
	if err := plan.Save(out.Plan); err != nil {
		return LyricsOutput{}, err
	}
	return out, nil
}

// CheckImages keeps the crawler's photos that decode and are big enough for video,
// and says whether there are enough for a slideshow.
func (s Steps) CheckImages(ctx context.Context, images []crawl.Image, progress func(float64)) (ImagesOutput, error) {
	out := ImagesOutput{Images: []string{}}
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
		if err != nil || min(cfg.Width, cfg.Height) < 240 {
			continue
		}
		out.Images = append(out.Images, img.Path)
	}
	out.Cards = len(out.Images) < 3
	return out, nil
}

// MakeMusic composes and renders the song (or asks the configured provider) into dir.
func (s Steps) MakeMusic(ctx context.Context, p business.Profile, ly LyricsOutput, seed int64, dir string, progress func(float64)) (MusicOutput, error) {
	plan, err := songplan.Load(ly.Plan)
	if err != nil {
		return MusicOutput{}, err
	}
	var l lyrics.Lyrics
	if err := readJSON(ly.Lyrics, &l); err != nil {
		return MusicOutput{}, err
	}
	songDir := filepath.Join(dir, "song")
	song, err := music.MakeSong(ctx, p, &l, songDir, music.SongOptions{Seed: seed, Plan: plan, SoundFont: s.SoundFont,
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
	out := VideoOutput{Slideshow: filepath.Join(dir, "slideshow.mp4")}
	err = video.RenderSlideshow(ctx, video.SlideshowInput{Images: im.Images, Plan: plan, Profile: p, Aspect: a,
		Scale: s.VideoScale, Out: out.Slideshow, Progress: progress, FontPath: s.FontPath})
	return out, err
}

// Merge puts song and slideshow together into dir/final.mp4 with a thumbnail.
func (s Steps) Merge(ctx context.Context, p business.Profile, mu MusicOutput, vo VideoOutput, dir string, progress func(float64)) (MergeOutput, error) {
	out := filepath.Join(dir, "final.mp4")
	thumb := filepath.Join(dir, "thumb.jpg")
	res, err := video.Merge(ctx, video.MergeInput{Video: vo.Slideshow, Audio: mu.Song, Out: out, Thumbnail: thumb, Progress: progress})
	if err != nil {
		return MergeOutput{}, err
	}
	title, desc := titleOf(p)
	return MergeOutput{Video: out, Thumbnail: res.Thumbnail, Duration: res.Duration, Width: res.Width, Height: res.Height,
		SizeBytes: res.Size, Title: title, Description: desc}, nil
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
		return fmt.Errorf("workflow: %w", err)
	}
	return json.Unmarshal(b, v)
}
