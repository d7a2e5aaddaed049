// Package videobench measures the slideshow renderer against x264 alone on this machine:
// it renders a slideshow from generated photos and a synthetic song plan, then encodes
// the very same frames with x264 at the same settings, and reports wall time, CPU time,
// realtime factor, peak memory and the ratio of the two. `o2sound bench` prints it.
package videobench

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/o2sound/o2sound/internal/ffmpeg"
	"github.com/o2sound/o2sound/internal/songplan"
	"github.com/o2sound/o2sound/internal/video"
	"github.com/o2sound/o2sound/internal/video/videotest"
)

// Options configure a run. Zero values take the defaults in brackets.
type Options struct {
	Duration time.Duration // length of the slideshow [30s]
	Aspect   video.Aspect  // [16:9]
	Scale    float64       // [1]
	Images   int           // generated photos [8]
	Runs     int           // repetitions; each figure is the best of them [1]
	Dir      string        // work directory [a new temp directory, removed afterwards]
	FontPath string
}

// Measure is one timed step.
type Measure struct {
	Wall    time.Duration
	CPU     time.Duration // user + system, of this process and of the ffmpeg it waited for
	GoCPU   time.Duration // the part spent in this process
	PeakRSS int64         // bytes, the larger of this process and its largest child so far
}

// Report is the outcome of a run.
type Report struct {
	Frames       int
	Width        int
	Height       int
	Seconds      float64 // video length
	Runs         int     // each figure is the best of this many runs
	Render       Measure // RenderSlideshow: frames drawn in Go, piped into x264
	Bare         Measure // x264 alone on the very frames the renderer draws (raw, from RAM or disk)
	BareMeasured bool    // false when there was no room for the raw frames
	Reencode     Measure // x264 on the render's decoded output (a second opinion)
	Decode       Measure // reading those frames back without encoding
	SelfPeakRSS  int64   // this process alone
	ChildPeakRSS int64   // the largest ffmpeg
}

// X264 is x264 alone on the same frames: measured on the raw frames when there was
// room for them, else estimated as the re-encode minus the decoding that fed it.
func (r *Report) X264() time.Duration {
	if r.BareMeasured {
		return r.Bare.Wall
	}
	return max(time.Millisecond, r.Reencode.Wall-r.Decode.Wall)
}

func (r *Report) x264CPU() time.Duration {
	if r.BareMeasured {
		return r.Bare.CPU
	}
	return max(time.Millisecond, r.Reencode.CPU-r.Decode.CPU)
}

// Ratio is render wall time over x264-alone wall time; the target is at most 1.3.
func (r *Report) Ratio() float64 { return r.Render.Wall.Seconds() / r.X264().Seconds() }

// CPURatio is render CPU time over x264-alone CPU time: what the renderer adds to the
// encoder's work. On a machine shared with other jobs it is steadier than Ratio.
func (r *Report) CPURatio() float64 {
	return r.Render.CPU.Seconds() / r.x264CPU().Seconds()
}

// Realtime is video seconds per wall second of rendering; above 1 is faster than realtime.
func (r *Report) Realtime() float64 { return r.Seconds / r.Render.Wall.Seconds() }

