package httpapi

import (
	"crypto/tls"
	"net/http/httptest"
	"testing"
)

func TestTrustedProxies(t *testing.T) {
	t.Parallel()
	pre, err := ParseProxies([]string{"10.0.0.0/8", "::1"})
	if err != nil {
		t.Fatal(err)
	}
	p := proxies(pre)
	cases := []struct {
		remote, xff, proto string
		ip                 string
		secure             bool
	}{
		{"203.0.113.9:5000", "1.2.3.4", "https", "203.0.113.9", false}, // untrusted peer: headers ignored
		{"10.1.2.3:5000", "198.51.100.7", "https", "198.51.100.7", true},
		{"10.1.2.3:5000", "198.51.100.7, 10.9.9.9", "http", "198.51.100.7", false},
		{"10.1.2.3:5000", "6.6.6.6, 198.51.100.7", "", "198.51.100.7", false}, // the client cannot spoof past the proxy
		{"[::1]:5000", "2001:db8::1", "https", "2001:db8::1", true},
		{"10.1.2.3:5000", "", "", "10.1.2.3", false},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		r.Header.Set("X-Forwarded-Proto", c.proto)
		if got := p.clientIP(r); got != c.ip {
			t.Errorf("%s / %q: client %s, want %s", c.remote, c.xff, got, c.ip)
		}
		if got := p.secure(r); got != c.secure {
			t.Errorf("%s / %q: secure %v, want %v", c.remote, c.proto, got, c.secure)
		}
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.TLS = &tls.ConnectionState{}
	if !p.secure(r) {
		t.Error("direct TLS not secure")
	}
	if _, err := ParseProxies([]string{"not-an-ip"}); err == nil {
		t.Error("bad proxy accepted")
	}
}
