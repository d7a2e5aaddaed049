package video

import (
	"context"
	"fmt"
	"image"
	"image/draw"
	_ "image/jpeg" // the crawler re-encodes images as JPEG
	_ "image/png"  // tests and local folders may hold PNGs
	"math"
	"os"

	"github.com/o2sound/o2sound/internal/decodebudget"
	"github.com/o2sound/o2sound/internal/video/artwork"
	"github.com/o2sound/o2sound/internal/video/raster"
)

// A canvas is a picture ready for Ken Burns moves: converted to yuv420p once, at a size
// where the widest view the moves use maps about 1:1 to output pixels, so per-frame
// sampling never shrinks much (no aliasing) and never enlarges much (no mush).

// zoomHeadroom is how far moves may zoom in from the widest view before the canvas is
// enlarged past its own pixels.
const zoomHeadroom = 1.15

// coverMinRatio is the smallest ratio of aspect ratios (narrower over wider) that is filled
// by cropping; pictures further from the frame's shape are shown whole on a blurred copy
// of themselves instead, since cropping would lose more than half of them.
const coverMinRatio = 0.5

// minImageSide is the smallest short side of a usable picture: anything smaller would be
// blown up into a smear even in a 270p preview.
const minImageSide = 200

// maxImagePixels bounds what is decoded, so a hostile or absurd file cannot take the
// memory budget.
const maxImagePixels = 40 << 20

// canvas is a prepared picture.
type canvas struct {
	pic   *raster.YUV
	base  raster.View // the widest view of the frame's shape (zoom 1), centred on the interest
	fill  bool        // the picture is shown whole over a blurred fill
	image int         // index into the input images; -1 for cards
}

// loadImage decodes an image file, refusing ones too small or too large to use.
func loadImage(path string) (*image.RGBA, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return nil, err
	}
	if cfg.Width*cfg.Height > maxImagePixels {
		return nil, fmt.Errorf("%dx%d is too large", cfg.Width, cfg.Height)
	}
	if min(cfg.Width, cfg.Height) < minImageSide {
		return nil, fmt.Errorf("%dx%d is too small", cfg.Width, cfg.Height)
	}
	if _, err := f.Seek(0, 0); err != nil {
		return nil, err
	}
	// The decoded picture and its RGBA copy come out of the process's decode budget,
	// shared with the crawler and uploads, while both exist.
	px := int64(cfg.Width) * int64(cfg.Height)
	release, err := decodebudget.Acquire(context.Background(), 8*px)
	if err != nil {
		return nil, err
	}
	defer release()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, err
	}
	if rgba, ok := img.(*image.RGBA); ok && rgba.Rect.Min == (image.Point{}) {
		return rgba, nil
	}
	b := img.Bounds()
	rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(rgba, rgba.Rect, img, b.Min, draw.Src)
	return rgba, nil
}

// newImageCanvas prepares a picture for a w×h frame.
func newImageCanvas(img *image.RGBA, w, h int) *canvas {
	iw, ih := float64(img.Rect.Dx()), float64(img.Rect.Dy())
	frameAR, imgAR := float64(w)/float64(h), iw/ih
	ratio := math.Min(frameAR, imgAR) / math.Max(frameAR, imgAR)
	if ratio < coverMinRatio {
		return newFillCanvas(img, w, h)
	}
	// s: output pixels per source pixel at zoom 1; c: canvas pixels per source pixel.
	s := math.Max(float64(w)/iw, float64(h)/ih)
	c := math.Min(1, s*zoomHeadroom)
	cw, ch := evenAtLeast2(iw*c), evenAtLeast2(ih*c)
	scaled := img
	if cw != img.Rect.Dx() || ch != img.Rect.Dy() {
		scaled = raster.Resize(img, cw, ch)
	}
	k := c / s // canvas pixels per output pixel at zoom 1
	vw, vh := math.Min(float64(w)*k, float64(cw)), math.Min(float64(h)*k, float64(ch))
	cx, cy := interestCenter(scaled, vw, vh)
	return &canvas{
		pic:  raster.FromRGBA(scaled),
		base: frameShaped(raster.View{X: cx - vw/2, Y: cy - vh/2, W: vw, H: vh}, w, h),
	}
}

