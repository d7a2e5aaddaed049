package video

import (
	"image"

	"github.com/o2sound/o2sound/internal/video/artwork"
	"github.com/o2sound/o2sound/internal/video/raster"
)

// newCardCanvas paints a card's background as a canvas with a little room for a slow
// zoom; the lettering stays in its own overlay so it is never resampled.
func newCardCanvas(pal artwork.Palette, w, h int, photo *image.RGBA, variant int) *canvas {
	cw, ch := evenAtLeast2(float64(w)*1.06), evenAtLeast2(float64(h)*1.06)
	bg := artwork.CardBackground(pal, cw, ch, photo, variant)
	return &canvas{pic: raster.FromRGBA(bg), base: frameShaped(raster.View{W: float64(cw), H: float64(ch)}, w, h), image: -1}
}

// layerOverlay crops a frame-sized layer to its visible pixels and converts it.
func layerOverlay(layer *image.RGBA) *raster.Overlay {
	r := artwork.AlphaBounds(layer)
	if r.Empty() {
		return nil
	}
	r.Min.X &^= 1
	r.Min.Y &^= 1
	return raster.NewOverlay(raster.Crop(layer, r), r.Min.X, r.Min.Y)
}
