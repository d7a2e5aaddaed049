package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"reflect"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/o2sound/o2sound/internal/library"
	"github.com/o2sound/o2sound/internal/lyrics"
	"github.com/o2sound/o2sound/internal/music/score"
	"github.com/o2sound/o2sound/internal/o2sound"
)

// PhotoPath is where one of the owner's photos is served.
func PhotoPath(id string) string { return "/moviemaker/photos/" + id }

type draftPhotoBody struct {
	PhotoID string `json:"photo_id"`
	URL     string `json:"url" example:"/moviemaker/photos/0193a1b2-…"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
	Source  string `json:"source" enum:"site,upload"`
}

type draftLogoBody struct {
	PhotoID string `json:"photo_id"`
	URL     string `json:"url"`
}

type draftChoices struct {
	Genres             []string          `json:"genres"`
	Moods              []string          `json:"moods"`
	GenreMoods         map[string]string `json:"genre_moods" doc:"The mood each genre sounds; a re-make's genre and mood must agree"`
	Tempos             []int             `json:"tempos"`
	Aspects            []string          `json:"aspects"`
	MinDuration        int               `json:"min_duration"`
	MaxDuration        int               `json:"max_duration"`
	MaxPhotos          int               `json:"max_photos"`
	MaxSections        int               `json:"max_sections"`
	MaxLinesPerSection int               `json:"max_lines_per_section"`
	MinLineSyllables   int               `json:"min_line_syllables"`
	MaxLineSyllables   int               `json:"max_line_syllables"`
	SectionNames       []string          `json:"section_names"`
}

// DraftBody is a task's draft as clients see it.
type DraftBody struct {
	TaskID   string              `json:"task_id"`
	Facts    o2sound.Facts       `json:"facts"`
	Lyrics   o2sound.DraftLyrics `json:"lyrics"`
	Photos   []draftPhotoBody    `json:"photos" doc:"In video order"`
	Logo     *draftLogoBody      `json:"logo" doc:"null when the video has no logo"`
	Style    o2sound.Style       `json:"style"`
	Aspect   string              `json:"aspect" enum:"16:9,9:16,1:1"`
	Duration float64             `json:"duration"`
	Choices  draftChoices        `json:"choices" doc:"What a re-make may ask for"`
}

func draftBodyOf(d *o2sound.Draft) DraftBody {
	b := DraftBody{TaskID: d.TaskID, Facts: d.Facts, Lyrics: d.Lyrics, Photos: []draftPhotoBody{}, Style: d.Style,
		Aspect: d.Aspect, Duration: d.Duration, Choices: choices()}
	if b.Facts.Hashtags == nil {
		b.Facts.Hashtags = []string{}
	}
	for _, p := range d.Photos {
		b.Photos = append(b.Photos, draftPhotoBody{PhotoID: p.PhotoID, URL: PhotoPath(p.PhotoID), Width: p.Width, Height: p.Height, Source: p.Source})
	}
	if d.Logo != nil {
		b.Logo = &draftLogoBody{PhotoID: d.Logo.PhotoID, URL: PhotoPath(d.Logo.PhotoID)}
	}
	return b
}

func choices() draftChoices {
	gm := map[string]string{}
	for _, g := range score.Genres() {
		gm[g] = score.MoodOf(g)
	}
	return draftChoices{Genres: score.Genres(), Moods: score.Moods(), GenreMoods: gm, Tempos: score.Tempos(), Aspects: []string{"16:9", "9:16", "1:1"},
		MinDuration: 15, MaxDuration: 90, MaxPhotos: o2sound.MaxDraftPhotos, MaxSections: lyrics.MaxSections,
		MaxLinesPerSection: lyrics.MaxLinesSection, MinLineSyllables: lyrics.MinLineSyllables, MaxLineSyllables: lyrics.MaxLineSyllables,
		SectionNames: []string{lyrics.Verse, lyrics.PreChorus, lyrics.Chorus, lyrics.Bridge, lyrics.Outro}}
}

type draftOutput struct{ Body DraftBody }

type factsInput struct {
	Name     *string  `json:"name,omitempty" maxLength:"200"`
	Tagline  *string  `json:"tagline,omitempty" maxLength:"500"`
	Phone    *string  `json:"phone,omitempty" maxLength:"40"`
	Address  *string  `json:"address,omitempty" maxLength:"500"`
	Website  *string  `json:"website,omitempty" maxLength:"2048"`
	Hashtags []string `json:"hashtags,omitempty" maxItems:"50"`
}

type lyricsInput struct {
	Title    string `json:"title,omitempty" maxLength:"200"`
	Sections []struct {
		Name  string   `json:"name" maxLength:"20"`
		Lines []string `json:"lines" maxItems:"20"`
	} `json:"sections" maxItems:"20"`
}

type styleInput struct {
	Genre string `json:"genre,omitempty" maxLength:"40"`
	Mood  string `json:"mood,omitempty" maxLength:"40"`
	Tempo int    `json:"tempo,omitempty" minimum:"0" maximum:"400"`
}

type remakeInput struct {
	Body struct {
		TaskID   string       `json:"task_id" maxLength:"64"`
		Facts    *factsInput  `json:"facts,omitempty" doc:"Fields given replace those facts"`
		Lyrics   *lyricsInput `json:"lyrics,omitempty" doc:"The whole text, sung as written"`
		Photos   []string     `json:"photos,omitempty" maxItems:"60" doc:"The whole ordered list of your photo ids (1–30)"`
		Logo     *string      `json:"logo,omitempty" maxLength:"64" doc:"A photo id; empty removes the logo"`
		Style    *styleInput  `json:"style,omitempty"`
		Aspect   string       `json:"aspect,omitempty" enum:"16:9,9:16,1:1"`
		Duration float64      `json:"duration,omitempty" minimum:"15" maximum:"90"`
	}
}

type remakeOutput struct {
	Body struct {
		TaskID   string          `json:"task_id"`
		Progress map[string]bool `json:"progress"`
		State    string          `json:"state"`
		Reused   []string        `json:"reused" doc:"Stages taken from the source task; they do not run"`
	}
}

func (in *remakeInput) changes() o2sound.DraftChanges {
	b := in.Body
	ch := o2sound.DraftChanges{Photos: b.Photos, Logo: b.Logo, Aspect: b.Aspect, Duration: b.Duration}
	if f := b.Facts; f != nil {
		ch.Facts = &o2sound.FactChanges{Name: f.Name, Tagline: f.Tagline, Phone: f.Phone, Address: f.Address, Website: f.Website, Hashtags: f.Hashtags}
	}
	if l := b.Lyrics; l != nil {
		ch.Lyrics = &o2sound.DraftLyrics{Title: l.Title, Sections: []o2sound.DraftSection{}}
		for _, s := range l.Sections {
			ch.Lyrics.Sections = append(ch.Lyrics.Sections, o2sound.DraftSection{Name: s.Name, Lines: s.Lines})
		}
	}
	if st := b.Style; st != nil {
		ch.Style = &o2sound.StyleChanges{Genre: st.Genre, Mood: st.Mood, Tempo: st.Tempo}
	}
	return ch
}

type photoBody struct {
	PhotoID string `json:"photo_id"`
	URL     string `json:"url"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
}

