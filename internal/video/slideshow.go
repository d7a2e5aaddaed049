package video

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/ffmpeg"
	"github.com/o2sound/o2sound/internal/songplan"
	"github.com/o2sound/o2sound/internal/video/artwork"
	"github.com/o2sound/o2sound/internal/video/raster"
)

// SlideshowInput is everything RenderSlideshow needs.
type SlideshowInput struct {
	Images   []string         // JPEG paths, ranked best first
	Plan     *songplan.Plan   // cuts fall on its bars; captions follow its lines
	Profile  business.Profile // card text and brand colours
	Aspect   Aspect
	Scale    float64 // 1 = full size; smaller for previews and tests; 0 means 1
	Out      string  // the MP4 to write (video only)
	Progress func(frac float64)
	FontPath string // a TTF/OTF with Hangul and Latin; empty: the installed Nanum fonts
	// Logo is a PNG or JPEG (transparency kept) shown on the title and end cards;
	// empty for none. A logo that cannot be read is an error, not a silent omission.
	Logo string
}

// thumbTag marks, in the slideshow's container comment, the time of the frame Merge
// should use for the thumbnail; the frame is chosen where the timeline is known.
const thumbTag = "o2sound:thumbnail="

// X264Options are the x264 settings of the slideshow, shared by Merge when it has to
// re-encode and by the benchmark's baselines.
func X264Options() []ffmpeg.Option {
	return []ffmpeg.Option{
		ffmpeg.VideoCodec("libx264"), ffmpeg.Preset("veryfast"), ffmpeg.Profile("high"),
		ffmpeg.PixFmt("yuv420p"), ffmpeg.Opt("crf", "20"),
		ffmpeg.Opt("g", strconv.Itoa(2*fps)), // a keyframe every two seconds for seeking
		// The frames are BT.709 limited range; say so, or players guess by size.
		ffmpeg.Opt("colorspace", "bt709"), ffmpeg.Opt("color_primaries", "bt709"),
		ffmpeg.Opt("color_trc", "bt709"), ffmpeg.Opt("color_range", "tv"),
	}
}

// RenderSlideshow draws the slideshow for a song plan and encodes it to in.Out as H.264
// (High, yuv420p) at 30 fps, exactly as long as the plan. Frames are drawn in Go and piped
// raw into ffmpeg. With fewer than three usable images the middle of the video is made of
// generated cards.
func RenderSlideshow(ctx context.Context, in SlideshowInput) error {
	r, err := newRenderer(in)
	if err != nil {
		return err
	}
	return r.encode(ctx, in.Out, in.Progress, nil)
}

// WriteSlideshowFrames draws the frames RenderSlideshow would encode and writes them
// to w as raw yuv420p instead (in.Out is not written). The benchmark times x264 alone
// on exactly these frames.
func WriteSlideshowFrames(ctx context.Context, in SlideshowInput, w io.Writer) error {
	r, err := newRenderer(in)
	if err != nil {
		return err
	}
	return r.encode(ctx, in.Out, in.Progress, w)
}

// renderer holds everything prepared for drawing one slideshow.
type renderer struct {
	w, h     int
	lay      artwork.Layout
	tf       *artwork.Typeface
	pal      artwork.Palette
	plan     *songplan.Plan
	tl       timeline
	images   []string // usable image paths, best first
	cards    []cardAssets
	pics     *picturePrep
	captions []*raster.Overlay // by plan line index
	moves    []moveSlot        // by shot
	dip      raster.YCC
}

type cardAssets struct {
	bg   *canvas
	text *raster.Overlay
}

