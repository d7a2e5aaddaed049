package crawl

import (
	"fmt"
	"image"
	"math"
	"sort"
	"strconv"
	"strings"
)

// namedColors are the CSS names sites actually put in theme-color.
var namedColors = map[string]string{
	"black": "#000000", "white": "#ffffff", "red": "#ff0000", "green": "#008000", "blue": "#0000ff",
	"navy": "#000080", "teal": "#008080", "maroon": "#800000", "purple": "#800080", "olive": "#808000",
	"orange": "#ffa500", "gold": "#ffd700", "brown": "#a52a2a", "pink": "#ffc0cb", "gray": "#808080",
	"grey": "#808080", "silver": "#c0c0c0", "beige": "#f5f5dc", "ivory": "#fffff0", "coral": "#ff7f50",
	"tomato": "#ff6347", "crimson": "#dc143c", "chocolate": "#d2691e", "tan": "#d2b48c",
	"skyblue": "#87ceeb", "forestgreen": "#228b22", "darkgreen": "#006400", "darkblue": "#00008b",
	"yellow": "#ffff00", "cyan": "#00ffff", "magenta": "#ff00ff", "lime": "#00ff00",
}

// parseCSSColor reads #rgb, #rrggbb, #rrggbbaa, rgb()/rgba() and common names, and
// returns "#rrggbb".
func parseCSSColor(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if c, ok := namedColors[s]; ok {
		return c, true
	}
	if strings.HasPrefix(s, "#") {
		h := s[1:]
		switch len(h) {
		case 3, 4:
			h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
		case 6, 8:
			h = h[:6]
		default:
			return "", false
		}
		if _, err := strconv.ParseUint(h, 16, 32); err != nil {
			return "", false
		}
		return "#" + h, true
	}
	if inner, ok := strings.CutPrefix(s, "rgba("); ok {
		s = "rgb(" + inner
	}
	if inner, ok := strings.CutPrefix(s, "rgb("); ok {
		inner = strings.TrimSuffix(inner, ")")
		parts := strings.FieldsFunc(inner, func(r rune) bool { return r == ',' || r == ' ' || r == '/' })
		if len(parts) < 3 {
			return "", false
		}
		var rgb [3]uint8
		for i := range 3 {
			p := parts[i]
			var v float64
			var err error
			if pct, ok := strings.CutSuffix(p, "%"); ok {
				v, err = strconv.ParseFloat(pct, 64)
				v = v * 255 / 100
			} else {
				v, err = strconv.ParseFloat(p, 64)
			}
			if err != nil || math.IsNaN(v) {
				return "", false
			}
			rgb[i] = uint8(math.Round(math.Max(0, math.Min(255, v))))
		}
		return fmt.Sprintf("#%02x%02x%02x", rgb[0], rgb[1], rgb[2]), true
	}
	return "", false
}

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
