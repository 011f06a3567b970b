package server

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/grammar/ast"
)

func (c *testClient) codeActions(u uri.URI, rng protocol.Range, diags []protocol.Diagnostic, only ...protocol.CodeActionKind) []*protocol.CodeAction {
	c.t.Helper()
	if diags == nil {
		diags = []protocol.Diagnostic{}
	}
	res, err := c.server.CodeAction(ctx10(c.t), &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u},
		Range:        rng,
		Context:      protocol.CodeActionContext{Diagnostics: diags, Only: only},
	})
	if err != nil {
		c.t.Fatalf("codeAction: %v", err)
	}
	var out []*protocol.CodeAction
	for _, r := range res {
		a, ok := r.(*protocol.CodeAction)
		if !ok {
			c.t.Fatalf("codeAction returned a %T", r)
		}
		out = append(out, a)
	}
	return out
}

func kindOf(a *protocol.CodeAction) protocol.CodeActionKind {
	if a.Kind == nil {
		return ""
	}
	return *a.Kind
}

// editsFor returns the text edits of we for u, and the version the edit
// names (-1 for none, -2 if the edit is not versioned).
func editsFor(t *testing.T, we *protocol.WorkspaceEdit, u uri.URI) ([]protocol.TextEdit, int32) {
	t.Helper()
	if we == nil {
		t.Fatal("code action without an edit")
	}
	if len(we.DocumentChanges) > 0 {
		for _, dc := range we.DocumentChanges {
			tde, ok := dc.(*protocol.TextDocumentEdit)
			if !ok || tde.TextDocument.URI != u {
				continue
			}
			var out []protocol.TextEdit
			for _, e := range tde.Edits {
				te, ok := e.(*protocol.TextEdit)
				if !ok {
					t.Fatalf("edit element %T", e)
				}
				out = append(out, *te)
			}
			v := int32(-1)
			if tde.TextDocument.Version != nil {
				v = *tde.TextDocument.Version
			}
			return out, v
		}
		t.Fatalf("no edit for %s", u)
	}
	return we.Changes[u], -2
}

func TestCodeActionQuickFix(t *testing.T) {
	for _, docChanges := range []bool{true, false} {
		name := "changes"
		caps := capsNone
		if docChanges {
			name, caps = "documentChanges", capsDocChanges
		}
		t.Run(name, func(t *testing.T) {
			dir := writeProject(t, map[string]string{"Contoso.pq": noVersion})
			c := startServer(t, testOptions{delay: 0})
			c.initialize(caps, nil)
			u := fileURI(dir, "Contoso.pq")
			c.open(u, 3, noVersion)
			d := findCode(c.waitDiags(u, 3).Diagnostics, "PQC002")
			if d == nil {
				t.Fatal("no PQC002")
			}
			// The cursor inside the finding, nothing sent back.
			actions := c.codeActions(u, protocol.Range{Start: d.Range.Start, End: d.Range.Start}, nil, protocol.CodeActionKindQuickFix)
			if len(actions) != 1 {
				t.Fatalf("%d actions, want 1", len(actions))
			}
			a := actions[0]
			if kindOf(a) != protocol.CodeActionKindQuickFix || a.IsPreferred == nil || !*a.IsPreferred || !strings.Contains(a.Title, "Version") {
				t.Errorf("action %q kind %q preferred %v", a.Title, kindOf(a), a.IsPreferred)
			}
			if len(a.Diagnostics) != 1 || !hasCode(a.Diagnostics, "PQC002") || a.Diagnostics[0].Range != d.Range {
				t.Errorf("action diagnostics %v", a.Diagnostics)
			}
			edits, ver := editsFor(t, a.Edit, u)
			switch {
			case docChanges && ver != 3:
				t.Errorf("documentChanges version %d, want 3", ver)
			case !docChanges && (ver != -2 || len(a.Edit.DocumentChanges) != 0):
				t.Errorf("a client without documentChanges got them")
			}
			fixed := applyEdits(t, noVersion, edits, false)
			c.changeAll(u, 4, fixed)
			if pub := c.waitDiags(u, 4); hasCode(pub.Diagnostics, "PQC002") {
				t.Errorf("PQC002 still there after the fix:\n%s", fixed)
			}
			// Away from any finding: no quick fix.
			if actions := c.codeActions(u, protocol.Range{Start: protocol.Position{Line: 3}, End: protocol.Position{Line: 3}}, nil, protocol.CodeActionKindQuickFix); len(actions) != 0 {
				t.Errorf("quick fixes where there is no finding: %v", actions)
			}
		})
	}
}

