package compile

import "testing"

// The preambular and operative formulas of ITU and UN resolutions in the
// six languages, with their inflections, capitalisation and modifiers.
func TestDetectHeadingSixLanguages(t *testing.T) {
	tests := []struct {
		in, text, kind, lang, rest string
	}{
		// English: long operative headings are decided by form, not length.
		{"instructs the Director of the Radiocommunication Bureau, in close collaboration with the Directors of the other two Bureaux and the Secretary-General", "instructs the Director of the Radiocommunication Bureau, in close collaboration with the Directors of the other two Bureaux and the Secretary-General", KindOperative, "en", ""},
		{"instructs the Directors of the three Bureaux, within the resources available and in coordination with the regional offices, to continue", "instructs the Directors of the three Bureaux, within the resources available and in coordination with the regional offices", KindOperative, "en", "to continue"},
		{"further resolves", "further resolves", KindOperative, "en", ""},
		// French.
		{"rappelant", "rappelant", KindPreamble, "fr", ""},
		{"CONSIDÉRANT", "CONSIDÉRANT", KindPreamble, "fr", ""},
		{"Considérant en outre", "Considérant en outre", KindPreamble, "fr", ""},
		{"reconnaissant", "reconnaissant", KindPreamble, "fr", ""},
		{"consciente", "consciente", KindPreamble, "fr", ""},
		{"ayant à l'esprit", "ayant à l'esprit", KindPreamble, "fr", ""},
		{"décide", "décide", KindOperative, "fr", ""},
		{"DÉCIDE EN OUTRE", "DÉCIDE EN OUTRE", KindOperative, "fr", ""},
		{"charge le Secrétaire général", "charge le Secrétaire général", KindOperative, "fr", ""},
		{"charge le Directeur du Bureau de développement des télécommunications de continuer à", "charge le Directeur du Bureau de développement des télécommunications", KindOperative, "fr", "de continuer à"},
		{"invite les États Membres à participer", "invite les États Membres", KindOperative, "fr", "à participer"},
		{"prie instamment les États Membres", "prie instamment les États Membres", KindOperative, "fr", ""},
		{"considérant que les réseaux sont vulnérables", "", "", "", ""},
		// Spanish.
		{"recordando", "recordando", KindPreamble, "es", ""},
		{"Considerando además", "Considerando además", KindPreamble, "es", ""},
		{"teniendo en cuenta", "teniendo en cuenta", KindPreamble, "es", ""},
		{"RESUELVE", "RESUELVE", KindOperative, "es", ""},
		{"encarga al Secretario General", "encarga al Secretario General", KindOperative, "es", ""},
		{"encarga al Director de la Oficina de Desarrollo de las Telecomunicaciones que continúe", "encarga al Director de la Oficina de Desarrollo de las Telecomunicaciones", KindOperative, "es", "que continúe"},
		{"invita a los Estados Miembros a participar", "invita a los Estados Miembros", KindOperative, "es", "a participar"},
		// Russian.
		{"напоминая", "напоминая", KindPreamble, "ru", ""},
		{"УЧИТЫВАЯ", "УЧИТЫВАЯ", KindPreamble, "ru", ""},
		{"принимая во внимание", "принимая во внимание", KindPreamble, "ru", ""},
		{"решает", "решает", KindOperative, "ru", ""},
		{"далее решает", "далее решает", KindOperative, "ru", ""},
		{"поручает Генеральному секретарю", "поручает Генеральному секретарю", KindOperative, "ru", ""},
		{"поручает Директору Бюро развития электросвязи продолжать", "поручает Директору Бюро развития электросвязи", KindOperative, "ru", "продолжать"},
		{"предлагает Государствам-Членам", "предлагает Государствам-Членам", KindOperative, "ru", ""},
		// Arabic, masculine (a conference) and feminine (the Assembly),
		// with and without و, vowel marks and hamza.
		{"إذ يذكّر", "إذ يذكّر", KindPreamble, "ar", ""},
		{"وإذ يضع في اعتباره", "وإذ يضع في اعتباره", KindPreamble, "ar", ""},
		{"وإذ تشير إلى", "وإذ تشير إلى", KindPreamble, "ar", ""},
		{"إدراكاً منه", "إدراكاً منه", KindPreamble, "ar", ""},
		{"يقرر", "يقرر", KindOperative, "ar", ""},
		{"يقرر كذلك", "يقرر كذلك", KindOperative, "ar", ""},
		{"يكلف الأمين العام", "يكلف الأمين العام", KindOperative, "ar", ""},
		{"يدعو الدول الأعضاء", "يدعو الدول الأعضاء", KindOperative, "ar", ""},
		{"تطلب إلى الأمين العام", "تطلب إلى الأمين العام", KindOperative, "ar", ""},
		// Chinese.
		{"忆及", "忆及", KindPreamble, "zh", ""},
		{"考虑到", "考虑到", KindPreamble, "zh", ""},
		{"做出决议", "做出决议", KindOperative, "zh", ""},
		{"责成秘书长", "责成秘书长", KindOperative, "zh", ""},
		{"进一步责成电信发展局主任", "进一步责成电信发展局主任", KindOperative, "zh", ""},
		{"请成员国：", "请成员国", KindOperative, "zh", ""},
		{"请成员国加强合作。", "", "", "", ""},
		// Labels in other scripts are not headings.
		{"أ) أن الاتصالات", "", "", "", ""},
		{"а) что связь", "", "", "", ""},
	}
	for _, tt := range tests {
		h, ok := detectHeading(tt.in)
		if tt.text == "" {
			if ok {
				t.Errorf("detectHeading(%q) = %+v, want no heading", tt.in, h)
			}
			continue
		}
		if !ok || h.text != tt.text || h.kind != tt.kind || h.lang != tt.lang || h.rest != tt.rest {
			t.Errorf("detectHeading(%q) = %+v, %v\nwant text %q, kind %s, lang %s, rest %q", tt.in, h, ok, tt.text, tt.kind, tt.lang, tt.rest)
		}
	}
}
