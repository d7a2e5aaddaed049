package raster

import "testing"

func benchSource(w, h int) *YUV {
	src := NewYUV(w, h)
	for i := range src.Buf {
		src.Buf[i] = byte(i * 7)
	}
	return src
}

// BenchmarkSampler draws one 1080p frame from a canvas 1.15× larger at a sub-pixel offset,
// the per-frame work of a Ken Burns shot.
func BenchmarkSampler(b *testing.B) {
	src := benchSource(2208, 1242)
	dst := NewYUV(1920, 1080)
	var s Sampler
	b.SetBytes(int64(len(dst.Buf)))
	for i := 0; b.Loop(); i++ {
		s.ResampleYUV(dst, src, View{X: 10.3 + float64(i%50)*0.37, Y: 7.1, W: 2000.5, H: 1125.3})
	}
}

func BenchmarkBlend(b *testing.B) {
	a := NewYUV(1920, 1080)
	c := benchSource(1920, 1080)
	b.SetBytes(int64(len(a.Buf)))
	for b.Loop() {
		Blend(a.Buf, c.Buf, 100)
	}
}
