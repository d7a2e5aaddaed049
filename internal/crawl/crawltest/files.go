package crawltest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math"
)

// JPEG encodes img at the given quality.
func JPEG(img image.Image, quality int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: quality}); err != nil {
		panic(err) // encoding to memory cannot fail for a valid image
	}
	return b.Bytes()
}

// PNG encodes img losslessly.
func PNG(img image.Image) []byte {
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// GIF encodes img with the Plan 9 palette.
func GIF(img image.Image) []byte {
	var b bytes.Buffer
	if err := gif.Encode(&b, img, nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// Logo draws a round badge logo of size×size on a transparent background: a ring in
// the primary colour around a disc in the secondary one, with a bean-like mark.
func Logo(size int, primary, secondary color.NRGBA) *image.RGBA {
	cv := newCanvas(size, size)
	s := float64(size)
	cv.circle(s/2, s/2, s*0.48, solid(primary))
	cv.circle(s/2, s/2, s*0.4, solid(secondary))
	cv.ellipse(s/2, s/2, s*0.2, s*0.28, 0.5, solid(primary))
	cv.line(s*0.42, s*0.3, s*0.58, s*0.7, s*0.04, solid(secondary))
	return cv.img
}

// Icon draws a small flat pictogram (a phone handset in a rounded square).
func Icon(size int, c color.NRGBA) *image.RGBA {
	cv := newCanvas(size, size)
	s := float64(size)
	cv.rect(0, 0, s, s, s*0.2, solid(c))
	cv.line(s*0.3, s*0.3, s*0.7, s*0.7, s*0.15, solid(rgb(255, 255, 255)))
	return cv.img
}

// Banner draws a wide strip (a sprite sheet or a decorative border).
func Banner(w, h int, seed int64) *image.RGBA {
	cv := newCanvas(w, h)
	r := newRNG(seed)
	cv.background(vertical(r.pick(rgb(240, 200, 120), rgb(120, 180, 220)), rgb(250, 250, 250), 0, float64(h)))
	for i := 0; i < 20; i++ {
		cv.circle(float64(w)*r.float(0, 1), float64(h)*r.float(0, 1), float64(h)*0.3, solid(rgb(255, 255, 255)))
	}
	return cv.img
}

// Flat draws a single-colour image (a placeholder or a blank hero).
func Flat(w, h int, c color.NRGBA) *image.RGBA {
	cv := newCanvas(w, h)
	cv.background(solid(c))
	return cv.img
}

// Pixel is a 1×1 transparent GIF, the classic tracking pixel.
func Pixel() []byte {
	img := image.NewPaletted(image.Rect(0, 0, 1, 1), color.Palette{color.Transparent, color.Black})
	return GIF(img)
}

// PNGHeaderBomb is a valid PNG signature and IHDR claiming w×h RGBA pixels, followed by
// a tiny IDAT and IEND. A decoder that trusts the header allocates w·h·4 bytes before
// noticing the data is missing; image.DecodeConfig reads the size without allocating.
func PNGHeaderBomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	writeChunk(&b, "IHDR", ihdr)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	_, _ = zw.Write(make([]byte, 4096))
	_ = zw.Close()
	writeChunk(&b, "IDAT", z.Bytes())
	writeChunk(&b, "IEND", nil)
	return b.Bytes()
}

func writeChunk(b *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	b.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	b.WriteString(typ)
	b.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	b.Write(n[:])
}

// WithOrientation inserts an EXIF APP1 segment carrying the Orientation tag right after
// a JPEG's SOI marker, as a phone camera would.
func WithOrientation(jpg []byte, orientation uint16) []byte {
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1}
	entry := make([]byte, 12)
	binary.BigEndian.PutUint16(entry[0:], 0x0112)
	binary.BigEndian.PutUint16(entry[2:], 3)
	binary.BigEndian.PutUint32(entry[4:], 1)
	binary.BigEndian.PutUint16(entry[8:], orientation)
	tiff = append(tiff, entry...)
	tiff = append(tiff, 0, 0, 0, 0) // no next IFD
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// Quadrants draws four solid quadrants (red, green, blue, yellow clockwise from the
// top left), for checking that orientation handling lands each corner where it belongs.
func Quadrants(w, h int) *image.RGBA {
	cv := newCanvas(w, h)
	hw, hh := float64(w)/2, float64(h)/2
	cv.background(func(x, y float64) color.NRGBA {
		switch {
		case x < hw && y < hh:
			return rgb(220, 30, 30)
		case x >= hw && y < hh:
			return rgb(30, 200, 30)
		case x >= hw && y >= hh:
			return rgb(30, 30, 220)
		}
		return rgb(230, 220, 30)
	})
	return cv.img
}

// Resize is a cheap box/bilinear resize for making near-duplicates in tests.
func Resize(src *image.RGBA, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	sb := src.Bounds()
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx := (float64(x)+0.5)*float64(sb.Dx())/float64(w) - 0.5
			fy := (float64(y)+0.5)*float64(sb.Dy())/float64(h) - 0.5
			x0, y0 := int(math.Max(0, math.Floor(fx))), int(math.Max(0, math.Floor(fy)))
			x1, y1 := min(x0+1, sb.Dx()-1), min(y0+1, sb.Dy()-1)
			tx, ty := fx-math.Floor(fx), fy-math.Floor(fy)
			for c := 0; c < 4; c++ {
				p := func(x, y int) float64 { return float64(src.Pix[src.PixOffset(x, y)+c]) }
				v := p(x0, y0)*(1-tx)*(1-ty) + p(x1, y0)*tx*(1-ty) + p(x0, y1)*(1-tx)*ty + p(x1, y1)*tx*ty
				dst.Pix[dst.PixOffset(x, y)+c] = uint8(math.Round(math.Max(0, math.Min(255, v))))
			}
		}
	}
	return dst
}
