package imageprep

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"

	"github.com/o2sound/o2sound/internal/decodebudget"
)

// Defaults for image handling.
const (
	DefaultMaxLongSide   = 2560     // long side of a kept image; the video is at most 1920×1080
	DefaultMaxPixels     = 40 << 20 // ~40 MP: a phone photo passes, a 100k×100k bomb does not
	DefaultMaxImageBytes = 20 << 20
	jpegQuality          = 88
	// maxDecodeBytes bounds the memory one decode may take. Pixels alone do not: Go's
	// progressive JPEG decoder keeps 4 bytes of coefficients per pixel and channel, and
	// a 16-bit interlaced PNG holds two 8-byte-per-pixel images, so a flat few-hundred-KB
	// file within the pixel cap could still need a gigabyte.
	maxDecodeBytes = 192 << 20
)

// Errors Load and PrepareImage wrap; the crawler turns them into drop reasons.
var (
	ErrNotImage          = errors.New("not an image")
	ErrUnsupportedFormat = errors.New("unsupported image format")
	ErrSVG               = errors.New("SVG is a vector format, not a photo")
	ErrTooManyPixels     = errors.New("image has too many pixels")
	ErrImageTooLarge     = errors.New("image file is too large")
)

// Sniff names the format from the first bytes; the server's Content-Type and the
// file name are not trusted.
func Sniff(b []byte) (string, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "jpeg", nil
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "png", nil
	case bytes.HasPrefix(b, []byte("GIF87a")) || bytes.HasPrefix(b, []byte("GIF89a")):
		return "gif", nil
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "webp", nil
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		return "", fmt.Errorf("%w: %s (AVIF/HEIC)", ErrUnsupportedFormat, bytes.TrimSpace(b[8:12]))
	case bytes.HasPrefix(b, []byte("BM")), bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")),
		bytes.HasPrefix(b, []byte{0, 0, 1, 0}):
		return "", fmt.Errorf("%w: BMP/TIFF/ICO", ErrUnsupportedFormat)
	}
	head := bytes.ToLower(bytes.TrimSpace(b[:min(len(b), 512)]))
	if bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html")) {
		return "", ErrNotImage // an error page served in place of the image
	}
	if bytes.Contains(head, []byte("<svg")) {
		return "", ErrSVG
	}
	return "", ErrNotImage
}

// Header is what an image says about itself before any pixel is decoded.
type Header struct {
	Format      string
	Width       int // as displayed, after EXIF orientation
	Height      int
	Orientation int
	// DecodeCost is what decoding and normalizing the image takes, in bytes: the
	// decoder's buffers and the shrunk, upright copy.
	DecodeCost int64
}

// ReserveDecode takes the image's DecodeCost from the process's decode budget, so that
// however many crawls and uploads run, their decodes together stay within it.
func ReserveDecode(ctx context.Context, hdr Header) (release func(), err error) {
	release, err = decodebudget.Acquire(ctx, hdr.DecodeCost)
	if err != nil {
		return nil, fmt.Errorf("imageprep: %w", err)
	}
	return release, nil
}

