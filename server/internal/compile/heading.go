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
// "resolves" alone. Both are recognised by form, not length: a formula
// from the lists below at the start of a line, no paragraph label, and no
// sentence ending in it.
//
// The lists hold the formulas of the six official languages. They are
// compared folded (foldHead): case, accents and Arabic vowel marks do not
// count, so "Considérant", "CONSIDERANT" and "considérant" are one.

// formulas are one language's heading words.
type formulas struct {
	lang string
	// preamble are the preambular formulas.
	preamble []string
	// standalone are operative formulas that address no one ("resolves").
	standalone []string
	// verbs are operative verbs followed by the party addressed.
	verbs []string
	// before and after are modifiers around a formula: "further
	// resolves", "décide en outre".
	before, after []string
	// party reports whether the words at i can open the party a verb
	// addresses ("the Secretary-General"); nil accepts anything.
	party func(folded, line string, i int) bool
	// partyEnd reports whether the party ends at byte i of the folded
	// line (at an infinitive: " to continue", " à participer").
	partyEnd func(folded string, i int) bool
}

var english = formulas{
	lang: "en",
	preamble: []string{
		"recalling", "considering", "recognizing", "recognising", "aware", "being aware",
		"noting", "noting with satisfaction", "noting with concern", "noting with appreciation",
		"bearing in mind", "taking into account", "taking into consideration", "having regard to",
		"having considered", "emphasizing", "emphasising", "stressing", "underlining", "highlighting",
		"convinced", "mindful", "concerned", "deeply concerned", "acknowledging", "reaffirming",
		"welcoming", "observing", "expressing", "believing", "conscious", "affirming", "guided by",
		"in view of", "keeping in mind", "having regard", "referring to", "alarmed", "encouraged",
	},
	standalone: []string{"resolves", "decides", "resolve", "decide", "agrees", "adopts"},
	verbs: []string{
		"instructs", "requests", "invites", "encourages", "urges", "calls upon", "calls on",
		"appeals to", "asks", "entrusts", "charges", "directs", "authorizes", "authorises",
		"recommends to", "exhorts",
	},
	before: []string{"further", "also", "moreover", "finally"},
	after:  []string{"further", "also", "moreover", "finally"},
	party: func(folded, line string, i int) bool {
		r, _ := utf8.DecodeRuneInString(line[i:])
		return unicode.IsUpper(r) || wordIn(folded, i, "the", "all", "administrations", "relevant", "member", "each", "both", "other", "regional")
	},
	partyEnd: func(f string, i int) bool { return infinitiveAfter(f, i, "to") },
}

var french = formulas{
	lang: "fr",
	preamble: []string{
		"rappelant", "considerant", "reconnaissant", "consciente", "conscient", "conscientes", "conscients",
		"notant", "notant avec satisfaction", "notant avec preoccupation", "prenant note", "prenant acte",
		"ayant a l'esprit", "gardant a l'esprit", "tenant compte", "soulignant", "se felicitant",
		"convaincue", "convaincu", "convaincus", "convaincues", "preoccupee", "preoccupe", "profondement preoccupee",
		"profondement preoccupe", "reaffirmant", "affirmant", "accueillant avec satisfaction", "constatant",
		"observant", "sachant", "ayant examine", "eu egard", "vu", "guidee par", "guide par", "estimant",
		"insistant", "mettant l'accent", "exprimant", "alarmee", "alarme", "encouragee", "encourage par",
		"persuadee", "persuade", "deplorant", "ayant pris note", "rappelant egalement", "s'inquietant",
	},
	standalone: []string{"decide", "adopte", "approuve", "convient", "resout"},
	verbs: []string{
		"charge", "invite", "prie", "demande", "encourage", "exhorte", "engage", "recommande", "autorise",
		"prie instamment", "invite instamment", "demande instamment", "lance un appel", "appelle",
	},
	after: []string{"en outre", "egalement", "aussi", "de plus", "par ailleurs"},
	party: func(folded, line string, i int) bool {
		r, _ := utf8.DecodeRuneInString(line[i:])
		return unicode.IsUpper(r) || wordIn(folded, i, "le", "la", "les", "l", "au", "aux", "a", "tous", "toutes", "chaque", "l'")
	},
	partyEnd: func(f string, i int) bool {
		return infinitiveAfter(f, i, "a") || infinitiveAfter(f, i, "de") || infinitiveAfter(f, i, "d'")
	},
}

