package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/o2sound/o2sound/internal/crawl"
	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/o2sound"
)

// TestCrawlCommand runs "o2sound crawl" against the bundled example café, served over
// HTTP and read as a folder, and checks the printed JSON.
func TestCrawlCommand(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.FileServer(http.Dir("../../examples/cafe")))
	t.Cleanup(srv.Close)
	cases := map[string][]string{
		"url":    {"-allow-private", "-pages", "3", "-out", "OUT", srv.URL + "/"},
		"folder": {"../../examples/cafe", "-out", "OUT"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			out := t.TempDir()
			for i, a := range args {
				if a == "OUT" {
					args[i] = out
				}
			}
			var stdout, stderr bytes.Buffer
			if err := crawlCommand(context.Background(), args, &stdout, &stderr); err != nil {
				t.Fatalf("%v\n%s", err, stderr.String())
			}
			var res crawl.Result
			if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
				t.Fatalf("output is not a crawl.Result: %v\n%s", err, stdout.String())
			}
			p := res.Profile
			if p.Name != "카페 하늘숲" || p.Category != "CafeOrCoffeeShop" || p.Phone != "02-735-1234" || p.Area != "종로구 삼청동" {
				t.Errorf("profile %+v", p)
			}
			if len(p.Hashtags) < 3 || p.Hashtags[0] != "카페" {
				t.Errorf("hashtags %v", p.Hashtags)
			}
			if len(res.Images) != 8 {
				t.Errorf("%d images, want the 8 photos", len(res.Images))
			}
			for i, im := range res.Images {
				if i > 0 && im.Score > res.Images[i-1].Score {
					t.Errorf("images not ranked: %v after %v", im.Score, res.Images[i-1].Score)
				}
				if _, err := os.Stat(im.Path); err != nil || !strings.HasPrefix(im.Path, out) {
					t.Errorf("image %q: %v", im.Path, err)
				}
				if im.Width > 2560 || im.Width < 1280 {
					t.Errorf("image %s is %d wide", im.Path, im.Width)
				}
			}
			dropped := map[string]string{}
			for _, d := range res.Dropped {
				dropped[d.SourceURL[strings.LastIndex(d.SourceURL, "/")+1:]] = d.Reason
			}
			for _, f := range []string{"logo.png", "icon-instagram.png", "icon-kakao.png"} {
				if dropped[f] == "" {
					t.Errorf("%s was not dropped: %v", f, dropped)
				}
			}
		})
	}
}

func TestCrawlCommandUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{nil, {"a", "b"}, {"-pages", "0", "x"}, {"-nosuchflag", "x"}} {
		var stdout, stderr bytes.Buffer
		if err := crawlCommand(context.Background(), args, &stdout, &stderr); err == nil {
			t.Errorf("%v: no error", args)
		}
		if stdout.Len() != 0 {
			t.Errorf("%v: printed %q", args, stdout.String())
		}
	}
	// A refused address reports the crawl error's code.
	var stdout, stderr bytes.Buffer
	err := crawlCommand(context.Background(), []string{"-out", t.TempDir(), "http://169.254.169.254/"}, &stdout, &stderr)
	if fetch.ErrorCode(err) != o2sound.CodeCrawlAddress {
		t.Errorf("got %v", err)
	}
}

// TestCrawlCommandPrivateHint: a site on this machine is refused without
// -allow-private, and the message says how to allow it; with the flag it is read.
func TestCrawlCommandPrivateHint(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.FileServer(http.Dir("../../examples/cafe")))
	t.Cleanup(srv.Close)
	var stdout, stderr bytes.Buffer
	err := crawlCommand(context.Background(), []string{"-out", t.TempDir(), srv.URL + "/"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "CRAWL_005") || !strings.Contains(err.Error(), "add -allow-private") {
		t.Fatalf("err = %v, want CRAWL_005 with the -allow-private hint", err)
	}
	if stdout.Len() != 0 {
		t.Errorf("printed %q for a refused site", stdout.String())
	}
	// The hint is only for refused addresses: other failures keep their own words.
	err = crawlCommand(context.Background(), []string{"-allow-private", "-out", t.TempDir(), srv.URL + "/photo-missing.html"}, &stdout, &stderr)
	if err == nil || strings.Contains(err.Error(), "allow-private") {
		t.Fatalf("err = %v, want a failure without the hint", err)
	}
}
