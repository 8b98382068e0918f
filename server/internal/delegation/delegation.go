// Package delegation is the registry of delegations that can sponsor or
// co-sign a proposal: the 193 ITU Member States and the six regional
// groups (APT, ATU, CEPT, CITEL, RCC and the Arab States).
//
// The data lives in delegations.csv, embedded in the binary. Each row is
//
//	code,kind,iso3,symbol,name,aliases
//
// where code is the ISO 3166-1 alpha-3 code of a state (BRA) or the acronym
// of a group (CEPT), kind is "state" or "group", iso3 is empty for groups,
// symbol is the ITU country symbol used as the prefix of conference
// document references (B for Brazil in "B/75/4", EUR for CEPT), and aliases
// is a "|"-separated list of other names. Lines starting with '#' are
// comments.
//
// A Registry is immutable once built and safe for concurrent use.
package delegation

import (
	_ "embed"
	"maps"
	"slices"
	"strings"
	"sync"
)

// Kind tells a Member State from a regional group.
type Kind string

const (
	KindState Kind = "state"
	KindGroup Kind = "group"
)

// Delegation is a Member State or a regional group.
type Delegation struct {
	Code    string // "BRA", "CEPT", "ARB"
	Name    string // English short name: "Brazil"
	Kind    Kind
	ISO3    string // "" for groups
	Symbol  string // ITU symbol: "B", "EUR"
	Aliases []string
	// Names holds the name in each of the six languages of the UN and
	// ITU that the registry knows ("fr": "Brésil"), English included.
	Names map[string]string
}

// NameIn returns the delegation's name in a language ("fr", "zh-Hans",
// "ar-SA"): the six UN languages are known; others give the English name.
func (d Delegation) NameIn(lang string) string {
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	if n := d.Names[base]; n != "" {
		return n
	}
	return d.Name
}

// Registry looks delegations up by code, symbol, name or alias.
type Registry struct {
	list   []Delegation        // groups first, then states; each sorted by code
	byCode map[string]int      // upper-case code -> index into list
	bySym  map[string]int      // upper-case symbol -> index into list
	byKey  map[string]int      // folded code, name, alias, ISO3 or symbol -> index
	prefix map[rune][]prefKey  // keys usable by MatchPrefix, by folded first rune
	fuzzy  map[rune][]fuzzyKey // every name and alias, folded, by first rune, for ResolveLoose
}

// prefKey is a name, alias or code as written in the data, for MatchPrefix,
// which has to report how many bytes of its input it consumed and so cannot
// work on a folded copy.
type prefKey struct {
	text string
	idx  int
}

//go:embed delegations.csv
var embedded string

//go:embed names.csv
var embeddedNames string

var defaultRegistry = sync.OnceValue(func() *Registry {
	r, err := ParseAll(strings.NewReader(embedded), strings.NewReader(embeddedNames), true)
	if err != nil {
		// The embedded files are checked by the package tests, so this is
		// a build defect rather than a runtime condition.
		panic("delegation: embedded data: " + err.Error())
	}
	return r
})

// Default returns the registry parsed from the embedded data, with the
// delegations' names in the six UN languages.
func Default() *Registry { return defaultRegistry() }

// All returns every delegation: the groups first, then the states, each
// sorted by code.
func (r *Registry) All() []Delegation {
	out := make([]Delegation, len(r.list))
	for i := range r.list {
		out[i] = r.get(i)
	}
	return out
}

// Get returns the delegation with the given code, ignoring case.
func (r *Registry) Get(code string) (Delegation, bool) {
	return r.lookup(r.byCode, strings.ToUpper(strings.TrimSpace(code)))
}

// Resolve finds a delegation by code, name, alias, ISO3 code or ITU symbol.
// Case, runs of white space, diacritics and trailing dots are ignored, so
// "Arb", "brasil", "COTE D'IVOIRE" and "Lao P.D.R" all resolve.
func (r *Registry) Resolve(name string) (Delegation, bool) {
	return r.lookup(r.byKey, fold(name))
}

// BySymbol finds a delegation by its ITU symbol ("B", "EUR", "ARB"),
// ignoring case. Unlike Resolve it does not accept names or codes: "BRA"
// is not a symbol.
func (r *Registry) BySymbol(sym string) (Delegation, bool) {
	return r.lookup(r.bySym, strings.ToUpper(strings.TrimSpace(sym)))
}

// ResolveRef finds the delegation that submitted an ITU document from the
// document reference: the symbol is the part before the first '/', so
// "B/75/4" is Brazil and "EUR/80A1/14" is CEPT. A string without '/' is not
// a reference.
func (r *Registry) ResolveRef(ref string) (Delegation, bool) {
	sym, _, ok := strings.Cut(ref, "/")
	if !ok {
		return Delegation{}, false
	}
	return r.BySymbol(sym)
}

func (r *Registry) lookup(m map[string]int, key string) (Delegation, bool) {
	i, ok := m[key]
	if !ok {
		return Delegation{}, false
	}
	return r.get(i), true
}

// get copies the aliases and names so that callers cannot modify the
// shared registry.
func (r *Registry) get(i int) Delegation {
	d := r.list[i]
	d.Aliases = slices.Clone(d.Aliases)
	d.Names = maps.Clone(d.Names)
	return d
}
