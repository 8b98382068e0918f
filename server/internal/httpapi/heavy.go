package httpapi

import (
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Heavy requests (export, the document at a seq, diff, import) each hold a
// whole document or two in memory and take the CPU for a while. They are
// bounded so that they cannot starve the rooms: a node runs at most
// HeavySlots of them at once, and one token at most HeavyPerToken.
type heavyLimiter struct {
	slots    chan struct{}
	wait     time.Duration
	perToken int

	mu    sync.Mutex
	inUse map[uuid.UUID]int
}

// HeavyLimits tunes the heavy-request limits (zero values: defaults).
type HeavyLimits struct {
	// Slots is how many heavy requests a node runs at once (default:
	// GOMAXPROCS, at least 2).
	Slots int
	// PerToken is how many one token may run at once (default 2).
	PerToken int
	// Wait is how long a request waits for a free slot before it is
	// answered 503 (default 10 s).
	Wait time.Duration
}

func newHeavyLimiter(l HeavyLimits) *heavyLimiter {
	if l.Slots <= 0 {
		l.Slots = max(2, runtime.GOMAXPROCS(0))
	}
	if l.PerToken <= 0 {
		l.PerToken = 2
	}
	if l.Wait <= 0 {
		l.Wait = 10 * time.Second
	}
	return &heavyLimiter{slots: make(chan struct{}, l.Slots), wait: l.Wait, perToken: l.PerToken, inUse: map[uuid.UUID]int{}}
}

// heavy wraps an authenticated handler with the heavy-request limits.
func (s *Server) heavy(next http.HandlerFunc) http.HandlerFunc {
	h := s.heavyLim
	return func(w http.ResponseWriter, r *http.Request) {
		tok := participantFrom(r.Context()).TokenID
		h.mu.Lock()
		if h.inUse[tok] >= h.perToken {
			h.mu.Unlock()
			w.Header().Set("Retry-After", "2")
			writeError(w, s.log, &apiError{http.StatusTooManyRequests, "rate_limited",
				"this token already has " + strconv.Itoa(h.perToken) + " exports, diffs or imports running; wait for one to finish"})
			return
		}
		h.inUse[tok]++
		h.mu.Unlock()
		defer func() {
			h.mu.Lock()
			if h.inUse[tok]--; h.inUse[tok] <= 0 {
				delete(h.inUse, tok)
			}
			h.mu.Unlock()
		}()
		timer := time.NewTimer(h.wait)
		defer timer.Stop()
		select {
		case h.slots <- struct{}{}:
		case <-timer.C:
			w.Header().Set("Retry-After", "5")
			writeError(w, s.log, &apiError{http.StatusServiceUnavailable, "busy",
				"the server is busy with other exports and comparisons; try again in a few seconds"})
			return
		case <-r.Context().Done():
			return
		}
		defer func() { <-h.slots }()
		next(w, r)
	}
}
