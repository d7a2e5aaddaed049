package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/crawl"
	"github.com/o2sound/o2sound/internal/files"
	"github.com/o2sound/o2sound/internal/imageprep"
	"github.com/o2sound/o2sound/internal/lyrics"
	"github.com/o2sound/o2sound/internal/music/score"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/songplan"
)

// LocalDraft is "o2sound make -review"'s draft.json: the API's draft with files in
// place of photo ids, plus what the crawl found beyond the facts (language, colours,
// category) and the song's seed and key, so "-draft" needs neither the site nor a
// database. Photo files are relative to the draft's folder (or absolute).
type LocalDraft struct {
	Source   string              `json:"source"`
	Facts    o2sound.Facts       `json:"facts"`
	Lyrics   o2sound.DraftLyrics `json:"lyrics"`
	Photos   []LocalPhoto        `json:"photos"`
	Logo     *LocalPhoto         `json:"logo"`
	Style    o2sound.Style       `json:"style"`
	Aspect   string              `json:"aspect"`
	Duration float64             `json:"duration"`
	Profile  business.Profile    `json:"profile"`
	Seed     int64               `json:"seed"`
	Key      string              `json:"key"`
}

// LocalPhoto is one picture of a local draft.
type LocalPhoto struct {
	File string `json:"file"`
}

// ReviewLocal crawls source and writes its lyrics and photos, then a draft to
// draftPath with the photos in a "draft-photos" folder beside it, and stops: nothing
// is composed or rendered.
func ReviewLocal(ctx context.Context, source, draftPath string, o LocalOptions) (*LocalDraft, error) {
	if o.Progress == nil {
		o.Progress = func(o2sound.Stage, float64) {}
	}
	tmp, err := os.MkdirTemp("", "o2sound-review-*")
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	defer os.RemoveAll(tmp)
	seed := o.Seed
	if seed == 0 {
		seed = seedOf(source)
	}
	cr, err := crawlLocal(ctx, source, filepath.Join(tmp, crawlDir), o)
	if err != nil {
		return nil, err
	}
	o.Progress(o2sound.StageCrawl, 1)
	ly, err := o.WriteLyrics(ctx, cr.Profile, seed, o.Duration, tmp)
	if err != nil {
		return nil, err
	}
	o.Progress(o2sound.StageLyrics, 1)
	im, err := o.CheckImages(ctx, cr.Images, logoRef(cr), o.Aspect, func(f float64) { o.Progress(o2sound.StageImages, f) })
	if err != nil {
		return nil, err
	}
	var words lyrics.Lyrics
	if err := readJSON(ly.Lyrics, &words); err != nil {
		return nil, err
	}
	plan, err := songplan.Load(ly.Plan)
	if err != nil {
		return nil, err
	}

	base := filepath.Dir(draftPath)
	photoDir := filepath.Join(base, "draft-photos")
	if err := os.RemoveAll(photoDir); err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	if err := os.MkdirAll(photoDir, 0o755); err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	keep := func(ref PhotoRef, name string) (LocalPhoto, error) {
		dst := filepath.Join(photoDir, name+filepath.Ext(ref.Path))
		if err := files.LinkFile(ref.Path, dst); err != nil {
			return LocalPhoto{}, err
		}
		os.Chmod(dst, 0o644)
		rel, _ := filepath.Rel(base, dst)
		return LocalPhoto{File: rel}, nil
	}
	aspect := o.Aspect
	if aspect == "" {
		aspect = "16:9"
	}
	p := cr.Profile
	d := &LocalDraft{Source: source, Profile: p, Seed: plan.Seed, Key: plan.Key, Aspect: aspect,
		Duration: score.ClampTarget(o.Duration).Seconds(), Photos: []LocalPhoto{},
		Facts: o2sound.Facts{Name: p.Name, Tagline: p.Tagline, Phone: p.Phone, Address: p.Address, Website: p.URL,
			Hashtags: append([]string{}, p.Hashtags...)},
		Lyrics: o2sound.DraftLyrics{Title: words.Title},
		Style:  o2sound.Style{Genre: plan.Genre, Mood: plan.Mood, Tempo: plan.Tempo}}
	for _, s := range words.Sections {
		d.Lyrics.Sections = append(d.Lyrics.Sections, o2sound.DraftSection{Name: s.Name, Lines: s.Lines})
	}
	for i, ph := range im.Photos {
		lp, err := keep(ph, fmt.Sprintf("photo-%02d", i+1))
		if err != nil {
			return nil, err
		}
		d.Photos = append(d.Photos, lp)
	}
	if im.Logo != nil {
		lp, err := keep(*im.Logo, "logo")
		if err != nil {
			return nil, err
		}
		d.Logo = &lp
	}
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(draftPath, append(b, '\n'), 0o644); err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	o.Progress(o2sound.StageImages, 1)
	return d, nil
}