var spanish = formulas{
	lang: "es",
	preamble: []string{
		"recordando", "considerando", "reconociendo", "consciente", "conscientes", "teniendo en cuenta",
		"teniendo presente", "observando", "observando con satisfaccion", "observando con preocupacion",
		"tomando nota", "senalando", "destacando", "subrayando", "reafirmando", "afirmando",
		"acogiendo con beneplacito", "acogiendo con satisfaccion", "convencida", "convencido", "convencidos",
		"preocupada", "preocupado", "profundamente preocupada", "profundamente preocupado", "habiendo examinado",
		"guiada por", "guiado por", "expresando", "alarmada", "alarmado", "alentada", "alentado", "habida cuenta",
		"visto", "haciendo notar", "poniendo de relieve", "reiterando", "ratificando", "advirtiendo",
	},
	standalone: []string{"resuelve", "decide", "adopta", "aprueba", "acuerda"},
	verbs: []string{
		"encarga", "invita", "pide", "solicita", "insta", "alienta", "exhorta", "recomienda", "autoriza",
		"insta encarecidamente", "exhorta encarecidamente", "hace un llamamiento", "encomienda",
	},
	before: []string{"asimismo"},
	after:  []string{"ademas", "asimismo", "tambien"},
	party: func(folded, line string, i int) bool {
		r, _ := utf8.DecodeRuneInString(line[i:])
		return unicode.IsUpper(r) || wordIn(folded, i, "al", "a", "la", "las", "los", "el", "todos", "todas", "cada")
	},
	partyEnd: func(f string, i int) bool {
		return infinitiveAfter(f, i, "a") || infinitiveAfter(f, i, "de") || wordIn(f, i+1, "que") && f[i] == ' '
	},
}

var russian = formulas{
	lang: "ru",
	preamble: []string{
		"напоминая", "учитывая", "признавая", "сознавая", "осознавая", "отмечая", "принимая во внимание",
		"принимая к сведению", "подчеркивая", "будучи убеждена", "будучи убежден", "будучи убежденной",
		"будучи обеспокоена", "будучи обеспокоен", "будучи глубоко обеспокоена", "вновь подтверждая",
		"подтверждая", "приветствуя", "ссылаясь на", "выражая", "считая", "руководствуясь", "памятуя",
		"констатируя", "рассмотрев", "отмечая с удовлетворением", "отмечая с обеспокоенностью",
		"с удовлетворением отмечая", "будучи осведомлена", "опираясь на", "исходя из", "имея в виду",
	},
	standalone: []string{"решает", "постановляет", "принимает", "утверждает", "соглашается"},
	verbs: []string{
		"поручает", "предлагает", "просит", "призывает", "настоятельно призывает", "рекомендует",
		"уполномочивает", "поощряет", "приглашает", "обращается к",
	},
	before: []string{"далее", "также", "кроме того"},
	after:  []string{"далее", "также", "кроме того"},
	party:  nil,
	partyEnd: func(f string, i int) bool {
		if f[i] != ' ' {
			return false
		}
		w := nextWord(f, i+1)
		for _, end := range []string{"ть", "ти", "чь", "ться", "тись"} {
			if strings.HasSuffix(w, end) && utf8.RuneCountInString(w) > 3 {
				return true
			}
		}
		return false
	},
}

