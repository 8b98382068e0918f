package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// DocumentSeq returns a document's committed seq.
func (s *Store) DocumentSeq(ctx context.Context, doc uuid.UUID) (int64, error) {
	var seq int64
	if err := s.pool.QueryRow(ctx, `SELECT seq FROM documents WHERE id = $1`, doc).Scan(&seq); err != nil {
		return 0, fmt.Errorf("document seq: %w", err)
	}
	return seq, nil
}

// Listen delivers other writers' commits (document, seq) until ctx is done,
// on a connection of its own. After every (re)connection it calls
// resync, since notifications sent while it was away are lost.
func (s *Store) Listen(ctx context.Context, onCommit func(doc uuid.UUID, seq int64), resync func(), onError func(error)) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := s.listenOnce(ctx, onCommit, resync)
		if ctx.Err() != nil {
			return
		}
		if onError != nil {
			onError(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

func (s *Store) listenOnce(ctx context.Context, onCommit func(uuid.UUID, int64), resync func()) error {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("listen: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+NotifyChannel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	resync()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("listen: %w", err)
		}
		id, seqText, ok := strings.Cut(n.Payload, ":")
		if !ok {
			continue
		}
		doc, err1 := uuid.Parse(id)
		seq, err2 := strconv.ParseInt(seqText, 10, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		onCommit(doc, seq)
	}
}
