package compile

import (
	"strings"
	"unicode"
)

// Languages are the six official languages of the UN and ITU, by their
// ISO 639-1 codes: the languages a compilation's headings are recognised in.
var Languages = []string{"ar", "en", "es", "fr", "ru", "zh"}

// LangUnknown is what a table says for a document whose language is not
// recorded ("Language: unknown"); the importer then records none rather
// than guess.
const LangUnknown = "unknown"

// langNames are the names of the languages, in English and in themselves.
var langNames = map[string]string{
	"arabic": "ar", "العربية": "ar", "english": "en", "spanish": "es", "español": "es",
	"french": "fr", "français": "fr", "russian": "ru", "русский": "ru", "chinese": "zh", "中文": "zh",
}

// ParseLang reads a language as a user gives it: a code ("fr", "fr-FR",
// "zh-Hans") or a name ("French", "Français") of one of the six
// languages. It returns "" for anything else.
func ParseLang(s string) string { return parseLang(s) }

func parseLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if code, ok := langNames[s]; ok {
		return code
	}
	// "French (fr)", as Draftroom's export writes it.
	if i := strings.LastIndexByte(s, '('); i >= 0 && strings.HasSuffix(s, ")") {
		if code := parseLang(s[i+1 : len(s)-1]); code != "" {
			return code
		}
	}
	base, _, _ := strings.Cut(strings.ReplaceAll(s, "_", "-"), "-")
	for _, l := range Languages {
		if base == l {
			return l
		}
	}
	return ""
}

// LangName is the English name of a language code: "French".
func LangName(code string) string {
	for name, c := range langNames {
		if c == code && name[0] < 0x80 && name != "español" && name != "français" {
			return strings.ToUpper(name[:1]) + name[1:]
		}
	}
	return code
}

// stopWords are the commonest short words of the Latin-script languages,
// which tell an English text from a French or Spanish one.
var stopWords = map[string][]string{
	"en": {"the", "of", "and", "to", "in", "that", "for", "on", "with"},
	"fr": {"le", "la", "les", "des", "et", "du", "que", "dans", "pour", "sur", "une"},
	"es": {"el", "los", "las", "del", "y", "que", "en", "para", "con", "una", "por"},
}

// detectLang tells the language of a compilation: the script of its text
// says Arabic, Chinese or Russian; among the Latin-script languages, the
// headings' formulas decide, and failing them the commonest short words.
func detectLang(c *Compilation) string {
	var arabic, han, cyrillic, latin int
	votes := map[string]int{}
	words := map[string]int{}
	count := func(s string) {
		for _, r := range s {
			switch {
			case !unicode.IsLetter(r):
			case unicode.Is(unicode.Arabic, r):
				arabic++
			case unicode.Is(unicode.Han, r):
				han++
			case unicode.Is(unicode.Cyrillic, r):
				cyrillic++
			case unicode.Is(unicode.Latin, r):
				latin++
			}
		}
		for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
			for lang, list := range stopWords {
				if hasWord(list, w) {
					words[lang]++
				}
			}
		}
	}
	for _, s := range c.Sections {
		count(s.Heading)
		if h, ok := detectHeading(s.Heading); ok {
			votes[h.lang]++
		}
		for _, p := range s.Paragraphs {
			count(p.Text)
		}
	}
	best := func(m map[string]int, among ...string) string {
		out, n := "", 0
		for _, l := range among {
			if m[l] > n {
				out, n = l, m[l]
			}
		}
		return out
	}
	switch top := max(arabic, han, cyrillic, latin); {
	case top == 0:
		return ""
	case top == arabic:
		return "ar"
	case top == han:
		return "zh"
	case top == cyrillic:
		return "ru"
	}
	if l := best(votes, "fr", "es", "en"); l != "" && votes[l] > len(c.Sections)/2 {
		return l
	}
	if l := best(words, "en", "fr", "es"); l != "" {
		return l
	}
	return "en"
}
