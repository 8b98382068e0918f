package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Roles a participant can hold.
var Roles = []string{"admin", "chair", "delegate", "rapporteur", "observer"}

// Participant is someone who may connect, in one role.
type Participant struct {
	ID         uuid.UUID
	Name       string
	Role       string
	Delegation string     // set for delegates
	DocumentID *uuid.UUID // nil: every document (admins)
	TokenID    uuid.UUID  // the token this participant authenticated with
	SessionID  uuid.UUID  // the browser session it came through; uuid.Nil with a bearer token
}

// ErrInvalid marks bad input to a store method.
var ErrInvalid = errors.New("invalid")

// tokenPrefix makes tokens recognizable in a leaked paste, for secret
// scanners and for people.
const tokenPrefix = "drt_"

// CreateParticipant stores a participant after checking its role, its
// delegation and its document.
func (s *Store) CreateParticipant(ctx context.Context, p Participant) (Participant, error) {
	if !validRole(p.Role) {
		return Participant{}, fmt.Errorf("%w: role %q is not one of %s", ErrInvalid, p.Role, strings.Join(Roles, ", "))
	}
	if (p.Role == "delegate") != (p.Delegation != "") {
		if p.Role == "delegate" {
			return Participant{}, fmt.Errorf("%w: a delegate needs a delegation code", ErrInvalid)
		}
		return Participant{}, fmt.Errorf("%w: only delegates have a delegation", ErrInvalid)
	}
	if p.Role == "admin" && p.DocumentID != nil {
		return Participant{}, fmt.Errorf("%w: an admin is not bound to a document", ErrInvalid)
	}
	if p.Name == "" {
		p.Name = p.Role
		if p.Delegation != "" {
			p.Name = p.Delegation + " delegate"
		}
	}
	p.ID = uuid.New()
	_, err := s.pool.Exec(ctx, `INSERT INTO participants (id, name, role, delegation, document_id) VALUES ($1, $2, $3, $4, $5)`,
		p.ID, p.Name, p.Role, nullIfEmpty(p.Delegation), p.DocumentID)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23503" { // foreign_key_violation
		if strings.Contains(pgErr.ConstraintName, "delegation") {
			return Participant{}, fmt.Errorf("%w: unknown delegation %q", ErrInvalid, p.Delegation)
		}
		return Participant{}, fmt.Errorf("%w: unknown document %s", ErrInvalid, p.DocumentID)
	}
	if err != nil {
		return Participant{}, fmt.Errorf("create participant: %w", err)
	}
	return p, nil
}

func validRole(r string) bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// CreateToken issues a new token for a participant: 256 random bits, shown
// once; only its SHA-256 is stored.
func (s *Store) CreateToken(ctx context.Context, participant uuid.UUID, expires *time.Time) (string, uuid.UUID, error) {
	token, err := newSecret(tokenPrefix)
	if err != nil {
		return "", uuid.Nil, fmt.Errorf("create token: %w", err)
	}
	id := uuid.New()
	h := HashToken(token)
	if _, err := s.pool.Exec(ctx, `INSERT INTO tokens (id, participant_id, hash, expires_at) VALUES ($1, $2, $3, $4)`,
		id, participant, h[:], expires); err != nil {
		return "", uuid.Nil, fmt.Errorf("create token: %w", err)
	}
	return token, id, nil
}

// newSecret is prefix and 256 random bits.
func newSecret(prefix string) (string, error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", err
	}
	return prefix + base64.RawURLEncoding.EncodeToString(raw[:]), nil
}

// HashToken is the stored form of a token (and of a session id).
func HashToken(token string) [32]byte { return sha256.Sum256([]byte(token)) }

// Authenticate returns the participant a live token belongs to.
func (s *Store) Authenticate(ctx context.Context, token string) (Participant, error) {
	if !strings.HasPrefix(token, tokenPrefix) {
		return Participant{}, ErrUnauthorized
	}
	return s.authenticateBy(ctx, "authenticate", `
SELECT p.id, p.name, p.role, p.delegation, p.document_id, t.id, NULL::uuid
FROM tokens t JOIN participants p ON p.id = t.participant_id
WHERE t.hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())`, HashToken(token))
}

// authenticateBy runs an authentication query by a secret's hash: it
// selects the participant, its token's id and a session's id (NULL for a
// bearer token).
func (s *Store) authenticateBy(ctx context.Context, what, query string, h [32]byte) (Participant, error) {
	var p Participant
	var deleg *string
	var session *uuid.UUID
	err := s.pool.QueryRow(ctx, query, h[:]).Scan(&p.ID, &p.Name, &p.Role, &deleg, &p.DocumentID, &p.TokenID, &session)
	if errors.Is(err, pgx.ErrNoRows) {
		return Participant{}, ErrUnauthorized
	}
	if err != nil {
		return Participant{}, fmt.Errorf("%s: %w", what, err)
	}
	if deleg != nil {
		p.Delegation = *deleg
	}
	if session != nil {
		p.SessionID = *session
	}
	return p, nil
}

// FindParticipant returns a document's participant with the given role,
// name and delegation, if one exists (the demo reuses its participants).
// A nil doc finds a participant bound to no document (an admin).
func (s *Store) FindParticipant(ctx context.Context, doc *uuid.UUID, role, name, delegation string) (Participant, error) {
	p := Participant{Role: role, Name: name, Delegation: delegation}
	err := s.pool.QueryRow(ctx, `SELECT id, document_id FROM participants
WHERE document_id IS NOT DISTINCT FROM $1 AND role = $2 AND name = $3 AND delegation IS NOT DISTINCT FROM $4 ORDER BY created_at LIMIT 1`,
		doc, role, name, nullIfEmpty(delegation)).Scan(&p.ID, &p.DocumentID)
	if errors.Is(err, pgx.ErrNoRows) {
		return Participant{}, ErrNotFound
	}
	if err != nil {
		return Participant{}, fmt.Errorf("find participant: %w", err)
	}
	return p, nil
}
