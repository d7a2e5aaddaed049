package ffmpeg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// Box is one top-level ISO BMFF (MP4) box.
type Box struct {
	Type   string
	Offset int64
	Size   int64 // including the header
}

// maxBoxes bounds the walk: real files have a handful of top-level boxes.
const maxBoxes = 4096

// TopLevelBoxes lists the top-level boxes of an MP4 read from r, whose total size is size.
// It reads only the box headers.
func TopLevelBoxes(r io.ReaderAt, size int64) ([]Box, error) {
	var boxes []Box
	var hdr [16]byte
	for off := int64(0); off < size; {
		if len(boxes) >= maxBoxes {
			return boxes, errors.New("too many boxes")
		}
		if size-off < 8 {
			return boxes, fmt.Errorf("truncated box header at %d", off)
		}
		if _, err := r.ReadAt(hdr[:8], off); err != nil {
			return boxes, fmt.Errorf("box header at %d: %w", off, err)
		}
		n := int64(binary.BigEndian.Uint32(hdr[:4]))
		typ := string(hdr[4:8])
		hl := int64(8)
		switch n {
		case 0: // box runs to the end of the file
			n = size - off
		case 1: // 64-bit size follows the type
			if size-off < 16 {
				return boxes, fmt.Errorf("truncated large box header at %d", off)
			}
			if _, err := r.ReadAt(hdr[8:16], off+8); err != nil {
				return boxes, fmt.Errorf("box header at %d: %w", off, err)
			}
			u := binary.BigEndian.Uint64(hdr[8:16])
			if u > uint64(size) {
				return boxes, fmt.Errorf("box %q at %d: size %d past end", typ, off, u)
			}
			n, hl = int64(u), 16
		}
		if n < hl || n > size-off {
			return boxes, fmt.Errorf("box %q at %d: bad size %d", typ, off, n)
		}
		boxes = append(boxes, Box{Type: typ, Offset: off, Size: n})
		off += n
	}
	return boxes, nil
}

// MoovBeforeMdat reports whether the MP4 at path has its index (moov) before its media
// data (mdat), which is what +faststart arranges and what lets a browser start playing
// before the whole file has arrived.
func MoovBeforeMdat(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("ffmpeg: mp4: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return false, fmt.Errorf("ffmpeg: mp4: %w", err)
	}
	boxes, err := TopLevelBoxes(f, st.Size())
	if err != nil {
		return false, fmt.Errorf("ffmpeg: mp4 %s: %w", path, err)
	}
	return moovFirst(boxes)
}

func moovFirst(boxes []Box) (bool, error) {
	moov, mdat := -1, -1
	for i, b := range boxes {
		switch {
		case b.Type == "moov" && moov < 0:
			moov = i
		case b.Type == "mdat" && mdat < 0:
			mdat = i
		}
	}
	if moov < 0 || mdat < 0 {
		return false, fmt.Errorf("ffmpeg: mp4: missing moov or mdat (moov %d, mdat %d)", moov, mdat)
	}
	return moov < mdat, nil
}