func newRenderer(in SlideshowInput) (*renderer, error) {
	if in.Plan == nil {
		return nil, errors.New("video: no song plan")
	}
	if err := in.Plan.Validate(); err != nil {
		return nil, fmt.Errorf("video: %w", err)
	}
	if in.Out == "" {
		return nil, errors.New("video: no output path")
	}
	if strings.TrimSpace(in.Profile.Name) == "" {
		return nil, errors.New("video: profile has no name")
	}
	scale := in.Scale
	if scale == 0 {
		scale = 1
	}
	w, h, err := in.Aspect.Size(scale)
	if err != nil {
		return nil, err
	}
	tf, err := artwork.LoadFont(in.FontPath)
	if err != nil {
		return nil, err
	}
	var logo *image.RGBA
	if in.Logo != "" {
		if logo, err = artwork.LoadLogo(in.Logo); err != nil {
			return nil, err
		}
	}
	r := &renderer{
		w: w, h: h, lay: artwork.NewLayout(w, h), tf: tf, plan: in.Plan,
		pal: artwork.NewPalette(in.Profile.Colors),
	}
	r.dip = raster.RGBToYCC(r.pal.BgDeep.R, r.pal.BgDeep.G, r.pal.BgDeep.B)

	// Usability is judged from the header alone, so the timeline can be laid out now
	// and the pictures decoded while frames are already being encoded.
	for _, p := range in.Images {
		if usableImage(p) {
			r.images = append(r.images, p)
		}
	}

	// Cards: 0 opening, 1 closing, then the fallback cards that have something to say.
	var first *image.RGBA // the best picture, for the opening card's background
	var firstCanvas *canvas
	for i, p := range r.images {
		img, err := loadImage(p)
		if err != nil {
			continue
		}
		first = img
		firstCanvas = newImageCanvas(img, w, h)
		firstCanvas.image = i
		break
	}
	kinds := []artwork.CardKind{artwork.CardOpening, artwork.CardClosing}
	for _, k := range []artwork.CardKind{artwork.CardAbout, artwork.CardTopics} {
		if artwork.HasContent(k, in.Profile) {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 2 {
		kinds = append(kinds, artwork.CardOpening) // nothing else to say: repeat the name
	}
	for i, k := range kinds {
		var photo *image.RGBA
		if k == artwork.CardOpening && i == 0 {
			photo = first
		}
		bg := newCardCanvas(r.pal, w, h, photo, i)
		var badge *image.RGBA
		if i < 2 { // the title and end cards; a repeated name card in the middle goes without
			badge = logo
		}
		r.cards = append(r.cards, cardAssets{bg: bg, text: layerOverlay(artwork.CardText(tf, k, in.Profile, r.pal, r.lay, badge))})
	}

	r.tl = buildTimeline(timelineInput{
		plan: in.Plan, images: len(r.images), infoCards: len(r.cards) - 2, tall: h > w,
	})
	r.moves = make([]moveSlot, len(r.tl.shots))
	for _, c := range r.tl.captions {
		if r.captions == nil {
			r.captions = make([]*raster.Overlay, len(in.Plan.Lines))
		}
		r.captions[c.line] = r.captionOverlay(in.Plan.Lines[c.line].Text)
	}
	r.pics = newPicturePrep(r.images, w, h, firstCanvas, r.cards[0].bg)
	return r, nil
}

// usableImage checks a picture's header: decodable format, sensible size.
func usableImage(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	return err == nil && min(cfg.Width, cfg.Height) >= minImageSide && cfg.Width*cfg.Height <= maxImagePixels
}

// encode streams every frame into x264 through a pipe and writes the checked result,
// or, when raw is not nil, copies the frames from the pipe to raw.
func (r *renderer) encode(ctx context.Context, out string, progress func(float64), raw io.Writer) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go r.pics.run(ctx, r.tl)

	pr, pw, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("video: %w", err)
	}
	defer pr.Close()
	growPipe(pw, 1<<20) // the kernel's default ceiling (/proc/sys/fs/pipe-max-size)
	// Frames are drawn by one painter per core, each taking every n-th frame, while
	// the writer sends them in order down the pipe; x264 runs on its own threads. When
	// x264 is busy the painters wait for buffers; when it is starved both cores draw.
	workers := max(1, min(runtime.GOMAXPROCS(0), 4))
	const ahead = 2 // frames a painter may finish before the writer takes them
	// Enough buffers that the painter the writer waits for can always get one, even
	// when every other painter is as far ahead as it may go.
	free := make(chan *raster.YUV, workers*(ahead+1)+1)
	for range cap(free) {
		free <- raster.NewYUV(r.w, r.h)
	}
	outs := make([]chan *raster.YUV, workers)
	renderErr := make(chan error, workers)
	for w := range workers {
		outs[w] = make(chan *raster.YUV, ahead)
		go func() {
			defer close(outs[w])
			defer func() {
				if p := recover(); p != nil {
					renderErr <- fmt.Errorf("video: render panic: %v", p)
				}
			}()
			pt := r.newPainter()
			for f := w; f < r.tl.frames; f += workers {
				var buf *raster.YUV
				select {
				case buf = <-free:
				case <-ctx.Done():
					renderErr <- ctx.Err()
					return
				}
				if err := pt.drawFrame(ctx, buf, f); err != nil {
					renderErr <- err
					return
				}
				select {
				case outs[w] <- buf:
				case <-ctx.Done():
					renderErr <- ctx.Err()
					return
				}
			}
			renderErr <- nil
		}()
	}
	writeErr := make(chan error, 1)
	go func() {
		defer pw.Close() // EOF tells ffmpeg the last frame has come
		step := max(1, r.tl.frames/200)
		for f := 0; f < r.tl.frames; f++ {
			buf, ok := <-outs[f%workers]
			if !ok { // that painter failed; stop ffmpeg before it sees a short EOF
				cancel()
				writeErr <- nil
				return
			}
			if _, err := pw.Write(buf.Buf); err != nil {
				cancel()
				writeErr <- fmt.Errorf("video: writing frames: %w", err)
				return
			}
			free <- buf
			if progress != nil && (f+1)%step == 0 {
				progress(float64(f+1) / float64(r.tl.frames) * 0.98)
			}
		}
		writeErr <- nil
	}()

	duration := float64(r.tl.frames) / fps
	build := func(tmp string) ([]string, error) {
		return ffmpeg.New().
			InputPipe(ffmpeg.Format("rawvideo"), ffmpeg.PixFmt("yuv420p"), ffmpeg.Size(r.w, r.h), ffmpeg.FrameRate(fps)).
			OutputOptions(X264Options()...).
			OutputOptions(ffmpeg.Flag("an"), ffmpeg.Opt("movflags", "+faststart"),
				ffmpeg.Opt("metadata", "comment="+thumbTag+ffmpeg.FormatSeconds(float64(r.tl.thumb)/fps))).
			Output(tmp).Build()
	}
	if raw != nil {
		if _, err = io.Copy(raw, pr); err != nil {
			err = fmt.Errorf("video: raw frames: %w", err)
		}
	} else {
		_, err = ffmpeg.Produce(ctx, out, build, ffmpeg.RunOptions{
			Stdin:   pr,
			Timeout: 5*time.Minute + time.Duration(duration*8)*time.Second,
		}, ffmpeg.Expect{
			Video: true, VideoCodec: "h264", Profile: "High", PixFmt: "yuv420p", Width: r.w, Height: r.h,
			Duration: duration, Tolerance: 1.0 / fps,
		})
	}
	// ffmpeg is gone: close our read end so a blocked write fails instead of hanging,
	// then wait for both goroutines.
	pr.Close()
	if err != nil {
		cancel()
	}
	var rerr error
	for range workers {
		if err := <-renderErr; err != nil && (rerr == nil || errors.Is(rerr, context.Canceled)) {
			rerr = err
		}
	}
	werr := <-writeErr
	switch {
	case rerr != nil && !errors.Is(rerr, context.Canceled):
		return rerr // the cause; ffmpeg's error is only the consequence
	case err != nil:
		return fmt.Errorf("video: encode: %w", err)
	case werr != nil:
		return werr
	case rerr != nil:
		return rerr
	}
	if progress != nil {
		progress(1)
	}
	return nil
}
