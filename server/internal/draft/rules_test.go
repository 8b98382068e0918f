package draft

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/ot"
)

// part is a piece of paragraph text and who wrote it.
type part struct{ text, author string }

func para(status Status, parts ...part) Paragraph {
	p := Paragraph{Status: status}
	for _, pt := range parts {
		p.Text += pt.text
		p.Authors = p.Authors.push(len([]rune(pt.text)), pt.author)
	}
	return p
}

var (
	chair    = Actor{Role: RoleChair}
	admin    = Actor{Role: RoleAdmin}
	bra      = Actor{Role: RoleDelegate, Delegation: "BRA"}
	egy      = Actor{Role: RoleDelegate, Delegation: "EGY"}
	chn      = Actor{Role: RoleDelegate, Delegation: "CHN"}
	observer = Actor{Role: RoleObserver}
)

// "The Conference [decides][agrees] to act." - BRA wrote "[decides]" (15-23),
// CHN wrote "[agrees]" (24-31).
func conference(status Status) Paragraph {
	return para(status,
		part{"The Conference ", "original"},
		part{"[decides]", "BRA"},
		part{"[agrees]", "CHN"},
		part{" to act.", "original"})
}

func TestCheckEdit(t *testing.T) {
	open := conference(StatusOpen)
	// "يقرر المؤتمر [تعزيز] التعاون": EGY wrote the pair at 13-19.
	arabic := para(StatusOpen,
		part{"يقرر المؤتمر ", "original"}, part{"[تعزيز]", "EGY"}, part{" التعاون", "original"})
	// "大会[决定]采取行动": CHN wrote the pair at 2-5.
	chinese := para(StatusOpen, part{"大会", "original"}, part{"[决定]", "CHN"}, part{"采取行动", "original"})
	tests := []struct {
		name  string
		actor Actor
		p     Paragraph
		op    ot.Op
		code  string // "" for allowed
		rule  string
		msg   string
	}{
		// Roles.
		{name: "observer", actor: observer, p: open, op: op(ins("x")),
			code: CodeForbidden, rule: RuleReadOnly, msg: "observers may not edit text"},
		{name: "rapporteur", actor: Actor{Role: RoleRapporteur}, p: open, op: op(ins("x")),
			code: CodeForbidden, rule: RuleReadOnly, msg: "rapporteurs may not edit text"},
		{name: "observer no-op", actor: observer, p: open, op: nil},
		{name: "delegate without delegation", actor: Actor{Role: RoleDelegate}, p: open, op: op(ins("[x]")),
			code: CodeForbidden, rule: RuleNoDelegation, msg: "delegate has no delegation and cannot edit"},

		// Status.
		{name: "chair on agreed", actor: chair, p: conference(StatusAgreed), op: op(ins("x")),
			code: CodeForbidden, rule: RuleLocked, msg: "paragraph is agreed; the chair must reopen it before editing"},
		{name: "delegate on agreed", actor: bra, p: conference(StatusAgreed), op: op(skip(16), ins("x")),
			code: CodeForbidden, rule: RuleLocked, msg: "paragraph is agreed; the chair must reopen it before editing"},
		{name: "delegate on ad ref", actor: bra, p: conference(StatusAgreedAdRef), op: op(skip(16), ins("x")),
			code: CodeForbidden, rule: RuleAdRef, msg: "paragraph is agreed ad referendum; only the chair may edit it"},
		{name: "chair on ad ref", actor: chair, p: conference(StatusAgreedAdRef), op: op(ins("x"))},
		{name: "admin on ad ref", actor: admin, p: conference(StatusAgreedAdRef), op: op(ins("x"))},
		{name: "zero status is open", actor: bra, p: conference(""), op: op(skip(16), ins("x"))},

		// Chair.
		{name: "chair cleans brackets", actor: chair, p: open, op: op(skip(15), del(10), skip(6), del(1))},
		{name: "chair types outside brackets", actor: chair, p: open, op: op(skip(4), ins("General "))},
		{name: "chair leaves [ open", actor: chair, p: open, op: op(skip(3), ins("[")),
			code: CodeInvalid, rule: RuleBalance, msg: `brackets must balance after the edit: "[" at offset 3 is never closed`},
		{name: "chair leaves ] alone", actor: chair, p: open, op: op(skip(15), del(1)),
			code: CodeInvalid, rule: RuleBalance, msg: `brackets must balance after the edit: "]" at offset 22 has no matching "["`},
		{name: "op past the end", actor: chair, p: open, op: op(skip(41), ins("x")),
			code: CodeInvalid, rule: RuleOpMismatch},

		// Delegate inserts.
		{name: "text outside brackets", actor: bra, p: open, op: op(skip(4), ins("x")),
			code: CodeForbidden, rule: RuleInsertInBrackets, msg: "delegates may only insert text inside brackets; offset 4 is outside"},
		{name: "text inside own pair", actor: bra, p: open, op: op(skip(16), ins("firmly "))},
		{name: "text inside another's pair", actor: bra, p: open, op: op(skip(25), ins("x")),
			code: CodeForbidden, rule: RuleInsertInBrackets,
			msg: "delegates may only insert text inside brackets holding only their own text; offset 25 is inside the brackets at offsets 24-32, which hold text by CHN"},
		{name: "new pair", actor: bra, p: open, op: op(skip(4), ins("[General]"))},
		{name: "new pair with separator", actor: bra, p: open, op: op(skip(14), ins(" [General]"))},
		{name: "new pair with trailing separator", actor: bra, p: open, op: op(skip(4), ins("[General] "))},
		{name: "space not next to a bracket", actor: bra, p: open, op: op(skip(4), ins("[General]x ")),
			code: CodeForbidden, rule: RuleInsertInBrackets, msg: "delegates may only insert text inside brackets; offset 13 is outside"},
		{name: "text before new pair", actor: bra, p: open, op: op(skip(4), ins("x [General]")),
			code: CodeForbidden, rule: RuleInsertInBrackets, msg: "delegates may only insert text inside brackets; offset 4 is outside"},
		{name: "bracket others' text", actor: bra, p: open, op: op(skip(4), ins("["), skip(10), ins("]"))},
		{name: "alternative next to others' text", actor: bra, p: open, op: op(skip(4), ins("["), skip(10), ins("][Assembly]"))},
		{name: "own words inside pair around others' text", actor: bra, p: open, op: op(skip(4), ins("[General "), skip(10), ins("]")),
			code: CodeForbidden, rule: RuleInsertInBrackets,
			msg: "delegates may only insert text inside brackets holding only their own text; offset 5 is inside the brackets at offsets 4-23, which hold text by original"},
		{name: "new pair inside another's pair", actor: bra, p: open, op: op(skip(25), ins("[firmly] "))},
		{name: "empty pair", actor: bra, p: open, op: op(skip(4), ins("[]"))},

		// Delegate brackets.
		{name: "lone [", actor: bra, p: open, op: op(skip(4), ins("[x")),
			code: CodeInvalid, rule: RuleBalance, msg: `brackets must balance after the edit: "[" at offset 4 is never closed`},
		{name: "] closes own existing [", actor: bra, p: open, op: op(skip(23), del(1), skip(8), ins("]")),
			code: CodeForbidden, rule: RuleBracketPairs,
			msg: `delegates must insert brackets in matching pairs; the "]" inserted at offset 31 closes the existing "[" at offset 15 (offsets after the edit)`},
		{name: "[ closed by existing ]", actor: bra, p: open, op: op(skip(4), ins("["), skip(11), del(1)),
			code: CodeForbidden, rule: RuleBracketPairs,
			msg: `delegates must insert brackets in matching pairs; the "[" inserted at offset 4 is closed by the existing "]" at offset 23 (offsets after the edit)`},
		{name: "splitting another's pair", actor: bra, p: para(StatusOpen, part{"[CHN text] end", "CHN"}), op: op(skip(5), ins("["), skip(9), ins("]")),
			code: CodeForbidden, rule: RuleBracketPairs},

		// Delegate deletes.
		{name: "delete own pair", actor: bra, p: open, op: op(skip(15), del(9))},
		{name: "delete own words", actor: bra, p: open, op: op(skip(16), del(3))},
		{name: "delete others' text", actor: bra, p: open, op: op(skip(20), del(8)),
			code: CodeForbidden, rule: RuleDeleteOwn, msg: "delegates may only delete their own text; offset 24 is by CHN"},
		{name: "delete original", actor: bra, p: open, op: op(del(1)),
			code: CodeForbidden, rule: RuleDeleteOwn, msg: "delegates may only delete their own text; offset 0 is by original"},
		{name: "delete own [ only", actor: bra, p: open, op: op(skip(15), del(1)),
			code: CodeInvalid, rule: RuleBalance, msg: `brackets must balance after the edit: "]" at offset 22 has no matching "["`},
		{name: "replace own words", actor: bra, p: open, op: op(skip(16), del(7), ins("resolves"))},

		// Other scripts.
		{name: "arabic inside own pair", actor: egy, p: arabic, op: op(skip(14), ins("وتوطيد "))},
		{name: "arabic outside", actor: egy, p: arabic, op: op(skip(5), ins("العام ")),
			code: CodeForbidden, rule: RuleInsertInBrackets, msg: "delegates may only insert text inside brackets; offset 5 is outside"},
		{name: "arabic delete others'", actor: bra, p: arabic, op: op(skip(13), del(1)),
			code: CodeForbidden, rule: RuleDeleteOwn, msg: "delegates may only delete their own text; offset 13 is by EGY"},
		{name: "chinese emoji inside own pair", actor: chn, p: chinese, op: op(skip(5), ins("🌍"))},
		{name: "chinese emoji after pair", actor: chn, p: chinese, op: op(skip(6), ins("👩🏽‍💻")),
			code: CodeForbidden, rule: RuleInsertInBrackets, msg: "delegates may only insert text inside brackets; offset 6 is outside"},
		{name: "offset after a 4-code-point emoji", actor: chn,
			p:  para(StatusOpen, part{"👩🏽‍💻 ", "original"}, part{"[决定]", "CHN"}),
			op: op(skip(9), ins("x")),
			// 👩🏽‍💻 is 4 code points, the space 1, "[决定]" 4: x lands at 9.
			code: CodeForbidden, rule: RuleInsertInBrackets, msg: "delegates may only insert text inside brackets; offset 9 is outside"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckEdit(tt.actor, tt.p, tt.op)
			checkRuleError(t, err, tt.code, tt.rule, tt.msg)
		})
	}
}

