package httpapi

import (
	"math"
	"sync"
	"time"

	"github.com/google/uuid"
	"golang.org/x/time/rate"
)

// tokenSlots counts the live websocket connections of each token on this
// node, so that one token cannot hold thousands of them.
type tokenSlots struct {
	max int
	mu  sync.Mutex
	n   map[uuid.UUID]int
}

func newTokenSlots(max int) *tokenSlots { return &tokenSlots{max: max, n: map[uuid.UUID]int{}} }

// take reserves a connection for tok; false when it has max already.
func (t *tokenSlots) take(tok uuid.UUID) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.n[tok] >= t.max {
		return false
	}
	t.n[tok]++
	return true
}

// give releases a connection take reserved.
func (t *tokenSlots) give(tok uuid.UUID) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.n[tok]--; t.n[tok] <= 0 {
		delete(t.n, tok)
	}
}

// Flooding. A frame over a connection's or its token's rate is refused
// with rate_limited and a retry hint, and is not counted as invalid: a
// client that bursts is told to wait, not closed. Only a sustained flood
// closes the connection, with CloseTooFast: every rate-limited frame
// draws on a second bucket that refills at the connection's own rate, so
// a one-off burst of up to floodBurst refused frames passes, while a
// client sending at twice its rate is closed within floodBurst/rate
// seconds (10 s at the default 50/s).
const floodBurst = 500

// retryAfter is how long until each limiter has a token again.
func retryAfter(now time.Time, limiters ...*rate.Limiter) time.Duration {
	var wait time.Duration
	for _, l := range limiters {
		if tokens := l.TokensAt(now); tokens < 1 {
			d := time.Duration(math.Ceil((1 - tokens) / float64(l.Limit()) * float64(time.Second)))
			wait = max(wait, d)
		}
	}
	return max(wait, time.Millisecond)
}
