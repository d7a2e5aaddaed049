package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/o2sound/o2sound/internal/api"
	"github.com/o2sound/o2sound/internal/engine"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/pipeline"
	"github.com/o2sound/o2sound/internal/store"
)

// quickPipeline makes a "video" in well under a second: each stage writes a file; the
// video stage waits until released so tests can watch and cancel it.
func quickPipeline(release <-chan struct{}) engine.Work {
	p := engine.Work{}
	for _, s := range o2sound.Stages {
		p[s] = func(ctx context.Context, r *engine.Run) (any, error) {
			if s == o2sound.StageVideo && release != nil {
				r.Progress(0.4)
				select {
				case <-release:
				case <-ctx.Done():
					return nil, ctx.Err()
				}
			}
			path := filepath.Join(r.Dir, string(s)+".bin")
			if err := os.WriteFile(path, []byte(strings.Repeat(string(s), 100)), 0o644); err != nil {
				return nil, err
			}
			if s == o2sound.StageMerge {
				return engine.FinishedVideo{Video: path, Duration: 30, Width: 1920, Height: 1080, SizeBytes: 500, Title: "카페 홍보 영상"}, nil
			}
			return map[string]string{"path": path}, nil
		}
	}
	return p
}

func setupMoviemaker(t *testing.T, d store.Dialect, release <-chan struct{}) *bundle {
	t.Helper()
	return setupWith(t, d, func(b *bundle) api.Workflow {
		o := engine.DefaultOptions()
		o.FetchPollInterval, o.HeartbeatEvery = 50*time.Millisecond, 200*time.Millisecond
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		e, err := engine.New(context.Background(), b.db, b.files, quickPipeline(release), o, log)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Stop(5 * time.Second) })
		return pipeline.NewService(e, b.db, b.files, log)
	})
}

func TestMoviemakerFlow(t *testing.T) {
	t.Parallel()
	for _, d := range dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			b := setupMoviemaker(t, d, nil)
			c := b.user("maker")
			m := expect(t, c.do("POST", "/moviemaker/start-workflow", map[string]any{"url": "https://bluemoon.cafe"}), 200, "")
			id, _ := m["task_id"].(string)
			progress, _ := m["progress"].(map[string]any)
			if id == "" || len(progress) != 6 || progress["metadata"] != false || progress["combined"] != false {
				t.Fatalf("start body %v", m)
			}
			var last map[string]any
			for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
				last = expect(t, c.do("POST", "/moviemaker/progress", map[string]any{"task_id": id}), 200, "")
				if last["progress"].(map[string]any)["combined"] == true {
					break
				}
			}
			if last["state"] != "completed" || last["percent"].(float64) != 100 {
				t.Fatalf("not completed: %v", last)
			}
			video := last["video"].(map[string]any)
			if r := b.client().do("GET", video["url"].(string), nil); r.status != 200 || len(r.body) != 500 {
				t.Fatalf("stream the result: %d %d", r.status, len(r.body))
			}
			vids := expect(t, c.do("POST", "/user/videos", nil), 200, "")
			if vids["total_count"].(float64) != 1 || vids["videos"].([]any)[0].(map[string]any)["id"] != video["id"] {
				t.Fatalf("video not listed: %v", vids)
			}
			tasks := expect(t, c.do("GET", "/moviemaker/tasks", nil), 200, "")
			if tasks["total_count"].(float64) != 1 || tasks["page"] != 1.0 || tasks["page_size"] != 20.0 {
				t.Fatalf("tasks %v", tasks)
			}
			// Another user sees none of it.
			other := b.user("other")
			expect(t, other.do("POST", "/moviemaker/progress", map[string]any{"task_id": id}), 404, o2sound.CodeTaskNotFound)
			expect(t, other.do("POST", "/moviemaker/cancel", map[string]any{"task_id": id}), 404, o2sound.CodeTaskNotFound)
			expect(t, c.do("POST", "/moviemaker/cancel", map[string]any{"task_id": id}), 409, o2sound.CodeTaskNotActive)
		})
	}
}

