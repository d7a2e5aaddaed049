// Package audiocheck measures a rendered song with ffmpeg — integrated loudness and true
// peak (EBU R128), sample peak and RMS, silences, length — and checks it against what
// O2Sound promises: no clipping, a consistent loudness, no dead air, the planned length.
// The renderer uses Measure to normalise; tests use Check on the finished file.
package audiocheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/o2sound/o2sound/internal/ffmpeg"
)

// Report is what Measure found. Levels are in dB (LUFS for loudness, dBFS for peaks);
// -Inf means digital silence.
type Report struct {
	IntegratedLUFS float64
	LoudnessRange  float64 // LU
	TruePeakDBFS   float64
	PeakDBFS       float64 // highest sample
	RMSDBFS        float64
	Samples        int64 // decoded samples per channel
	Silences       []Silence

	// From ffprobe (zero when Options.SkipProbe is set).
	Duration   float64
	SampleRate int
	Channels   int
	Codec      string
}

// Silence is a stretch quieter than the threshold. End is the file's end when the silence
// runs to it.
type Silence struct {
	Start, End float64
}

// Options tunes Measure.
type Options struct {
	// SilenceDB is the level below which audio counts as silence; default -50 dBFS.
	SilenceDB float64
	// SilenceMin is the shortest silence reported; default 1 s.
	SilenceMin time.Duration
	// SkipProbe skips ffprobe (the renderer measures intermediate WAVs it wrote itself).
	SkipProbe bool
	// FFmpeg is the program to run; default "ffmpeg".
	FFmpeg string
}

// maxStderr bounds what Measure keeps of ffmpeg's report (the summary is a few KiB; the
// per-frame log is turned off).
const maxStderr = 1 << 20

// Measure decodes path once through ebur128, astats and silencedetect and parses the
// summary ffmpeg prints, then probes the container.
func Measure(ctx context.Context, path string, opts Options) (*Report, error) {
	if opts.SilenceDB == 0 {
		opts.SilenceDB = -50
	}
	if opts.SilenceMin <= 0 {
		opts.SilenceMin = time.Second
	}
	bin := opts.FFmpeg
	if bin == "" {
		bin = "ffmpeg"
	}
	filter := fmt.Sprintf("ebur128=peak=true:framelog=verbose,astats=measure_perchannel=none,silencedetect=n=%gdB:d=%g",
		opts.SilenceDB, opts.SilenceMin.Seconds())
	args, err := ffmpeg.New().
		Input(path).
		OutputOptions(ffmpeg.Opt("af", filter), ffmpeg.Format("null")).
		Output("/dev/null").
		Build()
	if err != nil {
		return nil, fmt.Errorf("audiocheck: %w", err)
	}
	stderr := &capped{max: maxStderr}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.WaitDelay = ffmpeg.DefaultWaitDelay
	cmd.Stdout = io.Discard
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
		if cerr := ctx.Err(); cerr != nil {
			err = fmt.Errorf("%w (%v)", cerr, err)
		}
		return nil, fmt.Errorf("audiocheck: ffmpeg on %s: %w: %s", path, err, tail(stderr.Bytes(), 800))
	}
	r, err := ParseReport(stderr.Bytes())
	if err != nil {
		return nil, fmt.Errorf("audiocheck: %s: %w", path, err)
	}
	if !opts.SkipProbe {
		info, err := ffmpeg.Probe(ctx, path)
		if err != nil {
			return nil, fmt.Errorf("audiocheck: %w", err)
		}
		r.Duration = info.Duration
		if a, ok := info.Audio(); ok {
			r.SampleRate, r.Channels, r.Codec = a.SampleRate, a.Channels, a.CodecName
		}
		// A silence still open at the end of the report ends with the file.
		for i := range r.Silences {
			if math.IsInf(r.Silences[i].End, 1) {
				r.Silences[i].End = r.Duration
			}
		}
	}
	return r, nil
}

