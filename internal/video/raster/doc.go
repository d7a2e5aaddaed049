// Package raster is the slideshow's pixel engine: yuv420p pictures, the sub-pixel
// bilinear resampler that draws every frame (AVX2 where available, byte-identical Go
// loops elsewhere), blends, pre-converted overlays with alpha, BT.709 colour conversion,
// and the once-per-picture RGBA operations (area-averaging resize, crop, box blur, tint).
//
// It knows nothing of scenes, cards, text or ffmpeg: package video lays those out and
// calls in here to put pixels on a frame. The per-frame loops live together in this
// package so the compiler can inline and bound-check them as one unit; callers make one
// call per plane or per frame.
package raster
