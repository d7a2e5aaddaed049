package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/o2sound/o2sound/internal/files"
	"github.com/o2sound/o2sound/internal/o2sound"
)

// StreamPath is where a video's public file name streams from.
func StreamPath(name string) string { return "/user/video/" + name }

type videoBody struct {
	ID            string    `json:"id"`
	Title         string    `json:"title"`
	Description   string    `json:"description"`
	URL           string    `json:"url" example:"/user/video/4f0c2a9e8b7d6c5b4a39281706f5e4d3.mp4"`
	IsUploaded    bool      `json:"is_uploaded" doc:"true once the file is stored and streamable"`
	DownloadCount int64     `json:"download_count"`
	Resolution    string    `json:"resolution" example:"1920x1080"`
	Status        string    `json:"status" enum:"processing,completed,failed"`
	ThumbnailURL  string    `json:"thumbnail_url"`
	Duration      float64   `json:"duration" doc:"seconds"`
	ItemID        string    `json:"item_id,omitempty" doc:"The business; the versions of a business's video share it"`
	TaskID        string    `json:"task_id,omitempty" doc:"The task that made it: its draft is the start of a re-make"`
	CaptionsURL   string    `json:"captions_url,omitempty" doc:"WebVTT of the sung lines; the same name ending in .srt is SubRip"`
	CreatedAt     time.Time `json:"created_at"`
}

// VideoBodyOf is a video as the API shows it.
func VideoBodyOf(v *o2sound.Video) videoBody {
	b := videoBody{ID: v.ID, Title: v.Title, Description: v.Description, URL: StreamPath(v.Filename),
		IsUploaded: v.Status == o2sound.VideoCompleted, DownloadCount: v.DownloadCount, Resolution: v.Resolution,
		Status: v.Status, Duration: v.Duration, ItemID: v.ItemID, TaskID: v.TaskID, CreatedAt: v.CreatedAt}
	if v.ThumbnailName != "" {
		b.ThumbnailURL = StreamPath(v.ThumbnailName)
	}
	if v.CaptionsName != "" {
		b.CaptionsURL = StreamPath(v.CaptionsName)
	}
	return b
}

type listVideosInput struct{ Body *ListRequest }

type listVideosOutput struct {
	Body struct {
		TotalCount int         `json:"total_count"`
		Videos     []videoBody `json:"videos"`
		PageInfo
	}
}

type deleteVideoInput struct {
	Body struct {
		UserID  string `json:"user_id,omitempty" maxLength:"64" example:"testuser" doc:"Optional; must be the signed-in user's user_id"`
		VideoID string `json:"video_id" maxLength:"64"`
	}
}

type deleteVideoOutput struct {
	Body struct {
		Message string `json:"message" example:"비디오가 성공적으로 삭제되었습니다"`
		VideoID string `json:"video_id"`
	}
}

func (s *Server) registerVideos() {
	huma.Register(s.api, huma.Operation{
		OperationID: "list-videos", Method: http.MethodPost, Path: "/user/videos",
		Summary: "The signed-in user's videos, newest first", Tags: []string{"Videos"}, Security: sessionSecurity,
	}, func(ctx context.Context, in *listVideosInput) (*listVideosOutput, error) {
		out := &listVideosOutput{}
		var err error
		out.Body.Videos, out.Body.TotalCount, out.Body.PageInfo, err = listOwned(ctx, s, in.Body, s.Library.Videos, VideoBodyOf)
		return out, err
	})

	huma.Register(s.api, huma.Operation{
		OperationID: "delete-video", Method: http.MethodDelete, Path: "/user/video/delete",
		Summary: "Delete a video and its file", Tags: []string{"Videos"}, Security: sessionSecurity,
		Description: "The stream URL answers 404 at once. Another user's video is VIDEO_001 (404).",
	}, func(ctx context.Context, in *deleteVideoInput) (*deleteVideoOutput, error) {
		u, err := s.CurrentUser(ctx)
		if err != nil {
			return nil, err
		}
		if err := checkSelfLogin(u, in.Body.UserID); err != nil {
			return nil, s.fail(ctx, err)
		}
		if err := s.Library.DeleteVideo(ctx, u.ID, in.Body.VideoID); err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &deleteVideoOutput{}
		out.Body.Message = "비디오가 성공적으로 삭제되었습니다"
		out.Body.VideoID = in.Body.VideoID
		return out, nil
	})

	s.mux.HandleFunc("GET /user/video/{filename}", s.streamVideo)
	s.api.OpenAPI().AddOperation(&huma.Operation{
		OperationID: "stream-video", Method: http.MethodGet, Path: "/user/video/{filename}",
		Summary: "Stream or download a video (or its thumbnail)", Tags: []string{"Videos"},
		Description: "No session needed: the file name carries 128 random bits and works as a share link. " +
			"Supports HEAD, Range (206/416), ETag and Last-Modified. Add ?download=1 to save it as a file. " +
			"Unknown names answer 404 with {\"detail\": \"Video not found\"} inside the error envelope.",
		Parameters: []*huma.Param{{Name: "filename", In: "path", Required: true, Schema: &huma.Schema{Type: "string", Pattern: streamNamePattern.String()}}},
		Responses: map[string]*huma.Response{
			"200": {Description: "The file", Content: map[string]*huma.MediaType{"video/mp4": {}, "image/jpeg": {}}},
			"206": {Description: "Part of the file"},
			"404": {Description: "No such video", Content: map[string]*huma.MediaType{"application/json": {Schema: &huma.Schema{Ref: "#/components/schemas/ErrorBody"}}}},
			"416": {Description: "Range not satisfiable"},
		},
	})
	s.api.OpenAPI().Components.Schemas.Schema(reflectType[ErrorBody](), true, "ErrorBody")
}

