package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/engine"
	"github.com/o2sound/o2sound/internal/files"
	"github.com/o2sound/o2sound/internal/lyrics"
	"github.com/o2sound/o2sound/internal/music/score"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/phone"
	"github.com/o2sound/o2sound/internal/songplan"
	"github.com/o2sound/o2sound/internal/store"
)

// A draft is read from a task's own stage outputs: the crawl's profile (the facts), the
// lyrics stage's text and plan (the words and the style) and the images stage's photos.
// A re-make writes its edits into the same outputs of a new task, so every stage reads
// its inputs from one place whether it runs after a crawl or after the owner.

var errNoDraft = &o2sound.Error{Code: o2sound.CodeNoDraft,
	Message: "this task has no draft: its site, lyrics and photos are not ready yet, or it failed or was cancelled"}

// draftSource is everything of a task a draft or a re-make starts from.
type draftSource struct {
	task   *o2sound.Task
	dir    string
	crawl  CrawlOutput
	lyrics LyricsOutput
	images ImagesOutput
	words  lyrics.Lyrics
	plan   *songplan.Plan
}

// Remaker makes drafts of the owner's tasks and starts re-makes of them: it knows
// what each stage's output holds; the engine runs the new task.
type Remaker struct {
	Engine *engine.Engine
	DB     *store.DB
	Files  *files.Store
	Log    *slog.Logger
}

// loadDraftSource reads the owner's task's draft inputs, or says why there are none.
func (m *Remaker) loadDraftSource(ctx context.Context, ownerID, taskID string) (*draftSource, error) {
	t, err := m.Engine.Task(ctx, ownerID, taskID)
	if err != nil {
		return nil, err
	}
	if t.State == o2sound.TaskFailed || t.State == o2sound.TaskCancelled || !engine.ReviewDone(t) || !m.Files.HasTaskDir(t.ID) {
		return nil, errNoDraft
	}
	dir, err := m.Files.TaskDir(t.ID)
	if err != nil {
		return nil, err
	}
	src := &draftSource{task: t, dir: dir}
	run := &engine.Run{Task: t, Dir: dir, Outputs: map[o2sound.Stage]json.RawMessage{}}
	for s, st := range t.Stages {
		run.Outputs[s] = st.Output
	}
	if err := outputs(run, map[o2sound.Stage]any{o2sound.StageCrawl: &src.crawl, o2sound.StageLyrics: &src.lyrics,
		o2sound.StageImages: &src.images}); err != nil {
		return nil, err
	}
	// Tasks crawled before numbers were shown in their national form carry the
	// crawler's; the draft and a re-make's cards show the same form as new ones.
	nationalPhone(&src.crawl.Profile)
	if err := readJSON(src.lyrics.Lyrics, &src.words); err != nil {
		return nil, errNoDraftBecause(err)
	}
	if src.plan, err = songplan.Load(src.lyrics.Plan); err != nil {
		return nil, errNoDraftBecause(err)
	}
	return src, nil
}

func errNoDraftBecause(err error) error {
	return &o2sound.Error{Code: errNoDraft.Code, Message: errNoDraft.Message, Err: err}
}

// Draft returns the draft of the owner's task: what its music and video are (or will
// be) made from, for the owner to review and edit.
func (m *Remaker) Draft(ctx context.Context, ownerID, taskID string) (*o2sound.Draft, error) {
	src, err := m.loadDraftSource(ctx, ownerID, taskID)
	if err != nil {
		return nil, err
	}
	return src.draft(), nil
}

