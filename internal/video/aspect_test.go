package video

import "testing"

func TestAspect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		scale float64
		w, h  int
	}{
		{"16:9", 1, 1920, 1080}, {"9:16", 1, 1080, 1920}, {"1:1", 1, 1080, 1080},
		{"16:9", 0.25, 480, 270}, {"9:16", 0.25, 270, 480}, {"1:1", 0.1, 108, 108}, {"16:9", 0.33, 634, 356},
	}
	for _, tt := range tests {
		a, err := ParseAspect(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		w, h, err := a.Size(tt.scale)
		if err != nil || w != tt.w || h != tt.h {
			t.Errorf("%s at %v = %dx%d %v, want %dx%d", tt.in, tt.scale, w, h, err, tt.w, tt.h)
		}
	}
	for _, bad := range []string{"", "4:3", "16x9", "1:1 "} {
		if _, err := ParseAspect(bad); err == nil {
			t.Errorf("ParseAspect(%q) accepted", bad)
		}
	}
	for _, s := range []float64{0, -1, 1.5} {
		if _, _, err := Landscape.Size(s); err == nil {
			t.Errorf("scale %v accepted", s)
		}
	}
}
