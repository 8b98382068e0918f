package compile

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/delegation"
)

// maxProposers bounds the proposer columns read from a header; real tables
// have a few dozen at most.
const maxProposers = 1024

// proposerTail matches what may follow a proposer's name in a header cell:
// " --- MOD B/75/4". The reference's last part is digits only, because in
// the flattened text form the next proposer's name follows it with no
// separator ("B/75/4RCC").
var (
	refSyntax    = `[A-Z]{1,8}/\d+(?:[A-Z]+\d*)*(?:\(Add\.\d+\))?/\d+`
	refPattern   = regexp.MustCompile(refSyntax)
	proposerTail = regexp.MustCompile(`^\s*[-–—]+\s*(?:(MOD|ADD|SUP|NOC)\b\s*)?(` + refSyntax + `)?`)
)

// isOriginalHeader reports whether a header cell names the original text.
func isOriginalHeader(s string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "original")
}

// baseRef returns the text inside the first parentheses of the Original
// header cell: "Rev. Guadalajara 2010".
func baseRef(cell string) string {
	open := strings.IndexByte(cell, '(')
	if open < 0 {
		return ""
	}
	end := strings.IndexByte(cell[open:], ')')
	if end < 0 {
		return ""
	}
	return strings.TrimSpace(cell[open+1 : open+end])
}

// parseProposerCell reads a table header cell: "Brazil --- MOD B/75/4",
// "Türkiye", "CEPT – MOD EUR/80A1/14".
func parseProposerCell(cell string, reg *delegation.Registry) Proposer {
	cell = strings.Join(strings.Fields(cell), " ")
	name, tail := cell, ""
	if i := dashSeparator(cell); i >= 0 {
		name, tail = strings.TrimSpace(cell[:i]), cell[i:]
	}
	p := Proposer{Name: name}
	if m := proposerTail.FindStringSubmatch(tail); m != nil {
		p.Action, p.Ref = m[1], m[2]
	}
	if tail == "" {
		// "Brazil (B/75/4)": a reference without the dashes.
		if m := refPattern.FindStringIndex(name); m != nil && m[0] > 0 {
			p.Ref = name[m[0]:m[1]]
			p.Name = strings.TrimRight(name[:m[0]], " (-–—,")
		}
	}
	resolveProposer(&p, reg)
	return p
}

// dashSeparator finds the dashes between a proposer's name and its action:
// a run of dashes with white space before it, so that the hyphen of
// "Asia-Pacific" does not count.
func dashSeparator(s string) int {
	for i, r := range s {
		if (r == '-' || r == '–' || r == '—') && i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			if unicode.IsSpace(prev) {
				return i - 1
			}
		}
	}
	return -1
}

// resolveProposer fills in the registry code from the name, a name
// followed by a qualifier ("CEPT (as amended)"), or the reference's symbol.
func resolveProposer(p *Proposer, reg *delegation.Registry) {
	if d, ok := reg.Resolve(p.Name); ok {
		p.Code = d.Code
		return
	}
	if d, n, ok := reg.MatchPrefix(p.Name); ok && strings.ContainsRune("(,-–—", firstRune(strings.TrimSpace(p.Name[n:]))) {
		p.Code = d.Code
		return
	}
	if p.Ref != "" {
		if d, ok := reg.ResolveRef(p.Ref); ok {
			p.Code = d.Code
		}
	}
}

// parseTextHeader reads the header row of the flattened text form, where
// the cells run together: "Original (Rev. Montevideo 2031) - full
// textBrazil --- MOD B/12/3RCCArbCubaCEPT --- MOD EUR/20A1/5".
// Line breaks, where the flattening kept them, also end cells.
func parseTextHeader(s string, reg *delegation.Registry) (string, []Proposer) {
	end := originalCellEnd(s, reg)
	ref := baseRef(s[:end])
	var out []Proposer
	pos := end
	for pos < len(s) && len(out) < maxProposers {
		pos += skipCellGap(s[pos:])
		if pos >= len(s) {
			break
		}
		var p Proposer
		if d, n, ok := reg.MatchPrefix(s[pos:]); ok {
			p = Proposer{Name: s[pos : pos+n], Code: d.Code}
			pos += n
		} else {
			n := nextCellStart(s[pos:], reg)
			p = Proposer{Name: strings.TrimSpace(s[pos : pos+n])}
			pos += n
		}
		if m := proposerTail.FindStringSubmatchIndex(s[pos:]); m != nil && m[1] > 0 && strings.ContainsAny(s[pos:pos+m[1]], "-–—") {
			if m[2] >= 0 {
				p.Action = s[pos+m[2] : pos+m[3]]
			}
			if m[4] >= 0 {
				p.Ref = s[pos+m[4] : pos+m[5]]
			}
			pos += m[1]
		}
		if p.Name == "" {
			continue
		}
		if p.Code == "" {
			resolveProposer(&p, reg)
		}
		out = append(out, p)
	}
	return ref, out
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func skipCellGap(s string) int {
	return len(s) - len(strings.TrimLeftFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '|' || r == ';'
	}))
}

// originalCellEnd finds where the Original cell of a run-together header
// ends: where a proposer's name is glued to it ("full textBrazil"), or at
// a line break unless the next line carries the cell on ("(Rev. Montevideo
// 2031)", "- full text"). Names after a space count only
// if no glued one is found, and never inside parentheses ("(Rev. Mexico
// 2022)"). Failing any name, a glued capital ("textAtlantis") ends it.
func originalCellEnd(s string, reg *delegation.Registry) int {
	spaced, unknown := -1, -1
	depth := 0
	prev := rune(0)
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case '\n':
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if next != '(' && next != '-' && next != '–' && !unicode.IsLower(next) {
				return i
			}
		}
		if i > 0 && depth == 0 && unicode.IsUpper(r) {
			glued := unicode.IsLower(prev) || unicode.IsDigit(prev) || prev == ')' || prev == '.'
			if glued || (spaced < 0 && unicode.IsSpace(prev)) {
				if _, n, ok := reg.MatchPrefix(s[i:]); ok && endsCell(s[i+n:]) {
					if glued {
						return i
					}
					spaced = i
				} else if glued && unknown < 0 && prev != '.' && !unicode.IsDigit(prev) {
					unknown = i
				}
			}
		}
		prev = r
	}
	switch {
	case spaced >= 0:
		return spaced
	case unknown >= 0:
		return unknown
	}
	return len(s)
}

// endsCell reports whether a proposer name can end before s: at the end,
// before its action, or before the next name.
func endsCell(s string) bool {
	if s == "" || strings.HasPrefix(strings.TrimLeft(s, " "), "-") || strings.HasPrefix(strings.TrimLeft(s, " "), "–") {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsSpace(r)
}

// nextCellStart returns the length of an unresolved proposer name: up to
// its action, a line break, or the next name glued to it.
func nextCellStart(s string, reg *delegation.Registry) int {
	prev := rune(0)
	for i, r := range s {
		if r == '\n' {
			return i
		}
		if i > 0 && unicode.IsSpace(prev) && (r == '-' || r == '–' || r == '—') {
			return i - 1
		}
		if i > 0 && unicode.IsUpper(r) && unicode.IsLower(prev) {
			if _, _, ok := reg.MatchPrefix(s[i:]); ok {
				return i
			}
		}
		prev = r
	}
	return len(s)
}
