package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
	"github.com/o2sound/o2sound/internal/store/storetest"
)

// fixtureSite serves a small Korean café site made here: a page with JSON-LD and five
// photos of 1200×800.
func fixtureSite(t *testing.T) *httptest.Server {
	t.Helper()
	dir := t.TempDir()
	var imgs strings.Builder
	for i := range 5 {
		img := image.NewRGBA(image.Rect(0, 0, 1200, 800))
		for y := range 800 {
			for x := range 1200 {
				img.Set(x, y, color.RGBA{uint8(40 * i), uint8(x * 255 / 1200), uint8(y * 255 / 800), 255})
			}
		}
		var buf bytes.Buffer
		jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80})
		name := fmt.Sprintf("photo%d.jpg", i+1)
		os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644)
		fmt.Fprintf(&imgs, `<img src="/%s" alt="카페 사진 %d">`, name, i+1)
	}
	page := `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>카페 블루문 | 역삼동 브런치 카페</title>
<meta name="description" content="아늑한 분위기의 카페 블루문. 핸드드립 커피와 브런치, 수제 디저트.">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"CafeOrCoffeeShop","name":"카페 블루문","telephone":"02-1234-5678",
"address":{"@type":"PostalAddress","streetAddress":"역삼동 123-45","addressLocality":"강남구","addressRegion":"서울시"}}</script>
</head><body><h1>카페 블루문</h1><p>핸드드립 커피와 브런치</p>` + imgs.String() + `</body></html>`
	os.WriteFile(filepath.Join(dir, "index.html"), []byte(page), 0o644)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	return srv
}

// e2eEnv is the environment of a test deployment: its own data directory and database.
func e2eEnv(t *testing.T, d store.Dialect) (env []string, dataDir, dsn string) {
	dataDir = t.TempDir()
	env = []string{"DATA_DIR=" + dataDir, "CRAWL_ALLOW_PRIVATE_NETWORKS=true", "VIDEO_SCALE=0.5",
		"SESSION_SECRET_KEY=" + strings.Repeat("e2e-secret-", 4)}
	if d == store.Postgres {
		dsn = storetest.DSN(t, d)
		env = append(env, "DATABASE_URL="+dsn)
	} else {
		dsn = filepath.Join(dataDir, "o2sound.db")
	}
	return env, dataDir, dsn
}

// startWorker runs "o2sound worker" and waits until it says it is running.
func startWorker(t *testing.T, bin string, env []string) *server {
	t.Helper()
	cmd := exec.Command(bin, "worker")
	cmd.Env = append(os.Environ(), env...)
	log := &syncBuilder{}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, log: log}
	t.Cleanup(func() { s.stop(t) })
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if strings.Contains(log.String(), "o2sound worker running") {
			return s
		}
	}
	t.Fatalf("worker did not start:\n%s", log)
	return nil
}

// kill ends a process at once, as a crash would.
func (s *server) kill() {
	s.cmd.Process.Kill()
	s.cmd.Wait()
}

// apiClient is a signed-in user of a running server.
type apiClient struct {
	t    *testing.T
	base string
	hc   *http.Client
}

func signIn(t *testing.T, base, login string) *apiClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &apiClient{t: t, base: base, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	c.call("POST", "/auth/join", map[string]any{"user_id": login, "name": "카페 사장님", "password": "securepassword123"}, 201)
	c.call("POST", "/auth/login", map[string]any{"user_id": login, "password": "securepassword123"}, 200)
	return c
}

func (c *apiClient) rebase(base string) {
	old, _ := http.NewRequest("GET", c.base, nil)
	cookies := c.hc.Jar.Cookies(old.URL)
	c.base = base
	nu, _ := http.NewRequest("GET", base, nil)
	c.hc.Jar.SetCookies(nu.URL, cookies)
}

func (c *apiClient) call(method, path string, body any, want int) map[string]any {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, data)
	}
	var m map[string]any
	json.Unmarshal(data, &m)
	return m
}

func (c *apiClient) start(site string) string {
	m := c.call("POST", "/moviemaker/start-workflow", map[string]any{"url": site + "/", "duration": 15, "aspect": "16:9"}, 200)
	return m["task_id"].(string)
}

func (c *apiClient) progress(id string) map[string]any {
	return c.call("POST", "/moviemaker/progress", map[string]any{"task_id": id}, 200)
}

