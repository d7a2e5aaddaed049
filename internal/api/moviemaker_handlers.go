package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/coder/websocket"
	"github.com/danielgtaylor/huma/v2"

	"github.com/o2sound/o2sound/internal/o2sound"
)

// Workflow is what the moviemaker endpoints need from the workflow engine.
type Workflow interface {
	StartTask(ctx context.Context, ownerID, rawURL string, opts o2sound.TaskOptions) (*o2sound.Task, error)
	Task(ctx context.Context, ownerID, id string) (*o2sound.Task, error)
	Tasks(ctx context.Context, ownerID string, page o2sound.Page) ([]*o2sound.Task, int, error)
	Cancel(ctx context.Context, ownerID, id string) (*o2sound.Task, error)
	Subscribe(taskID string) (<-chan struct{}, func())
	Draft(ctx context.Context, ownerID, taskID string) (*o2sound.Draft, error)
	Remake(ctx context.Context, ownerID, taskID string, ch o2sound.DraftChanges) (*o2sound.Task, error)
}

// Default and allowed video options (documented in the README).
const (
	defaultAspect   = "16:9"
	defaultDuration = 30
)

type startInput struct {
	Body struct {
		URL      string  `json:"url" maxLength:"2048" example:"https://bluemoon.cafe" doc:"The business's website (http or https)"`
		Aspect   string  `json:"aspect,omitempty" enum:"16:9,9:16,1:1" doc:"Video shape (default 16:9)"`
		Duration float64 `json:"duration,omitempty" minimum:"15" maximum:"90" doc:"Song and video length in seconds (default 30)"`
		Review   bool    `json:"review,omitempty" doc:"Stop after the site, lyrics and photos (state review) for the owner to check them; continue with POST /moviemaker/remake"`
	}
}

type taskIDInput struct {
	Body struct {
		TaskID string `json:"task_id" maxLength:"64" example:"f47ac10b-58cc-4372-a567-0e02b2c3d479"`
	}
}

type stageView struct {
	Stage   string  `json:"stage" example:"video"`
	Key     string  `json:"key" example:"movies" doc:"The seed's progress key for this stage"`
	State   string  `json:"state" enum:"pending,queued,running,done,failed,cancelled"`
	Percent float64 `json:"percent"`
	Note    string  `json:"note,omitempty" example:"built-in writer (LLM timed out)" doc:"How a finished stage went, when the owner should know (a fallback taken)"`
}

type taskError struct {
	Stage        string `json:"stage"`
	ErrorCode    string `json:"error_code"`
	ErrorMessage string `json:"error_message"`
}

type taskVideo struct {
	ID           string `json:"id"`
	URL          string `json:"url"`
	ThumbnailURL string `json:"thumbnail_url,omitempty"`
	CaptionsURL  string `json:"captions_url,omitempty" doc:"WebVTT of the sung lines; the same name ending in .srt is SubRip"`
}

// TaskView is a task as clients see it: the seed's {task_id, progress} plus state,
// stages, percent, ETA, the error when failed and the video when done.
type TaskView struct {
	TaskID        string          `json:"task_id"`
	Progress      map[string]bool `json:"progress" doc:"The seed's six stage flags: metadata, lyrics, songs, images, movies, combined"`
	State         string          `json:"state" enum:"queued,running,review,completed,failed,cancelled"`
	Review        bool            `json:"review" doc:"Started for review: it stops in state review after the site, lyrics and photos"`
	SourceTaskID  string          `json:"source_task_id,omitempty" doc:"The task this one re-makes"`
	Reused        []string        `json:"reused" doc:"Stages taken from the source task; they did not run"`
	Remade        bool            `json:"remade" doc:"A newer task re-makes this one"`
	URL           string          `json:"url"`
	Aspect        string          `json:"aspect"`
	Duration      float64         `json:"duration"`
	Stages        []stageView     `json:"stages"`
	CurrentStages []string        `json:"current_stages"`
	Percent       float64         `json:"percent"`
	ETASeconds    *int            `json:"eta_seconds,omitempty"`
	Error         *taskError      `json:"error,omitempty"`
	Video         *taskVideo      `json:"video,omitempty"`
	ItemID        string          `json:"item_id,omitempty"`
	CreatedAt     time.Time       `json:"created_at"`
}

