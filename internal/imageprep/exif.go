package imageprep

import (
	"bytes"
	"encoding/binary"
	"image"
)

// jpegOrientation reads the EXIF Orientation tag (1–8) of a JPEG, or 1 when there is
// none. Phones store photos sideways and rely on this tag; ffmpeg and browsers would
// disagree about it, so we apply it ourselves and strip it by re-encoding.
func jpegOrientation(data []byte) int {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 1
	}
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return 1
		}
		marker := data[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if marker == 0xD8 || marker >= 0xD0 && marker <= 0xD7 || marker == 0x01 {
			i += 2
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan, end of image: no EXIF before
			return 1
		}
		size := int(binary.BigEndian.Uint16(data[i+2:]))
		if size < 2 || i+2+size > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+size]
		if marker == 0xE1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			if o := tiffOrientation(seg[6:]); o != 0 {
				return o
			}
		}
		i += 2 + size
	}
	return 1
}

// webpOrientation reads the EXIF Orientation tag of an extended WebP (its "EXIF"
// chunk), or 1 when there is none. Browsers apply it as they do a JPEG's.
func webpOrientation(data []byte) int {
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return 1
	}
	for i := 12; i+8 <= len(data); {
		size := int64(binary.LittleEndian.Uint32(data[i+4:]))
		start := int64(i + 8)
		if size > int64(len(data))-start {
			return 1
		}
		if string(data[i:i+4]) == "EXIF" {
			// The chunk holds a TIFF structure; some writers keep JPEG's "Exif" prefix.
			t := bytes.TrimPrefix(data[start:start+size], []byte("Exif\x00\x00"))
			if o := tiffOrientation(t); o != 0 {
				return o
			}
			return 1
		}
		i = int(start + size + size&1) // chunks are padded to an even length
	}
	return 1
}

// tiffOrientation finds tag 0x0112 in IFD0 of a TIFF structure; 0 if absent or invalid.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	if bo.Uint16(t[2:]) != 42 {
		return 0
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 0
	}
	n := int(bo.Uint16(t[off:]))
	for k := 0; k < n && k < 512; k++ {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			return 0
		}
		if bo.Uint16(t[e:]) != 0x0112 {
			continue
		}
		var v int
		switch bo.Uint16(t[e+2:]) {
		case 3: // SHORT
			v = int(bo.Uint16(t[e+8:]))
		case 4: // LONG, seen from some writers
			v = int(bo.Uint32(t[e+8:]))
		default:
			return 0
		}
		if v >= 1 && v <= 8 {
			return v
		}
		return 0
	}
	return 0
}

// Orient applies an EXIF orientation to img so it displays upright.
func Orient(img *image.RGBA, o int) *image.RGBA {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < h; y++ {
		row := img.Pix[(y)*img.Stride : (y)*img.Stride+4*w]
		for x := 0; x < w; x++ {
			var dx, dy int
			switch o {
			case 2:
				dx, dy = w-1-x, y
			case 3:
				dx, dy = w-1-x, h-1-y
			case 4:
				dx, dy = x, h-1-y
			case 5:
				dx, dy = y, x
			case 6:
				dx, dy = h-1-y, x
			case 7:
				dx, dy = h-1-y, w-1-x
			case 8:
				dx, dy = y, w-1-x
			}
			copy(dst.Pix[dy*dst.Stride+4*dx:dy*dst.Stride+4*dx+4], row[4*x:4*x+4])
		}
	}
	return dst
}
