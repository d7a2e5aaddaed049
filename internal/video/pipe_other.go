//go:build !linux

package video

import "os"

// growPipe is a no-op where pipe capacity cannot be changed.
func growPipe(*os.File, int) {}
