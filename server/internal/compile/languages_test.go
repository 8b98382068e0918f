package compile

import (
	"slices"
	"testing"
)

// Compilations written for these tests in French, Spanish and Arabic, in
// the flattened form and as CSV (and the CSV as XLSX), with the
// difficulties of real ones: proposer names run together in the
// language of the text, SUP and NOC cells, glued numbered items, a long
// operative heading, a remark naming a delegation, and the Reasons row.

type langCase struct {
	title     string
	lang      string
	proposers []string // codes, in column order
	headings  []string // heading/kind
	counts    counts
}

func checkLang(t *testing.T, tt langCase, data []byte, name string) *Compilation {
	t.Helper()
	c, err := Read(data, name, FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != tt.title || c.Lang != tt.lang {
		t.Errorf("title %q, lang %q; want %q, %q", c.Title, c.Lang, tt.title, tt.lang)
	}
	var codes []string
	for _, p := range c.Proposers {
		codes = append(codes, p.Code)
	}
	if !slices.Equal(codes, tt.proposers) {
		t.Errorf("proposers %q (%+v), want %q", codes, c.Proposers, tt.proposers)
	}
	var heads []string
	for _, s := range c.Sections {
		heads = append(heads, s.Heading+"/"+s.Kind)
	}
	if !slices.Equal(heads, tt.headings) {
		t.Errorf("headings\n%q\nwant\n%q", heads, tt.headings)
	}
	if got := count(c); !equalCounts(got, tt.counts) {
		t.Errorf("counts = %+v\nwant %+v", got, tt.counts)
	}
	return c
}

func equalCounts(a, b counts) bool {
	if a.Sections != b.Sections || a.Paragraphs != b.Paragraphs || a.Proposals != b.Proposals || a.Notes != b.Notes || a.Unplaced != b.Unplaced {
		return false
	}
	for k, v := range a.Actions {
		if b.Actions[k] != v {
			return false
		}
	}
	for k, v := range a.NoteKinds {
		if b.NoteKinds[k] != v {
			return false
		}
	}
	return len(a.Actions) == len(b.Actions) && len(a.NoteKinds) == len(b.NoteKinds)
}

func TestFrenchFlattened(t *testing.T) {
	data := readFixture(t, "connectivite_fr.txt")
	c := checkLang(t, langCase{
		title: "Projet de révision de la Résolution 139 (Rév. Busan, 2014)", lang: "fr",
		proposers: []string{"BRA", "RUS", "ATU", "CITEL", "CEPT"},
		headings: []string{"RAPPELANT/preamble", "CONSIDÉRANT/preamble", "DÉCIDE/operative",
			"charge le Directeur du Bureau de développement des télécommunications, en étroite collaboration avec les Directeurs des deux autres Bureaux/operative",
			"invite les États Membres/operative"},
		counts: counts{Sections: 5, Paragraphs: 8, Proposals: 9, Notes: 2,
			Actions:   map[string]int{"MOD": 7, "SUP": 1, "NOC": 1},
			NoteKinds: map[string]int{"remark": 1, "reasons": 1}},
	}, data, "connectivite_fr.txt")
	b := paragraph(t, section(t, c, "RAPPELANT"), "b)")
	if len(b.Proposals) != 2 || b.Proposals[0].Action != ActionSUP || b.Proposals[0].Text != "" || b.Proposals[1].Action != ActionMOD {
		t.Errorf("RAPPELANT b) proposals = %+v", b.Proposals)
	}
	a := paragraph(t, section(t, c, "CONSIDÉRANT"), "a)")
	if a.Text != "que l'accès aux réseaux à large bande reste inégal entre les zones urbaines et les zones rurales;" ||
		len(a.Proposals) != 3 || a.Proposals[0].Action != ActionNOC {
		t.Errorf("CONSIDÉRANT a) = %q, %+v", a.Text, a.Proposals)
	}
	// The glued items of one cell are three proposals.
	d := section(t, c, "DÉCIDE")
	if p := paragraph(t, d, "2").Proposals; len(p) != 1 || p[0].Text != "d'encourager la coopération entre les États Membres et les Membres de Secteur dans ce domaine;" {
		t.Errorf("DÉCIDE 2 proposals = %+v", p)
	}
	if len(d.Proposals) != 1 || d.Proposals[0].Label != "3" {
		t.Errorf("DÉCIDE proposals = %+v", d.Proposals)
	}
	checkNothingLost(t, string(data), c)
}

func TestSpanishCSV(t *testing.T) {
	data := readFixture(t, "conectividad_es.csv")
	tt := langCase{
		title: "Proyecto de revisión de la Resolución 139 (Rev. Busan 2014)", lang: "es",
		proposers: []string{"BRA", "ARB", "CITEL", "RUS"},
		headings: []string{"RECORDANDO/preamble", "CONSIDERANDO/preamble", "RESUELVE/operative",
			"encarga al Director de la Oficina de Desarrollo de las Telecomunicaciones, en estrecha colaboración con los Directores de las otras dos Oficinas y en coordinación con las oficinas regionales/operative",
			"invita a los Estados Miembros/operative"},
		counts: counts{Sections: 5, Paragraphs: 8, Proposals: 8, Notes: 2,
			Actions:   map[string]int{"MOD": 4, "ADD": 1, "SUP": 2, "NOC": 1},
			NoteKinds: map[string]int{"reasons": 2}},
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{"conectividad_es.csv", data}, {"conectividad_es.xlsx", xlsxFromCSV(t, data)}} {
		t.Run(f.name, func(t *testing.T) {
			c := checkLang(t, tt, f.data, f.name)
			b := paragraph(t, section(t, c, "RECORDANDO"), "b)")
			if len(b.Proposals) != 2 || b.Proposals[1].Action != ActionSUP || b.Proposals[1].Proposer != "CITEL" {
				t.Errorf("RECORDANDO b) = %+v", b.Proposals)
			}
			if n := c.Notes; len(n) != 2 || n[0].Column != 1 || n[1].Column != 2 {
				t.Errorf("reasons = %+v", n)
			}
			checkCellsKept(t, string(data), c)
		})
	}
}

func TestArabic(t *testing.T) {
	heads := []string{"إذ يذكّر/preamble", "وإذ يضع في اعتباره/preamble", "يقرر/operative"}
	t.Run("flattened", func(t *testing.T) {
		data := readFixture(t, "conectividad_ar.txt")
		c := checkLang(t, langCase{
			title: "مشروع مراجعة القرار 139 (المراجَع في بوسان، 2014)", lang: "ar",
			proposers: []string{"BRA", "RUS", "ARB", "ATU"},
			headings: append(heads, "يكلف مدير مكتب تنمية الاتصالات، بالتعاون الوثيق مع مديري المكتبين الآخرين/operative",
				"يدعو الدول الأعضاء/operative"),
			counts: counts{Sections: 5, Paragraphs: 7, Proposals: 7, Notes: 1,
				Actions:   map[string]int{"MOD": 5, "SUP": 1, "NOC": 1},
				NoteKinds: map[string]int{"reasons": 1}},
		}, data, "conectividad_ar.txt")
		if p := paragraph(t, section(t, c, "إذ يذكّر"), "ب)"); len(p.Proposals) != 3 || p.Proposals[1].Action != ActionSUP {
			t.Errorf("ب) = %+v", p.Proposals)
		}
		if s := section(t, c, "يقرر"); len(s.Proposals) != 1 || s.Proposals[0].Label != "3" {
			t.Errorf("glued item 3 = %+v", s.Proposals)
		}
		checkNothingLost(t, string(data), c)
	})
	t.Run("csv", func(t *testing.T) {
		data := readFixture(t, "conectividad_ar.csv")
		c := checkLang(t, langCase{
			title: "conectividad ar", lang: "ar",
			proposers: []string{"BRA", "RUS", "ARB"},
			headings: append(heads, "يكلف مدير مكتب تنمية الاتصالات، بالتعاون الوثيق مع مديري المكتبين الآخرين ومع المكاتب الإقليمية للاتحاد في جميع المناطق/operative",
				"يدعو الدول الأعضاء/operative"),
			counts: counts{Sections: 5, Paragraphs: 7, Proposals: 5, Notes: 2,
				Actions:   map[string]int{"MOD": 3, "SUP": 1, "NOC": 1},
				NoteKinds: map[string]int{"reasons": 2}},
		}, data, "conectividad_ar.csv")
		// Arabic-Indic digits are labels, and keep their script.
		if p := paragraph(t, section(t, c, "يقرر"), "١"); len(p.Proposals) != 1 || p.Proposals[0].Label != "١" || p.Proposals[0].Proposer != "ARB" {
			t.Errorf("١ = %+v", p.Proposals)
		}
		checkCellsKept(t, string(data), c)
	})
}

// A compilation in English with every difficulty of the real ones: names
// run together, misspelt, abbreviated, or containing other names; SUP
// and NOC cells; items glued together in both ways; a long operative
// heading wrapped over two lines.
func TestDifficultEnglishFlattened(t *testing.T) {
	data := readFixture(t, "difficult_en.txt")
	c := checkLang(t, langCase{
		title: "Resolution 12 (Rev. Busan 2014)", lang: "en",
		proposers: []string{"ATU", "CITEL", "ARB", "PNG", "GNB", "RCC"},
		headings: []string{"RECALLING/preamble", "RESOLVES/operative",
			"instructs the Director of the Telecommunication Development Bureau, in close collaboration with the Directors of the other two Bureaux and with the regional offices of the Union/operative"},
		counts: counts{Sections: 3, Paragraphs: 5, Proposals: 7, Notes: 2,
			Actions:   map[string]int{"MOD": 5, "SUP": 1, "NOC": 1},
			NoteKinds: map[string]int{"caption": 1, "reasons": 1}},
	}, data, "difficult_en.txt")
	if p := c.Proposers; p[0].Match.How != "fuzzy" || p[1].Match.How != "qualified" || p[2].Match.How != "fuzzy" || p[5].Action != "ADD" || p[5].Ref != "RCC/3/2" {
		t.Errorf("how the names matched: %+v", p)
	}
	res := section(t, c, "RESOLVES")
	one, two := paragraph(t, res, "1"), paragraph(t, res, "2")
	if len(one.Proposals) != 1 || len(two.Proposals) != 1 || two.Proposals[0].Text != "to report annually to the Council on progress and on the action plan;" {
		t.Errorf("glued items: 1 %+v, 2 %+v", one.Proposals, two.Proposals)
	}
	if len(res.Proposals) != 2 || res.Proposals[0].Label != "3" || res.Proposals[1].Label != "c)" {
		t.Errorf("items glued after the row's paragraphs: %+v", res.Proposals)
	}
	if b := paragraph(t, section(t, c, "RECALLING"), "b)"); len(b.Proposals) != 1 || b.Proposals[0].Action != ActionSUP {
		t.Errorf("SUP. cell: %+v", b.Proposals)
	}
	checkNothingLost(t, string(data), c)
}

// Russian and Chinese tables: headings, labels and names in their
// scripts.
func TestRussianAndChineseCSV(t *testing.T) {
	ru := "#,Оригинал (Пересм. Пусан 2014),Российская Федерация --- MOD RUS/3/1,Региональное содружество в области связи\n" +
		"1,НАПОМИНАЯ,,\n" +
		"2,а) Резолюцию 71 Полномочной конференции;,NOC,\n" +
		"3,б) Резолюцию 139 Полномочной конференции;,,б) Резолюцию 139 (Пересм. Дубай 2018) Полномочной конференции;\n" +
		"4,решает,,\n" +
		"5,1 уделять первоочередное внимание этой работе;,,SUP\n" +
		"6,\"поручает Директору Бюро развития электросвязи в тесном сотрудничестве с Директорами двух других Бюро\",,\n" +
		"7,1 оказывать помощь Государствам-Членам;,,\n"
	zh := "#,原文（2014年釜山修订版）,中国 --- MOD CHN/1/1,俄罗斯联邦\n" +
		"1,忆及,,\n" +
		"2,a) 全权代表大会第71号决议；,NOC,\n" +
		"3,做出决议,,\n" +
		"4,1 继续高度重视这项工作；,1 继续高度重视这项工作和农村连通性；,SUP\n" +
		"5,责成电信发展局主任,,\n" +
		"6,1 协助成员国；,,\n"
	for _, tt := range []struct {
		name, src, lang string
		codes, heads    []string
	}{
		{"ru.csv", ru, "ru", []string{"RUS", "RCC"}, []string{"НАПОМИНАЯ/preamble", "решает/operative", "поручает Директору Бюро развития электросвязи в тесном сотрудничестве с Директорами двух других Бюро/operative"}},
		{"zh.csv", zh, "zh", []string{"CHN", "RUS"}, []string{"忆及/preamble", "做出决议/operative", "责成电信发展局主任/operative"}},
	} {
		c, err := Read([]byte(tt.src), tt.name, FormatAuto, nil)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var codes, heads []string
		for _, p := range c.Proposers {
			codes = append(codes, p.Code)
		}
		for _, s := range c.Sections {
			heads = append(heads, s.Heading+"/"+s.Kind)
		}
		if c.Lang != tt.lang || !slices.Equal(codes, tt.codes) || !slices.Equal(heads, tt.heads) {
			t.Errorf("%s: lang %q, proposers %q, headings %q", tt.name, c.Lang, codes, heads)
		}
		if n := count(c); n.Paragraphs != len(heads)+1 && tt.lang == "ru" || n.Actions["SUP"] != 1 || n.Actions["NOC"] != 1 {
			t.Errorf("%s: counts %+v", tt.name, n)
		}
	}
}

// The French compilation as a semicolon CSV (as French spreadsheets save
// it), and the Spanish one in the flattened form: each language in both
// forms.
func TestFrenchCSVAndSpanishFlattened(t *testing.T) {
	fr := readFixture(t, "connectivite_fr.csv")
	c := checkLang(t, langCase{
		title: "Projet de révision de la Résolution 139 (Rév. Busan 2014)", lang: "fr",
		proposers: []string{"BRA", "ARB", "ATU", "RUS"},
		headings: []string{"RAPPELANT/preamble", "CONSIDÉRANT/preamble", "DÉCIDE/operative",
			"charge le Directeur du Bureau de développement des télécommunications, en étroite collaboration avec les Directeurs des deux autres Bureaux et avec les bureaux régionaux de l'Union/operative",
			"invite les États Membres/operative"},
		counts: counts{Sections: 5, Paragraphs: 6, Proposals: 8, Notes: 2,
			Actions:   map[string]int{"MOD": 4, "ADD": 1, "SUP": 2, "NOC": 1},
			NoteKinds: map[string]int{"reasons": 2}},
	}, fr, "connectivite_fr.csv")
	if m := c.Proposers[2].Match; m.How != "qualified" {
		t.Errorf("Union africaine des télécommunications (UAT): %+v", m)
	}
	checkCellsKept(t, string(fr), c)

	es := readFixture(t, "conectividad_es.txt")
	c = checkLang(t, langCase{
		title: "Proyecto de revisión de la Resolución 139 (Rev. Busan 2014)", lang: "es",
		proposers: []string{"BRA", "ARB", "CITEL", "RUS"},
		headings: []string{"RECORDANDO/preamble", "CONSIDERANDO/preamble", "RESUELVE/operative",
			"encarga al Director de la Oficina de Desarrollo de las Telecomunicaciones, en estrecha colaboración con los Directores de las otras dos Oficinas/operative",
			"invita a los Estados Miembros/operative"},
		counts: counts{Sections: 5, Paragraphs: 7, Proposals: 7, Notes: 1,
			Actions:   map[string]int{"MOD": 5, "SUP": 1, "NOC": 1},
			NoteKinds: map[string]int{"reasons": 1}},
	}, es, "conectividad_es.txt")
	if p := section(t, c, "RESUELVE").Proposals; len(p) != 1 || p[0].Label != "3" {
		t.Errorf("glued item 3: %+v", p)
	}
	checkNothingLost(t, string(es), c)
}
