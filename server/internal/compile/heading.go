package compile

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Section headings of ITU and UN resolutions come in two shapes. Preambular
// ones are a participle or adjective ("recalling", "bearing in mind"),
// written in capitals in the secretariat's heading rows. Operative ones are
// a verb and the party addressed ("instructs the Secretary-General"), or
// "resolves" alone.

// preambleHeads are the preambular headings, lower case; "further",
// "also" and the like are handled by headPhrase.
var preambleHeads = []string{
	"recalling", "considering", "recognizing", "recognising", "aware",
	"being aware", "noting", "noting with satisfaction", "noting with concern",
	"noting with appreciation", "bearing in mind", "taking into account",
	"taking into consideration", "having regard to", "having considered",
	"emphasizing", "emphasising", "stressing", "underlining", "highlighting",
	"convinced", "mindful", "concerned", "deeply concerned", "acknowledging",
	"reaffirming", "welcoming", "observing", "expressing", "believing",
	"conscious", "affirming", "guided by", "in view of", "keeping in mind",
	"having regard", "referring to", "alarmed", "encouraged",
}

// standaloneOperative are operative headings that address no one.
var standaloneOperative = []string{"resolves", "decides", "resolve", "decide", "agrees", "adopts"}

// addressVerbs are the operative verbs followed by the party addressed.
var addressVerbs = []string{
	"instructs", "requests", "invites", "encourages", "urges", "calls upon",
	"calls on", "appeals to", "asks", "entrusts", "charges", "directs",
	"authorizes", "authorises", "recommends to", "exhorts",
}

// modifiers may precede or follow a heading word.
var modifiers = []string{"further", "also", "moreover", "finally"}

// A heading found at the start of a line.
type heading struct {
	text string // the heading as written: "instructs the Secretary-General"
	kind string
	// cut is where the text after the heading starts in the line, past any
	// colon or quote; rest is that text ("" when the line is all heading).
	cut  int
	rest string
}

// detectHeading finds a section heading at the start of line.
func detectHeading(line string) (heading, bool) {
	line = strings.TrimSpace(line)
	if line == "" {
		return heading{}, false
	}
	if h, ok := upperHeading(line); ok {
		return h, true
	}
	if end, ok := headPhrase(line, preambleHeads); ok {
		return finishHeading(line, end, KindPreamble, true)
	}
	if end, ok := headPhrase(line, standaloneOperative); ok {
		return finishHeading(line, end, KindOperative, true)
	}
	if end, ok := addressHeading(line); ok {
		return finishHeading(line, end, KindOperative, false)
	}
	return heading{}, false
}

// upperHeading accepts a whole line in capitals whose first word is a
// heading word, or a participle ("FURTHER CONSIDERING", "BEARING IN MIND").
func upperHeading(line string) (heading, bool) {
	if utf8.RuneCountInString(line) > 80 {
		return heading{}, false
	}
	letters := 0
	for _, r := range line {
		switch {
		case unicode.IsLower(r):
			return heading{}, false
		case unicode.IsLetter(r):
			letters++
		case r == ' ' || r == ',' || r == '-' || r == '\'' || r == ':' || r == '’':
		default:
			return heading{}, false
		}
	}
	if letters < 4 {
		return heading{}, false
	}
	text := strings.TrimRight(line, " :,")
	low := strings.ToLower(text)
	if _, ok := headPhrase(low, standaloneOperative); ok {
		return heading{text: text, kind: KindOperative, cut: len(line)}, true
	}
	words := strings.Fields(low)
	for len(words) > 1 && isModifier(words[0]) {
		words = words[1:]
	}
	first := words[0]
	switch {
	case hasWord(addressVerbs, first):
		return heading{text: text, kind: KindOperative, cut: len(line)}, true
	case hasPrefixWord(preambleHeads, strings.Join(words, " ")), strings.HasSuffix(first, "ing"):
		return heading{text: text, kind: KindPreamble, cut: len(line)}, true
	}
	return heading{}, false
}

