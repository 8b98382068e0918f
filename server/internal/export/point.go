package export

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/wire"
)

// At names a moment of a document unambiguously: the working text (the
// zero At), a frozen version by its label, or a seq.
type At struct {
	Label  string
	Seq    int64
	HasSeq bool
}

// ParseAt reads a version label and a seq given apart, as ?version= and
// ?seq= (or --version and --seq) are: at most one of them.
func ParseAt(label, seq string) (At, error) {
	label, seq = strings.TrimSpace(label), strings.TrimSpace(seq)
	switch {
	case label != "" && seq != "":
		return At{}, fmt.Errorf("%w: give a version label or a seq, not both", ErrBadVersion)
	case seq != "":
		n, err := strconv.ParseInt(seq, 10, 64)
		if err != nil || n < 0 {
			return At{}, fmt.Errorf("%w: a seq is a non-negative integer, not %q", ErrBadVersion, seq)
		}
		return At{Seq: n, HasSeq: true}, nil
	}
	return At{Label: label}, nil
}

// LoadAt reads document id at a.
func LoadAt(ctx context.Context, st *store.Store, id uuid.UUID, a At) (*Point, error) {
	if ok, err := st.DocumentExists(ctx, id); err != nil {
		return nil, err
	} else if !ok {
		return nil, fmt.Errorf("no document %s: %w", id, store.ErrNotFound)
	}
	switch {
	case a.HasSeq:
		if a.Seq < 0 {
			return nil, fmt.Errorf("%w: a seq is a non-negative integer, not %d", ErrBadVersion, a.Seq)
		}
		d, err := st.DocumentAt(ctx, id, a.Seq)
		if err != nil {
			return nil, err
		}
		return &Point{Doc: withLang(ctx, st, id, d), Time: opTime(ctx, st, id, a.Seq)}, nil
	case a.Label == "":
		d, err := st.GetDocument(ctx, id)
		if err != nil {
			return nil, err
		}
		return &Point{Doc: d, Time: opTime(ctx, st, id, d.Seq)}, nil
	}
	// Labels frozen before labels were checked may break today's rule,
	// so the lookup asks only what no label could hold.
	if strings.ContainsAny(a.Label, "/?#%\x00\n\r") || len(a.Label) > 256 {
		return nil, fmt.Errorf("%w: %q is not a version label", ErrBadVersion, a.Label)
	}
	v, err := st.GetVersion(ctx, id, a.Label)
	if err != nil {
		return nil, err
	}
	var d wire.Document
	if err := json.Unmarshal([]byte(v.Content), &d); err != nil {
		return nil, fmt.Errorf("version %s: %w", v.Label, err)
	}
	return &Point{Doc: withLang(ctx, st, id, &d), Label: v.Label, Time: v.CreatedAt}, nil
}

// loadLabelOrSeq is the older form, where one value named a label or a
// seq: a version of that label if there is one, else, when the value is
// all digits, that seq. New labels always hold a letter
// (draft.CheckVersionLabel), so only labels frozen before that rule can
// be all digits, and those are found first.
func loadLabelOrSeq(ctx context.Context, st *store.Store, id uuid.UUID, point string) (*Point, error) {
	point = strings.TrimSpace(point)
	p, err := LoadAt(ctx, st, id, At{Label: point})
	if err == nil || point == "" || !errors.Is(err, store.ErrNotFound) {
		return p, err
	}
	seq, perr := strconv.ParseInt(point, 10, 64)
	if perr != nil {
		return nil, err
	}
	if ok, derr := st.DocumentExists(ctx, id); derr != nil || !ok {
		return nil, err // the document is missing: say that
	}
	return LoadAt(ctx, st, id, At{Seq: seq, HasSeq: true})
}