var (
	reI        = regexp.MustCompile(`(?m)^\s*I:\s+(-?(?:[0-9.]+|inf))\s+LUFS`)
	reLRA      = regexp.MustCompile(`(?m)^\s*LRA:\s+(-?(?:[0-9.]+|inf))\s+LU\b`)
	reTP       = regexp.MustCompile(`(?m)^\s*Peak:\s+(-?(?:[0-9.]+|inf))\s+dBFS`)
	rePeak     = regexp.MustCompile(`Peak level dB:\s+(-?(?:[0-9.]+|inf))`)
	reRMS      = regexp.MustCompile(`RMS level dB:\s+(-?(?:[0-9.]+|inf))`)
	reSamples  = regexp.MustCompile(`Number of samples:\s+([0-9]+)`)
	reSilStart = regexp.MustCompile(`silence_start:\s+(-?[0-9.e+-]+)`)
	reSilEnd   = regexp.MustCompile(`silence_end:\s+(-?[0-9.e+-]+)`)
)

// ErrNoSummary means ffmpeg's output lacked the loudness summary (no audio decoded).
var ErrNoSummary = errors.New("no loudness summary in ffmpeg output")

// ParseReport reads the summaries ebur128, astats and silencedetect print to stderr. The
// last occurrence of each astats value is the overall one.
func ParseReport(stderr []byte) (*Report, error) {
	s := string(stderr)
	idx := strings.LastIndex(s, "Summary:")
	if idx < 0 {
		return nil, ErrNoSummary
	}
	summary := s[idx:]
	r := &Report{}
	var err error
	if r.IntegratedLUFS, err = firstFloat(reI, summary); err != nil {
		return nil, fmt.Errorf("integrated loudness: %w", err)
	}
	if r.TruePeakDBFS, err = firstFloat(reTP, summary); err != nil {
		return nil, fmt.Errorf("true peak: %w", err)
	}
	r.LoudnessRange, _ = firstFloat(reLRA, summary)
	r.PeakDBFS = lastFloat(rePeak, s, math.Inf(-1))
	r.RMSDBFS = lastFloat(reRMS, s, math.Inf(-1))
	if m := reSamples.FindAllStringSubmatch(s, -1); len(m) > 0 {
		r.Samples, _ = strconv.ParseInt(m[len(m)-1][1], 10, 64)
	}
	// silencedetect prints start and end lines in order; a start without an end runs to
	// the end of the file.
	starts := reSilStart.FindAllStringSubmatchIndex(s, -1)
	ends := reSilEnd.FindAllStringSubmatchIndex(s, -1)
	j := 0
	for i, st := range starts {
		start := parseLevel(s[st[2]:st[3]])
		end := math.Inf(1)
		nextStart := len(s)
		if i+1 < len(starts) {
			nextStart = starts[i+1][0]
		}
		for j < len(ends) && ends[j][0] < st[0] {
			j++
		}
		if j < len(ends) && ends[j][0] < nextStart {
			end = parseLevel(s[ends[j][2]:ends[j][3]])
			j++
		}
		if math.IsNaN(start) || math.IsNaN(end) {
			continue
		}
		r.Silences = append(r.Silences, Silence{Start: math.Max(0, start), End: end})
	}
	return r, nil
}

func firstFloat(re *regexp.Regexp, s string) (float64, error) {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return 0, errors.New("not found")
	}
	v := parseLevel(m[1])
	if math.IsNaN(v) {
		return 0, fmt.Errorf("bad number %q", m[1])
	}
	return v, nil
}

func lastFloat(re *regexp.Regexp, s string, def float64) float64 {
	m := re.FindAllStringSubmatch(s, -1)
	if len(m) == 0 {
		return def
	}
	if v := parseLevel(m[len(m)-1][1]); !math.IsNaN(v) {
		return v
	}
	return def
}

