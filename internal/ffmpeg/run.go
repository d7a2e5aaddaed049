package ffmpeg

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// StderrTail is how much of ffmpeg's stderr an error keeps: the end is where the reason is.
const StderrTail = 4 << 10

// DefaultWaitDelay bounds how long Run waits for ffmpeg's pipes after the process exits or
// is killed, so a stuck stdin writer can never hang a cancelled run.
const DefaultWaitDelay = 2 * time.Second

// RunOptions tune one ffmpeg run. The zero value runs "ffmpeg" from PATH without a timeout.
type RunOptions struct {
	Bin       string        // program to run; default "ffmpeg"
	Timeout   time.Duration // deadline for this run on top of ctx; 0 means none
	WaitDelay time.Duration // default DefaultWaitDelay
	Stdin     io.Reader     // fed to pipe:0, e.g. raw frames

	// Duration is the expected length of the output in seconds; with Progress set, the
	// out_time reported by -progress pipe:1 is turned into a fraction of it.
	Duration float64
	Progress func(frac float64)

	// OnStart, if set, is called with the process id once ffmpeg has started.
	OnStart func(pid int)
}

// Error is a failed ffmpeg or ffprobe run; Stderr holds the tail of what it printed.
type Error struct {
	Bin    string
	Args   []string
	Stderr string
	Err    error
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("ffmpeg: %s: %v", e.Bin, e.Err)
	if tail := strings.TrimSpace(e.Stderr); tail != "" {
		msg += ": " + tail
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Run runs ffmpeg with args (as built by Args.Build) and waits for it. Cancelling ctx or
// passing the timeout kills the process; Run returns only once it is gone.
func Run(ctx context.Context, args []string, opts RunOptions) error {
	bin := opts.Bin
	if bin == "" {
		bin = "ffmpeg"
	}
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.WaitDelay = opts.WaitDelay
	if cmd.WaitDelay <= 0 {
		cmd.WaitDelay = DefaultWaitDelay
	}
	cmd.Stdin = opts.Stdin
	tail := &tailBuffer{max: StderrTail}
	cmd.Stderr = tail
	prog := &progressWriter{}
	last := -1.0 // only touched by the stdout copier until Wait returns
	if opts.Progress != nil && opts.Duration > 0 {
		total := opts.Duration
		prog.onTime = func(us int64) {
			f := fraction(us, total)
			if f > last { // monotonic: ffmpeg may repeat or briefly report N/A
				last = f
				opts.Progress(f)
			}
		}
	}
	cmd.Stdout = prog
	if err := cmd.Start(); err != nil {
		return &Error{Bin: bin, Args: args, Err: err}
	}
	if opts.OnStart != nil {
		opts.OnStart(cmd.Process.Pid)
	}
	err := cmd.Wait()
	if err != nil {
		// Report the context's reason rather than "signal: killed" when we did the killing.
		if cerr := ctx.Err(); cerr != nil {
			err = fmt.Errorf("%w (%v)", cerr, err)
		}
		return &Error{Bin: bin, Args: args, Stderr: tail.String(), Err: err}
	}
	if opts.Progress != nil && last < 1 {
		opts.Progress(1)
	}
	return nil
}

// fraction turns an out_time in microseconds into a fraction of total seconds in [0, 1].
func fraction(us int64, total float64) float64 {
	if total <= 0 || us <= 0 {
		return 0
	}
	f := float64(us) / 1e6 / total
	if f > 1 {
		return 1
	}
	return f
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
	cut bool // bytes were dropped from the front
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(p)
	if len(p) >= t.max {
		t.buf = append(t.buf[:0], p[len(p)-t.max:]...)
		t.cut = true
		return n, nil
	}
	if over := len(t.buf) + len(p) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
		t.cut = true
	}
	t.buf = append(t.buf, p...)
	return n, nil
}

// String returns the tail, starting at a line boundary when the front was cut.
func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.buf
	if t.cut {
		if i := strings.IndexByte(string(b), '\n'); i >= 0 && i < len(b)-1 {
			b = b[i+1:]
		}
		return "…" + string(b)
	}
	return string(b)
}