type uploadBody struct {
	Photos []photoBody `json:"photos"`
}

type photoIDInput struct {
	PhotoID string `path:"photo_id" maxLength:"64"`
}

type deletePhotoOutput struct {
	Body struct {
		Success bool   `json:"success"`
		PhotoID string `json:"photo_id"`
	}
}

func (s *Server) registerRemake() {
	huma.Register(s.api, huma.Operation{
		OperationID: "task-draft", Method: http.MethodPost, Path: "/moviemaker/draft",
		Summary: "What a task's video is made from, to review and edit", Tags: []string{"Moviemaker"}, Security: sessionSecurity,
		Description: "Facts, lyrics, photos (in video order), logo, style, shape and length, once the task's crawl, lyrics and " +
			"photos are done. TASK_001 (404) for another user's task; TASK_004 (409) when there is no draft yet, or the task " +
			"failed, was cancelled or its video was deleted.",
	}, func(ctx context.Context, in *taskIDInput) (*draftOutput, error) {
		u, err := s.CurrentUser(ctx)
		if err != nil {
			return nil, err
		}
		d, err := s.Workflow.Draft(ctx, u.ID, in.Body.TaskID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &draftOutput{Body: draftBodyOf(d)}, nil
	})

	huma.Register(s.api, huma.Operation{
		OperationID: "remake", Method: http.MethodPost, Path: "/moviemaker/remake",
		Summary: "Make a task's video again with changes", Tags: []string{"Moviemaker"}, Security: sessionSecurity,
		Description: "Starts a new task that reuses the source task's finished stages and runs only what the changes need: " +
			"lyrics → music, video, merge (sung as written); photos, logo or facts → video, merge; style or duration → music, " +
			"video, merge; aspect → video, merge; no change → merge (music and video too when continuing a task in review). " +
			"The site is not fetched again; the source task and its video stay. Absent fields keep the source's value. " +
			"TASK_001 (404), TASK_004 (409) no draft, PHOTO_001 (404) a photo that is not yours, REQ_001 (422) with " +
			"details.fields (e.g. lyrics.sections[1].lines[2]), TASK_003 (429).",
	}, func(ctx context.Context, in *remakeInput) (*remakeOutput, error) {
		u, err := s.CurrentUser(ctx)
		if err != nil {
			return nil, err
		}
		t, err := s.Workflow.Remake(ctx, u.ID, in.Body.TaskID, in.changes())
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &remakeOutput{}
		out.Body.TaskID, out.Body.Progress, out.Body.State = t.ID, o2sound.ProgressOf(t, time.Now()).Flags, t.State
		out.Body.Reused = stageNames(t.Reused)
		return out, nil
	})

	s.mux.HandleFunc("POST /moviemaker/photos", s.uploadPhotos)
	s.api.OpenAPI().AddOperation(&huma.Operation{
		OperationID: "upload-photos", Method: http.MethodPost, Path: "/moviemaker/photos",
		Summary: "Upload photos for your videos", Tags: []string{"Moviemaker"}, Security: sessionSecurity,
		Description: fmt.Sprintf("multipart/form-data with one or more `file` parts: JPEG, PNG or WebP, at most %d files of %d MiB, "+
			"%d MB in all, %d uploaded photos per account. All or nothing: a refused file is named in details {file, index} and "+
			"nothing is stored. PHOTO_002 (422) not a JPEG, PNG or WebP (SVG, text, HEIC); PHOTO_003 (422) damaged or truncated; "+
			"PHOTO_004 (422) over 40 megapixels or under 240 px on a side; PHOTO_005 (413) too large; PHOTO_006 (409) quota; "+
			"REQ_002 (400/415) not multipart or no file part. Photos are turned upright (EXIF) and re-encoded.",
			library.MaxUploadFiles, library.MaxUploadFileBytes>>20, library.MaxUploadBytes/1_000_000, library.MaxUploadsPerUser),
		RequestBody: &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{"multipart/form-data": {
			Schema: &huma.Schema{Type: "object", Properties: map[string]*huma.Schema{
				"file": {Type: "array", Items: &huma.Schema{Type: "string", Format: "binary"}}}, Required: []string{"file"}}}}},
		Responses: map[string]*huma.Response{"201": {Description: "The stored photos", Content: map[string]*huma.MediaType{
			"application/json": {Schema: s.api.OpenAPI().Components.Schemas.Schema(reflect.TypeFor[uploadBody](), true, "UploadBody")}}}},
	})

	s.mux.HandleFunc("GET /moviemaker/photos/{photo_id}", s.servePhoto)
	s.api.OpenAPI().AddOperation(&huma.Operation{
		OperationID: "get-photo", Method: http.MethodGet, Path: "/moviemaker/photos/{photo_id}",
		Summary: "One of your photos", Tags: []string{"Moviemaker"}, Security: sessionSecurity,
		Description: "The image (JPEG or PNG); owner only: PHOTO_001 (404) otherwise.",
		Parameters:  []*huma.Param{{Name: "photo_id", In: "path", Required: true, Schema: &huma.Schema{Type: "string"}}},
		Responses: map[string]*huma.Response{"200": {Description: "The image", Content: map[string]*huma.MediaType{
			"image/jpeg": {}, "image/png": {}}}},
	})

	huma.Register(s.api, huma.Operation{
		OperationID: "delete-photo", Method: http.MethodDelete, Path: "/moviemaker/photos/{photo_id}",
		Summary: "Delete one of your photos", Tags: []string{"Moviemaker"}, Security: sessionSecurity,
		Description: "Videos already made or being made keep their copy. PHOTO_001 (404) for another user's photo.",
	}, func(ctx context.Context, in *photoIDInput) (*deletePhotoOutput, error) {
		u, err := s.CurrentUser(ctx)
		if err != nil {
			return nil, err
		}
		if err := s.Library.DeletePhoto(ctx, u.ID, in.PhotoID); err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &deletePhotoOutput{}
		out.Body.Success, out.Body.PhotoID = true, in.PhotoID
		return out, nil
	})
}

