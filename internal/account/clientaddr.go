package account

import (
	"fmt"
	"net/netip"
	"strings"
)

// ParseTrustedProxies parses a comma-separated list of the reverse proxies
// whose X-Forwarded-For is believed: CIDRs ("10.0.0.0/8", "fd00::/8") or
// single addresses ("192.0.2.10"). Blank means none.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		var p netip.Prefix
		var err error
		if strings.Contains(f, "/") {
			p, err = netip.ParsePrefix(f)
		} else {
			var a netip.Addr
			if a, err = netip.ParseAddr(f); err == nil && a.Zone() == "" {
				p = netip.PrefixFrom(a, a.BitLen())
			}
		}
		if err != nil || !p.IsValid() {
			return nil, fmt.Errorf("trusted proxies: %q is not an address or a CIDR such as 10.0.0.0/8", f)
		}
		if p.Addr().Is4In6() {
			bits := p.Bits() - 96
			if bits < 0 {
				return nil, fmt.Errorf("trusted proxies: %q is wider than the IPv4-mapped range", f)
			}
			p = netip.PrefixFrom(p.Addr().Unmap(), bits)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// ClientAddr is the address a request came from, for the per-address
// sign-in limit and the logs. remoteAddr is the TCP peer ("IP:port", as
// http.Request.RemoteAddr) and forwardedFor the X-Forwarded-For header's
// values in order.
//
// When the peer is not in trusted (always, when trusted is empty) the
// header is ignored, whatever it says: anyone can send one, and believing
// it would let a guesser pick a fresh address for every attempt. When the
// peer is a trusted proxy, the header is read from the right, each trusted
// proxy having appended the address it saw, and the first address not in
// trusted is the client. When every address is trusted, the leftmost is the
// client; when an entry cannot be parsed, the last good one to its right
// is. The answer is the bare IP; an untrusted peer's remoteAddr is returned
// as it is.
func ClientAddr(remoteAddr string, forwardedFor []string, trusted []netip.Prefix) string {
	if len(trusted) == 0 {
		return remoteAddr
	}
	peer, ok := parseHop(remoteAddr)
	if !ok || !isTrusted(peer, trusted) {
		return remoteAddr
	}
	client := peer
	for i := len(forwardedFor) - 1; i >= 0; i-- {
		hops := strings.Split(forwardedFor[i], ",")
		for j := len(hops) - 1; j >= 0; j-- {
			h := strings.TrimSpace(hops[j])
			if h == "" {
				continue
			}
			a, ok := parseHop(h)
			if !ok {
				return client.String()
			}
			client = a
			if !isTrusted(a, trusted) {
				return a.String()
			}
		}
	}
	return client.String()
}

// parseHop reads "IP", "IP:port" or "[IPv6]:port", without a zone.
func parseHop(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, err2 := netip.ParseAddrPort(s)
		if err2 != nil {
			return netip.Addr{}, false
		}
		a = ap.Addr()
	}
	if a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
