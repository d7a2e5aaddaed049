package video

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/o2sound/o2sound/internal/video/artwork"
	"github.com/o2sound/o2sound/internal/video/raster"
	"github.com/o2sound/o2sound/internal/video/videotest"
)

// decodeFrames decodes a video with ffmpeg into RGB frames and calls fn on every one.
func decodeFrames(t *testing.T, path string, w, h int, fn func(f int, rgb []byte)) {
	t.Helper()
	cmd := exec.Command("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-i", path,
		"-f", "rawvideo", "-pix_fmt", "rgb24", "-")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, w*h*3)
	f := 0
	for {
		if _, err := io.ReadFull(out, buf); err != nil {
			break
		}
		fn(f, buf)
		f++
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("ffmpeg decode: %v\n%s", err, stderr.String())
	}
}

// TestLogoOnTitleAndEndCards renders a slideshow with a magenta logo in every aspect,
// decodes the encoded video with ffmpeg and checks, frame by frame, that the logo is on
// the title and end cards, at a sensible size, and on none of the photo shots.
func TestLogoOnTitleAndEndCards(t *testing.T) {
	t.Parallel()
	imgs := testImages(t, image.Pt(900, 600), image.Pt(500, 750), image.Pt(1200, 500), image.Pt(640, 640))
	logo := testLogo(t, 400, 200, videotest.Magenta, color.RGBA{20, 20, 30, 255}) // wide, like most wordmarks
	for _, a := range []Aspect{Landscape, Portrait, Square} {
		t.Run(a.String(), func(t *testing.T) {
			t.Parallel()
			plan := withSections(testPlan(120, 4, 12, "달빛 아래 빵 굽는 냄새", "Fresh bread every morning"), 2, 8, 2)
			in := SlideshowInput{Images: imgs, Plan: plan, Profile: videotest.Bakery(), Aspect: a, Scale: 0.25,
				Out: filepath.Join(t.TempDir(), "slides.mp4"), Logo: logo}
			r, err := newRenderer(in)
			if err != nil {
				t.Fatal(err)
			}
			if err := r.encode(context.Background(), in.Out, nil, nil); err != nil {
				t.Fatal(err)
			}
			tl := r.tl
			// What each frame should show, outside transitions: -1 mixed, 0 photo, 1 logo card.
			want := make([]int, tl.frames)
			for i := range want {
				want[i] = -1
			}
			last := len(tl.shots) - 1
			if tl.shots[0].content != (content{contentCard, int(artwork.CardOpening)}) || tl.shots[last].content != (content{contentCard, int(artwork.CardClosing)}) {
				t.Fatalf("timeline does not open and close on cards: %+v", tl.shots)
			}
			photos := 0
			for i, s := range tl.shots {
				end := s.end
				for f := s.start + s.in.frames; f < end; f++ {
					switch {
					case i == 0 || i == last:
						want[f] = 1
					case s.content.kind == contentImage:
						want[f] = 0
						photos++
					}
				}
			}
			if photos == 0 {
				t.Fatal("no photo shots to check")
			}
			m := float64(min(r.w, r.h))
			seen := map[int]int{} // want → frames checked
			decodeFrames(t, in.Out, r.w, r.h, func(f int, rgb []byte) {
				if f >= len(want) || want[f] < 0 {
					return
				}
				n := 0
				box := image.Rectangle{Min: image.Pt(r.w, r.h)}
				for i := 0; i < len(rgb); i += 3 {
					if videotest.IsMagenta(rgb[i], rgb[i+1], rgb[i+2]) {
						n++
						x, y := (i/3)%r.w, (i/3)/r.w
						box.Min.X, box.Min.Y = min(box.Min.X, x), min(box.Min.Y, y)
						box.Max.X, box.Max.Y = max(box.Max.X, x+1), max(box.Max.Y, y+1)
					}
				}
				seen[want[f]]++
				switch want[f] {
				case 0:
					if n > 2 {
						i := (box.Min.Y*r.w + box.Min.X) * 3
						t.Errorf("frame %d (a photo shot) has %d logo pixels in %v, rgb %v", f, n, box, rgb[i:i+3])
					}
				case 1:
					// The logo's disc is 71% of its height; it should stand between 5% and
					// 25% of the frame's short side, in the upper half of the frame.
					if n < 60 || float64(box.Dy()) < 0.05*m || float64(box.Dy()) > 0.25*m || box.Max.Y > r.h/2+r.h/8 {
						t.Errorf("frame %d (a card) logo: %d pixels in %v (frame %dx%d)", f, n, box, r.w, r.h)
					}
				}
			})
			if seen[0] == 0 || seen[1] == 0 {
				t.Errorf("checked %d photo frames and %d card frames", seen[0], seen[1])
			}
			t.Logf("%s: %d card frames with the logo, %d photo frames without", a, seen[1], seen[0])
		})
	}
}