// headPhrase matches one of phrases, possibly with modifiers before or
// after it ("further recalling", "noting also"), at the start of line,
// ignoring case. It returns the byte length of the match.
func headPhrase(line string, phrases []string) (int, bool) {
	low := strings.ToLower(line)
	if len(low) != len(line) {
		return 0, false // case mapping changed byte offsets; not a heading anyway
	}
	pos := 0
	for _, m := range modifiers {
		if wordAt(low, 0, m) {
			pos = len(m) + 1
			break
		}
	}
	best := -1
	for _, p := range phrases {
		if wordAt(low, pos, p) && pos+len(p) > best {
			best = pos + len(p)
		}
	}
	if best < 0 {
		return 0, false
	}
	for _, m := range modifiers {
		if wordAt(low, best+1, m) && best < len(low) && low[best] == ' ' {
			best += 1 + len(m)
			break
		}
	}
	return best, true
}

// wordAt reports whether w occurs in s at byte i as whole words.
func wordAt(s string, i int, w string) bool {
	if i > len(s) || !strings.HasPrefix(s[i:], w) {
		return false
	}
	j := i + len(w)
	if j == len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[j:])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
}

// addressHeading matches an operative verb and the party it addresses. The
// party ends at the end of the line, at a colon, at an infinitive ("to
// continue") or at a paragraph label; a heading is never a sentence, so a
// semicolon or a full stop rules the line out.
func addressHeading(line string) (int, bool) {
	low := strings.ToLower(line)
	if len(low) != len(line) {
		return 0, false
	}
	pos := 0
	for _, m := range modifiers {
		if wordAt(low, 0, m) {
			pos = len(m) + 1
			break
		}
	}
	verb := ""
	for _, v := range addressVerbs {
		if wordAt(low, pos, v) && len(v) > len(verb) {
			verb = v
		}
	}
	if verb == "" {
		return 0, false
	}
	pos += len(verb)
	if pos >= len(line) || line[pos] != ' ' {
		return 0, false
	}
	pos++
	if wordAt(low, pos, "further") || wordAt(low, pos, "also") {
		pos += strings.IndexByte(low[pos:], ' ') + 1
	}
	// The party: "the …", "all …", "Member States", "administrations".
	r, _ := utf8.DecodeRuneInString(line[pos:])
	if !unicode.IsUpper(r) && !wordAt(low, pos, "the") && !wordAt(low, pos, "all") &&
		!wordAt(low, pos, "administrations") && !wordAt(low, pos, "relevant") &&
		!wordAt(low, pos, "member") && !wordAt(low, pos, "each") && !wordAt(low, pos, "both") &&
		!wordAt(low, pos, "other") && !wordAt(low, pos, "regional") {
		return 0, false
	}
	end := len(line)
	words := 0
	for i := pos; i < len(line); i++ {
		c := line[i]
		if c == ':' {
			end = i
			break
		}
		if c == ';' || (c == '.' && (i+1 == len(line) || line[i+1] == ' ')) {
			return 0, false
		}
		if c == ' ' {
			words++
			if wordAt(low, i+1, "to") && i+4 < len(low) && low[i+3] == ' ' && 'a' <= low[i+4] && low[i+4] <= 'z' {
				end = i
				break
			}
			if labelLen(line[i+1:]) > 0 {
				end = i
				break
			}
		}
	}
	if words > 16 {
		return 0, false
	}
	return end, true
}

// finishHeading builds the heading of line ending at byte end. For the
// heading words that address no one ("recalling", "resolves") text may
// follow only if it starts with a label: "recalling 'd) that …".
func finishHeading(line string, end int, kind string, needLabel bool) (heading, bool) {
	text := strings.TrimRight(line[:end], " ,")
	cut := end
	for cut < len(line) {
		r, w := utf8.DecodeRuneInString(line[cut:])
		if !unicode.IsSpace(r) && !strings.ContainsRune(":,'‘’\"“”", r) {
			break
		}
		cut += w
	}
	rest := line[cut:]
	if needLabel && rest != "" && labelLen(rest) == 0 {
		return heading{}, false
	}
	if text == "" {
		return heading{}, false
	}
	return heading{text: text, kind: kind, cut: cut, rest: rest}, true
}

func isModifier(w string) bool { return hasWord(modifiers, w) }

func hasWord(list []string, w string) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}

func hasPrefixWord(list []string, s string) bool {
	for _, x := range list {
		if wordAt(s, 0, x) {
			return true
		}
	}
	return false
}

// foldKey is the form under which headings are compared: case, runs of
// white space, dash and apostrophe styles and trailing punctuation do not
// count.
func foldKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case r >= 0x2010 && r <= 0x2015:
			r = '-'
		case r == '’' || r == '‘':
			r = '\''
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimRight(b.String(), " :,;.")
}