func parseLevel(s string) float64 {
	switch s {
	case "-inf":
		return math.Inf(-1)
	case "inf":
		return math.Inf(1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// Criteria are the promises a finished song keeps. Zero fields are not checked.
type Criteria struct {
	MaxTruePeak        float64 // e.g. -1 dBFS
	MinLUFS, MaxLUFS   float64 // e.g. -16, -12
	MaxSilence         float64 // seconds; a silence that runs to the end of the file is allowed
	Duration           float64 // expected seconds
	DurationTolerance  float64 // default 0.02 s
	SampleRate         int
	Channels           int
	Codec              string
	EndingSilenceAllow float64 // how long before the end a final silence may start; default 3 s
}

// Song is the standard O2Sound asks of every song.m4a.
func Song(duration float64) Criteria {
	return Criteria{
		MaxTruePeak: -1, MinLUFS: -16, MaxLUFS: -12, MaxSilence: 1,
		Duration: duration, DurationTolerance: 0.02,
		SampleRate: 44100, Channels: 2, Codec: "aac",
	}
}

// Check returns every way r misses c, joined, or nil.
func (r *Report) Check(c Criteria) error {
	var errs []error
	if c.MaxTruePeak != 0 && r.TruePeakDBFS > c.MaxTruePeak {
		errs = append(errs, fmt.Errorf("true peak %.2f dBFS above %.2f", r.TruePeakDBFS, c.MaxTruePeak))
	}
	if (c.MinLUFS != 0 || c.MaxLUFS != 0) && (r.IntegratedLUFS < c.MinLUFS || r.IntegratedLUFS > c.MaxLUFS) {
		errs = append(errs, fmt.Errorf("integrated loudness %.2f LUFS outside %.1f..%.1f", r.IntegratedLUFS, c.MinLUFS, c.MaxLUFS))
	}
	if c.MaxSilence > 0 {
		endAllow := c.EndingSilenceAllow
		if endAllow <= 0 {
			endAllow = 3
		}
		for _, s := range r.Silences {
			atEnd := r.Duration > 0 && s.End >= r.Duration-0.05 && s.Start >= r.Duration-endAllow
			if s.End-s.Start > c.MaxSilence && !atEnd {
				errs = append(errs, fmt.Errorf("silence of %.2fs at %.2fs", s.End-s.Start, s.Start))
			}
		}
	}
	if c.Duration > 0 {
		tol := c.DurationTolerance
		if tol <= 0 {
			tol = 0.02
		}
		if math.Abs(r.Duration-c.Duration) > tol {
			errs = append(errs, fmt.Errorf("duration %.3fs, want %.3fs ±%.3fs", r.Duration, c.Duration, tol))
		}
		if r.SampleRate > 0 && r.Samples > 0 {
			// Decoders honour the MP4 edit list at the start (encoder delay) but ffmpeg 5
			// still emits the padding of the last AAC frame, up to 1024 samples; what a
			// player shows is the container duration checked above.
			slack := 0.0
			if r.Codec == "aac" {
				slack = 1024 / float64(r.SampleRate)
			}
			d := float64(r.Samples) / float64(r.SampleRate)
			if d < c.Duration-tol || d > c.Duration+tol+slack {
				errs = append(errs, fmt.Errorf("decoded %d samples = %.3fs, want %.3fs ±%.3fs", r.Samples, d, c.Duration, tol))
			}
		}
	}
	if c.SampleRate != 0 && r.SampleRate != c.SampleRate {
		errs = append(errs, fmt.Errorf("sample rate %d, want %d", r.SampleRate, c.SampleRate))
	}
	if c.Channels != 0 && r.Channels != c.Channels {
		errs = append(errs, fmt.Errorf("%d channels, want %d", r.Channels, c.Channels))
	}
	if c.Codec != "" && r.Codec != c.Codec {
		errs = append(errs, fmt.Errorf("codec %q, want %q", r.Codec, c.Codec))
	}
	return errors.Join(errs...)
}

// capped keeps the last max bytes written to it.
type capped struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

func (c *capped) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf.Write(p)
	if over := c.buf.Len() - c.max; over > 0 {
		c.buf.Next(over)
	}
	return len(p), nil
}

func (c *capped) Bytes() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]byte(nil), c.buf.Bytes()...)
}

func tail(b []byte, n int) string {
	s := strings.TrimSpace(string(b))
	if len(s) > n {
		s = "…" + s[len(s)-n:]
	}
	return s
}
