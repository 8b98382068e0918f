package draft

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// lcsLen is the textbook dynamic programme, the reference for small inputs.
func lcsLen(a, b []int32) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				cur[j] = prev[j+1] + 1
			} else {
				cur[j] = max(prev[j], cur[j+1])
			}
		}
		prev, cur = cur, prev
	}
	return prev[0]
}

// kept returns the elements not marked.
func kept(s []int32, marked []bool) []int32 {
	var out []int32
	for i, v := range s {
		if !marked[i] {
			out = append(out, v)
		}
	}
	return out
}

// Myers finds a longest common subsequence exactly while the differences
// stay under the cost bound, and a common subsequence (correct, maybe not
// longest) past it.
func TestDiffSeq(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		alphabet := rapid.IntRange(1, 6).Draw(t, "alphabet")
		gen := rapid.SliceOfN(rapid.Int32Range(0, int32(alphabet-1)), 0, 60)
		a, b := gen.Draw(t, "a"), gen.Draw(t, "b")
		cost := rapid.SampledFrom([]int{1, 2, 3, 7, minMaxCost}).Draw(t, "cost")
		da, ib := diffSeqCost(a, b, cost)
		ka, kb := kept(a, da), kept(b, ib)
		if !slices.Equal(ka, kb) {
			t.Fatalf("kept %v of a and %v of b differ", ka, kb)
		}
		if cost == minMaxCost && len(ka) != lcsLen(a, b) {
			t.Fatalf("common subsequence of %d, the longest has %d", len(ka), lcsLen(a, b))
		}
	})
}

func TestDiffSeqLarge(t *testing.T) {
	// Two unrelated sequences of 20,000 elements: the bound keeps this
	// fast, and the result is still a common subsequence.
	a, b := make([]int32, 20_000), make([]int32, 20_000)
	x := uint32(1)
	for i := range a {
		x = x*1664525 + 1013904223
		a[i] = int32(x>>24) % 50
		x = x*1664525 + 1013904223
		b[i] = int32(x>>24) % 50
	}
	da, ib := diffSeq(a, b)
	ka, kb := kept(a, da), kept(b, ib)
	if !slices.Equal(ka, kb) || len(ka) == 0 {
		t.Fatalf("kept %d and %d elements, not one common subsequence", len(ka), len(kb))
	}
}
