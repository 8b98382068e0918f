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

// DecodeClientMessage decodes and validates one client frame. It never
// panics on any input; every refusal says what was wrong.
func DecodeClientMessage(data []byte) (ClientMessage, error) {
	var head struct {
		Type string          `json:"type"`
		Ref  json.RawMessage `json:"ref"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return Invalid{}, fmt.Errorf("not a JSON object with a type: %v", err)
	}
	var ref string
	if len(head.Ref) > 0 && !bytes.Equal(head.Ref, []byte("null")) {
		if err := json.Unmarshal(head.Ref, &ref); err != nil {
			return Invalid{}, errors.New("ref must be a string")
		}
		if len(ref) > MaxRefLength {
			return Invalid{}, fmt.Errorf("ref is longer than %d bytes", MaxRefLength)
		}
	}
	switch head.Type {
	case TypeEdit:
		var raw struct {
			Para *string         `json:"para"`
			Base *int64          `json:"base"`
			Op   json.RawMessage `json:"op"`
		}
		if err := json.Unmarshal(data, &raw); err != nil {
			return Invalid{ref}, fmt.Errorf("edit: %v", err)
		}
		switch {
		case ref == "":
			return Invalid{ref}, errors.New("edit: ref is required")
		case raw.Para == nil || *raw.Para == "":
			return Invalid{ref}, errors.New("edit: para is required")
		case raw.Base == nil || *raw.Base < 0:
			return Invalid{ref}, errors.New("edit: base must be a seq (a non-negative integer)")
		case len(raw.Op) == 0:
			return Invalid{ref}, errors.New("edit: op is required")
		}
		e := Edit{Type: TypeEdit, RefID: ref, Para: *raw.Para, Base: *raw.Base}
		if err := json.Unmarshal(raw.Op, &e.Op); err != nil {
			return Invalid{ref}, fmt.Errorf("edit: %v", err)
		}
		return e, nil
	case TypePresence:
		var p PresenceUpdate
		if err := json.Unmarshal(data, &p); err != nil {
			return Invalid{ref}, fmt.Errorf("presence: %v", err)
		}
		return p, nil
	case TypeAction:
		var a Action
		if err := json.Unmarshal(data, &a); err != nil {
			return Invalid{ref}, fmt.Errorf("action: %v", err)
		}
		if a.Kind == "" {
			return Invalid{ref}, errors.New("action: kind is required")
		}
		a.Fields = append(json.RawMessage(nil), data...)
		return a, nil
	case "":
		return Invalid{ref}, errors.New("message has no type")
	default:
		return Invalid{ref}, fmt.Errorf("unknown message type %q", head.Type)
	}
}
