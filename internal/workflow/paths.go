package workflow

import (
	"path/filepath"
	"strings"
)

// pathed is a stage output that names files: paths lists pointers to every path in it,
// so one place turns them relative to the task directory for storage and back.
type pathed interface{ paths() []*string }

func (o *CrawlOutput) paths() []*string {
	ps := make([]*string, 0, len(o.Images)+1)
	for i := range o.Images {
		ps = append(ps, &o.Images[i].Path)
	}
	if o.Logo != nil {
		ps = append(ps, &o.Logo.Path)
	}
	return ps
}

func (o *LyricsOutput) paths() []*string { return []*string{&o.Lyrics, &o.Plan} }

func (o *ImagesOutput) paths() []*string {
	ps := make([]*string, 0, len(o.Photos)+1)
	for i := range o.Photos {
		ps = append(ps, &o.Photos[i].Path)
	}
	if o.Logo != nil {
		ps = append(ps, &o.Logo.Path)
	}
	return ps
}

func (o *MusicOutput) paths() []*string { return []*string{&o.Song, &o.Plan} }
func (o *VideoOutput) paths() []*string { return []*string{&o.Slideshow} }
func (o *MergeOutput) paths() []*string {
	return []*string{&o.Video, &o.Thumbnail, &o.CaptionsVTT, &o.CaptionsSRT}
}

// relativize makes v's paths inside dir relative to it. Paths outside dir (none are
// written so) stay as they are.
func relativize(dir string, v pathed) {
	for _, p := range v.paths() {
		if *p == "" || !filepath.IsAbs(*p) {
			continue
		}
		if rel, err := filepath.Rel(dir, *p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			*p = rel
		}
	}
}

// resolve makes v's relative paths absolute under dir. Absolute ones (outputs stored
// before paths were relative) are left alone.
func resolve(dir string, v pathed) {
	for _, p := range v.paths() {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
}
