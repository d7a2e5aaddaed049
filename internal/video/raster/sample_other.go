//go:build !amd64

package raster

var useAVX2 = false // assignable like the amd64 switch, for tests

func lerpRowsAVX2(*uint16, *byte, *byte, int, uint64, uint64) { panic("unreachable") }

func hpassAVX2(*byte, *uint16, *int32, *uint32, int) { panic("unreachable") }
func blendAVX2(*byte, *byte, int, uint64)            { panic("unreachable") }
