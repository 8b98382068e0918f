package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// SyncPresence records which participants are connected live to this node
// (node) and how many connections each holds, replacing what the node
// recorded before; it also marks them as seen now. Rows of nodes that
// stopped without cleaning up are removed once long stale.
func (s *Store) SyncPresence(ctx context.Context, node uuid.UUID, conns map[uuid.UUID]int) error {
	ids := make([]uuid.UUID, 0, len(conns))
	counts := make([]int32, 0, len(conns))
	for id, n := range conns {
		ids = append(ids, id)
		counts = append(counts, int32(n))
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(`DELETE FROM presence WHERE node_id = $1 AND NOT participant_id = ANY($2)`, node, ids)
		b.Queue(`DELETE FROM presence WHERE seen_at < now() - make_interval(secs => $1)`, (10 * PresenceTTL).Seconds())
		if len(ids) > 0 {
			// A participant deleted meanwhile (its document was) is skipped.
			b.Queue(`
INSERT INTO presence (node_id, participant_id, connections, seen_at)
SELECT $1, c.id, c.n, now() FROM unnest($2::uuid[], $3::int[]) AS c(id, n) JOIN participants p ON p.id = c.id
ON CONFLICT (node_id, participant_id) DO UPDATE SET connections = excluded.connections, seen_at = excluded.seen_at`, node, ids, counts)
			b.Queue(`UPDATE participants SET last_seen_at = now() WHERE id = ANY($1)`, ids)
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("sync presence: %w", err)
		}
		return nil
	})
}

// TouchParticipant marks a participant as seen now (a connection ended).
func (s *Store) TouchParticipant(ctx context.Context, id uuid.UUID) error {
	if _, err := s.pool.Exec(ctx, `UPDATE participants SET last_seen_at = now() WHERE id = $1`, id); err != nil {
		return fmt.Errorf("touch participant: %w", err)
	}
	return nil
}