// Inspect sniffs the format and reads the dimensions with DecodeConfig, refusing
// images whose pixel count exceeds maxPixels before a single pixel buffer exists.
func Inspect(data []byte, maxPixels int) (Header, error) {
	format, err := Sniff(data)
	if err != nil {
		return Header{}, err
	}
	var cfg image.Config
	r := bytes.NewReader(data)
	switch format {
	case "jpeg":
		cfg, err = jpeg.DecodeConfig(r)
	case "png":
		cfg, err = png.DecodeConfig(r)
	case "gif":
		cfg, err = gif.DecodeConfig(r)
	case "webp":
		cfg, err = webp.DecodeConfig(r)
	}
	if err != nil {
		return Header{}, fmt.Errorf("%w: %s header: %v", ErrNotImage, format, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Header{}, fmt.Errorf("%w: %dx%d", ErrNotImage, cfg.Width, cfg.Height)
	}
	if maxPixels <= 0 {
		maxPixels = DefaultMaxPixels
	}
	if int64(cfg.Width)*int64(cfg.Height) > int64(maxPixels) {
		return Header{}, fmt.Errorf("%w: %d×%d", ErrTooManyPixels, cfg.Width, cfg.Height)
	}
	cost := decodeCost(data, format, cfg)
	if cost > maxDecodeBytes {
		return Header{}, fmt.Errorf("%w: %d×%d would need %d MB to decode", ErrTooManyPixels, cfg.Width, cfg.Height, cost>>20)
	}
	// The normalized copy and its rotation: at most the long-side cap squared, twice.
	long := int64(DefaultMaxLongSide)
	cost += 2 * 4 * min(int64(cfg.Width)*int64(cfg.Height), long*long)
	h := Header{Format: format, Width: cfg.Width, Height: cfg.Height, Orientation: 1, DecodeCost: cost}
	switch format {
	case "jpeg":
		h.Orientation = jpegOrientation(data)
	case "webp":
		h.Orientation = webpOrientation(data)
	}
	if h.Orientation >= 5 {
		h.Width, h.Height = h.Height, h.Width
	}
	return h, nil
}

// decodeCost estimates the bytes Go's decoder allocates for an image, from its header.
func decodeCost(data []byte, format string, cfg image.Config) int64 {
	px := int64(cfg.Width) * int64(cfg.Height)
	switch format {
	case "jpeg":
		progressive, comps := jpegFrame(data)
		per := int64(comps) // the decoded planes
		if progressive {
			per += 4 * int64(comps) // int32 coefficients kept for every channel
		}
		if comps == 4 {
			per += 4 // CMYK/YCCK is converted into a second image
		}
		return px * per
	case "png":
		per := int64(4)
		switch cfg.ColorModel {
		case color.RGBA64Model, color.NRGBA64Model, color.Gray16Model:
			per = 8
		case color.GrayModel:
			per = 1
		}
		if len(data) > 28 && data[28] == 1 { // Adam7 interlacing: pass images, then the whole
			per *= 2
		}
		return px * per
	case "gif":
		return px
	default: // webp: lossless decodes to NRGBA
		return px * 4
	}
}

// jpegFrame reads the start-of-frame marker: whether the JPEG is progressive and how
// many channels it has. Unknown layouts count as the costly case.
func jpegFrame(data []byte) (progressive bool, comps int) {
	for i := 2; i+9 < len(data); {
		if data[i] != 0xFF {
			return true, 4
		}
		m := data[i+1]
		switch {
		case m == 0xFF: // fill byte
			i++
			continue
		case m == 0x01 || (m >= 0xD0 && m <= 0xD8):
			i += 2
			continue
		case m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC:
			return m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE, max(int(data[i+9]), 1)
		}
		i += 2 + (int(data[i+2])<<8 | int(data[i+3]))
	}
	return true, 4
}

func Decode(data []byte, format string) (image.Image, error) {
	r := bytes.NewReader(data)
	var img image.Image
	var err error
	switch format {
	case "jpeg":
		img, err = jpeg.Decode(r)
	case "png":
		img, err = png.Decode(r)
	case "gif":
		img, err = gif.Decode(r) // the first frame only
	case "webp":
		img, err = webp.Decode(r)
	default:
		err = ErrUnsupportedFormat
	}
	if err != nil {
		return nil, fmt.Errorf("%w: decode %s: %v", ErrNotImage, format, err)
	}
	return img, nil
}

// Normalize produces the upright, opaque, size-capped RGBA the rest of the pipeline
// works on: scaled so its long side is at most maxLongSide (area averaging, which
// filters properly when shrinking and streams, see ShrinkArea), composited over white (a
// transparent PNG must not turn black in a JPEG), and rotated per EXIF.
func Normalize(img image.Image, orientation, maxLongSide int) *image.RGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if maxLongSide <= 0 {
		maxLongSide = DefaultMaxLongSide
	}
	dw, dh := w, h
	if long := max(w, h); long > maxLongSide {
		dw = max(1, int(int64(w)*int64(maxLongSide)/int64(long)))
		dh = max(1, int(int64(h)*int64(maxLongSide)/int64(long)))
	}
	opaque := isOpaque(img)
	if dw != w || dh != h {
		dst := ShrinkArea(img, dw, dh)
		if !opaque {
			overWhite(dst)
		}
		return Orient(dst, orientation)
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	if !opaque {
		draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	}
	op := draw.Over
	if opaque {
		op = draw.Src
	}
	draw.Draw(dst, dst.Bounds(), img, b.Min, op)
	return Orient(dst, orientation)
}

func isOpaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// WriteJPEG encodes img into dst through a temporary file in the same directory and a
// rename, so a reader never sees half a file. It returns the file size.
func WriteJPEG(img image.Image, dst string) (int64, error) {
	dir := filepath.Dir(dst)
	f, err := os.CreateTemp(dir, ".tmp-*.jpg")
	if err != nil {
		return 0, fmt.Errorf("imageprep: write image: %w", err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 64<<10)
	if err := jpeg.Encode(bw, img, &jpeg.Options{Quality: jpegQuality}); err != nil {
		return 0, fmt.Errorf("imageprep: encode jpeg: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return 0, fmt.Errorf("imageprep: write image: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("imageprep: write image: %w", err)
	}
	if err := f.Close(); err != nil {
		return 0, fmt.Errorf("imageprep: write image: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return 0, fmt.Errorf("imageprep: write image: %w", err)
	}
	ok = true
	return st.Size(), nil
}

// Load reads an image (JPEG, PNG, GIF or WebP, at most DefaultMaxImageBytes and
// DefaultMaxPixels) from src and decodes it within the process's decode budget. check,
// when not nil, may refuse the image by its header before any pixel is decoded.
// release returns the budget; call it once the decoded image and what is made from it
// are no longer needed.
func Load(src io.Reader, check func(Header) error) (img image.Image, hdr Header, release func(), err error) {
	data, err := io.ReadAll(io.LimitReader(src, DefaultMaxImageBytes+1))
	if err != nil {
		return nil, Header{}, nil, err
	}
	if len(data) > DefaultMaxImageBytes {
		return nil, Header{}, nil, fmt.Errorf("%w (over %d MiB)", ErrImageTooLarge, DefaultMaxImageBytes>>20)
	}
	if hdr, err = Inspect(data, DefaultMaxPixels); err != nil {
		return nil, Header{}, nil, err
	}
	if check != nil {
		if err := check(hdr); err != nil {
			return nil, Header{}, nil, err
		}
	}
	if release, err = ReserveDecode(context.Background(), hdr); err != nil {
		return nil, Header{}, nil, err
	}
	if img, err = Decode(data, hdr.Format); err != nil {
		release()
		return nil, Header{}, nil, err
	}
	return img, hdr, release, nil
}

// PrepareImage reads an image with Load's limits, turns it upright per EXIF, flattens
// transparency onto white, caps its long side at maxLongSide (0 means
// DefaultMaxLongSide) and writes it to dstPath as a baseline JPEG via a temporary file.
// Only files made this way reach ffmpeg.
func PrepareImage(src io.Reader, dstPath string, maxLongSide int) (w, h int, err error) {
	img, hdr, release, err := Load(src, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("imageprep: prepare image: %w", err)
	}
	defer release()
	out := Normalize(img, hdr.Orientation, maxLongSide)
	if _, err := WriteJPEG(out, dstPath); err != nil {
		return 0, 0, err
	}
	return out.Bounds().Dx(), out.Bounds().Dy(), nil
}
