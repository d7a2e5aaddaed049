package imageprep

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/o2sound/o2sound/internal/crawl/crawltest"
)

func readJPEG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := jpeg.Decode(f)
	if err != nil {
		t.Fatalf("%s is not a JPEG: %v", path, err)
	}
	return img
}

var near = crawltest.Near

var (
	red, green, blue, yellow = crawltest.QuadrantColors[0], crawltest.QuadrantColors[1], crawltest.QuadrantColors[2], crawltest.QuadrantColors[3]
)

// TestPrepareImageOrientation stores a red/green/blue/yellow quadrant picture the way a
// camera would for each EXIF orientation and checks it comes out upright.
func TestPrepareImageOrientation(t *testing.T) {
	t.Parallel()
	// What a camera stores for each orientation so that, once applied, the picture shows
	// red top-left, green top-right, blue bottom-right, yellow bottom-left. Built from
	// the EXIF definition (where row 0 and column 0 of the stored image sit visually),
	// independently of the code under test.
	upright := crawltest.Quadrants(300, 200)
	stored := map[int]*image.RGBA{}
	for o := 1; o <= 8; o++ {
		stored[o] = crawltest.StoredFor(upright, o)
	}
	for o, img := range stored {
		t.Run(string(rune('0'+o)), func(t *testing.T) {
			t.Parallel()
			data := crawltest.WithOrientation(crawltest.JPEG(img, 95), uint16(o))
			if got := jpegOrientation(data); got != o {
				t.Fatalf("read orientation %d, want %d", got, o)
			}
			dst := filepath.Join(t.TempDir(), "out.jpg")
			w, h, err := PrepareImage(bytes.NewReader(data), dst, 0)
			if err != nil {
				t.Fatal(err)
			}
			if w != 300 || h != 200 {
				t.Fatalf("size %d×%d, want 300×200", w, h)
			}
			out := readJPEG(t, dst)
			for _, p := range []struct {
				x, y int
				c    color.NRGBA
			}{{20, 20, red}, {280, 20, green}, {280, 180, blue}, {20, 180, yellow}} {
				if !near(out, p.x, p.y, p.c) {
					t.Errorf("pixel %d,%d is %v, want %v", p.x, p.y, out.At(p.x, p.y), p.c)
				}
			}
		})
	}
}