// photoFile writes a w×h JPEG drawn by paint.
func photoFile(t *testing.T, name string, w, h int, paint func(x, y int) color.RGBA) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, paint(x, y))
		}
	}
	p := filepath.Join(t.TempDir(), name+".jpg")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := jpeg.Encode(f, img, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	return p
}

func grey(v uint8) color.RGBA { return color.RGBA{v, v, v, 255} }

func relLum(r, g, b uint8) float64 { return artwork.Luminance(color.RGBA{r, g, b, 255}) }

// captionContrast measures a drawn caption the way a reader meets it: the text is the
// glyphs' solid core, the surround the ring of pixels just beyond the outline (out to
// 0.15 em), and the ratio is taken between the darkest 5% of the text and the brightest
// 5% of the surround, so a few lucky pixels cannot carry it.
func captionContrast(frame *image.RGBA, art *captionArt) (ratio float64, text, ring int) {
	m := art.glyphs
	inner := artwork.Dilate(m, art.border+1)
	outer := artwork.Dilate(m, art.border+1+max(2, int(art.size*0.15)))
	var tl, rl []float64
	b := m.Rect
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			fx, fy := art.at.X+x, art.at.Y+y
			if !image.Pt(fx, fy).In(frame.Rect) {
				continue
			}
			c := frame.RGBAAt(fx, fy)
			l := relLum(c.R, c.G, c.B)
			core := m.AlphaAt(x, y).A == 255 && m.AlphaAt(x-1, y).A == 255 && m.AlphaAt(x+1, y).A == 255 &&
				m.AlphaAt(x, y-1).A == 255 && m.AlphaAt(x, y+1).A == 255
			switch {
			case core:
				tl = append(tl, l)
			case inner.AlphaAt(x, y).A == 0 && outer.AlphaAt(x, y).A > 0:
				rl = append(rl, l)
			}
		}
	}
	if len(tl) == 0 || len(rl) == 0 {
		return 0, len(tl), len(rl)
	}
	sort.Float64s(tl)
	sort.Float64s(rl)
	textL := tl[len(tl)*5/100]
	ringL := rl[len(rl)*95/100]
	return (max(textL, ringL) + 0.05) / (min(textL, ringL) + 0.05), len(tl), len(rl)
}