func (src *draftSource) draft() *o2sound.Draft {
	p := src.crawl.Profile
	website := p.URL
	if website == "" {
		website = src.task.URL
	}
	d := &o2sound.Draft{
		TaskID: src.task.ID,
		Facts: o2sound.Facts{Name: p.Name, Tagline: p.Tagline, Phone: p.Phone, Address: p.Address, Website: website,
			Hashtags: append([]string{}, p.Hashtags...)},
		Lyrics:   o2sound.DraftLyrics{Title: src.words.Title, Sections: []o2sound.DraftSection{}},
		Photos:   []o2sound.DraftPhoto{},
		Style:    o2sound.Style{Genre: src.plan.Genre, Mood: src.plan.Mood, Tempo: src.plan.Tempo},
		Aspect:   src.task.Options.Aspect,
		Duration: src.task.Options.Duration,
	}
	for _, s := range src.words.Sections {
		d.Lyrics.Sections = append(d.Lyrics.Sections, o2sound.DraftSection{Name: s.Name, Lines: append([]string{}, s.Lines...)})
	}
	for _, ph := range src.images.Photos {
		if ph.ID != "" {
			d.Photos = append(d.Photos, o2sound.DraftPhoto{PhotoID: ph.ID, Width: ph.Width, Height: ph.Height, Source: ph.Source})
		}
	}
	if l := src.images.Logo; l != nil && l.ID != "" {
		d.Logo = &o2sound.DraftPhoto{PhotoID: l.ID, Width: l.Width, Height: l.Height, Source: l.Source}
	}
	return d
}

// Remake starts a new task from the owner's task with the owner's changes. It reuses
// the source's finished stages and runs only those whose inputs changed (and the merge,
// which makes the new video): the site is not fetched again. The source and its video
// stay. Continuing a task that waits for review is a re-make of it.
func (m *Remaker) Remake(ctx context.Context, ownerID, taskID string, ch o2sound.DraftChanges) (*o2sound.Task, error) {
	src, err := m.loadDraftSource(ctx, ownerID, taskID)
	if err != nil {
		return nil, err
	}
	plan, err := m.planRemake(ctx, src, ch)
	if err != nil {
		return nil, err
	}
	id, err := store.NewTaskID()
	if err != nil {
		return nil, err
	}
	dir, err := m.Files.TaskDir(id)
	if err != nil {
		return nil, err
	}
	t, err := m.writeRemake(ctx, src, plan, id, dir)
	if err == nil {
		err = m.Engine.StartPrepared(ctx, t)
	}
	if err != nil {
		if rerr := m.Files.RemoveTaskDir(id); rerr != nil {
			m.Log.Warn("remove task directory", "task_id", id, "err", rerr)
		}
		var de *o2sound.Error
		if errors.As(err, &de) {
			return nil, err
		}
		return nil, fmt.Errorf("pipeline: remake: %w", err)
	}
	m.Log.InfoContext(ctx, "task started as a re-make", "task_id", t.ID, "source", src.task.ID, "reused", t.Reused)
	return m.Engine.Task(ctx, ownerID, t.ID)
}

// remakePlan is a validated re-make: the new inputs and which stages must run.
type remakePlan struct {
	profile        business.Profile
	profileChanged bool
	words          *lyrics.Lyrics // nil: the source's
	planOpts       score.PlanOptions
	replan         bool // the song plan changes: new words, style or length
	photos         []PhotoRef
	logo           *PhotoRef
	imagesChanged  bool
	aspect         string
	duration       float64
	run            map[o2sound.Stage]bool
}

