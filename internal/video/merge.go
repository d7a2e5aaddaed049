package video

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/o2sound/o2sound/internal/ffmpeg"
)

// MergeInput names the files Merge reads and writes.
type MergeInput struct {
	Video     string // the slideshow (or any video)
	Audio     string // the song, of any length
	Out       string // the final MP4
	Thumbnail string // JPEG to write; empty for none
	Progress  func(float64)
}

// Result describes the merged video as ffprobe reads it back.
type Result struct {
	Duration    float64 // seconds; video and audio agree within one frame
	Width       int
	Height      int
	FPS         float64
	Frames      int64
	Size        int64 // bytes
	VideoCodec  string
	AudioCodec  string
	Thumbnail   string  // path written, or empty
	ThumbnailAt float64 // time of the thumbnail frame in the result
	Fit         Fit     // how the video was fitted to the song
	Speed       float64 // the video's playback speed in the result; 1 when not retimed
}

// Fit is how Merge made the video as long as the song.
type Fit string

const (
	FitExact   Fit = "exact"   // same length already: the video stream is copied
	FitStretch Fit = "stretch" // song longer: every hold is slowed by the same factor
	FitSqueeze Fit = "squeeze" // song a little shorter: the video plays slightly faster
	FitCut     Fit = "cut"     // song much shorter: the video is cut and fades out
)

// minSqueeze is the shortest song, as a fraction of the video, that is fitted by speeding
// the video up (keeping the closing card); below it speed-up would show, so it is cut.
const minSqueeze = 0.85

// audioFade is the fade-out at the end of the song, so a cut never clicks.
const audioFade = 1.5

// Merge muxes the video with the song into one MP4 that plays everywhere and starts at
// once: H.264 High yuv420p + AAC, moov first. The result is exactly as long as the song,
// rounded to a whole frame, with the video fitted to it and both streams equal within one
// frame; the song fades out over its last moments. A thumbnail is taken from the frame the
// slideshow marked as its best (or one ffmpeg picks), and the result is probed again.
func Merge(ctx context.Context, in MergeInput) (*Result, error) {
	if in.Video == "" || in.Audio == "" || in.Out == "" {
		return nil, errors.New("video: merge: video, audio and out are required")
	}
	vinfo, err := ffmpeg.Probe(ctx, in.Video)
	if err != nil {
		return nil, fmt.Errorf("video: merge: %w", err)
	}
	ainfo, err := ffmpeg.Probe(ctx, in.Audio)
	if err != nil {
		return nil, fmt.Errorf("video: merge: %w", err)
	}
	vs, ok := vinfo.Video()
	if !ok {
		return nil, fmt.Errorf("video: merge: %s has no video stream", in.Video)
	}
	as, ok := ainfo.Audio()
	if !ok {
		return nil, fmt.Errorf("video: merge: %s has no audio stream", in.Audio)
	}
	vdur := streamDuration(vs, vinfo)
	adur := as.Duration
	if adur <= 0 {
		adur = ainfo.Duration
	}
	if vdur <= 0 || adur <= 0 {
		return nil, fmt.Errorf("video: merge: unknown duration (video %.3fs, audio %.3fs)", vdur, adur)
	}

	frames := max(1, int(math.Round(adur*fps)))
	dur := float64(frames) / fps
	plan := fitPlan(vdur, dur, vs)
	progress := func(f float64) {
		if in.Progress != nil {
			in.Progress(f)
		}
	}

	fade := math.Min(audioFade, dur/4)
	audioGraph := fmt.Sprintf("[1:a]aresample=48000,atrim=end=%s,apad=whole_dur=%s,afade=t=out:st=%s:d=%s[a]",
		ffmpeg.FormatSeconds(dur), ffmpeg.FormatSeconds(dur), ffmpeg.FormatSeconds(dur-fade), ffmpeg.FormatSeconds(fade))
	build := func(tmp string) ([]string, error) {
		a := ffmpeg.New().Input(in.Video).Input(in.Audio)
		graph := audioGraph
		if plan.fit == FitExact {
			a.Map("0:v:0").OutputOptions(ffmpeg.VideoCodec("copy"))
		} else {
			graph = plan.videoGraph(frames) + ";" + audioGraph
			a.Map("[v]").OutputOptions(X264Options()...)
		}
		return a.FilterComplex(graph).Map("[a]").
			OutputOptions(ffmpeg.AudioCodec("aac"), ffmpeg.Opt("b:a", "192k"), ffmpeg.Opt("ac", "2"),
				ffmpeg.Opt("movflags", "+faststart"), ffmpeg.Opt("map_metadata", "-1")).
			Output(tmp).Build()
	}
	info, err := ffmpeg.Produce(ctx, in.Out, build, ffmpeg.RunOptions{
		Timeout:  2*time.Minute + time.Duration(dur*6)*time.Second,
		Duration: dur,
		Progress: func(f float64) { progress(f * 0.9) },
	}, ffmpeg.Expect{
		Video: true, Audio: true, VideoCodec: "h264", AudioCodec: "aac", Profile: "High", PixFmt: "yuv420p",
		Width: vs.Width, Height: vs.Height, Duration: dur, Tolerance: 1.0 / fps, FastStart: true,
		Also: func(info *ffmpeg.Info) error {
			v, _ := info.Video()
			a, _ := info.Audio()
			if d := math.Abs(v.Duration - a.Duration); d > 1.0/fps {
				return fmt.Errorf("video %.3fs and audio %.3fs differ by more than a frame", v.Duration, a.Duration)
			}
			if math.Abs(v.FrameRate-fps) > 0.01 {
				return fmt.Errorf("frame rate %v, want %d", v.FrameRate, fps)
			}
			return nil
		},
	})
	if err != nil {
		return nil, fmt.Errorf("video: merge: %w", err)
	}
	v, _ := info.Video()
	a, _ := info.Audio()
	res := &Result{
		Duration: info.Duration, Width: v.Width, Height: v.Height, FPS: v.FrameRate, Frames: v.NbFrames,
		Size: info.Size, VideoCodec: v.CodecName, AudioCodec: a.CodecName, Fit: plan.fit, Speed: plan.speed,
	}
	if in.Thumbnail != "" {
		at := plan.mapTime(thumbTime(vinfo, vdur))
		if at < 0 || at >= dur-1.0/fps {
			at = -1 // the marked frame was cut off: let ffmpeg pick
		}
		if at, err = writeThumbnail(ctx, in.Out, in.Thumbnail, at, dur, v.Width, v.Height); err != nil {
			return nil, fmt.Errorf("video: merge: thumbnail: %w", err)
		}
		res.Thumbnail, res.ThumbnailAt = in.Thumbnail, at
	}
	progress(1)
	return res, nil
}

