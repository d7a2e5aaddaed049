package imageprep

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"testing"
)

// jpegHeader is just enough of a JPEG for DecodeConfig: SOI, a JFIF APP0 segment, then a
// start-of-frame marker (sof) for a w×h image with comps channels.
func jpegHeader(sof byte, w, h, comps int) []byte {
	b := append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10}, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")...)
	frame := []byte{0xFF, sof, 0, byte(8 + 3*comps), 8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), byte(comps)}
	for c := 1; c <= comps; c++ {
		frame = append(frame, byte(c), 0x11, 0)
	}
	return append(b, frame...)
}

// pngHeader is a PNG signature and IHDR chunk.
func pngHeader(w, h int, depth, colorType, interlace byte) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9], ihdr[12] = depth, colorType, interlace
	chunk := append([]byte("IHDR"), ihdr...)
	b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0d")
	b = append(b, chunk...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(chunk))
}

func TestDecodeMemoryIsBoundedNotJustPixels(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		data []byte
		ok   bool
	}{
		{"baseline 36 MP colour JPEG", jpegHeader(0xC0, 6000, 6000, 3), true},
		{"progressive 36 MP colour JPEG", jpegHeader(0xC2, 6000, 6000, 3), false},
		{"progressive 8 MP colour JPEG", jpegHeader(0xC2, 3264, 2448, 3), true},
		{"baseline 36 MP CMYK JPEG", jpegHeader(0xC0, 6000, 6000, 4), false},
		{"8-bit RGBA PNG, 36 MP", pngHeader(6000, 6000, 8, 6, 0), true},
		{"16-bit interlaced RGBA PNG, 36 MP", pngHeader(6000, 6000, 16, 6, 1), false},
		{"16-bit RGBA PNG, 12 MP", pngHeader(4000, 3000, 16, 6, 0), true},
	} {
		_, err := Inspect(tc.data, DefaultMaxPixels)
		if tc.ok && err != nil {
			t.Errorf("%s: refused: %v", tc.name, err)
		}
		if !tc.ok && !errors.Is(err, ErrTooManyPixels) {
			t.Errorf("%s: got %v, want ErrTooManyPixels", tc.name, err)
		}
	}
}