// streamNamePattern is the shape of every name O2Sound gives a stored file.
var streamNamePattern = regexp.MustCompile(`^[0-9a-f]{32}\.(mp4|jpg|vtt|srt)$`)

// streamTypes are the Content-Types of the stored files.
var streamTypes = map[files.Kind]string{
	files.VideoFile: "video/mp4", files.ThumbnailFile: "image/jpeg",
	files.CaptionsVTT: "text/vtt; charset=utf-8", files.CaptionsSRT: "application/x-subrip; charset=utf-8",
}

func videoNotFound() *ErrorBody {
	eb := newErrorBody(http.StatusNotFound, o2sound.CodeVideoNotFound, "Video not found", nil)
	eb.Detail = "Video not found"
	return eb
}

// streamVideo serves a stored file by looking its name up in the database and opening
// the path built from the video's id; the name never touches the file system.
func (s *Server) streamVideo(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("filename")
	if !streamNamePattern.MatchString(name) {
		writeErrorBody(w, videoNotFound())
		return
	}
	v, kind, err := s.Library.StreamFile(r.Context(), name)
	if err != nil {
		if o2sound.ErrorCode(err) == o2sound.CodeVideoNotFound {
			writeErrorBody(w, videoNotFound())
			return
		}
		writeError(w, r, s.Logger, err)
		return
	}
	f, err := s.Library.Files().OpenVideo(v.ID, kind)
	if errors.Is(err, os.ErrNotExist) {
		writeErrorBody(w, videoNotFound())
		return
	}
	if err != nil {
		writeError(w, r, s.Logger, fmt.Errorf("api: open video %s: %w", v.ID, err))
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		writeError(w, r, s.Logger, fmt.Errorf("api: stat video %s: %w", v.ID, err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", streamTypes[kind])
	h.Set("ETag", fmt.Sprintf(`"%s-%d-%d"`, v.ID[:8], st.Size(), st.ModTime().UnixNano()))
	h.Set("Cache-Control", "private, no-cache")
	if r.URL.Query().Has("download") {
		h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="o2sound-%s.%s"`, v.ID[:8], kind))
	} else {
		h.Set("Content-Disposition", "inline")
	}
	hold := &errorHold{ResponseWriter: w}
	if kind == files.VideoFile && r.Method == http.MethodGet && startsAtZero(r.Header.Get("Range")) {
		// A download is a GET from byte 0 that is answered with bytes: not a 304
		// revalidation, nor a refused precondition or range.
		hold.passed = func(status int) {
			if status != http.StatusOK && status != http.StatusPartialContent {
				return
			}
			if err := s.Library.CountDownload(r.Context(), v); err != nil {
				s.Logger.WarnContext(r.Context(), "count download", "video", v.ID, "err", err)
			}
		}
	}
	http.ServeContent(hold, r, "", st.ModTime(), f)
	hold.answer(streamErrorBody(hold.held), "Content-Disposition", "Content-Length")
}

// streamErrorBody is the envelope for an error http.ServeContent chose: 416 for a
// Range outside the file (its Content-Range, which tells the size, is kept), 412 for
// a failed precondition.
func streamErrorBody(status int) *ErrorBody {
	switch status {
	case http.StatusRequestedRangeNotSatisfiable:
		return newErrorBody(status, o2sound.CodeRange, "the requested range is outside the file (its size is in Content-Range)", nil)
	case http.StatusPreconditionFailed:
		return newErrorBody(status, o2sound.CodePrecondition, "the file changed: If-Match or If-Unmodified-Since does not hold", nil)
	}
	return internalErrorBody()
}

// startsAtZero reports whether a request reads from the first byte: no Range, or a
// range beginning at 0. Players fetch a video in many ranges; only the first counts.
func startsAtZero(rng string) bool {
	if rng == "" {
		return true
	}
	spec, ok := strings.CutPrefix(rng, "bytes=")
	return ok && strings.HasPrefix(strings.TrimSpace(spec), "0-")
}