func TestPrepareImageFormats(t *testing.T) {
	t.Parallel()
	scene := crawltest.Scene("latte", 1, 1200, 800)
	webp, err := os.ReadFile("../crawl/testdata/sites/lazy/images/dessert.webp")
	if err != nil {
		t.Fatal(err)
	}
	transparent := image.NewNRGBA(image.Rect(0, 0, 600, 400)) // fully transparent
	transparent.SetNRGBA(10, 10, color.NRGBA{255, 0, 0, 255})
	cases := []struct {
		name   string
		data   []byte
		max    int
		w, h   int
		err    error
		corner *color.NRGBA
	}{
		{name: "jpeg capped", data: crawltest.JPEG(scene, 80), max: 600, w: 600, h: 400},
		{name: "jpeg default cap keeps size", data: crawltest.JPEG(scene, 80), w: 1200, h: 800},
		{name: "png", data: crawltest.PNG(crawltest.Scene("beans", 1, 500, 300)), w: 500, h: 300},
		{name: "gif", data: crawltest.GIF(crawltest.Scene("city", 1, 400, 300)), w: 400, h: 300},
		{name: "webp", data: webp, w: 640, h: 427},
		{name: "transparency becomes white", data: crawltest.PNG(transparent), w: 600, h: 400, corner: &color.NRGBA{255, 255, 255, 255}},
		{name: "portrait capped by height", data: crawltest.JPEG(crawltest.Scene("flowers", 1, 400, 900), 80), max: 450, w: 200, h: 450},
		{name: "png header bomb", data: crawltest.PNGHeaderBomb(100000, 100000), err: ErrTooManyPixels},
		{name: "svg", data: []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`), err: ErrSVG},
		{name: "html error page", data: []byte("<!DOCTYPE html><html>404</html>"), err: ErrNotImage},
		{name: "avif", data: []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00"), err: ErrUnsupportedFormat},
		{name: "truncated jpeg", data: crawltest.JPEG(scene, 80)[:2000], err: ErrNotImage},
		{name: "empty", data: nil, err: ErrNotImage},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dst := filepath.Join(t.TempDir(), "out.jpg")
			w, h, err := PrepareImage(bytes.NewReader(tc.data), dst, tc.max)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("got %v, want %v", err, tc.err)
				}
				if _, statErr := os.Stat(dst); statErr == nil {
					t.Error("a file was written for a refused image")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if w != tc.w || h != tc.h {
				t.Fatalf("size %d×%d, want %d×%d", w, h, tc.w, tc.h)
			}
			out := readJPEG(t, dst)
			if b := out.Bounds(); b.Dx() != w || b.Dy() != h {
				t.Fatalf("file is %v", b)
			}
			if tc.corner != nil && !near(out, w-5, h-5, *tc.corner) {
				t.Errorf("corner %v, want %v", out.At(w-5, h-5), *tc.corner)
			}
			entries, _ := os.ReadDir(filepath.Dir(dst))
			if len(entries) != 1 {
				t.Errorf("temporary files left behind: %v", entries)
			}
		})
	}
}

// TestPrepareImageTooManyBytes feeds an endless stream: reading stops at the cap.
func TestPrepareImageTooManyBytes(t *testing.T) {
	t.Parallel()
	endless := io.MultiReader(bytes.NewReader([]byte{0xFF, 0xD8, 0xFF}), zeros{})
	_, _, err := PrepareImage(endless, filepath.Join(t.TempDir(), "x.jpg"), 0)
	if !errors.Is(err, ErrImageTooLarge) {
		t.Fatalf("got %v, want ErrImageTooLarge", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestPerceptualHash(t *testing.T) {
	t.Parallel()
	base := crawltest.Scene("storefront", 1, 640, 427)
	recompressed, err := jpeg.Decode(bytes.NewReader(crawltest.JPEG(base, 40)))
	if err != nil {
		t.Fatal(err)
	}
	h := Measure(base).Hash
	same := []*image.RGBA{
		crawltest.Resize(base, 320, 213),
		Normalize(recompressed, 1, 2560),
		Normalize(base.SubImage(image.Rect(8, 6, 632, 421)), 1, 2560), // a slight crop
	}
	for i, img := range same {
		if d := HammingDistance(h, Measure(img).Hash); d > DuplicateBits {
			t.Errorf("variant %d: distance %d, want ≤ %d", i, d, DuplicateBits)
		}
	}
	for _, kind := range crawltest.Scenes() {
		if kind == "storefront" {
			continue
		}
		if d := HammingDistance(h, Measure(crawltest.Scene(kind, 1, 320, 213)).Hash); d <= DuplicateBits {
			t.Errorf("%s: distance %d to storefront, want > %d", kind, d, DuplicateBits)
		}
	}
	flat := Measure(crawltest.Flat(200, 200, color.NRGBA{200, 200, 200, 255}))
	if flat.StdDev > 1 || flat.Detail > 1 {
		t.Errorf("flat image measured %+v", flat)
	}
}

func FuzzJPEGOrientation(f *testing.F) {
	base := crawltest.JPEG(crawltest.Quadrants(16, 16), 80)
	for o := uint16(0); o <= 9; o++ {
		f.Add(crawltest.WithOrientation(base, o))
	}
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x02})
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := jpegOrientation(data); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
	})
}

// FuzzInspectImage: the header check never panics and never admits more pixels than
// the cap; whatever it admits decodes without panicking.
func FuzzInspectImage(f *testing.F) {
	f.Add(crawltest.PNGHeaderBomb(100000, 100000))
	f.Add(crawltest.PNGHeaderBomb(64, 64))
	f.Add(crawltest.JPEG(crawltest.Quadrants(32, 16), 70))
	f.Add(crawltest.GIF(crawltest.Quadrants(16, 16)))
	f.Add(crawltest.Pixel())
	if b, err := os.ReadFile("../crawl/testdata/sites/lazy/images/dessert.webp"); err == nil {
		f.Add(b[:min(len(b), 4096)])
	}
	const maxPixels = 1 << 20
	f.Fuzz(func(t *testing.T, data []byte) {
		hdr, err := Inspect(data, maxPixels)
		if err != nil {
			return
		}
		if hdr.Width*hdr.Height > maxPixels {
			t.Fatalf("admitted %d×%d", hdr.Width, hdr.Height)
		}
		img, err := Decode(data, hdr.Format)
		if err != nil {
			return
		}
		Normalize(img, hdr.Orientation, 64)
	})
}

// TestWebPOrientation: an extended WebP carrying an EXIF Orientation tag (with or
// without JPEG's "Exif" prefix) comes out upright, as browsers show it.
func TestWebPOrientation(t *testing.T) {
	t.Parallel()
	simple, err := os.ReadFile("../crawl/testdata/sites/lazy/images/dessert.webp")
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(simple))
	if err != nil {
		t.Fatal(err)
	}
	W, H := cfg.Width, cfg.Height
	if webpOrientation(simple) != 1 {
		t.Fatal("a simple WebP has no orientation")
	}
	plainPath := filepath.Join(t.TempDir(), "plain.jpg")
	if _, _, err := PrepareImage(bytes.NewReader(simple), plainPath, 0); err != nil {
		t.Fatal(err)
	}
	plain := readJPEG(t, plainPath) // the pixels as stored
	for _, tc := range []struct {
		o      uint16
		prefix bool
	}{{6, false}, {3, true}, {8, false}, {2, true}} {
		t.Run(fmt.Sprint(tc.o, tc.prefix), func(t *testing.T) {
			t.Parallel()
			data := withWebPOrientation(t, simple, W, H, tc.o, tc.prefix)
			if got := webpOrientation(data); got != int(tc.o) {
				t.Fatalf("read orientation %d, want %d", got, tc.o)
			}
			dst := filepath.Join(t.TempDir(), "out.jpg")
			w, h, err := PrepareImage(bytes.NewReader(data), dst, 0)
			if err != nil {
				t.Fatal(err)
			}
			wantW, wantH := W, H
			if tc.o >= 5 {
				wantW, wantH = H, W
			}
			if w != wantW || h != wantH {
				t.Fatalf("size %d×%d, want %d×%d", w, h, wantW, wantH)
			}
			// Storing the upright result the way the tag says must give back the
			// stored pixels (storedFor is written from the EXIF definition).
			out := readJPEG(t, dst)
			up := image.NewRGBA(out.Bounds())
			for y := range h {
				for x := range w {
					up.Set(x, y, out.At(x, y))
				}
			}
			back := crawltest.StoredFor(up, int(tc.o))
			bad := 0
			for y := 5; y < H; y += H / 7 {
				for x := 5; x < W; x += W / 9 {
					r, g, b, _ := plain.At(x, y).RGBA()
					if !near(back, x, y, color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}) {
						bad++
					}
				}
			}
			if bad > 3 {
				t.Fatalf("%d sampled pixels are not where orientation %d puts them", bad, tc.o)
			}
		})
	}
}

// withWebPOrientation makes a simple (one-chunk) WebP extended, with an EXIF chunk
// holding an Orientation tag, as cameras and editors write it.
func withWebPOrientation(t *testing.T, simple []byte, w, h int, o uint16, exifPrefix bool) []byte {
	t.Helper()
	if string(simple[:4]) != "RIFF" || string(simple[8:12]) != "WEBP" {
		t.Fatal("not a WebP")
	}
	le32 := func(v int) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)} }
	vp8x := append([]byte("VP8X"), le32(10)...)
	vp8x = append(vp8x, 0x08, 0, 0, 0) // flags: EXIF present
	vp8x = append(vp8x, le32(w - 1)[:3]...)
	vp8x = append(vp8x, le32(h - 1)[:3]...)
	tiff := []byte{'I', 'I', 42, 0, 8, 0, 0, 0, // header, IFD0 at 8
		1, 0, // one entry
		0x12, 0x01, 3, 0, 1, 0, 0, 0, byte(o), byte(o >> 8), 0, 0, // Orientation, SHORT, 1
		0, 0, 0, 0} // no next IFD
	if exifPrefix {
		tiff = append([]byte("Exif\x00\x00"), tiff...)
	}
	exif := append(append([]byte("EXIF"), le32(len(tiff))...), tiff...)
	if len(tiff)%2 == 1 {
		exif = append(exif, 0)
	}
	body := append(append(vp8x, simple[12:]...), exif...)
	return append(append(append([]byte("RIFF"), le32(4+len(body))...), "WEBP"...), body...)
}
