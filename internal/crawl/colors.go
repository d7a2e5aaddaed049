package crawl

import (
	"fmt"
	"image"
	"math"
	"sort"
	"strconv"
)

// dominantColors returns up to n distinct, visible colours of img, most common first:
// pixels are sampled on a grid, quantised to 4 bits a channel and counted; transparent
// pixels are ignored, and near-white, near-black and grey only count when the image
// has nothing else (a black-and-white logo is still a brand).
func dominantColors(img image.Image, n int) []string {
	b := img.Bounds()
	if b.Empty() || n <= 0 {
		return nil
	}
	const grid = 96
	stepX := max(1, b.Dx()/grid)
	stepY := max(1, b.Dy()/grid)
	type bin struct {
		count    int
		r, g, bl int
		neutral  bool
	}
	bins := map[int]*bin{}
	for y := b.Min.Y; y < b.Max.Y; y += stepY {
		for x := b.Min.X; x < b.Max.X; x += stepX {
			r8, g8, b8, ok := pixelAt(img, x, y)
			if !ok {
				continue
			}
			key := (r8>>4)<<8 | (g8>>4)<<4 | b8>>4
			e := bins[key]
			if e == nil {
				e = &bin{neutral: isNeutral(r8, g8, b8)}
				bins[key] = e
			}
			e.count++
			e.r += r8
			e.g += g8
			e.bl += b8
		}
	}
	list := make([]*bin, 0, len(bins))
	total, colourful := 0, 0
	for _, e := range bins {
		list = append(list, e)
		total += e.count
		if !e.neutral {
			colourful += e.count
		}
	}
	if total == 0 {
		return nil
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].count != list[j].count {
			return list[i].count > list[j].count
		}
		return list[i].r+list[i].g+list[i].bl < list[j].r+list[j].g+list[j].bl
	})
	useNeutral := colourful < total/20
	var out []string
	var picked [][3]int
	for _, e := range list {
		if e.neutral && !useNeutral {
			continue
		}
		if e.count*100 < total*3 {
			break // less than 3% of the image is noise, not a brand colour
		}
		c := [3]int{e.r / e.count, e.g / e.count, e.bl / e.count}
		close := false
		for _, p := range picked {
			if colorDistance(c, p) < 60 {
				close = true
				break
			}
		}
		if close {
			continue
		}
		picked = append(picked, c)
		out = append(out, fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2]))
		if len(out) == n {
			break
		}
	}
	return out
}

func isNeutral(r, g, b int) bool {
	mx, mn := max(r, g, b), min(r, g, b)
	l := (mx + mn) / 2
	return mx-mn < 28 || l > 240 || l < 18
}

func colorDistance(a, b [3]int) float64 {
	dr, dg, db := float64(a[0]-b[0]), float64(a[1]-b[1]), float64(a[2]-b[2])
	// Weighted towards green like the eye (a cheap "redmean"-free approximation).
	return math.Sqrt(2*dr*dr + 4*dg*dg + 3*db*db)
}

// hexRGB parses "#rrggbb".
func hexRGB(s string) ([3]int, bool) {
	if len(s) != 7 || s[0] != '#' {
		return [3]int{}, false
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return [3]int{}, false
	}
	return [3]int{int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)}, true
}

// pixelAt reads a pixel as straight (not premultiplied) 8-bit RGB, false when it is
// mostly transparent. The common image types are read directly: At boxes a colour
// per call, which is most of a crawl's allocations otherwise.
func pixelAt(img image.Image, x, y int) (r, g, b int, ok bool) {
	switch m := img.(type) {
	case *image.RGBA:
		p := m.Pix[m.PixOffset(x, y):]
		a := int(p[3])
		if a < 128 {
			return 0, 0, 0, false
		}
		return int(p[0]) * 255 / a, int(p[1]) * 255 / a, int(p[2]) * 255 / a, true
	case *image.NRGBA:
		p := m.Pix[m.PixOffset(x, y):]
		if p[3] < 128 {
			return 0, 0, 0, false
		}
		return int(p[0]), int(p[1]), int(p[2]), true
	}
	r32, g32, b32, a := img.At(x, y).RGBA()
	if a < 0x8000 {
		return 0, 0, 0, false
	}
	// Un-premultiply so a half-transparent red counts as red.
	return int(r32 * 0xff / a), int(g32 * 0xff / a), int(b32 * 0xff / a), true
}
