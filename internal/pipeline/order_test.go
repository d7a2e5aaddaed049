package pipeline

import (
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

// photo writes a w×h JPEG of one colour and returns it as a PhotoRef named name.
func photo(t *testing.T, dir, name string, w, h int, c color.RGBA) PhotoRef {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, 255
	}
	path := filepath.Join(dir, name+".jpg")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := jpeg.Encode(f, img, nil); err != nil {
		t.Fatal(err)
	}
	return PhotoRef{Path: path, Width: w, Height: h, Format: "jpeg"}
}

func names(refs []PhotoRef) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = filepath.Base(r.Path[:len(r.Path)-len(".jpg")])
	}
	return out
}

func TestOrderForVideo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	red := color.RGBA{200, 30, 30, 255}
	redder := color.RGBA{205, 28, 32, 255}
	blue := color.RGBA{30, 40, 200, 255}
	green := color.RGBA{40, 180, 60, 255}
	tests := []struct {
		name   string
		photos []PhotoRef // in rank order
		aspect string
		want   []string
	}{
		{"wide frame opens on the best ranked wide photo",
			[]PhotoRef{photo(t, dir, "tall", 300, 600, red), photo(t, dir, "wide", 640, 360, blue), photo(t, dir, "wide2", 640, 360, green)},
			"16:9", []string{"wide", "tall", "wide2"}},
		{"tall frame keeps the tall photo first",
			[]PhotoRef{photo(t, dir, "tall-a", 300, 600, red), photo(t, dir, "wide-a", 640, 360, blue)},
			"9:16", []string{"tall-a", "wide-a"}},
		{"look-alikes are kept apart",
			[]PhotoRef{photo(t, dir, "r1", 640, 360, red), photo(t, dir, "r2", 640, 360, redder), photo(t, dir, "b", 640, 360, blue)},
			"16:9", []string{"r1", "b", "r2"}},
		{"rank order when every neighbour differs",
			[]PhotoRef{photo(t, dir, "x", 640, 360, red), photo(t, dir, "y", 640, 360, blue), photo(t, dir, "z", 640, 360, green)},
			"16:9", []string{"x", "y", "z"}},
		{"one photo", []PhotoRef{photo(t, dir, "only", 640, 360, red)}, "1:1", []string{"only"}},
		{"an unreadable photo still shows", []PhotoRef{{Path: filepath.Join(dir, "gone.jpg"), Width: 640, Height: 360}, photo(t, dir, "here", 640, 360, red)},
			"16:9", []string{"gone", "here"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := names(orderForVideo(tt.photos, tt.aspect))
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}
