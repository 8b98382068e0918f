package compile

import (
	"regexp"
	"slices"
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

// isOriginalHeader reports whether a header cell names the original text,
// in one of the six languages: "Original (Rev. …)", "Texte original",
// "Оригинал", "النص الأصلي", "原文".
func isOriginalHeader(s string) bool {
	f := foldHead(strings.TrimSpace(s))
	for _, w := range originalWords {
		if strings.HasPrefix(f, w) {
			return true
		}
	}
	return false
}

var originalWords = func() []string {
	var out []string
	for _, w := range []string{
		"original", "texte original", "texte initial", "texto original", "оригинал", "исходный текст",
		"первоначальный текст", "الأصل", "النص الأصلي", "原文", "原始文本", "原案文",
	} {
		out = append(out, foldHead(w))
	}
	return out
}()

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
// "Türkiye", "CEPT – MOD EUR/80A1/14", "Inter-American Telecommunication
// Commission (CITEL)".
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

// resolveProposer fills in the registry code from the name as written
// (exactly, with a qualifier or abbreviation, or a close spelling), or
// else from the reference's symbol.
func resolveProposer(p *Proposer, reg *delegation.Registry) {
	if d, m, ok := reg.ResolveLoose(p.Name); ok {
		p.Code, p.Match = d.Code, m
		return
	}
	if p.Ref != "" {
		if d, ok := reg.ResolveRef(p.Ref); ok {
			p.Code = d.Code
			p.Match = delegation.Match{How: MatchByRef, Score: 1, Key: p.Ref}
		}
	}
}

// MatchByRef is Proposer.Match.How when the name did not resolve and the
// reference's ITU symbol did ("Delegation --- MOD B/1/2" is Brazil).
const MatchByRef = "ref"

// parseTextHeader reads the header row of the flattened text form, where
// the cells run together: "Original (Rev. Montevideo 2031) - full
// textBrazil --- MOD B/12/3RCCArbCubaCEPT --- MOD EUR/20A1/5".
//
// After the Original cell, the " --- ACTION REF" markers end a cell each,
// and so do line breaks where the flattening kept them. Between two such
// ends, the cells' names run together; splitHeaderNames cuts them apart.
func parseTextHeader(s string, reg *delegation.Registry) (string, []Proposer) {
	end := originalCellEnd(s, reg)
	ref := baseRef(s[:end])
	var out []Proposer
	budget := fuzzyBudget
	pos := end
	for pos < len(s) && len(out) < maxProposers {
		// The next segment runs to a marker or a line break.
		seg := s[pos:]
		cut, markLen := len(seg), 0
		var action, mref string
		if i := strings.IndexByte(seg, '\n'); i >= 0 {
			cut = i
			markLen = 1
		}
		if m := markerPattern.FindStringSubmatchIndex(seg[:cut]); m != nil {
			cut, markLen = m[0], m[1]-m[0]
			if m[2] >= 0 {
				action = seg[m[2]:m[3]]
			}
			if m[4] >= 0 {
				mref = seg[m[4]:m[5]]
			}
		}
		names := splitHeaderNames(seg[:cut], reg, &budget)
		if len(names) > 0 {
			last := &names[len(names)-1]
			last.Action, last.Ref = action, mref
			if last.Code == "" && mref != "" {
				resolveProposer(last, reg)
			}
		}
		for _, p := range names {
			if len(out) < maxProposers {
				out = append(out, p)
			}
		}
		pos += cut + markLen
	}
	return ref, out
}

// markerPattern finds " --- ACTION REF" after a proposer's name: dashes
// with white space before them (not the hyphen of "Asia-Pacific"), an
// optional action, an optional reference.
var markerPattern = regexp.MustCompile(`\s+[-–—]+\s*(?:(MOD|ADD|SUP|NOC)\b\s*)?(` + refSyntax + `)?`)

// fuzzyBudget bounds the fuzzy look-ups one header may cost: a hostile
// header could otherwise ask for one per pair of word boundaries.
const fuzzyBudget = 400

// Costs of a reading of run-together names: each name costs 1, a fuzzy
// one a little more, a name the registry does not know much more, and
// running a name across a visible seam ("textBrazil", "(CITEL)Saudi") more
// again. The reading of least cost wins, so a known whole name beats its
// fragments ("Saudi Arabia", not "Saudi" and "Arabia"), and a close
// spelling of one name beats a known fragment and an unknown rest
// ("Africa Telecommunications Union", not "Africa" and "Telecommunications
// Union").
const (
	costName    = 1.0
	costFuzzy   = 4.0 // times (1 - similarity)
	costUnknown = 10.0
	costSeam    = 12.0
	// maxPieceCuts and maxPieceBytes bound how many candidate cuts one
	// name may span, which keeps the reading linear in the header.
	maxPieceCuts  = 80
	maxPieceBytes = 160
)

// splitHeaderNames cuts a stretch of run-together proposer names into
// names, choosing the cheapest reading (see the costs above).
func splitHeaderNames(seg string, reg *delegation.Registry, budget *int) []Proposer {
	cuts, seams := headerCuts(seg, reg)
	n := len(cuts)
	if n < 2 {
		return nil
	}
	type state struct {
		cost float64
		prev int
		p    Proposer
		ok   bool
	}
	best := make([]state, n)
	best[0].ok = true
	cache := map[string]Proposer{}
	for j := 1; j < n; j++ {
		for i := j - 1; i >= 0 && j-i <= maxPieceCuts; i-- {
			if !best[i].ok || cuts[j]-cuts[i] > maxPieceBytes {
				break
			}
			text := strings.Trim(seg[cuts[i]:cuts[j]], " \t,;|")
			var cost float64
			var p Proposer
			if text == "" || !hasWordChar(text) {
				// Punctuation between names costs nothing and names no one.
				cost = 0
			} else {
				p = pieceProposer(text, reg, cache, budget)
				switch {
				case p.Code == "":
					cost = costUnknown
				case p.Match.How == delegation.MatchFuzzy:
					cost = costName + costFuzzy*(1-p.Match.Score)
				default:
					cost = costName
				}
				for k := i + 1; k < j; k++ {
					if seams[k] {
						cost += costSeam
					}
				}
			}
			c := best[i].cost + cost
			if !best[j].ok || c < best[j].cost {
				best[j] = state{cost: c, prev: i, p: p, ok: true}
			}
		}
		if !best[j].ok {
			// No piece reaches here within the bounds: start afresh.
			best[j] = state{cost: best[j-1].cost + costUnknown, prev: j - 1, ok: true,
				p: Proposer{Name: strings.TrimSpace(seg[cuts[j-1]:cuts[j]])}}
		}
	}
	var out []Proposer
	for j := n - 1; j > 0; j = best[j].prev {
		if best[j].p.Name != "" {
			out = append(out, best[j].p)
		}
	}
	slices.Reverse(out)
	return out
}

// pieceProposer resolves one candidate name, once per distinct text.
func pieceProposer(text string, reg *delegation.Registry, cache map[string]Proposer, budget *int) Proposer {
	if p, ok := cache[text]; ok {
		return p
	}
	p := Proposer{Name: text}
	if d, ok := reg.Resolve(text); ok {
		p.Code, p.Match = d.Code, delegation.Match{How: delegation.MatchExact, Score: 1, Key: text}
	} else if *budget > 0 {
		*budget--
		if d, m, ok := reg.ResolveLoose(text); ok {
			p.Code, p.Match = d.Code, m
		}
	}
	cache[text] = p
	return p
}

// headerCuts returns the offsets where a name may start or end in a
// stretch of run-together names, with the stretch's ends, and marks those
// that are seams: a place where the flattening visibly glued two cells (a
// capital after a small letter, a digit or a closing parenthesis, or the
// capitalised word after a run of capitals: "RCC|Arb"). Word starts are
// cuts too ("Cuba Brasil"), and so is every place between two letters of
// a script without capitals where a known name starts, since nothing else
// shows a seam there.
func headerCuts(seg string, reg *delegation.Registry) ([]int, []bool) {
	cuts := []int{0}
	seams := []bool{false}
	prev, prev2 := rune(0), rune(0)
	for i, r := range seg {
		if i > 0 {
			seam := false
			cut := false
			switch {
			case unicode.IsUpper(r) && (unicode.IsLower(prev) || unicode.IsDigit(prev) || prev == ')' || prev == '）' || prev == '.'):
				seam = true
			case unicode.IsLower(r) && unicode.IsUpper(prev) && unicode.IsUpper(prev2):
				// "RCCArb": the cut is before the "A", one rune back.
				last := cuts[len(cuts)-1]
				_, w := utf8.DecodeLastRuneInString(seg[:i])
				if at := i - w; at > last {
					cuts = append(cuts, at)
					seams = append(seams, true)
				}
			case unicode.IsSpace(prev) && !unicode.IsSpace(r):
				cut = true
			case isUncasedLetter(prev) && isUncasedLetter(r):
				// Only where a known name starts: a cut between every two
				// letters would make a long header quadratic.
				_, _, cut = reg.MatchPrefix(seg[i:])
			case !unicode.IsLetter(prev) && isUncasedLetter(r) || isUncasedLetter(prev) && !unicode.IsLetter(r) && !unicode.IsSpace(r):
				cut = true
			}
			if seam || cut {
				cuts = append(cuts, i)
				seams = append(seams, seam)
			}
		}
		prev2, prev = prev, r
	}
	cuts = append(cuts, len(seg))
	seams = append(seams, false)
	return cuts, seams
}

func isUncasedLetter(r rune) bool {
	return unicode.IsLetter(r) && !unicode.IsUpper(r) && !unicode.IsLower(r) && !unicode.IsTitle(r)
}

// originalCellEnd finds where the Original cell of a run-together header
// ends: at the first seam where a proposer's name is glued to it ("full
// textBrazil", "(Rev. X)البرازيل"), or at a line break unless the next line
// carries the cell on ("(Rev. Montevideo 2031)", "- full text"). A seam
// counts if a known name follows it, or if it is a capital after a small
// letter or a closing parenthesis (an unknown name: "textAtlantis"). Names
// after a space count only if no seam is found, and never inside
// parentheses ("(Rev. Mexico 2022)"). Between two letters of a script
// without capitals only a known name shows a seam.
func originalCellEnd(s string, reg *delegation.Registry) int {
	spaced := -1
	depth := 0
	prev := rune(0)
	for i, r := range s {
		switch r {
		case '(', '（':
			depth++
		case ')', '）':
			if depth > 0 {
				depth--
			}
		case '\n':
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if next != '(' && next != '-' && next != '–' && !unicode.IsLower(next) {
				return i
			}
		}
		if i > 0 && depth == 0 && unicode.IsLetter(r) {
			cased := unicode.IsUpper(r) && (unicode.IsLower(prev) || unicode.IsDigit(prev) || prev == ')' || prev == '）' || prev == '.')
			script := isUncasedLetter(r) && !isUncasedLetter(prev) && !unicode.IsSpace(prev) && prev != '(' && prev != '-'
			inner := isUncasedLetter(r) && isUncasedLetter(prev)
			known := false
			if cased || script || inner || (spaced < 0 && unicode.IsSpace(prev) && (unicode.IsUpper(r) || isUncasedLetter(r))) {
				if _, n, ok := reg.MatchPrefix(s[i:]); ok && endsCell(s[i+n:]) {
					known = true
				}
			}
			switch {
			case (cased || script || inner) && known:
				return i
			case cased && (unicode.IsLower(prev) || prev == ')' || prev == '）'), script:
				return i // an unknown name glued on
			case known && unicode.IsSpace(prev) && spaced < 0:
				spaced = i
			}
		}
		prev = r
	}
	if spaced >= 0 {
		return spaced
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
	return unicode.IsUpper(r) || unicode.IsSpace(r) || isUncasedLetter(r) || r == '('
}
