package delegation

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Languages are the six official languages of the UN and ITU, as the
// registry names them.
var Languages = []string{"ar", "en", "es", "fr", "ru", "zh"}

var namesHeader = []string{"code", "lang", "name", "aliases"}

// readNames reads names.csv: names of delegations in other languages.
func (b *builder) readNames(r io.Reader) error {
	return readCSV(r, "delegation: names", namesHeader, b.addNames)
}

func (b *builder) addNames(_ int, rec []string) error {
	if len(rec) != len(namesHeader) {
		return fmt.Errorf("want %d fields (%s), got %d", len(namesHeader), strings.Join(namesHeader, ","), len(rec))
	}
	code, lang, name := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1]), strings.TrimSpace(rec[2])
	idx, ok := b.byCode[code]
	if !ok {
		return fmt.Errorf("unknown code %q", code)
	}
	if !slices.Contains(Languages, lang) {
		return fmt.Errorf("%s: language %q is not one of %s", code, lang, strings.Join(Languages, ", "))
	}
	texts := []string{name}
	if a := strings.TrimSpace(rec[3]); a != "" {
		for _, alias := range strings.Split(a, "|") {
			texts = append(texts, strings.TrimSpace(alias))
		}
	}
	for _, t := range texts {
		if fold(t) == "" {
			return fmt.Errorf("%s: empty name or alias", code)
		}
		if o, ok := b.keys[fold(t)]; ok && o.idx != idx {
			return fmt.Errorf("%s: %q collides with %s %q of %s", code, t, o.what, o.text, b.list[o.idx].Code)
		}
	}
	d := &b.list[idx]
	if _, ok := d.Names[lang]; !ok {
		d.Names[lang] = name
	}
	for _, t := range texts {
		b.addKey(idx, "name in "+lang, t)
	}
	return nil
}

// addKey makes text a lookup key of entry idx, unless it is one already.
func (b *builder) addKey(idx int, what, text string) {
	k := fold(text)
	if _, ok := b.keys[k]; ok {
		return
	}
	b.keys[k] = keyOwner{idx: idx, what: what, text: text}
	b.extra[idx] = append(b.extra[idx], text)
}

// cldrDictionaries name regions in the six languages.
var cldrDictionaries = map[string]*display.Dictionary{
	"ar": display.Arabic, "en": display.English, "es": display.Spanish,
	"fr": display.French, "ru": display.Russian, "zh": display.SimplifiedChinese,
}

// addCLDR adds each Member State's short name in the six languages, as
// CLDR has them ("Brésil", "Бразилия", "البرازيل", "巴西"). A name that
// already resolves to another delegation is left out: the data file's
// names win.
func (b *builder) addCLDR() {
	for _, lang := range Languages {
		namer := cldrDictionaries[lang].Regions()
		for idx := range b.list {
			d := &b.list[idx]
			if d.Kind != KindState {
				continue
			}
			region, err := language.ParseRegion(d.ISO3)
			if err != nil {
				continue
			}
			name := namer.Name(region)
			if name == "" {
				continue
			}
			if o, ok := b.keys[fold(name)]; ok && o.idx != idx {
				continue
			}
			if _, ok := d.Names[lang]; !ok {
				d.Names[lang] = name
			}
			b.addKey(idx, "CLDR name in "+lang, name)
		}
	}
}

// ISO2 returns a Member State's two-letter ISO 3166-1 code ("BR"), or ""
// for a group.
func (d Delegation) ISO2() string {
	if d.Kind != KindState {
		return ""
	}
	r, err := language.ParseRegion(d.ISO3)
	if err != nil {
		return ""
	}
	return r.String()
}
