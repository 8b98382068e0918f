package delegation

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

var header = []string{"code", "kind", "iso3", "symbol", "name", "aliases"}

// minPrefixRunes keeps one- and two-letter symbols and aliases (B, D, UK)
// out of MatchPrefix: at the start of running text they match far too much.
const minPrefixRunes = 3

// Parse reads delegations in the CSV format described in the package
// documentation. Errors name the offending line.
func Parse(r io.Reader) (*Registry, error) {
	return ParseAll(r, nil, false)
}

// ParseAll reads delegations as Parse does, then their names in other
// languages from names (the format of names.csv; nil for none), and with
// cldr the Member States' short names in the six UN languages from CLDR.
// A name in names that already resolves to another delegation is an
// error; a CLDR name that does is left out (the data file wins).
func ParseAll(r, names io.Reader, cldr bool) (*Registry, error) {
	b, err := parseRows(r)
	if err != nil {
		return nil, err
	}
	if names != nil {
		if err := b.readNames(names); err != nil {
			return nil, err
		}
	}
	if cldr {
		b.addCLDR()
	}
	return b.build(), nil
}

func parseRows(r io.Reader) (*builder, error) {
	b := builder{
		byCode: map[string]int{},
		bySym:  map[string]int{},
		keys:   map[string]keyOwner{},
	}
	if err := readCSV(r, "delegation", header, b.add); err != nil {
		return nil, err
	}
	return &b, nil
}