// TestCaptionsReadOnAnyPhoto draws caption frames over a near-white, a near-black and a
// busy mid-grey photo, with several brand colours, and measures the text against its
// surround on the rendered frame (after the Y'CbCr 4:2:0 conversion the encoder sees).
// The same measure over the bare white photo shows it would fail without the plate.
func TestCaptionsReadOnAnyPhoto(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	noise := make([]uint8, 1200*800)
	for i := range noise {
		noise[i] = uint8(70 + rng.IntN(130))
	}
	photos := map[string]string{
		"near-white": photoFile(t, "white", 1200, 800, func(x, y int) color.RGBA { return grey(uint8(246 + (x+y)%8)) }),
		"near-black": photoFile(t, "black", 1200, 800, func(x, y int) color.RGBA { return grey(uint8(4 + (x*y)%10)) }),
		"busy grey": photoFile(t, "busy", 1200, 800, func(x, y int) color.RGBA {
			v := noise[(y/3)*1200+x/3] // 3 px speckle: detail right at the size of strokes
			if (x/9+y/9)%2 == 0 {
				v = 255 - v
			}
			return grey(v)
		}),
	}
	brands := map[string][]string{
		"default":     nil,
		"dark brand":  {"#7a3b1d", "#f4c542"},
		"light brand": {"#fff8e7", "#fffde0"},
		"mid red":     {"#ff0000"},
	}
	lines := []string{"달빛 아래 빵 굽는 냄새 가득한 골목", "Fresh bread every morning on the corner",
		"역삼동 작은 가게 🍞", "Sourdough, croissants & coffee"}
	for _, a := range []Aspect{Landscape, Portrait} {
		for pname, photo := range photos {
			for bname, colors := range brands {
				t.Run(fmt.Sprintf("%s/%s/%s", a, pname, bname), func(t *testing.T) {
					t.Parallel()
					prof := videotest.Bakery()
					prof.Colors = colors
					plan := withSections(testPlan(120, 4, 10, lines...), 2, 6, 2)
					r, err := newRenderer(SlideshowInput{Images: []string{photo, photo, photo}, Plan: plan,
						Profile: prof, Aspect: a, Scale: 0.5, Out: "unused.mp4"})
					if err != nil {
						t.Fatal(err)
					}
					go r.pics.run(context.Background(), r.tl)
					pt := r.newPainter()
					buf := raster.NewYUV(r.w, r.h)
					checked := 0
					for _, c := range r.tl.captions {
						// A frame with the caption fully in, over a photo and not mid-transition.
						f := -1
						for g := c.start + captionFade; g < c.end-captionFade; g++ {
							s := r.tl.shots[r.tl.shotAt(g)]
							if s.content.kind == contentImage && g >= s.start+s.in.frames {
								f = g
								break
							}
						}
						if f < 0 {
							continue
						}
						art := r.captionArt(plan.Lines[c.line].Text)
						if err := pt.drawFrame(context.Background(), buf, f); err != nil {
							t.Fatal(err)
						}
						frame := raster.ToRGBA(buf)
						ratio, nt, nr := captionContrast(frame, art)
						savePNG(t, fmt.Sprintf("caption-%s-%s-%s-%d.png", a, strings.ReplaceAll(pname, " ", ""), strings.ReplaceAll(bname, " ", ""), c.line), frame)
						if nt < 50 || nr < 200 {
							t.Fatalf("line %d: %d text and %d surround pixels measured; the measure is broken", c.line, nt, nr)
						}
						if ratio < 4.5 {
							t.Errorf("line %d at frame %d: text-to-surround contrast %.2f < 4.5", c.line, f, ratio)
						}
						if pname == "near-white" {
							// The control: the same lettering with its outline and shadow but
							// no plate, on the same photo, fails the same measure.
							if err := pt.drawShot(context.Background(), buf, r.tl.shotAt(f), f, 1); err != nil {
								t.Fatal(err)
							}
							bare := raster.ToRGBA(buf)
							letters := artwork.PaintText(art.glyphs, artwork.TextStyle{Fill: artwork.White, Outline: art.border, Edge: artwork.Ink, Shadow: max(1, int(art.size/16))})
							draw.Draw(bare, letters.Rect.Add(art.at), letters, image.Point{}, draw.Over)
							ratio, _, _ := captionContrast(bare, art)
							if ratio >= 4.5 {
								t.Errorf("control: outline alone on white gives %.2f; the measure cannot tell", ratio)
							}
							t.Logf("line %d control, outline and shadow without the plate: %.2f", c.line, ratio)
						}
						t.Logf("line %d frame %d: contrast %.2f (%d text px, %d surround px)", c.line, f, ratio, nt, nr)
						checked++
					}
					if checked < 3 {
						t.Errorf("only %d captions over a photo", checked)
					}
				})
			}
		}
	}
}

// TestBadLogoFailsTheSlideshow: a slideshow asked for a logo it cannot read fails
// instead of leaving it out.
func TestBadLogoFailsTheSlideshow(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	text := filepath.Join(dir, "text.png")
	if err := os.WriteFile(text, []byte("not a picture"), 0o644); err != nil {
		t.Fatal(err)
	}
	in := SlideshowInput{Plan: testPlan(120, 4, 2), Profile: videotest.Bakery(), Aspect: Landscape, Scale: 0.1,
		Out: filepath.Join(dir, "o.mp4"), Logo: text}
	if err := RenderSlideshow(context.Background(), in); err == nil || !strings.Contains(err.Error(), "logo") {
		t.Errorf("RenderSlideshow with a bad logo: %v", err)
	}
}
