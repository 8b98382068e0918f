package draft

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxVersionLabel is the longest version label, in characters.
const MaxVersionLabel = 64

// ErrVersionLabel marks a label no version may have.
var ErrVersionLabel = errors.New("invalid version label")

// CheckVersionLabel says whether a version may be frozen under label. A
// label is 1 to 64 characters of letters (any script), digits, spaces and
// . - _ ( ) + : , ' — it starts with a letter or digit, holds at least
// one letter (so it can never be read as a seq), and has no space at
// either end nor two in a row. "Rev.1", "Rev. 2 (final)" and "Ред.3"
// qualify; "5", ".", "..", " " and "Rev/1" do not.
func CheckVersionLabel(label string) error {
	bad := func(why string) error {
		return fmt.Errorf("%w %q: %s", ErrVersionLabel, truncate(label, 40), why)
	}
	switch {
	case !utf8.ValidString(label):
		return fmt.Errorf("%w: not valid UTF-8", ErrVersionLabel)
	case strings.TrimSpace(label) == "":
		return fmt.Errorf("%w: the label is blank", ErrVersionLabel)
	case utf8.RuneCountInString(label) > MaxVersionLabel:
		return bad(fmt.Sprintf("longer than %d characters", MaxVersionLabel))
	}
	first, _ := utf8.DecodeRuneInString(label)
	if !unicode.IsLetter(first) && !unicode.IsDigit(first) {
		return bad("it must start with a letter or a digit")
	}
	letters, prevSpace := 0, false
	for _, r := range label {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r), unicode.Is(unicode.Mn, r), unicode.Is(unicode.Mc, r), strings.ContainsRune(".-_()+:,'", r):
		case r == ' ':
			if prevSpace {
				return bad("two spaces in a row")
			}
		default:
			return bad(fmt.Sprintf("%q is not allowed; use letters, digits, spaces and . - _ ( ) + : , '", r))
		}
		prevSpace = r == ' '
	}
	if prevSpace {
		return bad("it ends with a space")
	}
	if letters == 0 {
		return bad("it needs a letter (a label of digits alone would read as a seq), e.g. Rev.5")
	}
	return nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
