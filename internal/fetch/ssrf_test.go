package fetch

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/o2sound"
)

// TestSSRFBattery tries every spelling of a forbidden destination we know of. Each must
// fail with the expected code, both in the cheap pre-check (CheckURL) and in a real Get,
// and no connection may reach the trap listeners on loopback.
func TestSSRFBattery(t *testing.T) {
	t.Parallel()
	v4 := newTrap(t, "tcp", "127.0.0.1:0")
	v6 := newTrap(t, "tcp6", "[::1]:0")
	p4, p6 := v4.portString(), v6.portString()
	res := &fakeResolver{table: map[string][]netip.Addr{
		"private.test":   addrs("10.1.2.3"),
		"loop.test":      addrs("127.0.0.1"),
		"loop6.test":     addrs("::1"),
		"mapped.test":    addrs("::ffff:127.0.0.1"),
		"mixed.test":     addrs("93.184.216.34", "127.0.0.1"),
		"metadata.test":  addrs("169.254.169.254"),
		"example.com":    addrs("93.184.216.34"),
		"nat64.test":     addrs("64:ff9b::7f00:1"),
		"ula.test":       addrs("fd12:3456::1"),
		"cgnat.test":     addrs("100.64.1.1"),
		"benchmark.test": addrs("198.18.0.1"),
	}}
	opts := Options{AllowedPorts: []int{80, 443, v4.port(), v6.port()}, Resolver: res, Timeout: 5 * time.Second, ConnectTimeout: time.Second}

	cases := []struct {
		url  string
		code string
	}{
		// Loopback in all its spellings.
		{"http://127.0.0.1:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"http://[::1]:" + p6 + "/", o2sound.CodeCrawlAddress},
		{"http://0.0.0.0:" + p4 + "/", o2sound.CodeCrawlAddress}, // Linux routes 0.0.0.0 to this host
		{"http://0:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"http://[::]:" + p6 + "/", o2sound.CodeCrawlAddress},
		{"http://2130706433:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"http://0x7f000001:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"http://0177.0.0.1:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"http://017700000001:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"http://127.1:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"http://0x7f.0.0.1:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"http://127.0.0.1.:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"HTTP://127.0.0.1:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"127.0.0.1:" + p4, o2sound.CodeCrawlAddress}, // no scheme: https:// is assumed
		{"http://[::ffff:127.0.0.1]:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"http://[::ffff:7f00:1]:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"http://[0:0:0:0:0:ffff:127.0.0.1]:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"http://[::127.0.0.1]:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"http://[64:ff9b::7f00:1]:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"http://[2002:7f00:1::1]:" + p4 + "/", o2sound.CodeCrawlAddress}, // 6to4 of 127.0.0.1
		{"http://localhost:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"http://LOCALHOST.:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"http://shop.localhost:" + p4 + "/", o2sound.CodeCrawlAddress},
		// Cloud metadata.
		{"http://169.254.169.254/latest/meta-data/", o2sound.CodeCrawlAddress},
		{"http://[::ffff:169.254.169.254]/", o2sound.CodeCrawlAddress},
		{"http://[64:ff9b::a9fe:a9fe]/", o2sound.CodeCrawlAddress},
		{"http://[fd00:ec2::254]/", o2sound.CodeCrawlAddress},
		{"http://100.100.100.200/", o2sound.CodeCrawlAddress},
		{"http://2852039166/", o2sound.CodeCrawlAddress}, // 169.254.169.254 as one number
		// Private, shared, link-local, multicast, broadcast, reserved.
		{"http://10.0.0.1/", o2sound.CodeCrawlAddress},
		{"http://10.255.255.254/", o2sound.CodeCrawlAddress},
		{"http://172.16.0.1/", o2sound.CodeCrawlAddress},
		{"http://172.31.255.254/", o2sound.CodeCrawlAddress},
		{"http://192.168.0.1/", o2sound.CodeCrawlAddress},
		{"https://192.168.1.1/", o2sound.CodeCrawlAddress},
		{"http://100.64.0.1/", o2sound.CodeCrawlAddress},
		{"http://[fc00::1]/", o2sound.CodeCrawlAddress},
		{"http://[fe80::1]/", o2sound.CodeCrawlAddress},
		{"http://224.0.0.1/", o2sound.CodeCrawlAddress},
		{"http://[ff02::1]/", o2sound.CodeCrawlAddress},
		{"http://255.255.255.255/", o2sound.CodeCrawlAddress},
		{"http://240.0.0.1/", o2sound.CodeCrawlAddress},
		// Names that resolve to forbidden addresses.
		{"http://private.test/", o2sound.CodeCrawlAddress},
		{"http://loop.test:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"http://loop6.test:" + p6 + "/", o2sound.CodeCrawlAddress},
		{"http://mapped.test:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"http://mixed.test:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"http://metadata.test/", o2sound.CodeCrawlAddress},
		{"http://nat64.test:" + p4 + "/", o2sound.CodeCrawlAddress},
		{"http://ula.test/", o2sound.CodeCrawlAddress},
		{"http://cgnat.test/", o2sound.CodeCrawlAddress},
		{"http://benchmark.test/", o2sound.CodeCrawlAddress},
		// Odd ports on a public host.
		{"http://example.com:22/", o2sound.CodeCrawlAddress},
		{"http://example.com:8080/", o2sound.CodeCrawlAddress},
		{"https://example.com:25/", o2sound.CodeCrawlAddress},
		{"http://example.com:6379/", o2sound.CodeCrawlAddress},
		// Other schemes.
		{"file:///etc/passwd", o2sound.CodeCrawlInvalidURL},
		{"file://localhost/etc/passwd", o2sound.CodeCrawlInvalidURL},
		{"gopher://127.0.0.1:" + p4 + "/_GET%20/", o2sound.CodeCrawlInvalidURL},
		{"dict://127.0.0.1:11211/stat", o2sound.CodeCrawlInvalidURL},
		{"ftp://example.com/", o2sound.CodeCrawlInvalidURL},
		{"javascript:alert(1)", o2sound.CodeCrawlInvalidURL},
		{"data:text/html,<h1>x</h1>", o2sound.CodeCrawlInvalidURL},
		// User info tricks and malformed hosts.
		{"http://example.com@127.0.0.1:" + p4 + "/", o2sound.CodeCrawlInvalidURL},
		{"http://user:pass@example.com/", o2sound.CodeCrawlInvalidURL},
		{"http://example.com:80@127.0.0.1:" + p4 + "/", o2sound.CodeCrawlInvalidURL},
		{"http://127.0.0.1%00.example.com/", o2sound.CodeCrawlInvalidURL},
		{"http://1.2.3.4.5/", o2sound.CodeCrawlInvalidURL},
		{"http://256.0.0.1/", o2sound.CodeCrawlInvalidURL},
		{"http://0x100000000/", o2sound.CodeCrawlInvalidURL},
		{"http://[::1%25lo]:" + p6 + "/", o2sound.CodeCrawlAddress},
		{"http:// 127.0.0.1/", o2sound.CodeCrawlInvalidURL},
	}
	if len(cases) < 40 {
		t.Fatalf("battery has %d cases, want at least 40", len(cases))
	}
	c := NewClient(opts)
	for _, tc := range cases {
		t.Run(tc.url, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			wantCode(t, CheckURL(ctx, tc.url, opts), tc.code)
			_, err := c.Get(ctx, Request{URL: tc.url})
			wantCode(t, err, tc.code)
		})
	}
	t.Cleanup(func() {
		if n := v4.hits.Load() + v6.hits.Load(); n != 0 {
			t.Errorf("%d connections reached the loopback traps", n)
		}
	})
}

// publicServer is an httptest server the policy treats as public: its 127.0.0.1 address
// is allowed by prefix, so anything else on loopback is still forbidden.
func publicServer(t *testing.T, h http.Handler, res *fakeResolver) (*httptest.Server, Options) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	ap := netip.MustParseAddrPort(srv.Listener.Addr().String())
	opts := Options{
		AllowedPrefixes: []netip.Prefix{netip.PrefixFrom(ap.Addr(), 32)},
		AllowedPorts:    []int{int(ap.Port())},
		Resolver:        res,
		Timeout:         5 * time.Second,
		ConnectTimeout:  time.Second,
	}
	return srv, opts
}

// TestSSRFRedirects: a public-looking page that redirects to a forbidden place must be
// stopped at the hop, before any connection reaches it.
func TestSSRFRedirects(t *testing.T) {
	t.Parallel()
	lo2 := newTrap(t, "tcp", "127.0.0.2:0")
	v6 := newTrap(t, "tcp6", "[::1]:0")
	res := &fakeResolver{table: map[string][]netip.Addr{"inside.test": addrs("127.0.0.2")}}
	var target atomic.Value
	srv, opts := publicServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.Load().(map[string]string)[r.URL.Path], http.StatusFound)
	}), res)
	opts.AllowedPorts = append(opts.AllowedPorts, lo2.port(), v6.port(), 80)
	routes := map[string]string{
		"/lo2":             "http://127.0.0.2:" + lo2.portString() + "/",
		"/lo2num":          "http://2130706434:" + lo2.portString() + "/",
		"/v6":              "http://[::1]:" + v6.portString() + "/",
		"/mapped":          "http://[::ffff:127.0.0.2]:" + lo2.portString() + "/",
		"/name":            "http://inside.test:" + lo2.portString() + "/",
		"/metadata":        "http://169.254.169.254/latest/meta-data/iam/",
		"/file":            "file:///etc/passwd",
		"/gopher":          "gopher://127.0.0.2:" + lo2.portString() + "/_x",
		"/userinfo":        "http://" + srv.Listener.Addr().String() + "@127.0.0.2:" + lo2.portString() + "/",
		"/port":            "http://" + strings.Split(srv.Listener.Addr().String(), ":")[0] + ":22/",
		"/scheme-relative": "//127.0.0.2:" + lo2.portString() + "/",
	}
	target.Store(routes)
	want := map[string]string{
		"/lo2": o2sound.CodeCrawlAddress, "/lo2num": o2sound.CodeCrawlAddress, "/v6": o2sound.CodeCrawlAddress,
		"/mapped": o2sound.CodeCrawlAddress, "/name": o2sound.CodeCrawlAddress, "/metadata": o2sound.CodeCrawlAddress,
		"/file": o2sound.CodeCrawlInvalidURL, "/gopher": o2sound.CodeCrawlInvalidURL, "/userinfo": o2sound.CodeCrawlInvalidURL,
		"/port": o2sound.CodeCrawlAddress, "/scheme-relative": o2sound.CodeCrawlAddress,
	}
	c := NewClient(opts)
	for path, code := range want {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			_, err := c.Get(context.Background(), Request{URL: srv.URL + path})
			wantCode(t, err, code)
		})
	}
	t.Cleanup(func() {
		if n := lo2.hits.Load() + v6.hits.Load(); n != 0 {
			t.Errorf("%d connections reached the traps", n)
		}
	})
}