// Run renders and measures.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.Duration <= 0 {
		o.Duration = 30 * time.Second
	}
	if o.Aspect == "" {
		o.Aspect = video.Landscape
	}
	if o.Scale == 0 {
		o.Scale = 1
	}
	if o.Images <= 0 {
		o.Images = 8
	}
	if o.Runs <= 0 {
		o.Runs = 1
	}
	w, h, err := o.Aspect.Size(o.Scale)
	if err != nil {
		return nil, err
	}
	dir := o.Dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "o2sound-bench-"); err != nil {
			return nil, fmt.Errorf("videobench: %w", err)
		}
		defer os.RemoveAll(dir)
	}
	images, err := videotest.WriteImages(dir, o.Images)
	if err != nil {
		return nil, err
	}
	plan := videotest.Plan(o.Duration.Seconds())
	slides := filepath.Join(dir, "slides.mp4")

	rep := &Report{Width: w, Height: h, Frames: int(math.Round(plan.Duration * songplan.FPS)), Seconds: plan.Duration, Runs: o.Runs}
	in := video.SlideshowInput{
		Images: images, Plan: plan, Profile: videotest.Profile(), Aspect: o.Aspect, Scale: o.Scale,
		Out: slides, FontPath: o.FontPath,
	}
	render := func() error { return video.RenderSlideshow(ctx, in) }
	// The frames themselves, written once (not timed) where there is room, so x264
	// can be timed alone on exactly what the renderer feeds it.
	rawSize := int64(rep.Frames) * int64(w) * int64(h) * 3 / 2 // yuv420p
	raw := rawFramesPath(dir, rawSize)
	if raw != "" {
		defer os.Remove(raw)
		if err := writeFrames(ctx, in, raw); err != nil {
			return nil, err
		}
		// Every frame, whole: otherwise x264 would be timed on less work.
		st, err := os.Stat(raw)
		if err != nil {
			return nil, fmt.Errorf("videobench: %w", err)
		}
		if st.Size() != rawSize {
			return nil, fmt.Errorf("videobench: raw frames: %d bytes, want %d (%d frames of %dx%d)", st.Size(), rawSize, rep.Frames, w, h)
		}
		rep.BareMeasured = true
	}
	bare := func() error {
		args, err := ffmpeg.New().
			Input(raw, ffmpeg.Format("rawvideo"), ffmpeg.PixFmt("yuv420p"), ffmpeg.Size(w, h), ffmpeg.FrameRate(songplan.FPS)).
			OutputOptions(video.X264Options()...).OutputOptions(ffmpeg.Flag("an")).
			Output(filepath.Join(dir, "bare.mp4")).Build()
		if err != nil {
			return err
		}
		return ffmpeg.Run(ctx, args, ffmpeg.RunOptions{Timeout: 10 * time.Minute})
	}
	// A second opinion: the render's own output decoded and encoded again with the
	// render's settings (decoded frames have lost some detail, which flatters x264).
	reencode := func() error {
		args, err := ffmpeg.New().Input(slides).
			OutputOptions(video.X264Options()...).OutputOptions(ffmpeg.Flag("an")).
			Output(filepath.Join(dir, "reencode.mp4")).Build()
		if err != nil {
			return err
		}
		return ffmpeg.Run(ctx, args, ffmpeg.RunOptions{Timeout: 10 * time.Minute})
	}
	decode := func() error {
		args, err := ffmpeg.New().Input(slides).OutputOptions(ffmpeg.Format("null")).Output(os.DevNull).Build()
		if err != nil {
			return err
		}
		return ffmpeg.Run(ctx, args, ffmpeg.RunOptions{Timeout: 10 * time.Minute})
	}
	// Interleaving the steps run by run spreads other load on the machine over all of
	// them; keeping the best of each is the usual defence against that noise.
	for run := 0; run < o.Runs; run++ {
		for _, step := range []struct {
			m *Measure
			f func() error
		}{{&rep.Render, render}, {&rep.Bare, bare}, {&rep.Reencode, reencode}, {&rep.Decode, decode}} {
			if step.m == &rep.Bare && !rep.BareMeasured {
				continue
			}
			m, err := measure(step.f)
			if err != nil {
				return nil, err
			}
			if run == 0 {
				*step.m = m
				continue
			}
			step.m.Wall = min(step.m.Wall, m.Wall)
			if m.CPU < step.m.CPU {
				step.m.CPU, step.m.GoCPU = m.CPU, m.GoCPU
			}
			step.m.PeakRSS = max(step.m.PeakRSS, m.PeakRSS)
		}
	}
	rep.SelfPeakRSS, rep.ChildPeakRSS = peakRSS()
	return rep, nil
}

// measure runs f and reports its wall time, CPU time of this process and of the children
// it reaped meanwhile, and the peak RSS so far.
func measure(f func() error) (Measure, error) {
	self0, child0 := rusage(syscall.RUSAGE_SELF), rusage(syscall.RUSAGE_CHILDREN)
	start := time.Now()
	err := f()
	wall := time.Since(start)
	self1, child1 := rusage(syscall.RUSAGE_SELF), rusage(syscall.RUSAGE_CHILDREN)
	own := cpuTime(self1) - cpuTime(self0)
	cpu := own + cpuTime(child1) - cpuTime(child0)
	s, c := peakRSS()
	return Measure{Wall: wall, CPU: cpu, GoCPU: own, PeakRSS: max(s, c)}, err
}