func TestStartWorkflowValidation(t *testing.T) {
	t.Parallel()
	b := setupMoviemaker(t, store.SQLite, nil)
	c := b.user("validator")
	for _, tc := range []struct {
		body   any
		status int
		code   string
	}{
		{map[string]any{"url": "ftp://x.example"}, 422, o2sound.CodeValidation},
		{map[string]any{"url": "not a url"}, 422, o2sound.CodeValidation},
		{map[string]any{"url": "https://x.example", "aspect": "4:3"}, 422, o2sound.CodeValidation},
		{map[string]any{"url": "https://x.example", "duration": 500}, 422, o2sound.CodeValidation},
		{map[string]any{}, 422, o2sound.CodeValidation},
	} {
		expect(t, c.do("POST", "/moviemaker/start-workflow", tc.body), tc.status, tc.code)
	}
	expect(t, b.client().do("POST", "/moviemaker/start-workflow", map[string]any{"url": "https://x.example"}), 401, o2sound.CodeUnauthenticated)
	expect(t, c.do("POST", "/moviemaker/progress", map[string]any{"task_id": "nope"}), 404, o2sound.CodeTaskNotFound)
}

func TestProgressWebSocketAndCancel(t *testing.T) {
	t.Parallel()
	for _, d := range dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			release := make(chan struct{})
			b := setupMoviemaker(t, d, release)
			c := b.user("watcher")
			id := expect(t, c.do("POST", "/moviemaker/start-workflow", map[string]any{"url": "https://bluemoon.cafe", "aspect": "9:16", "duration": 20}), 200, "")["task_id"].(string)

			// No session, or someone else's: refused before the upgrade.
			if r := b.client().do("GET", "/ws/progress/"+id, nil); r.status != 401 {
				t.Fatalf("anonymous websocket: %d", r.status)
			}
			if r := b.user("stranger").do("GET", "/ws/progress/"+id, nil); r.status != 404 {
				t.Fatalf("stranger's websocket: %d", r.status)
			}

			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			u, _ := http.NewRequest("GET", b.srv.URL, nil)
			header := http.Header{}
			for _, ck := range c.hc.Jar.Cookies(u.URL) {
				header.Add("Cookie", ck.String())
			}
			ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(b.srv.URL, "http")+"/ws/progress/"+id, &websocket.DialOptions{HTTPHeader: header})
			if err != nil {
				t.Fatal(err)
			}
			defer ws.CloseNow()
			read := func() map[string]any {
				t.Helper()
				rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				defer cancel()
				_, data, err := ws.Read(rctx)
				if err != nil {
					t.Fatalf("websocket read: %v", err)
				}
				var m map[string]any
				json.Unmarshal(data, &m)
				return m
			}
			first := read()
			if first["task_id"] != id || first["aspect"] != "9:16" {
				t.Fatalf("first message %v", first)
			}
			// Follow it until the video stage runs, then cancel through the API.
			for m := first; ; m = read() {
				if m["progress"].(map[string]any)["images"] == true && strings.Contains(toJSON(m["current_stages"]), "video") {
					break
				}
			}
			cancelled := time.Now()
			expect(t, c.do("POST", "/moviemaker/cancel", map[string]any{"task_id": id}), 200, "")
			var m map[string]any
			for m = read(); m["state"] != "cancelled"; m = read() {
			}
			// The cancel ends the task at once and the stream shows it (typically within
			// milliseconds); the bound is loose because two loaded cores can hold a
			// notification past a second.
			if time.Since(cancelled) > 5*time.Second {
				t.Fatalf("cancel reached the websocket after %v", time.Since(cancelled))
			}
			_, _, err = ws.Read(ctx)
			if websocket.CloseStatus(err) != websocket.StatusNormalClosure {
				t.Fatalf("websocket not closed normally after the task ended: %v", err)
			}
			close(release)
		})
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
