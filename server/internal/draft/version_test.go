package draft

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckVersionLabel(t *testing.T) {
	for _, ok := range []string{"Rev.1", "Rev. 2 (final)", "Ред.3", "مراجعة 1", "修订 2", "Draft-3_b", "1st reading", "A", "Rev.1+errata", "WG-PLEN: Rev.4"} {
		if err := CheckVersionLabel(ok); err != nil {
			t.Errorf("CheckVersionLabel(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", " ", "\t", ".", "..", "5", "0042", "1.2", " Rev.1", "Rev.1 ", "Rev  1", "Rev/1", "Rev?1", "Rev#1", "Rev%1",
		"Rev\x001", "Rev\n1", "Rev\u202e1", "😀", "-Rev", strings.Repeat("a", 65), "\xff"} {
		if err := CheckVersionLabel(bad); !errors.Is(err, ErrVersionLabel) {
			t.Errorf("CheckVersionLabel(%q) = %v, want ErrVersionLabel", bad, err)
		}
	}
}