// planRemake validates the owner's changes against the source and decides what runs.
func (m *Remaker) planRemake(ctx context.Context, src *draftSource, ch o2sound.DraftChanges) (*remakePlan, error) {
	v := &o2sound.Validator{}
	rp := &remakePlan{profile: src.crawl.Profile, aspect: src.task.Options.Aspect, duration: src.task.Options.Duration,
		photos: src.images.Photos, logo: src.images.Logo, run: map[o2sound.Stage]bool{}}

	if f := ch.Facts; f != nil {
		before := rp.profile
		applyFacts(v, &rp.profile, f)
		rp.profileChanged = !profileFactsEqual(before, rp.profile)
	}
	if ch.Lyrics != nil {
		rp.words = checkLyrics(v, ch.Lyrics, src.words.Title)
		if rp.words != nil && rp.words.Text() == src.words.Text() {
			rp.words = nil // the same words: nothing to sing again
		}
	}
	genre, tempo, key := src.plan.Genre, src.plan.Tempo, src.plan.Key
	styleChanged := false
	if st := ch.Style; st != nil {
		g, t := checkStyle(v, st, genre)
		styleChanged = g != genre || (t != 0 && t != tempo)
		if g != genre {
			genre, key = g, "" // a new sound: the key is chosen anew
			tempo = 0
		}
		if t != 0 {
			tempo = t
		}
	}
	if ch.Aspect != "" {
		v.Check(slices.Contains([]string{"16:9", "9:16", "1:1"}, ch.Aspect), "aspect", "one of 16:9, 9:16, 1:1")
		rp.aspect = ch.Aspect
	}
	if ch.Duration != 0 {
		v.Check(ch.Duration >= 15 && ch.Duration <= 90, "duration", "between 15 and 90 seconds")
		rp.duration = ch.Duration
	}
	if ch.Photos != nil {
		rp.photos = m.checkPhotos(ctx, v, src.task.OwnerID, ch.Photos)
	}
	if ch.Logo != nil {
		rp.logo = nil
		if *ch.Logo != "" {
			// An unknown id is PHOTO_001, from photosExist below.
			if p, err := m.DB.PhotoByID(ctx, src.task.OwnerID, *ch.Logo); err == nil {
				rp.logo = &PhotoRef{ID: p.ID, Width: p.Width, Height: p.Height, Source: p.Source, Format: p.Format}
			}
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := m.photosExist(ctx, src.task.OwnerID, ch); err != nil {
		return nil, err
	}

	rp.imagesChanged = !slices.Equal(photoIDs(rp.photos), photoIDs(src.images.Photos)) || photoID(rp.logo) != photoID(src.images.Logo)
	rp.replan = rp.words != nil || styleChanged || rp.duration != src.task.Options.Duration
	rp.planOpts = score.PlanOptions{Seed: src.plan.Seed, Target: time.Duration(rp.duration * float64(time.Second)),
		Genre: genre, Tempo: tempo, Key: key}

	// What runs: a new plan changes the song and the cut; new pictures, facts or shape
	// change the cut; every re-make merges a new video; stages the source never ran
	// (a task waiting for review) run too.
	if rp.replan {
		rp.run[o2sound.StageMusic], rp.run[o2sound.StageVideo] = true, true
	}
	if rp.imagesChanged || rp.profileChanged || rp.aspect != src.task.Options.Aspect {
		rp.run[o2sound.StageVideo] = true
	}
	rp.run[o2sound.StageMerge] = true
	for _, s := range []o2sound.Stage{o2sound.StageMusic, o2sound.StageVideo} {
		if st := src.task.Stages[s]; st == nil || st.State != o2sound.StageDone {
			rp.run[s] = true
		}
	}
	return rp, nil
}

// photosExist answers a photo id the owner does not have with PHOTO_001 (404), after
// the other checks passed.
func (m *Remaker) photosExist(ctx context.Context, ownerID string, ch o2sound.DraftChanges) error {
	ids := append([]string{}, ch.Photos...)
	if ch.Logo != nil && *ch.Logo != "" {
		ids = append(ids, *ch.Logo)
	}
	for _, id := range ids {
		if _, err := m.DB.PhotoByID(ctx, ownerID, id); errors.Is(err, store.ErrNotFound) {
			return &o2sound.Error{Code: o2sound.CodePhotoNotFound, Message: "photo not found: " + id, Details: map[string]any{"photo_id": id}}
		} else if err != nil {
			return err
		}
	}
	return nil
}

// checkPhotos validates an ordered list of photo ids and returns the owner's photos
// (unknown ids are left for photosExist to report).
func (m *Remaker) checkPhotos(ctx context.Context, v *o2sound.Validator, ownerID string, ids []string) []PhotoRef {
	v.Check(len(ids) >= 1, "photos", "at least one photo")
	v.Check(len(ids) <= o2sound.MaxDraftPhotos, "photos", fmt.Sprintf("at most %d photos", o2sound.MaxDraftPhotos))
	seen := map[string]bool{}
	var refs []PhotoRef
	for i, id := range ids {
		if seen[id] {
			v.Check(false, fmt.Sprintf("photos[%d]", i), "this photo is already in the list")
			continue
		}
		seen[id] = true
		p, err := m.DB.PhotoByID(ctx, ownerID, id)
		if err != nil {
			continue
		}
		refs = append(refs, PhotoRef{ID: p.ID, Width: p.Width, Height: p.Height, Source: p.Source, Format: p.Format})
	}
	return refs
}

func photoIDs(refs []PhotoRef) []string {
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
	}
	return ids
}

func photoID(r *PhotoRef) string {
	if r == nil {
		return ""
	}
	return r.ID
}

// applyFacts validates and applies the owner's facts to p.
func applyFacts(v *o2sound.Validator, p *business.Profile, f *o2sound.FactChanges) {
	text := func(field string, s *string, max int, required bool, dst *string) {
		if s == nil {
			return
		}
		t := strings.TrimSpace(*s)
		n := utf8.RuneCountInString(t)
		v.Check(!required || n > 0, field, "must not be empty")
		v.Check(n <= max, field, fmt.Sprintf("at most %d characters", max))
		v.Check(!hasControl(t), field, "no control characters")
		*dst = t
	}
	text("facts.name", f.Name, 80, true, &p.Name)
	text("facts.tagline", f.Tagline, o2sound.MaxTaglineLen, false, &p.Tagline)
	text("facts.address", f.Address, o2sound.MaxAddressLen, false, &p.Address)
	if f.Phone != nil {
		// After the address: a number without "+" is read in the business's country.
		e164 := v.Phone("facts.phone", *f.Phone, profileRegion(*p))
		p.Phone, p.PhoneE164 = strings.TrimSpace(*f.Phone), e164
		if e164 != "" {
			p.Phone = phone.Format(e164, "")
		}
	}
	if f.Website != nil {
		w := strings.TrimSpace(*f.Website)
		v.Check(w == "" || o2sound.ValidWebURL(w), "facts.website", "an http:// or https:// address")
		p.URL = w
	}
	if f.Hashtags != nil {
		v.Check(len(f.Hashtags) <= o2sound.MaxHashtags, "facts.hashtags", fmt.Sprintf("at most %d hashtags", o2sound.MaxHashtags))
		tags := []string{}
		for i, h := range f.Hashtags {
			h = strings.TrimPrefix(strings.TrimSpace(h), "#")
			n := utf8.RuneCountInString(h)
			ok := n >= 1 && n <= o2sound.MaxHashtagLen && !strings.ContainsFunc(h, func(r rune) bool {
				return unicode.IsSpace(r) || unicode.IsControl(r) || r == '#'
			})
			v.Check(ok, fmt.Sprintf("facts.hashtags[%d]", i), fmt.Sprintf("one word of 1 to %d characters", o2sound.MaxHashtagLen))
			tags = append(tags, h)
		}
		p.Hashtags = tags
	}
}

func hasControl(s string) bool { return strings.ContainsFunc(s, unicode.IsControl) }

func profileFactsEqual(a, b business.Profile) bool {
	return a.Name == b.Name && a.Tagline == b.Tagline && a.Phone == b.Phone && a.Address == b.Address &&
		a.URL == b.URL && slices.Equal(a.Hashtags, b.Hashtags)
}

// checkLyrics validates the owner's words field by field and returns them as lyrics to
// be sung as written (nil when invalid).
func checkLyrics(v *o2sound.Validator, dl *o2sound.DraftLyrics, oldTitle string) *lyrics.Lyrics {
	before := v.Err()
	title := strings.TrimSpace(dl.Title)
	if title == "" {
		title = oldTitle
	}
	v.Check(utf8.RuneCountInString(title) <= lyrics.MaxTitleRunes, "lyrics.title", fmt.Sprintf("at most %d characters", lyrics.MaxTitleRunes))
	n := len(dl.Sections)
	v.Check(n >= 2 && n <= lyrics.MaxSections, "lyrics.sections", fmt.Sprintf("2 to %d sections", lyrics.MaxSections))
	l := &lyrics.Lyrics{Title: title, Source: "owner"}
	var all []string
	chorus := false
	for i, s := range dl.Sections {
		field := fmt.Sprintf("lyrics.sections[%d]", i)
		name := lyrics.CanonicalSection(s.Name)
		v.Check(name != "" && name == strings.ToLower(strings.TrimSpace(s.Name)), field+".name",
			"one of verse, prechorus, chorus, bridge, outro")
		chorus = chorus || name == lyrics.Chorus
		v.Check(len(s.Lines) >= 1 && len(s.Lines) <= lyrics.MaxLinesSection, field+".lines",
			fmt.Sprintf("1 to %d lines", lyrics.MaxLinesSection))
		sec := lyrics.Section{Name: name}
		for j, line := range s.Lines {
			line = strings.TrimSpace(line)
			if err := lyrics.CheckLine(line); err != nil {
				v.Check(false, fmt.Sprintf("%s.lines[%d]", field, j), strings.TrimPrefix(err.Error(), lyrics.ErrInvalid.Error()+": "))
			}
			sec.Lines = append(sec.Lines, line)
			all = append(all, line)
		}
		l.Sections = append(l.Sections, sec)
	}
	v.Check(n == 0 || chorus, "lyrics.sections", "a chorus: the part that comes back")
	if v.Err() != nil && before == nil {
		return nil
	}
	l.Language = lyrics.LanguageOf(all)
	if err := l.Validate(""); err != nil {
		v.Check(false, "lyrics", strings.TrimPrefix(err.Error(), lyrics.ErrInvalid.Error()+": "))
		return nil
	}
	return l
}

// checkStyle validates a style change and returns the genre and tempo it asks for
// (tempo 0: the genre's own).
func checkStyle(v *o2sound.Validator, st *o2sound.StyleChanges, genre string) (string, int) {
	g := genre
	if st.Genre != "" {
		v.Check(slices.Contains(score.Genres(), st.Genre), "style.genre", "one of "+strings.Join(score.Genres(), ", "))
		g = st.Genre
	}
	if st.Mood != "" {
		if !slices.Contains(score.Moods(), st.Mood) {
			v.Check(false, "style.mood", "one of "+strings.Join(score.Moods(), ", "))
		} else if st.Genre != "" {
			v.Check(score.MoodOf(st.Genre) == st.Mood, "style.mood",
				fmt.Sprintf("%s sounds %s; leave the mood out, or the genre", st.Genre, score.MoodOf(st.Genre)))
		} else {
			g = score.GenreForMood(st.Mood, genre)
		}
	}
	if st.Tempo != 0 {
		v.Check(slices.Contains(score.Tempos(), st.Tempo), "style.tempo", fmt.Sprintf("one of %v beats per minute", score.Tempos()))
	}
	return g, st.Tempo
}

// writeRemake lays out the new task's directory and returns its task with the reused
// stages done. Every file of the source is linked in (free, and safe: stages replace
// files by rename and start from a fresh subdirectory); the stages that run replace
// their own.
func (m *Remaker) writeRemake(ctx context.Context, src *draftSource, rp *remakePlan, id, dir string) (*o2sound.Task, error) {
	if err := files.LinkTree(src.dir, dir); err != nil {
		return nil, err
	}
	t := &o2sound.Task{ID: id, OwnerID: src.task.OwnerID, ItemID: src.task.ItemID, URL: src.task.URL, SourceTaskID: src.task.ID,
		Options: o2sound.TaskOptions{Aspect: rp.aspect, Duration: rp.duration}, Stages: map[o2sound.Stage]*o2sound.TaskStage{}}
	done := func(s o2sound.Stage, out engine.Pathed) error {
		engine.Relativize(dir, out)
		raw, err := json.Marshal(out)
		if err != nil {
			return err
		}
		t.Stages[s] = &o2sound.TaskStage{Stage: s, State: o2sound.StageDone, Output: raw}
		return nil
	}

	cr := src.crawl
	cr.Profile = rp.profile
	if err := done(o2sound.StageCrawl, rebase(&cr, src.dir, dir)); err != nil {
		return nil, err
	}

	ly := src.lyrics
	if rp.replan {
		words := rp.words
		if words == nil {
			w := src.words
			words = &w
		}
		out, err := SaveLyrics(rp.profile, words, rp.planOpts, dir)
		if err != nil {
			return nil, err
		}
		out.AsWritten = rp.words != nil || src.lyrics.AsWritten
		ly = out
	} else {
		rebase(&ly, src.dir, dir)
	}
	if err := done(o2sound.StageLyrics, &ly); err != nil {
		return nil, err
	}

	im := src.images
	if rp.imagesChanged {
		im = ImagesOutput{Photos: []PhotoRef{}}
		for _, ph := range rp.photos {
			ref, err := m.linkPhoto(dir, ph)
			if err != nil {
				return nil, err
			}
			im.Photos = append(im.Photos, ref)
		}
		if rp.logo != nil {
			ref, err := m.linkPhoto(dir, *rp.logo)
			if err != nil {
				return nil, err
			}
			im.Logo = &ref
		}
		im.Cards = len(im.Photos) < 3
	} else {
		rebase(&im, src.dir, dir)
	}
	if err := done(o2sound.StageImages, &im); err != nil {
		return nil, err
	}

	var mu MusicOutput
	var vo VideoOutput
	for s, out := range map[o2sound.Stage]engine.Pathed{o2sound.StageMusic: &mu, o2sound.StageVideo: &vo} {
		if rp.run[s] {
			continue
		}
		if err := json.Unmarshal(src.task.Stages[s].Output, out); err != nil {
			return nil, fmt.Errorf("pipeline: stage %s output: %w", s, err)
		}
		engine.Resolve(src.dir, out)
		if err := done(s, rebase(out, src.dir, dir)); err != nil {
			return nil, err
		}
	}
	for _, s := range o2sound.Stages {
		if t.Stages[s] != nil {
			t.Reused = append(t.Reused, s)
		}
	}
	return t, nil
}

// linkPhoto links one of the owner's stored photos into the task's images directory.
func (m *Remaker) linkPhoto(dir string, ph PhotoRef) (PhotoRef, error) {
	stored, err := m.Files.PhotoPath(ph.ID, ph.Format)
	if err != nil {
		return PhotoRef{}, err
	}
	ph.Path = filepath.Join(dir, imagesDir, ph.ID+filepath.Ext(stored))
	if err := files.LinkFile(stored, ph.Path); err != nil {
		return PhotoRef{}, err
	}
	return ph, nil
}

// rebase moves out's absolute paths from the source's directory to the new one, where
// LinkTree put the same files.
func rebase(out engine.Pathed, from, to string) engine.Pathed {
	for _, p := range out.Paths() {
		if rel, err := filepath.Rel(from, *p); err == nil && filepath.IsAbs(*p) && !strings.HasPrefix(rel, "..") {
			*p = filepath.Join(to, rel)
		}
	}
	return out
}

// Service is the workflow as the API uses it: the engine's tasks, and drafts and
// re-makes of them.
type Service struct {
	*engine.Engine
	*Remaker
}

// NewService serves e's tasks, with drafts and re-makes from db and fs.
func NewService(e *engine.Engine, db *store.DB, fs *files.Store, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{Engine: e, Remaker: &Remaker{Engine: e, DB: db, Files: fs, Log: log}}
}
