// Package palette gives each delegation its colour. The colours and the
// rule are defined once, in palette.json, which the web client imports at
// build time and this package embeds, so every screen and every export
// shows a delegation in the same colour.
package palette

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

//go:embed palette.json
var raw []byte

type file struct {
	Chair   string `json:"chair"`
	Colours []struct {
		Hex string `json:"hex"`
	} `json:"colours"`
	Groups map[string]int `json:"groups"`
}

var (
	colours []string
	chair   string
	groups  map[string]int
	hashed  []int // the indices not reserved for a group, in order
)

func init() {
	var f file
	if err := json.Unmarshal(raw, &f); err != nil {
		panic(fmt.Sprintf("palette.json: %v", err))
	}
	for _, c := range f.Colours {
		colours = append(colours, c.Hex)
	}
	chair, groups = f.Chair, f.Groups
	reserved := map[int]bool{}
	for _, i := range groups {
		if i < 0 || i >= len(colours) || reserved[i] {
			panic(fmt.Sprintf("palette.json: group index %d is out of range or used twice", i))
		}
		reserved[i] = true
	}
	for i := range colours {
		if !reserved[i] {
			hashed = append(hashed, i)
		}
	}
	if len(hashed) == 0 {
		panic("palette.json: every colour is reserved for a group")
	}
}

// hash is the 32-bit FNV-1a hash of s's UTF-8 bytes, mixed by MurmurHash3's
// finalizer: FNV-1a alone spreads three-letter codes badly over a few
// buckets (its low bits follow the low bits of the bytes). The web client
// computes the same.
func hash(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}

// Index is the palette index of a delegation code: a regional group's
// fixed colour, or a hash of the code into the other colours.
func Index(code string) int {
	if i, ok := groups[code]; ok {
		return i
	}
	return hashed[hash(code)%uint32(len(hashed))]
}

// Len is the number of colours.
func Len() int { return len(colours) }

// Hex is a delegation's colour ("#C9ACE6"); the chair has a grey of its
// own.
func Hex(code string) string {
	if code == "chair" {
		return chair
	}
	return colours[Index(code)]
}

// Class is the CSS class of a delegation's colour, the same in the web
// client and the HTML export: "au-c3", or "au-chair".
func Class(code string) string {
	if code == "chair" {
		return "au-chair"
	}
	return fmt.Sprintf("au-c%d", Index(code))
}

// CSS is the style rules behind Class: each class's background.
func CSS() string {
	var b strings.Builder
	fmt.Fprintf(&b, ".au-chair{background:%s}", chair)
	for i, c := range colours {
		fmt.Fprintf(&b, ".au-c%d{background:%s}", i, c)
	}
	return b.String()
}