func TestCodeActionFilters(t *testing.T) {
	dir := writeProject(t, map[string]string{"Contoso.pq": noVersion})
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsDocChanges, nil)
	u := fileURI(dir, "Contoso.pq")
	c.open(u, 1, noVersion)
	d := findCode(c.waitDiags(u, 1).Diagnostics, "PQC002")
	far := protocol.Range{Start: protocol.Position{Line: 2}, End: protocol.Position{Line: 2, Character: 3}}
	kinds := func(as []*protocol.CodeAction) (out []string) {
		for _, a := range as {
			out = append(out, string(kindOf(a)))
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		rng   protocol.Range
		diags []protocol.Diagnostic
		only  []protocol.CodeActionKind
		want  string
	}{
		{"in range, no filter", d.Range, nil, nil, "quickfix source.fixAll.pqls"},
		{"only quickfix", d.Range, nil, []protocol.CodeActionKind{"quickfix"}, "quickfix"},
		{"only source.fixAll", far, nil, []protocol.CodeActionKind{"source.fixAll"}, "source.fixAll.pqls"},
		{"only source", far, nil, []protocol.CodeActionKind{"source"}, "source.fixAll.pqls"},
		{"only refactor", d.Range, nil, []protocol.CodeActionKind{"refactor"}, ""},
		{"elsewhere, diagnostic sent back", far, []protocol.Diagnostic{*d}, []protocol.CodeActionKind{"quickfix"}, "quickfix"},
	} {
		if got := strings.Join(kinds(c.codeActions(u, tc.rng, tc.diags, tc.only...)), " "); got != tc.want {
			t.Errorf("%s: kinds %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestFixAll(t *testing.T) {
	dir := writeProject(t, map[string]string{"Contoso.pq": noVersion})
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsDocChanges, nil)
	u := fileURI(dir, "Contoso.pq")
	text := "// 😀 header\r\n" + strings.ReplaceAll(noVersion, "\n", "\r\n")
	c.open(u, 1, text)
	c.waitDiags(u, 1)
	actions := c.codeActions(u, protocol.Range{}, nil, protocol.CodeActionKindSourceFixAll)
	if len(actions) != 1 || kindOf(actions[0]) != codeActionKindFixAll {
		t.Fatalf("source.fixAll actions: %v", actions)
	}
	a := actions[0]
	if !hasCode(a.Diagnostics, "PQC002") {
		t.Errorf("fix-all does not claim PQC002: %v", codes(a.Diagnostics))
	}
	edits, ver := editsFor(t, a.Edit, u)
	if ver != 1 {
		t.Errorf("fix-all edit version %d, want 1", ver)
	}
	fixed := applyEdits(t, text, edits, false)
	c.changeAll(u, 2, fixed)
	after := c.waitDiags(u, 2)
	for _, code := range codes(a.Diagnostics) {
		if hasCode(after.Diagnostics, code) {
			t.Errorf("%s still reported after fix-all:\n%s", code, fixed)
		}
	}
	if actions := c.codeActions(u, protocol.Range{}, nil, protocol.CodeActionKindSourceFixAll); len(actions) != 0 {
		t.Errorf("fix-all offered with nothing left to fix: %v", actions[0].Title)
	}
}

// Fixes can edit several files: the open ones with their version, the
// others with a null version; each in its own encoding of positions.
func TestWorkspaceEditMultiFile(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "resources.resx")
	disk := "\ufeffline0\r\n😀 line1\r\n"
	if err := os.WriteFile(other, []byte(disk), 0o644); err != nil {
		t.Fatal(err)
	}
	open := filepath.Join(dir, "A.pq")
	d := newDocument(zap.NewNop(), uri.File(open), open, "powerquery", 7, []byte("ab\n😀cd\n"))
	v := &snapshot{open: map[string]*document{open: d}, disk: newDiskCache(), log: zap.NewNop(),
		src: nil, contents: map[string]content{}, diskFiles: nil, editorCfg: config.Default()}
	v.src = osSource{}
	s := &session{log: zap.NewNop()}
	edits := []analysis.TextEdit{
		{Path: other, Start: strings.Index(disk, "line1"), End: strings.Index(disk, "line1") + 5, NewText: "LINE1"},
		{Path: open, Start: strings.Index("ab\n😀cd\n", "cd"), End: strings.Index("ab\n😀cd\n", "cd"), NewText: "X"},
		{Path: other, Start: 3, End: 3, NewText: "<"},
	}
	for _, enc := range []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF16, protocol.PositionEncodingKindUTF8} {
		m := mapper{enc: enc}
		we, err := s.workspaceEdit(m, v, open, edits, clientCaps{documentChanges: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(we.DocumentChanges) != 2 {
			t.Fatalf("%d document changes, want 2", len(we.DocumentChanges))
		}
		first := we.DocumentChanges[0].(*protocol.TextDocumentEdit)
		second := we.DocumentChanges[1].(*protocol.TextDocumentEdit)
		if first.TextDocument.URI != uri.File(open) || first.TextDocument.Version == nil || *first.TextDocument.Version != 7 {
			t.Errorf("first change %v version %v, want the open document at version 7", first.TextDocument.URI, first.TextDocument.Version)
		}
		if second.TextDocument.URI != uri.File(other) || second.TextDocument.Version != nil {
			t.Errorf("second change %v version %v, want the file with a null version", second.TextDocument.URI, second.TextDocument.Version)
		}
		// The file on disk as an editor loads it: without the BOM.
		loaded := strings.TrimPrefix(disk, "\ufeff")
		var tes []protocol.TextEdit
		for _, e := range second.Edits {
			tes = append(tes, *e.(*protocol.TextEdit))
		}
		if got, want := applyEdits(t, loaded, tes, m.utf8()), "<line0\r\n😀 LINE1\r\n"; got != want {
			t.Errorf("%s: edited file %q, want %q", enc, got, want)
		}
		tes = nil
		for _, e := range first.Edits {
			tes = append(tes, *e.(*protocol.TextEdit))
		}
		if got := applyEdits(t, "ab\n😀cd\n", tes, m.utf8()); got != "ab\n😀Xcd\n" {
			t.Errorf("%s: edited document %q", enc, got)
		}

		we, err = s.workspaceEdit(m, v, open, edits, clientCaps{})
		if err != nil {
			t.Fatal(err)
		}
		if len(we.DocumentChanges) != 0 || len(we.Changes) != 2 || len(we.Changes[uri.File(other)]) != 2 {
			t.Errorf("changes form: %+v", we)
		}
	}
	if _, err := s.workspaceEdit(mapper{enc: protocol.PositionEncodingKindUTF16}, v, open, []analysis.TextEdit{{Path: open, Start: 2, End: 99}}, clientCaps{}); err == nil {
		t.Error("an edit past the end of the file was accepted")
	}
}

type osSource struct{}

func (osSource) ReadFile(p string) ([]byte, error)       { return os.ReadFile(p) }
func (osSource) ReadDir(p string) ([]os.DirEntry, error) { return os.ReadDir(p) }
func (osSource) Stat(p string) (os.FileInfo, error)      { return os.Stat(p) }

// A finding's related places become relatedInformation, in the file they
// are in (open or not), with the finding's rule as code and its page as
// codeDescription.
func TestDiagnosticConversion(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "resources.resx")
	disk := "<root>\r\n  <data name=\"Key😀\"/>\r\n</root>\r\n"
	if err := os.WriteFile(other, []byte(disk), 0o644); err != nil {
		t.Fatal(err)
	}
	open := filepath.Join(dir, "A.pq")
	src := "section A;\nshared X = \"😀\" & Extension.LoadString(\"Key😀\");\n"
	d := newDocument(zap.NewNop(), "file:///client/spelling/A.pq", open, "powerquery", 3, []byte(src))
	v := &snapshot{open: map[string]*document{open: d}, disk: newDiskCache(), log: zap.NewNop(),
		src: osSource{}, contents: map[string]content{}, diskFiles: map[string]*ast.File{}}
	k := strings.Index(disk, "Key😀")
	call := strings.Index(src, "Extension.LoadString")
	fd := analysis.Diagnostic{
		Path: open, Start: call, End: call + len("Extension.LoadString"), Severity: analysis.Warning,
		Code: "PQC099", Message: "a message", HelpURI: "https://example.com/PQC099",
		Related: []analysis.Related{
			{Path: other, Start: k, End: k + len("Key😀"), Message: "defined here"},
			{Path: open, Start: 0, End: len("section"), Message: "in this section"},
			{Path: filepath.Join(dir, "missing.pqm"), Start: 0, End: 1, Message: "unreadable: left out"},
		},
	}
	m := mapper{enc: protocol.PositionEncodingKindUTF16}
	pd := toProtocol(m, v, d.text, fd)
	if pd.Severity != protocol.DiagnosticSeverityWarning || fmt.Sprint(pd.Code) != "PQC099" || pd.CodeDescription.Href != "https://example.com/PQC099" {
		t.Errorf("diagnostic %+v", pd)
	}
	if want := refPosition(src, call, false); pd.Range.Start != want {
		t.Errorf("range start %v, want %v", pd.Range.Start, want)
	}
	if len(pd.RelatedInformation) != 2 {
		t.Fatalf("%d related places, want 2: %+v", len(pd.RelatedInformation), pd.RelatedInformation)
	}
	r0, r1 := pd.RelatedInformation[0], pd.RelatedInformation[1]
	if r0.Location.URI != uri.File(other) || r0.Message != "defined here" ||
		r0.Location.Range.Start != refPosition(disk, k, false) || r0.Location.Range.End != refPosition(disk, k+len("Key😀"), false) {
		t.Errorf("related in the file on disk: %+v", r0)
	}
	if r1.Location.URI != "file:///client/spelling/A.pq" || r1.Location.Range.End.Character != 7 {
		t.Errorf("related in the open document (with the client's URI): %+v", r1)
	}
}
