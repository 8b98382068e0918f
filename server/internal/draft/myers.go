package draft

// The diff engine: Myers' O((N+M)D) algorithm in its linear-space form
// (divide and conquer on the middle snake), over sequences of interned
// tokens. It is the same algorithm as git's xdiff, including xdiff's bound
// for pathological inputs: when the search for a middle snake has cost more
// than maxCost edits it stops and splits the box at the furthest point
// either search reached. The result is then still a correct edit script,
// only no longer the shortest one, and the time stays near
// O((N+M)·maxCost·log(N+M)) however different the inputs are.

// diffSeq compares a and b and returns, for each, which elements are not
// part of the common subsequence: deleted from a (da) and inserted in b
// (ib). The unmarked elements of a and of b, taken in order, are equal.
func diffSeq(a, b []int32) (da, ib []bool) {
	return diffSeqCost(a, b, max(minMaxCost, isqrt(len(a)+len(b)+3)))
}

// diffSeqCost is diffSeq with the search cost bound given.
func diffSeqCost(a, b []int32, maxCost int) (da, ib []bool) {
	d := differ{a: a, b: b, da: make([]bool, len(a)), ib: make([]bool, len(b)), maxCost: maxCost}
	n := len(a) + len(b) + 3
	d.off = len(b) + 1
	d.fwd = make([]int, n)
	d.bwd = make([]int, n)
	d.compare(0, len(a), 0, len(b))
	return d.da, d.ib
}

// minMaxCost is the least search cost allowed before the heuristic split,
// as in xdiff: small differences are always found exactly.
const minMaxCost = 256

type differ struct {
	a, b     []int32
	da, ib   []bool
	fwd, bwd []int // furthest x reached on each diagonal k = x - y, at k+off
	off      int
	maxCost  int
}

// compare diffs a[x0:x1] against b[y0:y1].
func (d *differ) compare(x0, x1, y0, y1 int) {
	for {
		for x0 < x1 && y0 < y1 && d.a[x0] == d.b[y0] {
			x0++
			y0++
		}
		for x0 < x1 && y0 < y1 && d.a[x1-1] == d.b[y1-1] {
			x1--
			y1--
		}
		switch {
		case x0 == x1:
			for y := y0; y < y1; y++ {
				d.ib[y] = true
			}
			return
		case y0 == y1:
			for x := x0; x < x1; x++ {
				d.da[x] = true
			}
			return
		}
		sx, sy := d.split(x0, x1, y0, y1)
		if (sx == x0 && sy == y0) || (sx == x1 && sy == y1) {
			// No progress possible (cannot happen with a sound split,
			// but a loop here would hang the caller): replace the box.
			for x := x0; x < x1; x++ {
				d.da[x] = true
			}
			for y := y0; y < y1; y++ {
				d.ib[y] = true
			}
			return
		}
		// Recurse on the smaller half, loop on the larger, so the stack
		// stays logarithmic.
		if (sx-x0)+(sy-y0) < (x1-sx)+(y1-sy) {
			d.compare(x0, sx, y0, sy)
			x0, y0 = sx, sy
		} else {
			d.compare(sx, x1, sy, y1)
			x1, y1 = sx, sy
		}
	}
}

// split finds the point where a shortest edit path through the box crosses
// its middle diagonal band (the middle snake), or, past maxCost, the
// furthest point a search reached. The box's two ends differ (compare has
// trimmed equal elements from both).
func (d *differ) split(x0, x1, y0, y1 int) (int, int) {
	a, b, fwd, bwd, off := d.a, d.b, d.fwd, d.bwd, d.off
	kmin, kmax := x0-y1, x1-y0
	fmid, bmid := x0-y0, x1-y1
	odd := (fmid-bmid)&1 != 0
	fmin, fmax := fmid, fmid
	bmin, bmax := bmid, bmid
	fwd[fmid+off] = x0
	bwd[bmid+off] = x1
	for cost := 1; ; cost++ {
		// Extend the forward search by one edit.
		if fmin > kmin {
			fmin--
			fwd[fmin-1+off] = -1
		} else {
			fmin++
		}
		if fmax < kmax {
			fmax++
			fwd[fmax+1+off] = -1
		} else {
			fmax--
		}
		for k := fmax; k >= fmin; k -= 2 {
			var x int
			if fwd[k-1+off] >= fwd[k+1+off] {
				x = fwd[k-1+off] + 1
			} else {
				x = fwd[k+1+off]
			}
			y := x - k
			for x < x1 && y < y1 && a[x] == b[y] {
				x++
				y++
			}
			fwd[k+off] = x
			if odd && bmin <= k && k <= bmax && bwd[k+off] <= x {
				return x, y
			}
		}
		// And the backward search.
		if bmin > kmin {
			bmin--
			bwd[bmin-1+off] = maxInt
		} else {
			bmin++
		}
		if bmax < kmax {
			bmax++
			bwd[bmax+1+off] = maxInt
		} else {
			bmax--
		}
		for k := bmax; k >= bmin; k -= 2 {
			var x int
			if bwd[k-1+off] < bwd[k+1+off] {
				x = bwd[k-1+off]
			} else {
				x = bwd[k+1+off] - 1
			}
			y := x - k
			for x > x0 && y > y0 && a[x-1] == b[y-1] {
				x--
				y--
			}
			bwd[k+off] = x
			if !odd && fmin <= k && k <= fmax && x <= fwd[k+off] {
				return x, y
			}
		}
		if cost < d.maxCost {
			continue
		}
		// Too expensive: split where either search got furthest.
		fbest, fx := -1, 0
		for k := fmax; k >= fmin; k -= 2 {
			x := min(fwd[k+off], x1)
			y := x - k
			if y1 < y {
				x, y = y1+k, y1
			}
			if fbest < x+y {
				fbest, fx = x+y, x
			}
		}
		bbest, bx := maxInt, 0
		for k := bmax; k >= bmin; k -= 2 {
			x := max(x0, bwd[k+off])
			y := x - k
			if y < y0 {
				x, y = y0+k, y0
			}
			if x+y < bbest {
				bbest, bx = x+y, x
			}
		}
		if (x1+y1)-bbest < fbest-(x0+y0) {
			return fx, fbest - fx
		}
		return bx, bbest - bx
	}
}

const maxInt = int(^uint(0) >> 1)

// isqrt is the integer square root of n >= 0.
func isqrt(n int) int {
	if n < 2 {
		return n
	}
	r := n
	for x := (r + 1) / 2; x < r; x = (x + n/x) / 2 {
		r = x
	}
	return r
}

// diffTokens compares two token lists by their text, as diffSeq does.
func diffTokens(a, b []token) (del, ins []bool) {
	in := interner{}
	ids := func(ts []token) []int32 {
		out := make([]int32, len(ts))
		for i, t := range ts {
			out[i] = in.id(t.text)
		}
		return out
	}
	return diffSeq(ids(a), ids(b))
}

// runEnd is the end of the run of marked elements that starts at i (i
// itself if it is not marked).
func runEnd(marked []bool, i int) int {
	for i < len(marked) && marked[i] {
		i++
	}
	return i
}

// interner gives equal strings equal ids.
type interner map[string]int32

func (in interner) id(s string) int32 {
	if v, ok := in[s]; ok {
		return v
	}
	v := int32(len(in))
	in[s] = v
	return v
}
