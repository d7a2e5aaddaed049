#include "textflag.h"

// func lerpRowsAVX2(row *uint16, a, b *byte, n int, wa, wb uint64)
// row[k] = a[k]*wa + b[k]*wb for k < n, sixteen at a time in 16-bit lanes.
TEXT ·lerpRowsAVX2(SB), NOSPLIT, $0-48
	MOVQ row+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), CX
	MOVQ wa+32(FP), X4
	MOVQ wb+40(FP), X5
	VPBROADCASTW X4, Y4
	VPBROADCASTW X5, Y5

lerploop:
	CMPQ CX, $16
	JLT  lerpdone
	VPMOVZXBW (SI), Y0
	VPMOVZXBW (DX), Y1
	VPMULLW   Y4, Y0, Y0
	VPMULLW   Y5, Y1, Y1
	VPADDW    Y1, Y0, Y0
	VMOVDQU   Y0, (DI)
	ADDQ      $16, SI
	ADDQ      $16, DX
	ADDQ      $32, DI
	SUBQ      $16, CX
	JMP       lerploop

lerpdone:
	VZEROUPPER
	RET

// Selects byte 0 of each 32-bit lane into the low four bytes of each 128-bit half.
DATA lanebytes<>+0(SB)/8, $0x808080800c080400
DATA lanebytes<>+8(SB)/8, $0x8080808080808080
DATA lanebytes<>+16(SB)/8, $0x808080800c080400
DATA lanebytes<>+24(SB)/8, $0x8080808080808080
GLOBL lanebytes<>(SB), RODATA|NOPTR, $32

// func hpassAVX2(out *byte, row *uint16, xi *int32, wp *uint32, n int)
// For eight pixels at a time: gather the 32-bit pair row[xi], row[xi+1], multiply-add it
// with the weight pair (256-w, w), round, shift by 15 and store the eight low bytes.
TEXT ·hpassAVX2(SB), NOSPLIT, $0-40
	MOVQ out+0(FP), DI
	MOVQ row+8(FP), SI
	MOVQ xi+16(FP), BX
	MOVQ wp+24(FP), DX
	MOVQ n+32(FP), CX
	VPCMPEQD Y6, Y6, Y6
	VPSRLD   $31, Y6, Y6
	VPSLLD   $14, Y6, Y6           // 1<<14 in every lane, for rounding
	VMOVDQU  lanebytes<>(SB), Y8

hloop:
	CMPQ CX, $8
	JLT  hdone
	VMOVDQU      (BX), Y1
	VPCMPEQD     Y3, Y3, Y3        // gather mask: all lanes (cleared by the gather)
	VPXOR        Y0, Y0, Y0
	VPGATHERDD   Y3, (SI)(Y1*2), Y0
	VMOVDQU      (DX), Y2
	VPMADDWD     Y2, Y0, Y0
	VPADDD       Y6, Y0, Y0
	VPSRLD       $15, Y0, Y0
	VPSHUFB      Y8, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPUNPCKLDQ   X1, X0, X0
	MOVQ         X0, (DI)
	ADDQ         $32, BX
	ADDQ         $32, DX
	ADDQ         $8, DI
	SUBQ         $8, CX
	JMP          hloop

hdone:
	VZEROUPPER
	RET

// func blendAVX2(dst, src *byte, n int, a uint64)
// dst[k] = (dst[k]*(256-a) + src[k]*a + 128) >> 8 for k < n, sixteen at a time.
TEXT ·blendAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ a+24(FP), AX
	MOVQ $256, BX
	SUBQ AX, BX
	MOVQ AX, X4
	MOVQ BX, X5
	VPBROADCASTW X4, Y4            // a
	VPBROADCASTW X5, Y5            // 256-a
	VPCMPEQW     Y6, Y6, Y6
	VPSRLW       $15, Y6, Y6
	VPSLLW       $7, Y6, Y6        // 128 in every lane, for rounding

bloop:
	CMPQ CX, $16
	JLT  bdone
	VPMOVZXBW    (DI), Y0
	VPMOVZXBW    (SI), Y1
	VPMULLW      Y5, Y0, Y0
	VPMULLW      Y4, Y1, Y1
	VPADDW       Y1, Y0, Y0
	VPADDW       Y6, Y0, Y0
	VPSRLW       $8, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPACKUSWB    X1, X0, X0
	VMOVDQU      X0, (DI)
	ADDQ         $16, SI
	ADDQ         $16, DI
	SUBQ         $16, CX
	JMP          bloop

bdone:
	VZEROUPPER
	RET