// Arabic: the conference (مؤتمر) is masculine and the General Assembly
// (الجمعية العامة) feminine, so every verb comes with ي or ت; the lists
// hold the masculine form and foldHead turns a leading ت into ي. A
// preambular clause opens with إذ ("whereas"), often joined to و ("and").
var arabic = formulas{
	lang: "ar",
	preamble: []string{
		"اذ يذكر", "اذ يشير", "اذ يشير الي", "اذ يضع في اعتباره", "اذ يضع في اعتبارها", "اذ يضع في الاعتبار", "اذ يعترف",
		"اذ يدرك", "اذ يلاحظ", "اذ ياخذ في الاعتبار", "اذ ياخذ بعين الاعتبار", "اذ ياخذ في اعتباره",
		"اذ يوكد", "اذ يويد", "اذ يرحب", "اذ يسلم", "اذ يعرب", "اذ يقر", "اذ يشدد", "اذ يعيد تاكيد",
		"اذ ينوه", "اذ يحيط علما", "اذ يساوره القلق", "اذ يستذكر", "اذ يرى", "اذ يعتبر", "اذ يضع في حسبانه",
		"اذ يستشعر", "اذ يقتنع", "اذ يستعرض", "اذ يبرز",
		"ادراكا منه", "ادراكا منها", "اقتناعا منه", "اقتناعا منها", "اعترافا منه", "اعترافا منها",
		"وعيا منه", "وعيا منها", "ايمانا منه", "ايمانا منها", "اقرارا منه", "اقرارا منها",
	},
	standalone: []string{"يقرر", "يعتمد", "يوافق", "يصدق"},
	verbs: []string{
		"يكلف", "يدعو", "يطلب", "يحث", "يشجع", "يوصي", "ياذن", "يناشد", "يهيب", "يعهد", "يرجو",
	},
	before: []string{"كما"},
	after:  []string{"كذلك", "ايضا", "علاوه علي ذلك", "فضلا عن ذلك"},
}

// Chinese: no spaces between words, so a formula is a prefix and the
// party runs on to the end of the line or a colon.
var chinese = formulas{
	lang: "zh",
	preamble: []string{
		"忆及", "回顾", "考虑到", "认识到", "意识到", "注意到", "铭记", "强调", "确信", "关切", "关注", "欢迎",
		"重申", "承认", "顾及", "认为", "满意地注意到", "关切地注意到", "深为关切", "赞赏", "申明", "念及",
		"鉴于", "考虑", "认识", "注意", "深信", "进一步忆及", "进一步考虑到", "进一步认识到",
	},
	standalone: []string{"做出决议", "作出决议", "决议", "决定", "通过"},
	verbs:      []string{"责成", "请", "要求", "鼓励", "敦促", "促请", "呼吁", "建议", "授权", "邀请"},
	before:     []string{"进一步", "还", "又", "并"},
}

// languages are tried in this order; the first match wins.
var languages = []*formulas{&english, &french, &spanish, &russian, &arabic, &chinese}

func init() {
	for _, f := range languages {
		for _, l := range []*[]string{&f.preamble, &f.standalone, &f.verbs, &f.before, &f.after} {
			for i, w := range *l {
				(*l)[i] = foldHead(w)
			}
		}
	}
	arabic.preamble = arabicForms(arabic.preamble, true)
	arabic.standalone = arabicForms(arabic.standalone, false)
	arabic.verbs = arabicForms(arabic.verbs, false)
}

// arabicForms adds the feminine form of each formula (the verb's ي
// becoming ت: "اذ تشير" beside "اذ يشير") and, for preambular ones, the
// form joined to و ("واذ يعترف").
func arabicForms(list []string, joined bool) []string {
	var out []string
	for _, w := range list {
		forms := []string{w}
		switch {
		case strings.HasPrefix(w, "اذ ي"):
			forms = append(forms, "اذ ت"+strings.TrimPrefix(w, "اذ ي"))
		case strings.HasPrefix(w, "ي"):
			forms = append(forms, "ت"+strings.TrimPrefix(w, "ي"))
		}
		for _, f := range forms {
			out = append(out, f)
			if joined {
				out = append(out, "و"+f)
			}
		}
	}
	return out
}

// A heading found at the start of a line.
type heading struct {
	text string // the heading as written: "instructs the Secretary-General"
	kind string
	lang string // the language of its formula: "en", "fr", …
	// cut is where the text after the heading starts in the line, past any
	// colon or quote; rest is that text ("" when the line is all heading).
	cut  int
	rest string
}

