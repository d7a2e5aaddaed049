package score

import (
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/lyrics"
)

// style is an arrangement recipe: what a genre sounds like. The plan records the genre
// name; Compose looks the recipe up again by that name.
type style struct {
	genre       string
	mood        string
	tempos      []int // all divide 1800 so beats land on whole frames at 30 fps
	beatsPerBar int
	modes       []bool // minor? one is picked per seed
	// progressions are four-chord cycles in roman numerals (see parseRoman), for major and
	// minor keys respectively.
	major, minor [][]string
	// General MIDI programs (0-based); pad < 0 means no pad.
	lead, harmony, bass, pad, solo int
	leadCenter                     int // MIDI note the melody centres on
	comp                           compStyle
	bassLine                       bassStyle
	drums                          string // key into drumPatterns
	leadVelocity                   int
	// leadDB and soloDB move the lead and solo instruments against the band. Soundfont
	// instruments differ by more than 10 dB in loudness (a square lead towers over a
	// vibraphone), so these were measured: each puts the lead about 3 dB above the band
	// (a melody that carries the words) and the solo about 1 dB above it.
	leadDB, soloDB float64
}

type compStyle int

const (
	compBlock   compStyle = iota // piano chords on beats, pushing in the chorus
	compStrum                    // guitar strums
	compArp                      // broken chords in eighths
	compBossa                    // syncopated stabs
	compOffbeat                  // stabs between the beats (dance, tropical)
	compPad                      // held chords
	compWaltz                    // oom-pah-pah, chords on beats 2 and 3
	compJazz                     // Charleston comping
)

type bassStyle int

const (
	bassRoot      bassStyle = iota // root on 1 and 3 with a push
	bassRootFifth                  // root and fifth, folk and bossa
	bassWalking                    // quarter-note walking line
	bassOctave                     // disco octaves
	bassOffbeat                    // synth bass between kicks
	bassPedal                      // long roots
	bassWaltz                      // root on the downbeat
)

