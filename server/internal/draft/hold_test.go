package draft

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"pgregory.net/rapid"

	"github.com/draftroom/draftroom/server/ot"
)

// naiveHeld is the hold rule's definition read literally, code point by code
// point, with its own bracket matching: the reference the property tests
// hold heldMask and ApplyEdit to.
func naiveHeld(text string, authors Authorship) []bool {
	rs := []rune(text)
	who := make([]string, len(rs))
	for i := range rs {
		who[i] = authors.At(i)
	}
	// Matching pairs, the parser's way: unmatched brackets pair with nothing.
	type pr struct{ open, close int }
	var pairs []pr
	var stack []int
	for i, r := range rs {
		switch r {
		case '[':
			stack = append(stack, i)
		case ']':
			if len(stack) > 0 {
				pairs = append(pairs, pr{stack[len(stack)-1], i})
				stack = stack[:len(stack)-1]
			}
		}
	}
	held := make([]bool, len(rs))
	for i, r := range rs {
		a := who[i]
		if r == '[' || r == ']' || !isDelegation(a) {
			continue
		}
	pairs:
		for _, p := range pairs {
			if p.open >= i || p.close <= i || who[p.open] != a || who[p.close] != a {
				continue
			}
			for k := p.open + 1; k < p.close; k++ {
				if rs[k] != '[' && rs[k] != ']' && who[k] != a {
					continue pairs
				}
			}
			held[i] = true
			break
		}
	}
	return held
}

// opMap says where each code point of the text before op went (-1 when
// deleted), which offsets after op were inserted, and the length after.
func opMap(op ot.Op, n int) (moved []int, insertedAt []bool, m int) {
	moved = make([]int, n)
	i := 0
	for _, c := range op {
		switch {
		case c.Skip > 0:
			for k := 0; k < c.Skip; k++ {
				moved[i] = m
				i++
				m++
			}
		case c.Delete > 0:
			for k := 0; k < c.Delete; k++ {
				moved[i] = -1
				i++
			}
		case c.Insert != "":
			for range []rune(c.Insert) {
				insertedAt = append(insertedAt, true)
				m++
			}
			continue
		}
		for len(insertedAt) < m {
			insertedAt = append(insertedAt, false)
		}
	}
	for ; i < n; i++ {
		moved[i] = m
		m++
	}
	for len(insertedAt) < m {
		insertedAt = append(insertedAt, false)
	}
	return moved, insertedAt, m
}

func TestHeldMaskMatchesDefinition(t *testing.T) {
	for _, p := range []Paragraph{
		para(StatusOpen, part{"to [a b] c", "BRA"}),
		para(StatusOpen, part{"[", "BRA"}, part{"x ", "BRA"}, part{"[y]", "CEPT"}, part{"]", "BRA"}),
		para(StatusOpen, part{"[", "BRA"}, part{"x", "BRA"}, part{"[", "CEPT"}, part{"y", "BRA"}, part{"]", "CEPT"}, part{"]", "BRA"}),
		para(StatusOpen, part{"[", "BRA"}, part{"x", "original"}, part{"]", "BRA"}),
		para(StatusOpen, part{"] [a", "BRA"}, part{" [b]", "BRA"}),
		para(StatusOpen, part{"[[]]", "CEPT"}, part{"q", "CEPT"}),
		para(StatusOpen, part{"[加强", "CHN"}, part{"[国际]", "CHN"}, part{"合作]", "CHN"}),
	} {
		got, want := heldMask(p.Text, p.Authors), naiveHeld(p.Text, p.Authors)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q %v:\n got %v\nwant %v", p.Text, p.Authors, got, want)
		}
	}
}

