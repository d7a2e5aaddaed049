package raster

import "golang.org/x/sys/cpu"

// useAVX2 selects the vector passes of the resampler; they give the same bytes as the Go
// loops and are about three times faster, which matters because every frame of every
// video goes through them.
var useAVX2 = cpu.X86.HasAVX2

// lerpRowsAVX2 is lerpRowsGo for n a multiple of 16.
//
//go:noescape
func lerpRowsAVX2(row *uint16, a, b *byte, n int, wa, wb uint64)

// hpassAVX2 is hpassGo for n a multiple of 8; row must hold index xi[u]+1 for every u.
//
//go:noescape
func hpassAVX2(out *byte, row *uint16, xi *int32, wp *uint32, n int)

// blendAVX2 is blendGo for n a multiple of 16 and a in 1..255.
//
//go:noescape
func blendAVX2(dst, src *byte, n int, a uint64)
