package videobench

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/video"
)

func TestRunSmall(t *testing.T) {
	t.Parallel()
	rep, err := Run(context.Background(), Options{Duration: 2 * time.Second, Aspect: video.Square, Scale: 0.2, Images: 3, Runs: 2, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Frames != 60 || rep.Width != 216 || rep.Height != 216 || rep.Seconds != 2 {
		t.Errorf("report %+v", rep)
	}
	if !rep.BareMeasured {
		t.Error("x264 was not timed on the raw frames")
	}
	for name, m := range map[string]Measure{"render": rep.Render, "bare x264": rep.Bare, "re-encode": rep.Reencode, "decode": rep.Decode} {
		if m.Wall <= 0 || m.CPU <= 0 || m.PeakRSS <= 0 {
			t.Errorf("%s measure %+v", name, m)
		}
	}
	if rep.Ratio() <= 0 || rep.CPURatio() <= 0 || rep.Realtime() <= 0 {
		t.Errorf("ratios %v %v %v", rep.Ratio(), rep.CPURatio(), rep.Realtime())
	}
	var b bytes.Buffer
	if err := rep.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"216x216, 60 frames", "x264 alone on the same raw frames", "render / x264 alone", "peak RSS", "realtime factor"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
}