// styles, by genre name. Instruments are General MIDI programs as in FluidR3_GM.
var styles = map[string]style{
	"acoustic pop": {
		genre: "acoustic pop", mood: "warm", tempos: []int{90, 100}, beatsPerBar: 4, modes: []bool{false},
		major: [][]string{{"Imaj7", "vi7", "ii7", "V7"}, {"Imaj7", "IVmaj7", "iii7", "vi7"}, {"I", "V", "vi", "IV"}, {"IVmaj7", "V7", "iii7", "vi7"}},
		lead:  73, harmony: 24, bass: 32, pad: 89, solo: 11, leadCenter: 76,
		comp: compStrum, bassLine: bassRootFifth, drums: "acoustic", leadVelocity: 96, leadDB: -1.2, soloDB: 8,
	},
	"bossa nova": {
		genre: "bossa nova", mood: "relaxed", tempos: []int{120}, beatsPerBar: 4, modes: []bool{false, true},
		major: [][]string{{"Imaj7", "ii7", "iii7", "V7"}, {"Imaj7", "vi7", "ii7", "V7"}, {"ii7", "V7", "Imaj7", "IVmaj7"}},
		minor: [][]string{{"i7", "iv7", "bVIImaj7", "bIIImaj7"}, {"i7", "iv7", "bVImaj7", "V7"}},
		lead:  11, harmony: 24, bass: 32, pad: -1, solo: 73, leadCenter: 74,
		comp: compBossa, bassLine: bassRootFifth, drums: "bossa", leadVelocity: 100, leadDB: 8.6, soloDB: 6.7,
	},
	"sunny ukulele pop": {
		genre: "sunny ukulele pop", mood: "cheerful", tempos: []int{100, 120}, beatsPerBar: 4, modes: []bool{false},
		major: [][]string{{"I", "IV", "I", "V"}, {"I", "V", "vi", "IV"}, {"I", "iii", "IV", "V"}, {"I", "vi", "ii", "V"}},
		lead:  12, harmony: 25, bass: 33, pad: 48, solo: 9, leadCenter: 76,
		comp: compStrum, bassLine: bassRoot, drums: "pop", leadVelocity: 105, leadDB: -0.4, soloDB: 9.9,
	},
	"funky pop": {
		genre: "funky pop", mood: "lively", tempos: []int{100, 120}, beatsPerBar: 4, modes: []bool{false, true},
		major: [][]string{{"I", "IV", "ii7", "V7"}, {"Imaj7", "IV7", "iii7", "vi7"}, {"ii7", "V7", "Imaj7", "vi7"}},
		minor: [][]string{{"i7", "iv7", "i7", "bVII"}, {"i7", "bVII", "bVI", "V7"}},
		lead:  56, harmony: 4, bass: 33, pad: -1, solo: 65, leadCenter: 72,
		comp: compJazz, bassLine: bassOctave, drums: "funk", leadVelocity: 95, leadDB: 2.2, soloDB: 6.4,
	},
	"lounge jazz": {
		genre: "lounge jazz", mood: "smooth", tempos: []int{90, 100}, beatsPerBar: 4, modes: []bool{false, true},
		major: [][]string{{"Imaj7", "vi7", "ii7", "V7"}, {"ii7", "V7", "Imaj7", "IVmaj7"}, {"iii7", "vi7", "ii7", "V7"}},
		minor: [][]string{{"i7", "iv7", "bVII7", "bIIImaj7"}, {"i7", "bVImaj7", "iv7", "V7"}},
		lead:  65, harmony: 4, bass: 32, pad: 48, solo: 11, leadCenter: 67,
		comp: compJazz, bassLine: bassWalking, drums: "jazz", leadVelocity: 95, leadDB: -0.5, soloDB: 8,
	},
	"electro pop": {
		genre: "electro pop", mood: "energetic", tempos: []int{120}, beatsPerBar: 4, modes: []bool{true},
		minor: [][]string{{"i", "bVI", "bIII", "bVII"}, {"i", "bVII", "bVI", "bVII"}, {"i", "iv", "bVI", "bVII"}, {"bVI", "bVII", "i", "i"}},
		lead:  81, harmony: 90, bass: 38, pad: 89, solo: 80, leadCenter: 72,
		comp: compOffbeat, bassLine: bassOffbeat, drums: "edm", leadVelocity: 92, leadDB: -10.1, soloDB: -0.1,
	},
	"power rock": {
		genre: "power rock", mood: "driving", tempos: []int{150}, beatsPerBar: 4, modes: []bool{false, true},
		major: [][]string{{"I", "V", "vi", "IV"}, {"I", "bVII", "IV", "I"}, {"vi", "IV", "I", "V"}},
		minor: [][]string{{"i", "bVI", "bVII", "i"}, {"i", "bIII", "bVII", "iv"}},
		lead:  29, harmony: 30, bass: 34, pad: -1, solo: 81, leadCenter: 69,
		comp: compBlock, bassLine: bassRoot, drums: "rock", leadVelocity: 100, leadDB: -0.4, soloDB: -3,
	},
	"ambient chill": {
		genre: "ambient chill", mood: "calm", tempos: []int{75, 90}, beatsPerBar: 4, modes: []bool{false},
		major: [][]string{{"Imaj7", "IVmaj7", "Imaj7", "IVmaj7"}, {"vi7", "IVmaj7", "Imaj7", "V"}, {"Imaj7", "iii7", "IVmaj7", "IVmaj7"}},
		lead:  75, harmony: 46, bass: 32, pad: 89, solo: 11, leadCenter: 74,
		comp: compArp, bassLine: bassPedal, drums: "ambient", leadVelocity: 100, leadDB: -3.2, soloDB: 8.7,
	},
	"city pop": {
		genre: "city pop", mood: "stylish", tempos: []int{100, 120}, beatsPerBar: 4, modes: []bool{false},
		major: [][]string{{"IVmaj7", "V7", "iii7", "vi7"}, {"ii7", "V7", "Imaj7", "vi7"}, {"IVmaj7", "iii7", "ii7", "Imaj7"}},
		lead:  65, harmony: 4, bass: 33, pad: 62, solo: 81, leadCenter: 70,
		comp: compJazz, bassLine: bassOctave, drums: "disco", leadVelocity: 98, leadDB: 2.6, soloDB: -3.4,
	},
	"waltz": {
		genre: "waltz", mood: "romantic", tempos: []int{150}, beatsPerBar: 3, modes: []bool{false},
		major: [][]string{{"I", "IV", "V7", "I"}, {"I", "vi", "ii", "V7"}, {"I", "iii", "IV", "V"}},
		lead:  40, harmony: 0, bass: 32, pad: 48, solo: 73, leadCenter: 74,
		comp: compWaltz, bassLine: bassWaltz, drums: "waltz", leadVelocity: 98, leadDB: -1.3, soloDB: 2.5,
	},
	"bright pop": {
		genre: "bright pop", mood: "upbeat", tempos: []int{100, 120}, beatsPerBar: 4, modes: []bool{false},
		major: [][]string{{"I", "V", "vi", "IV"}, {"I", "vi", "IV", "V"}, {"IV", "V", "iii", "vi"}, {"I", "IV", "vi", "V"}},
		lead:  80, harmony: 0, bass: 33, pad: 89, solo: 11, leadCenter: 72,
		comp: compBlock, bassLine: bassRoot, drums: "pop", leadVelocity: 88, leadDB: -10.2, soloDB: 12.1,
	},
	"kids pop": {
		genre: "kids pop", mood: "playful", tempos: []int{120}, beatsPerBar: 4, modes: []bool{false},
		major: [][]string{{"I", "IV", "V", "I"}, {"I", "vi", "IV", "V"}, {"I", "IV", "I", "V"}},
		lead:  12, harmony: 0, bass: 33, pad: -1, solo: 9, leadCenter: 77,
		comp: compBlock, bassLine: bassRoot, drums: "pop", leadVelocity: 108, leadDB: -2.3, soloDB: 9.9,
	},
	"soft piano pop": {
		genre: "soft piano pop", mood: "reassuring", tempos: []int{90, 100}, beatsPerBar: 4, modes: []bool{false},
		major: [][]string{{"I", "V", "vi", "IV"}, {"I", "IV", "vi", "V"}, {"vi", "IV", "I", "V"}},
		lead:  0, harmony: 48, bass: 33, pad: 89, solo: 73, leadCenter: 74,
		comp: compPad, bassLine: bassRoot, drums: "soft", leadVelocity: 100, leadDB: 5.3, soloDB: 5.6,
	},
	"tropical house": {
		genre: "tropical house", mood: "breezy", tempos: []int{100}, beatsPerBar: 4, modes: []bool{false},
		major: [][]string{{"vi", "IV", "I", "V"}, {"IV", "V", "iii", "vi"}, {"I", "V", "vi", "IV"}},
		lead:  75, harmony: 4, bass: 38, pad: 89, solo: 12, leadCenter: 76,
		comp: compOffbeat, bassLine: bassOffbeat, drums: "tropical", leadVelocity: 105, leadDB: 0.1, soloDB: 8,
	},
}

