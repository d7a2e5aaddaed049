package music

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/ffmpeg"
	"github.com/o2sound/o2sound/internal/songplan"
)

// Announcement is what the optional offline voice says: the name and tagline over the
// intro, how to reach the business over the ending.
type Announcement struct {
	Intro    string
	Outro    string
	Language string // "ko" or "en"
}

// NewAnnouncement writes the spoken lines for a business from its profile.
func NewAnnouncement(p business.Profile) Announcement {
	a := Announcement{Language: "en"}
	if p.IsKorean() {
		a.Language = "ko"
	}
	name := strings.TrimSpace(p.Name)
	a.Intro = name
	if t := strings.TrimSpace(p.Tagline); t != "" {
		a.Intro = name + ". " + t
	}
	contact := ""
	switch {
	case p.Phone != "":
		contact = spellDigits(p.Phone)
		if a.Language == "ko" {
			contact = "문의, " + contact
		} else {
			contact = "Call " + contact
		}
	case p.URL != "":
		if u, err := url.Parse(p.URL); err == nil && u.Host != "" {
			host := strings.TrimPrefix(u.Hostname(), "www.")
			contact = strings.ReplaceAll(host, ".", " dot ")
			if a.Language == "ko" {
				contact = strings.ReplaceAll(host, ".", " 닷 ")
			}
		}
	}
	if contact != "" {
		a.Outro = name + ". " + contact
	}
	return a
}

// spellDigits makes a phone number read digit by digit ("02-1234" → "0 2, 1 2 3 4")
// instead of as large numbers.
func spellDigits(phone string) string {
	var groups []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			groups = append(groups, strings.Join(cur, " "))
			cur = nil
		}
	}
	for _, r := range phone {
		switch {
		case unicode.IsDigit(r):
			cur = append(cur, string(r))
		case r == '+':
			flush()
			groups = append(groups, "plus")
		default:
			flush()
		}
	}
	flush()
	return strings.Join(groups, ", ")
}

// voiceClip is one spoken WAV placed at a time in the song.
type voiceClip struct {
	path string
	at   float64
}

type voiceTrack struct {
	clips    []voiceClip
	duration float64
}

// speak synthesises the announcement with espeak-ng (text on stdin, never in argv, so a
// crawled tagline cannot become an option) and places it: the intro line right after the
// first beat, the outro line after the last sung line so it never talks over the chorus.
func speak(ctx context.Context, dir string, plan *songplan.Plan, a Announcement) (*voiceTrack, error) {
	v := &voiceTrack{duration: plan.Duration}
	firstLine, lastLineEnd := plan.Duration, 0.0
	for _, l := range plan.Lines {
		firstLine = math.Min(firstLine, l.Start)
		lastLineEnd = math.Max(lastLineEnd, l.End)
	}
	if a.Intro != "" {
		path := filepath.Join(dir, "voice-intro.wav")
		d, err := espeak(ctx, a.Intro, a.Language, path)
		if err != nil {
			return nil, err
		}
		// Too long for the intro: say just the name.
		if first := strings.SplitN(a.Intro, ". ", 2)[0]; d > firstLine-0.5 && first != a.Intro {
			if _, err := espeak(ctx, first, a.Language, path); err != nil {
				return nil, err
			}
		}
		v.clips = append(v.clips, voiceClip{path: path, at: 0.4})
	}
	if a.Outro != "" {
		path := filepath.Join(dir, "voice-outro.wav")
		d, err := espeak(ctx, a.Outro, a.Language, path)
		if err != nil {
			return nil, err
		}
		at := math.Max(lastLineEnd+0.3, plan.Duration-d-0.8)
		if at+d > plan.Duration {
			at = math.Max(lastLineEnd+0.2, 0)
		}
		v.clips = append(v.clips, voiceClip{path: path, at: at})
	}
	if len(v.clips) == 0 {
		return nil, nil
	}
	return v, nil
}

// espeak writes text as speech to path and returns its length in seconds.
func espeak(ctx context.Context, text, lang, path string) (float64, error) {
	voice := "en-us"
	if lang == "ko" {
		voice = "ko"
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "espeak-ng", "-v", voice, "-s", "150", "-p", "45", "-a", "140", "-w", path, "--stdin")
	cmd.WaitDelay = 2 * time.Second
	cmd.Stdin = strings.NewReader(text)
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("music: voice: espeak-ng: %w: %s", err, strings.TrimSpace(string(out)))
	}
	info, err := ffmpeg.Probe(ctx, path)
	if err != nil {
		return 0, fmt.Errorf("music: voice: %w", err)
	}
	return info.Duration, nil
}

// graph is the filter graph with the voice: the music (labelled by musicChain, without an
// output label) is ducked by a sidechain compressor keyed on the voice, the voice is mixed
// on top, and the master chain (ending in [out]) finishes the mix. Voice inputs start at
// input index first.
func (v *voiceTrack) graph(musicChain, masterChain string, first int) string {
	n := int64(math.Round(v.duration * sampleRate))
	var b strings.Builder
	b.WriteString(musicChain + "[m];")
	var labels string
	for i, c := range v.clips {
		fmt.Fprintf(&b, "[%d:a]aformat=sample_fmts=flt:sample_rates=%d:channel_layouts=stereo,volume=5dB,adelay=delays=%d:all=1[v%d];",
			first+i, sampleRate, int(math.Round(c.at*1000)), i)
		labels += fmt.Sprintf("[v%d]", i)
	}
	fmt.Fprintf(&b, "%samix=inputs=%d:normalize=0:duration=longest,apad=whole_len=%d,atrim=end_sample=%d,asplit=2[vsc][vmix];",
		labels, len(v.clips), n, n)
	// Duck the music by up to ~8 dB while the voice speaks, recovering over ~0.4 s.
	b.WriteString("[m][vsc]sidechaincompress=threshold=0.02:ratio=6:attack=20:release=400[duck];")
	b.WriteString("[duck][vmix]amix=inputs=2:normalize=0:duration=first,")
	b.WriteString(masterChain)
	return b.String()
}
