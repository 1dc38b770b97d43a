package account

import (
	"net/netip"
	"slices"
	"testing"
)

func TestParseTrustedProxies(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		ok   bool
	}{
		{"", nil, true},
		{" , ", nil, true},
		{"10.0.0.0/8", []string{"10.0.0.0/8"}, true},
		{"10.1.2.3/8, 192.0.2.10 ,fd00::/8", []string{"10.0.0.0/8", "192.0.2.10/32", "fd00::/8"}, true},
		{"2001:db8::1", []string{"2001:db8::1/128"}, true},
		{"::ffff:10.0.0.0/104", []string{"10.0.0.0/8"}, true},
		{"::ffff:0:0/90", nil, false},
		{"10.0.0.0/33", nil, false},
		{"proxy.local", nil, false},
		{"10.0.0.1:80", nil, false},
		{"fe80::1%eth0", nil, false},
	} {
		got, err := ParseTrustedProxies(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseTrustedProxies(%q) error = %v, want ok=%v", tc.in, err, tc.ok)
			continue
		}
		var s []string
		for _, p := range got {
			s = append(s, p.String())
		}
		if !slices.Equal(s, tc.want) {
			t.Errorf("ParseTrustedProxies(%q) = %v, want %v", tc.in, s, tc.want)
		}
	}
}

func TestClientAddr(t *testing.T) {
	proxies, err := ParseTrustedProxies("10.0.0.0/8, 2001:db8:ffff::/48")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		remote  string
		xff     []string
		trusted []netip.Prefix
		want    string
	}{
		// No trusted proxies (the default): the header is never read.
		{"no proxies, no header", "192.0.2.1:5000", nil, nil, "192.0.2.1:5000"},
		{"no proxies, spoofed header", "192.0.2.1:5000", []string{"203.0.113.9"}, nil, "192.0.2.1:5000"},
		{"no proxies, even from a private peer", "10.0.0.2:5000", []string{"203.0.113.9"}, nil, "10.0.0.2:5000"},

		// An untrusted peer's header is ignored: a client cannot choose
		// its own address.
		{"untrusted peer, spoofed header", "192.0.2.1:5000", []string{"203.0.113.9"}, proxies, "192.0.2.1:5000"},
		{"untrusted peer claims a trusted proxy", "192.0.2.1:5000", []string{"203.0.113.9, 10.0.0.2"}, proxies, "192.0.2.1:5000"},
		{"untrusted IPv6 peer", "[2001:db8::1]:443", []string{"203.0.113.9"}, proxies, "[2001:db8::1]:443"},
		{"unparsable peer", "@", []string{"203.0.113.9"}, proxies, "@"},

		// A trusted peer: the rightmost untrusted address.
		{"trusted peer, one hop", "10.0.0.2:5000", []string{"192.0.2.7"}, proxies, "192.0.2.7"},
		{"trusted peer, client spoofs to the left", "10.0.0.2:5000", []string{"203.0.113.9, 192.0.2.7"}, proxies, "192.0.2.7"},
		{"spoof in an earlier header line", "10.0.0.2:5000", []string{"203.0.113.9", "192.0.2.7"}, proxies, "192.0.2.7"},
		{"two trusted proxies", "10.0.0.2:5000", []string{"203.0.113.9, 192.0.2.7, 10.9.9.9"}, proxies, "192.0.2.7"},
		{"client spoofs a trusted address", "10.0.0.2:5000", []string{"10.1.1.1, 192.0.2.7"}, proxies, "192.0.2.7"},
		{"IPv6 client", "[2001:db8:ffff::5]:443", []string{"2001:db8:1:2::9"}, proxies, "2001:db8:1:2::9"},
		{"IPv4-mapped peer and hop", "[::ffff:10.0.0.2]:5000", []string{"::ffff:192.0.2.7"}, proxies, "192.0.2.7"},
		{"hop with a port", "10.0.0.2:5000", []string{"192.0.2.7:41000"}, proxies, "192.0.2.7"},
		{"IPv6 hop with a port", "10.0.0.2:5000", []string{"[2001:db8:1::9]:41000"}, proxies, "2001:db8:1::9"},
		{"blank entries skipped", "10.0.0.2:5000", []string{"192.0.2.7, ,", ""}, proxies, "192.0.2.7"},
		{"trusted peer, no header", "10.0.0.2:5000", nil, proxies, "10.0.0.2"},
		{"everything trusted: the leftmost", "10.0.0.2:5000", []string{"10.3.3.3, 10.4.4.4"}, proxies, "10.3.3.3"},
		{"garbage stops at the last good hop", "10.0.0.2:5000", []string{"192.0.2.7, unknown, 10.4.4.4"}, proxies, "10.4.4.4"},
		{"garbage right after the peer", "10.0.0.2:5000", []string{"192.0.2.7, <script>"}, proxies, "10.0.0.2"},
		{"zoned hop is garbage", "10.0.0.2:5000", []string{"fe80::1%eth0"}, proxies, "10.0.0.2"},
	} {
		if got := ClientAddr(tc.remote, tc.xff, tc.trusted); got != tc.want {
			t.Errorf("%s: ClientAddr(%q, %q) = %q, want %q", tc.name, tc.remote, tc.xff, got, tc.want)
		}
		// Whatever comes out, the limiter can key it.
		if AddrKey(ClientAddr(tc.remote, tc.xff, tc.trusted)) == "" {
			t.Errorf("%s: empty address key", tc.name)
		}
	}
}
