package pipeline

import "github.com/o2sound/o2sound/internal/engine"

// The stage outputs name their files (engine.Pathed), so the engine stores them
// relative to the task directory and Run.Output hands them back absolute.

// MergeOutput is what the merge stage returns: the engine stores its files and
// video row.
type MergeOutput = engine.FinishedVideo

func (o *CrawlOutput) Paths() []*string {
	ps := make([]*string, 0, len(o.Images)+1)
	for i := range o.Images {
		ps = append(ps, &o.Images[i].Path)
	}
	if o.Logo != nil {
		ps = append(ps, &o.Logo.Path)
	}
	return ps
}

func (o *LyricsOutput) Paths() []*string { return []*string{&o.Lyrics, &o.Plan} }

func (o *ImagesOutput) Paths() []*string {
	ps := make([]*string, 0, len(o.Photos)+1)
	for i := range o.Photos {
		ps = append(ps, &o.Photos[i].Path)
	}
	if o.Logo != nil {
		ps = append(ps, &o.Logo.Path)
	}
	return ps
}

func (o *MusicOutput) Paths() []*string { return []*string{&o.Song, &o.Plan} }
func (o *VideoOutput) Paths() []*string { return []*string{&o.Slideshow} }
