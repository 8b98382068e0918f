package delegation

import (
	"strings"
	"unicode"
)

// fold reduces a name to the key under which Resolve looks it up: lower
// case, without diacritics, with white space runs collapsed to one space and
// no trailing dots. Delegation names come from hand-typed tables and from
// Word documents, which disagree on accents, apostrophes and spacing.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Cf, r), r == tatweel:
			// Combining accents of decomposed text (and Arabic vowel
			// marks), invisible characters such as soft hyphens and
			// zero-width spaces, and the Arabic letter-stretching tatweel.
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if m, ok := multiFold[r]; ok {
			b.WriteString(m)
			continue
		}
		b.WriteRune(foldRune(r))
	}
	return strings.TrimRight(b.String(), ". ")
}

// foldRune maps a letter to its lower-case base letter (É -> e) and
// typographic punctuation to its ASCII form (’ -> '). Letters whose base is
// more than one letter (æ, ß) are only lower-cased; fold handles them.
func foldRune(r rune) rune {
	switch {
	case r < 0x80:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case 0xC0 <= r && r <= 0xFF:
		if c := latin1[r-0xC0]; c != '*' {
			return rune(c)
		}
	case 0x100 <= r && r <= 0x17F:
		if c := latinExtA[r-0x100]; c != '*' {
			return rune(c)
		}
	case 0x1EA0 <= r && r <= 0x1EF9:
		return rune(vietnamese[r-0x1EA0])
	}
	if m, ok := singleFold[r]; ok {
		return m
	}
	return unicode.ToLower(r)
}

// Base letters of U+00C0..U+00FF and U+0100..U+017F; '*' marks a character
// that has no single base letter.
const (
	latin1    = "aaaaaa*ceeeeiiiidnooooo*ouuuuy**" + "aaaaaa*ceeeeiiiidnooooo*ouuuuy*y"
	latinExtA = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkkllllllllllnnnnnnnnnoooooo**rrrrrrsssssssstttttt" +
		"uuuuuuuuuuuuwwyyyzzzzzzs"
	// U+1EA0..U+1EF9, the precomposed letters used by Vietnamese.
	vietnamese = "aaaaaaaaaaaaaaaaaaaaaaaa" + "eeeeeeeeeeeeeeee" + "iiii" +
		"oooooooooooooooooooooooo" + "uuuuuuuuuuuuuu" + "yyyyyyyy"
)

// tatweel (U+0640) stretches an Arabic word without changing it.
const tatweel = '\u0640'

var singleFold = map[rune]rune{
	'Ơ': 'o', 'ơ': 'o', 'Ư': 'u', 'ư': 'u',
	'Ș': 's', 'ș': 's', 'Ț': 't', 'ț': 't',
	// Arabic: the hamza forms of alif, alif maqsura and ta marbuta are
	// written either way in names ("الإفريقي", "الافريقي").
	'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ى': 'ي', 'ة': 'ه',
	// Russian ё is usually written е.
	'Ё': 'е', 'ё': 'е',
	// Full-width punctuation of Chinese text.
	'（': '(', '）': ')', '，': ',', '：': ':', '；': ';', '、': ',',
	'\u2018': '\'', '\u2019': '\'', '\u02BC': '\'', '\u00B4': '\'',
	'\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-',
}

var multiFold = map[rune]string{
	'Æ': "ae", 'æ': "ae", 'Œ': "oe", 'œ': "oe", 'ß': "ss",
	'Þ': "th", 'þ': "th", 'Ĳ': "ij", 'ĳ': "ij",
}
