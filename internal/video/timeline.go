package video

import (
	"math"
	"math/rand/v2"
	"strings"

	"github.com/o2sound/o2sound/internal/songplan"
	"github.com/o2sound/o2sound/internal/video/artwork"
)

// The timeline decides, before a pixel is drawn, which picture is on screen in every frame:
// one shot per group of bars, every cut on a bar line, a transition into each shot that
// starts on that bar line, and the caption spans from the plan's lyric times.

const fps = songplan.FPS

// Shot lengths aim at this many seconds, rounded to whole bars: long enough to take a
// picture in, short enough to feel cut to the music.
const targetShotSeconds = 2.5

type transitionKind int

const (
	transCut       transitionKind = iota
	transCrossfade                // dissolve
	transPush                     // the new picture pushes the old one off screen
	transZoom                     // zoom into the old picture while the new one settles out of a zoom
	transDip                      // fade through the brand colour
	transWipe                     // a soft edge sweeps across
)

var transitionNames = [...]string{"cut", "crossfade", "push", "zoom", "dip", "wipe"}

func (k transitionKind) String() string { return transitionNames[k] }

// transition is how a shot comes in. It occupies the first frames of the shot, so the
// change always begins on the shot's bar line.
type transition struct {
	kind     transitionKind
	frames   int
	vertical bool // push or wipe along y instead of x
}

type contentKind int

const (
	contentImage contentKind = iota
	contentCard
)

// content is what a shot shows: input image i, or generated card i.
type content struct {
	kind  contentKind
	index int
}

type moveStyle int

const (
	moveZoomIn moveStyle = iota
	moveZoomOut
	movePanForward // left→right or top→bottom
	movePanBack
)

// shot is one picture on screen from its cut (start) to the next cut (end), plus, after
// end, the frames of the next shot's transition during which it keeps moving.
type shot struct {
	start, end int
	content    content
	in         transition
	style      moveStyle
	bars       int // how many bars it spans
}

// captionSpan is when lyric line plan.Lines[line] is on screen.
type captionSpan struct {
	start, end int
	line       int
}

type timeline struct {
	frames   int
	shots    []shot
	captions []captionSpan
	thumb    int // frame for the thumbnail
}

// cuts returns the first frame of every shot after the first.
func (t *timeline) cuts() []int {
	var out []int
	for _, s := range t.shots[1:] {
		out = append(out, s.start)
	}
	return out
}