// detectHeading finds a section heading at the start of line.
func detectHeading(line string) (heading, bool) {
	line = strings.TrimSpace(line)
	if line == "" || labelLen(line) > 0 {
		return heading{}, false
	}
	folded, orig := foldLine(line)
	upper := isUpperLine(line)
	var found heading
	ok := false
	for _, f := range languages {
		h, matched := f.match(line, folded, orig, upper)
		if !matched {
			continue
		}
		h.lang = f.lang
		if !ok {
			found, ok = h, true
		}
		// "décide" folds to English "decide": accents say it is not
		// English, so a later language's reading wins.
		if found.lang != "en" || !hasAccent(found.text) {
			break
		}
		if h.lang != "en" {
			found = h
			break
		}
	}
	if ok {
		return found, true
	}
	if upper {
		// "FURTHER CONSIDERING", "SEEKING": an English participle in
		// capitals is a preambular heading even if it is not listed.
		words := strings.Fields(folded)
		for len(words) > 1 && hasWord(english.before, words[0]) {
			words = words[1:]
		}
		if len(words) > 0 && strings.HasSuffix(words[0], "ing") {
			return heading{text: strings.TrimRight(line, " :,"), kind: KindPreamble, lang: "en", cut: len(line)}, true
		}
	}
	return heading{}, false
}

// match tries one language's formulas on line. upper says the line is in
// capitals: a secretariat's heading row, which is all heading.
func (f *formulas) match(line, folded string, orig []int, upper bool) (heading, bool) {
	if upper {
		if utf8.RuneCountInString(line) > 80 {
			return heading{}, false
		}
		text := strings.TrimRight(line, " :,")
		ft := strings.TrimRight(folded, " :,")
		if end, ok := f.phrase(ft, f.standalone); ok && end == len(ft) {
			return heading{text: text, kind: KindOperative, cut: len(line)}, true
		}
		if _, ok := f.phrase(ft, f.preamble); ok {
			return heading{text: text, kind: KindPreamble, cut: len(line)}, true
		}
		if _, ok := f.phrase(ft, f.verbs); ok {
			return heading{text: text, kind: KindOperative, cut: len(line)}, true
		}
		return heading{}, false
	}
	if end, ok := f.phrase(folded, f.preamble); ok {
		return finishHeading(line, orig[end], KindPreamble, true)
	}
	if end, ok := f.phrase(folded, f.standalone); ok {
		return finishHeading(line, orig[end], KindOperative, true)
	}
	if end, ok := f.address(line, folded, orig); ok {
		return finishHeading(line, end, KindOperative, false)
	}
	return heading{}, false
}

// phrase matches one of phrases, possibly with modifiers before or after
// it, at the start of the folded line, and returns the folded byte length
// of the match.
func (f *formulas) phrase(folded string, phrases []string) (int, bool) {
	pos := f.skipBefore(folded)
	best := -1
	for _, p := range phrases {
		if f.wordAt(folded, pos, p) && pos+len(p) > best {
			best = pos + len(p)
		}
	}
	if best < 0 {
		return 0, false
	}
	for _, m := range f.after {
		if best < len(folded) && folded[best] == ' ' && f.wordAt(folded, best+1, m) {
			best += 1 + len(m)
			break
		}
	}
	return best, true
}

// skipBefore returns the folded byte length of the modifier that opens
// the line ("further", "also"…), with the space after it, or 0.
func (f *formulas) skipBefore(folded string) int {
	for _, m := range f.before {
		if f.wordAt(folded, 0, m) {
			if f.lang == "zh" {
				return len(m)
			}
			return len(m) + 1
		}
	}
	return 0
}

// wordAt is wordAt, except that Chinese formulas are prefixes.
func (f *formulas) wordAt(s string, i int, w string) bool {
	if f.lang == "zh" {
		return i <= len(s) && strings.HasPrefix(s[i:], w)
	}
	return wordAt(s, i, w)
}

