package delegation

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MatchPrefix finds the delegation whose name, alias or code is the longest
// prefix of s, and returns it with the length of the match in bytes.
//
// It exists for the header rows of tables flattened out of Word documents,
// where the cells run together: "Brazil --- MOD B/75/4RCCArbIndonesiaCuba".
// A match therefore counts only where it ends at the end of s, before a
// non-letter, or at a change of word visible from the letter case: a
// lower-case letter followed by an upper-case one ("Cuba|CEPT"), or an
// upper-case run followed by a capitalised word ("RCC|Arb").
//
// Case-sensitive matches are tried first; only if there is none is case
// ignored (diacritics, apostrophe styles and white space runs are then
// ignored as well). Keys shorter than three characters, and ITU symbols,
// are never used: "B" or "UK" would match the start of far too many words.
func (r *Registry) MatchPrefix(s string) (Delegation, int, bool) {
	if s == "" {
		return Delegation{}, 0, false
	}
	first, _ := utf8.DecodeRuneInString(s)
	keys := r.prefix[foldRune(first)]

	best, bestN := -1, 0
	for _, k := range keys {
		if n := len(k.text); n > bestN && strings.HasPrefix(s, k.text) && atBoundary(s, n) {
			best, bestN = k.idx, n
		}
	}
	if best < 0 {
		for _, k := range keys {
			if n, ok := foldedPrefix(s, k.text); ok && n > bestN && atBoundary(s, n) {
				best, bestN = k.idx, n
			}
		}
	}
	if best < 0 {
		return Delegation{}, 0, false
	}
	return r.get(best), bestN, true
}

// foldedPrefix reports whether s starts with key when case, diacritics and
// the length of white space runs are ignored, and how many bytes of s the
// match covers. It compares letter by letter, so unlike fold it does not
// equate letters such as æ with two-letter spellings.
func foldedPrefix(s, key string) (int, bool) {
	i, j := 0, 0
	for j < len(key) {
		kr, kw := utf8.DecodeRuneInString(key[j:])
		switch {
		case unicode.IsSpace(kr):
			j += spaceRun(key[j:])
			n := spaceRun(s[i:])
			if n == 0 {
				return 0, false
			}
			i += n
			continue
		case isMark(kr):
			j += kw
			continue
		}
		i += markRun(s[i:])
		if i >= len(s) {
			return 0, false
		}
		sr, sw := utf8.DecodeRuneInString(s[i:])
		if foldRune(sr) != foldRune(kr) {
			return 0, false
		}
		i += sw
		j += kw
	}
	// Take along the combining accents of the last letter.
	return i + markRun(s[i:]), true
}

// atBoundary reports whether a match of the first n bytes of s ends where a
// cell of a flattened table header could end.
func atBoundary(s string, n int) bool {
	if n >= len(s) {
		return true
	}
	// The letter that ends the match, not the accents combined with it.
	last, _ := utf8.DecodeLastRuneInString(strings.TrimRightFunc(s[:n], isMark))
	next, w := utf8.DecodeRuneInString(s[n:])
	switch {
	case isMark(next):
		return false // the match would end inside a letter
	case !unicode.IsLetter(next), !unicode.IsLetter(last):
		return true
	case uncased(last) && uncased(next):
		// Arabic and Chinese have no capitals to show where one name ends
		// and the next begins ("巴西俄罗斯"); a whole known name is the
		// only evidence, and the longest one wins.
		return true
	case !unicode.IsUpper(next):
		return false
	case unicode.IsLower(last):
		return true // "Cuba|CEPT"
	case unicode.IsUpper(last):
		after, _ := utf8.DecodeRuneInString(s[n+w:])
		return unicode.IsLower(after) // "RCC|Arb", but not "USA|CEPT"
	}
	return false
}

// uncased reports whether r is a letter of a script without capitals.
func uncased(r rune) bool {
	return unicode.IsLetter(r) && !unicode.IsUpper(r) && !unicode.IsLower(r) && !unicode.IsTitle(r)
}

func spaceRun(s string) int {
	n := 0
	for n < len(s) {
		r, w := utf8.DecodeRuneInString(s[n:])
		if !unicode.IsSpace(r) {
			break
		}
		n += w
	}
	return n
}

func markRun(s string) int {
	n := 0
	for n < len(s) {
		r, w := utf8.DecodeRuneInString(s[n:])
		if !isMark(r) {
			break
		}
		n += w
	}
	return n
}

// isMark reports whether r is a combining accent, as found in decomposed
// (NFD) text, an Arabic vowel mark, or the Arabic tatweel: none of them
// starts or ends a letter.
func isMark(r rune) bool { return unicode.Is(unicode.Mn, r) || r == tatweel }
