package draft

import (
	"errors"
	"testing"

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
		off   int // checked when msg is set
	}{
		// Roles.
		{name: "observer", actor: observer, p: open, op: op(ins("x")),
			code: CodeForbidden, rule: RuleReadOnly, msg: "observers may not edit text", off: NoOffset},
		{name: "rapporteur", actor: Actor{Role: RoleRapporteur}, p: open, op: op(ins("x")),
			code: CodeForbidden, rule: RuleReadOnly, msg: "rapporteurs may not edit text", off: NoOffset},
		{name: "observer no-op", actor: observer, p: open, op: nil},
		{name: "delegate without delegation", actor: Actor{Role: RoleDelegate}, p: open, op: op(ins("[x]")),
			code: CodeForbidden, rule: RuleNoDelegation, msg: "delegate has no delegation and cannot edit", off: NoOffset},

		// Status.
		{name: "chair on agreed", actor: chair, p: conference(StatusAgreed), op: op(ins("x")),
			code: CodeForbidden, rule: RuleLocked, msg: "paragraph is agreed; the chair must reopen it before editing", off: NoOffset},
		{name: "delegate on agreed", actor: bra, p: conference(StatusAgreed), op: op(skip(16), ins("x")),
			code: CodeForbidden, rule: RuleLocked, msg: "paragraph is agreed; the chair must reopen it before editing", off: NoOffset},
		{name: "delegate on ad ref", actor: bra, p: conference(StatusAgreedAdRef), op: op(skip(16), ins("x")),
			code: CodeForbidden, rule: RuleAdRef, msg: "paragraph is agreed ad referendum; only the chair may edit it", off: NoOffset},
		{name: "chair on ad ref", actor: chair, p: conference(StatusAgreedAdRef), op: op(ins("x"))},
		{name: "admin on ad ref", actor: admin, p: conference(StatusAgreedAdRef), op: op(ins("x"))},
		{name: "zero status is open", actor: bra, p: conference(""), op: op(skip(16), ins("x"))},

		// Chair.
		{name: "chair cleans brackets", actor: chair, p: open, op: op(skip(15), del(10), skip(6), del(1))},
		{name: "chair types outside brackets", actor: chair, p: open, op: op(skip(4), ins("General "))},
		{name: "chair leaves [ open", actor: chair, p: open, op: op(skip(3), ins("[")),
			code: CodeInvalid, rule: RuleBalance, msg: `Brackets must balance: the "[" in "The[ Conference" is never closed.`, off: 3},
		{name: "chair leaves ] alone", actor: chair, p: open, op: op(skip(15), del(1)),
			code: CodeInvalid, rule: RuleBalance, msg: `Brackets must balance: the "]" in "Conference decides][agrees] to" has no "[" before it.`, off: 22},
		{name: "op past the end", actor: chair, p: open, op: op(skip(41), ins("x")),
			code: CodeInvalid, rule: RuleOpMismatch},

		// Delegate inserts.
		{name: "text outside brackets", actor: bra, p: open, op: op(skip(4), ins("x")),
			code: CodeForbidden, rule: RuleInsertInBrackets, msg: `You can type only inside brackets, not here: "The xConference [decides][agrees]". Press [ to start your own.`, off: 4},
		{name: "text inside own pair", actor: bra, p: open, op: op(skip(16), ins("firmly "))},
		{name: "text inside another's pair", actor: bra, p: open, op: op(skip(25), ins("x")),
			code: CodeForbidden, rule: RuleInsertInBrackets,
			msg: `You can type only inside brackets that hold only your own words, and "[decides][xagrees]" also holds CHN's text. Press [ to start a pair of your own.`, off: 25},
		{name: "new pair", actor: bra, p: open, op: op(skip(4), ins("[General]"))},
		{name: "new pair with separator", actor: bra, p: open, op: op(skip(14), ins(" [General]"))},
		{name: "new pair with trailing separator", actor: bra, p: open, op: op(skip(4), ins("[General] "))},
		{name: "space not next to a bracket", actor: bra, p: open, op: op(skip(4), ins("[General]x ")),
			code: CodeForbidden, rule: RuleInsertInBrackets, msg: `You can type only inside brackets, not here: "The [General]x Conference [decides][agrees]". Press [ to start your own.`, off: 13},
		{name: "text before new pair", actor: bra, p: open, op: op(skip(4), ins("x [General]")),
			code: CodeForbidden, rule: RuleInsertInBrackets, msg: `You can type only inside brackets, not here: "The x [General]Conference". Press [ to start your own.`, off: 4},
		{name: "bracket others' text", actor: bra, p: open, op: op(skip(4), ins("["), skip(10), ins("]"))},
		{name: "alternative next to others' text", actor: bra, p: open, op: op(skip(4), ins("["), skip(10), ins("][Assembly]"))},
		{name: "own words inside pair around others' text", actor: bra, p: open, op: op(skip(4), ins("[General "), skip(10), ins("]")),
			code: CodeForbidden, rule: RuleInsertInBrackets,
			msg: `You can type only inside brackets that hold only your own words, and "[General Conference]" also holds the original text. Press [ to start a pair of your own.`, off: 5},
		// The hold rule: nothing may be mixed into another's bracketed words,
		// but a delegate may still bracket some of them to contest them.
		{name: "new pair inside another's pair", actor: bra, p: open, op: op(skip(25), ins("[firmly] ")),
			code: CodeForbidden, rule: RuleOthersBrackets,
			msg: `That would put other text inside CHN's brackets: "[decides][[firmly] agrees]". Put your words in a pair of your own, outside theirs.`, off: 34},
		{name: "bracket words inside another's pair", actor: bra, p: open, op: op(skip(25), ins("["), skip(3), ins("]"))},
		{name: "empty pair inside another's pair", actor: bra, p: open, op: op(skip(25), ins("[]"))},
		{name: "empty pair", actor: bra, p: open, op: op(skip(4), ins("[]"))},

		// Delegate brackets.
		{name: "lone [", actor: bra, p: open, op: op(skip(4), ins("[x")),
			code: CodeInvalid, rule: RuleBalance, msg: `Brackets must balance: the "[" in "The [xConference [decides][agrees]" is never closed.`, off: 4},
		{name: "] closes own existing [", actor: bra, p: open, op: op(skip(23), del(1), skip(8), ins("]")),
			code: CodeForbidden, rule: RuleBracketPairs,
			msg: `Type brackets in pairs: the "]" you typed in "Conference [decides[agrees]] to" would close a "[" that was already there. Type both brackets of a pair in one go.`, off: 31},
		{name: "[ closed by existing ]", actor: bra, p: open, op: op(skip(4), ins("["), skip(11), del(1)),
			code: CodeForbidden, rule: RuleBracketPairs,
			msg: `Type brackets in pairs: the "[" you typed in "The [Conference decides][agrees]" would be closed by a "]" that was already there. Type both brackets of a pair in one go.`, off: 4},
		{name: "splitting another's pair", actor: bra, p: para(StatusOpen, part{"[CHN text] end", "CHN"}), op: op(skip(5), ins("["), skip(9), ins("]")),
			code: CodeForbidden, rule: RuleBracketPairs},

		// Delegate deletes.
		{name: "delete own pair", actor: bra, p: open, op: op(skip(15), del(9))},
		{name: "delete own words", actor: bra, p: open, op: op(skip(16), del(3))},
		{name: "delete others' text", actor: bra, p: open, op: op(skip(20), del(8)),
			code: CodeForbidden, rule: RuleDeleteOwn, msg: `You can delete only your own delegation's text, and "[decides][agrees]" is CHN's text.`, off: 24},
		{name: "delete original", actor: bra, p: open, op: op(del(1)),
			code: CodeForbidden, rule: RuleDeleteOwn, msg: `You can delete only your own delegation's text, and "The" is the original text.`, off: 0},
		{name: "delete own [ only", actor: bra, p: open, op: op(skip(15), del(1)),
			code: CodeInvalid, rule: RuleBalance, msg: `Brackets must balance: the "]" in "Conference decides][agrees] to" has no "[" before it.`, off: 22},
		{name: "replace own words", actor: bra, p: open, op: op(skip(16), del(7), ins("resolves"))},

		// Other scripts.
		{name: "arabic inside own pair", actor: egy, p: arabic, op: op(skip(14), ins("وتوطيد "))},
		{name: "arabic outside", actor: egy, p: arabic, op: op(skip(5), ins("العام ")),
			code: CodeForbidden, rule: RuleInsertInBrackets, msg: `You can type only inside brackets, not here: "يقرر العام المؤتمر [تعزيز]". Press [ to start your own.`, off: 5},
		{name: "arabic delete others'", actor: bra, p: arabic, op: op(skip(13), del(1)),
			code: CodeForbidden, rule: RuleDeleteOwn, msg: `You can delete only your own delegation's text, and "[تعزيز]" is EGY's text.`, off: 13},
		{name: "chinese emoji inside own pair", actor: chn, p: chinese, op: op(skip(5), ins("🌍"))},
		{name: "chinese emoji after pair", actor: chn, p: chinese, op: op(skip(6), ins("👩🏽‍💻")),
			code: CodeForbidden, rule: RuleInsertInBrackets, msg: `You can type only inside brackets, not here: "大会[决定]👩🏽‍💻采取行动". Press [ to start your own.`, off: 6},
		{name: "offset after a 4-code-point emoji", actor: chn,
			p:  para(StatusOpen, part{"👩🏽‍💻 ", "original"}, part{"[决定]", "CHN"}),
			op: op(skip(9), ins("x")),
			// 👩🏽‍💻 is 4 code points, the space 1, "[决定]" 4: x lands at 9.
			code: CodeForbidden, rule: RuleInsertInBrackets, msg: `You can type only inside brackets, not here: "👩🏽‍💻 [决定]x". Press [ to start your own.`, off: 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckEdit(tt.actor, tt.p, tt.op)
			checkRuleErrorAt(t, err, tt.code, tt.rule, tt.msg, tt.off)
		})
	}
}

