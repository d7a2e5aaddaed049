package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/term"

	"github.com/o2sound/o2sound/internal/config"
	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/lyrics"
	"github.com/o2sound/o2sound/internal/music"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/pipeline"
)

// stepsFrom builds the pipeline steps from the configuration: the LLM lyric writer and
// the ACE-Step singer only when configured, the built-in ones otherwise.
func stepsFrom(cfg *config.Config) pipeline.Steps {
	s := pipeline.Steps{Lyrics: lyrics.New(lyrics.ConfigFromEnv()), VideoScale: cfg.VideoScale, Voice: cfg.MusicVoice}
	if ac := music.ACEStepConfigFromEnv(); ac.Enabled() {
		s.Provider = music.NewACEStep(ac)
	}
	return s
}

func makeCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("make", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "output MP4 (default: o2sound-<site or folder name>.mp4 in the current directory)")
	aspect := fs.String("aspect", "16:9", "video shape: 16:9, 9:16 or 1:1")
	duration := fs.Duration("duration", 30*time.Second, "song and video length, 15s to 90s")
	allowPrivate := fs.Bool("allow-private", false, "let the crawler reach private and loopback addresses (a site on this machine)")
	review := fs.Bool("review", false, "read the site, write the lyrics and pick the photos, then write draft.json (and draft-photos/) beside the output and stop")
	draftFile := fs.String("draft", "", "render from an edited draft.json (no URL or folder: the draft has what the site gave)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: o2sound make [flags] <URL | folder>\n       o2sound make -review [flags] <URL | folder>\n       o2sound make -draft draft.json [flags]\n\n"+
			"Makes one promotional video, start to finish, in this process.\nA folder is a saved site (index.html and its images) or photos plus a business.json.\n"+
			"-review stops after the lyrics and photos with a draft.json to edit; -draft makes the video from it.\n\nflags:")
		fs.PrintDefaults()
	}
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if *review && *draftFile != "" {
		return fmt.Errorf("-review and -draft do not go together: review writes a draft, -draft renders one")
	}
	var source string
	switch {
	case *draftFile != "" && len(positional) != 0:
		fs.Usage()
		return fmt.Errorf("make -draft takes no URL or folder: the draft has what the site gave")
	case *draftFile != "":
		d, err := readDraftSource(*draftFile)
		if err != nil {
			return err
		}
		source = d
	case len(positional) != 1:
		fs.Usage()
		return fmt.Errorf("make needs exactly one URL or folder")
	default:
		source = positional[0]
	}
	if *aspect != "16:9" && *aspect != "9:16" && *aspect != "1:1" {
		return fmt.Errorf("-aspect must be 16:9, 9:16 or 1:1")
	}
	if *duration < 15*time.Second || *duration > 90*time.Second {
		return fmt.Errorf("-duration must be from 15s to 90s")
	}
	cfg, err := config.ForLocal(os.Getenv) // make keeps nothing in a data directory
	if err != nil {
		return err
	}
	target := *out
	if target == "" {
		target = defaultOutput(source)
	}

	steps := stepsFrom(cfg)
	if err := steps.Preflight(); err != nil {
		return err
	}
	fo := fetch.Options{AllowPrivateNetworks: *allowPrivate || cfg.CrawlAllowPrivate}
	if steps.Render, steps.Renderer, err = rendering(cfg.CrawlRender, fo); err != nil {
		return err
	}
	bar := newProgressBar(stderr)
	start := time.Now()
	lo := pipeline.LocalOptions{
		Steps:    steps,
		Fetch:    fo,
		Aspect:   *aspect,
		Duration: *duration,
		Progress: bar.set,
	}
	if *review {
		draftPath := filepath.Join(filepath.Dir(target), "draft.json")
		d, err := pipeline.ReviewLocal(ctx, source, draftPath, lo)
		bar.finish()
		if err != nil {
			return privateHint(err, *allowPrivate || cfg.CrawlAllowPrivate)
		}
		fmt.Fprintf(stdout, "%s: %s, %d photos, %d lyric sections; edit it, then: o2sound make -draft %s -o %s\n",
			draftPath, d.Facts.Name, len(d.Photos), len(d.Lyrics.Sections), draftPath, target)
		return nil
	}
	var res *pipeline.LocalResult
	if *draftFile != "" {
		res, err = pipeline.MakeFromDraft(ctx, *draftFile, target, lo)
	} else {
		res, err = pipeline.MakeLocal(ctx, source, target, lo)
	}
	bar.finish()
	if err != nil {
		return privateHint(err, *allowPrivate || cfg.CrawlAllowPrivate)
	}
	fmt.Fprintf(stdout, "%s: %s, %.1f s, %dx%d, %.1f MB (made in %.1f s)\n", res.Video, res.Title, res.Duration, res.Width, res.Height,
		float64(res.SizeBytes)/1e6, time.Since(start).Seconds())
	if res.Thumbnail != "" {
		fmt.Fprintf(stdout, "thumbnail: %s\n", res.Thumbnail)
	}
	if len(res.Images.Photos) < 3 {
		fmt.Fprintf(stdout, "note: only %d usable photos were found, so the video uses title cards\n", len(res.Images.Photos))
	}
	for _, n := range []struct {
		stage o2sound.Stage
		note  string
	}{{o2sound.StageLyrics, res.Lyrics.StageNote()}, {o2sound.StageMusic, res.Music.StageNote()}} {
		if n.note != "" {
			fmt.Fprintf(stdout, "note: %s: %s\n", n.stage, n.note)
		}
	}
	return nil
}