// waitFor polls the task until cond holds.
func (c *apiClient) waitFor(id string, within time.Duration, what string, cond func(map[string]any) bool) map[string]any {
	c.t.Helper()
	deadline := time.Now().Add(within)
	for {
		p := c.progress(id)
		if cond(p) {
			return p
		}
		if p["state"] == "failed" || time.Now().After(deadline) {
			c.t.Fatalf("waiting for %s: %v", what, p)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func stageState(p map[string]any, stage string) string {
	for _, s := range p["stages"].([]any) {
		if m := s.(map[string]any); m["stage"] == stage {
			return m["state"].(string)
		}
	}
	return ""
}

func videoRunning(p map[string]any) bool { return stageState(p, "video") == "running" }

// videoUnderway: the render has drawn frames (its progress is reported as it goes).
func videoUnderway(p map[string]any) bool {
	for _, s := range p["stages"].([]any) {
		if m := s.(map[string]any); m["stage"] == "video" {
			pct, _ := m["percent"].(float64)
			return m["state"] == "running" && pct >= 5
		}
	}
	return false
}

// leftovers lists what remains in the file store besides finished videos (temp
// files, task directories) once cleanup has had up to 5 s to finish: a task's
// working directory is removed just after its end is committed, so a client can
// see the end a moment before the directory is gone.
func leftovers(t *testing.T, dataDir string) []string {
	t.Helper()
	left := leftoversNow(dataDir)
	for deadline := time.Now().Add(5 * time.Second); len(left) > 0 && time.Now().Before(deadline); left = leftoversNow(dataDir) {
		time.Sleep(20 * time.Millisecond)
	}
	return left
}

func leftoversNow(dataDir string) []string {
	var left []string
	root := filepath.Join(dataDir, "files")
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || path == root {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		switch {
		case rel == "videos" || rel == "tasks" || rel == "tmp" || rel == "photos":
		case strings.HasPrefix(rel, "videos/") && (strings.HasSuffix(rel, ".mp4") || strings.HasSuffix(rel, ".jpg")) && !strings.Contains(rel, "tmp"):
		default:
			left = append(left, rel)
		}
		return nil
	})
	return left
}

// ffmpegsUnder lists running ffmpeg processes working inside dataDir.
func ffmpegsUnder(dataDir string) []string {
	var found []string
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		cmd := strings.ReplaceAll(string(b), "\x00", " ")
		if strings.Contains(cmd, "ffmpeg") && strings.Contains(cmd, dataDir) {
			found = append(found, cmd)
		}
	}
	return found
}

// followWebSocket reads the task's progress WebSocket until the server closes it, and
// returns how many messages came and the last one.
func followWebSocket(t *testing.T, c *apiClient, base, id string) (int, map[string]any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	u, _ := http.NewRequest("GET", base, nil)
	h := http.Header{}
	for _, ck := range c.hc.Jar.Cookies(u.URL) {
		h.Add("Cookie", ck.String())
	}
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/ws/progress/"+id, &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	var last map[string]any
	messages := 0
	for {
		_, data, err := ws.Read(ctx)
		if err != nil {
			if websocket.CloseStatus(err) != websocket.StatusNormalClosure {
				t.Fatalf("websocket ended with %v after %d messages; last %v", err, messages, last)
			}
			return messages, last
		}
		messages++
		json.Unmarshal(data, &last)
	}
}

func TestWorkflowEndToEndSQLite(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	site := fixtureSite(t)
	env, dataDir, _ := e2eEnv(t, store.SQLite)
	srv := startServe(t, bin, env)
	c := signIn(t, srv.base, "owner")
	id := c.start(site.URL)

	messages, last := followWebSocket(t, c, srv.base, id)
	if last["state"] != "completed" || last["progress"].(map[string]any)["combined"] != true || messages < 5 {
		t.Fatalf("final message after %d: %v\n%s", messages, last, srv.log)
	}
	checkVideoLifecycle(t, c, srv.base, last, "960x540")
	if left := leftovers(t, dataDir); len(left) != 0 {
		t.Fatalf("files left behind: %v", left)
	}
}

// checkVideoLifecycle checks a finished task's video from the owner's side: it is
// listed with its business, streams with a Range request, and is gone once deleted.
func checkVideoLifecycle(t *testing.T, c *apiClient, base string, last map[string]any, resolution string) {
	t.Helper()
	videoURL := last["video"].(map[string]any)["url"].(string)
	list := c.call("POST", "/user/videos", nil, 200)
	var v map[string]any
	for _, x := range list["videos"].([]any) {
		if x.(map[string]any)["url"] == videoURL {
			v = x.(map[string]any)
		}
	}
	if v == nil || v["title"] != "카페 블루문 홍보 영상" || v["resolution"] != resolution || v["status"] != "completed" {
		t.Fatalf("video not listed as made: %v", list)
	}
	items := c.call("POST", "/user/items", nil, 200)
	if items["items"].([]any)[0].(map[string]any)["name"] != "카페 블루문" {
		t.Fatalf("items: %v", items)
	}
	req, _ := http.NewRequest("GET", base+videoURL, nil)
	req.Header.Set("Range", "bytes=0-99")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 206 || len(body) != 100 || !bytes.Contains(body, []byte("ftyp")) {
		t.Fatalf("range: %d %d bytes", resp.StatusCode, len(body))
	}
	c.call("DELETE", "/user/video/delete", map[string]any{"video_id": v["id"]}, 200)
	if resp, _ := http.Get(base + videoURL); resp.StatusCode != 404 {
		t.Fatalf("deleted video streams: %d", resp.StatusCode)
	}
}

// TestWorkflowSeparateWorkerPostgres runs the API alone (serve -workers=0) and the
// work in an "o2sound worker" process, driven by the seed's own Python client loop.
func TestWorkflowSeparateWorkerPostgres(t *testing.T) {
	t.Parallel()
	storetest.RequirePostgresInCI(t)
	if os.Getenv("TEST_DATABASE_URL") == "" {
		t.Skip("TEST_DATABASE_URL is not set")
	}
	py := python(t)
	bin := buildBinary(t)
	site := fixtureSite(t)
	env, _, _ := e2eEnv(t, store.Postgres)
	srv := startServe(t, bin, env, "-workers=0")
	h := signIn(t, srv.base, "watcher")
	if resp, err := http.Get(srv.base + "/health"); err != nil || resp.StatusCode != 503 {
		t.Fatalf("health with no worker anywhere should be 503, got %v %v", resp.StatusCode, err)
	}
	startWorker(t, bin, env)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, py, "../../scripts/seed_client_check.py", srv.base, "--workflow", site.URL+"/").CombinedOutput()
	if err != nil {
		t.Fatalf("seed client workflow loop: %v\n%s\nserver:\n%s", err, out, srv.log)
	}
	if !strings.Contains(string(out), "video complete") {
		t.Fatalf("seed loop output:\n%s", out)
	}

	// The API process follows a task worked by the other process over LISTEN/NOTIFY.
	id := h.start(site.URL)
	messages, last := followWebSocket(t, h, srv.base, id)
	if last["state"] != "completed" || messages < 5 {
		t.Fatalf("websocket across processes: %d messages, last %v", messages, last)
	}
	checkVideoLifecycle(t, h, srv.base, last, "960x540")
}

