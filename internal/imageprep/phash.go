package imageprep

import (
	"image"
	"math"
	"math/bits"
	"sort"
)

// DuplicateBits is the Hamming distance between two photos' hashes at or under which
// they are the same picture (resized, recompressed or slightly cropped).
const DuplicateBits = 10

// Stats are the measurements used to filter, dedupe and rank a photo.
type Stats struct {
	Hash   uint64  // DCT perceptual hash
	StdDev float64 // luma standard deviation, 0–255: near 0 is a blank or flat image
	Detail float64 // mean luma gradient of a 64×64 thumbnail, 0–255
}

// lumaGrids box-averages img's luma into a 64×64 grid and a 32×32 grid in one pass.
// Every source pixel contributes, so the result is free of aliasing whatever the scale;
// the 32 grid is summed from the 64 one, which is exact because ⌊⌊2a⌋/2⌋ = ⌊a⌋.
func lumaGrids(img *image.RGBA) (g64, g32 []float64) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	var sum [64 * 64]int64
	var cnt [64 * 64]int64
	col := make([]int, w)
	for x := range col {
		col[x] = x * 64 / max(w, 1)
	}
	for y := 0; y < h; y++ {
		gy := y * 64 / h
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		s, c := sum[gy*64:gy*64+64], cnt[gy*64:gy*64+64]
		for x := 0; x < w; x++ {
			p := row[4*x : 4*x+3 : 4*x+3]
			// Rec. 601 luma (as JPEG uses), in thousandths.
			s[col[x]] += 299*int64(p[0]) + 587*int64(p[1]) + 114*int64(p[2])
			c[col[x]]++
		}
	}
	g64 = make([]float64, 64*64)
	g32 = make([]float64, 32*32)
	var sum32, cnt32 [32 * 32]int64
	for i := range sum {
		if cnt[i] > 0 {
			g64[i] = float64(sum[i]) / float64(cnt[i]) / 1000
		}
		j := (i/64/2)*32 + (i%64)/2
		sum32[j] += sum[i]
		cnt32[j] += cnt[i]
	}
	for j := range sum32 {
		if cnt32[j] > 0 {
			g32[j] = float64(sum32[j]) / float64(cnt32[j]) / 1000
		}
	}
	return g64, g32
}

// dct32 is the 32-point DCT-II basis, computed once.
var dct32 = func() [32][32]float64 {
	var m [32][32]float64
	for u := 0; u < 32; u++ {
		for x := 0; x < 32; x++ {
			m[u][x] = math.Cos((2*float64(x) + 1) * float64(u) * math.Pi / 64)
		}
	}
	return m
}()

// Measure computes the perceptual hash and the flatness/detail measures. The hash is the
// classic pHash: a 32×32 luma thumbnail, its 2-D DCT, the 8×8 lowest frequencies without
// the DC term, one bit per coefficient above their median. Re-encoding, resizing and
// mild colour changes leave it within a few bits; different photos differ in ~32.
func Measure(img *image.RGBA) Stats {
	t, g := lumaGrids(img)
	// Separable DCT: rows, then columns, keeping only the 8 lowest of each.
	var rows [32][8]float64
	for y := 0; y < 32; y++ {
		for u := 0; u < 8; u++ {
			s := 0.0
			for x := 0; x < 32; x++ {
				s += g[y*32+x] * dct32[u][x]
			}
			rows[y][u] = s
		}
	}
	var coef [64]float64
	for v := 0; v < 8; v++ {
		for u := 0; u < 8; u++ {
			s := 0.0
			for y := 0; y < 32; y++ {
				s += rows[y][u] * dct32[v][y]
			}
			coef[v*8+u] = s
		}
	}
	vals := make([]float64, 0, 63)
	vals = append(vals, coef[1:]...)
	sort.Float64s(vals)
	median := (vals[30] + vals[31]) / 2
	var hash uint64
	for i := 1; i < 64; i++ {
		if coef[i] > median {
			hash |= 1 << uint(i)
		}
	}

	mean := 0.0
	for _, v := range t {
		mean += v
	}
	mean /= float64(len(t))
	variance, grad := 0.0, 0.0
	for y := 0; y < 64; y++ {
		for x := 0; x < 64; x++ {
			v := t[y*64+x]
			variance += (v - mean) * (v - mean)
			if x < 63 {
				grad += math.Abs(t[y*64+x+1] - v)
			}
			if y < 63 {
				grad += math.Abs(t[(y+1)*64+x] - v)
			}
		}
	}
	return Stats{
		Hash:   hash,
		StdDev: math.Sqrt(variance / float64(len(t))),
		Detail: grad / float64(2*63*64),
	}
}

func HammingDistance(a, b uint64) int { return bits.OnesCount64(a ^ b) }