// TestSSRFRebinding: the name answers with an allowed address for the first connection
// and a forbidden one afterwards. The second connection must be refused: the check runs
// on every dial, on the very address dialled.
func TestSSRFRebinding(t *testing.T) {
	t.Parallel()
	lo2 := newTrap(t, "tcp", "127.0.0.2:0")
	res := &fakeResolver{}
	srv, opts := publicServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close") // force a new dial for the next request
		fmt.Fprint(w, "<html><title>ok</title></html>")
	}), res)
	port := netip.MustParseAddrPort(srv.Listener.Addr().String()).Port()
	res.answer = func(host string, call int) []netip.Addr {
		if call == 1 {
			return addrs("127.0.0.1")
		}
		return addrs("127.0.0.2")
	}
	c := NewClient(opts)
	u := fmt.Sprintf("http://rebind.test:%d/", port)
	resp, err := c.Get(context.Background(), Request{URL: u})
	if err != nil {
		t.Fatalf("first fetch: %v", err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("first fetch status %d", resp.StatusCode)
	}
	_, err = c.Get(context.Background(), Request{URL: u})
	wantCode(t, err, o2sound.CodeCrawlAddress)

	// Same again on the trap's port, so a dial that got through would be counted.
	opts.AllowedPorts = append(opts.AllowedPorts, lo2.port())
	c2 := NewClient(opts)
	res.calls.Store(1) // next call is #2: the forbidden answer
	_, err = c2.Get(context.Background(), Request{URL: fmt.Sprintf("http://rebind.test:%d/", lo2.port())})
	wantCode(t, err, o2sound.CodeCrawlAddress)
	if n := lo2.hits.Load(); n != 0 {
		t.Errorf("%d connections reached the trap", n)
	}
}

