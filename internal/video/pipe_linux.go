package video

import (
	"os"

	"golang.org/x/sys/unix"
)

// growPipe raises a pipe's capacity from Linux's default 64 KiB toward a whole frame, so
// a frame crosses into ffmpeg in a few large copies instead of dozens of small ones with
// a context switch each. Failure (an unprivileged limit) just keeps the default.
func growPipe(f *os.File, size int) {
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		_, _ = unix.FcntlInt(fd, unix.F_SETPIPE_SZ, size)
	})
}
