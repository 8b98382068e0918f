package room

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/wire"
)

// ErrVersionExists means the label is taken.
var ErrVersionExists = errors.New("a version with that label exists")

// ErrInvalidLabel means a version label cannot be used.
var ErrInvalidLabel = errors.New("invalid version label")

type msgFreeze struct {
	who   Participant
	label string
	reply chan freezeReply
}

type freezeReply struct {
	info wire.VersionInfo
	err  error
}

// Freeze freezes the document's current state as a version. It returns
// after the version is committed, with its op in everyone's stream.
func (h *Hub) Freeze(ctx context.Context, doc uuid.UUID, who Participant, label string) (wire.VersionInfo, error) {
	if label != "" { // "" is the next free Rev.N
		if err := draft.CheckVersionLabel(label); err != nil {
			return wire.VersionInfo{}, fmt.Errorf("%w: %w", ErrInvalidLabel, err)
		}
	}
	if err := wire.CheckText(label); err != nil {
		// The database cannot store it; refused here, not at commit.
		return wire.VersionInfo{}, fmt.Errorf("%w: %v", ErrInvalidLabel, err)
	}
	r, err := h.acquire(doc)
	if err != nil {
		return wire.VersionInfo{}, err
	}
	defer h.release(r)
	reply := make(chan freezeReply, 1)
	select {
	case r.in <- msgFreeze{who: who, label: label, reply: reply}:
	case <-r.done:
		return wire.VersionInfo{}, ErrClosed
	case <-ctx.Done():
		return wire.VersionInfo{}, ctx.Err()
	}
	select {
	case rep := <-reply:
		return rep.info, rep.err
	case <-ctx.Done():
		return wire.VersionInfo{}, ctx.Err()
	}
}

func (r *Room) onFreeze(f msgFreeze) {
	fail := func(err error) { f.reply <- freezeReply{err: err} }
	if r.closing {
		fail(ErrClosed)
		return
	}
	if r.state == nil || r.broken {
		if err := r.recover(); err != nil {
			fail(err)
			return
		}
	}
	label := f.label
	if label == "" {
		for n := len(r.versions) + 1; ; n++ {
			label = "Rev." + strconv.Itoa(n)
			if !r.versions[label] {
				break
			}
		}
	}
	if r.versions[label] {
		fail(fmt.Errorf("%w: %q", ErrVersionExists, label))
		return
	}
	st := r.state
	now := r.cfg.Now().UTC().Truncate(time.Microsecond)
	doc := st.live.toWire()
	doc.Seq = st.seq + 1
	content, sum := canonicalJSON(doc)
	counts := countsOf(st.live)
	info := wire.VersionInfo{Label: label, Seq: doc.Seq, SHA256: sum, CreatedAt: now.Format(time.RFC3339Nano), Counts: counts}
	countsJSON, _ := json.Marshal(counts)
	var createdBy *uuid.UUID
	if id, err := uuid.Parse(f.who.ID); err == nil {
		createdBy = &id
	}
	raw, _ := json.Marshal(wire.OpData{Version: &info})
	a := &accepted{
		op: wire.Op{Kind: wire.KindVersionFreeze, Author: f.who.actor().Author(), Delegation: f.who.Delegation,
			Participant: f.who.ID, Ref: "freeze:" + label, At: now, Data: raw},
		touch:  touched{version: &store.VersionRow{Label: label, Seq: doc.Seq, Content: content, SHA256: sum, Counts: countsJSON, CreatedBy: createdBy, CreatedAt: now}},
		freeze: &f,
		info:   info,
	}
	r.versions[label] = true
	r.push(a)
}

// canonicalJSON encodes v with sorted keys and no HTML escaping, and
// returns it with its SHA-256 in hex. The same document always gives the
// same bytes, so the hash can be recomputed to verify a version.
func canonicalJSON(v any) (string, string) {
	b, err := json.Marshal(v)
	if err != nil {
		panic("room: encode version: " + err.Error())
	}
	out, err := Canonicalize(b)
	if err != nil {
		panic("room: canonicalize version: " + err.Error())
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

// countsOf summarizes a document for a version.
func countsOf(m *model) wire.VersionCounts {
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
