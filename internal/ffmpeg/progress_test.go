package ffmpeg

import (
	"testing"
	"time"
)

const sampleReport = `frame=30
fps=0.00
stream_0_0_q=28.0
bitrate=N/A
total_size=48
out_time_us=1000000
out_time_ms=1000000
out_time=00:00:01.000000
dup_frames=0
drop_frames=0
speed=1.97x
progress=continue
frame=60
out_time_us=N/A
speed=N/A
progress=continue
frame=90
out_time_us=3000000
speed=2.5x
progress=end`

func TestParseProgress(t *testing.T) {
	t.Parallel()
	got := ParseProgress([]byte(sampleReport))
	want := []Progress{
		{Frame: 30, OutTime: time.Second, Speed: 1.97},
		{Frame: 60, OutTime: time.Second, Speed: 1.97}, // N/A keeps the last known values
		{Frame: 90, OutTime: 3 * time.Second, Speed: 2.5, End: true},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d blocks %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("block %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestProgressWriterSplitWritesAndLongLines(t *testing.T) {
	t.Parallel()
	var times []int64
	w := &progressWriter{onTime: func(us int64) { times = append(times, us) }}
	long := make([]byte, 3*maxProgressLine)
	for i := range long {
		long[i] = 'x'
	}
	// A line split across writes, then an over-long garbage line, then a good line.
	for _, chunk := range []string{"out_ti", "me_us=12", "5\n", string(long), "\nout_time_us=7\n"} {
		w.Write([]byte(chunk))
	}
	if len(times) != 2 || times[0] != 125 || times[1] != 7 {
		t.Errorf("times = %v, want [125 7]", times)
	}
	if cap(w.line) > 2*maxProgressLine {
		t.Errorf("line buffer grew to %d", cap(w.line))
	}
}

func TestFraction(t *testing.T) {
	t.Parallel()
	tests := []struct {
		us    int64
		total float64
		want  float64
	}{
		{0, 10, 0}, {-5, 10, 0}, {5e6, 10, 0.5}, {20e6, 10, 1}, {5e6, 0, 0},
	}
	for _, tt := range tests {
		if got := fraction(tt.us, tt.total); got != tt.want {
			t.Errorf("fraction(%d, %v) = %v, want %v", tt.us, tt.total, got, tt.want)
		}
	}
}

// FuzzProgress feeds arbitrary bytes, split at an arbitrary point, through the live
// parser: it must not panic, and the fractions Run would report stay within [0, 1].
func FuzzProgress(f *testing.F) {
	f.Add([]byte(sampleReport), 7)
	f.Add([]byte("out_time_us=-1\nout_time_us=99999999999999999999\nprogress=end\n"), 0)
	f.Add([]byte("=\n==\nspeed=x\nframe=-3\n"), 3)
	f.Fuzz(func(t *testing.T, data []byte, split int) {
		w := &progressWriter{
			onTime: func(us int64) {
				if fr := fraction(us, 30); fr < 0 || fr > 1 {
					t.Fatalf("fraction %v out of range", fr)
				}
			},
			onBlock: func(p Progress) {
				if p.Frame < 0 || p.OutTime < 0 || p.Speed < 0 {
					t.Fatalf("negative value in %+v", p)
				}
			},
		}
		if split < 0 || split > len(data) {
			split = len(data) / 2
		}
		w.Write(data[:split])
		w.Write(data[split:])
		if len(w.line) > maxProgressLine {
			t.Fatalf("line buffer %d > %d", len(w.line), maxProgressLine)
		}
	})
}
