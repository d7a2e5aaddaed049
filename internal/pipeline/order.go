package pipeline

import (
	"image"
	"math"
	"os"

	"github.com/o2sound/o2sound/internal/video"
)

// The images stage chooses the order the slideshow shows the photos in. The crawler
// ranks them by how well they represent the business; a slideshow also wants an
// opening shot that fills its frame (a tall photo in a wide frame is cropped hard or
// shown on a blurred fill, a weak first second) and neighbours that differ, so two
// views of the same counter do not follow each other and read as a stutter.

// leadChoices is how far down the ranking the opening shot may come from: further
// down, a better fit would cost a worse first picture.
const leadChoices = 3

// minShotDifference is the colour-layout distance (0..1) below which two photos look
// alike in passing: the next shot is then taken from further down the ranking.
const minShotDifference = 0.08

// layoutGrid is the side of the grid of mean colours a photo is compared by.
const layoutGrid = 4

// layout is a photo's mean colour per grid cell, 0..1 per channel.
type layout [layoutGrid * layoutGrid * 3]float64

// orderForVideo returns photos (in the crawler's rank order) in the order to show them
// in a frame of aspect.
func orderForVideo(photos []PhotoRef, aspect string) []PhotoRef {
	if len(photos) < 2 {
		return photos
	}
	frame := 16.0 / 9
	if a, err := video.ParseAspect(aspect); err == nil {
		if w, h, err := a.Size(1); err == nil {
			frame = float64(w) / float64(h)
		}
	}
	looks := make([]*layout, len(photos))
	for i, p := range photos {
		looks[i] = readLayout(p.Path)
	}
	left := make([]int, len(photos))
	for i := range left {
		left[i] = i
	}
	// The opening: the best fit among the first few ranked, the higher rank on a tie.
	lead := 0
	for i := 1; i < min(leadChoices, len(photos)); i++ {
		if cropLoss(photos[i], frame) < cropLoss(photos[lead], frame)-0.05 {
			lead = i
		}
	}
	order := []int{lead}
	left = append(left[:lead], left[lead+1:]...)
	for len(left) > 0 {
		prev := looks[order[len(order)-1]]
		pick, far := 0, -1.0
		for j, i := range left {
			d := distance(prev, looks[i])
			if d >= minShotDifference {
				pick = j // the best ranked that looks different enough
				break
			}
			if d > far {
				pick, far = j, d // otherwise the most different
			}
		}
		order = append(order, left[pick])
		left = append(left[:pick], left[pick+1:]...)
	}
	out := make([]PhotoRef, len(order))
	for k, i := range order {
		out[k] = photos[i]
	}
	return out
}

// cropLoss is the share of the photo that filling the frame would cut away.
func cropLoss(p PhotoRef, frame float64) float64 {
	if p.Width <= 0 || p.Height <= 0 {
		return 1
	}
	a := float64(p.Width) / float64(p.Height)
	return 1 - math.Min(a, frame)/math.Max(a, frame)
}

// readLayout decodes the photo (the crawler re-encoded it under the pixel cap) and
// averages its colours over a grid, sampling at most 64×64 points; nil when it cannot
// be read, which makes it look unlike anything.
func readLayout(path string) *layout {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil
	}
	b := img.Bounds()
	if b.Dx() < layoutGrid || b.Dy() < layoutGrid {
		return nil
	}
	const samples = 64
	var l layout
	var n [layoutGrid * layoutGrid]float64
	for sy := 0; sy < samples; sy++ {
		y := b.Min.Y + (2*sy+1)*b.Dy()/(2*samples)
		for sx := 0; sx < samples; sx++ {
			x := b.Min.X + (2*sx+1)*b.Dx()/(2*samples)
			r, g, bl, _ := img.At(x, y).RGBA()
			cell := (sy*layoutGrid/samples)*layoutGrid + sx*layoutGrid/samples
			l[3*cell] += float64(r) / 0xffff
			l[3*cell+1] += float64(g) / 0xffff
			l[3*cell+2] += float64(bl) / 0xffff
			n[cell]++
		}
	}
	for c := range n {
		for k := 0; k < 3; k++ {
			l[3*c+k] /= n[c]
		}
	}
	return &l
}

// distance is the root-mean-square difference of two layouts, 0..1; 1 when either is
// unknown.
func distance(a, b *layout) float64 {
	if a == nil || b == nil {
		return 1
	}
	var sum float64
	for i := range a {
		d := a[i] - b[i]
		sum += d * d
	}
	return math.Sqrt(sum / float64(len(a)))
}
