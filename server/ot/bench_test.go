package ot

import (
	"slices"
	"strings"
	"testing"
)

// A ~6 KB resolution mixing scripts, and the kind of op a typist sends:
// a skip to somewhere in the middle, a few characters, maybe a deletion.
var (
	benchDoc = strings.Repeat("The Assembly, recalling resolution 217 A (III), "+
		"مرحبا بالعالم — 你好世界 — Привет мир 👩🏽‍💻🇧🇷. ", 50)
	benchOp    = Op{sk(2500), ins("amended "), delText("The Assembly")}
	benchOther = Op{sk(1200), ins("👍🏿"), sk(1400), del(3)}
	benchJSON  = []byte(`[2500,"amended 👍🏿",{"d":"The Assembly"}]`)
)

func BenchmarkApply(b *testing.B) {
	// Line the delete text up with the document so Apply succeeds.
	op := slices.Clone(benchOp)
	r := []rune(benchDoc)
	op[2] = delText(string(r[2500:2512]))
	b.SetBytes(int64(len(benchDoc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Apply(benchDoc, op); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTransform(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Transform(benchOp, benchOther, Left)
	}
}

func BenchmarkCompose(b *testing.B) {
	next := Op{sk(2508), ins("x")}
	b.ReportAllocs()
	for b.Loop() {
		Compose(benchOp, next)
	}
}

func BenchmarkDecode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(benchJSON); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalJSON(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := benchOp.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}
