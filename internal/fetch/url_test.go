package fetch

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/o2sound/o2sound/internal/o2sound"
)

func TestNormalizeURL(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, want string
		code     string
	}{
		{"bluemoon.cafe", "https://bluemoon.cafe/", ""},
		{"  https://BlueMoon.Cafe/Menu?x=1#top ", "https://bluemoon.cafe/Menu?x=1", ""},
		{"HTTP://example.com", "http://example.com/", ""},
		{"//example.com/a", "https://example.com/a", ""},
		{"localhost:8080/x", "https://localhost:8080/x", ""},
		{"http://카페.kr/메뉴", "http://xn--ob7b27g.kr/%EB%A9%94%EB%89%B4", ""},
		{"http://0x7f000001:8080/", "http://127.0.0.1:8080/", ""},
		{"http://[::FFFF:127.0.0.1]/", "http://[::ffff:127.0.0.1]/", ""},
		{"", "", o2sound.CodeCrawlInvalidURL},
		{"https://", "", o2sound.CodeCrawlInvalidURL},
		{"http://exa mple.com/", "", o2sound.CodeCrawlInvalidURL},
		{"http://example.com:99999/", "", o2sound.CodeCrawlInvalidURL},
		{"http://example.com:0/", "", o2sound.CodeCrawlInvalidURL},
		{"mailto:owner@example.com", "", o2sound.CodeCrawlInvalidURL},
		{"https://" + strings.Repeat("a", 3000) + ".com", "", o2sound.CodeCrawlInvalidURL},
		{"http://a@b.com", "", o2sound.CodeCrawlInvalidURL},
		{"http://xn--.com/", "", o2sound.CodeCrawlInvalidURL},
	}
	for _, tc := range cases {
		u, err := NormalizeURL(tc.in)
		if tc.code != "" {
			if ErrorCode(err) != tc.code {
				t.Errorf("NormalizeURL(%q) = %v, %v; want code %s", tc.in, u, err, tc.code)
			}
			continue
		}
		if err != nil || u.String() != tc.want {
			t.Errorf("NormalizeURL(%q) = %v, %v; want %s", tc.in, u, err, tc.want)
		}
	}
}

func TestCheckURL(t *testing.T) {
	t.Parallel()
	res := &fakeResolver{table: map[string][]netip.Addr{
		"bluemoon.cafe": addrs("93.184.216.34"),
		"v6.example":    addrs("2606:2800:220:1:248:1893:25c8:1946"),
		"inside.test":   addrs("192.168.10.20"),
	}}
	opts := Options{Resolver: res}
	cases := []struct {
		url  string
		opts Options
		code string
	}{
		{"https://bluemoon.cafe/", opts, ""},
		{"bluemoon.cafe", opts, ""},
		{"http://v6.example/", opts, ""},
		{"https://nosuch.example/", opts, o2sound.CodeCrawlUnreachable},
		{"https://inside.test/", opts, o2sound.CodeCrawlAddress},
		{"https://inside.test/", Options{Resolver: res, AllowPrivateNetworks: true}, ""},
		{"http://127.0.0.1:8080/", Options{AllowPrivateNetworks: true}, ""},
		{"http://127.0.0.1:8080/", Options{AllowPrivateNetworks: true, AllowedPorts: []int{80}}, o2sound.CodeCrawlAddress},
		{"http://169.254.169.254/", Options{AllowPrivateNetworks: true}, o2sound.CodeCrawlAddress},
		{"https://bluemoon.cafe:8443/", opts, o2sound.CodeCrawlAddress},
		{"https://bluemoon.cafe:8443/", Options{Resolver: res, AllowedPorts: []int{8443}}, ""},
		{"ftp://bluemoon.cafe/", opts, o2sound.CodeCrawlInvalidURL},
	}
	for _, tc := range cases {
		err := CheckURL(context.Background(), tc.url, tc.opts)
		if ErrorCode(err) != tc.code || (tc.code == "" && err != nil) {
			t.Errorf("CheckURL(%q) = %v, want code %q", tc.url, err, tc.code)
		}
	}
}

// FuzzNormalizeURL: whatever is typed, a URL that passes is http(s), has a host and no
// user info, and normalising it again changes nothing.
func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{"bluemoon.cafe", "http://0x7f000001/", "http://a@b/", "file:///etc/passwd",
		"http://[::ffff:127.0.0.1]:80/x?y#z", "localhost:8080", "http://카페.kr/", "http://1.2.3.09/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := NormalizeURL(raw)
		if err != nil {
			if ErrorCode(err) == "" {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			t.Fatalf("NormalizeURL(%q) = %q", raw, u)
		}
		again, err := NormalizeURL(u.String())
		if err != nil || again.String() != u.String() {
			t.Fatalf("not idempotent: %q → %q → %v, %v", raw, u, again, err)
		}
	})
}

func TestUnicodeDigitHostsAreAddresses(t *testing.T) {
	t.Parallel()
	u, err := NormalizeURL("http://①②⑦.⓪.⓪.①/")
	if err != nil || u.Host != "127.0.0.1" {
		t.Fatalf("NormalizeURL: %v %v", u, err)
	}
	err = CheckURL(context.Background(), "http://①②⑦.⓪.⓪.①/", Options{})
	if ErrorCode(err) != o2sound.CodeCrawlAddress {
		t.Fatalf("CheckURL let a disguised loopback address through: %v", err)
	}
}
