package draft

import (
	"fmt"
	"strings"
	"unicode"
)

// RuleError codes.
const (
	CodeForbidden = "forbidden" // the actor may not do this
	CodeInvalid   = "invalid"   // nobody may do this, or the input is malformed
)

// Rule ids, stable for clients and tests.
const (
	RuleReadOnly         = "read-only"          // rapporteurs, observers and unknown roles
	RuleNoDelegation     = "no-delegation"      // a delegate without a delegation code
	RuleLocked           = "locked"             // paragraph is agreed
	RuleAdRef            = "ad-ref"             // paragraph is agreed ad ref
	RuleOpMismatch       = "op-mismatch"        // op does not fit the text
	RuleBalance          = "balance"            // brackets would not balance
	RuleDeleteOwn        = "delete-own"         // delegate deleting others' text
	RuleBracketPairs     = "bracket-pairs"      // delegate bracket matched with an existing one
	RuleInsertInBrackets = "insert-in-brackets" // delegate text outside own brackets
	RuleKeepBrackets     = "keep-brackets"      // a delegation's own held words would leave its brackets
	RuleOthersBrackets   = "others-brackets"    // another delegation's held words would be mixed with other text
	RuleStatusChair      = "status-chair"       // status change by a non-chair
	RuleStatusUnknown    = "status-unknown"     // no such status
	RuleAgreedBrackets   = "agreed-brackets"    // agreeing a paragraph that has brackets
	RuleNoGroup          = "no-group"           // no bracket group at the position
	RuleNoAlternative    = "no-alternative"     // keep: the group has no such alternative
	RuleChooseAlt        = "choose-alternative" // accept: the group has several alternatives
	RuleResolveChair     = "resolve-chair"      // keep or accept by a non-chair
	RuleDropOwn          = "drop-own"           // delegate dropping a group that is not all its own
)

// NoOffset is RuleError.Offset for a refusal that is about no one place in
// the text (a role, a status).
const NoOffset = -1

// RuleError is a refusal the room reports to the client as is. Message
// says, in plain words, which rule the request breaks and quotes the words
// around the place; Rule and Offset say the same for programs.
type RuleError struct {
	Code    string // CodeForbidden or CodeInvalid
	Rule    string // one of the Rule* ids
	Message string
	// Offset is where, in code points, or NoOffset. An inserted
	// character's offset is in the text after the edit and a deleted
	// one's in the text before it, the only text in which each exists;
	// bracket balance and pairing are judged on the text after the edit.
	// For a bracket-group action it is in the paragraph as it was.
	Offset int
}

func (e *RuleError) Error() string { return e.Message }

func forbidden(rule, format string, args ...any) *RuleError {
	return &RuleError{Code: CodeForbidden, Rule: rule, Message: fmt.Sprintf(format, args...), Offset: NoOffset}
}

func invalid(rule, format string, args ...any) *RuleError {
	return &RuleError{Code: CodeInvalid, Rule: rule, Message: fmt.Sprintf(format, args...), Offset: NoOffset}
}

// at sets the offset of a refusal.
func (e *RuleError) at(off int) *RuleError {
	e.Offset = off
	return e
}

// Quoting: a message quotes the words at the place it is about, with one
// more word on each side, so that a reader finds the place without
// counting characters. Each side is cut at quoteSide code points (a script
// written without spaces has no words to count) and the middle, when
// longer than quoteMiddle, keeps its two ends.
const (
	quoteSide   = 20
	quoteMiddle = 40
)

// quote returns, in double quotes, the words of rs covering [from, to) plus
// one word of context on each side. from == to quotes the words around a
// place between two characters.
func quote(rs []rune, from, to int) string { return quoteSpan(rs, from, to, true) }

// quoteWords quotes the words covering [from, to) alone.
func quoteWords(rs []rune, from, to int) string { return quoteSpan(rs, from, to, false) }

func quoteSpan(rs []rune, from, to int, context bool) string {
	from = min(max(from, 0), len(rs))
	to = min(max(to, from), len(rs))
	lo, hi := wordStart(rs, from), wordEnd(rs, to)
	if context {
		lo = wordStart(rs, skipSpaceBack(rs, lo))
		hi = wordEnd(rs, skipSpaceFwd(rs, hi))
	}
	var b strings.Builder
	b.WriteByte('"')
	if lo > 0 && !isSpace(rs[lo-1]) {
		b.WriteString("…") // cut inside a word
	}
	if to-from > quoteMiddle {
		// Keep the context and both ends of a long middle.
		writeQuoted(&b, rs[lo:from+quoteMiddle/2])
		b.WriteString("…")
		writeQuoted(&b, rs[to-quoteMiddle/2:hi])
	} else {
		writeQuoted(&b, rs[lo:hi])
	}
	if hi < len(rs) && !isSpace(rs[hi]) {
		b.WriteString("…")
	}
	b.WriteByte('"')
	return b.String()
}

// writeQuoted writes rs with line breaks and other white space shown as
// plain spaces, so that a message stays on one line.
func writeQuoted(b *strings.Builder, rs []rune) {
	for _, r := range rs {
		if isSpace(r) || unicode.IsControl(r) {
			r = ' '
		}
		b.WriteRune(r)
	}
}

// wordStart moves i back to the start of the word it is in or just after,
// by at most quoteSide code points.
func wordStart(rs []rune, i int) int {
	for n := 0; i > 0 && n < quoteSide && !isSpace(rs[i-1]); n++ {
		i--
	}
	return i
}

func wordEnd(rs []rune, i int) int {
	for n := 0; i < len(rs) && n < quoteSide && !isSpace(rs[i]); n++ {
		i++
	}
	return i
}

func skipSpaceBack(rs []rune, i int) int {
	for i > 0 && isSpace(rs[i-1]) {
		i--
	}
	return i
}

func skipSpaceFwd(rs []rune, i int) int {
	for i < len(rs) && isSpace(rs[i]) {
		i++
	}
	return i
}

// textBy names whose text something is, for messages: "CHN's text", "the
// chair's text", "the original text".
func textBy(author string) string {
	switch author {
	case AuthorOriginal:
		return "the original text"
	case AuthorChair:
		return "the chair's text"
	case "":
		return "text by nobody known"
	}
	return author + "'s text"
}

// textsBy joins textBy for several authors: "CHN's text and the original
// text".
func textsBy(authors []string) string {
	if len(authors) == 0 {
		return "no text"
	}
	parts := make([]string, len(authors))
	for i, a := range authors {
		parts[i] = textBy(a)
	}
	return JoinAnd(parts)
}

// JoinAnd lists words as a message says them: "a", "a and b", "a, b and
// c"; no words give "".
func JoinAnd(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// possessive is "CHN's", "the chair's" or "the original text's".
func possessive(author string) string {
	switch author {
	case AuthorOriginal:
		return "the original text's"
	case AuthorChair:
		return "the chair's"
	}
	return author + "'s"
}