func (s *Server) taskViewOf(ctx context.Context, t *o2sound.Task) TaskView {
	var typical o2sound.StageTimes
	if s.StageTimes != nil {
		typical = s.StageTimes(ctx)
	}
	p := o2sound.EstimateProgress(t, time.Now(), typical)
	v := TaskView{TaskID: t.ID, Progress: p.Flags, State: t.State, URL: t.URL, Aspect: t.Options.Aspect, Duration: t.Options.Duration,
		Percent: p.Percent, ItemID: t.ItemID, CreatedAt: t.CreatedAt, CurrentStages: []string{},
		Review: t.Options.Review, SourceTaskID: t.SourceTaskID, Reused: stageNames(t.Reused), Remade: t.Remade}
	for _, s := range o2sound.Stages {
		sv := stageView{Stage: string(s), Key: s.ProgressKey(), State: o2sound.StagePending}
		if st := t.Stages[s]; st != nil {
			sv.State, sv.Percent, sv.Note = st.State, st.Percent, st.Note
			if st.State == o2sound.StageDone {
				sv.Percent = 100
			}
		}
		v.Stages = append(v.Stages, sv)
	}
	for _, s := range p.Current {
		v.CurrentStages = append(v.CurrentStages, string(s))
	}
	if p.ETA > 0 {
		secs := int(p.ETA.Seconds())
		v.ETASeconds = &secs
	}
	if t.State == o2sound.TaskFailed {
		v.Error = &taskError{Stage: t.ErrorStage, ErrorCode: t.ErrorCode, ErrorMessage: t.ErrorMessage}
	}
	if t.State == o2sound.TaskCompleted {
		v.Video = &taskVideo{ID: t.VideoID, URL: StreamPath(t.VideoFilename), ThumbnailURL: StreamPath(t.ThumbnailFilename)}
		// The captions' name is the video row's (chosen when it was stored).
		if vid, err := s.Library.Video(ctx, t.OwnerID, t.VideoID); err == nil && vid.CaptionsName != "" {
			v.Video.CaptionsURL = StreamPath(vid.CaptionsName)
		}
	}
	return v
}

type startOutput struct {
	Body struct {
		TaskID   string          `json:"task_id"`
		Progress map[string]bool `json:"progress"`
		State    string          `json:"state"`
	}
}

type taskOutput struct{ Body TaskView }

type listTasksInput struct {
	Page     int `query:"page" minimum:"1" maximum:"1000000"`
	PageSize int `query:"page_size" minimum:"1" maximum:"100"`
}

type listTasksOutput struct {
	Body struct {
		TotalCount int        `json:"total_count"`
		Tasks      []TaskView `json:"tasks"`
		PageInfo
	}
}