func stageNames(ss []o2sound.Stage) []string {
	names := make([]string, 0, len(ss))
	for _, s := range ss {
		names = append(names, string(s))
	}
	return names
}

// uploadPhotos reads a multipart upload part by part within the limits, so an
// oversized request is refused without being held in memory, and stores the photos.
func (s *Server) uploadPhotos(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u, err := s.CurrentUser(ctx)
	if err != nil {
		writeError(w, r, s.Logger, err)
		return
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		writeErrorBody(w, newErrorBody(http.StatusUnsupportedMediaType, o2sound.CodeBadRequest,
			"send the photos as multipart/form-data with one or more file parts", nil))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, library.MaxUploadBytes)
	mr, err := r.MultipartReader()
	if err != nil {
		writeErrorBody(w, newErrorBody(http.StatusBadRequest, o2sound.CodeBadRequest, "malformed multipart body: "+err.Error(), nil))
		return
	}
	var ups []library.Upload
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			writeUploadReadError(w, err)
			return
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		if len(ups) == library.MaxUploadFiles {
			writeErrorBody(w, newErrorBody(http.StatusUnprocessableEntity, o2sound.CodeValidation,
				fmt.Sprintf("at most %d photos per upload", library.MaxUploadFiles), map[string]any{"fields": []o2sound.FieldError{
					{Field: "file", Message: fmt.Sprintf("at most %d files", library.MaxUploadFiles)}}}))
			return
		}
		data, err := io.ReadAll(io.LimitReader(part, library.MaxUploadFileBytes+1))
		part.Close()
		if err != nil {
			writeUploadReadError(w, err)
			return
		}
		name := part.FileName()
		if name == "" {
			name = fmt.Sprintf("file %d", len(ups)+1)
		}
		ups = append(ups, library.Upload{Name: name, Data: data})
	}
	if len(ups) == 0 {
		writeErrorBody(w, newErrorBody(http.StatusBadRequest, o2sound.CodeBadRequest, "no file part: send each photo as a part named file", nil))
		return
	}
	photos, err := s.Library.UploadPhotos(ctx, u.ID, ups)
	if err != nil {
		writeError(w, r, s.Logger, err)
		return
	}
	out := uploadBody{Photos: []photoBody{}}
	for _, p := range photos {
		out.Photos = append(out.Photos, photoBody{PhotoID: p.ID, URL: PhotoPath(p.ID), Width: p.Width, Height: p.Height})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(out)
}

