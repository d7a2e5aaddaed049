package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"code.dny.dev/ssrf"
	"github.com/o2sound/o2sound/internal/o2sound"
)

// Resolver looks host names up. *net.Resolver satisfies it; tests inject a fake so a
// name can "resolve" to a chosen address without touching DNS.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// alwaysDenied are cloud metadata endpoints. They stay refused even with
// AllowPrivateNetworks: a developer never needs them and they hold credentials.
var alwaysDenied = []netip.Prefix{
	netip.MustParsePrefix("169.254.0.0/16"),     // link-local, incl. 169.254.169.254 (AWS, GCP, Azure)
	netip.MustParsePrefix("fe80::/10"),          // IPv6 link-local
	netip.MustParsePrefix("fd00:ec2::254/128"),  // AWS IPv6 metadata
	netip.MustParsePrefix("100.100.100.200/32"), // Alibaba Cloud metadata
}

var errAddressNotAllowed = errors.New("address not allowed")

// policy decides which addresses and ports may be dialled. It is consulted twice per
// connection: on the resolved addresses before dialling (so the refusal has a clear
// message) and in net.Dialer.Control on the socket's real peer address (so no code path,
// redirect hop or re-resolution can reach a forbidden address unchecked).
type policy struct {
	allowPrivate bool
	ports        []int // nil means any port
	allowed      []netip.Prefix
	guardian     *ssrf.Guardian
}

func newPolicy(o Options) *policy {
	p := &policy{allowPrivate: o.AllowPrivateNetworks, allowed: o.AllowedPrefixes}
	switch {
	case len(o.AllowedPorts) > 0:
		p.ports = slices.Clone(o.AllowedPorts)
	case o.AllowPrivateNetworks:
		// Development servers run on :8080, :3000 …; reaching them is the point of the flag.
		p.ports = nil
	default:
		p.ports = []int{80, 443}
	}
	// The guardian carries the IANA special-purpose deny lists (private, loopback,
	// multicast, reserved, 6to4, NAT64, Teredo, documentation …). Ports are checked here.
	p.guardian = ssrf.New(ssrf.WithAnyPort())
	return p
}

func (p *policy) checkPort(port int) error {
	if p.ports == nil || slices.Contains(p.ports, port) {
		return nil
	}
	return newError(o2sound.CodeCrawlAddress,
		fmt.Sprintf("Port %d is not allowed. Use the site's normal address (port 80 or 443).", port),
		fmt.Errorf("%w: port %d", errAddressNotAllowed, port))
}

func (p *policy) checkAddr(ip netip.Addr) error {
	refuse := func(why string) error {
		return newError(o2sound.CodeCrawlAddress,
			"That address points to a private or reserved network, which O2Sound does not visit. Use your website's public address.",
			fmt.Errorf("%w: %s: %s", errAddressNotAllowed, ip, why))
	}
	if !ip.IsValid() {
		return refuse("invalid address")
	}
	if ip.Zone() != "" {
		return refuse("scoped address")
	}
	// ::ffff:a.b.c.d reaches a.b.c.d; judge it as the IPv4 address it is.
	ip = ip.Unmap()
	for _, pfx := range alwaysDenied {
		if pfx.Contains(ip) {
			return refuse("metadata or link-local address")
		}
	}
	for _, pfx := range p.allowed {
		if pfx.Contains(ip) {
			return nil
		}
	}
	if p.allowPrivate {
		return nil
	}
	if err := p.guardian.SafeAddr(ip); err != nil {
		return refuse(err.Error())
	}
	return nil
}

// control is the net.Dialer.Control hook: the last word on every socket.
func (p *policy) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return newError(o2sound.CodeCrawlAddress, "That address is not allowed.", fmt.Errorf("%w: %q: %v", errAddressNotAllowed, address, err))
	}
	if err := p.checkPort(int(ap.Port())); err != nil {
		return err
	}
	return p.checkAddr(ap.Addr())
}

// dialer returns a DialContext that resolves once, checks every answer, and dials the
// checked address itself, so a DNS answer that changes between check and connect
// (rebinding) cannot slip through.
func (p *policy) dialer(resolver Resolver, d *net.Dialer) func(ctx context.Context, network, address string) (net.Conn, error) {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		host, portStr, err := net.SplitHostPort(address)
		if err != nil {
			return nil, newError(o2sound.CodeCrawlInvalidURL, "That web address is not valid.", err)
		}
		port, err := strconv.Atoi(portStr)
		if err != nil || port <= 0 || port > 65535 {
			return nil, newError(o2sound.CodeCrawlInvalidURL, "That web address has an invalid port.", fmt.Errorf("port %q", portStr))
		}
		if err := p.checkPort(port); err != nil {
			return nil, err
		}
		ips, err := p.resolve(ctx, resolver, host)
		if err != nil {
			return nil, err
		}
		var firstErr error
		for _, ip := range ips {
			conn, err := d.DialContext(ctx, "tcp", netip.AddrPortFrom(ip, uint16(port)).String())
			if err == nil {
				return conn, nil
			}
			if firstErr == nil {
				firstErr = err
			}
			if ctx.Err() != nil {
				break
			}
		}
		return nil, firstErr
	}
}

