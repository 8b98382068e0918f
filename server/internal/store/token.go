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
	// Its sessions end with it (authentication checks the token as well;
	// this records when).
	if _, err := s.pool.Exec(ctx, `UPDATE sessions SET ended_at = now() WHERE token_id = $1 AND ended_at IS NULL`, id); err != nil {
		return uuid.Nil, fmt.Errorf("revoke token: end its sessions: %w", err)
	}
	return id, nil
}

// RevokeTokensOf revokes every live token of the given participants (the
// demo's previous runs) and ends their sessions; it returns how many
// tokens it revoked.
func (s *Store) RevokeTokensOf(ctx context.Context, participants []uuid.UUID) (int, error) {
	var n int
	err := s.inTx(ctx, func(tx pgx.Tx) (err error) {
		n, err = revokeTokens(ctx, tx, participants)
		return err
	})
	return n, err
}

// revokeTokens revokes every live token of the participants and ends the
// sessions opened with them; it returns how many tokens it revoked.
func revokeTokens(ctx context.Context, tx pgx.Tx, participants []uuid.UUID) (int, error) {
	tag, err := tx.Exec(ctx, `UPDATE tokens SET revoked_at = now() WHERE participant_id = ANY($1) AND revoked_at IS NULL`, participants)
	if err != nil {
		return 0, fmt.Errorf("revoke tokens: %w", err)
	}
	_, err = tx.Exec(ctx, `UPDATE sessions SET ended_at = now() WHERE ended_at IS NULL AND token_id IN (SELECT id FROM tokens WHERE participant_id = ANY($1))`, participants)
	if err != nil {
		return 0, fmt.Errorf("revoke tokens: end sessions: %w", err)
	}
	return int(tag.RowsAffected()), nil
}