// address matches an operative verb and the party it addresses. The
// party ends at the end of the line, at a colon, at an infinitive ("to
// continue", "à participer") or at a paragraph label; a heading is never
// a sentence, so a semicolon or a full stop rules the line out. It
// returns the byte offset in line where the heading ends.
func (f *formulas) address(line, folded string, orig []int) (int, bool) {
	pos := f.skipBefore(folded)
	verb := ""
	for _, v := range f.verbs {
		if f.wordAt(folded, pos, v) && len(v) > len(verb) {
			verb = v
		}
	}
	if verb == "" {
		return 0, false
	}
	pos += len(verb)
	if f.lang == "zh" {
		if pos >= len(folded) {
			return 0, false // the verb alone: "请" is not a heading
		}
	} else {
		if pos >= len(folded) || folded[pos] != ' ' {
			return 0, false
		}
		pos++
		for _, m := range f.after {
			if f.wordAt(folded, pos, m) {
				pos += len(m)
				if pos < len(folded) && folded[pos] == ' ' {
					pos++
				}
				break
			}
		}
		if pos >= len(folded) || (f.party != nil && !f.party(folded, line, orig[pos])) {
			return 0, false
		}
	}
	end := len(folded)
	for i := pos; i < len(folded); i++ {
		c := folded[i]
		if c == ':' {
			end = i
			break
		}
		if c == ';' || (c == '.' && (i+1 == len(folded) || folded[i+1] == ' ')) {
			return 0, false
		}
		if strings.HasPrefix(folded[i:], "。") || strings.HasPrefix(folded[i:], "；") {
			return 0, false
		}
		if c == ' ' {
			if f.partyEnd != nil && f.partyEnd(folded, i) {
				end = i
				break
			}
			if labelLen(line[orig[i+1]:]) > 0 {
				end = i
				break
			}
		}
	}
	return orig[end], true
}

