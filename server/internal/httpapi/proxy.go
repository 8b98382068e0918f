package httpapi

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// proxies are the reverse proxies whose X-Forwarded-For and
// X-Forwarded-Proto headers are believed. Anyone else could forge them.
type proxies []netip.Prefix

func (p proxies) trusted(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	return p.trustedAddr(ip)
}

func (p proxies) trustedAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	for _, pre := range p {
		if pre.Contains(ip) {
			return true
		}
	}
	return false
}

func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// clientIP is the address a request came from: the peer, or, when the
// peer is a trusted proxy, the nearest untrusted hop in X-Forwarded-For.
func (p proxies) clientIP(r *http.Request) string {
	host := remoteHost(r)
	if !p.trusted(host) {
		return host
	}
	hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		if h == "" {
			continue
		}
		if !p.trusted(h) {
			return h
		}
		host = h
	}
	return host
}

// secure reports whether the browser reached us over TLS, directly or
// through a trusted proxy that terminated it.
func (p proxies) secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	return p.trusted(remoteHost(r)) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// ParseProxies reads CIDRs or single addresses.
func ParseProxies(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !strings.Contains(s, "/") {
			a, err := netip.ParseAddr(s)
			if err != nil {
				return nil, err
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		pre, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, err
		}
		out = append(out, pre)
	}
	return out, nil
}