// The text of a delegation's pair that the chair has typed into is no
// longer held: the chair is never refused, and its edit releases the words.
// An edit elsewhere in the paragraph is not refused because of other
// delegations' words the chair has accepted.
func TestHoldAfterChairActs(t *testing.T) {
	p := para(StatusOpen, part{"to ", "original"}, part{"[quickly]", "BRA"}, part{" report ", "original"}, part{"soon", "CEPT"}, part{" back;", "original"})
	// The chair accepts BRA's word by deleting its brackets.
	accepted, err := ApplyEdit(chair, p, op(skip(3), del(1), skip(7), del(1)))
	if err != nil {
		t.Fatal(err)
	}
	// "to quickly report soon back;": CEPT's accepted "soon" and BRA's
	// accepted "quickly" do not stop either from adding a proposal.
	for _, a := range []Actor{bra, {Role: RoleDelegate, Delegation: "CEPT"}} {
		if _, err := ApplyEdit(a, accepted, op(skip(18), ins("[promptly] "))); err != nil {
			t.Errorf("%s: %v", a.Delegation, err)
		}
	}
	// BRA may bracket its accepted word to contest it and withdraw those
	// brackets again only with the words: they are its own pair now.
	rebracketed, err := ApplyEdit(bra, accepted, op(skip(3), ins("["), skip(7), ins("]")))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ApplyEdit(bra, rebracketed, op(skip(3), del(1), skip(7), del(1)))
	refusedWith(t, err, RuleKeepBrackets)
	// Brackets around another's text come off freely.
	contested, err := ApplyEdit(bra, accepted, op(skip(19), ins("["), skip(4), ins("]")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ApplyEdit(bra, contested, op(skip(19), del(1), skip(4), del(1))); err != nil {
		t.Errorf("withdrawing brackets around CEPT's accepted word: %v", err)
	}
	// The chair typing into BRA's pair releases BRA's words in it.
	mixed, err := ApplyEdit(chair, p, op(skip(4), ins("very ")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ApplyEdit(bra, mixed, op(skip(3), del(1), skip(12), del(1))); err != nil {
		t.Errorf("after the chair typed into the pair: %v", err)
	}
}

// A delegate may delete its whole pair, bracket and words, and type into
// its own pair even when it sits inside someone else's brackets.
func TestHoldConveniences(t *testing.T) {
	p := para(StatusOpen, part{"to ", "original"}, part{"[", "CEPT"}, part{"report ", "original"}, part{"[duly]", "BRA"}, part{"]", "CEPT"}, part{" back", "original"})
	for _, c := range []struct {
		name string
		op   ot.Op
	}{
		{"delete own pair", op(skip(11), del(6))},
		{"type in own pair inside another's", op(skip(12), ins("very "))},
		{"new pair with a separator before", op(skip(19), ins(" [now]"))},
		{"new pair with a separator after", op(ins("[Please] "))},
	} {
		if _, err := ApplyEdit(bra, p, c.op); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// FuzzCheckEdit feeds random ops by BRA to a paragraph written partly by
// "original", partly by BRA and partly by CEPT, and checks every edit
// ApplyEdit allows against the rules read literally: BRA deleted only its
// own code points, the result balances, every code point held before is
// held after, and every inserted code point other than brackets and white
// space is held.
func FuzzCheckEdit(f *testing.F) {
	f.Add("The Conference [decides][agrees] to act.", 15, 24, []byte{0, 4, 0, 1, 0, '['})
	f.Add("加强[国际]合作", 2, 6, []byte{0, 3, 0, 1, 2, 0, 2, 0, 'x'})
	f.Add("[a] b [c]", 4, 9, []byte{1, 3, 0})
	f.Add("to be [strengthened] now", 0, 6, []byte{0, 10, 0, 2, 1, 0})
	f.Fuzz(func(t *testing.T, text string, split1, split2 int, code []byte) {
		if !utf8Valid(text) {
			return
		}
		n := len([]rune(text))
		split1 = min(max(split1, 0), n)
		split2 = min(max(split2, split1), n)
		p := Paragraph{Text: text, Authors: Authorship{{split1, "original"}, {split2 - split1, "BRA"}, {n - split2, "CEPT"}}.Normalize()}
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
		got, err := ApplyEdit(bra, p, o)
		if len(o) == 0 || err != nil {
			return
		}
		checkDelegateEdit(t, "BRA", p, o, got)
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// checkDelegateEdit checks an edit ApplyEdit allowed own against the rules
// read literally.
func checkDelegateEdit(t interface {
	Helper()
	Fatalf(string, ...any)
}, own string, p Paragraph, o ot.Op, got Paragraph) {
	t.Helper()
	after, err := ot.Apply(p.Text, o)
	if err != nil {
		t.Fatalf("allowed an op that does not fit: %v", err)
	}
	authors, err := p.Authors.Apply(o, own)
	if err != nil {
		t.Fatalf("authorship: %v", err)
	}
	if got.Text != after || fmt.Sprint(got.Authors) != fmt.Sprint(authors) {
		t.Fatalf("ApplyEdit result %q %v, want %q %v", got.Text, got.Authors, after, authors)
	}
	if _, err := ParseBrackets(after); err != nil {
		t.Fatalf("allowed %v giving unbalanced %q", o, after)
	}
	n := len([]rune(p.Text))
	moved, insertedAt, _ := opMap(o, n)
	for i, to := range moved {
		if to < 0 && p.Authors.At(i) != own {
			t.Fatalf("allowed deleting %s's code point %d of %q", p.Authors.At(i), i, p.Text)
		}
	}
	hb, ha := naiveHeld(p.Text, p.Authors), naiveHeld(after, authors)
	for i, to := range moved {
		if to >= 0 && hb[i] && !ha[to] {
			t.Fatalf("allowed %v: code point %d of %q (by %s) was held and is not in %q", o, i, p.Text, p.Authors.At(i), after)
		}
	}
	for j, r := range []rune(after) {
		if insertedAt[j] && r != '[' && r != ']' && !unicode.IsSpace(r) && !ha[j] {
			t.Fatalf("allowed %v: inserted %q at %d is not held in %q", o, r, j, after)
		}
	}
}

// TestHoldProperty: random sequences of delegate edits, by several
// delegations, some adversarial, on random paragraphs of original,
// accepted and bracketed text. Every edit ApplyEdit accepts keeps the hold
// rule (checked against the literal definition, across the whole sequence:
// a code point once held stays held while only delegates edit), and the
// rule refuses nothing it should allow: a new pair anywhere outside an
// owned pair, typing in one's own pair, deleting one's own whole pair.
func TestHoldProperty(t *testing.T) {
	delegations := []string{"BRA", "CEPT", "CHN"}
	words := []string{"to", "act", "now", "加强", "合作", "تعزيز", "укрепление", "🌍", "👩🏽‍💻"}
	rapid.Check(t, func(t *rapid.T) {
		// The starting paragraph.
		var p Paragraph
		add := func(text, author string) {
			p.Text += text
			p.Authors = p.Authors.push(len([]rune(text)), author)
		}
		word := func(label string) string { return rapid.SampledFrom(words).Draw(t, label) }
		for k, n := 0, rapid.IntRange(1, 7).Draw(t, "segments"); k < n; k++ {
			if k > 0 {
				add(" ", AuthorOriginal)
			}
			d := rapid.SampledFrom(delegations).Draw(t, "d")
			switch rapid.IntRange(0, 6).Draw(t, "kind") {
			case 0:
				add(word("w"), AuthorOriginal)
			case 1: // accepted words of a delegation
				add(word("w"), d)
			case 2: // a delegation's own pair
				add("["+word("w")+" "+word("w")+"]", d)
			case 3: // nested own pairs
				add("["+word("w")+" ["+word("w")+"]["+word("w")+"]]", d)
			case 4: // a delegation's brackets around the original text
				add("[", d)
				add(word("w"), AuthorOriginal)
				add("]", d)
			case 5: // imported brackets
				add("["+word("w")+"]", AuthorOriginal)
			case 6:
				add(word("w"), AuthorChair)
			}
		}
		p.Status = StatusOpen
		must := naiveHeld(p.Text, p.Authors) // per code point: must stay held
		if got := heldMask(p.Text, p.Authors); fmt.Sprint(got) != fmt.Sprint(must) {
			t.Fatalf("heldMask(%q, %v) = %v, want %v", p.Text, p.Authors, got, must)
		}
		for step, steps := 0, rapid.IntRange(1, 25).Draw(t, "steps"); step < steps; step++ {
			d := rapid.SampledFrom(delegations).Draw(t, "actor")
			actor := Actor{Role: RoleDelegate, Delegation: d}
			o, benign := delegateEdit(t, p, d)
			if rapid.IntRange(0, 9).Draw(t, "chair?") == 0 {
				actor, benign = chair, false
			}
			got, err := ApplyEdit(actor, p, o)
			if err != nil {
				if benign {
					t.Fatalf("refused a benign edit %v by %s of %q %v: %v", o, d, p.Text, p.Authors, err)
				}
				if actor.presides() {
					if re, ok := err.(*RuleError); !ok || re.Rule != RuleBalance {
						t.Fatalf("chair refused for %v", err)
					}
				}
				continue
			}
			moved, _, m := opMap(o, len(must))
			next := make([]bool, m)
			if !actor.presides() {
				checkDelegateEdit(t, d, p, o, got)
				for i, to := range moved {
					if to >= 0 && must[i] {
						next[to] = true
					}
				}
				ha := naiveHeld(got.Text, got.Authors)
				for j := range next {
					if next[j] && !ha[j] {
						t.Fatalf("code point %d of %q lost its hold over the sequence", j, got.Text)
					}
					next[j] = ha[j]
				}
			} else {
				// The chair releases what it un-brackets: from now on,
				// only what is held must stay held.
				next = naiveHeld(got.Text, got.Authors)
			}
			p, must = got, next
		}
	})
}

// delegateEdit draws an edit by delegation d on p, and says whether the
// rules must allow it.
func delegateEdit(t *rapid.T, p Paragraph, d string) (ot.Op, bool) {
	rs := []rune(p.Text)
	n := len(rs)
	b, _ := ParseBrackets(p.Text)
	pos := rapid.IntRange(0, n).Draw(t, "pos")
	at := func(i int, s string) ot.Op { return ot.Normalize(ot.Op{{Skip: i}, {Insert: s}}) }
	// ownersAround lists the owners of the pairs that strictly enclose
	// offset i (a place between code points i-1 and i).
	ownersAround := func(i int) map[string]bool {
		out := map[string]bool{}
		if b == nil {
			return out
		}
		for _, pr := range b.Pairs {
			if o := ownedPair(rs, p.Authors, pr); pr.Open < i && i <= pr.Close && o != "" {
				out[o] = true
			}
		}
		return out
	}
	switch rapid.IntRange(0, 7).Draw(t, "edit") {
	case 0: // a new pair: must be allowed outside every owned pair
		return at(pos, "[new]"), len(ownersAround(pos)) == 0
	case 1: // type at a random place
		return at(pos, rapid.SampledFrom([]string{"x", " ", "加", "[", "]"}).Draw(t, "s")), false
	case 2: // delete a random range
		l := rapid.IntRange(0, n-pos).Draw(t, "len")
		return ot.Normalize(ot.Op{{Skip: pos}, {Delete: l}}), false
	case 3: // bracket a random range
		l := rapid.IntRange(0, n-pos).Draw(t, "len")
		return ot.Normalize(ot.Op{{Skip: pos}, {Insert: "["}, {Skip: l}, {Insert: "]"}}), false
	case 4, 5, 6: // the delegation's own pairs: strip, delete whole, type in
		if b == nil || len(b.Pairs) == 0 {
			return at(pos, "[x]"), false
		}
		pr := b.Pairs[rapid.IntRange(0, len(b.Pairs)-1).Draw(t, "pair")]
		owner := ownedPair(rs, p.Authors, pr)
		switch rapid.IntRange(0, 2).Draw(t, "how") {
		case 0: // strip its brackets (the attack)
			return ot.Normalize(ot.Op{{Skip: pr.Open}, {Delete: 1}, {Skip: pr.Close - pr.Open - 1}, {Delete: 1}}), false
		case 1: // delete it whole: allowed when all of it is d's
			all := true
			for k := pr.Open; k <= pr.Close; k++ {
				all = all && p.Authors.At(k) == d
			}
			return ot.Normalize(ot.Op{{Skip: pr.Open}, {Delete: pr.Close - pr.Open + 1}}), all
		default: // type just inside it: allowed when it is d's own and
			// inside no other delegation's (an empty pair is anyone's)
			owners := ownersAround(pr.Open + 1)
			return at(pr.Open+1, "y"), owner == d && len(owners) == 1
		}
	default: // nest a pair inside a random pair, words and all
		if b == nil || len(b.Pairs) == 0 {
			return at(pos, "[]"), false
		}
		pr := b.Pairs[rapid.IntRange(0, len(b.Pairs)-1).Draw(t, "pair")]
		return at(pr.Open+1, rapid.SampledFrom([]string{"[]", "[z]", " [z]", "[z] "}).Draw(t, "nest")), false
	}
}

// ownedPair returns the delegation that owns pair pr of rs, or "".
func ownedPair(rs []rune, authors Authorship, pr Pair) string {
	a := authors.At(pr.Open)
	if !isDelegation(a) || authors.At(pr.Close) != a {
		return ""
	}
	for k := pr.Open + 1; k < pr.Close; k++ {
		if rs[k] != '[' && rs[k] != ']' && authors.At(k) != a {
			return ""
		}
	}
	return a
}