// shotAt returns the index of the shot on screen at frame f.
func (t *timeline) shotAt(f int) int {
	lo, hi := 0, len(t.shots)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if t.shots[mid].start <= f {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// moveSpan is the number of frames shot i moves for: its own and the next transition's.
func (t *timeline) moveSpan(i int) int {
	n := t.shots[i].end - t.shots[i].start
	if i+1 < len(t.shots) {
		n += t.shots[i+1].in.frames
	}
	return n
}

// timelineInput is what the timeline depends on.
type timelineInput struct {
	plan      *songplan.Plan
	images    int // usable images, best first
	infoCards int // fallback cards available besides the opening and closing cards
	tall      bool
}

// framesOf converts plan seconds to a frame number. Plans use tempos that divide
// 60·FPS, so bar times are whole frames and the rounding only absorbs float noise.
func framesOf(sec float64) int { return int(math.Round(sec * fps)) }

// buildTimeline lays out shots and captions for a plan. With fewer than three images the
// middle of the video alternates the images there are with fallback cards.
func buildTimeline(in timelineInput) timeline {
	p := in.plan
	total := max(1, framesOf(p.Duration))
	tl := timeline{frames: total}

	// Bar lines strictly inside the video; the first shot always starts at frame 0.
	var bars []int
	barIndex := map[int]int{} // frame → plan bar index
	for i, b := range p.Bars {
		f := framesOf(b.Start)
		if f < 0 || f >= total || (len(bars) > 0 && f <= bars[len(bars)-1]) {
			continue
		}
		bars = append(bars, f)
		barIndex[f] = i
	}
	if len(bars) == 0 || bars[0] != 0 {
		bars = append([]int{0}, bars...)
	}
	nb := len(bars)
	sectionStart := map[int]bool{}
	for _, s := range p.Sections {
		if s.StartBar >= 0 && s.StartBar < len(p.Bars) {
			sectionStart[framesOf(p.Bars[s.StartBar].Start)] = true
		}
	}
	barSec := p.BarSeconds()
	beatFrames := 60 * fps / p.Tempo
	rng := rand.New(rand.NewPCG(uint64(p.Seed), 0x6f32736f756e64)) // "o2sound"

	// Opening and closing cards take whole bars, about three and four seconds, and never
	// more than a quarter of the video each.
	open, closeN := 0, 0
	if nb >= 3 {
		open = clampInt(int(math.Ceil(3/barSec)), 1, max(1, nb/4))
		closeN = clampInt(int(math.Ceil(4/barSec)), 1, max(1, nb/4))
	}
	// No section may start inside a card: the card yields to the section instead.
	for b := 1; b < open; b++ {
		if sectionStart[bars[b]] {
			open = b
			break
		}
	}
	for b := nb - 1; closeN > 0 && b > nb-closeN; b-- {
		if sectionStart[bars[b]] {
			closeN = nb - b
			break
		}
	}
	group := max(1, int(math.Round(targetShotSeconds/barSec)))
	fewImages := in.images < 3

	// Group the middle bars into shots, restarting groups at section starts so a new
	// section always opens on a new picture.
	type span struct{ from, to int } // bar indices [from, to)
	var middle []span
	for b := open; b < nb-closeN; {
		e := b + 1
		for e < nb-closeN && e-b < group && !sectionStart[bars[e]] {
			e++
		}
		middle = append(middle, span{b, e})
		b = e
	}
	// Many images and long groups: halve the groups so more of the pictures get shown.
	if !fewImages && group > 1 && in.images >= 2*len(middle) {
		var split []span
		for _, s := range middle {
			mid := s.from + (s.to-s.from+1)/2
			split = append(split, span{s.from, mid})
			if mid < s.to {
				split = append(split, span{mid, s.to})
			}
		}
		middle = split
	}

	// What each middle shot shows.
	var seq []content
	if fewImages {
		cards := max(1, in.infoCards)
		ci, ii := 0, 0
		for k := range middle {
			if in.images > 0 && k%2 == 1 {
				seq = append(seq, content{contentImage, ii % in.images})
				ii++
			} else {
				seq = append(seq, content{contentCard, 2 + ci%cards})
				ci++
			}
		}
	} else {
		for k := range middle {
			seq = append(seq, content{contentImage, k % in.images})
		}
	}

	add := func(fromBar, toBar int, c content) {
		end := total
		if toBar < nb {
			end = bars[toBar]
		}
		tl.shots = append(tl.shots, shot{start: bars[fromBar], end: end, content: c, bars: toBar - fromBar})
	}
	if open > 0 {
		add(0, open, content{contentCard, int(artwork.CardOpening)})
	}
	for k, s := range middle {
		add(s.from, s.to, seq[k])
	}
	if closeN > 0 {
		add(nb-closeN, nb, content{contentCard, int(artwork.CardClosing)})
	}
	if len(tl.shots) == 0 { // a plan of one or two bars and no room for cards
		c := content{contentCard, int(artwork.CardOpening)}
		if in.images > 0 {
			c = content{contentImage, 0}
		}
		add(0, nb, c)
	}

	// Transitions and moves.
	for i := range tl.shots {
		s := &tl.shots[i]
		s.style = moveStyle(rng.IntN(4))
		if s.content.kind == contentCard {
			s.style = moveZoomIn // cards drift in gently; lettering is an overlay
		}
		if i == 0 {
			continue
		}
		s.in = chooseTransition(rng, p.Tempo, beatFrames, i, tl.shots, sectionStart[s.start], in.tall)
	}

	// Captions: one lyric line at a time, clipped to the video.
	for i, l := range p.Lines {
		if strings.TrimSpace(l.Text) == "" {
			continue
		}
		st, en := framesOf(l.Start), framesOf(l.End)
		st, en = max(0, st), min(total, en)
		if en-st < 2 {
			continue
		}
		if n := len(tl.captions); n > 0 && tl.captions[n-1].end > st {
			tl.captions[n-1].end = st
		}
		tl.captions = append(tl.captions, captionSpan{start: st, end: en, line: i})
	}
	tl.thumb = chooseThumb(&tl)
	return tl
}

// chooseTransition picks how shot i comes in, from kinds that suit the tempo: dissolves
// and dips for slow songs, pushes and hard cuts for fast ones. Section starts get the
// bolder kinds; cards come in with a dissolve so their lettering does not slide.
func chooseTransition(rng *rand.Rand, tempo, beatFrames, i int, shots []shot, sectionStart, tall bool) transition {
	s := shots[i]
	var weights map[transitionKind]int
	switch {
	case tempo < 100:
		weights = map[transitionKind]int{transCrossfade: 5, transDip: 1, transZoom: 1, transWipe: 2}
	case tempo < 140:
		weights = map[transitionKind]int{transCrossfade: 3, transPush: 2, transZoom: 2, transWipe: 1, transCut: 1}
	default:
		weights = map[transitionKind]int{transCut: 3, transPush: 2, transZoom: 2, transCrossfade: 1}
	}
	var kind transitionKind
	switch {
	case s.content.kind == contentCard && s.content.index == int(artwork.CardClosing):
		kind = transCrossfade
		if tempo < 100 {
			kind = transDip
		}
	case shots[i-1].content.kind == contentCard && shots[i-1].content.index == int(artwork.CardOpening):
		kind = transZoom
	case s.content.kind == contentCard:
		kind = transCrossfade
	case sectionStart:
		kind = []transitionKind{transZoom, transDip, transPush}[rng.IntN(3)]
		if tempo >= 140 && kind == transDip {
			kind = transZoom
		}
	default:
		kind = weighted(rng, weights)
		// Avoid the same kind three times running; it starts to look mechanical.
		if i >= 2 && shots[i-1].in.kind == kind && shots[i-2].in.kind == kind {
			kind = transCrossfade
			if kind == shots[i-1].in.kind {
				kind = transPush
			}
		}
	}
	var frames int
	switch kind {
	case transCrossfade, transDip:
		frames = beatFrames
	case transPush, transZoom:
		frames = max(6, beatFrames/2)
	case transWipe:
		frames = max(8, beatFrames*3/4)
	}
	// Never more than half of either shot it joins.
	frames = min(frames, (s.end-s.start)/2, (shots[i-1].end-shots[i-1].start)/2)
	if frames < 2 {
		kind, frames = transCut, 0
	}
	return transition{kind: kind, frames: frames, vertical: tall || rng.IntN(4) == 0}
}

func weighted(rng *rand.Rand, w map[transitionKind]int) transitionKind {
	total := 0
	for k := transCut; k <= transWipe; k++ {
		total += w[k]
	}
	n := rng.IntN(total)
	for k := transCut; k <= transWipe; k++ {
		if n < w[k] {
			return k
		}
		n -= w[k]
	}
	return transCrossfade
}

// chooseThumb picks the first clean frame of the best image's first shot, not a card and
// not mid-transition, preferring one with no caption over the picture; without images it
// is the opening card with its lettering fully in.
func chooseThumb(tl *timeline) int {
	pick := func(s shot) int {
		from, to := s.start+s.in.frames+1, s.end-1
		if from > to {
			return (s.start + s.end) / 2
		}
		for f := from; f <= to; f++ {
			free := true
			for _, c := range tl.captions {
				if f >= c.start && f < c.end {
					free = false
					break
				}
			}
			if free {
				return f
			}
		}
		return from
	}
	for _, want := range []int{0, -1} {
		for _, s := range tl.shots {
			if s.content.kind == contentImage && (want < 0 || s.content.index == want) {
				return pick(s)
			}
		}
	}
	s := tl.shots[0]
	return min(s.end-1, s.start+max(s.in.frames+1, (s.end-s.start)*2/3))
}
