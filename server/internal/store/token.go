package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// TokenInfo describes a token without its secret.
type TokenInfo struct {
	ID          uuid.UUID
	Participant uuid.UUID
	Name        string
	Role        string
	Delegation  string
	Document    *uuid.UUID
	CreatedAt   time.Time
	ExpiresAt   *time.Time
	RevokedAt   *time.Time
}

// ListTokens lists every token, newest first.
func (s *Store) ListTokens(ctx context.Context) ([]TokenInfo, error) {
	rows, _ := s.pool.Query(ctx, `
SELECT t.id, p.id, p.name, p.role, coalesce(p.delegation, ''), p.document_id, t.created_at, t.expires_at, t.revoked_at
FROM tokens t JOIN participants p ON p.id = t.participant_id ORDER BY t.created_at DESC, t.id`)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (TokenInfo, error) {
		var t TokenInfo
		err := r.Scan(&t.ID, &t.Participant, &t.Name, &t.Role, &t.Delegation, &t.Document, &t.CreatedAt, &t.ExpiresAt, &t.RevokedAt)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return out, nil
}

// RevokeToken revokes a token given as its id or as the token itself.
func (s *Store) RevokeToken(ctx context.Context, tokenOrID string) (uuid.UUID, error) {
	var id uuid.UUID
	var err error
	tokenOrID = strings.TrimSpace(tokenOrID)
	if strings.HasPrefix(tokenOrID, tokenPrefix) {
		h := HashToken(tokenOrID)
		err = s.pool.QueryRow(ctx, `UPDATE tokens SET revoked_at = coalesce(revoked_at, now()) WHERE hash = $1 RETURNING id`, h[:]).Scan(&id)
	} else {
		parsed, perr := uuid.Parse(tokenOrID)
		if perr != nil {
			return uuid.Nil, fmt.Errorf("%w: %q is neither a token nor a token id", ErrInvalid, tokenOrID)
		}
		err = s.pool.QueryRow(ctx, `UPDATE tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id`, parsed).Scan(&id)
	}
	if err == pgx.ErrNoRows {
		return uuid.Nil, fmt.Errorf("token: %w", ErrNotFound)
	}
	if err != nil {
		return uuid.Nil, fmt.Errorf("revoke token: %w", err)
	}
	return id, nil
}

// DeadTokens returns the tokens revoked or expired in (since, now], and
// now, for the next call.
func (s *Store) DeadTokens(ctx context.Context, since time.Time) ([]uuid.UUID, time.Time, error) {
	var now time.Time
	if err := s.pool.QueryRow(ctx, `SELECT now()`).Scan(&now); err != nil {
		return nil, since, fmt.Errorf("dead tokens: %w", err)
	}
	rows, _ := s.pool.Query(ctx, `SELECT id FROM tokens WHERE (revoked_at > $1 AND revoked_at <= $2) OR (expires_at > $1 AND expires_at <= $2)`, since, now)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return nil, since, fmt.Errorf("dead tokens: %w", err)
	}
	return ids, now, nil
}
