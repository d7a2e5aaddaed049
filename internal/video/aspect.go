package video

import (
	"fmt"
	"math"
)

// Aspect is a frame shape. Its zero value is not valid; use the constants or ParseAspect.
type Aspect string

// The shapes O2Sound renders: landscape for web pages and YouTube, portrait for Shorts,
// Reels and TikTok, square for feeds.
const (
	Landscape Aspect = "16:9"
	Portrait  Aspect = "9:16"
	Square    Aspect = "1:1"
)

// ParseAspect reads "16:9", "9:16" or "1:1".
func ParseAspect(s string) (Aspect, error) {
	switch a := Aspect(s); a {
	case Landscape, Portrait, Square:
		return a, nil
	}
	return "", fmt.Errorf("video: aspect %q: want 16:9, 9:16 or 1:1", s)
}

// Size is the frame size at scale (1 is full size: 1920×1080, 1080×1920 or 1080×1080),
// rounded to even numbers as yuv420p requires.
func (a Aspect) Size(scale float64) (w, h int, err error) {
	if scale <= 0 || scale > 1 || math.IsNaN(scale) {
		return 0, 0, fmt.Errorf("video: scale %v: want (0, 1]", scale)
	}
	switch a {
	case Landscape:
		w, h = 1920, 1080
	case Portrait:
		w, h = 1080, 1920
	case Square:
		w, h = 1080, 1080
	default:
		return 0, 0, fmt.Errorf("video: aspect %q: want 16:9, 9:16 or 1:1", string(a))
	}
	even := func(v int) int { return max(16, int(float64(v)*scale+0.5)&^1) }
	return even(w), even(h), nil
}

func (a Aspect) String() string { return string(a) }
