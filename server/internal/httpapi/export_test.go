package httpapi

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/compile"
	"github.com/draftroom/draftroom/server/internal/room"
	"github.com/draftroom/draftroom/server/internal/store"
)

// raw GETs path and returns the response with its body read.
func (e *env) raw(token, path string) (*http.Response, []byte) {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, b
}

// zipPart returns one part of a zip archive.
func zipPart(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			return string(b)
		}
	}
	t.Fatalf("no part %s", name)
	return ""
}

// Delegations bracket text in the room, a version is frozen, and every
// participant can export the document in every format, now, at the
// version, and as a redline against it.
func TestExport(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	base := "/api/v1/documents/" + e.doc.String() + "/export"
	rap := e.token("rapporteur", "")
	observer := e.token("observer", "")
	if code := e.do("POST", rap, "/api/v1/documents/"+e.doc.String()+"/versions", `{"label":"Rev.1"}`, nil); code != 201 {
		t.Fatalf("freeze: %d", code)
	}
	// Each connects after the edit before it, so that its offsets are
	// in the text it has seen.
	p3 := e.paras["3"] // "to report back;"
	bra := e.dial(e.token("delegate", "BRA"))
	accepted(t, "BRA brackets", bra.edit(p3, `[3,"[quickly] "]`)) // "to [quickly] report back;"
	cept := e.dial(e.token("delegate", "CEPT"))
	accepted(t, "CEPT brackets", cept.edit(p3, `[20,"[",4,"]"]`)) // "to [quickly] report [back];"
	chair := e.dial(e.token("chair", ""))
	accepted(t, "chair types", chair.edit(e.paras["2"], `[19," <b>&[[x]]>"]`)) // "to study the matter <b>&[[x]]>;"

	formats := map[string]string{
		"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"html": "text/html; charset=utf-8",
		"md":   "text/markdown; charset=utf-8",
		"txt":  "text/plain; charset=utf-8",
		"akn":  "application/akn+xml",
		"csv":  "text/csv; charset=utf-8",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	}
	for f, ctype := range formats {
		resp, body := e.raw(observer, base+"?format="+f)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", f, resp.StatusCode, body)
		}
		if got := resp.Header.Get("Content-Type"); got != ctype {
			t.Errorf("%s: Content-Type %q, want %q", f, got, ctype)
		}
		disp, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
		ext := "." + f
		if f == "akn" {
			ext = ".akn.xml"
		}
		if err != nil || disp != "attachment" || params["filename"] != "Test-resolution-on-rural-connectivity_seq4"+ext {
			t.Errorf("%s: Content-Disposition %q", f, resp.Header.Get("Content-Disposition"))
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || len(body) == 0 {
			t.Errorf("%s: headers %v, %d bytes", f, resp.Header, len(body))
		}
	}

	// DOCX: the bracket groups are comments by their delegations, and the
	// redline against Rev.1 shows their insertions as their revisions.
	_, docx := e.raw(observer, base+"?format=docx")
	comments := zipPart(t, docx, "word/comments.xml")
	for _, want := range []string{`w:author="Brazil"`, `w:author="European Conference of Postal and Telecommunications Administrations"`} {
		if !strings.Contains(comments, want) {
			t.Errorf("comments lack %s:\n%s", want, comments)
		}
	}
	if doc := zipPart(t, docx, "word/document.xml"); !strings.Contains(doc, "to study the matter &lt;b&gt;&amp;</w:t>") || !strings.Contains(doc, ">&gt;;</w:t>") {
		t.Errorf("document.xml lacks the escaped edit:\n%s", doc)
	}
	resp, red := e.raw(observer, base+"?format=docx&redline=Rev.1")
	if resp.StatusCode != 200 {
		t.Fatalf("redline: %d %s", resp.StatusCode, red)
	}
	doc := zipPart(t, red, "word/document.xml")
	for _, want := range []string{`<w:ins w:id=`, `w:author="Brazil"`, `w:author="Chair"`, `Changes since Rev.1 (seq 1)`} {
		if !strings.Contains(doc, want) {
			t.Errorf("redline document.xml lacks %s", want)
		}
	}
	if _, name, _ := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); name["filename"] != "Test-resolution-on-rural-connectivity_seq4_changes-since-Rev.1.docx" {
		t.Errorf("redline file name %q", name["filename"])
	}

	// A version, a seq, and a redline in Markdown.
	_, txt := e.raw(observer, base+"?format=txt&version=Rev.1")
	if !strings.Contains(string(txt), "3 to report back;\n") || !strings.Contains(string(txt), "Rev.1 (seq 1") {
		t.Errorf("Rev.1 text:\n%s", txt)
	}
	_, txt = e.raw(observer, base+"?format=txt&version=2")
	if !strings.Contains(string(txt), "3 to [quickly] report back;\n") {
		t.Errorf("seq 2 text:\n%s", txt)
	}
	_, md := e.raw(observer, base+"?format=md&redline=Rev.1")
	if !strings.Contains(string(md), "3 to {++[quickly] ++}report {++[++}back{++]++};\n") ||
		!strings.Contains(string(md), `2 to study the matter{++ \<b\>\&[[x]]\>++};`) {
		t.Errorf("md redline:\n%s", md)
	}
	_, html := e.raw(observer, base+"?format=html&redline=Rev.1")
	if !strings.Contains(string(html), `data-author="BRA"`) || strings.Contains(string(html), "<b>&") {
		t.Errorf("html redline:\n%s", html)
	}

	// The CSV reads back through the importer.
	_, csv := e.raw(observer, base+"?format=csv")
	c, err := compile.Read(csv, "", compile.FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sections) != 2 || len(c.Sections[1].Paragraphs) != 3 || c.Sections[1].Paragraphs[0].Proposals[0].Proposer != "BRA" {
		t.Errorf("CSV round trip: %+v", c.Sections)
	}

	// Errors.
	other := e.otherDocumentToken()
	for _, c := range []struct {
		name, token, query string
		status             int
		code, msg          string
	}{
		{"no format", observer, "", 400, "invalid", "a format is required"},
		{"unknown format", observer, "?format=pdf", 400, "invalid", "docx, html, md, txt, akn, csv or xlsx"},
		{"redline on txt", observer, "?format=txt&redline=Rev.1", 400, "invalid", "redline applies to docx, html and md"},
		{"negative seq", observer, "?format=md&version=-1", 400, "invalid", "version: bad version"},
		{"malformed label", observer, "?format=md&version=a%2Fb", 400, "invalid", "not a version label"},
		{"unknown label", observer, "?format=md&version=Rev.9", 404, "not_found", `version: version "Rev.9"`},
		{"unknown redline", observer, "?format=md&redline=Rev.9", 404, "not_found", "redline:"},
		{"seq in the future", observer, "?format=md&version=99", 404, "not_found", ""},
		{"no token", "", "?format=md", 401, "unauthorized", ""},
		{"other document's token", other, "?format=md", 403, "forbidden", ""},
	} {
		resp, body := e.raw(c.token, base+c.query)
		var eb struct {
			Error struct{ Code, Message string }
		}
		json.Unmarshal(body, &eb)
		if resp.StatusCode != c.status || eb.Error.Code != c.code || !strings.Contains(eb.Error.Message, c.msg) {
			t.Errorf("%s: %d %s, want %d %s %q", c.name, resp.StatusCode, body, c.status, c.code, c.msg)
		}
	}
	admin := e.token("admin", "")
	if resp, body := e.raw(admin, "/api/v1/documents/"+uuid.NewString()+"/export?format=md"); resp.StatusCode != 404 {
		t.Errorf("unknown document: %d %s", resp.StatusCode, body)
	}
}

// otherDocumentToken imports a second document and returns a token bound
// to it.
func (e *env) otherDocumentToken() string {
	e.t.Helper()
	ctx := context.Background()
	id, _, err := e.st.ImportCompilation(ctx, &compile.Compilation{Title: "Other", Sections: []compile.Section{{Heading: "RESOLVES", Kind: "operative"}}}, "")
	if err != nil {
		e.t.Fatal(err)
	}
	p, err := e.st.CreateParticipant(ctx, store.Participant{Role: "observer", DocumentID: &id})
	if err != nil {
		e.t.Fatal(err)
	}
	tok, _, err := e.st.CreateToken(ctx, p.ID, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}