func checkRuleError(t *testing.T, err error, code, rule, msg string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return
	}
	var re *RuleError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want *RuleError %s/%s", err, code, rule)
	}
	if re.Code != code || re.Rule != rule {
		t.Errorf("got %s/%s (%s), want %s/%s", re.Code, re.Rule, re.Message, code, rule)
	}
	if msg != "" && re.Error() != msg {
		t.Errorf("message\n got %q\nwant %q", re.Error(), msg)
	}
}

func TestCheckEditInconsistentParagraph(t *testing.T) {
	p := Paragraph{Text: "abc", Authors: Uniform(2, "original"), Status: StatusOpen}
	err := CheckEdit(chair, p, op(ins("x")))
	var re *RuleError
	if err == nil || errors.As(err, &re) {
		t.Fatalf("err = %v, want a plain error", err)
	}
}

func TestCheckStatus(t *testing.T) {
	clean := para(StatusOpen, part{"The Conference decides to act.", "original"})
	nested := para(StatusOpen, part{"The [Conference [a][b]] decides.", "original"})
	tests := []struct {
		name  string
		actor Actor
		p     Paragraph
		to    Status
		code  string
		rule  string
		msg   string
	}{
		{name: "delegate", actor: bra, p: clean, to: StatusAgreed,
			code: CodeForbidden, rule: RuleStatusChair, msg: "only the chair may change a paragraph's status"},
		{name: "observer", actor: observer, p: clean, to: StatusOpen,
			code: CodeForbidden, rule: RuleStatusChair},
		{name: "agree clean", actor: chair, p: clean, to: StatusAgreed},
		{name: "admin agrees", actor: admin, p: clean, to: StatusAgreed},
		{name: "agree with one group of two alternatives", actor: chair, p: conference(StatusOpen), to: StatusAgreed,
			code: CodeInvalid, rule: RuleAgreedBrackets, msg: "paragraph still has 1 open bracket group"},
		{name: "agree with nested groups", actor: chair, p: para(StatusOpen, part{"[a] [b [c][d]]", "x"}), to: StatusAgreed,
			code: CodeInvalid, rule: RuleAgreedBrackets, msg: "paragraph still has 2 open bracket groups"},
		{name: "nested counts once", actor: chair, p: nested, to: StatusAgreed,
			code: CodeInvalid, rule: RuleAgreedBrackets, msg: "paragraph still has 1 open bracket group"},
		{name: "agree unbalanced", actor: chair, p: para(StatusOpen, part{"a [b", "x"}), to: StatusAgreed,
			code: CodeInvalid, rule: RuleBalance, msg: `brackets must balance: "[" at offset 2 is never closed`},
		{name: "ad ref with brackets", actor: chair, p: conference(StatusOpen), to: StatusAgreedAdRef},
		{name: "reopen", actor: chair, p: conference(StatusAgreed), to: StatusOpen},
		{name: "agreed to ad ref", actor: chair, p: clean, to: StatusAgreedAdRef},
		{name: "unknown", actor: chair, p: clean, to: "closed",
			code: CodeInvalid, rule: RuleStatusUnknown, msg: `unknown status "closed"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRuleError(t, CheckStatus(tt.actor, tt.p, tt.to), tt.code, tt.rule, tt.msg)
		})
	}
}

func TestActorAuthor(t *testing.T) {
	for _, tt := range []struct {
		a    Actor
		want string
	}{
		{bra, "BRA"}, {chair, "chair"}, {admin, "chair"}, {observer, ""}, {Actor{Role: RoleRapporteur}, ""},
	} {
		if got := tt.a.Author(); got != tt.want {
			t.Errorf("%+v.Author() = %q, want %q", tt.a, got, tt.want)
		}
	}
}

// FuzzCheckEdit feeds random ops by BRA to a paragraph written partly by
// "original" and partly by BRA, and checks every edit CheckEdit allows
// against a code-point-by-code-point reading of the delegate rules.
func FuzzCheckEdit(f *testing.F) {
	f.Add("The Conference [decides][agrees] to act.", 15, []byte{0, 4, 0, 1, 0, '['})
	f.Add("加强[国际]合作", 2, []byte{0, 3, 0, 1, 2, 0, 2, 0, 'x'})
	f.Add("[a] b [c]", 4, []byte{1, 3, 0})
	f.Fuzz(func(t *testing.T, text string, split int, code []byte) {
		if !utf8.ValidString(text) {
			return
		}
		n := utf8.RuneCountInString(text)
		split = min(max(split, 0), n)
		p := Paragraph{Text: text, Authors: Authorship{{split, "original"}, {n - split, "BRA"}}.Normalize()}
		// Each 3 bytes: kind (skip, delete, insert), length, and a
		// character picked from a small alphabet for inserts.
		alphabet := []rune("[] x加🌍")
		var o ot.Op
		for i := 0; i+2 < len(code); i += 3 {
			k, l := code[i]%3, 1+int(code[i+1]%8)
			switch k {
			case 0:
				o = append(o, skip(l))
			case 1:
				o = append(o, del(l))
			case 2:
				o = append(o, ins(strings.Repeat(string(alphabet[int(code[i+2])%len(alphabet)]), l)))
			}
		}
		o = ot.Normalize(o)
		if len(o) == 0 || CheckEdit(bra, p, o) != nil {
			return
		}
		after, err := ot.Apply(text, o)
		if err != nil {
			t.Fatalf("allowed an op that does not fit: %v", err)
		}
		b, err := ParseBrackets(after)
		if err != nil {
			t.Fatalf("allowed %v giving unbalanced %q", o, after)
		}
		authors, err := p.Authors.Apply(o, "BRA")
		if err != nil {
			t.Fatal(err)
		}
		pos, newPos := 0, 0
		for _, c := range o {
			switch {
			case c.Skip > 0:
				pos += c.Skip
				newPos += c.Skip
			case c.Delete > 0:
				for i := pos; i < pos+c.Delete; i++ {
					if p.Authors.At(i) != "BRA" {
						t.Fatalf("allowed deleting %s's code point %d", p.Authors.At(i), i)
					}
				}
				pos += c.Delete
			case c.Insert != "":
				for _, r := range c.Insert {
					if r != '[' && r != ']' && r != ' ' {
						k := -1
						for j, pr := range b.Pairs {
							if pr.Open < newPos && newPos < pr.Close {
								k = j
							}
						}
						if k < 0 {
							t.Fatalf("allowed %q outside brackets at %d: %q", r, newPos, after)
						}
						for i := b.Pairs[k].Open + 1; i < b.Pairs[k].Close; i++ {
							if authors.At(i) != "BRA" {
								t.Fatalf("allowed %q at %d in a pair holding %s's text: %q", r, newPos, authors.At(i), after)
							}
						}
					}
					newPos++
				}
			}
		}
	})
}

func TestCheckEditNoRole(t *testing.T) {
	err := CheckEdit(Actor{}, conference(StatusOpen), op(ins("x")))
	checkRuleError(t, err, CodeForbidden, RuleReadOnly, "participants without a role may not edit text")
}