// progressBar shows one bar per stage on a terminal, redrawn in place, and plain
// lines (every 25%) otherwise, so logs and CI output stay readable.
type progressBar struct {
	w      io.Writer
	tty    bool
	mu     sync.Mutex
	pct    map[o2sound.Stage]float64
	drawn  bool
	last   time.Time
	logged map[o2sound.Stage]int
}

func newProgressBar(w io.Writer) *progressBar {
	tty := false
	if f, ok := w.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	return &progressBar{w: w, tty: tty, pct: map[o2sound.Stage]float64{}, logged: map[o2sound.Stage]int{}}
}

var stageLabel = map[o2sound.Stage]string{
	o2sound.StageCrawl: "metadata", o2sound.StageLyrics: "lyrics", o2sound.StageImages: "images",
	o2sound.StageMusic: "song", o2sound.StageVideo: "video", o2sound.StageMerge: "combined",
}

func (b *progressBar) set(s o2sound.Stage, frac float64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	frac = min(max(frac, 0), 1)
	if frac < b.pct[s] {
		return
	}
	b.pct[s] = frac
	if !b.tty {
		step := int(frac * 4)
		if step > b.logged[s] || (frac == 1 && b.logged[s] < 4) {
			b.logged[s] = step
			fmt.Fprintf(b.w, "%-9s %3.0f%%\n", stageLabel[s], frac*100)
		}
		return
	}
	if time.Since(b.last) < 100*time.Millisecond && frac < 1 {
		return
	}
	b.last = time.Now()
	b.draw()
}

func (b *progressBar) draw() {
	if b.drawn {
		fmt.Fprintf(b.w, "\x1b[%dA", len(o2sound.Stages))
	}
	b.drawn = true
	const width = 30
	for _, s := range o2sound.Stages {
		f := b.pct[s]
		n := int(f * width)
		fmt.Fprintf(b.w, "\r\x1b[K%-9s [%s%s] %3.0f%%\n", stageLabel[s], strings.Repeat("█", n), strings.Repeat("·", width-n), f*100)
	}
}

func (b *progressBar) finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tty {
		b.draw()
	}
}

// defaultOutput names the video after its source: the site's host name or the
// folder's name, in characters safe in any file system ("o2sound-video.mp4" when
// nothing is left).
func defaultOutput(source string) string {
	name := filepath.Base(filepath.Clean(source))
	if u, err := url.Parse(source); err == nil && u.Hostname() != "" {
		name = u.Hostname()
	}
	name = strings.Trim(strings.Map(func(r rune) rune {
		if r == '.' || r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return '-'
	}, name), "-.")
	if name == "" {
		name = "video"
	}
	return "o2sound-" + name + ".mp4"
}

// readDraftSource reads the source a local draft was made from (it names the output).
func readDraftSource(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var d struct {
		Source string `json:"source"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return "", fmt.Errorf("%s is not a draft: %w", path, err)
	}
	return d.Source, nil
}
