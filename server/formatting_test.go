package server

import (
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// A connector as typed in a hurry: cramped spacing, a long record, a
// member left half-written, CR LF line ends and non-ASCII text before
// edits, so that UTF-16 and UTF-8 positions differ.
const fmtMain = "section Fmt;\r\n\r\n" +
	"Banner = \"😀 é\";\r\n\r\n" +
	"Broken = List.Sum({1,2,;\r\n\r\n" +
	"[DataSource.Kind=\"Fmt\",Publish=\"Fmt.Publish\"]\r\n" +
	"shared Fmt.Contents=(url as text)=>let source=Web.Contents(url) in Json.Document(source);\r\n\r\n" +
	"Fmt.Publish=[Beta=true,Category=\"Other\",ButtonText={\"Fmt\",\"Fmt help\"}];\r\n"

func TestFormatting(t *testing.T) {
	encodings(t, func(t *testing.T, caps string) {
		dir := writeProject(t, map[string]string{"Fmt.pq": fmtMain, "pqls.json": `{"format": {"lineWidth": 60}}`})
		c := startServer(t, testOptions{delay: 0})
		res := c.initialize(caps, nil)
		utf8 := res.Capabilities.PositionEncoding == protocol.PositionEncodingKindUTF8
		if res.Capabilities.DocumentFormattingProvider == nil || res.Capabilities.DocumentRangeFormattingProvider == nil {
			t.Fatal("formatting capabilities not advertised")
		}
		u := fileURI(dir, "Fmt.pq")
		c.open(u, 1, fmtMain)

		// Whole document, two-space indentation from the editor, the width
		// from pqls.json.
		edits, err := c.server.Formatting(ctx10(t), &protocol.DocumentFormattingParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: u},
			Options:      protocol.FormattingOptions{TabSize: 2, InsertSpaces: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		got := applyEdits(t, fmtMain, edits, utf8)
		want := "section Fmt;\r\n\r\n" +
			"Banner = \"😀 é\";\r\n\r\n" +
			"Broken = List.Sum({1,2,;\r\n\r\n" +
			"[DataSource.Kind = \"Fmt\", Publish = \"Fmt.Publish\"]\r\n" +
			"shared Fmt.Contents = (url as text) =>\r\n" +
			"  let\r\n    source = Web.Contents(url)\r\n  in\r\n    Json.Document(source);\r\n\r\n" +
			"Fmt.Publish = [\r\n  Beta = true,\r\n  Category = \"Other\",\r\n  ButtonText = {\"Fmt\", \"Fmt help\"}\r\n];\r\n"
		if got != want {
			t.Errorf("formatted:\n%q\nwant:\n%q", got, want)
		}
		if len(edits) < 2 {
			t.Errorf("%d edits; want one a changed stretch, leaving the unchanged lines alone", len(edits))
		}
		// Tabs from the editor.
		edits, err = c.server.Formatting(ctx10(t), &protocol.DocumentFormattingParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: u},
			Options:      protocol.FormattingOptions{TabSize: 4, InsertSpaces: false},
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := applyEdits(t, fmtMain, edits, utf8); !strings.Contains(got, "\r\n\tlet\r\n\t\tsource") {
			t.Errorf("with tabs:\n%s", got)
		}

		// A range inside Fmt.Publish formats that member only.
		rng := protocol.Range{Start: refPosition(fmtMain, strings.Index(fmtMain, "Category"), utf8)}
		rng.End = rng.Start
		edits, err = c.server.RangeFormatting(ctx10(t), &protocol.DocumentRangeFormattingParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: u},
			Range:        rng,
			Options:      protocol.FormattingOptions{TabSize: 4, InsertSpaces: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		got = applyEdits(t, fmtMain, edits, utf8)
		member := "Fmt.Publish = [\r\n    Beta = true,\r\n    Category = \"Other\",\r\n    ButtonText = {\"Fmt\", \"Fmt help\"}\r\n];\r\n"
		if want := fmtMain[:strings.Index(fmtMain, "Fmt.Publish=")] + member; got != want {
			t.Errorf("range formatted:\n%s\nwant:\n%s", got, want)
		}

		// Formatted text: no edits.
		c.changeAll(u, 2, want)
		edits, err = c.server.Formatting(ctx10(t), &protocol.DocumentFormattingParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: u},
			Options:      protocol.FormattingOptions{TabSize: 2, InsertSpaces: true},
		})
		if err != nil || len(edits) != 0 {
			t.Errorf("formatting formatted text: %v, %v; want no edits", edits, err)
		}
	})
}

// A buffer with a byte order mark keeps it, and no edit touches it.
func TestFormattingBOM(t *testing.T) {
	const text = "\uFEFFsection S;a=1;"
	dir := writeProject(t, map[string]string{"S.pq": text})
	c := startServer(t, testOptions{delay: 0})
	c.initialize(`{}`, nil)
	u := fileURI(dir, "S.pq")
	c.open(u, 1, text)
	edits, err := c.server.Formatting(ctx10(t), &protocol.DocumentFormattingParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u},
		Options:      protocol.FormattingOptions{TabSize: 4, InsertSpaces: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range edits {
		if strings.Contains(e.NewText, "\uFEFF") {
			t.Errorf("edit %+v inserts a byte order mark", e)
		}
	}
	if got, want := applyEdits(t, text, edits, false), "\uFEFFsection S;\n\na = 1;\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
