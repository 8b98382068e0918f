package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// sessionPrefix marks a session id, so that a cookie value is never taken
// for a token or the other way round.
const sessionPrefix = "drs_"

// SessionMaxAge bounds a browser session; a token that expires sooner ends
// it sooner.
const SessionMaxAge = 30 * 24 * time.Hour

// Session is an open browser session.
type Session struct {
	ID        uuid.UUID // the row's id (for logs and revocation), not the secret
	Secret    string    // what the cookie holds; shown once, stored only hashed
	ExpiresAt time.Time
}

// CreateSession opens a browser session for an authenticated participant.
// The session ends when it is ended (logout), when it expires, and when
// its token is revoked or expires.
func (s *Store) CreateSession(ctx context.Context, p Participant) (Session, error) {
	secret, err := newSecret(sessionPrefix)
	if err != nil {
		return Session{}, fmt.Errorf("create session: %w", err)
	}
	h := HashToken(secret)
	out := Session{ID: uuid.New(), Secret: secret}
	err = s.pool.QueryRow(ctx, `
WITH t AS (SELECT id, expires_at FROM tokens WHERE id = $2 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()))
INSERT INTO sessions (id, hash, token_id, expires_at)
SELECT $1, $3, t.id, least(now() + make_interval(secs => $4), coalesce(t.expires_at, 'infinity')) FROM t
RETURNING expires_at`, out.ID, p.TokenID, h[:], SessionMaxAge.Seconds()).Scan(&out.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Session{}, ErrUnauthorized
	}
	if err != nil {
		return Session{}, fmt.Errorf("create session: %w", err)
	}
	if _, err := s.pool.Exec(ctx, `UPDATE participants SET last_seen_at = now() WHERE id = $1`, p.ID); err != nil {
		return Session{}, fmt.Errorf("create session: %w", err)
	}
	return out, nil
}

// AuthenticateSession returns the participant of a live session.
func (s *Store) AuthenticateSession(ctx context.Context, secret string) (Participant, error) {
	if !strings.HasPrefix(secret, sessionPrefix) {
		return Participant{}, ErrUnauthorized
	}
	return s.authenticateBy(ctx, "authenticate session", `
SELECT p.id, p.name, p.role, p.delegation, p.document_id, t.id, se.id
FROM sessions se JOIN tokens t ON t.id = se.token_id JOIN participants p ON p.id = t.participant_id
WHERE se.hash = $1 AND se.ended_at IS NULL AND se.expires_at > now()
  AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())`, HashToken(secret))
}

// EndSession ends the session whose cookie holds secret (logout). Ending a
// session that is already over is not an error.
func (s *Store) EndSession(ctx context.Context, secret string) error {
	if !strings.HasPrefix(secret, sessionPrefix) {
		return nil
	}
	h := HashToken(secret)
	if _, err := s.pool.Exec(ctx, `UPDATE sessions SET ended_at = now() WHERE hash = $1 AND ended_at IS NULL`, h[:]); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// Dead returns, of the given tokens and sessions, those that can no longer
// be used: revoked, expired, ended or gone. Live connections are checked
// against it, so that a connection that authenticated just before its
// token was revoked is still found.
func (s *Store) Dead(ctx context.Context, tokens, sessions []uuid.UUID) (deadTokens, deadSessions []uuid.UUID, err error) {
	if len(tokens) > 0 {
		rows, _ := s.pool.Query(ctx, `
SELECT x FROM unnest($1::uuid[]) x
WHERE NOT EXISTS (SELECT 1 FROM tokens t WHERE t.id = x AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()))`, tokens)
		if deadTokens, err = pgx.CollectRows(rows, pgx.RowTo[uuid.UUID]); err != nil {
			return nil, nil, fmt.Errorf("dead tokens: %w", err)
		}
	}
	if len(sessions) > 0 {
		rows, _ := s.pool.Query(ctx, `
SELECT x FROM unnest($1::uuid[]) x
WHERE NOT EXISTS (SELECT 1 FROM sessions se WHERE se.id = x AND se.ended_at IS NULL AND se.expires_at > now())`, sessions)
		if deadSessions, err = pgx.CollectRows(rows, pgx.RowTo[uuid.UUID]); err != nil {
			return nil, nil, fmt.Errorf("dead sessions: %w", err)
		}
	}
	return deadTokens, deadSessions, nil
}
