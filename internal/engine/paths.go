package engine

import (
	"path/filepath"
	"strings"
)

// Pathed is a stage output that names files: Paths lists pointers to every path in
// it, so one place turns them relative to the task directory for storage and back.
// Stored outputs are relative, so a worker that mounts the data directory elsewhere
// still finds them, and a re-make can link a finished stage's files into its own
// directory and reuse the output as it is.
type Pathed interface{ Paths() []*string }

func (v *FinishedVideo) Paths() []*string {
	return []*string{&v.Video, &v.Thumbnail, &v.CaptionsVTT, &v.CaptionsSRT}
}

// Relativize makes v's paths inside dir relative to it. Paths outside dir (none are
// written so) stay as they are.
func Relativize(dir string, v Pathed) {
	for _, p := range v.Paths() {
		if *p == "" || !filepath.IsAbs(*p) {
			continue
		}
		if rel, err := filepath.Rel(dir, *p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			*p = rel
		}
	}
}

// Resolve makes v's relative paths absolute under dir. Absolute ones (outputs stored
// before paths were relative) are left alone.
func Resolve(dir string, v Pathed) {
	for _, p := range v.Paths() {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
}