// themeStyles lists the genres that suit each kind of business; the seed picks one.
var themeStyles = map[lyrics.Theme][]string{
	lyrics.ThemeCafe:       {"acoustic pop", "bossa nova"},
	lyrics.ThemeBakery:     {"sunny ukulele pop", "acoustic pop"},
	lyrics.ThemeRestaurant: {"funky pop", "bright pop"},
	lyrics.ThemeBar:        {"lounge jazz", "city pop"},
	lyrics.ThemeFitness:    {"electro pop", "power rock"},
	lyrics.ThemeWellness:   {"ambient chill"},
	lyrics.ThemeBeauty:     {"city pop", "electro pop"},
	lyrics.ThemeFlorist:    {"waltz", "acoustic pop"},
	lyrics.ThemeShop:       {"bright pop", "city pop"},
	lyrics.ThemeEducation:  {"kids pop", "bright pop"},
	lyrics.ThemeHealth:     {"soft piano pop"},
	lyrics.ThemeLodging:    {"tropical house", "acoustic pop"},
	lyrics.ThemeGeneral:    {"bright pop", "soft piano pop", "acoustic pop"},
}

// moodWords nudge the choice within a theme: a café that calls itself "cozy" gets the
// acoustic recipe, a gym that says "hiit" gets the dance one.
var moodWords = map[string][]string{
	"acoustic pop":   {"cozy", "아늑", "따뜻", "warm", "acoustic", "어쿠스틱", "handmade", "수제"},
	"bossa nova":     {"jazz", "재즈", "bossa", "보사노바", "wine", "와인", "evening", "저녁"},
	"electro pop":    {"hiit", "dance", "댄스", "diet", "다이어트", "cardio", "유산소", "spinning", "스피닝"},
	"power rock":     {"crossfit", "크로스핏", "boxing", "복싱", "power", "파워", "strength", "근력"},
	"lounge jazz":    {"jazz", "재즈", "lounge", "라운지", "whisky", "위스키"},
	"city pop":       {"retro", "레트로", "night", "밤", "neon", "네온", "vintage", "빈티지"},
	"waltz":          {"wedding", "웨딩", "classic", "클래식", "rose", "장미"},
	"funky pop":      {"bbq", "grill", "burger", "버거", "pizza", "피자", "치킨", "chicken"},
	"tropical house": {"beach", "바다", "ocean", "해변", "pool", "수영장", "island", "섬"},
}

