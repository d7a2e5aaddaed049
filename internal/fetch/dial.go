package fetch

import (
	"context"
	"net"
	"time"
)

// DialContext is the shape of net.Dialer.DialContext and http.Transport.DialContext.
type DialContext = func(ctx context.Context, network, address string) (net.Conn, error)

// NewDialer returns the guarded dialer a Client built from opts uses: it resolves once,
// checks every answer and the port against the same policy, dials the checked address
// itself and checks the socket's real peer again at connect time. It is for code that
// must connect on a stranger's behalf without going through Client.Get — the renderer's
// proxy, which carries a headless browser's every connection.
func NewDialer(opts Options) DialContext {
	opts = opts.withDefaults()
	p := newPolicy(opts)
	d := &net.Dialer{
		Timeout:   opts.ConnectTimeout,
		KeepAlive: 30 * time.Second,
		Control:   p.control,
	}
	return p.dialer(resolverOf(opts), d)
}
