package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/humatest"
)

// TestRemakeInputKeepsEmptyLists checks that "hashtags": [] reaches the service as an
// empty list (clear them), while a missing field stays nil (keep them).
func TestRemakeInputKeepsEmptyLists(t *testing.T) {
	t.Parallel()
	_, api := humatest.New(t)
	var got []*remakeInput
	huma.Register(api, huma.Operation{OperationID: "remake", Method: http.MethodPost, Path: "/remake"},
		func(ctx context.Context, in *remakeInput) (*struct{}, error) {
			got = append(got, in)
			return nil, nil
		})
	for _, body := range []string{`{"task_id":"x","facts":{"hashtags":[]}}`, `{"task_id":"x","facts":{"name":"a"}}`} {
		if resp := api.Post("/remake", strings.NewReader(body)); resp.Code >= 300 {
			t.Fatalf("%s: %d %s", body, resp.Code, resp.Body)
		}
	}
	if ch := got[0].changes(); ch.Facts.Hashtags == nil {
		t.Error(`"hashtags": [] arrived as "unchanged"`)
	}
	if ch := got[1].changes(); ch.Facts.Hashtags != nil {
		t.Error("a missing hashtags field arrived as a change")
	}
}