// newFillCanvas shows the whole picture, centred and as large as fits, over a blurred,
// darkened copy of itself that covers the frame: no black bars, nothing stretched.
func newFillCanvas(img *image.RGBA, w, h int) *canvas {
	iw, ih := float64(img.Rect.Dx()), float64(img.Rect.Dy())
	cw, ch := evenAtLeast2(float64(w)*1.1), evenAtLeast2(float64(h)*1.1)
	// Background: crop to the frame's shape, shrink a lot, blur, enlarge.
	cover := math.Max(float64(cw)/iw, float64(ch)/ih)
	crop := image.Rect(0, 0, int(float64(cw)/cover), int(float64(ch)/cover))
	crop = crop.Add(image.Pt((img.Rect.Dx()-crop.Dx())/2, (img.Rect.Dy()-crop.Dy())/2))
	small := raster.Resize(raster.Crop(img, crop), max(8, cw/16), max(8, ch/16))
	raster.Blur(small, max(1, small.Rect.Dx()/40))
	bg := raster.Resize(small, cw, ch)
	raster.Tint(bg, artwork.Ink, 0.35)
	// Foreground: the whole picture, fitted inside 92% of the canvas.
	fit := math.Min(float64(cw)*0.92/iw, float64(ch)*0.92/ih)
	fw, fh := evenAtLeast2(iw*fit), evenAtLeast2(ih*fit)
	fg := raster.Resize(img, fw, fh)
	at := image.Pt((cw-fw)/2, (ch-fh)/2)
	draw.Draw(bg, fg.Rect.Add(at), fg, image.Point{}, draw.Src)
	return &canvas{
		pic:  raster.FromRGBA(bg),
		base: frameShaped(raster.View{W: float64(cw), H: float64(ch)}, w, h),
		fill: true,
	}
}

// frameShaped shrinks v about its centre to exactly the frame's aspect ratio. Canvas sizes
// are rounded to even pixels, and a view even a fraction of a pixel off the frame's shape
// would stretch the picture by that much.
func frameShaped(v raster.View, w, h int) raster.View {
	ar := float64(w) / float64(h)
	cx, cy := v.X+v.W/2, v.Y+v.H/2
	if v.W/v.H > ar {
		v.W = v.H * ar
	} else {
		v.H = v.W / ar
	}
	return raster.View{X: cx - v.W/2, Y: cy - v.H/2, W: v.W, H: v.H}
}

func evenAtLeast2(v float64) int { return max(2, int(v+0.5)&^1) }

// interestCenter finds where a vw×vh window over img holds the most detail (edges), a
// cheap stand-in for "where the subject is", mildly biased to the centre because
// photographers frame that way. Only the axis with spare room is searched.
func interestCenter(img *image.RGBA, vw, vh float64) (float64, float64) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	cx, cy := float64(w)/2, float64(h)/2
	spareX, spareY := float64(w)-vw, float64(h)-vh
	if spareX < 2 && spareY < 2 {
		return cx, cy
	}
	// Edge energy on a coarse grid of about 64 cells along the long side.
	step := max(1, max(w, h)/64)
	gw, gh := w/step, h/step
	if gw < 2 || gh < 2 {
		return cx, cy
	}
	lum := func(x, y int) int32 {
		p := img.Pix[img.PixOffset(x*step, y*step):]
		return (int32(p[0])*54 + int32(p[1])*183 + int32(p[2])*19) >> 8
	}
	prof := make([]float64, max(gw, gh))
	alongX := spareX >= spareY
	for gy := 0; gy < gh-1; gy++ {
		for gx := 0; gx < gw-1; gx++ {
			l := lum(gx, gy)
			e := math.Abs(float64(lum(gx+1, gy)-l)) + math.Abs(float64(lum(gx, gy+1)-l))
			if alongX {
				prof[gx] += e
			} else {
				prof[gy] += e
			}
		}
	}
	n, win, spare := gw, int(vw)/step, spareX
	if !alongX {
		n, win, spare = gh, int(vh)/step, spareY
	}
	win = clampInt(win, 1, n)
	best, bestScore := (n-win)/2, math.Inf(-1)
	var total float64
	for _, v := range prof[:n] {
		total += v
	}
	for start := 0; start+win <= n; start++ {
		var sum float64
		for _, v := range prof[start : start+win] {
			sum += v
		}
		off := math.Abs(float64(start)+float64(win)/2-float64(n)/2) / float64(n)
		score := sum - total*0.5*off // the centre wins unless the edges clearly hold more
		if score > bestScore {
			best, bestScore = start, score
		}
	}
	c := (float64(best) + float64(win)/2) * float64(step)
	if alongX {
		return clampF(c, vw/2, vw/2+spare), cy
	}
	return cx, clampF(c, vh/2, vh/2+spare)
}

func clampF(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
