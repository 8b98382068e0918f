package bench

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/draftroom/draftroom/client"
)

// forEach runs fn(0) … fn(n-1), at most limit at a time, and returns
// their errors joined.
func forEach(n, limit int, fn func(i int) error) error {
	errs := make([]error, n)
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = fn(i)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// dialN makes n connections, limit at a time; if any fails, it closes the
// others and returns the errors.
func dialN[T comparable](n, limit int, dial func(i int) (T, error), closeOne func(T)) ([]T, error) {
	out := make([]T, n)
	err := forEach(n, limit, func(i int) error {
		var err error
		out[i], err = dial(i)
		return err
	})
	if err != nil {
		closeEach(out, closeOne)
		return nil, err
	}
	return out, nil
}

// closeEach closes every connection at once and waits for them.
func closeEach[T comparable](conns []T, closeOne func(T)) {
	var zero T
	var wg sync.WaitGroup
	for _, c := range conns {
		if c != zero {
			wg.Add(1)
			go func() { defer wg.Done(); closeOne(c) }()
		}
	}
	wg.Wait()
}

// dialClients connects n full clients (replicas), the i-th to
// urls[(first+i) % len] with the others as failover.
func dialClients(ctx context.Context, n, first int, urls []string, tokenFor func(i int) string, doc string, onEvent func(client.Event)) ([]*client.Client, error) {
	return dialN(n, 32, func(i int) (*client.Client, error) {
		j := (first + i) % len(urls)
		dctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		return client.Dial(dctx, client.Options{
			URLs: append(slices.Clone(urls[j:]), urls[:j]...), Token: tokenFor(i), Document: doc,
			MinBackoff: 100 * time.Millisecond, MaxBackoff: 2 * time.Second,
			OnEvent: onEvent,
		})
	}, closeClient)
}

func closeClient(c *client.Client) { c.Close() }
func closeLight(l *light)          { l.close() }
func closeSink(s *sink)            { s.close() }
