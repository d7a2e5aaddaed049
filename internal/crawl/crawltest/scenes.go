package crawltest

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"sort"
)

// Scenes lists the scene kinds Scene can draw.
func Scenes() []string {
	kinds := make([]string, 0, len(scenes))
	for k := range scenes {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return kinds
}

var scenes = map[string]func(cv *canvas, r *rng){
	"latte":      latte,
	"interior":   interior,
	"dessert":    dessert,
	"brunch":     brunch,
	"storefront": storefront,
	"beans":      beans,
	"bakery":     bakery,
	"terrace":    terrace,
	"flowers":    flowers,
	"city":       city,
}

// Scene draws a w×h picture of the given kind. Different kinds differ in structure,
// so their perceptual hashes are far apart; different seeds of one kind vary colours
// and placement.
func Scene(kind string, seed int64, w, h int) *image.RGBA {
	draw, ok := scenes[kind]
	if !ok {
		panic(fmt.Sprintf("crawltest: unknown scene %q", kind))
	}
	cv := newCanvas(w, h)
	draw(cv, newRNG(seed))
	return cv.img
}

func latte(cv *canvas, r *rng) {
	w, h := float64(cv.w), float64(cv.h)
	u := math.Min(w, h)
	wood := r.pick(rgb(122, 78, 48), rgb(140, 94, 60), rgb(104, 66, 42))
	seed := int64(r.next() % 1000)
	cv.background(func(x, y float64) color.NRGBA {
		grain := 0.5 + 0.5*math.Sin(y/u*60+noise(x, y, u/3, seed)*6)
		plank := math.Mod(y/(u/4), 1)
		f := 0.88 + 0.14*grain
		if plank < 0.02 {
			f *= 0.7
		}
		return shade(wood, f)
	})
	cx, cy := w*r.float(0.42, 0.58), h*r.float(0.45, 0.55)
	cv.glow(cx+u*0.04, cy+u*0.05, u*0.42, rgb(40, 25, 15), 0.8)
	cv.circle(cx, cy, u*0.36, vertical(rgb(250, 248, 244), rgb(226, 222, 216), cy-u*0.36, cy+u*0.36))
	cv.circle(cx, cy, u*0.31, solid(rgb(238, 235, 230)))
	cv.circle(cx, cy, u*0.25, solid(rgb(252, 252, 250)))
	coffee := r.pick(rgb(150, 96, 58), rgb(168, 112, 70), rgb(135, 85, 50))
	cv.circle(cx, cy, u*0.21, solid(coffee))
	foam := rgb(244, 232, 214)
	// A latte-art heart: two lobes and a point.
	hr := u * 0.075
	cv.circle(cx-hr*0.8, cy-hr*0.4, hr, solid(foam))
	cv.circle(cx+hr*0.8, cy-hr*0.4, hr, solid(foam))
	cv.polygon([][2]float64{{cx - hr*1.75, cy - hr*0.1}, {cx + hr*1.75, cy - hr*0.1}, {cx, cy + hr*1.9}}, solid(foam))
	cv.line(cx, cy-hr*1.6, cx, cy+hr*1.6, u*0.008, solid(shade(coffee, 1.1)))
	// Handle and spoon.
	cv.ellipse(cx+u*0.29, cy, u*0.07, u*0.03, 0, solid(rgb(240, 238, 234)))
	sx := cx - u*0.05
	cv.line(sx, cy+u*0.28, sx+u*0.22, cy+u*0.34, u*0.018, solid(rgb(196, 198, 204)))
	cv.ellipse(sx-u*0.01, cy+u*0.275, u*0.035, u*0.022, 0.26, solid(rgb(210, 212, 218)))
	// A cookie on the side.
	kx, ky := w*0.16, h*0.78
	cv.circle(kx, ky, u*0.09, solid(rgb(196, 142, 80)))
	for i := 0; i < 6; i++ {
		cv.circle(kx+u*r.float(-0.06, 0.06), ky+u*r.float(-0.06, 0.06), u*0.012, solid(rgb(70, 40, 25)))
	}
}

func interior(cv *canvas, r *rng) {
	w, h := float64(cv.w), float64(cv.h)
	u := math.Min(w, h)
	wall := r.pick(rgb(232, 214, 190), rgb(222, 204, 178), rgb(214, 222, 210))
	floorY := h * 0.7
	cv.background(func(x, y float64) color.NRGBA {
		if y > floorY {
			return mix(rgb(150, 110, 80), rgb(110, 78, 56), (y-floorY)/(h-floorY))
		}
		return mix(wall, shade(wall, 0.85), y/floorY)
	})
	// Tall windows with daylight.
	n := 3
	for i := 0; i < n; i++ {
		x0 := w*0.08 + float64(i)*w*0.3
		cv.rect(x0, h*0.12, x0+w*0.2, h*0.6, u*0.01, solid(rgb(90, 70, 55)))
		cv.rect(x0+u*0.012, h*0.12+u*0.012, x0+w*0.2-u*0.012, h*0.6-u*0.012, 0,
			vertical(rgb(200, 226, 245), rgb(238, 246, 250), h*0.12, h*0.6))
		cv.line(x0+w*0.1, h*0.12, x0+w*0.1, h*0.6, u*0.01, solid(rgb(90, 70, 55)))
	}
	// Pendant lamps.
	for i := 0; i < 4; i++ {
		lx := w * (0.2 + 0.2*float64(i))
		ly := h * r.float(0.22, 0.32)
		cv.line(lx, 0, lx, ly, u*0.004, solid(rgb(40, 35, 30)))
		cv.glow(lx, ly+u*0.03, u*0.16, rgb(255, 214, 140), 0.9)
		cv.polygon([][2]float64{{lx - u*0.045, ly + u*0.04}, {lx + u*0.045, ly + u*0.04}, {lx + u*0.02, ly}, {lx - u*0.02, ly}}, solid(rgb(60, 50, 40)))
		cv.circle(lx, ly+u*0.045, u*0.015, solid(rgb(255, 236, 190)))
	}
	// Tables and a plant.
	for i := 0; i < 3; i++ {
		tx := w * (0.22 + 0.28*float64(i))
		cv.line(tx, floorY-u*0.02, tx, floorY+u*0.16, u*0.015, solid(rgb(50, 36, 28)))
		cv.ellipse(tx, floorY-u*0.02, u*0.12, u*0.025, 0, solid(rgb(84, 58, 40)))
	}
	px := w * r.float(0.86, 0.92)
	cv.rect(px-u*0.05, floorY-u*0.02, px+u*0.05, floorY+u*0.1, u*0.01, solid(rgb(200, 120, 80)))
	for i := 0; i < 9; i++ {
		cv.ellipse(px+u*r.float(-0.08, 0.08), floorY-u*r.float(0.06, 0.22), u*0.06, u*0.025, r.float(-1.2, 1.2), solid(r.pick(rgb(60, 120, 70), rgb(80, 140, 80), rgb(50, 100, 60))))
	}
}

func dessert(cv *canvas, r *rng) {
	w, h := float64(cv.w), float64(cv.h)
	u := math.Min(w, h)
	bg := r.pick(rgb(248, 214, 220), rgb(214, 238, 228), rgb(250, 230, 200))
	cv.background(vertical(shade(bg, 1.04), shade(bg, 0.9), 0, h))
	cx, cy := w*0.5, h*0.58
	cv.glow(cx, cy+u*0.08, u*0.5, rgb(120, 90, 90), 0.5)
	cv.ellipse(cx, cy+u*0.06, u*0.42, u*0.2, 0, solid(rgb(252, 252, 252)))
	cv.ellipse(cx, cy+u*0.06, u*0.34, u*0.15, 0, solid(rgb(240, 240, 242)))
	// A slice of layer cake.
	sponge, cream := rgb(238, 200, 140), rgb(255, 248, 236)
	top := cy - u*0.22
	left, right := cx-u*0.26, cx+u*0.2
	layers := 5
	for i := 0; i < layers; i++ {
		y0 := top + float64(i)*u*0.05
		c := sponge
		if i%2 == 1 {
			c = cream
		}
		cv.polygon([][2]float64{{left, y0}, {right, y0 - u*0.06}, {right, y0 - u*0.01}, {left, y0 + u*0.05}}, solid(c))
	}
	cv.polygon([][2]float64{{left, top}, {right, top - u*0.06}, {right + u*0.06, top - u*0.03}, {left + u*0.1, top + u*0.02}}, solid(rgb(255, 250, 244)))
	for i := 0; i < 5; i++ {
		cv.circle(cx-u*0.2+float64(i)*u*0.09, top-u*0.03-float64(i)*u*0.012, u*0.03, solid(r.pick(rgb(200, 30, 50), rgb(220, 40, 60), rgb(120, 20, 60))))
	}
	for i := 0; i < 3; i++ {
		cv.ellipse(cx+u*0.1+float64(i)*u*0.04, top-u*0.1, u*0.03, u*0.012, 0.6+float64(i), solid(rgb(70, 150, 80)))
	}
	// Macarons behind.
	for i := 0; i < 3; i++ {
		mx, my := w*0.15+float64(i)*w*0.08, h*0.25
		c := r.pick(rgb(190, 160, 220), rgb(250, 180, 190), rgb(190, 225, 190))
		cv.ellipse(mx, my, u*0.05, u*0.02, 0, solid(c))
		cv.ellipse(mx, my+u*0.025, u*0.045, u*0.01, 0, solid(rgb(255, 245, 235)))
		cv.ellipse(mx, my+u*0.045, u*0.05, u*0.02, 0, solid(c))
	}
}

func brunch(cv *canvas, r *rng) {
	w, h := float64(cv.w), float64(cv.h)
	u := math.Min(w, h)
	table := r.pick(rgb(196, 210, 220), rgb(220, 214, 200), rgb(180, 200, 190))
	seed := int64(r.next() % 1000)
	cv.background(func(x, y float64) color.NRGBA {
		return shade(table, 0.92+0.1*noise(x, y, u/5, seed))
	})
	cx, cy := w*0.46, h*0.52
	cv.glow(cx+u*0.03, cy+u*0.04, u*0.5, rgb(60, 60, 70), 0.7)
	cv.circle(cx, cy, u*0.42, solid(rgb(250, 250, 248)))
	cv.circle(cx, cy, u*0.36, solid(rgb(244, 243, 240)))
	// Toast.
	for i := 0; i < 2; i++ {
		tx, ty := cx-u*0.2+float64(i)*u*0.08, cy-u*0.12+float64(i)*u*0.06
		cv.rect(tx-u*0.1, ty-u*0.08, tx+u*0.1, ty+u*0.08, u*0.03, solid(rgb(170, 110, 50)))
		cv.rect(tx-u*0.085, ty-u*0.065, tx+u*0.085, ty+u*0.065, u*0.02, solid(rgb(226, 178, 110)))
	}
	// Fried eggs.
	for i := 0; i < 2; i++ {
		ex, ey := cx+u*0.14, cy-u*0.1+float64(i)*u*0.2
		for k := 0; k < 5; k++ {
			cv.circle(ex+u*r.float(-0.04, 0.04), ey+u*r.float(-0.04, 0.04), u*0.07, solid(rgb(255, 255, 252)))
		}
		cv.circle(ex, ey, u*0.035, solid(rgb(250, 180, 30)))
	}
	// Avocado and greens.
	for i := 0; i < 5; i++ {
		cv.ellipse(cx-u*0.12+float64(i)*u*0.035, cy+u*0.2, u*0.05, u*0.022, 0.9, solid(rgb(150, 190, 80)))
	}
	for i := 0; i < 8; i++ {
		cv.ellipse(cx+u*r.float(-0.3, -0.15), cy+u*r.float(0.05, 0.2), u*0.04, u*0.015, r.float(0, 3), solid(rgb(60, 140, 60)))
	}
	// Orange juice.
	jx, jy := w*0.86, h*0.25
	cv.circle(jx, jy, u*0.1, solid(rgb(230, 235, 240)))
	cv.circle(jx, jy, u*0.085, solid(rgb(250, 160, 40)))
}

func storefront(cv *canvas, r *rng) {
	w, h := float64(cv.w), float64(cv.h)
	u := math.Min(w, h)
	cv.background(vertical(r.pick(rgb(250, 160, 100), rgb(240, 140, 120)), rgb(80, 60, 120), 0, h*0.6))
	cv.rect(0, h*0.85, w, h, 0, solid(rgb(70, 70, 78)))
	fx0, fx1 := w*0.12, w*0.88
	facade := r.pick(rgb(60, 90, 80), rgb(40, 60, 90), rgb(120, 50, 50))
	cv.rect(fx0, h*0.15, fx1, h*0.86, 0, solid(facade))
	// Sign board.
	cv.rect(w*0.3, h*0.2, w*0.7, h*0.3, u*0.02, solid(rgb(245, 235, 210)))
	cv.rect(w*0.33, h*0.235, w*0.67, h*0.265, u*0.01, solid(shade(facade, 0.8)))
	// Striped awning with a scalloped edge.
	stripes := 10
	aw := (fx1 - fx0) / float64(stripes)
	for i := 0; i < stripes; i++ {
		c := rgb(250, 250, 245)
		if i%2 == 0 {
			c = r.pick(rgb(200, 60, 60), rgb(40, 120, 90), rgb(230, 150, 40))
		}
		x := fx0 + float64(i)*aw
		cv.polygon([][2]float64{{x, h * 0.34}, {x + aw, h * 0.34}, {x + aw + aw*0.15, h * 0.44}, {x - aw*0.15 + aw*0.15, h * 0.44}}, solid(c))
		cv.circle(x+aw/2, h*0.44, aw/2, solid(c))
	}
	// Warm windows and a door.
	cv.rect(w*0.16, h*0.5, w*0.46, h*0.8, u*0.01, vertical(rgb(255, 220, 150), rgb(240, 170, 90), h*0.5, h*0.8))
	cv.rect(w*0.6, h*0.5, w*0.84, h*0.8, u*0.01, vertical(rgb(255, 220, 150), rgb(240, 170, 90), h*0.5, h*0.8))
	cv.rect(w*0.48, h*0.52, w*0.58, h*0.86, u*0.005, solid(shade(facade, 0.6)))
	cv.circle(w*0.565, h*0.7, u*0.008, solid(rgb(230, 200, 120)))
	for i := 0; i < 4; i++ {
		cv.glow(w*(0.2+0.18*float64(i)), h*0.62, u*0.12, rgb(255, 230, 170), 0.6)
	}
	// Street lamp.
	lx := w * 0.05
	cv.line(lx, h*0.3, lx, h*0.9, u*0.012, solid(rgb(30, 30, 34)))
	cv.glow(lx, h*0.3, u*0.15, rgb(255, 230, 160), 1)
	cv.circle(lx, h*0.3, u*0.02, solid(rgb(255, 245, 210)))
}

func beans(cv *canvas, r *rng) {
	w, h := float64(cv.w), float64(cv.h)
	u := math.Min(w, h)
	burlap := rgb(196, 168, 124)
	cv.background(func(x, y float64) color.NRGBA {
		weave := 0.5 + 0.25*math.Sin(x/u*160) + 0.25*math.Sin(y/u*160)
		return shade(burlap, 0.9+0.12*weave)
	})
	for i := 0; i < 70; i++ {
		bx, by := w*r.float(0.02, 0.98), h*r.float(0.02, 0.98)
		a := r.float(0, math.Pi)
		c := r.pick(rgb(80, 45, 25), rgb(95, 55, 30), rgb(70, 38, 22))
		cv.ellipse(bx, by, u*0.045, u*0.03, a, solid(c))
		s, co := math.Sincos(a)
		cv.line(bx-co*u*0.03, by-s*u*0.03, bx+co*u*0.03, by+s*u*0.03, u*0.006, solid(rgb(40, 22, 12)))
	}
	cv.glow(w*0.5, h*0.5, u*0.6, rgb(255, 240, 210), 0.35)
}

func bakery(cv *canvas, r *rng) {
	w, h := float64(cv.w), float64(cv.h)
	u := math.Min(w, h)
	cv.background(vertical(rgb(60, 48, 40), rgb(36, 28, 24), 0, h))
	cv.rect(w*0.06, h*0.1, w*0.94, h*0.9, u*0.03, solid(rgb(150, 150, 155)))
	cv.rect(w*0.08, h*0.13, w*0.92, h*0.87, u*0.02, solid(rgb(210, 200, 180)))
	// Croissants: crescents of overlapping lobes.
	for k := 0; k < 5; k++ {
		ox, oy := w*(0.2+0.15*float64(k)), h*r.float(0.3, 0.4)
		for i := -3; i <= 3; i++ {
			t := float64(i) / 3
			x := ox + t*u*0.09
			y := oy + t*t*u*0.05
			size := 1 - 0.5*math.Abs(t)
			cv.ellipse(x, y, u*0.035*size+u*0.01, u*0.05*size+u*0.012, t*0.7, vertical(rgb(230, 160, 70), rgb(170, 100, 40), y-u*0.05, y+u*0.05))
		}
	}
	// Loaves with scoring.
	for k := 0; k < 3; k++ {
		lx, ly := w*(0.28+0.22*float64(k)), h*0.68
		cv.ellipse(lx, ly, u*0.13, u*0.07, r.float(-0.2, 0.2), vertical(rgb(210, 140, 60), rgb(140, 80, 35), ly-u*0.07, ly+u*0.07))
		for s := -1; s <= 1; s++ {
			cv.line(lx+float64(s)*u*0.05-u*0.02, ly-u*0.03, lx+float64(s)*u*0.05+u*0.02, ly+u*0.03, u*0.01, solid(rgb(240, 210, 160)))
		}
	}
}

func terrace(cv *canvas, r *rng) {
	w, h := float64(cv.w), float64(cv.h)
	u := math.Min(w, h)
	cv.background(vertical(rgb(110, 170, 230), rgb(200, 226, 245), 0, h*0.6))
	for i := 0; i < 4; i++ {
		cx, cy := w*r.float(0.1, 0.9), h*r.float(0.08, 0.25)
		for k := 0; k < 4; k++ {
			cv.circle(cx+float64(k)*u*0.05, cy+u*r.float(-0.02, 0.02), u*r.float(0.04, 0.07), solid(rgb(250, 252, 255)))
		}
	}
	cv.ellipse(w*0.3, h*0.72, w*0.5, h*0.25, 0, solid(rgb(110, 160, 90)))
	cv.ellipse(w*0.8, h*0.75, w*0.45, h*0.22, 0, solid(rgb(90, 140, 80)))
	cv.rect(0, h*0.78, w, h, 0, solid(rgb(190, 160, 130)))
	// Umbrella, table, chairs.
	ux, uy := w*r.float(0.4, 0.6), h*0.4
	cv.line(ux, uy, ux, h*0.86, u*0.012, solid(rgb(90, 70, 50)))
	for i := 0; i < 8; i++ {
		a0, a1 := math.Pi+float64(i)*math.Pi/8, math.Pi+float64(i+1)*math.Pi/8
		c := rgb(250, 250, 245)
		if i%2 == 0 {
			c = rgb(40, 110, 150)
		}
		cv.polygon([][2]float64{{ux, uy - u*0.12}, {ux + math.Cos(a0)*u*0.3, uy + math.Sin(a0)*u*0.02}, {ux + math.Cos(a1)*u*0.3, uy + math.Sin(a1)*u*0.02}}, solid(c))
	}
	cv.ellipse(ux, h*0.8, u*0.14, u*0.03, 0, solid(rgb(240, 240, 236)))
	for _, dx := range []float64{-0.22, 0.22} {
		cx := ux + dx*u
		cv.rect(cx-u*0.05, h*0.74, cx+u*0.05, h*0.86, u*0.01, solid(rgb(60, 60, 64)))
	}
	for i := 0; i < 6; i++ {
		cv.circle(w*(0.05+0.18*float64(i)), h*0.8, u*0.06, solid(r.pick(rgb(220, 80, 90), rgb(250, 200, 60), rgb(240, 140, 170))))
	}
}

func flowers(cv *canvas, r *rng) {
	w, h := float64(cv.w), float64(cv.h)
	u := math.Min(w, h)
	cv.background(vertical(rgb(236, 240, 230), rgb(200, 214, 196), 0, h))
	for i := 0; i < 14; i++ {
		fx, fy := w*r.float(0.1, 0.9), h*r.float(0.15, 0.7)
		cv.line(fx, fy, w*0.5+r.float(-0.05, 0.05)*w, h*0.95, u*0.01, solid(rgb(70, 120, 60)))
		petal := r.pick(rgb(240, 110, 140), rgb(250, 200, 80), rgb(200, 120, 220), rgb(250, 250, 250), rgb(250, 150, 90))
		pr := u * r.float(0.04, 0.07)
		for k := 0; k < 6; k++ {
			a := float64(k) * math.Pi / 3
			cv.ellipse(fx+math.Cos(a)*pr, fy+math.Sin(a)*pr, pr*0.9, pr*0.5, a, solid(petal))
		}
		cv.circle(fx, fy, pr*0.45, solid(rgb(250, 210, 60)))
	}
	cv.polygon([][2]float64{{w * 0.36, h * 0.7}, {w * 0.64, h * 0.7}, {w * 0.58, h}, {w * 0.42, h}}, solid(rgb(180, 140, 100)))
}

func city(cv *canvas, r *rng) {
	w, h := float64(cv.w), float64(cv.h)
	u := math.Min(w, h)
	cv.background(vertical(rgb(20, 24, 60), rgb(90, 60, 110), 0, h))
	x := 0.0
	for x < w {
		bw := w * r.float(0.06, 0.14)
		bh := h * r.float(0.3, 0.8)
		c := r.pick(rgb(30, 34, 50), rgb(40, 40, 60), rgb(26, 30, 44))
		cv.rect(x, h-bh, x+bw, h, 0, solid(c))
		for wy := h - bh + u*0.03; wy < h-u*0.03; wy += u * 0.05 {
			for wx := x + u*0.02; wx < x+bw-u*0.03; wx += u * 0.04 {
				if r.float(0, 1) < 0.45 {
					cv.rect(wx, wy, wx+u*0.02, wy+u*0.025, 0, solid(rgb(255, 214, 120)))
				}
			}
		}
		x += bw + w*0.01
	}
	cv.circle(w*0.8, h*0.15, u*0.06, solid(rgb(250, 245, 220)))
}