// resolve turns a host into checked addresses. Every answer must pass: a mix of public
// and private answers is a rebinding trick, not a reason to try the public one.
func (p *policy) resolve(ctx context.Context, resolver Resolver, host string) ([]netip.Addr, error) {
	ip, isIP, err := parseHostIP(host)
	if err != nil {
		return nil, err
	}
	if isIP {
		if err := p.checkAddr(ip); err != nil {
			return nil, err
		}
		return []netip.Addr{ip.Unmap()}, nil
	}
	if err := p.checkHostName(host); err != nil {
		return nil, err
	}
	ips, err := resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, newError(o2sound.CodeCrawlUnreachable, "We could not find that website. Check the spelling of the address.", err)
	}
	if len(ips) == 0 {
		return nil, newError(o2sound.CodeCrawlUnreachable, "We could not find that website. Check the spelling of the address.", fmt.Errorf("no addresses for %q", host))
	}
	out := make([]netip.Addr, 0, len(ips))
	for _, ip := range ips {
		if err := p.checkAddr(ip); err != nil {
			return nil, err
		}
		out = append(out, ip.Unmap())
	}
	return out, nil
}

// checkHostName refuses names that mean "this machine" before any lookup: some
// resolvers answer them from /etc/hosts with addresses a policy may allow by prefix.
func (p *policy) checkHostName(host string) error {
	if p.allowPrivate {
		return nil
	}
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return newError(o2sound.CodeCrawlAddress,
			"That address points to this computer, which O2Sound does not visit. Use your website's public address.",
			fmt.Errorf("%w: %s", errAddressNotAllowed, host))
	}
	return nil
}

// parseHostIP recognises every spelling of an IP address a browser or libc accepts:
// bracketless IPv6, and the WHATWG IPv4 forms "2130706433", "0x7f000001", "0177.0.0.1",
// "127.1". Anything whose last label is numeric but does not parse is an invalid host:
// passing it to a resolver would let libc reinterpret it.
func parseHostIP(host string) (netip.Addr, bool, error) {
	h := strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.Contains(h, ":") {
		ip, err := netip.ParseAddr(h)
		if err != nil {
			return netip.Addr{}, false, newError(o2sound.CodeCrawlInvalidURL, "That web address is not valid.", fmt.Errorf("host %q: %w", host, err))
		}
		return ip, true, nil
	}
	ip, ok, err := parseIPv4Loose(h)
	if err != nil {
		return netip.Addr{}, false, newError(o2sound.CodeCrawlInvalidURL, "That web address is not valid.", fmt.Errorf("host %q: %w", host, err))
	}
	return ip, ok, nil
}

// parseIPv4Loose implements the WHATWG URL "IPv4 parser". ok is false when the host
// is a name (its last label is not a number).
func parseIPv4Loose(h string) (netip.Addr, bool, error) {
	parts := strings.Split(h, ".")
	if len(parts) > 1 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	if len(parts) == 0 {
		return netip.Addr{}, false, nil
	}
	if !endsInNumber(parts[len(parts)-1]) {
		return netip.Addr{}, false, nil // a host name
	}
	if len(parts) > 4 {
		return netip.Addr{}, false, errors.New("too many IPv4 parts")
	}
	nums := make([]uint64, len(parts))
	for i, part := range parts {
		n, err := parseIPv4Number(part)
		if err != nil {
			return netip.Addr{}, false, err
		}
		nums[i] = n
	}
	for _, n := range nums[:len(nums)-1] {
		if n > 255 {
			return netip.Addr{}, false, errors.New("IPv4 part out of range")
		}
	}
	last := nums[len(nums)-1]
	if last >= 1<<(8*(5-len(nums))) {
		return netip.Addr{}, false, errors.New("IPv4 address out of range")
	}
	v := last
	for i, n := range nums[:len(nums)-1] {
		v += n << (8 * (3 - i))
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true, nil
}

// endsInNumber is the WHATWG "ends in a number" check on the last label: all digits
// ("09" counts, and then fails to parse), or a valid 0x/octal/decimal number.
func endsInNumber(last string) bool {
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return true
	}
	_, err := parseIPv4Number(last)
	return err == nil
}

func parseIPv4Number(s string) (uint64, error) {
	if s == "" {
		return 0, errors.New("empty IPv4 part")
	}
	base := 10
	switch {
	case len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X"):
		s, base = s[2:], 16
		if s == "" {
			return 0, nil
		}
	case len(s) >= 2 && s[0] == '0':
		s, base = s[1:], 8
	}
	if len(s) > 32 {
		return 0, errors.New("IPv4 part too long")
	}
	n, err := strconv.ParseUint(s, base, 64)
	if err != nil {
		return 0, err
	}
	return n, nil
}