// streamDuration is a video stream's length, from its frame count when known (exact).
func streamDuration(s ffmpeg.Stream, info *ffmpeg.Info) float64 {
	switch {
	case s.NbFrames > 0 && s.FrameRate > 0:
		return float64(s.NbFrames) / s.FrameRate
	case s.Duration > 0:
		return s.Duration
	}
	return info.Duration
}

// fitting is how the video is made as long as the song.
type fitting struct {
	fit   Fit
	speed float64 // playback speed of the video in the result
}

// fitPlan decides how to fit a video of vdur seconds to a song of dur seconds.
func fitPlan(vdur, dur float64, vs ffmpeg.Stream) fitting {
	// A stream that cannot be copied into the result is re-encoded even at equal length.
	copyable := vs.CodecName == "h264" && vs.Profile == "High" && vs.PixFmt == "yuv420p" && math.Abs(vs.FrameRate-fps) < 0.01
	switch {
	case math.Abs(vdur-dur) < 0.5/fps && copyable:
		return fitting{FitExact, 1}
	case math.Abs(vdur-dur) < 0.5/fps:
		return fitting{FitStretch, 1} // re-encode only
	case dur > vdur:
		return fitting{FitStretch, vdur / dur}
	case dur/vdur >= minSqueeze:
		return fitting{FitSqueeze, vdur / dur}
	}
	return fitting{FitCut, 1}
}

// videoGraph retimes the video by the fitting and holds its last frame so that the
// requested number of frames always exists, then trims to exactly that many. (It trims in
// the graph because with -frames:v ffmpeg 5.1 ended the output early here and the audio
// came out 36 ms short.)
func (f fitting) videoGraph(frames int) string {
	dur := float64(frames) / fps
	g := fmt.Sprintf("[0:v]setpts=PTS/%s,fps=%d,tpad=stop_mode=clone:stop=%d,trim=end_frame=%d",
		strconv.FormatFloat(f.speed, 'f', 6, 64), fps, 2*fps, frames)
	if f.fit == FitCut {
		fd := math.Min(0.5, dur/4)
		g += fmt.Sprintf(",fade=t=out:st=%s:d=%s", ffmpeg.FormatSeconds(dur-fd), ffmpeg.FormatSeconds(fd))
	}
	return g + ",format=yuv420p[v]"
}

// mapTime converts a time in the source video to the result's timeline.
func (f fitting) mapTime(t float64) float64 {
	if t < 0 {
		return t
	}
	return t / f.speed
}

// thumbTime reads the frame time the slideshow marked, or -1.
func thumbTime(info *ffmpeg.Info, vdur float64) float64 {
	s, ok := strings.CutPrefix(info.Tags["comment"], thumbTag)
	if !ok {
		return -1
	}
	t, err := strconv.ParseFloat(s, 64)
	if err != nil || t < 0 || t >= vdur {
		return -1
	}
	return t
}

// writeThumbnail writes one JPEG frame of video at time at, or, when at < 0, the most
// representative of the frames from a third of the way in (ffmpeg's thumbnail filter
// picks the frame closest to the average, which avoids fades and flashes).
func writeThumbnail(ctx context.Context, video, out string, at, dur float64, w, h int) (float64, error) {
	vf := "format=yuvj420p"
	if at < 0 {
		at = dur / 3
		vf = "thumbnail=n=" + strconv.Itoa(2*fps) + "," + vf
	}
	build := func(tmp string) ([]string, error) {
		return ffmpeg.New().
			Input(video, ffmpeg.Opt("ss", ffmpeg.FormatSeconds(at))).
			OutputOptions(ffmpeg.Opt("vf", vf), ffmpeg.Frames(1), ffmpeg.Opt("q:v", "2"), ffmpeg.Opt("update", "1")).
			Output(tmp).Build()
	}
	_, err := ffmpeg.Produce(ctx, out, build, ffmpeg.RunOptions{Timeout: time.Minute},
		ffmpeg.Expect{Video: true, VideoCodec: "mjpeg", Width: w, Height: h})
	return at, err
}
