// Package roster reads the roster a secretariat enrols a document's
// participants from: a CSV file with one participant per line (role,
// delegation, name, and an optional expiry). It is pure: bytes in,
// entries or line-numbered errors out.
package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/delegation"
)

// Limits on a roster.
const (
	MaxBytes   = 1 << 20 // the file
	MaxEntries = 2000    // participants
	MaxName    = 200     // characters in a name
	maxErrors  = 10      // errors reported before giving up
)

// Roles a roster may name. Admins are not bound to a document, so they
// are created on their own (draftroom token create --role admin).
var Roles = []string{"chair", "delegate", "rapporteur", "observer"}

// Entry is one participant of a roster.
type Entry struct {
	Line       int // the line it was read from, from 1
	Role       string
	Delegation string // a registry code, upper case; delegates only
	Name       string // may be empty: the server names it
	Expires    *time.Time
}

// LineError is a problem on one line.
type LineError struct {
	Line int // 0: the file as a whole
	Msg  string
}

func (e LineError) Error() string {
	if e.Line == 0 {
		return e.Msg
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

// Errors are the problems found in a roster, in line order. A roster with
// any problem is refused whole.
type Errors []LineError

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// column names a header may use, by field.
var columns = map[string]string{
	"role": "role", "delegation": "delegation", "code": "delegation", "delegation code": "delegation",
	"name": "name", "expires": "expires", "expiry": "expires", "expires at": "expires", "expires_at": "expires",
}

// Parse reads a roster. The first line may be a header naming the columns
// (role, delegation, name, expires, in any order); without one the
// columns are taken in that order. Commas, semicolons or tabs separate
// the cells; lines starting with # are comments. reg checks delegation
// codes; now dates expiries.
func Parse(data []byte, reg *delegation.Registry, now time.Time) ([]Entry, error) {
	if len(data) > MaxBytes {
		return nil, Errors{{Msg: fmt.Sprintf("the roster is larger than %d KB", MaxBytes>>10)}}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		return nil, Errors{{Msg: "the roster is not UTF-8 text (save it as CSV UTF-8)"}}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = separator(data)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = false

	var errs Errors
	fail := func(line int, format string, a ...any) bool {
		errs = append(errs, LineError{line, fmt.Sprintf(format, a...)})
		return len(errs) >= maxErrors
	}
	order := []string{"role", "delegation", "name", "expires"}
	var out []Entry
	seen := map[string]int{} // delegation → line
	first := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				fail(pe.Line, "%v", pe.Err)
			} else {
				fail(0, "%v", err)
			}
			return nil, errs
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue
		}
		if first {
			first = false
			if h, ok, msg := header(rec); ok {
				if msg != "" {
					fail(line, "%s", msg)
					return nil, errs
				}
				order = h
				continue
			}
		}
		if len(out) >= MaxEntries {
			fail(line, "a roster holds at most %d participants", MaxEntries)
			return nil, errs
		}
		e, msg := entry(rec, order, line, reg, now)
		if msg != "" {
			if fail(line, "%s", msg) {
				return nil, errs
			}
			continue
		}
		if e.Delegation != "" {
			if prev, dup := seen[e.Delegation]; dup {
				if fail(line, "delegation %s is already on line %d", e.Delegation, prev) {
					return nil, errs
				}
				continue
			}
			seen[e.Delegation] = line
		}
		out = append(out, e)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(out) == 0 {
		return nil, Errors{{Msg: "the roster names nobody: one line per participant (role, delegation, name[, expires])"}}
	}
	return out, nil
}

// separator guesses the cell separator from the first line: spreadsheets
// in many locales save CSV with semicolons.
func separator(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	switch {
	case bytes.ContainsRune(first, ',') || bytes.Count(first, []byte(";"))+bytes.Count(first, []byte("\t")) == 0:
		return ','
	case bytes.Count(first, []byte(";")) >= bytes.Count(first, []byte("\t")):
		return ';'
	default:
		return '\t'
	}
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// header reads a header line: ok when the line is one (its first cell
// names a column), with msg saying what is wrong with it.
func header(rec []string) (order []string, ok bool, msg string) {
	if _, isCol := columns[fold(rec[0])]; !isCol {
		return nil, false, ""
	}
	have := map[string]bool{}
	for _, c := range rec {
		f, known := columns[fold(c)]
		if !known {
			return nil, true, fmt.Sprintf("unknown column %q: the columns are role, delegation, name and expires", strings.TrimSpace(c))
		}
		if have[f] {
			return nil, true, fmt.Sprintf("column %q appears twice", strings.TrimSpace(c))
		}
		have[f] = true
		order = append(order, f)
	}
	if !have["role"] {
		return nil, true, "the header has no role column"
	}
	return order, true, ""
}

func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func entry(rec []string, order []string, line int, reg *delegation.Registry, now time.Time) (Entry, string) {
	e := Entry{Line: line}
	if len(rec) > len(order) {
		for _, extra := range rec[len(order):] {
			if strings.TrimSpace(extra) != "" {
				return e, fmt.Sprintf("%d cells, but a line holds at most %d (%s)", len(rec), len(order), strings.Join(order, ", "))
			}
		}
	}
	var expires string
	for i, c := range rec {
		if i >= len(order) {
			break
		}
		c = strings.TrimSpace(c)
		switch order[i] {
		case "role":
			e.Role = strings.ToLower(c)
		case "delegation":
			e.Delegation = strings.ToUpper(c)
		case "name":
			e.Name = c
		case "expires":
			expires = c
		}
	}
	switch {
	case e.Role == "":
		return e, "no role: want one of " + strings.Join(Roles, ", ")
	case e.Role == "admin":
		return e, "an admin is not bound to a document; create one with `draftroom token create --role admin`"
	case !validRole(e.Role):
		return e, fmt.Sprintf("unknown role %q: want one of %s", e.Role, strings.Join(Roles, ", "))
	case e.Role == "delegate" && e.Delegation == "":
		return e, "a delegate needs a delegation code (e.g. BRA, CEPT)"
	case e.Role != "delegate" && e.Delegation != "":
		return e, fmt.Sprintf("only delegates have a delegation; this %s names %s", e.Role, e.Delegation)
	}
	if e.Delegation != "" && reg != nil {
		if _, ok := reg.Get(e.Delegation); !ok {
			msg := fmt.Sprintf("unknown delegation code %q", e.Delegation)
			if d, ok := reg.Resolve(e.Delegation); ok {
				msg += fmt.Sprintf(" (did you mean %s, %s?)", d.Code, d.Name)
			}
			return e, msg
		}
	}
	if msg := checkName(e.Name); msg != "" {
		return e, msg
	}
	if expires != "" {
		t, err := ParseExpiry(expires, now)
		if err != nil {
			return e, err.Error()
		}
		e.Expires = t
	}
	return e, ""
}

func validRole(r string) bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

func checkName(name string) string {
	if utf8.RuneCountInString(name) > MaxName {
		return fmt.Sprintf("the name is longer than %d characters", MaxName)
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return fmt.Sprintf("the name holds a control character (U+%04X)", r)
		}
	}
	return ""
}

// ParseExpiry reads when a token expires: a date (2026-06-01: the end of
// that day, UTC), a time in RFC 3339 (2026-06-01T18:00:00+02:00), or a
// duration from now (72h, 14d). It must lie in the future.
func ParseExpiry(s string, now time.Time) (*time.Time, error) {
	s = strings.TrimSpace(s)
	var t time.Time
	if d, err := time.Parse("2006-01-02", s); err == nil {
		t = d.Add(24 * time.Hour)
	} else if ts, err := time.Parse(time.RFC3339, s); err == nil {
		t = ts
	} else if n, ok := strings.CutSuffix(s, "d"); ok && n != "" {
		days, err := strconv.Atoi(n)
		if err != nil || days <= 0 || days > 3660 {
			return nil, fmt.Errorf("expiry %q: a number of days from 1 to 3660, e.g. 14d", s)
		}
		t = now.Add(time.Duration(days) * 24 * time.Hour)
	} else if d, err := time.ParseDuration(s); err == nil && d > 0 && d <= 3660*24*time.Hour {
		t = now.Add(d)
	} else {
		return nil, fmt.Errorf("expiry %q: want a date (2026-06-01), a time (2026-06-01T18:00:00Z) or a duration (72h, 14d)", s)
	}
	if !t.After(now) {
		return nil, fmt.Errorf("expiry %q has passed", s)
	}
	return &t, nil
}
