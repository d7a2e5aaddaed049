package score

// General MIDI percussion keys (channel 10).
const (
	drumKick       = 36
	drumSideStick  = 37
	drumSnare      = 38
	drumClap       = 39
	drumLowTom     = 45
	drumMidTom     = 47
	drumHighTom    = 50
	drumClosedHat  = 42
	drumPedalHat   = 44
	drumOpenHat    = 46
	drumCrash      = 49
	drumRide       = 51
	drumTambourine = 54
	drumShaker     = 70 // maracas
	drumTriangle   = 81
)

// drumVoice is one instrument's pattern over a bar, one character per sixteenth:
// 'X' accent, 'x' normal, 'o' soft, '.' rest. Patterns of 16 are for 4/4, 12 for 3/4.
type drumVoice struct {
	key     int
	pattern string
	// intro voices also play in the first intro bar, before the full kit comes in.
	intro bool
}

// drumKit is a genre's groove plus how it fills and marks sections.
type drumKit struct {
	voices []drumVoice
	// fill is played over the last beat before a new section; empty means no fill.
	fill []int
	// crash marks the start of choruses and the final chord.
	crash bool
}

var drumKits = map[string]drumKit{
	"pop": {voices: []drumVoice{
		{drumKick, "x.......x.x.....", false},
		{drumSnare, "....x.......x...", false},
		{drumClosedHat, "x.o.x.o.x.o.x.o.", true},
	}, fill: []int{drumSnare, drumHighTom, drumMidTom, drumLowTom}, crash: true},
	"acoustic": {voices: []drumVoice{
		{drumKick, "x.......x.......", false},
		{drumSideStick, "....x.......x...", false},
		{drumShaker, "oxoxoxoxoxoxoxox", true},
	}, fill: []int{drumSideStick, drumSideStick, drumLowTom, drumLowTom}, crash: false},
	"bossa": {voices: []drumVoice{
		{drumKick, "x..xx..xx..xx..x", false},
		{drumSideStick, "x..x..x...x..x..", false},
		{drumShaker, "oooooooooooooooo", true},
	}, crash: false},
	"funk": {voices: []drumVoice{
		{drumKick, "x..x..x...x..x..", false},
		{drumSnare, "....X..o.o..X...", false},
		{drumClosedHat, "xoxoxoxoxoxoxoxo", true},
	}, fill: []int{drumSnare, drumSnare, drumHighTom, drumLowTom}, crash: true},
	"jazz": {voices: []drumVoice{
		{drumRide, "x...x..xx...x..x", true},
		{drumPedalHat, "....x.......x...", false},
		{drumKick, "o.......o.......", false},
		{drumSnare, ".......o.......o", false},
	}, crash: false},
	"edm": {voices: []drumVoice{
		{drumKick, "X...X...X...X...", false},
		{drumClap, "....x.......x...", false},
		{drumOpenHat, "..x...x...x...x.", true},
		{drumClosedHat, "o.o.o.o.o.o.o.o.", true},
	}, fill: []int{drumSnare, drumSnare, drumSnare, drumSnare}, crash: true},
	"rock": {voices: []drumVoice{
		{drumKick, "x.....x.x.......", false},
		{drumSnare, "....X.......X...", false},
		{drumClosedHat, "x.x.x.x.x.x.x.x.", true},
	}, fill: []int{drumSnare, drumHighTom, drumMidTom, drumLowTom}, crash: true},
	"disco": {voices: []drumVoice{
		{drumKick, "x...x...x...x...", false},
		{drumSnare, "....x.......x...", false},
		{drumOpenHat, "..o...o...o...o.", true},
		{drumClosedHat, "o...o...o...o...", true},
	}, fill: []int{drumSnare, drumHighTom, drumMidTom, drumLowTom}, crash: true},
	"tropical": {voices: []drumVoice{
		{drumKick, "x...x...x...x...", false},
		{drumClap, "....o.......o...", false},
		{drumShaker, "..o...o...o...o.", true},
	}, crash: false},
	"ambient": {voices: []drumVoice{
		{drumKick, "o...............", false},
		{drumShaker, "..o...o...o...o.", true},
	}, crash: false},
	"soft": {voices: []drumVoice{
		{drumKick, "o.......o.......", false},
		{drumSideStick, "....o.......o...", false},
		{drumShaker, "o.o.o.o.o.o.o.o.", true},
	}, crash: false},
	"waltz": {voices: []drumVoice{
		{drumKick, "o...........", false},
		{drumPedalHat, "....o...o...", true},
		{drumTriangle, "o...........", false},
	}, crash: false},
}

func drumVelocity(c byte) int {
	switch c {
	case 'X':
		return 116
	case 'x':
		return 92
	case 'o':
		return 62
	}
	return 0
}