func (s *Server) registerMoviemaker() {
	huma.Register(s.api, huma.Operation{
		OperationID: "start-workflow", Method: http.MethodPost, Path: "/moviemaker/start-workflow",
		Summary: "Start making a video from a website", Tags: []string{"Moviemaker"}, Security: sessionSecurity,
		Description: "Checks the URL (http/https, a public address) before anything is created, then queues the task. " +
			"Optional `aspect` (16:9, 9:16, 1:1) and `duration` (15–90 s). TASK_003 (429) when too many tasks are waiting.",
	}, func(ctx context.Context, in *startInput) (*startOutput, error) {
		u, err := s.CurrentUser(ctx)
		if err != nil {
			return nil, err
		}
		if !o2sound.ValidWebURL(in.Body.URL) {
			return nil, s.fail(ctx, o2sound.ValidationError(o2sound.FieldError{Field: "url", Message: "an http:// or https:// address of a website"}))
		}
		opts := o2sound.TaskOptions{Aspect: in.Body.Aspect, Duration: in.Body.Duration, Review: in.Body.Review}
		if opts.Aspect == "" {
			opts.Aspect = defaultAspect
		}
		if opts.Duration == 0 {
			opts.Duration = defaultDuration
		}
		t, err := s.Workflow.StartTask(ctx, u.ID, in.Body.URL, opts)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &startOutput{}
		out.Body.TaskID, out.Body.Progress, out.Body.State = t.ID, o2sound.ProgressOf(t, time.Now()).Flags, t.State
		return out, nil
	})

	huma.Register(s.api, huma.Operation{
		OperationID: "task-progress", Method: http.MethodPost, Path: "/moviemaker/progress",
		Summary: "Progress of a task", Tags: []string{"Moviemaker"}, Security: sessionSecurity,
		Description: "Another user's task is TASK_001 (404).",
	}, func(ctx context.Context, in *taskIDInput) (*taskOutput, error) {
		u, err := s.CurrentUser(ctx)
		if err != nil {
			return nil, err
		}
		t, err := s.Workflow.Task(ctx, u.ID, in.Body.TaskID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &taskOutput{Body: s.taskViewOf(ctx, t)}, nil
	})

	huma.Register(s.api, huma.Operation{
		OperationID: "cancel-task", Method: http.MethodPost, Path: "/moviemaker/cancel",
		Summary: "Cancel a task", Tags: []string{"Moviemaker"}, Security: sessionSecurity,
		Description: "The running stage stops within a second and its files are removed (a task waiting for review too). TASK_002 (409) when the task already ended.",
	}, func(ctx context.Context, in *taskIDInput) (*taskOutput, error) {
		u, err := s.CurrentUser(ctx)
		if err != nil {
			return nil, err
		}
		t, err := s.Workflow.Cancel(ctx, u.ID, in.Body.TaskID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &taskOutput{Body: s.taskViewOf(ctx, t)}, nil
	})

	huma.Register(s.api, huma.Operation{
		OperationID: "list-tasks", Method: http.MethodGet, Path: "/moviemaker/tasks",
		Summary: "The signed-in user's tasks, newest first", Tags: []string{"Moviemaker"}, Security: sessionSecurity,
		Description: "One page at a time: `page` (default 1) and `page_size` (default 20, at most 100).",
	}, func(ctx context.Context, in *listTasksInput) (*listTasksOutput, error) {
		u, err := s.CurrentUser(ctx)
		if err != nil {
			return nil, err
		}
		// Always one page (20 by default): tasks pile up with every video made.
		pg, paged := PageRequest{Page: max(in.Page, 1), PageSize: in.PageSize}.page()
		tasks, total, err := s.Workflow.Tasks(ctx, u.ID, pg)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &listTasksOutput{}
		out.Body.TotalCount = total
		out.Body.Tasks = make([]TaskView, 0, len(tasks))
		for _, t := range tasks {
			out.Body.Tasks = append(out.Body.Tasks, s.taskViewOf(ctx, t))
		}
		out.Body.PageInfo = pageInfoOf(pg, paged, total)
		return out, nil
	})

	s.mux.HandleFunc("GET /ws/progress/{task_id}", s.progressSocket)
	s.api.OpenAPI().AddOperation(&huma.Operation{
		OperationID: "progress-websocket", Method: http.MethodGet, Path: "/ws/progress/{task_id}",
		Summary: "Live progress (WebSocket)", Tags: []string{"Moviemaker"}, Security: sessionSecurity,
		Description: "Upgrade to a WebSocket. Sends the task (as POST /moviemaker/progress answers) at once and on every change, " +
			"within a second; closes normally (1000) once the task ended. Needs the session cookie; owner only (close 4404 otherwise).",
		Parameters: []*huma.Param{{Name: "task_id", In: "path", Required: true, Schema: &huma.Schema{Type: "string"}}},
		Responses:  map[string]*huma.Response{"101": {Description: "Switching to the WebSocket protocol"}},
	})
}

// progressSocket streams a task's progress. Authentication happens before the upgrade
// so a missing or foreign session gets the usual JSON error.
func (s *Server) progressSocket(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u, err := s.CurrentUser(ctx)
	if err != nil {
		writeError(w, r, s.Logger, err)
		return
	}
	id := r.PathValue("task_id")
	t, err := s.Workflow.Task(ctx, u.ID, id)
	if err != nil {
		writeError(w, r, s.Logger, err)
		return
	}
	hold := &errorHold{ResponseWriter: w}
	conn, err := websocket.Accept(hold, r, &websocket.AcceptOptions{OriginPatterns: s.originHosts()})
	if err != nil {
		// Accept's "Connection: Upgrade" belongs to its 426, not to this answer.
		hold.answer(handshakeErrorBody(hold.held, err), "Connection", "Upgrade")
		return
	}
	defer conn.CloseNow()
	changes, unsubscribe := s.Workflow.Subscribe(id)
	defer unsubscribe()
	ctx = conn.CloseRead(ctx) // we only send; this also notices the client leaving

	// A slow tick backs up the notifications (and refreshes the ETA).
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var last []byte
	for {
		data, err := json.Marshal(s.taskViewOf(ctx, t))
		if err != nil {
			conn.Close(websocket.StatusInternalError, "encoding")
			return
		}
		if string(data) != string(last) {
			wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			err := conn.Write(wctx, websocket.MessageText, data)
			cancel()
			if err != nil {
				return
			}
			last = data
		}
		if t.Settled() { // ended, or waiting for review: nothing more happens on its own
			conn.Close(websocket.StatusNormalClosure, t.State)
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-changes:
		case <-tick.C:
		}
		next, err := s.Workflow.Task(ctx, u.ID, id)
		if err != nil {
			if errors.Is(ctx.Err(), context.Canceled) {
				return
			}
			conn.Close(4404, "task not found")
			return
		}
		t = next
	}
}

// handshakeErrorBody is the envelope for a failed WebSocket handshake: a foreign
// origin is AUTH_009 (403), any other client mistake REQ_002 (400).
func handshakeErrorBody(status int, err error) *ErrorBody {
	switch {
	case status == http.StatusForbidden:
		return newErrorBody(http.StatusForbidden, o2sound.CodeCrossOrigin,
			"cross-origin request refused: this site is not an allowed frontend origin", nil)
	case status < 500:
		return newErrorBody(http.StatusBadRequest, o2sound.CodeBadRequest,
			"this endpoint speaks WebSocket: open it with a WebSocket handshake ("+err.Error()+")", nil)
	}
	return internalErrorBody()
}

// originHosts lets the configured frontends open WebSockets (same-origin always can).
func (s *Server) originHosts() []string {
	var hosts []string
	if s.Config != nil {
		for _, o := range s.Config.FrontendOrigins {
			if u, err := url.Parse(o); err == nil {
				hosts = append(hosts, u.Host)
			}
		}
	}
	return hosts
}