// writeUploadReadError answers a body that could not be read: too large, or broken.
func writeUploadReadError(w http.ResponseWriter, err error) {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		writeErrorBody(w, newErrorBody(http.StatusRequestEntityTooLarge, o2sound.CodePhotoTooLarge,
			fmt.Sprintf("an upload is at most %d MB in all", library.MaxUploadBytes/1_000_000), nil))
		return
	}
	writeErrorBody(w, newErrorBody(http.StatusBadRequest, o2sound.CodeBadRequest, "malformed multipart body: "+err.Error(), nil))
}

// servePhoto sends one of the owner's photos.
func (s *Server) servePhoto(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u, err := s.CurrentUser(ctx)
	if err != nil {
		writeError(w, r, s.Logger, err)
		return
	}
	p, path, err := s.Library.Photo(ctx, u.ID, r.PathValue("photo_id"))
	if err != nil {
		writeError(w, r, s.Logger, err)
		return
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		writeError(w, r, s.Logger, &o2sound.Error{Code: o2sound.CodePhotoNotFound, Message: "photo not found"})
		return
	}
	if err != nil {
		writeError(w, r, s.Logger, fmt.Errorf("api: open photo %s: %w", p.ID, err))
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		writeError(w, r, s.Logger, fmt.Errorf("api: stat photo %s: %w", p.ID, err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/"+p.Format)
	// A photo id never changes content; the session decides who may see it.
	h.Set("Cache-Control", "private, max-age=86400")
	h.Set("ETag", `"`+p.ID+`"`)
	hold := &errorHold{ResponseWriter: w}
	http.ServeContent(hold, r, "", st.ModTime(), f)
	hold.answer(streamErrorBody(hold.held), "Content-Length")
}
