package room

import (
	"context"
	"strings"

	"github.com/google/uuid"
)

// msgRename tells an open room its document's new title.
type msgRename struct{ title string }

// Rename sets a document's title in the database and in its room, if the
// room is open on this node, so that welcome frames and versions frozen
// from now on carry it. Rooms open on other nodes take it when they next
// load the document.
func (h *Hub) Rename(ctx context.Context, doc uuid.UUID, title string) error {
	title = strings.TrimSpace(title)
	if err := h.cfg.Store.RenameDocument(ctx, doc, title); err != nil {
		return err
	}
	h.mu.Lock()
	r := h.rooms[doc]
	h.mu.Unlock()
	if r != nil {
		r.post(msgRename{title: title})
	}
	return nil
}

func (r *Room) onRename(m msgRename) {
	if r.state == nil {
		return // not loaded yet: the load reads the new title
	}
	r.state.live.title = m.title
	r.state.durable.title = m.title
	r.welcome = nil
}
