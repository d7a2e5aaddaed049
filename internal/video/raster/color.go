package raster

// YCC is a colour in limited-range BT.709 Y'CbCr, the colour space the videos are tagged with.
type YCC struct{ Y, Cb, Cr byte }

// RGBToYCC converts 8-bit sRGB to limited-range BT.709 (Y 16–235, C 16–240) in fixed point.
func RGBToYCC(r, g, b uint8) YCC {
	R, G, B := int32(r), int32(g), int32(b)
	// Coefficients are the BT.709 matrix scaled by 219/255 (luma) and 224/255 (chroma), ×2^16.
	y := (11966*R + 40254*G + 4064*B + 32768) >> 16
	cb := (-6596*R - 22189*G + 28784*B + 32768) >> 16
	cr := (28784*R - 26145*G - 2639*B + 32768) >> 16
	return YCC{byte(16 + y), byte(clamp8(128 + cb)), byte(clamp8(128 + cr))}
}

// YCCToRGB is the inverse of RGBToYCC, for thumbnails and test images.
func YCCToRGB(c YCC) (uint8, uint8, uint8) {
	y := (int32(c.Y) - 16) * 76309 // 255/219 × 2^16
	cb := int32(c.Cb) - 128
	cr := int32(c.Cr) - 128
	// 255/224 × (2(1-Kr), 2 Kb (1-Kb)/Kg, 2 Kr (1-Kr)/Kg, 2(1-Kb)) × 2^16
	r := (y + 117489*cr + 32768) >> 16
	g := (y - 13975*cb - 34925*cr + 32768) >> 16
	b := (y + 138438*cb + 32768) >> 16
	return uint8(clamp8(r)), uint8(clamp8(g)), uint8(clamp8(b))
}

func clamp8(v int32) int32 {
	switch {
	case v < 0:
		return 0
	case v > 255:
		return 255
	}
	return v
}