// crawlLocal reads a folder or a URL into dir.
func crawlLocal(ctx context.Context, source, dir string, o LocalOptions) (*crawl.Result, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	o.Progress(o2sound.StageCrawl, 0.05)
	var res *crawl.Result
	var err error
	switch st, serr := os.Stat(source); {
	case serr == nil && st.IsDir():
		res, err = crawl.CrawlDir(ctx, source, crawl.Options{OutDir: dir})
	case strings.Contains(source, "://") || !strings.ContainsAny(source, `/\`):
		res, err = crawl.Crawl(ctx, source, crawl.Options{Fetch: o.Fetch, OutDir: dir, Render: o.Render, Renderer: o.Renderer})
	default:
		return nil, fmt.Errorf("pipeline: %s is neither a folder nor a URL", source)
	}
	if err != nil {
		return nil, err
	}
	nationalPhone(&res.Profile)
	return res, nil
}

// MakeFromDraft renders the video of an edited local draft: the facts, words (sung as
// written), photos, logo, style, shape and length it says, without the site.
func MakeFromDraft(ctx context.Context, draftPath, out string, o LocalOptions) (*LocalResult, error) {
	if o.Progress == nil {
		o.Progress = func(o2sound.Stage, float64) {}
	}
	b, err := os.ReadFile(draftPath)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	var d LocalDraft
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("pipeline: %s is not a draft: %w", draftPath, err)
	}
	dir, err := os.MkdirTemp(filepath.Dir(absOrSelf(out)), ".o2sound-make-*")
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	defer os.RemoveAll(dir)

	v := &o2sound.Validator{}
	p := d.Profile
	name, tagline, phone, address, website := d.Facts.Name, d.Facts.Tagline, d.Facts.Phone, d.Facts.Address, d.Facts.Website
	applyFacts(v, &p, &o2sound.FactChanges{Name: &name, Tagline: &tagline, Phone: &phone, Address: &address, Website: &website,
		Hashtags: d.Facts.Hashtags})
	words := checkLyrics(v, &d.Lyrics, "")
	genre, tempo := checkStyle(v, &o2sound.StyleChanges{Genre: d.Style.Genre, Mood: d.Style.Mood, Tempo: d.Style.Tempo}, d.Style.Genre)
	v.Check(d.Aspect == "16:9" || d.Aspect == "9:16" || d.Aspect == "1:1", "aspect", "one of 16:9, 9:16, 1:1")
	v.Check(d.Duration >= 15 && d.Duration <= 90, "duration", "between 15 and 90 seconds")
	v.Check(len(d.Photos) <= o2sound.MaxDraftPhotos, "photos", fmt.Sprintf("at most %d photos", o2sound.MaxDraftPhotos))
	if err := v.Err(); err != nil {
		return nil, draftError(draftPath, err)
	}

	// Every picture goes through the same checks as a crawled or uploaded one.
	base := filepath.Dir(draftPath)
	prepare := func(lp LocalPhoto, i int, logo bool) (PhotoRef, error) {
		src := lp.File
		if !filepath.IsAbs(src) {
			src = filepath.Join(base, src)
		}
		f, err := os.Open(src)
		if err != nil {
			return PhotoRef{}, fmt.Errorf("pipeline: draft photo %d: %w", i+1, err)
		}
		defer f.Close()
		dst := filepath.Join(dir, imagesDir, fmt.Sprintf("%02d.jpg", i))
		if logo {
			dst = filepath.Join(dir, imagesDir, "logo.png")
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return PhotoRef{}, err
		}
		var w, h int
		if logo {
			w, h, err = crawl.PrepareLogo(f, dst)
		} else {
			w, h, err = imageprep.PrepareImage(f, dst, 0)
		}
		if err != nil {
			return PhotoRef{}, fmt.Errorf("pipeline: draft photo %s: %w", lp.File, err)
		}
		return PhotoRef{Path: dst, Width: w, Height: h}, nil
	}
	res := &LocalResult{Crawl: CrawlOutput{Profile: p}}
	res.Images = ImagesOutput{Photos: []PhotoRef{}}
	for i, lp := range d.Photos {
		ref, err := prepare(lp, i, false)
		if err != nil {
			return nil, err
		}
		if min(ref.Width, ref.Height) >= MinPhotoSide {
			res.Images.Photos = append(res.Images.Photos, ref)
		}
	}
	if d.Logo != nil && d.Logo.File != "" {
		ref, err := prepare(*d.Logo, 0, true)
		if err != nil {
			return nil, err
		}
		res.Images.Logo = &ref
	}
	res.Images.Cards = len(res.Images.Photos) < 3

	// The draft holds the crawl's, the lyrics' and the images' results: those stages
	// only write their files; the rest of the graph runs as in MakeLocal.
	var vo VideoOutput
	done := func(context.Context) error { return nil }
	steps := map[o2sound.Stage]func(context.Context) error{
		o2sound.StageCrawl: done, o2sound.StageImages: done,
		o2sound.StageLyrics: func(context.Context) (err error) {
			// The draft's key stays unless the owner removed it ("key": "" lets a new one be chosen).
			res.Lyrics, err = SaveLyrics(p, words, score.PlanOptions{Seed: d.Seed, Target: time.Duration(d.Duration * float64(time.Second)),
				Genre: genre, Tempo: tempo, Key: d.Key}, dir)
			return err
		},
		o2sound.StageMusic: func(ctx context.Context) (err error) {
			res.Music, err = o.MakeMusic(ctx, p, res.Lyrics, dir, func(f float64) { o.Progress(o2sound.StageMusic, f) })
			return err
		},
		o2sound.StageVideo: func(ctx context.Context) (err error) {
			vo, err = o.RenderVideo(ctx, p, res.Lyrics, res.Images, d.Aspect, dir, func(f float64) { o.Progress(o2sound.StageVideo, f) })
			return err
		},
		o2sound.StageMerge: func(ctx context.Context) error { return o.mergeInto(ctx, p, res, vo, dir, out) },
	}
	if err := runGraph(ctx, steps, o.Progress); err != nil {
		return nil, err
	}
	return res, nil
}

// draftError lists a draft's failing fields in one message.
func draftError(path string, err error) error {
	var de *o2sound.Error
	if !errors.As(err, &de) {
		return err
	}
	var parts []string
	if fields, ok := de.Details.([]o2sound.FieldError); ok {
		for _, f := range fields {
			parts = append(parts, f.Field+": "+f.Message)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, de.Message)
	}
	return fmt.Errorf("%s: %s", path, strings.Join(parts, "; "))
}
