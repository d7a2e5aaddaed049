package ffmpeg

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
)

// Expect is what Produce checks in the file ffmpeg wrote before moving it into place.
// Zero fields are not checked.
type Expect struct {
	Video      bool   // a video stream is present
	Audio      bool   // an audio stream is present
	VideoCodec string // e.g. "h264"
	AudioCodec string // e.g. "aac"
	Profile    string // video profile as ffprobe names it, e.g. "High"
	PixFmt     string // e.g. "yuv420p"
	Width      int
	Height     int
	Duration   float64 // expected container duration in seconds
	Tolerance  float64 // allowed |duration - Duration|; default 0.1 s
	FastStart  bool    // moov must come before mdat (MP4 only)

	// Also, if set, runs last and can refuse the file for reasons of its own.
	Also func(info *Info) error
}

// Check reports the first way info (of the file at path) falls short of e.
func (e Expect) Check(path string, info *Info) error {
	v, hasV := info.Video()
	a, hasA := info.Audio()
	switch {
	case e.Video && !hasV:
		return errors.New("no video stream")
	case e.Audio && !hasA:
		return errors.New("no audio stream")
	case e.VideoCodec != "" && v.CodecName != e.VideoCodec:
		return fmt.Errorf("video codec %q, want %q", v.CodecName, e.VideoCodec)
	case e.AudioCodec != "" && a.CodecName != e.AudioCodec:
		return fmt.Errorf("audio codec %q, want %q", a.CodecName, e.AudioCodec)
	case e.Profile != "" && v.Profile != e.Profile:
		return fmt.Errorf("video profile %q, want %q", v.Profile, e.Profile)
	case e.PixFmt != "" && v.PixFmt != e.PixFmt:
		return fmt.Errorf("pixel format %q, want %q", v.PixFmt, e.PixFmt)
	case e.Width != 0 && v.Width != e.Width, e.Height != 0 && v.Height != e.Height:
		return fmt.Errorf("video %dx%d, want %dx%d", v.Width, v.Height, e.Width, e.Height)
	}
	if e.Duration > 0 {
		tol := e.Tolerance
		if tol <= 0 {
			tol = 0.1
		}
		if math.Abs(info.Duration-e.Duration) > tol {
			return fmt.Errorf("duration %.3fs, want %.3fs ±%.3fs", info.Duration, e.Duration, tol)
		}
	}
	if e.FastStart {
		ok, err := MoovBeforeMdat(path)
		if err != nil {
			return err
		}
		if !ok {
			return errors.New("moov after mdat (not faststart)")
		}
	}
	if e.Also != nil {
		return e.Also(info)
	}
	return nil
}

// Produce writes the file out with ffmpeg without ever leaving a partial file there: build
// gets a temp path in the same directory (same extension, so ffmpeg picks the same muxer)
// and returns the arguments that write it; the result is probed and checked against want,
// then renamed over out. The temp file is removed on every other path, including
// cancellation, a failed check and a panic.
func Produce(ctx context.Context, out string, build func(tmp string) ([]string, error), opts RunOptions, want Expect) (info *Info, err error) {
	tmp, err := TempPath(out)
	if err != nil {
		return nil, err
	}
	renamed := false
	defer func() {
		if !renamed {
			os.Remove(tmp)
		}
	}()
	args, err := build(tmp)
	if err != nil {
		return nil, err
	}
	if err := Run(ctx, args, opts); err != nil {
		return nil, err
	}
	if info, err = Probe(ctx, tmp); err != nil {
		return nil, err
	}
	if err := want.Check(tmp, info); err != nil {
		return nil, fmt.Errorf("ffmpeg: check %s: %w", filepath.Base(out), err)
	}
	if err := os.Rename(tmp, out); err != nil {
		return nil, fmt.Errorf("ffmpeg: %w", err)
	}
	renamed = true
	return info, nil
}

// TempPath reserves a fresh hidden file next to path with the same extension, such as
// ".video-123456.mp4" for "video.mp4". The caller removes it if it is not renamed.
func TempPath(path string) (string, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	f, err := os.CreateTemp(dir, "."+stem+"-*"+ext)
	if err != nil {
		return "", fmt.Errorf("ffmpeg: temp file: %w", err)
	}
	name := f.Name()
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", fmt.Errorf("ffmpeg: temp file: %w", err)
	}
	return name, nil
}
