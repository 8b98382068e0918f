package palette

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/server/internal/delegation"
)

// testdata/vectors.json holds codes and their palette index. The web
// client's unit test checks its own function against the same file, so the
// two implementations cannot drift apart.
func TestIndexMatchesVectors(t *testing.T) {
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]int
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if len(want) < 20 {
		t.Fatalf("only %d vectors", len(want))
	}
	for code, i := range want {
		if got := Index(code); got != i {
			t.Errorf("Index(%q) = %d, want %d", code, got, i)
		}
	}
}

// Every regional group of the registry has a colour of its own, and no
// Member State takes one of theirs.
func TestGroupsHaveTheirOwnColours(t *testing.T) {
	if Len() < 16 {
		t.Fatalf("%d colours, want at least 16", Len())
	}
	reg := delegation.Default()
	taken := map[int]string{}
	for _, d := range reg.All() {
		if d.Kind != delegation.KindGroup {
			continue
		}
		if _, ok := groups[d.Code]; !ok {
			t.Errorf("group %s has no fixed colour in palette.json", d.Code)
		}
		i := Index(d.Code)
		if other, ok := taken[i]; ok {
			t.Errorf("%s and %s share colour %d", d.Code, other, i)
		}
		taken[i] = d.Code
	}
	used := map[int]int{}
	for _, d := range reg.All() {
		if d.Kind != delegation.KindState {
			continue
		}
		i := Index(d.Code)
		if g, ok := taken[i]; ok {
			t.Errorf("state %s has the colour of group %s", d.Code, g)
		}
		used[i]++
	}
	// The hash spreads the states over every remaining colour.
	if len(used) != len(hashed) {
		t.Errorf("states use %d of the %d colours left to them: %v", len(used), len(hashed), used)
	}
}

func TestHexClassAndCSS(t *testing.T) {
	if Hex("chair") != chair || Class("chair") != "au-chair" {
		t.Errorf("chair: %s %s", Hex("chair"), Class("chair"))
	}
	if Hex("CEPT") != colours[groups["CEPT"]] || Class("CEPT") != "au-c3" {
		t.Errorf("CEPT: %s %s", Hex("CEPT"), Class("CEPT"))
	}
	css := CSS()
	for _, code := range []string{"BRA", "CEPT", "chair"} {
		rule := "." + Class(code) + "{background:" + Hex(code) + "}"
		if !strings.Contains(css, rule) {
			t.Errorf("CSS lacks %s: %s", rule, css)
		}
	}
}