// finishHeading builds the heading of line ending at byte end. For the
// heading words that address no one ("recalling", "resolves") text may
// follow only if it starts with a label: "recalling 'd) that …".
func finishHeading(line string, end int, kind string, needLabel bool) (heading, bool) {
	text := strings.TrimRight(line[:end], " ,")
	cut := end
	for cut < len(line) {
		r, w := utf8.DecodeRuneInString(line[cut:])
		if !unicode.IsSpace(r) && !strings.ContainsRune(":：,，'‘’\"“”", r) {
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

// hasAccent reports whether s has a Latin letter beyond ASCII.
func hasAccent(s string) bool {
	for _, r := range s {
		if r >= 0xC0 && r <= 0x24F && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// isUpperLine reports whether line is a heading row in capitals: letters
// of a cased script, all capitals, and only the punctuation of headings.
func isUpperLine(line string) bool {
	if utf8.RuneCountInString(line) > 80 {
		return false
	}
	letters := 0
	for _, r := range line {
		switch {
		case unicode.IsLower(r):
			return false
		case unicode.IsUpper(r):
			letters++
		case unicode.IsLetter(r):
			return false // uncased script: no capitals to go by
		case unicode.Is(unicode.Mn, r):
		case r == ' ' || r == ',' || r == '-' || r == '\'' || r == ':' || r == '’':
		default:
			return false
		}
	}
	return letters >= 4
}

// foldLine folds line for matching and returns, for each byte of the
// folded text (and one past its end), the offset in line it came from.
// Folding maps each character to at most one: case, accents, Arabic vowel
// marks and tatweel, and the spelling variants of foldHeadRune do not
// count.
func foldLine(line string) (string, []int) {
	var b strings.Builder
	orig := make([]int, 0, len(line)+1)
	for i, r := range line {
		f, keep := foldHeadRune(r)
		if !keep {
			continue
		}
		n := utf8.RuneLen(f)
		b.WriteRune(f)
		for k := 0; k < n; k++ {
			orig = append(orig, i)
		}
	}
	orig = append(orig, len(line))
	return b.String(), orig
}

// foldHead folds a formula the way foldLine folds a line.
func foldHead(s string) string {
	f, _ := foldLine(s)
	return f
}

// foldHeadRune folds one character for heading matching, or drops it.
func foldHeadRune(r rune) (rune, bool) {
	switch {
	case unicode.Is(unicode.Mn, r), r == '\u0640':
		return 0, false
	case r == '’' || r == '‘' || r == 'ʼ':
		return '\'', true
	case r >= 0x2010 && r <= 0x2015:
		return '-', true
	case r == '：':
		return ':', true
	case r == '；':
		return ';', true
	case r == '\u00a0':
		return ' ', true
	}
	if m, ok := headFold[r]; ok {
		return m, true
	}
	r = unicode.ToLower(r)
	if r >= 0xC0 && r <= 0x17F {
		if b, ok := latinBase[r]; ok {
			return b, true
		}
	}
	return r, true
}

// headFold maps spelling variants: the hamza forms of Arabic alif, alif
// maqsura, ta marbuta, hamza on waw (يؤكد, يوكد), Russian ё.
var headFold = map[rune]rune{
	'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ى': 'ي', 'ة': 'ه', 'ؤ': 'و', 'ئ': 'ي',
	'ё': 'е', 'Ё': 'е',
}

// latinBase maps the accented letters of French and Spanish to their base.
var latinBase = func() map[rune]rune {
	m := map[rune]rune{}
	for _, pair := range []string{
		"àa", "âa", "áa", "äa", "ãa", "çc", "èe", "ée", "êe", "ëe", "ìi", "íi", "îi", "ïi",
		"ñn", "òo", "óo", "ôo", "öo", "õo", "ùu", "úu", "ûu", "üu", "ÿy", "œo",
	} {
		rs := []rune(pair)
		m[rs[0]] = rs[1]
	}
	return m
}()

// wordAt reports whether w occurs in s at byte i as whole words.
func wordAt(s string, i int, w string) bool {
	if i > len(s) || !strings.HasPrefix(s[i:], w) {
		return false
	}
	j := i + len(w)
	if j == len(s) {
		return true
	}
	if strings.HasSuffix(w, "'") {
		return true // "l'", "d'": the word runs on
	}
	r, _ := utf8.DecodeRuneInString(s[j:])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
}

// wordIn reports whether one of words occurs at byte i of s.
func wordIn(s string, i int, words ...string) bool {
	for _, w := range words {
		if wordAt(s, i, w) {
			return true
		}
	}
	return false
}

// infinitiveAfter reports whether s has, at byte i, a space, the word
// marker and then a verb in the infinitive: " to continue", " à
// participer", " de continuer", " a participar".
func infinitiveAfter(s string, i int, marker string) bool {
	if i >= len(s) || s[i] != ' ' || !wordAt(s, i+1, marker) {
		return false
	}
	j := i + 1 + len(marker)
	if !strings.HasSuffix(marker, "'") {
		if j >= len(s) || s[j] != ' ' {
			return false
		}
		j++
	}
	w := nextWord(s, j)
	if w == "" {
		return false
	}
	if marker == "to" {
		r, _ := utf8.DecodeRuneInString(w)
		return 'a' <= r && r <= 'z'
	}
	for _, end := range []string{"er", "ir", "re", "oir", "ar"} {
		if strings.HasSuffix(w, end) && len(w) > 3 {
			return true
		}
	}
	return false
}

// nextWord returns the letters at the start of s.
func nextWord(s string, i int) string {
	if i >= len(s) {
		return ""
	}
	end := strings.IndexFunc(s[i:], func(r rune) bool { return !unicode.IsLetter(r) })
	if end < 0 {
		return s[i:]
	}
	return s[i : i+end]
}

func hasWord(list []string, w string) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}

// foldKey is the form under which headings are compared: case, runs of
// white space, dash and apostrophe styles, accents and trailing
// punctuation do not count.
func foldKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		f, keep := foldHeadRune(r)
		if !keep {
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(f)
	}
	return strings.TrimRight(b.String(), " :,;.")
}
