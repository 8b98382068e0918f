package httpapi

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// Limits protect a server from clients that hold connections open: a
// client with no token must not be able to exhaust it.
type Limits struct {
	// MaxConns caps open connections, websockets included; the last
	// Reserve of them serve only health checks (/healthz, /readyz), one
	// request each, so that probes still answer when the rest are taken.
	MaxConns int
	Reserve  int
	// PerAddr caps the connections of one client address (0: no cap).
	// Trusted proxies are exempt: they carry many clients.
	PerAddr int
	// IdleTimeout closes a keep-alive connection that sends no request;
	// BodyTimeout one whose request body stops arriving, and bounds how
	// long a request may take to read (each read of the body extends it).
	IdleTimeout       time.Duration
	ReadHeaderTimeout time.Duration
	BodyTimeout       time.Duration
	// WriteTimeout bounds writing a response (a long upload extends it).
	// Websockets keep their own deadlines: the upgrade clears these.
	WriteTimeout   time.Duration
	MaxHeaderBytes int
}

// DefaultLimits are the public server's limits for a process that may
// open nofile descriptors: the cap keeps room for the database pool and
// files.
func DefaultLimits(nofile int) Limits {
	l := Limits{
		MaxConns: 20_000, PerAddr: 2_000, Reserve: 32,
		IdleTimeout: 30 * time.Second, ReadHeaderTimeout: 10 * time.Second, BodyTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, MaxHeaderBytes: 64 << 10,
	}
	if nofile > 0 && nofile-128 < l.MaxConns {
		l.MaxConns = max(nofile-128, 16)
	}
	l.Reserve = min(l.Reserve, l.MaxConns/4)
	return l
}

// SideLimits are for the operator's own endpoints (metrics, pprof).
func SideLimits() Limits {
	return Limits{
		MaxConns: 64, PerAddr: 0, Reserve: 0,
		IdleTimeout: 30 * time.Second, ReadHeaderTimeout: 10 * time.Second, BodyTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, MaxHeaderBytes: 16 << 10,
	}
}

// NewHTTPServer wraps h in an http.Server with l's timeouts and header
// limit; Listen applies the connection caps.
func NewHTTPServer(h http.Handler, l Limits, log *slog.Logger) *http.Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &http.Server{
		Handler:           reserveOnly(bodyDeadlines(h, l)),
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.BodyTimeout,
		WriteTimeout:      l.WriteTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    l.MaxHeaderBytes,
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			if lc, ok := c.(*limitedConn); ok {
				return context.WithValue(ctx, connKey{}, lc)
			}
			return ctx
		},
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
}

// bodyDeadlines moves the read (and write) deadline forward each time part
// of a request body arrives, so a large upload on a slow link goes through
// while a body that stops arriving is cut off after BodyTimeout.
func bodyDeadlines(next http.Handler, l Limits) http.Handler {
	if l.BodyTimeout <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = &progressBody{ReadCloser: r.Body, rc: http.NewResponseController(w), read: l.BodyTimeout, write: l.WriteTimeout}
		}
		next.ServeHTTP(w, r)
	})
}

type progressBody struct {
	io.ReadCloser
	rc          *http.ResponseController
	read, write time.Duration
}

func (b *progressBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		now := time.Now()
		_ = b.rc.SetReadDeadline(now.Add(b.read))
		if b.write > 0 {
			_ = b.rc.SetWriteDeadline(now.Add(b.write))
		}
	}
	return n, err
}

type connKey struct{}

// reserveOnly answers on a reserve connection only the health checks, and
// closes it after one request.
func reserveOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lc, _ := r.Context().Value(connKey{}).(*limitedConn)
		if lc == nil || !lc.reserve {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Connection", "close")
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Retry-After", "5")
		writeError(w, nil, &apiError{http.StatusServiceUnavailable, "busy", "the server has too many open connections; try again in a few seconds"})
	})
}

// Listen wraps ln with l's connection caps. proxies are exempt from the
// per-address cap.
func Listen(ln net.Listener, l Limits, proxies []netip.Prefix, log *slog.Logger) net.Listener {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &limitListener{Listener: ln, lim: l, proxies: proxies, log: log, byAddr: map[netip.Addr]int{}}
}

type limitListener struct {
	net.Listener
	lim     Limits
	proxies proxies
	log     *slog.Logger

	mu        sync.Mutex
	open      int
	byAddr    map[netip.Addr]int
	refused   int
	lastLog   time.Time
	reserveBy map[netip.Addr]int
}

// reservePerAddr is how many reserve connections one address may hold:
// enough for a liveness and a readiness probe at once.
const reservePerAddr = 4

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		addr := addrOf(c)
		if lc := l.admit(c, addr); lc != nil {
			return lc, nil
		}
		c.Close()
	}
}

// admit decides, under the lock, whether a new connection is served
// fully, as a reserve one, or refused (nil).
func (l *limitListener) admit(c net.Conn, addr netip.Addr) *limitedConn {
	l.mu.Lock()
	defer l.mu.Unlock()
	exempt := !addr.IsValid() || l.lim.PerAddr <= 0 || l.proxies.trustedAddr(addr)
	switch {
	case l.open < l.lim.MaxConns-l.lim.Reserve && (exempt || l.byAddr[addr] < l.lim.PerAddr):
		l.open++
		l.byAddr[addr]++
		return &limitedConn{Conn: c, l: l, addr: addr}
	case l.open < l.lim.MaxConns && l.reserveBy[addr] < reservePerAddr:
		l.open++
		l.byAddr[addr]++
		if l.reserveBy == nil {
			l.reserveBy = map[netip.Addr]int{}
		}
		l.reserveBy[addr]++
		return &limitedConn{Conn: c, l: l, addr: addr, reserve: true}
	}
	l.refused++
	if now := time.Now(); now.Sub(l.lastLog) > 10*time.Second {
		l.log.Warn("connection limit reached: refusing connections", "open", l.open, "max", l.lim.MaxConns,
			"per_address", l.lim.PerAddr, "refused_since_last_report", l.refused)
		l.lastLog, l.refused = now, 0
	}
	return nil
}

func (l *limitListener) release(lc *limitedConn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open--
	if l.byAddr[lc.addr]--; l.byAddr[lc.addr] <= 0 {
		delete(l.byAddr, lc.addr)
	}
	if lc.reserve {
		if l.reserveBy[lc.addr]--; l.reserveBy[lc.addr] <= 0 {
			delete(l.reserveBy, lc.addr)
		}
	}
}

// Open reports how many connections are open.
func (l *limitListener) Open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open
}

// limitedConn is a counted connection; closing it frees its place (also
// after a websocket upgrade took it over).
type limitedConn struct {
	net.Conn
	l       *limitListener
	addr    netip.Addr
	reserve bool
	once    sync.Once
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c) })
	return err
}

func addrOf(c net.Conn) netip.Addr {
	if ta, ok := c.RemoteAddr().(*net.TCPAddr); ok {
		if a, ok := netip.AddrFromSlice(ta.IP); ok {
			return a.Unmap()
		}
	}
	if ap, err := netip.ParseAddrPort(c.RemoteAddr().String()); err == nil {
		return ap.Addr().Unmap()
	}
	return netip.Addr{}
}
