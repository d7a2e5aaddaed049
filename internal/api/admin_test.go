package api_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/o2sound/o2sound/internal/api"
	"github.com/o2sound/o2sound/internal/metrics"
	"github.com/o2sound/o2sound/internal/store"
	"github.com/o2sound/o2sound/internal/store/storetest"
)

type gauges struct{ db *store.DB }

func (g gauges) TaskCounts(ctx context.Context) (map[string]int, error) { return g.db.TaskCounts(ctx) }
func (g gauges) QueueCounts(ctx context.Context) (map[string]int, error) {
	return map[string]int{"available": 0}, nil
}

// TestMetricsOnlyForAdmins checks /metrics: 404 to anonymous callers and signed-in
// non-admins, the Prometheus text to an ADMIN_USERS account and to ADMIN_TOKEN, with
// requests counted by route pattern (not raw path), and valid for promtool.
func TestMetricsOnlyForAdmins(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		token := strings.Repeat("t", 40)
		b := setupWith(t, d, nil, func(b *bundle, deps *api.Deps) {
			deps.Config.AdminUsers = []string{"boss"}
			deps.Config.AdminToken = token
			deps.Metrics = metrics.New(gauges{b.db}, nil)
		})
		owner, boss := b.user("owner"), b.user("boss")
		expect(t, owner.do("POST", "/user/profile", nil), 200, "")
		expect(t, b.client().do("GET", "/metrics", nil), 404, "REQ_004")
		expect(t, owner.do("GET", "/metrics", nil), 404, "REQ_004")
		expect(t, b.client().do("GET", "/metrics", nil, "Authorization", "Bearer "+strings.Repeat("x", 40)), 404, "REQ_004")
		for _, r := range []response{boss.do("GET", "/metrics", nil), b.client().do("GET", "/metrics", nil, "Authorization", "Bearer "+token)} {
			if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
				t.Fatalf("admin /metrics: %d %s", r.status, r.header.Get("Content-Type"))
			}
			text := string(r.body)
			for _, want := range []string{`o2sound_http_requests_total{method="POST",route="POST /user/profile",status="200"}`,
				`o2sound_tasks{state="completed"} 0`, `o2sound_queue_jobs{state="available"} 0`, "o2sound_http_request_duration_seconds_bucket"} {
				if !strings.Contains(text, want) {
					t.Errorf("/metrics lacks %s", want)
				}
			}
			promtoolCheck(t, r.body)
		}
	})
}

// promtoolCheck runs Debian's promtool on a scrape (CI installs it).
func promtoolCheck(t *testing.T, body []byte) {
	t.Helper()
	bin, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("promtool is missing (scripts/install-deps.sh --test installs prometheus)")
		}
		t.Log("promtool is not installed; the scrape was not linted")
		return
	}
	cmd := exec.Command(bin, "check", "metrics")
	cmd.Stdin = bytes.NewReader(body)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("promtool check metrics: %v\n%s", err, out)
	}
}