func checkRuleError(t *testing.T, err error, code, rule, msg string) {
	t.Helper()
	checkRuleErrorAt(t, err, code, rule, msg, -2)
}

// checkRuleErrorAt also checks the refusal's Offset when msg is set (and
// off is not -2).
func checkRuleErrorAt(t *testing.T, err error, code, rule, msg string, off int) {
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
	if msg != "" && off != -2 && re.Offset != off {
		t.Errorf("offset %d, want %d", re.Offset, off)
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
		off   int // checked when msg is set
	}{
		{name: "delegate", actor: bra, p: clean, to: StatusAgreed,
			code: CodeForbidden, rule: RuleStatusChair, msg: "only the chair may change a paragraph's status", off: NoOffset},
		{name: "observer", actor: observer, p: clean, to: StatusOpen,
			code: CodeForbidden, rule: RuleStatusChair},
		{name: "agree clean", actor: chair, p: clean, to: StatusAgreed},
		{name: "admin agrees", actor: admin, p: clean, to: StatusAgreed},
		{name: "agree with one group of two alternatives", actor: chair, p: conference(StatusOpen), to: StatusAgreed,
			code: CodeInvalid, rule: RuleAgreedBrackets, msg: `The paragraph still has 1 open bracket group at "[decides][agrees]". Resolve the brackets before agreeing it.`, off: 15},
		{name: "agree with nested groups", actor: chair, p: para(StatusOpen, part{"[a] [b [c][d]]", "x"}), to: StatusAgreed,
			code: CodeInvalid, rule: RuleAgreedBrackets, msg: `The paragraph still has 2 open bracket groups, the first at "[a]". Resolve the brackets before agreeing it.`, off: 0},
		{name: "nested counts once", actor: chair, p: nested, to: StatusAgreed,
			code: CodeInvalid, rule: RuleAgreedBrackets, msg: `The paragraph still has 1 open bracket group at "[Conference [a][b]]". Resolve the brackets before agreeing it.`, off: 4},
		{name: "agree unbalanced", actor: chair, p: para(StatusOpen, part{"a [b", "x"}), to: StatusAgreed,
			code: CodeInvalid, rule: RuleBalance, msg: `Brackets must balance: the "[" in "a [b" is never closed.`, off: 2},
		{name: "ad ref with brackets", actor: chair, p: conference(StatusOpen), to: StatusAgreedAdRef},
		{name: "reopen", actor: chair, p: conference(StatusAgreed), to: StatusOpen},
		{name: "agreed to ad ref", actor: chair, p: clean, to: StatusAgreedAdRef},
		{name: "unknown", actor: chair, p: clean, to: "closed",
			code: CodeInvalid, rule: RuleStatusUnknown, msg: `unknown status "closed"`, off: NoOffset},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRuleErrorAt(t, CheckStatus(tt.actor, tt.p, tt.to), tt.code, tt.rule, tt.msg, tt.off)
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

func TestCheckEditNoRole(t *testing.T) {
	err := CheckEdit(Actor{}, conference(StatusOpen), op(ins("x")))
	checkRuleError(t, err, CodeForbidden, RuleReadOnly, "participants without a role may not edit text")
}
