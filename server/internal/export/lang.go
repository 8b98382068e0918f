package export

// A document's language (wire.Document.Lang, an ISO 639-1 code) marks its
// exports: the HTML page's lang and dir, Akoma Ntoso's xml:lang and
// FRBRlanguage, Word's w:lang on the text, so that spelling checkers,
// screen readers, hyphenation and fonts treat the headings and
// paragraphs as the language they are in.

// langTag is the language as a BCP 47 tag, "en" when unknown.
func langTag(lang string) string {
	if lang == "" {
		return "en"
	}
	return lang
}

// iso639_2 is the three-letter code Akoma Ntoso URIs and FRBRlanguage use.
func iso639_2(lang string) string {
	switch lang {
	case "ar":
		return "ara"
	case "es":
		return "spa"
	case "fr":
		return "fra"
	case "ru":
		return "rus"
	case "zh":
		return "zho"
	}
	return "eng"
}

// wordLang returns the w:lang attributes of a run in the language: Word
// keeps separate languages for Latin, East Asian and complex scripts.
func wordLang(lang string) string {
	switch lang {
	case "ar":
		return `w:val="en-GB" w:bidi="ar-SA"`
	case "zh":
		return `w:val="en-GB" w:eastAsia="zh-CN" w:bidi="ar-SA"`
	case "fr":
		return `w:val="fr-FR" w:bidi="ar-SA"`
	case "es":
		return `w:val="es-ES" w:bidi="ar-SA"`
	case "ru":
		return `w:val="ru-RU" w:bidi="ar-SA"`
	}
	return `w:val="en-GB" w:bidi="ar-SA"`
}

// rtlLang reports whether the language is written right to left.
func rtlLang(lang string) bool { return lang == "ar" }