// TestWorkerCrashDuringVideoStage kills the worker (SIGKILL) while it renders; after a
// restart the task finishes with exactly one video, without rerunning finished stages,
// and leaves no temp files. CRASH_RUNS repeats it (make crash-test runs 10).
func TestWorkerCrashDuringVideoStage(t *testing.T) {
	t.Parallel()
	runs := 1
	if n, err := strconv.Atoi(os.Getenv("CRASH_RUNS")); err == nil && n > 0 {
		runs = n
	}
	bin := buildBinary(t)
	site := fixtureSite(t)
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			for run := range runs {
				t.Run(fmt.Sprint("run", run+1), func(t *testing.T) { crashDuringVideo(t, bin, site.URL, d) })
			}
		})
	}
}

// crashDuringVideo kills the process working the video stage: on PostgreSQL a
// separate worker (the API stays up), on SQLite serve itself (and starts it again).
func crashDuringVideo(t *testing.T, bin, site string, d store.Dialect) {
	env, dataDir, dsn := e2eEnv(t, d)
	var api, worker *server
	if d == store.Postgres {
		api = startServe(t, bin, env, "-workers=0")
		worker = startWorker(t, bin, env)
	} else {
		api = startServe(t, bin, env)
		worker = api
	}
	c := signIn(t, api.base, "crash")
	id := c.start(site)
	c.waitFor(id, 2*time.Minute, "the render under way", videoUnderway)
	worker.kill()
	killed := time.Now()

	if d == store.Postgres {
		startWorker(t, bin, env)
	} else {
		api = startServe(t, bin, env)
		c.rebase(api.base)
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Resumed: the video stage started its second attempt in a live worker.
	for {
		task, err := db.TaskForWork(context.Background(), id, false)
		if err != nil {
			t.Fatal(err)
		}
		if st := task.Stages[o2sound.StageVideo]; st.Attempts >= 2 {
			break
		}
		if time.Since(killed) > 30*time.Second {
			t.Fatalf("the video stage did not resume within 30 s of the kill")
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("%s: the video stage resumed %v after the kill", d, time.Since(killed).Round(100*time.Millisecond))
	done := c.waitFor(id, 3*time.Minute, "completion after the crash", func(p map[string]any) bool { return p["state"] == "completed" })
	if list := c.call("POST", "/user/videos", nil, 200); list["total_count"].(float64) != 1 {
		t.Fatalf("videos after crash: %v", list)
	}
	task, err := db.TaskForWork(context.Background(), id, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range o2sound.Stages {
		want := 1
		if s == o2sound.StageVideo {
			want = 2
		}
		if got := task.Stages[s].Attempts; got != want {
			t.Errorf("stage %s ran %d times, want %d", s, got, want)
		}
	}
	deleteVideo(c, done)
	if left := leftovers(t, dataDir); len(left) != 0 {
		t.Fatalf("files left behind: %v (%v)", left, done)
	}
}

// deleteVideo deletes a completed task's video. A completed task keeps its working
// files and photos for re-makes until then; after it, nothing of the task may remain.
func deleteVideo(c *apiClient, done map[string]any) {
	c.t.Helper()
	c.call("DELETE", "/user/video/delete", map[string]any{"video_id": done["video"].(map[string]any)["id"]}, 200)
}

func TestCancelDuringRender(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	site := fixtureSite(t)
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			env, dataDir, _ := e2eEnv(t, d)
			srv := startServe(t, bin, env)
			c := signIn(t, srv.base, "canceller")
			id := c.start(site.URL)
			c.waitFor(id, 2*time.Minute, "the video stage", videoRunning)
			// Cancel while the render's ffmpeg is running, so the test proves it is killed.
			for deadline := time.Now().Add(10 * time.Second); len(ffmpegsUnder(dataDir)) == 0; time.Sleep(20 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("no ffmpeg process seen during the video stage")
				}
			}
			cancelled := time.Now()
			c.call("POST", "/moviemaker/cancel", map[string]any{"task_id": id}, 200)
			answered := time.Since(cancelled)
			c.waitFor(id, time.Second, "cancelled", func(p map[string]any) bool { return p["state"] == "cancelled" })
			for deadline := time.Now().Add(time.Second); time.Now().Before(deadline) && len(ffmpegsUnder(dataDir)) > 0; {
				time.Sleep(20 * time.Millisecond)
			}
			if left := ffmpegsUnder(dataDir); len(left) > 0 {
				t.Fatalf("ffmpeg still running %v after cancel: %v", time.Since(cancelled), left)
			}
			t.Logf("%s: cancel answered in %v; ffmpeg gone %v after the request was sent", d, answered.Round(time.Millisecond), time.Since(cancelled).Round(time.Millisecond))
			if left := leftovers(t, dataDir); len(left) != 0 {
				t.Fatalf("files left after cancel: %v", left)
			}
		})
	}
}

// TestSIGTERMDuringRender stops serve in the middle of the video stage; it exits
// within its shutdown window, and the task finishes after the next start.
func TestSIGTERMDuringRender(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	site := fixtureSite(t)
	env, dataDir, _ := e2eEnv(t, store.SQLite)
	srv := startServe(t, bin, env)
	c := signIn(t, srv.base, "terminator")
	id := c.start(site.URL)
	c.waitFor(id, 2*time.Minute, "the video stage", videoRunning)
	start := time.Now()
	srv.cmd.Process.Signal(syscall.SIGTERM)
	srv.cmd.Wait()
	if took := time.Since(start); took > 30*time.Second {
		t.Fatalf("serve took %v to stop", took)
	}
	srv2 := startServe(t, bin, env)
	c.rebase(srv2.base)
	done := c.waitFor(id, 3*time.Minute, "completion after restart", func(p map[string]any) bool { return p["state"] == "completed" })
	deleteVideo(c, done)
	if left := leftovers(t, dataDir); len(left) != 0 {
		t.Fatalf("files left: %v", left)
	}
}
