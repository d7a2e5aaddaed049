package fetch

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

// trap is a TCP listener on a forbidden address that counts every connection reaching
// it. An SSRF test passes only if the fetch failed with the right code AND the trap
// stayed empty: a refusal after connecting would already be too late.
type trap struct {
	ln    net.Listener
	hits  atomic.Int64
	addr  netip.AddrPort
	close sync.Once
}

func newTrap(t testing.TB, network, address string) *trap {
	t.Helper()
	ln, err := net.Listen(network, address)
	if err != nil {
		t.Fatalf("trap listen %s: %v", address, err)
	}
	tr := &trap{ln: ln, addr: netip.MustParseAddrPort(ln.Addr().String())}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			tr.hits.Add(1)
			// Answer like a web server would, so a connection that got through shows up
			// as a success rather than a confusing read error.
			_, _ = fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 7\r\nConnection: close\r\n\r\nSECRET!")
			_ = c.Close()
		}
	}()
	t.Cleanup(func() { tr.close.Do(func() { _ = ln.Close() }) })
	return tr
}

func (tr *trap) port() int { return int(tr.addr.Port()) }

func (tr *trap) portString() string { return strconv.Itoa(tr.port()) }

// fakeResolver answers from a table; answer, when set, is consulted first and may vary
// by call count (DNS rebinding).
type fakeResolver struct {
	table  map[string][]netip.Addr
	answer func(host string, call int) []netip.Addr
	calls  atomic.Int64
}

func (r *fakeResolver) LookupNetIP(_ context.Context, _ string, host string) ([]netip.Addr, error) {
	n := int(r.calls.Add(1))
	if r.answer != nil {
		if a := r.answer(host, n); a != nil {
			return a, nil
		}
	}
	if a, ok := r.table[host]; ok {
		return a, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

func addrs(ss ...string) []netip.Addr {
	out := make([]netip.Addr, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParseAddr(s)
	}
	return out
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	if got := ErrorCode(err); got != code {
		t.Fatalf("got error %v (code %q), want code %s", err, got, code)
	}
}
