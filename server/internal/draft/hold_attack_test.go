package draft

import (
	"errors"
	"testing"

	"github.com/draftroom/draftroom/server/ot"
)

// refusedWith asserts that err is a *RuleError for rule.
func refusedWith(t *testing.T, err error, rule string) {
	t.Helper()
	var re *RuleError
	if !errors.As(err, &re) {
		t.Fatalf("allowed (err = %v), want a refusal under %q", err, rule)
	}
	if re.Rule != rule {
		t.Fatalf("refused under %q (%s), want %q", re.Rule, re.Message, rule)
	}
}

// The attack of issue 15 item 2: a delegate brackets a word of its own,
// then deletes only its own "[" and "]", and the word stays in the text
// unbracketed, ready to be agreed.
func TestAttackDeleteOwnBrackets(t *testing.T) {
	p := para(StatusOpen, part{"to report back;", "original"})
	p, err := ApplyEdit(bra, p, op(skip(3), ins("[quickly] ")))
	if err != nil {
		t.Fatalf("bracketed insert refused: %v", err)
	}
	// "to [quickly] report back;": delete "[" at 3 and "]" at 11.
	_, err = ApplyEdit(bra, p, op(skip(3), del(1), skip(7), del(1)))
	refusedWith(t, err, "keep-brackets")
	// One bracket at a time fails on balance, and so does the same in
	// Arabic with the pair's brackets removed together.
	ar := para(StatusOpen, part{"يقرر ", "original"}, part{"[تعزيز]", "EGY"}, part{" التعاون", "original"})
	_, err = ApplyEdit(egy, ar, op(skip(5), del(1), skip(5), del(1)))
	refusedWith(t, err, "keep-brackets")
}

// The second attack: nest a pair inside another delegation's pair, write
// into it, then drop the inner brackets, and the words read as CEPT's
// proposal: "[strNOTengthened]".
func TestAttackWriteIntoOthersPair(t *testing.T) {
	cept := Actor{Role: RoleDelegate, Delegation: "CEPT"}
	p := para(StatusOpen, part{"to be ", "original"}, part{"[strengthened]", "CEPT"}, part{" now", "original"})
	// An empty pair inside CEPT's is only a bracket: allowed.
	p1, err := ApplyEdit(bra, p, op(skip(10), ins("[]")))
	if err != nil {
		t.Fatalf("empty pair refused: %v", err)
	}
	// "to be [str[]engthened] now": typing "NOT" into it writes into CEPT's
	// bracketed text.
	_, err = ApplyEdit(bra, p1, op(skip(11), ins("NOT")))
	refusedWith(t, err, "others-brackets")
	// So does a pair with words, or one with a separating space.
	_, err = ApplyEdit(bra, p, op(skip(10), ins("[NOT]")))
	refusedWith(t, err, "others-brackets")
	_, err = ApplyEdit(bra, p, op(skip(10), ins(" []")))
	refusedWith(t, err, "others-brackets")
	// Had the chair let "[str[NOT]engthened]" stand, BRA still could not
	// dissolve its pair into CEPT's words.
	nested := para(StatusOpen, part{"to be ", "original"}, part{"[str", "CEPT"}, part{"[NOT]", "BRA"}, part{"engthened]", "CEPT"})
	_, err = ApplyEdit(bra, nested, op(skip(10), del(1), skip(3), del(1)))
	refusedWith(t, err, "keep-brackets")
	// CEPT itself may not write into the pair while BRA's words are in it.
	_, err = ApplyEdit(cept, nested, op(skip(8), ins("x")))
	refusedWith(t, err, "insert-in-brackets")
	_ = ot.Op{}
}
