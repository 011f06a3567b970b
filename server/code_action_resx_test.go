package server

import (
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// The PQC024 quick-fix edits the open document and resources.resx, which
// is not open: both come in one workspace edit, the resx one unversioned,
// and fix-all carries both too. Applied as a client does, the resx stays
// well-formed and holds the moved text.
func TestCodeActionEditsResx(t *testing.T) {
	code := "[Version = \"1.0.0\"]\nsection Litware;\n\n" +
		"[DataSource.Kind = \"Litware\", Publish = \"Litware.Publish\"]\n" +
		"shared Litware.Contents = () => #table({\"a\"}, {{1}});\n\n" +
		"Litware = [Authentication = [Anonymous = []], Label = Extension.LoadString(\"DataSourceLabel\")];\n\n" +
		"Litware.Publish = [Beta = true, Category = \"Other\", ButtonText = {\"Litware\", \"Rock & <roll>\"}];\n"
	resx := "\ufeff<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<root>\r\n" +
		"  <data name=\"DataSourceLabel\" xml:space=\"preserve\">\r\n    <value>Litware</value>\r\n  </data>\r\n</root>\r\n"
	dir := writeProject(t, map[string]string{"Litware.pq": code, "resources.resx": resx})
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsDocChanges, nil)
	u := fileURI(dir, "Litware.pq")
	ru := fileURI(dir, "resources.resx")
	c.open(u, 1, code)
	d := findCode(c.waitDiags(u, 1).Diagnostics, "PQC024")
	if d == nil {
		t.Fatal("no PQC024")
	}
	check := func(what string, we *protocol.WorkspaceEdit) {
		t.Helper()
		edits, ver := editsFor(t, we, ru)
		if ver != -1 {
			t.Errorf("%s: resources.resx edit has version %d, want none (the file is not open)", what, ver)
		}
		// The file as an editor loads it: without the byte-order mark.
		fixed := applyEdits(t, strings.TrimPrefix(resx, "\ufeff"), edits, false)
		dec := xml.NewDecoder(strings.NewReader(fixed))
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: resources.resx malformed after the fix: %v\n%s", what, err, fixed)
			}
		}
		if !strings.Contains(fixed, "  <data name=\"ButtonHelp\" xml:space=\"preserve\">\r\n    <value>Rock &amp; &lt;roll&gt;</value>\r\n  </data>\r\n</root>") {
			t.Errorf("%s: resources.resx after the fix:\n%s", what, fixed)
		}
		edits, _ = editsFor(t, we, u)
		if got := applyEdits(t, code, edits, false); !strings.Contains(got, `ButtonText = {Extension.LoadString("ButtonTitle"), Extension.LoadString("ButtonHelp")}`) {
			t.Errorf("%s: code after the fix:\n%s", what, got)
		}
	}
	actions := c.codeActions(u, d.Range, nil, protocol.CodeActionKindQuickFix)
	if len(actions) != 1 {
		t.Fatalf("%d quick fixes, want 1", len(actions))
	}
	check("quick fix", actions[0].Edit)
	all := c.codeActions(u, protocol.Range{}, nil, protocol.CodeActionKindSourceFixAll)
	if len(all) != 1 || !hasCode(all[0].Diagnostics, "PQC024") {
		t.Fatalf("fix-all does not take the PQC024 fix: %v", all)
	}
	check("fix-all", all[0].Edit)
	if got, err := os.ReadFile(filepath.Join(dir, "resources.resx")); err != nil || string(got) != resx {
		t.Errorf("the server wrote resources.resx itself: %v", err)
	}
}
