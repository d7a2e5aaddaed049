package sitefacts

import (
	"fmt"
	"math"
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
