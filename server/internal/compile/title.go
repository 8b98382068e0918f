package compile

import (
	"path"

	"github.com/draftroom/draftroom/server/internal/delegation"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Lines above a table's header are its title, a caption, or the labelled
// lines Draftroom's own export writes there ("Title: …", "Language: fr").

// Prefixes of the labelled lines above the header.
const (
	titlePrefix = "Title:"
	langPrefix  = "Language:"
)

// finish decides the title and the language once the table is read.
func (c *Compilation) finish(filename string, reg *delegation.Registry) {
	explicitTitle, explicitLang := false, false
	var candidates []string
	// Captions come first among the document's notes, as in the file.
	notes := c.Notes
	c.Notes = nil
	defer func() { c.Notes = append(c.Notes, notes...) }()
	for _, l := range c.above {
		switch {
		case hasPrefixFold(l.text, titlePrefix):
			c.Title, explicitTitle = strings.TrimSpace(l.text[len(titlePrefix):]), true
		case hasPrefixFold(l.text, langPrefix):
			v := strings.TrimSpace(l.text[len(langPrefix):])
			if lang := parseLang(v); lang != "" || strings.EqualFold(v, LangUnknown) {
				c.Lang, explicitLang = lang, true
				continue
			}
			c.caption(l)
		case !explicitTitle && looksLikeTitle(l.text):
			candidates = append(candidates, l.text)
		default:
			c.caption(l)
		}
	}
	if !explicitTitle {
		switch {
		case len(candidates) > 0:
			c.Title = strings.Join(candidates, " ")
		case c.titleFromEvidence() != "":
			c.Title = c.titleFromEvidence()
		default:
			c.Title = titleFromFilename(filename)
		}
	}
	if !explicitLang {
		c.Lang = detectLang(c)
	}
	c.suggest(reg)
	c.above, c.originalCell = nil, ""
}

// caption keeps a line above the header that is not the title as a note,
// so that nothing is lost.
func (c *Compilation) caption(l aboveLine) {
	if strings.TrimSpace(l.text) == "" {
		return
	}
	c.Notes = append(c.Notes, Note{Text: l.text, Row: l.row, Kind: NoteCaption})
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// titleWords name the kinds of text a compilation is about, in the six
// languages; a line above the header that has one is the title ("Draft
// revision of Resolution 130"), one that has none is a caption ("Texts
// modifications suggested").
var titleWords = regexp.MustCompile(`(?i)\b(resolution|r[ée]solution|resoluci[óo]n|recommendation|recommandation|recomendaci[óo]n|decision|d[ée]cision|decisi[óo]n)\b|резолюц|рекомендац|قرار|توصية|决议|建议`)

func looksLikeTitle(s string) bool { return titleWords.MatchString(s) }

var (
	// resolutionRef finds "Resolution 130 (Rev. Antalya, 2006)" and its
	// translations at the start of a paragraph.
	resolutionRef = regexp.MustCompile(`^(?:that\s+|que\s+|la\s+|el\s+)?(Resolution|Résolution|Resolución|Резолюция|Resolução)\s+(\d+[A-Z]?)\s*\(([^)]*)\)`)
	// resolutionNumber finds "Resolution 130" anywhere.
	resolutionNumber = regexp.MustCompile(`(?i)\b(Resolution|Résolution|Resolución|Резолюция)\s+\d+[A-Z]?(\s*\([^)]*\))?`)
	year             = regexp.MustCompile(`\b(1[89]|20)\d\d\b`)
)

// titleFromEvidence finds the resolution in the text itself: named in the
// Original column's header, or recalled as its own earlier revision at
// the head of the preamble ("recalling a) Resolution 130 (Rev. Antalya,
// 2006) of the Plenipotentiary Conference" in a text whose base is "Rev.
// Guadalajara 2010" is Resolution 130 (Rev. Guadalajara 2010)). A
// resolution recalled at the base's own revision is another one revised
// at the same conference, not this one.
func (c *Compilation) titleFromEvidence() string {
	if m := resolutionNumber.FindString(c.originalCell); m != "" {
		if !strings.Contains(m, "(") && c.BaseRef != "" {
			m += " (" + c.BaseRef + ")"
		}
		return m
	}
	baseYear := yearOf(c.BaseRef)
	if baseYear == 0 {
		return ""
	}
	for _, s := range c.Sections {
		if s.Kind != KindPreamble {
			break
		}
		for _, p := range s.Paragraphs {
			m := resolutionRef.FindStringSubmatch(p.Text)
			if m == nil {
				continue
			}
			if y := yearOf(m[3]); y > 0 && y < baseYear {
				return m[1] + " " + m[2] + " (" + c.BaseRef + ")"
			}
		}
		if len(s.Paragraphs) > 0 {
			break // only the first preambular section with text
		}
	}
	return ""
}

func yearOf(s string) int {
	m := year.FindAllString(s, -1)
	if len(m) == 0 {
		return 0
	}
	y, _ := strconv.Atoi(m[len(m)-1])
	return y
}

// titleFromFilename makes a title of a file name: "early_warning.txt" is
// "early warning". Names that say nothing (a hash, "upload", "-") give "".
func titleFromFilename(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	for {
		ext := path.Ext(name)
		if ext == "" || len(ext) > 5 {
			break
		}
		name = strings.TrimSuffix(name, ext)
	}
	name = strings.Join(strings.FieldsFunc(name, func(r rune) bool { return r == '_' || r == '-' || unicode.IsSpace(r) }), " ")
	letters, hexRun, longestHex := 0, 0, 0
	for _, r := range name {
		if unicode.IsLetter(r) {
			letters++
		}
		if strings.ContainsRune("0123456789abcdefABCDEF", r) {
			hexRun++
			longestHex = max(longestHex, hexRun)
		} else {
			hexRun = 0
		}
	}
	switch strings.ToLower(name) {
	case "", ".", "upload", "stdin", "file", "table", "compilation":
		return ""
	}
	if letters < 3 || longestHex >= 8 {
		return ""
	}
	return name
}
