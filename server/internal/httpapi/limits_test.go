package httpapi

import (
	"strings"
	"testing"

	"github.com/draftroom/draftroom/server/internal/document"
	"github.com/draftroom/draftroom/server/internal/room"
	"github.com/draftroom/draftroom/server/wire"
)

// The size limits answer with clear errors and change nothing.
func TestSizeLimits(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{Limits: document.Limits{MaxParagraph: 40, MaxParagraphs: 5}})
	chair := e.dial(e.token("chair", ""))
	p3 := e.paras["3"] // "to report back;": 15 code points
	r := chair.edit(p3, `[3,"`+strings.Repeat("ж", 30)+`"]`)
	refused(t, "paragraph over the limit", r, wire.CodeInvalid, "the limit is 40")
	accepted(t, "paragraph at the limit", chair.edit(p3, `[3,"`+strings.Repeat("ж", 25)+`"]`))
	r = chair.action(wire.KindParagraphInsert, map[string]any{"section": e.secs[1], "after": nil, "label": "0", "text": strings.Repeat("x", 41)})
	refused(t, "new paragraph over the limit", r, wire.CodeInvalid, "the limit is 40")
	accepted(t, "fifth paragraph", chair.action(wire.KindParagraphInsert, map[string]any{"section": e.secs[1], "after": nil, "label": "0", "text": "ok"}))
	r = chair.action(wire.KindParagraphInsert, map[string]any{"section": e.secs[1], "after": nil, "label": "00", "text": "one too many"})
	refused(t, "sixth paragraph", r, wire.CodeInvalid, "already has 5 paragraphs")
	if n := len(e.document().Sections[1].Paragraphs); n != 4 {
		t.Fatalf("operative paragraphs = %d, want 4", n)
	}
}