// chooseStyle picks a genre for the business: its theme's genres, preferring one whose
// mood words appear in the keywords or description, else one chosen by the seed.
func chooseStyle(p business.Profile, rng *rand.Rand) style {
	candidates := themeStyles[lyrics.Classify(p)]
	text := strings.ToLower(strings.Join(append(append([]string{p.Description, p.Tagline, p.Name}, p.Keywords...), p.Hashtags...), " "))
	for _, g := range candidates {
		for _, w := range moodWords[g] {
			if strings.Contains(text, w) {
				rng.IntN(len(candidates)) // keep the random stream the same length either way
				return styles[g]
			}
		}
	}
	return styles[candidates[rng.IntN(len(candidates))]]
}

// progressionsFor returns the recipe's progressions for the mode.
func (s style) progressionsFor(minor bool) [][]string {
	if minor && len(s.minor) > 0 {
		return s.minor
	}
	return s.major
}

// tonics singable for each mode; the melody is moved by octaves to sit near leadCenter.
var (
	majorTonics = []int{0, 2, 3, 4, 5, 7, 9, 10} // C D Eb E F G A Bb
	minorTonics = []int{9, 11, 0, 2, 4, 6, 7}    // A B C D E F# G
)

// Genres lists the genre names a plan may be asked for, sorted.
func Genres() []string {
	names := make([]string, 0, len(styles))
	for g := range styles {
		names = append(names, g)
	}
	slices.Sort(names)
	return names
}

// MoodOf is the mood a genre sounds; "" for an unknown genre.
func MoodOf(genre string) string { return styles[genre].mood }

// Moods lists the moods of the genres, sorted and without repeats.
func Moods() []string {
	var moods []string
	for _, st := range styles {
		if !slices.Contains(moods, st.mood) {
			moods = append(moods, st.mood)
		}
	}
	slices.Sort(moods)
	return moods
}

// GenreForMood picks the genre for a mood: current when it already has that mood,
// else the first genre (by name) that does; "" for an unknown mood.
func GenreForMood(mood, current string) string {
	if MoodOf(current) == mood {
		return current
	}
	for _, g := range Genres() {
		if styles[g].mood == mood {
			return g
		}
	}
	return ""
}

// Tempos are the tempos a plan may be given: those between 60 and 180 bpm that divide
// 60×30, so every beat is a whole number of video frames.
func Tempos() []int { return []int{60, 72, 75, 90, 100, 120, 150, 180} }
