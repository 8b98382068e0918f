// Package syncx holds what the sync package lacks: waiting on a WaitGroup
// with a deadline.
package syncx

import (
	"context"
	"sync"
)

// Wait waits until wg's count is zero, or ctx is done (then it returns
// ctx's error and leaves a goroutine waiting on wg until it is).
func Wait(ctx context.Context, wg *sync.WaitGroup) error {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