// TestControlHook checks the last line of defence directly: whatever resolved the
// address, the socket-level hook refuses forbidden peers and ports.
func TestControlHook(t *testing.T) {
	t.Parallel()
	p := newPolicy(Options{})
	cases := []struct {
		addr string
		ok   bool
	}{
		{"93.184.216.34:80", true},
		{"93.184.216.34:443", true},
		{"[2606:2800:220:1:248:1893:25c8:1946]:443", true},
		{"[::ffff:93.184.216.34]:80", true},
		{"93.184.216.34:8080", false},
		{"127.0.0.1:80", false},
		{"[::1]:80", false},
		{"[::ffff:10.0.0.1]:80", false},
		{"169.254.169.254:80", false},
		{"[64:ff9b::a9fe:a9fe]:80", false},
		{"0.0.0.0:80", false},
		{"not an address", false},
	}
	for _, tc := range cases {
		err := p.control("tcp4", tc.addr, nil)
		if (err == nil) != tc.ok {
			t.Errorf("control(%s) = %v, want ok=%v", tc.addr, err, tc.ok)
		}
	}
	// AllowPrivateNetworks opens loopback and private ranges, never metadata.
	dev := newPolicy(Options{AllowPrivateNetworks: true})
	for addr, ok := range map[string]bool{
		"127.0.0.1:8080": true, "10.0.0.1:3000": true, "[::1]:9000": true,
		"169.254.169.254:80": false, "[fd00:ec2::254]:80": false, "[fe80::1]:80": false,
	} {
		if err := dev.control("tcp", addr, nil); (err == nil) != ok {
			t.Errorf("dev control(%s) = %v, want ok=%v", addr, err, ok)
		}
	}
}

