package store

import (
	"context"
	"fmt"

	"github.com/draftroom/draftroom/server/internal/delegation"
)

// SyncDelegations upserts the registry into the delegations table, so that
// references from proposals and participants resolve.
func (s *Store) SyncDelegations(ctx context.Context, reg *delegation.Registry) error {
	all := reg.All()
	codes := make([]string, len(all))
	names := make([]string, len(all))
	kinds := make([]string, len(all))
	iso3s := make([]string, len(all))
	symbols := make([]string, len(all))
	aliases := make([]string, len(all))
	for i, d := range all {
		codes[i], names[i], kinds[i], iso3s[i], symbols[i] = d.Code, d.Name, string(d.Kind), d.ISO3, d.Symbol
		aliases[i] = joinAliases(d.Aliases)
	}
	_, err := s.pool.Exec(ctx, `
INSERT INTO delegations (code, name, kind, iso3, symbol, aliases)
SELECT c, n, k, NULLIF(i, ''), NULLIF(sy, ''), COALESCE(string_to_array(NULLIF(a, ''), E'\x1f'), '{}')
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(c, n, k, i, sy, a)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,
    iso3 = EXCLUDED.iso3, symbol = EXCLUDED.symbol, aliases = EXCLUDED.aliases`,
		codes, names, kinds, iso3s, symbols, aliases)
	if err != nil {
		return fmt.Errorf("sync delegations: %w", err)
	}
	return nil
}

// DelegationExists reports whether code is a known delegation.
func (s *Store) DelegationExists(ctx context.Context, code string) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM delegations WHERE code = $1)`, code).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("look up delegation %s: %w", code, err)
	}
	return ok, nil
}

func joinAliases(a []string) string {
	out := ""
	for i, s := range a {
		if i > 0 {
			out += "\x1f"
		}
		out += s
	}
	return out
}