// readCSV reads one of the package's CSV files: comment lines start with
// #, the first line must be head, and add takes every other record with
// its line number. Errors start with what and name the line.
func readCSV(r io.Reader, what string, head []string, add func(line int, rec []string) error) error {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1 // add checks, with a clearer message

	got, err := cr.Read()
	if err == io.EOF {
		return fmt.Errorf("%s: empty input: missing header line", what)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	// Spreadsheet programs like to save CSV with a byte order mark.
	got[0] = strings.TrimPrefix(got[0], "\uFEFF")
	if !slices.Equal(got, head) {
		line, _ := cr.FieldPos(0)
		return fmt.Errorf("%s: line %d: header is %q, want %q",
			what, line, strings.Join(got, ","), strings.Join(head, ","))
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		line, _ := cr.FieldPos(0)
		if err := add(line, rec); err != nil {
			return fmt.Errorf("%s: line %d: %w", what, line, err)
		}
	}
}

type builder struct {
	list   []Delegation
	lines  []int      // line of each entry of list, for error messages
	extra  [][]string // names in other languages, by entry: lookup keys only
	byCode map[string]int
	bySym  map[string]int
	keys   map[string]keyOwner
}

// keyOwner records where a folded key came from, so that a collision can be
// reported against both rows.
type keyOwner struct {
	idx  int
	what string // "code", "name", "alias", "symbol"
	text string
}

func (b *builder) add(line int, rec []string) error {
	if len(rec) != len(header) {
		return fmt.Errorf("want %d fields (%s), got %d", len(header), strings.Join(header, ","), len(rec))
	}
	for i, f := range rec {
		if !utf8.ValidString(f) {
			return fmt.Errorf("field %s is not valid UTF-8", header[i])
		}
	}
	d := Delegation{
		Code:   strings.TrimSpace(rec[0]),
		Kind:   Kind(strings.TrimSpace(rec[1])),
		ISO3:   strings.TrimSpace(rec[2]),
		Symbol: strings.TrimSpace(rec[3]),
		Name:   strings.TrimSpace(rec[4]),
	}
	if !isUpperAlnum(d.Code) {
		return fmt.Errorf("code %q must be upper-case letters and digits", d.Code)
	}
	switch d.Kind {
	case KindState:
		if len(d.ISO3) != 3 || !isUpperAlnum(d.ISO3) || strings.ContainsAny(d.ISO3, "0123456789") {
			return fmt.Errorf("state %s: iso3 %q must be three upper-case letters", d.Code, d.ISO3)
		}
		if d.ISO3 != d.Code {
			return fmt.Errorf("state %s: code must be its ISO 3166-1 alpha-3 code, got iso3 %q", d.Code, d.ISO3)
		}
	case KindGroup:
		if d.ISO3 != "" {
			return fmt.Errorf("group %s: iso3 must be empty, got %q", d.Code, d.ISO3)
		}
	default:
		return fmt.Errorf("%s: unknown kind %q, want %q or %q", d.Code, d.Kind, KindState, KindGroup)
	}
	if !isUpperAlnum(d.Symbol) {
		return fmt.Errorf("%s: symbol %q must be upper-case letters and digits", d.Code, d.Symbol)
	}
	if fold(d.Name) == "" {
		return fmt.Errorf("%s: name is empty", d.Code)
	}
	if a := strings.TrimSpace(rec[5]); a != "" {
		for _, alias := range strings.Split(a, "|") {
			alias = strings.TrimSpace(alias)
			if fold(alias) == "" {
				return fmt.Errorf("%s: empty alias in %q", d.Code, rec[5])
			}
			d.Aliases = append(d.Aliases, alias)
		}
	}

	idx := len(b.list)
	if prev, ok := b.byCode[d.Code]; ok {
		return fmt.Errorf("duplicate code %q (first on line %d)", d.Code, b.lines[prev])
	}
	if prev, ok := b.bySym[d.Symbol]; ok {
		return fmt.Errorf("%s: symbol %q is already used by %s (line %d)",
			d.Code, d.Symbol, b.list[prev].Code, b.lines[prev])
	}
	type key struct{ what, text string }
	keys := []key{{"code", d.Code}, {"symbol", d.Symbol}, {"name", d.Name}}
	for _, a := range d.Aliases {
		keys = append(keys, key{"alias", a})
	}
	// Keys repeated within a row (a code that is also the symbol, an alias
	// that differs from the name only by accents) are fine; only keys
	// already owned by an earlier row collide.
	for _, k := range keys {
		if o, ok := b.keys[fold(k.text)]; ok {
			return fmt.Errorf("%s: %s %q collides with %s %q of %s (line %d)",
				d.Code, k.what, k.text, o.what, o.text, b.list[o.idx].Code, b.lines[o.idx])
		}
	}
	for _, k := range keys {
		if _, ok := b.keys[fold(k.text)]; !ok {
			b.keys[fold(k.text)] = keyOwner{idx: idx, what: k.what, text: k.text}
		}
	}
	b.byCode[d.Code] = idx
	b.bySym[d.Symbol] = idx
	d.Names = map[string]string{"en": d.Name}
	b.list = append(b.list, d)
	b.lines = append(b.lines, line)
	b.extra = append(b.extra, nil)
	return nil
}

// build sorts the entries into the order All documents and indexes them.
func (b *builder) build() *Registry {
	order := make([]int, len(b.list))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int {
		dx, dy := b.list[x], b.list[y]
		if dx.Kind != dy.Kind {
			if dx.Kind == KindGroup {
				return -1
			}
			return 1
		}
		return cmp.Compare(dx.Code, dy.Code)
	})
	newIdx := make([]int, len(b.list))
	r := &Registry{
		list:   make([]Delegation, len(b.list)),
		byCode: make(map[string]int, len(b.byCode)),
		bySym:  make(map[string]int, len(b.bySym)),
		byKey:  make(map[string]int, len(b.keys)),
		prefix: map[rune][]prefKey{},
		fuzzy:  map[rune][]fuzzyKey{},
	}
	for n, old := range order {
		newIdx[old] = n
		d := b.list[old]
		r.list[n] = d
		r.byCode[d.Code] = n
		r.bySym[d.Symbol] = n
		// Symbols stay out: one-letter ones are too ambiguous, and the others
		// appear in document references, which ResolveRef handles.
		seen := map[string]bool{}
		names := append(append([]string{d.Name}, d.Aliases...), b.extra[old]...)
		for _, text := range append([]string{d.Code}, names...) {
			if seen[text] || !prefixWorthy(text) {
				continue
			}
			seen[text] = true
			first, _ := utf8.DecodeRuneInString(text)
			k := foldRune(first)
			r.prefix[k] = append(r.prefix[k], prefKey{text: text, idx: n})
		}
		for _, text := range names {
			if f := []rune(fold(text)); len(f) >= minFuzzyRunes {
				r.fuzzy[f[0]] = append(r.fuzzy[f[0]], fuzzyKey{key: f, text: text, idx: n})
			}
		}
	}
	for k, o := range b.keys {
		r.byKey[k] = newIdx[o.idx]
	}
	return r
}

// prefixWorthy reports whether a name may be matched at the start of
// running text: three characters at least, or two Han characters ("巴西"),
// since a Chinese name is often two.
func prefixWorthy(text string) bool {
	n := utf8.RuneCountInString(text)
	if n >= minPrefixRunes {
		return true
	}
	if n < 2 {
		return false
	}
	for _, r := range text {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

func isUpperAlnum(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r > unicode.MaxASCII || !(unicode.IsUpper(r) || unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}
