package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// MaxRefLength bounds a client-chosen ref.
const MaxRefLength = 128

// ClientMessage is a decoded client → server frame: Edit, Action or
// PresenceUpdate (or Invalid, alongside an error).
type ClientMessage interface {
	Ref() string
}

// Ref returns the edit's ref.
func (e Edit) Ref() string { return e.RefID }

// Invalid stands for a frame that could not be decoded; it carries the ref
// when one could be read, so the error frame can name it.
type Invalid struct{ RefID string }

// Ref returns the ref read from the invalid frame, if any.
func (i Invalid) Ref() string { return i.RefID }

// Ref returns "": presence updates are not acknowledged.
func (PresenceUpdate) Ref() string { return "" }

// Action is a structural or procedural request (status, focus, proposals…).
// Fields holds the whole frame for the kind's own decoder.
type Action struct {
	Type   string          `json:"type"`
	RefID  string          `json:"ref"`
	Kind   string          `json:"kind"`
	Fields json.RawMessage `json:"-"`
}

// Ref returns the action's ref.
func (a Action) Ref() string { return a.RefID }

// clientFrame is every field a client frame may carry that the decoder
// reads, so that the JSON is parsed once on the way in; an edit's op is
// kept raw for the op decoder.
type clientFrame struct {
	Type string          `json:"type"`
	Ref  json.RawMessage `json:"ref"`
	Kind string          `json:"kind"`
	Para *string         `json:"para"`
	Base *int64          `json:"base"`
	Op   json.RawMessage `json:"op"`
}

// DecodeClientMessage decodes and validates one client frame. It never
// panics on any input; every refusal says what was wrong.
func DecodeClientMessage(data []byte) (ClientMessage, error) {
	var f clientFrame
	if err := json.Unmarshal(data, &f); err != nil {
		return explainBadFrame(data, err)
	}
	ref, err := readRef(f.Ref)
	if err != nil {
		return Invalid{}, err
	}
	switch f.Type {
	case TypeEdit:
		switch {
		case ref == "":
			return Invalid{ref}, errors.New("edit: ref is required")
		case f.Para == nil || *f.Para == "":
			return Invalid{ref}, errors.New("edit: para is required")
		case f.Base == nil || *f.Base < 0:
			return Invalid{ref}, errors.New("edit: base must be a seq (a non-negative integer)")
		case len(f.Op) == 0:
			return Invalid{ref}, errors.New("edit: op is required")
		}
		e := Edit{Type: TypeEdit, RefID: ref, Para: *f.Para, Base: *f.Base}
		if err := json.Unmarshal(f.Op, &e.Op); err != nil {
			return Invalid{ref}, fmt.Errorf("edit: %v", err)
		}
		return e, nil
	case TypePresence:
		return PresenceUpdate{Type: TypePresence, Para: f.Para}, nil
	case TypeAction:
		if f.Kind == "" {
			return Invalid{ref}, errors.New("action: kind is required")
		}
		// The kind's own fields are read by the room, from the whole frame.
		return Action{Type: TypeAction, RefID: ref, Kind: f.Kind, Fields: append(json.RawMessage(nil), data...)}, nil
	case "":
		return Invalid{ref}, errors.New("message has no type")
	default:
		return Invalid{ref}, fmt.Errorf("unknown message type %q", f.Type)
	}
}

func readRef(raw json.RawMessage) (string, error) {
	var ref string
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return "", nil
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		return "", errors.New("ref must be a string")
	}
	if len(ref) > MaxRefLength {
		return "", fmt.Errorf("ref is longer than %d bytes", MaxRefLength)
	}
	return ref, nil
}

// explainBadFrame says what was wrong with a frame that did not decode,
// naming its type and ref when those at least can be read.
func explainBadFrame(data []byte, err error) (ClientMessage, error) {
	var head struct {
		Type string          `json:"type"`
		Ref  json.RawMessage `json:"ref"`
	}
	if json.Unmarshal(data, &head) != nil {
		return Invalid{}, fmt.Errorf("not a JSON object with a type: %v", err)
	}
	ref, rerr := readRef(head.Ref)
	if rerr != nil {
		return Invalid{}, rerr
	}
	what := head.Type
	if what == "" {
		what = "message"
	}
	return Invalid{ref}, fmt.Errorf("%s: %v", what, err)
}
