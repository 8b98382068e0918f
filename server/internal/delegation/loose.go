package delegation

import (
	"strings"
	"unicode/utf8"
)

// Ways ResolveLoose found a delegation, in the order it tries them.
const (
	MatchExact        = "exact"        // a name, alias, code or symbol
	MatchQualified    = "qualified"    // a name followed by "(…)", ", …" or "- …": "CEPT (as amended)"
	MatchAbbreviation = "abbreviation" // the code in parentheses: "Comisión … (CITEL)"
	MatchFuzzy        = "fuzzy"        // a name spelt slightly differently
)

// Match says how ResolveLoose resolved a name.
type Match struct {
	How   string  // one of the Match* constants
	Score float64 // 1 for an exact match; the similarity (0..1) of a fuzzy one
	Key   string  // the registry's name or alias that matched
}

// minFuzzyRunes keeps short names out of fuzzy matching: one letter off in
// "Mali" is "Bali", or "Oman" is "Aman".
const minFuzzyRunes = 5

// MinFuzzyScore is the least similarity a fuzzy match needs: one letter
// wrong in ten.
const MinFuzzyScore = 0.85

type fuzzyKey struct {
	key  []rune // folded
	text string // as written in the data
	idx  int
}

// ResolveLoose resolves a proposer's name as a secretariat writes it in a
// table header: exactly, or followed by a qualifier or a parenthesised
// abbreviation ("Inter-American Telecommunication Commission (CITEL)"), or
// by the abbreviation in parentheses alone, or else with a small
// misspelling ("Africa Telecommunications Union"). A fuzzy match must be
// close (MinFuzzyScore) and clearly better than any other delegation's,
// so that a fragment of one name never resolves to another.
func (r *Registry) ResolveLoose(name string) (Delegation, Match, bool) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Delegation{}, Match{}, false
	}
	if d, ok := r.Resolve(name); ok {
		return d, Match{How: MatchExact, Score: 1, Key: name}, true
	}
	if d, n, ok := r.MatchPrefix(name); ok {
		rest := strings.TrimSpace(name[n:])
		if first, _ := utf8.DecodeRuneInString(rest); strings.ContainsRune("(,-–—", first) {
			return d, Match{How: MatchQualified, Score: 1, Key: name[:n]}, true
		}
	}
	bare, inner := splitParens(name)
	for _, in := range inner {
		if d, ok := r.Resolve(in); ok {
			return d, Match{How: MatchAbbreviation, Score: 1, Key: in}, true
		}
	}
	if bare != name && bare != "" {
		if d, ok := r.Resolve(bare); ok {
			return d, Match{How: MatchQualified, Score: 1, Key: bare}, true
		}
	}
	return r.fuzzyMatch(bare)
}

// splitParens returns s without its parenthesised parts, and those parts.
func splitParens(s string) (string, []string) {
	var bare strings.Builder
	var inner []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '(', '（':
			if depth == 0 {
				start = i + utf8.RuneLen(c)
			}
			depth++
			continue
		case ')', '）':
			if depth > 0 {
				depth--
				if depth == 0 {
					inner = append(inner, strings.TrimSpace(s[start:i]))
				}
				continue
			}
		}
		if depth == 0 {
			bare.WriteRune(c)
		}
	}
	return strings.Join(strings.Fields(bare.String()), " "), inner
}

// fuzzyMatch finds the registry name closest to name.
func (r *Registry) fuzzyMatch(name string) (Delegation, Match, bool) {
	f := []rune(fold(name))
	if len(f) < minFuzzyRunes || len(f) > 200 {
		return Delegation{}, Match{}, false
	}
	best, second := -1.0, -1.0
	var bestKey fuzzyKey
	// A misspelling rarely touches the first letter; looking only at the
	// names that share it keeps a look-up cheap.
	for _, k := range r.fuzzy[f[0]] {
		longer := max(len(k.key), len(f))
		// Distance at least the difference in length: skip keys that
		// cannot reach the threshold, and stop early on those that
		// cannot beat it.
		limit := int(float64(longer) * (1 - MinFuzzyScore))
		if abs(len(k.key)-len(f)) > limit {
			continue
		}
		d, ok := boundedLevenshtein(f, k.key, limit)
		if !ok {
			continue
		}
		score := 1 - float64(d)/float64(longer)
		switch {
		case score > best:
			if bestKey.text != "" && bestKey.idx != k.idx {
				second = best
			}
			best, bestKey = score, k
		case k.idx != bestKey.idx && score > second:
			second = score
		}
	}
	// A second delegation nearly as close makes the guess a coin toss
	// ("Guinea" and "Guyana" are one letter from "Guinia").
	if best < MinFuzzyScore || second >= best-0.05 {
		return Delegation{}, Match{}, false
	}
	return r.get(bestKey.idx), Match{How: MatchFuzzy, Score: best, Key: bestKey.text}, true
}

// boundedLevenshtein returns the edit distance between a and b, or false
// when it exceeds limit.
func boundedLevenshtein(a, b []rune, limit int) (int, bool) {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			low = min(low, cur[j])
		}
		if low > limit {
			return 0, false
		}
		prev, cur = cur, prev
	}
	return prev[len(b)], prev[len(b)] <= limit
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
