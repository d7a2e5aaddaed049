package main

import (
	"bytes"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/store"
	"github.com/o2sound/o2sound/internal/store/storetest"
)

// TestAdminPagesOnlyForAdmins runs serve with ADMIN_USERS and checks River UI at
// /admin/jobs and the metrics at /metrics: shown to the admin (River UI lists the jobs
// of a finished video; promtool accepts the scrape), 404 to a signed-in owner and to
// anonymous callers, on SQLite and PostgreSQL.
func TestAdminPagesOnlyForAdmins(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		site := fixtureSite(t)
		env, _, _ := e2eEnv(t, d)
		srv := startServe(t, bin, append(env, "ADMIN_USERS=boss"))
		owner, boss := signIn(t, srv.base, "owner"), signIn(t, srv.base, "boss")
		id := owner.start(site.URL)
		owner.waitFor(id, 3*time.Minute, "the video", func(p map[string]any) bool { return p["state"] == "completed" })

		get := func(c *apiClient, path string) (int, string) {
			t.Helper()
			hc := http.DefaultClient
			if c != nil {
				hc = c.hc
			}
			resp, err := hc.Get(srv.base + path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		for _, path := range []string{"/admin/jobs/", "/admin/jobs/api/jobs?state=completed", "/metrics"} {
			for name, c := range map[string]*apiClient{"anonymous": nil, "owner": owner} {
				if code, body := get(c, path); code != 404 || !strings.Contains(body, "REQ_004") {
					t.Errorf("%s %s: %d %s", name, path, code, body)
				}
			}
		}
		if code, body := get(boss, "/admin/jobs/"); code != 200 || !strings.Contains(body, "<title>River</title>") {
			t.Fatalf("River UI for the admin: %d %.300s", code, body)
		}
		code, body := get(boss, "/admin/jobs/api/jobs?state=completed&limit=50")
		if code != 200 || !strings.Contains(body, "o2sound_merge") {
			t.Fatalf("River UI's job list for the admin: %d %.500s", code, body)
		}
		code, body = get(boss, "/metrics")
		if code != 200 || !strings.Contains(body, `o2sound_tasks{state="completed"} 1`) || !strings.Contains(body, "o2sound_stage_duration_seconds_count") {
			t.Fatalf("metrics for the admin: %d %.500s", code, body)
		}
		if promtool, err := exec.LookPath("promtool"); err == nil {
			cmd := exec.Command(promtool, "check", "metrics")
			cmd.Stdin = bytes.NewReader([]byte(body))
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("promtool check metrics: %v\n%s", err, out)
			}
		}
	})
}
