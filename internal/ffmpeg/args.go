// Package ffmpeg drives the ffmpeg and ffprobe binaries: a typed argument builder (never a
// shell), Run with a deadline, progress and a capped stderr tail in every error, Produce for
// writing an output through a checked temp file, and Probe for reading what was written.
//
// Every input is something O2Sound wrote itself, so inputs are opened with
// -protocol_whitelist file,pipe and plain paths are passed as "file:" URLs: a path that
// happens to contain a colon or start with a dash can never be read as a protocol or option.
package ffmpeg

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Option is one ffmpeg option: -Key Value, or just -Key when Value is empty and Flag is set.
type Option struct {
	Key   string // without the leading dash
	Value string
	Flag  bool // option without a value, such as -shortest
}

// Opt is an option with a value.
func Opt(key, value string) Option { return Option{Key: key, Value: value} }

// Flag is an option without a value.
func Flag(key string) Option { return Option{Key: key, Flag: true} }

// Format forces the container format (-f).
func Format(name string) Option { return Opt("f", name) }

// PixFmt sets the pixel format (-pix_fmt).
func PixFmt(name string) Option { return Opt("pix_fmt", name) }

// Size sets the frame size (-s WxH).
func Size(w, h int) Option { return Opt("s", strconv.Itoa(w)+"x"+strconv.Itoa(h)) }

// FrameRate sets the frame rate (-r).
func FrameRate(fps int) Option { return Opt("r", strconv.Itoa(fps)) }

// Duration limits an input or output to d seconds (-t).
func Duration(seconds float64) Option { return Opt("t", FormatSeconds(seconds)) }

// VideoCodec sets -c:v.
func VideoCodec(name string) Option { return Opt("c:v", name) }

// AudioCodec sets -c:a.
func AudioCodec(name string) Option { return Opt("c:a", name) }

// Preset sets the encoder preset (-preset).
func Preset(name string) Option { return Opt("preset", name) }

// Profile sets the video profile (-profile:v).
func Profile(name string) Option { return Opt("profile:v", name) }

// Frames limits the number of video frames written (-frames:v).
func Frames(n int) Option { return Opt("frames:v", strconv.Itoa(n)) }

// FormatSeconds prints seconds the way ffmpeg parses them: plain decimal, no exponent.
func FormatSeconds(s float64) string { return strconv.FormatFloat(s, 'f', 6, 64) }

type inputKind int

const (
	inputFile inputKind = iota
	inputPipe
	inputLavfi
)

type input struct {
	kind inputKind
	src  string
	opts []Option
}

// Args builds an ffmpeg argument list. The zero value is not usable; call New.
// Methods record the first error and Build reports it, so calls can be chained.
type Args struct {
	global  []Option
	inputs  []input
	filter  string
	maps    []string
	outOpts []Option
	output  string
	err     error
}

// New starts an argument list.
func New() *Args { return &Args{} }

// Global adds options that go before the inputs (such as -loglevel).
func (a *Args) Global(opts ...Option) *Args {
	a.global = append(a.global, opts...)
	return a
}

// Input adds a file O2Sound wrote, with its per-input options.
func (a *Args) Input(path string, opts ...Option) *Args {
	if path == "" {
		a.fail(errors.New("empty input path"))
	}
	a.inputs = append(a.inputs, input{kind: inputFile, src: path, opts: opts})
	return a
}

// InputPipe adds standard input (pipe:0) as an input, e.g. raw frames written by Go.
func (a *Args) InputPipe(opts ...Option) *Args {
	a.inputs = append(a.inputs, input{kind: inputPipe, src: "pipe:0", opts: opts})
	return a
}

// InputLavfi adds a libavfilter source graph (testsrc2, color, anullsrc …) as an input.
func (a *Args) InputLavfi(graph string, opts ...Option) *Args {
	if graph == "" {
		a.fail(errors.New("empty lavfi graph"))
	}
	a.inputs = append(a.inputs, input{kind: inputLavfi, src: graph, opts: append([]Option{Format("lavfi")}, opts...)})
	return a
}

// FilterComplex sets the -filter_complex graph.
func (a *Args) FilterComplex(graph string) *Args {
	a.filter = graph
	return a
}

// Map adds a -map of an input stream or filter label into the output.
func (a *Args) Map(spec string) *Args {
	a.maps = append(a.maps, spec)
	return a
}

// OutputOptions adds options for the output (codecs, filters, flags).
func (a *Args) OutputOptions(opts ...Option) *Args {
	a.outOpts = append(a.outOpts, opts...)
	return a
}

// Output sets the output path. A path of "-" or "pipe:1" is not allowed: standard output
// carries the progress report.
func (a *Args) Output(path string) *Args {
	switch {
	case path == "":
		a.fail(errors.New("empty output path"))
	case path == "-" || strings.HasPrefix(path, "pipe:"):
		a.fail(fmt.Errorf("output %q: stdout is reserved for progress", path))
	}
	a.output = path
	return a
}

func (a *Args) fail(err error) {
	if a.err == nil {
		a.err = fmt.Errorf("ffmpeg: args: %w", err)
	}
}

// Build returns the argument list, without the program name. It always starts with
// -hide_banner -nostdin -y -nostats -progress pipe:1 so that Run can report progress and
// never waits for a prompt.
func (a *Args) Build() ([]string, error) {
	if a.err != nil {
		return nil, a.err
	}
	if len(a.inputs) == 0 {
		return nil, errors.New("ffmpeg: args: no inputs")
	}
	if a.output == "" {
		return nil, errors.New("ffmpeg: args: no output")
	}
	argv := []string{"-hide_banner", "-nostdin", "-y", "-nostats", "-progress", "pipe:1"}
	var err error
	if argv, err = appendOptions(argv, a.global); err != nil {
		return nil, err
	}
	for _, in := range a.inputs {
		if in.kind != inputLavfi {
			argv = append(argv, "-protocol_whitelist", "file,pipe")
		}
		if argv, err = appendOptions(argv, in.opts); err != nil {
			return nil, err
		}
		src := in.src
		if in.kind == inputFile {
			src = fileURL(src)
		}
		argv = append(argv, "-i", src)
	}
	if a.filter != "" {
		argv = append(argv, "-filter_complex", a.filter)
	}
	for _, m := range a.maps {
		argv = append(argv, "-map", m)
	}
	if argv, err = appendOptions(argv, a.outOpts); err != nil {
		return nil, err
	}
	return append(argv, fileURL(a.output)), nil
}

func appendOptions(argv []string, opts []Option) ([]string, error) {
	for _, o := range opts {
		if o.Key == "" || strings.HasPrefix(o.Key, "-") || strings.ContainsAny(o.Key, " \t\n") {
			return nil, fmt.Errorf("ffmpeg: args: bad option key %q", o.Key)
		}
		argv = append(argv, "-"+o.Key)
		if !o.Flag {
			argv = append(argv, o.Value)
		}
	}
	return argv, nil
}

// fileURL makes a plain path unambiguous for ffmpeg: "file:" stops a colon in the name
// being read as a protocol and a leading dash being read as an option.
func fileURL(path string) string {
	if strings.HasPrefix(path, "file:") {
		return path
	}
	return "file:" + path
}
