package document

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/wire"
)

// Frozen is a version of the document: its canonical JSON and what
// describes it.
type Frozen struct {
	Info    wire.VersionInfo
	Content string // canonical JSON of the document
	Counts  []byte // Info.Counts as JSON
}

// Freeze renders the document as the version labelled label, made by the
// op numbered seq at time at. The content is the document as the read API
// shows it at that seq, without its language (versions have never carried
// it: it is the document's, and export adds it back) and without the
// floor.
func (m *Model) Freeze(label string, seq int64, at time.Time) Frozen {
	doc := m.ToWire()
	doc.Seq = seq
	doc.Lang = ""
	doc.Floor = nil // the room's procedure, not the text
	content, sum := CanonicalJSON(doc)
	counts := m.Counts()
	countsJSON, _ := json.Marshal(counts)
	return Frozen{
		Info:    wire.VersionInfo{Label: label, Seq: seq, SHA256: sum, CreatedAt: at.Format(time.RFC3339Nano), Counts: counts},
		Content: content,
		Counts:  countsJSON,
	}
}

// NextLabel is the first of Rev.1, Rev.2, … not taken, counting from the
// number of versions there are.
func NextLabel(taken map[string]bool) string {
	for n := len(taken) + 1; ; n++ {
		if label := "Rev." + strconv.Itoa(n); !taken[label] {
			return label
		}
	}
}

// CanonicalJSON encodes v with sorted keys and no HTML escaping, and
// returns it with its SHA-256 in hex. The same document always gives the
// same bytes, so the hash can be recomputed to verify a version.
func CanonicalJSON(v any) (string, string) {
	b, err := json.Marshal(v)
	if err != nil {
		panic("document: encode version: " + err.Error())
	}
	out, err := Canonicalize(b)
	if err != nil {
		panic("document: canonicalize version: " + err.Error())
	}
	sum := sha256.Sum256(out)
	return string(out), hex.EncodeToString(sum[:])
}

// Canonicalize re-encodes JSON with object keys sorted (encoding/json sorts
// map keys), numbers kept exact, and no HTML escaping.
func Canonicalize(b []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Counts summarizes the document for a version: paragraphs, how many are
// agreed, and the open bracket groups, in all and by author.
func (m *Model) Counts() wire.VersionCounts {
	c := wire.VersionCounts{BracketsByAuthor: map[string]int{}}
	for _, s := range m.sections {
		for _, p := range s.paras {
			c.Paragraphs++
			switch p.status {
			case draft.StatusAgreed:
				c.Agreed++
			case draft.StatusAgreedAdRef:
				c.AgreedAdRef++
			}
			groups, err := draft.ParagraphGroups(p.text, p.runs)
			if err != nil {
				continue
			}
			for _, g := range groups {
				if g.Depth != 0 {
					continue
				}
				c.OpenBrackets++
				for _, a := range g.Authors {
					c.BracketsByAuthor[a]++
				}
			}
		}
	}
	return c
}
