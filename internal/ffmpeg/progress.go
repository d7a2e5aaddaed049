package ffmpeg

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"time"
)

// Progress is one block of ffmpeg's -progress report.
type Progress struct {
	Frame   int64
	OutTime time.Duration // how much output has been written
	Speed   float64       // multiple of realtime; 0 when unknown
	End     bool          // ffmpeg printed progress=end
}

// maxProgressLine bounds a line kept while waiting for its newline; real lines are short,
// so anything longer is garbage and is dropped instead of growing memory.
const maxProgressLine = 1 << 10

// progressWriter parses the key=value lines of -progress pipe:1 as they are written.
type progressWriter struct {
	line    []byte
	skip    bool // inside an over-long line; drop until newline
	cur     Progress
	onTime  func(us int64)
	onBlock func(Progress)
}

func (w *progressWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.add(p)
			break
		}
		w.add(p[:i])
		if !w.skip {
			w.handle(string(w.line))
		}
		w.line, w.skip = w.line[:0], false
		p = p[i+1:]
	}
	return n, nil
}

func (w *progressWriter) add(p []byte) {
	if w.skip {
		return
	}
	if len(w.line)+len(p) > maxProgressLine {
		w.line, w.skip = w.line[:0], true
		return
	}
	w.line = append(w.line, p...)
}

func (w *progressWriter) handle(line string) {
	key, val, ok := strings.Cut(strings.TrimSpace(line), "=")
	if !ok {
		return
	}
	val = strings.TrimSpace(val)
	switch key {
	case "frame":
		if n, err := strconv.ParseInt(val, 10, 64); err == nil && n >= 0 {
			w.cur.Frame = n
		}
	case "out_time_us", "out_time_ms": // both are microseconds (a long-standing ffmpeg quirk)
		// Values beyond what a Duration holds in microseconds (about 292 000 years) are
		// garbage, and would overflow into negative times.
		if us, err := strconv.ParseInt(val, 10, 64); err == nil && us >= 0 && us <= math.MaxInt64/int64(time.Microsecond) {
			w.cur.OutTime = time.Duration(us) * time.Microsecond
			if w.onTime != nil {
				w.onTime(us)
			}
		}
	case "speed":
		if s, err := strconv.ParseFloat(strings.TrimSuffix(val, "x"), 64); err == nil && s >= 0 {
			w.cur.Speed = s
		}
	case "progress":
		w.cur.End = val == "end"
		if w.onBlock != nil {
			w.onBlock(w.cur)
		}
	}
}

// ParseProgress parses a complete -progress report and returns its blocks; it is the same
// parser Run uses on the live stream.
func ParseProgress(report []byte) []Progress {
	var out []Progress
	w := &progressWriter{onBlock: func(p Progress) { out = append(out, p) }}
	w.Write(report)
	w.Write([]byte{'\n'}) // a final line without newline still counts
	return out
}