func TestParseIPv4Loose(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in      string
		want    string // "" means "a host name"
		invalid bool
	}{
		{"127.0.0.1", "127.0.0.1", false},
		{"2130706433", "127.0.0.1", false},
		{"0x7f000001", "127.0.0.1", false},
		{"0X7F000001", "127.0.0.1", false},
		{"0177.0.0.1", "127.0.0.1", false},
		{"0177.1", "127.0.0.1", false},
		{"127.1", "127.0.0.1", false},
		{"127.0.1", "127.0.0.1", false},
		{"10.0x10.1", "10.16.0.1", false},
		{"1.2.3.4.", "1.2.3.4", false},
		{"0", "0.0.0.0", false},
		{"0x", "0.0.0.0", false},
		{"4294967295", "255.255.255.255", false},
		{"4294967296", "", true},
		{"256.1.1.1", "", true},
		{"1.2.3.4.5", "", true},
		{"1.2.3.09", "", true}, // 09 is not octal
		{"example.com", "", false},
		{"1.2.3.example", "", false},
		{"cafe", "", false},
		{"x.0x", "", true}, // last label is a number ("0x" is 0), so all must be
	}
	for _, tc := range cases {
		ip, ok, err := parseIPv4Loose(tc.in)
		switch {
		case tc.invalid:
			if err == nil {
				t.Errorf("%q: got %v, want invalid", tc.in, ip)
			}
		case tc.want == "":
			if ok || err != nil {
				t.Errorf("%q: got %v ok=%v err=%v, want a host name", tc.in, ip, ok, err)
			}
		default:
			if err != nil || !ok || ip.String() != tc.want {
				t.Errorf("%q: got %v ok=%v err=%v, want %s", tc.in, ip, ok, err, tc.want)
			}
		}
	}
}
