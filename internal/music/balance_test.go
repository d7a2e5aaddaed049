package music

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/o2sound/o2sound/internal/music/audiocheck"
	"github.com/o2sound/o2sound/internal/music/midi"
	"github.com/o2sound/o2sound/internal/music/score"
)

// stem keeps only the channel events keep accepts (and the tempo and meter), so one part
// of an arrangement can be rendered alone.
func stem(t *testing.T, b []byte, keep func(ch int) bool) []byte {
	t.Helper()
	f, err := midi.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range f.Tracks {
		var ev []midi.Event
		for _, e := range tr.Events {
			if e.Status == 0xFF {
				if e.Meta == midi.MetaTempo || e.Meta == midi.MetaTimeSig {
					ev = append(ev, e)
				}
				continue
			}
			if keep(e.Channel()) {
				ev = append(ev, e)
			}
		}
		tr.Events = ev
	}
	out, err := f.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMixBalanceLong renders the lead, the solo and the band of every genre separately and
// checks the levels the style trims (leadDB, soloDB) were calibrated for: the lead about
// 3 dB above the band, the solo about 1 dB above it. It re-measures what a soundfont
// change would upset; it takes about a minute and a half, so it runs only with
// O2SOUND_LONG_TESTS set.
func TestMixBalanceLong(t *testing.T) {
	t.Parallel()
	if os.Getenv("O2SOUND_LONG_TESTS") == "" {
		t.Skip("set O2SOUND_LONG_TESTS=1 to measure the mix of every genre")
	}
	needTools(t)
	dir := t.TempDir()
	loudness := func(name string, b []byte) float64 {
		mid := filepath.Join(dir, name+".mid")
		wav := filepath.Join(dir, name+".wav")
		if err := os.WriteFile(mid, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := synthesize(context.Background(), mid, wav, 1, RenderOptions{SoundFont: DefaultSoundFont}, nil); err != nil {
			t.Fatal(err)
		}
		r, err := audiocheck.Measure(context.Background(), wav, audiocheck.Options{SkipProbe: true})
		if err != nil {
			t.Fatal(err)
		}
		return r.IntegratedLUFS
	}
	for genre, s := range genreSongs(t) {
		mid, err := score.Compose(s.Plan, s.Lyrics)
		if err != nil {
			t.Fatal(err)
		}
		band := loudness("band", stem(t, mid, func(ch int) bool { return ch != score.LeadChannel && ch != score.SoloChannel }))
		lead := loudness("lead", stem(t, mid, func(ch int) bool { return ch == score.LeadChannel }))
		solo := loudness("solo", stem(t, mid, func(ch int) bool { return ch == score.SoloChannel }))
		t.Logf("%-18s lead %+.1f dB, solo %+.1f dB against the band", genre, lead-band, solo-band)
		if math.Abs(lead-band-3) > 1.5 {
			t.Errorf("%s: lead %+.1f dB against the band, want +3 ±1.5", genre, lead-band)
		}
		if solo > -69 && math.Abs(solo-band-1) > 2 { // -70 LUFS: the solo never played
			t.Errorf("%s: solo %+.1f dB against the band, want +1 ±2", genre, solo-band)
		}
	}
}
