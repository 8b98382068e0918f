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

// Enrolment is one participant to create on a document, with its token.
type Enrolment struct {
	Role       string
	Delegation string // delegation code, delegates only
	Name       string // "" names a delegate after its delegation, others after their role
	Expires    *time.Time
	// Line is where the enrolment came from (a roster's line), for
	// messages; 0 when it came from no file.
	Line int
}

// Issued is a participant just created or given a new token. The token is
// shown once: only its hash is stored.
type Issued struct {
	Participant Participant
	TokenID     uuid.UUID
	Token       string
	Expires     *time.Time
}

// EnrolError says which entry of an enrolment was refused, and why.
type EnrolError struct {
	Line  int // the roster line, or 0
	Index int // the entry's position in the list, from 0
	Msg   string
}

func (e *EnrolError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// Unwrap makes an EnrolError an ErrInvalid (400 in the API).
func (e *EnrolError) Unwrap() error { return ErrInvalid }

// Enrol creates participants of a document and a token for each, in one
// transaction: either every one is created or none. A delegation named
// twice, or one that already has an active delegate on the document, is
// refused, as is an unknown delegation code.
func (s *Store) Enrol(ctx context.Context, doc uuid.UUID, list []Enrolment) ([]Issued, error) {
	if len(list) == 0 {
		return nil, fmt.Errorf("%w: nobody to add", ErrInvalid)
	}
	if len(list) > MaxEnrolment {
		return nil, fmt.Errorf("%w: at most %d participants at once, not %d", ErrInvalid, MaxEnrolment, len(list))
	}
	refuse := func(i int, format string, a ...any) error {
		return &EnrolError{Line: list[i].Line, Index: i, Msg: fmt.Sprintf(format, a...)}
	}
	var codes []string
	seen := map[string]int{}
	now := time.Now()
	for i := range list {
		e := &list[i]
		e.Role = strings.ToLower(strings.TrimSpace(e.Role))
		e.Delegation = strings.ToUpper(strings.TrimSpace(e.Delegation))
		e.Name = strings.TrimSpace(e.Name)
		switch {
		case e.Role == "admin":
			return nil, refuse(i, "an admin is not bound to a document; create admins with `draftroom token create --role admin`")
		case !validRole(e.Role):
			return nil, refuse(i, "role %q is not one of chair, delegate, rapporteur, observer", e.Role)
		case e.Role == "delegate" && e.Delegation == "":
			return nil, refuse(i, "a delegate needs a delegation code")
		case e.Role != "delegate" && e.Delegation != "":
			return nil, refuse(i, "only delegates have a delegation (%s is a %s)", e.Delegation, e.Role)
		case e.Expires != nil && !e.Expires.After(now):
			return nil, refuse(i, "the expiry %s has passed", e.Expires.UTC().Format(time.RFC3339))
		}
		if err := checkName(e.Name); err != nil {
			return nil, refuse(i, "%v", err)
		}
		if e.Delegation != "" {
			if j, dup := seen[e.Delegation]; dup {
				if list[j].Line > 0 {
					return nil, refuse(i, "delegation %s is already on line %d", e.Delegation, list[j].Line)
				}
				return nil, refuse(i, "delegation %s is named twice", e.Delegation)
			}
			seen[e.Delegation] = i
			codes = append(codes, e.Delegation)
		}
	}
	var out []Issued
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// Lock the document, so two rosters for it are applied one after
		// the other and the check for existing delegates holds.
		var locked uuid.UUID
		err := tx.QueryRow(ctx, `SELECT id FROM documents WHERE id = $1 FOR UPDATE`, doc).Scan(&locked)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("document %s: %w", doc, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("enrol: %w", err)
		}
		names := map[string]string{}
		if len(codes) > 0 {
			rows, _ := tx.Query(ctx, `SELECT code, name FROM delegations WHERE code = ANY($1)`, codes)
			var code, name string
			if _, err := pgx.ForEachRow(rows, []any{&code, &name}, func() error { names[code] = name; return nil }); err != nil {
				return fmt.Errorf("enrol: %w", err)
			}
			for i, e := range list {
				if e.Delegation != "" && names[e.Delegation] == "" {
					return refuse(i, "unknown delegation code %q (see the registry's codes, e.g. BRA, CEPT)", e.Delegation)
				}
			}
			rows, _ = tx.Query(ctx, `
SELECT DISTINCT p.delegation FROM participants p JOIN tokens t ON t.participant_id = p.id
WHERE p.document_id = $1 AND p.delegation = ANY($2) AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())`, doc, codes)
			taken, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return fmt.Errorf("enrol: %w", err)
			}
			if len(taken) > 0 {
				i := seen[taken[0]]
				for _, code := range taken[1:] {
					i = min(i, seen[code]) // report the first line
				}
				return refuse(i, "delegation %s already has a delegate on this document; revoke that one first, or give it a new link", list[i].Delegation)
			}
		}
		b := &pgx.Batch{}
		for _, e := range list {
			p := Participant{ID: uuid.New(), Role: e.Role, Delegation: e.Delegation, Name: e.Name, DocumentID: &doc}
			if p.Name == "" {
				p.Name = defaultName(e.Role, names[e.Delegation])
			}
			tok, err := newSecret(tokenPrefix)
			if err != nil {
				return fmt.Errorf("enrol: %w", err)
			}
			is := Issued{Participant: p, TokenID: uuid.New(), Token: tok, Expires: e.Expires}
			h := HashToken(tok)
			b.Queue(`INSERT INTO participants (id, name, role, delegation, document_id) VALUES ($1, $2, $3, $4, $5)`,
				p.ID, p.Name, p.Role, nullIfEmpty(p.Delegation), doc)
			b.Queue(`INSERT INTO tokens (id, participant_id, hash, expires_at) VALUES ($1, $2, $3, $4)`, is.TokenID, p.ID, h[:], e.Expires)
			out = append(out, is)
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("enrol: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// MaxEnrolment is the most participants one roster may add.
const MaxEnrolment = 2000

// MaxNameLen bounds a participant's display name, in characters.
const MaxNameLen = 200

func checkName(name string) error {
	if len([]rune(name)) > MaxNameLen {
		return fmt.Errorf("the name is longer than %d characters", MaxNameLen)
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\uFFFD' {
			return fmt.Errorf("the name holds a control character (U+%04X)", r)
		}
	}
	return nil
}

func defaultName(role, delegationName string) string {
	if delegationName != "" {
		return delegationName
	}
	return strings.ToUpper(role[:1]) + role[1:]
}

// IssueToken gives a participant of a document a new token (a lost join
// link); its other tokens stay as they are.
func (s *Store) IssueToken(ctx context.Context, doc, participant uuid.UUID, expires *time.Time) (Issued, error) {
	var p Participant
	var deleg *string
	err := s.pool.QueryRow(ctx, `SELECT id, name, role, delegation, document_id FROM participants WHERE id = $1 AND document_id = $2`, participant, doc).
		Scan(&p.ID, &p.Name, &p.Role, &deleg, &p.DocumentID)
	if errors.Is(err, pgx.ErrNoRows) {
		return Issued{}, fmt.Errorf("participant %s of document %s: %w", participant, doc, ErrNotFound)
	}
	if err != nil {
		return Issued{}, fmt.Errorf("issue token: %w", err)
	}
	if deleg != nil {
		p.Delegation = *deleg
	}
	tok, id, err := s.CreateToken(ctx, p.ID, expires)
	if err != nil {
		return Issued{}, err
	}
	return Issued{Participant: p, TokenID: id, Token: tok, Expires: expires}, nil
}

// RevokeParticipant revokes every live token of a document's participant
// (ending their sessions) and returns how many it revoked.
func (s *Store) RevokeParticipant(ctx context.Context, doc, participant uuid.UUID) (int, error) {
	var n int
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM participants WHERE id = $1 AND document_id = $2)`, participant, doc).Scan(&ok); err != nil {
			return fmt.Errorf("revoke participant: %w", err)
		}
		if !ok {
			return fmt.Errorf("participant %s of document %s: %w", participant, doc, ErrNotFound)
		}
		var err error
		if n, err = revokeTokens(ctx, tx, []uuid.UUID{participant}); err != nil {
			return fmt.Errorf("revoke participant: %w", err)
		}
		return nil
	})
	return n, err
}

// ParticipantInfo is a document's participant as the secretariat sees it.
type ParticipantInfo struct {
	ID         uuid.UUID
	Name       string
	Role       string
	Delegation string
	CreatedAt  time.Time
	LastSeenAt *time.Time
	// Online: connected live to some server node now.
	Online bool
	// Active: holds a token that is neither revoked nor expired.
	Active bool
	Tokens []TokenState
}

// TokenState is one of a participant's tokens, without its secret.
type TokenState struct {
	ID        uuid.UUID
	CreatedAt time.Time
	ExpiresAt *time.Time
	RevokedAt *time.Time
}

// PresenceTTL is how long a node's presence rows count after their last
// refresh; nodes refresh them well within it.
const PresenceTTL = 45 * time.Second

// ListParticipants lists a document's participants: chair, rapporteur,
// delegates by delegation, observers.
func (s *Store) ListParticipants(ctx context.Context, doc uuid.UUID) ([]ParticipantInfo, error) {
	var out []ParticipantInfo
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `
SELECT p.id, p.name, p.role, coalesce(p.delegation, ''), p.created_at, p.last_seen_at,
       EXISTS (SELECT 1 FROM presence pr WHERE pr.participant_id = p.id AND pr.seen_at > now() - make_interval(secs => $2))
FROM participants p WHERE p.document_id = $1
ORDER BY array_position(ARRAY['chair','rapporteur','delegate','observer'], p.role), p.delegation, p.name, p.created_at, p.id`,
			doc, PresenceTTL.Seconds())
		var err error
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ParticipantInfo, error) {
			var p ParticipantInfo
			err := r.Scan(&p.ID, &p.Name, &p.Role, &p.Delegation, &p.CreatedAt, &p.LastSeenAt, &p.Online)
			return p, err
		})
		if err != nil {
			return fmt.Errorf("list participants: %w", err)
		}
		index := map[uuid.UUID]int{}
		for i, p := range out {
			index[p.ID] = i
		}
		rows, _ = tx.Query(ctx, `
SELECT t.participant_id, t.id, t.created_at, t.expires_at, t.revoked_at
FROM tokens t JOIN participants p ON p.id = t.participant_id
WHERE p.document_id = $1 ORDER BY t.created_at, t.id`, doc)
		var pid uuid.UUID
		var t TokenState
		now := time.Now()
		_, err = pgx.ForEachRow(rows, []any{&pid, &t.ID, &t.CreatedAt, &t.ExpiresAt, &t.RevokedAt}, func() error {
			p := &out[index[pid]]
			p.Tokens = append(p.Tokens, t)
			if t.RevokedAt == nil && (t.ExpiresAt == nil || t.ExpiresAt.After(now)) {
				p.Active = true
			}
			t.ExpiresAt, t.RevokedAt = nil, nil // the next row scans into fresh ones
			return nil
		})
		if err != nil {
			return fmt.Errorf("list participants' tokens: %w", err)
		}
		for i := range out {
			// Revoked connections close within a second, before presence
			// is next written: a revoked participant is not online.
			out[i].Online = out[i].Online && out[i].Active
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []ParticipantInfo{}
	}
	return out, nil
}
