package httpapi

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/wire"
)

const (
	// revokeEvery is how often a node checks its live connections'
	// tokens and sessions; a revoked one closes within about this long
	// (under a second, with the query).
	revokeEvery = 400 * time.Millisecond
	// presenceEvery is how often a node rewrites who is connected to it,
	// well within store.PresenceTTL; a change is written sooner, at most
	// once per presenceSoonest.
	presenceEvery   = 15 * time.Second
	presenceSoonest = 2 * time.Second
)

// closer is what the registry needs of a connection.
type closer interface {
	Close(code int, reason string)
}

// liveEntry is a live connection's credentials.
type liveEntry struct {
	token, session, participant uuid.UUID
}

// registry holds every live connection of this node from before its join
// until it ends, with the token and session it came with. Checking them
// all on every tick, rather than acting on the revocations seen since
// the last one, is what closes a connection that was still joining when
// its token was revoked.
type registry struct {
	node uuid.UUID // this node, in the presence table

	mu      sync.Mutex
	conns   map[closer]liveEntry
	byPart  map[uuid.UUID]int // live connections per participant
	changed chan struct{}     // presence changed; capacity 1
}

func newRegistry() *registry {
	return &registry{node: uuid.New(), conns: map[closer]liveEntry{}, byPart: map[uuid.UUID]int{}, changed: make(chan struct{}, 1)}
}

// register records a connection and returns the function that forgets it.
func (s *Server) register(c closer, p store.Participant) (unregister func()) {
	g := s.watch
	e := liveEntry{token: p.TokenID, session: p.SessionID, participant: p.ID}
	g.mu.Lock()
	g.conns[c] = e
	g.byPart[p.ID]++
	first := g.byPart[p.ID] == 1
	g.mu.Unlock()
	if first {
		g.signal()
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			delete(g.conns, c)
			g.byPart[p.ID]--
			last := g.byPart[p.ID] <= 0
			if last {
				delete(g.byPart, p.ID)
			}
			g.mu.Unlock()
			if last {
				g.signal()
			}
		})
	}
}

func (g *registry) signal() {
	select {
	case g.changed <- struct{}{}:
	default:
	}
}

// snapshot lists the tokens and sessions in use, without duplicates.
func (g *registry) snapshot() (tokens, sessions []uuid.UUID) {
	g.mu.Lock()
	defer g.mu.Unlock()
	seenT, seenS := map[uuid.UUID]bool{}, map[uuid.UUID]bool{}
	for _, e := range g.conns {
		if !seenT[e.token] {
			seenT[e.token] = true
			tokens = append(tokens, e.token)
		}
		if e.session != uuid.Nil && !seenS[e.session] {
			seenS[e.session] = true
			sessions = append(sessions, e.session)
		}
	}
	return tokens, sessions
}

// closeDead closes the connections whose token or session is in dead.
func (g *registry) closeDead(deadTokens, deadSessions []uuid.UUID) int {
	if len(deadTokens) == 0 && len(deadSessions) == 0 {
		return 0
	}
	dt, ds := map[uuid.UUID]bool{}, map[uuid.UUID]bool{}
	for _, id := range deadTokens {
		dt[id] = true
	}
	for _, id := range deadSessions {
		ds[id] = true
	}
	var doomed []closer
	g.mu.Lock()
	for c, e := range g.conns {
		if dt[e.token] || (e.session != uuid.Nil && ds[e.session]) {
			doomed = append(doomed, c)
		}
	}
	g.mu.Unlock()
	for _, c := range doomed {
		c.Close(wire.CloseRevoked, "token revoked or expired, or signed out")
	}
	return len(doomed)
}

func (g *registry) counts() map[uuid.UUID]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make(map[uuid.UUID]int, len(g.byPart))
	for id, n := range g.byPart {
		out[id] = n
	}
	return out
}

// Run keeps this node's live connections honest until ctx is done: it
// closes (with 4010) every connection whose token was revoked or expired
// or whose session ended, joining or joined, and records who is connected
// for the secretariat's "online now".
func (s *Server) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.runPresence(ctx)
	}()
	defer wg.Wait()
	t := time.NewTicker(revokeEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		tokens, sessions := s.watch.snapshot()
		if len(tokens) == 0 {
			continue
		}
		qctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		deadT, deadS, err := s.store.Dead(qctx, tokens, sessions)
		cancel()
		if err != nil {
			continue // the database is down; try again
		}
		if n := s.watch.closeDead(deadT, deadS); n > 0 {
			s.log.Info("closed connections of revoked tokens or ended sessions", "tokens", len(deadT), "sessions", len(deadS), "connections", n)
		}
	}
}

func (s *Server) runPresence(ctx context.Context) {
	g := s.watch
	t := time.NewTicker(presenceEvery)
	defer t.Stop()
	var last map[uuid.UUID]int
	write := func(now map[uuid.UUID]int) {
		if len(now) == 0 && len(last) == 0 {
			return // nothing to say, and nothing said before
		}
		qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := s.store.SyncPresence(qctx, g.node, now); err != nil {
			s.log.Debug("presence not recorded", "err", err)
			return
		}
		last = now
	}
	// At the end, leave the table as if no one were connected here.
	defer write(map[uuid.UUID]int{})
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-g.changed:
			// Coalesce a burst of joins into one write.
			select {
			case <-ctx.Done():
				return
			case <-time.After(presenceSoonest):
			}
		}
		write(g.counts())
	}
}
