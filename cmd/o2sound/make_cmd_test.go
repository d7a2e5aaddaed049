package main

import (
	"bytes"
	"context"
	"testing"
)

func TestDefaultOutput(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ source, want string }{
		{"https://bluemoon.cafe/", "o2sound-bluemoon.cafe.mp4"},
		{"http://www.example.com:8080/menu?x=1", "o2sound-www.example.com.mp4"},
		{"examples/cafe", "o2sound-cafe.mp4"},
		{"examples/cafe/", "o2sound-cafe.mp4"},
		{"/home/minji/내 가게", "o2sound-내-가게.mp4"},
		{"https://xn--9n3b.example/", "o2sound-xn--9n3b.example.mp4"},
		{"./my shop's site", "o2sound-my-shop-s-site.mp4"},
		{"..", "o2sound-video.mp4"},
		{"/", "o2sound-video.mp4"},
	} {
		if got := defaultOutput(tc.source); got != tc.want {
			t.Errorf("defaultOutput(%q) = %q, want %q", tc.source, got, tc.want)
		}
	}
}

// TestHelpIsNotAFailure: "o2sound <command> -h" prints the command's usage and
// succeeds, for every command.
func TestHelpIsNotAFailure(t *testing.T) {
	t.Parallel()
	for _, c := range commands() {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), []string{c.name, "-h"}, &stdout, &stderr); err != nil {
			t.Errorf("%s -h: %v", c.name, err)
		}
		if stdout.Len()+stderr.Len() == 0 {
			t.Errorf("%s -h printed no usage: %q %q", c.name, stdout.String(), stderr.String())
		}
	}
}
