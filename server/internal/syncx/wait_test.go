package syncx

import (
	"context"
	"errors"
	"sync"
	"testing"

	"go.uber.org/goleak"
)

func TestWait(t *testing.T) {
	defer goleak.VerifyNone(t)
	var wg sync.WaitGroup
	wg.Add(1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Wait(ctx, &wg); !errors.Is(err, context.Canceled) {
		t.Fatalf("with the count at 1 and ctx done: %v, want context.Canceled", err)
	}
	wg.Done() // the waiting goroutine ends
	if err := Wait(context.Background(), &wg); err != nil {
		t.Fatalf("with the count at 0: %v", err)
	}
}
