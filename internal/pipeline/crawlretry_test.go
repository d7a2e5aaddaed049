package pipeline

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/engine"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
	"github.com/o2sound/o2sound/internal/store/storetest"
)

// TestTransientCrawlErrorsAreTriedThreeTimes: a site that keeps answering 503 is
// fetched by exactly three attempts of the crawl stage, then the task fails with the
// crawl's code and the owner's message, not as an internal error.
func TestTransientCrawlErrorsAreTriedThreeTimes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		var hits atomic.Int32
		site := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/robots.txt":
				http.NotFound(w, r) // no rules: the site may be crawled
			case "/":
				hits.Add(1)
				http.Error(w, "busy", http.StatusServiceUnavailable)
			default:
				http.NotFound(w, r)
			}
		})
		b := realSetupWith(t, d, 0.25, site, func(o *engine.Options) {
			o.RetryDelays = []time.Duration{50 * time.Millisecond}
		})
		task, err := b.e.StartTask(context.Background(), b.owner, b.site, o2sound.TaskOptions{Aspect: "16:9", Duration: 15})
		if err != nil {
			t.Fatal(err)
		}
		failed := b.wait(t, task.ID, o2sound.TaskFailed)
		if n := hits.Load(); n != 3 {
			t.Errorf("the site's page was fetched %d times, want 3", n)
		}
		if got := failed.Stages[o2sound.StageCrawl].Attempts; got != 3 {
			t.Errorf("crawl attempts %d, want 3", got)
		}
		if failed.ErrorStage != string(o2sound.StageCrawl) || failed.ErrorCode != o2sound.CodeCrawlHTTPStatus {
			t.Errorf("failed at %s with %s (%s), want crawl with %s", failed.ErrorStage, failed.ErrorCode, failed.ErrorMessage, o2sound.CodeCrawlHTTPStatus)
		}
	})
}
