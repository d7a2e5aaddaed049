package htmltext

import (
	"net/url"
	"testing"
)

func TestResolveRefProtocolRelative(t *testing.T) {
	t.Parallel()
	file, _ := url.Parse("file:///index.html")
	web, _ := url.Parse("http://shop.example/a/")
	cases := []struct {
		base      *url.URL
		ref, want string
	}{
		{file, "//cdn.example/x.jpg", "https://cdn.example/x.jpg"},
		{file, "images/x.jpg", "file:///images/x.jpg"},
		{file, "file://host/x.jpg", ""},
		{web, "//cdn.example/x.jpg", "http://cdn.example/x.jpg"},
		{web, "file:///etc/passwd", ""},
	}
	for _, tc := range cases {
		got := ""
		if u, ok := ResolveRef(tc.base, tc.ref); ok {
			got = u.String()
		}
		if got != tc.want {
			t.Errorf("resolveRef(%s, %q) = %q, want %q", tc.base, tc.ref, got, tc.want)
		}
	}
}
