package ffmpeg

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// ProbeTimeout bounds one ffprobe run; probing reads headers only and is quick.
const ProbeTimeout = 30 * time.Second

// Info is what ffprobe reports about a media file, with numbers already parsed.
type Info struct {
	FormatName string // e.g. "mov,mp4,m4a,3gp,3g2,mj2"
	Duration   float64
	Size       int64
	Tags       map[string]string // container metadata, keys lower-cased
	Streams    []Stream
}

// Stream is one stream of a probed file. Fields that do not apply are zero.
type Stream struct {
	Index      int
	CodecType  string // "video", "audio", …
	CodecName  string // "h264", "aac", …
	Profile    string // "High", "LC", …
	PixFmt     string
	Width      int
	Height     int
	FrameRate  float64 // average frame rate
	NbFrames   int64
	Duration   float64
	SampleRate int
	Channels   int
}

// Video returns the first video stream, if any.
func (i *Info) Video() (Stream, bool) { return i.first("video") }

// Audio returns the first audio stream, if any.
func (i *Info) Audio() (Stream, bool) { return i.first("audio") }

func (i *Info) first(kind string) (Stream, bool) {
	for _, s := range i.Streams {
		if s.CodecType == kind {
			return s, true
		}
	}
	return Stream{}, false
}

// Probe runs ffprobe on path and parses its JSON report.
func Probe(ctx context.Context, path string) (*Info, error) {
	return probe(ctx, "ffprobe", path)
}

func probe(ctx context.Context, bin, path string) (*Info, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("ffmpeg: probe: %w", err)
	}
	if st.Size() == 0 {
		return nil, fmt.Errorf("ffmpeg: probe %s: empty file", path)
	}
	ctx, cancel := context.WithTimeout(ctx, ProbeTimeout)
	defer cancel()
	args := []string{"-v", "error", "-protocol_whitelist", "file", "-print_format", "json",
		"-show_format", "-show_streams", fileURL(path)}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.WaitDelay = DefaultWaitDelay
	var out bytes.Buffer
	tail := &tailBuffer{max: StderrTail}
	cmd.Stdout, cmd.Stderr = &out, tail
	if err := cmd.Run(); err != nil {
		if cerr := ctx.Err(); cerr != nil {
			err = fmt.Errorf("%w (%v)", cerr, err)
		}
		return nil, &Error{Bin: bin, Args: args, Stderr: tail.String(), Err: err}
	}
	info, err := ParseProbe(out.Bytes())
	if err != nil {
		return nil, fmt.Errorf("ffmpeg: probe %s: %w", path, err)
	}
	return info, nil
}

// ffprobe prints most numbers as strings; these mirror its JSON.
type probeJSON struct {
	Format struct {
		FormatName string            `json:"format_name"`
		Duration   string            `json:"duration"`
		Size       string            `json:"size"`
		Tags       map[string]string `json:"tags"`
	} `json:"format"`
	Streams []struct {
		Index        int    `json:"index"`
		CodecType    string `json:"codec_type"`
		CodecName    string `json:"codec_name"`
		Profile      string `json:"profile"`
		PixFmt       string `json:"pix_fmt"`
		Width        int    `json:"width"`
		Height       int    `json:"height"`
		AvgFrameRate string `json:"avg_frame_rate"`
		NbFrames     string `json:"nb_frames"`
		Duration     string `json:"duration"`
		SampleRate   string `json:"sample_rate"`
		Channels     int    `json:"channels"`
	} `json:"streams"`
}

// ParseProbe parses ffprobe's -print_format json output (with -show_format -show_streams).
func ParseProbe(b []byte) (*Info, error) {
	var p probeJSON
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, err
	}
	if p.Format.FormatName == "" && len(p.Streams) == 0 {
		return nil, errors.New("no format and no streams")
	}
	info := &Info{
		FormatName: p.Format.FormatName,
		Duration:   parseFloat(p.Format.Duration),
		Size:       int64(parseFloat(p.Format.Size)),
	}
	for k, v := range p.Format.Tags {
		if info.Tags == nil {
			info.Tags = map[string]string{}
		}
		info.Tags[strings.ToLower(k)] = v
	}
	for _, s := range p.Streams {
		info.Streams = append(info.Streams, Stream{
			Index:      s.Index,
			CodecType:  s.CodecType,
			CodecName:  s.CodecName,
			Profile:    s.Profile,
			PixFmt:     s.PixFmt,
			Width:      s.Width,
			Height:     s.Height,
			FrameRate:  parseRate(s.AvgFrameRate),
			NbFrames:   int64(parseFloat(s.NbFrames)),
			Duration:   parseFloat(s.Duration),
			SampleRate: int(parseFloat(s.SampleRate)),
			Channels:   s.Channels,
		})
	}
	return info, nil
}

// parseFloat reads ffprobe's number strings; "N/A" and garbage read as 0.
func parseFloat(s string) float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f != f || f < 0 || f > 1e15 {
		return 0
	}
	return f
}

// parseRate reads a rational such as "30/1" or "30000/1001"; "0/0" reads as 0.
func parseRate(s string) float64 {
	num, den, ok := strings.Cut(s, "/")
	if !ok {
		return parseFloat(s)
	}
	n, d := parseFloat(num), parseFloat(den)
	if d == 0 {
		return 0
	}
	return n / d
}
