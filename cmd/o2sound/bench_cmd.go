package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/o2sound/o2sound/internal/video"
	"github.com/o2sound/o2sound/internal/video/videobench"
)

// benchCommand renders a slideshow from generated photos and a synthetic song plan and
// prints how it compares with x264 alone on this machine (`make bench`).
//
//	o2sound bench [-duration 30s] [-aspect 16:9] [-scale 1] [-images 8] [-runs 1] [-font path]
func benchCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	duration := fs.Duration("duration", 30*time.Second, "length of the slideshow")
	aspect := fs.String("aspect", "16:9", "frame shape: 16:9, 9:16 or 1:1")
	scale := fs.Float64("scale", 1, "frame size as a fraction of full HD, in (0, 1]")
	images := fs.Int("images", 8, "number of generated photos")
	runs := fs.Int("runs", 1, "repeat each measurement and keep the best (steadier on a busy machine)")
	fontPath := fs.String("font", "", "font with Hangul and Latin (default: the installed Nanum fonts)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: o2sound bench [flags]\n\nRenders a slideshow from generated photos and compares it with x264 alone.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err // run treats flag.ErrHelp (-h) as success for every command
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("bench: unexpected argument %q", fs.Arg(0))
	}
	a, err := video.ParseAspect(*aspect)
	if err != nil {
		return err
	}
	if *duration < time.Second || *duration > 10*time.Minute {
		return fmt.Errorf("bench: duration %v: want 1s to 10m", *duration)
	}
	fmt.Fprintf(stderr, "rendering a %v %s slideshow, then x264 alone on the same frames…\n", *duration, a)
	rep, err := videobench.Run(ctx, videobench.Options{
		Duration: *duration, Aspect: a, Scale: *scale, Images: *images, Runs: *runs, FontPath: *fontPath,
	})
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	return rep.WriteTable(stdout)
}