func rusage(who int) syscall.Rusage {
	var ru syscall.Rusage
	_ = syscall.Getrusage(who, &ru) // cannot fail for these arguments
	return ru
}

func cpuTime(ru syscall.Rusage) time.Duration {
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS returns the peak resident set of this process and of its largest reaped child,
// in bytes (Linux reports kilobytes).
func peakRSS() (self, child int64) {
	return rusage(syscall.RUSAGE_SELF).Maxrss * 1024, rusage(syscall.RUSAGE_CHILDREN).Maxrss * 1024
}

// WriteTable prints the report as an aligned table, with the targets.
func (r *Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	mb := func(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }
	sec := func(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }
	fmt.Fprintf(tw, "slideshow\t%dx%d, %d frames, %.1fs at %d fps; best of %d run(s)\n", r.Width, r.Height, r.Frames, r.Seconds, songplan.FPS, max(1, r.Runs))
	fmt.Fprintf(tw, "\n\twall\tCPU\tpeak RSS\n")
	fmt.Fprintf(tw, "render (Go frames → x264)\t%s\t%s\t%s\n", sec(r.Render.Wall), sec(r.Render.CPU), mb(r.Render.PeakRSS))
	fmt.Fprintf(tw, "  of which Go (drawing, pipe, images)\t\t%s\t\n", sec(r.Render.GoCPU))
	if r.BareMeasured {
		fmt.Fprintf(tw, "x264 alone on the same raw frames\t%s\t%s\t%s\n", sec(r.Bare.Wall), sec(r.Bare.CPU), mb(r.Bare.PeakRSS))
	}
	fmt.Fprintf(tw, "re-encode of the render's output\t%s\t%s\t%s\n", sec(r.Reencode.Wall), sec(r.Reencode.CPU), mb(r.Reencode.PeakRSS))
	fmt.Fprintf(tw, "decode only\t%s\t%s\t\n", sec(r.Decode.Wall), sec(r.Decode.CPU))
	if !r.BareMeasured {
		fmt.Fprintf(tw, "x264 alone (re-encode − decode; no room for raw frames)\t%s\t%s\t\n", sec(r.X264()), sec(r.x264CPU()))
	}
	fmt.Fprintf(tw, "\nrealtime factor\t%.2f×\t(video seconds per wall second)\n", r.Realtime())
	fmt.Fprintf(tw, "render / x264 alone\t%.2f\t(target ≤ 1.30)\t%s\n", r.Ratio(), verdict(r.Ratio() <= 1.3))
	fmt.Fprintf(tw, "render / x264 alone, CPU time\t%.2f\t(steadier when the machine is shared)\t\n", r.CPURatio())
	fmt.Fprintf(tw, "render / re-encode\t%.2f\t\t\n", r.Render.Wall.Seconds()/r.Reencode.Wall.Seconds())
	peak := max(r.SelfPeakRSS, r.ChildPeakRSS)
	fmt.Fprintf(tw, "peak RSS\t%s\t(target ≤ 700 MB)\t%s\n", mb(peak), verdict(peak <= 700<<20))
	fmt.Fprintf(tw, "  this process / largest ffmpeg\t%s / %s\t(both at once ≤ %s)\t\n", mb(r.SelfPeakRSS), mb(r.ChildPeakRSS), mb(r.SelfPeakRSS+r.ChildPeakRSS))
	return tw.Flush()
}

func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "MISSED"
}

// rawFramesPath picks where the raw frames go: RAM (/dev/shm) when it has room, else
// the work directory's disk, else nowhere ("": the ratio is then estimated).
func rawFramesPath(dir string, size int64) string {
	const spare = 256 << 20
	for _, d := range []string{"/dev/shm", dir} {
		var st syscall.Statfs_t
		if syscall.Statfs(d, &st) != nil || int64(st.Bavail)*int64(st.Bsize) < size+spare {
			continue
		}
		f, err := os.CreateTemp(d, "o2sound-bench-frames-*.yuv")
		if err != nil {
			continue
		}
		f.Close()
		return f.Name()
	}
	return ""
}

func writeFrames(ctx context.Context, in video.SlideshowInput, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("videobench: %w", err)
	}
	werr := video.WriteSlideshowFrames(ctx, in, f)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	return werr
}
