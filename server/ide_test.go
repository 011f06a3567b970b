package server

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/pqls/pqls/grammar/token"
)

// The connector project of the editor-feature tests: a section document and
// a module that uses a shared member of it. Astral (😀) and other non-ASCII
// characters stand before names on the same line, so that UTF-16 and UTF-8
// columns differ.
const ideMain = `[Version = "1.0.0"]
section Contoso;

[DataSource.Kind = "Contoso", Publish = "Contoso.Publish"]
shared Contoso.Contents = Value.ReplaceType(ContosoImpl, ContosoType);

ContosoType = type function (url as text) as table meta [Documentation.Name = "Contoso data"];

ContosoImpl = (url as text) as table =>
    let
        source = Web.Contents(url),
        banner = "😀 é", rows = Json.Document(source)[value],
        /* a block
           comment */
        result = {"😀"} & Table.Ad
    in
        Table.FromRecords(rows);

shared Contoso.Helper = (x) => x + 1;
`

const ideModule = `let
    twice = (x) => Text.From("😀") & Contoso.Helper(x) & Contoso.Helper(x)
in
    twice
`

type ideProject struct {
	dir       string
	main, mod uri.URI
	c         *testClient
	utf8      bool
}

// startIDE writes the project, starts a server with caps, and opens the
// main document (and the module if openModule).
func startIDE(t *testing.T, caps string, openModule bool) *ideProject {
	t.Helper()
	dir := writeProject(t, map[string]string{"Contoso.pq": ideMain, "Helpers.pqm": ideModule})
	c := startServer(t, testOptions{delay: 0})
	res := c.initialize(caps, nil)
	p := &ideProject{dir: dir, main: fileURI(dir, "Contoso.pq"), mod: fileURI(dir, "Helpers.pqm"), c: c,
		utf8: res.Capabilities.PositionEncoding == protocol.PositionEncodingKindUTF8}
	c.open(p.main, 1, ideMain)
	if openModule {
		c.open(p.mod, 7, ideModule)
	}
	return p
}

// pos returns the position of the n-th (0-based) occurrence of needle in
// text, plus delta bytes.
func (p *ideProject) pos(t *testing.T, text, needle string, n, delta int) protocol.Position {
	t.Helper()
	off := -1
	for i := 0; i <= n; i++ {
		j := strings.Index(text[off+1:], needle)
		if j < 0 {
			t.Fatalf("occurrence %d of %q not found", n, needle)
		}
		off += 1 + j
	}
	return refPosition(text, off+delta, p.utf8)
}

// rng returns the range of the n-th occurrence of needle.
func (p *ideProject) rng(t *testing.T, text, needle string, n int) protocol.Range {
	t.Helper()
	return protocol.Range{Start: p.pos(t, text, needle, n, 0), End: p.pos(t, text, needle, n, len(needle))}
}

func tdpp(u uri.URI, pos protocol.Position) protocol.TextDocumentPositionParams {
	return protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}, Position: pos}
}

// encodings runs f with a UTF-16 client and a UTF-8 client.
func encodings(t *testing.T, f func(t *testing.T, caps string)) {
	for _, tc := range []struct{ name, caps string }{
		{"utf-16", `{"textDocument":{"documentSymbol":{"hierarchicalDocumentSymbolSupport":true},"rename":{"prepareSupport":true}},"workspace":{"workspaceEdit":{"documentChanges":true}}}`},
		{"utf-8", `{"general":{"positionEncodings":["utf-8"]},"textDocument":{"documentSymbol":{"hierarchicalDocumentSymbolSupport":true},"rename":{"prepareSupport":true}},"workspace":{"workspaceEdit":{"documentChanges":true}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) { f(t, tc.caps) })
	}
}

func TestHover(t *testing.T) {
	encodings(t, func(t *testing.T, caps string) {
		p := startIDE(t, caps, false)
		c := p.c
		// A name after an astral character on its line.
		h, err := c.server.Hover(ctx10(t), &protocol.HoverParams{TextDocumentPositionParams: tdpp(p.main, p.pos(t, ideMain, "rows =", 0, 2))})
		if err != nil {
			t.Fatal(err)
		}
		mc, ok := h.Contents.(*protocol.MarkupContent)
		if !ok || mc.Kind != protocol.MarkupKindMarkdown {
			t.Fatalf("contents %#v, want Markdown", h.Contents)
		}
		if !strings.Contains(mc.Value, "rows = Json.Document(source)[value]") || !strings.Contains(mc.Value, "let variable") {
			t.Errorf("hover = %q", mc.Value)
		}
		if want := p.rng(t, ideMain, "rows", 0); h.Range == nil || *h.Range != want {
			t.Errorf("hover range %v, want %v", h.Range, want)
		}
		// A library function: signature and reference link.
		h, err = c.server.Hover(ctx10(t), &protocol.HoverParams{TextDocumentPositionParams: tdpp(p.main, p.pos(t, ideMain, "Json.Document", 0, 5))})
		if err != nil {
			t.Fatal(err)
		}
		if v := h.Contents.(*protocol.MarkupContent).Value; !strings.Contains(v, "Json.Document(") || !strings.Contains(v, "](https://") {
			t.Errorf("library hover = %q", v)
		}
		// The data source function, documented through its type.
		h, err = c.server.Hover(ctx10(t), &protocol.HoverParams{TextDocumentPositionParams: tdpp(p.main, p.pos(t, ideMain, "Contoso.Contents", 0, 3))})
		if err != nil {
			t.Fatal(err)
		}
		if v := h.Contents.(*protocol.MarkupContent).Value; !strings.Contains(v, "Contoso data") || !strings.Contains(v, "(url as text) as table") {
			t.Errorf("data source function hover = %q", v)
		}
		// Nothing to say: null.
		params := fmt.Sprintf(`{"textDocument":{"uri":%q},"position":{"line":2,"character":0}}`, p.main)
		if code, res := c.callRaw("textDocument/hover", params); code != 0 || string(res) != "null" {
			t.Errorf("hover on a blank line: code %d result %s, want null", code, res)
		}
	})
}

func TestHoverPlainText(t *testing.T) {
	p := startIDE(t, `{"textDocument":{"hover":{"contentFormat":["plaintext"]}}}`, false)
	h, err := p.c.server.Hover(ctx10(t), &protocol.HoverParams{TextDocumentPositionParams: tdpp(p.main, p.pos(t, ideMain, "source)", 0, 1))})
	if err != nil {
		t.Fatal(err)
	}
	if mc := h.Contents.(*protocol.MarkupContent); mc.Kind != protocol.MarkupKindPlainText {
		t.Errorf("a plain-text client got %s", mc.Kind)
	}
}

func TestDefinition(t *testing.T) {
	encodings(t, func(t *testing.T, caps string) {
		p := startIDE(t, caps, true)
		c := p.c
		def := func(u uri.URI, pos protocol.Position) []protocol.Location {
			t.Helper()
			res, err := c.server.Definition(ctx10(t), &protocol.DefinitionParams{TextDocumentPositionParams: tdpp(u, pos)})
			if err != nil {
				t.Fatal(err)
			}
			switch r := res.(type) {
			case nil:
				return nil
			case protocol.LocationSlice:
				return r
			case *protocol.Location:
				return []protocol.Location{*r}
			}
			t.Fatalf("definition result %T", res)
			return nil
		}
		// From the module, after an astral character, to the section document.
		locs := def(p.mod, p.pos(t, ideModule, "Contoso.Helper", 1, 4))
		want := protocol.Location{URI: p.main, Range: p.rng(t, ideMain, "Contoso.Helper", 0)}
		if len(locs) != 1 || locs[0] != want {
			t.Errorf("definition from the module = %v, want %v", locs, want)
		}
		// A let variable after an astral character.
		locs = def(p.main, p.pos(t, ideMain, "rows)", 0, 0))
		want = protocol.Location{URI: p.main, Range: p.rng(t, ideMain, "rows", 0)}
		if len(locs) != 1 || locs[0] != want {
			t.Errorf("definition of rows = %v, want %v", locs, want)
		}
		// A library name and a keyword have none: null.
		for _, needle := range []string{"Web.Contents", "let"} {
			params := fmt.Sprintf(`{"textDocument":{"uri":%q},"position":%s}`, p.main, mustJSON(p.pos(t, ideMain, needle, 0, 1)))
			if code, res := c.callRaw("textDocument/definition", params); code != 0 || string(res) != "null" {
				t.Errorf("definition of %s: code %d result %s, want null", needle, code, res)
			}
		}
	})
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestReferences(t *testing.T) {
	encodings(t, func(t *testing.T, caps string) {
		p := startIDE(t, caps, false) // the module stays on disk
		c := p.c
		refs := func(pos protocol.Position, decl bool) []protocol.Location {
			t.Helper()
			res, err := c.server.References(ctx10(t), &protocol.ReferenceParams{
				TextDocumentPositionParams: tdpp(p.main, pos),
				Context:                    protocol.ReferenceContext{IncludeDeclaration: decl},
			})
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		at := p.pos(t, ideMain, "Contoso.Helper", 0, 0)
		want := []protocol.Location{
			{URI: p.main, Range: p.rng(t, ideMain, "Contoso.Helper", 0)},
			{URI: p.mod, Range: p.rng(t, ideModule, "Contoso.Helper", 0)},
			{URI: p.mod, Range: p.rng(t, ideModule, "Contoso.Helper", 1)},
		}
		if got := refs(at, true); !slices.Equal(got, want) {
			t.Errorf("references with the declaration = %v, want %v", got, want)
		}
		if got := refs(at, false); !slices.Equal(got, want[1:]) {
			t.Errorf("references without the declaration = %v, want %v", got, want[1:])
		}
		// Nothing there: an empty list, not null.
		params := fmt.Sprintf(`{"textDocument":{"uri":%q},"position":{"line":2,"character":0},"context":{"includeDeclaration":true}}`, p.main)
		if code, res := c.callRaw("textDocument/references", params); code != 0 || string(res) != "[]" {
			t.Errorf("references on a blank line: code %d result %s, want []", code, res)
		}
	})
}

// applyWorkspaceEdit applies we to the texts (by URI) as a client does.
func applyWorkspaceEdit(t *testing.T, we *protocol.WorkspaceEdit, texts map[uri.URI]string, utf8mode bool, versions map[uri.URI]int32) map[uri.URI]string {
	t.Helper()
	out := make(map[uri.URI]string, len(texts))
	for u, text := range texts {
		out[u] = text
	}
	if len(we.DocumentChanges) > 0 {
		for _, dc := range we.DocumentChanges {
			tde, ok := dc.(*protocol.TextDocumentEdit)
			if !ok {
				t.Fatalf("document change %T", dc)
			}
			u := tde.TextDocument.URI
			want, open := versions[u]
			switch v := tde.TextDocument.Version; {
			case open && (v == nil || *v != want):
				t.Errorf("edit of %s names version %v, want %d", u, v, want)
			case !open && v != nil:
				t.Errorf("edit of %s, which is not open, names version %d", u, *v)
			}
			var edits []protocol.TextEdit
			for _, e := range tde.Edits {
				edits = append(edits, *e.(*protocol.TextEdit))
			}
			out[u] = applyEdits(t, out[u], edits, utf8mode)
		}
		return out
	}
	for u, edits := range we.Changes {
		out[u] = applyEdits(t, out[u], edits, utf8mode)
	}
	return out
}

func TestRenameAcrossFiles(t *testing.T) {
	for _, tc := range []struct {
		name       string
		caps       string
		openModule bool
	}{
		{"utf-16, documentChanges, module on disk", `{"workspace":{"workspaceEdit":{"documentChanges":true}}}`, false},
		{"utf-16, documentChanges, module open", `{"workspace":{"workspaceEdit":{"documentChanges":true}}}`, true},
		{"utf-8, changes", `{"general":{"positionEncodings":["utf-8"]}}`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := startIDE(t, tc.caps, tc.openModule)
			// From a use in the module, after the astral character.
			u, pos := p.mod, p.pos(t, ideModule, "Contoso.Helper", 0, 2)
			if !tc.openModule {
				u, pos = p.main, p.pos(t, ideMain, "Contoso.Helper", 0, 2)
			}
			we, err := p.c.server.Rename(ctx10(t), &protocol.RenameParams{TextDocumentPositionParams: tdpp(u, pos), NewName: "Contoso.Assist"})
			if err != nil {
				t.Fatal(err)
			}
			if tc.caps == `{"general":{"positionEncodings":["utf-8"]}}` && len(we.DocumentChanges) != 0 {
				t.Errorf("documentChanges for a client that does not support them")
			}
			versions := map[uri.URI]int32{p.main: 1}
			if tc.openModule {
				versions[p.mod] = 7
			}
			got := applyWorkspaceEdit(t, we, map[uri.URI]string{p.main: ideMain, p.mod: ideModule}, p.utf8, versions)
			wantMain := strings.ReplaceAll(ideMain, "Contoso.Helper", "Contoso.Assist")
			wantMod := strings.ReplaceAll(ideModule, "Contoso.Helper", "Contoso.Assist")
			if got[p.main] != wantMain {
				t.Errorf("main document after the rename:\n%s", got[p.main])
			}
			if got[p.mod] != wantMod {
				t.Errorf("module after the rename:\n%s", got[p.mod])
			}
		})
	}
}

func TestRenameQuotedAndRefused(t *testing.T) {
	p := startIDE(t, `{"workspace":{"workspaceEdit":{"documentChanges":true}}}`, false)
	c := p.c
	rowsPos := p.pos(t, ideMain, "rows)", 0, 1)
	// A name that is no plain identifier becomes a quoted identifier; one
	// typed quoted is taken as the name it spells.
	for _, newName := range []string{"all rows", `#"all rows"`} {
		we, err := c.server.Rename(ctx10(t), &protocol.RenameParams{TextDocumentPositionParams: tdpp(p.main, rowsPos), NewName: newName})
		if err != nil {
			t.Fatalf("rename to %s: %v", newName, err)
		}
		got := applyWorkspaceEdit(t, we, map[uri.URI]string{p.main: ideMain}, false, map[uri.URI]int32{p.main: 1})[p.main]
		if want := strings.ReplaceAll(ideMain, "rows", `#"all rows"`); got != want {
			t.Errorf("rename to %s gave:\n%s", newName, got)
		}
	}
	rename := func(pos protocol.Position, newName string) (jsonrpc2.Code, string) {
		t.Helper()
		_, err := c.server.Rename(ctx10(t), &protocol.RenameParams{TextDocumentPositionParams: tdpp(p.main, pos), NewName: newName})
		var je *jsonrpc2.Error
		if !asJSONRPCError(err, &je) {
			t.Fatalf("rename to %q: error %v, want a JSON-RPC error", newName, err)
		}
		return je.Code, je.Message
	}
	for _, tc := range []struct {
		name, newName string
		pos           protocol.Position
		code          jsonrpc2.Code
		msg           string
	}{
		{"empty", "", rowsPos, jsonrpc2.InvalidParams, "empty"},
		{"line break", "a\nb", rowsPos, jsonrpc2.InvalidParams, "line break"},
		{"bad quoted identifier", `#"a" b`, rowsPos, jsonrpc2.InvalidParams, "quoted identifier"},
		{"taken in the scope", "source", rowsPos, codeRequestFailed, "already defined"},
		{"library name", "X", p.pos(t, ideMain, "Web.Contents", 0, 1), codeRequestFailed, "standard library"},
	} {
		code, msg := rename(tc.pos, tc.newName)
		if code != tc.code || !strings.Contains(msg, tc.msg) {
			t.Errorf("%s: code %d %q, want %d with %q", tc.name, code, msg, tc.code, tc.msg)
		}
	}
}

func TestPrepareRename(t *testing.T) {
	encodings(t, func(t *testing.T, caps string) {
		p := startIDE(t, caps, false)
		c := p.c
		res, err := c.server.PrepareRename(ctx10(t), &protocol.PrepareRenameParams{TextDocumentPositionParams: tdpp(p.main, p.pos(t, ideMain, "rows =", 0, 1))})
		if err != nil {
			t.Fatal(err)
		}
		ph, ok := res.(*protocol.PrepareRenamePlaceholder)
		if !ok || ph.Placeholder != "rows" || ph.Range != p.rng(t, ideMain, "rows", 0) {
			t.Errorf("prepareRename = %#v", res)
		}
		// Nothing there: null.
		params := fmt.Sprintf(`{"textDocument":{"uri":%q},"position":{"line":2,"character":0}}`, p.main)
		if code, res := c.callRaw("textDocument/prepareRename", params); code != 0 || string(res) != "null" {
			t.Errorf("prepareRename on a blank line: code %d result %s, want null", code, res)
		}
		// A library name: an error that says why.
		params = fmt.Sprintf(`{"textDocument":{"uri":%q},"position":%s}`, p.main, mustJSON(p.pos(t, ideMain, "Web.Contents", 0, 1)))
		if code, _ := c.callRaw("textDocument/prepareRename", params); code != codeRequestFailed {
			t.Errorf("prepareRename on a library name: code %d, want %d", code, codeRequestFailed)
		}
	})
}

func TestDocumentSymbols(t *testing.T) {
	t.Run("hierarchical", func(t *testing.T) {
		p := startIDE(t, `{"textDocument":{"documentSymbol":{"hierarchicalDocumentSymbolSupport":true}}}`, false)
		res, err := p.c.server.DocumentSymbol(ctx10(t), &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: p.main}})
		if err != nil {
			t.Fatal(err)
		}
		syms, ok := res.(protocol.DocumentSymbolSlice)
		if !ok || len(syms) != 1 || syms[0].Name != "Contoso" || syms[0].Kind != protocol.SymbolKindNamespace {
			t.Fatalf("outline = %#v", res)
		}
		var names []string
		for _, ch := range syms[0].Children {
			names = append(names, ch.Name)
		}
		if want := []string{"Contoso.Contents", "ContosoType", "ContosoImpl", "Contoso.Helper"}; !slices.Equal(names, want) {
			t.Errorf("members %v, want %v", names, want)
		}
		impl := syms[0].Children[2]
		names = nil
		for _, ch := range impl.Children {
			names = append(names, ch.Name)
		}
		if want := []string{"source", "banner", "rows", "result"}; impl.Kind != protocol.SymbolKindFunction || !slices.Equal(names, want) {
			t.Errorf("ContosoImpl: kind %v children %v, want function with %v", impl.Kind, names, want)
		}
		rows := impl.Children[2]
		if rows.SelectionRange != p.rng(t, ideMain, "rows", 0) || rows.Range.Start != rows.SelectionRange.Start {
			t.Errorf("rows: range %v selection %v", rows.Range, rows.SelectionRange)
		}
		helper := syms[0].Children[3]
		if helper.Detail == nil || *helper.Detail != "shared" || helper.SelectionRange != p.rng(t, ideMain, "Contoso.Helper", 0) {
			t.Errorf("Contoso.Helper = %#v", helper)
		}
	})
	t.Run("flat", func(t *testing.T) {
		p := startIDE(t, capsNone, false)
		res, err := p.c.server.DocumentSymbol(ctx10(t), &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: p.main}})
		if err != nil {
			t.Fatal(err)
		}
		infos, ok := res.(protocol.SymbolInformationSlice)
		if !ok {
			t.Fatalf("a client without hierarchical support got %T", res)
		}
		found := false
		for _, si := range infos {
			if si.Name == "rows" {
				found = true
				if si.ContainerName == nil || *si.ContainerName != "ContosoImpl" || si.Location.URI != p.main || si.Location.Range.Start != p.pos(t, ideMain, "rows", 0, 0) {
					t.Errorf("rows = %#v", si)
				}
			}
		}
		if !found || len(infos) != 1+4+4 {
			t.Errorf("%d symbols (rows found: %v), want 9", len(infos), found)
		}
	})
}

func TestCompletionReplacesDottedPrefix(t *testing.T) {
	encodings(t, func(t *testing.T, caps string) {
		p := startIDE(t, caps, false)
		end := p.pos(t, ideMain, "Table.Ad", 0, len("Table.Ad"))
		res, err := p.c.server.Completion(ctx10(t), &protocol.CompletionParams{TextDocumentPositionParams: tdpp(p.main, end)})
		if err != nil {
			t.Fatal(err)
		}
		list, ok := res.(*protocol.CompletionList)
		if !ok {
			t.Fatalf("completion result %T", res)
		}
		var item *protocol.CompletionItem
		for i := range list.Items {
			it := &list.Items[i]
			if !strings.HasPrefix(strings.ToLower(it.Label), "table.ad") {
				t.Errorf("item %q does not start with Table.Ad", it.Label)
			}
			if it.Label == "Table.AddColumn" {
				item = it
			}
		}
		if item == nil {
			t.Fatalf("no Table.AddColumn among %d items", len(list.Items))
		}
		if item.Kind != protocol.CompletionItemKindFunction {
			t.Errorf("kind %v, want function", item.Kind)
		}
		if d, _ := item.Detail.Get(); !strings.Contains(d, "Table.AddColumn(") {
			t.Errorf("detail %q, want the signature", d)
		}
		if doc, ok := item.Documentation.(*protocol.MarkupContent); !ok || !strings.Contains(doc.Value, "](https://") {
			t.Errorf("documentation %#v, want a reference link", item.Documentation)
		}
		te, ok := item.TextEdit.(*protocol.TextEdit)
		if !ok {
			t.Fatalf("text edit %T", item.TextEdit)
		}
		if want := p.rng(t, ideMain, "Table.Ad", 0); te.Range != want {
			t.Errorf("edit range %v, want %v (the whole dotted prefix)", te.Range, want)
		}
		got := applyEdits(t, ideMain, []protocol.TextEdit{*te}, p.utf8)
		if !strings.Contains(got, `result = {"😀"} & Table.AddColumn`+"\n") {
			t.Errorf("applied completion gives:\n%s", got)
		}
	})
}

func TestCompletionScopeAndTriggers(t *testing.T) {
	p := startIDE(t, capsNone, false)
	c := p.c
	// Just after "let": the let's bindings, the parameter, the members.
	labels := func(pos protocol.Position) map[string]protocol.CompletionItemKind {
		t.Helper()
		res, err := c.server.Completion(ctx10(t), &protocol.CompletionParams{TextDocumentPositionParams: tdpp(p.main, pos)})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]protocol.CompletionItemKind{}
		for _, it := range res.(*protocol.CompletionList).Items {
			out[it.Label] = it.Kind
		}
		return out
	}
	got := labels(p.pos(t, ideMain, "rows)", 0, 0))
	for name, kind := range map[string]protocol.CompletionItemKind{
		"rows": protocol.CompletionItemKindVariable, "url": protocol.CompletionItemKindVariable,
		"Contoso.Helper": protocol.CompletionItemKindFunction, "let": protocol.CompletionItemKindKeyword,
	} {
		if k, ok := got[name]; !ok || k != kind {
			t.Errorf("%s: kind %v (present %v), want %v", name, k, ok, kind)
		}
	}
	// Inside a text literal or a comment: nothing.
	for _, at := range []protocol.Position{p.pos(t, ideMain, "é", 0, 0), p.pos(t, ideMain, "block", 0, 2)} {
		if got := labels(at); len(got) != 0 {
			t.Errorf("%d completions at %v, inside a literal or comment", len(got), at)
		}
	}
	res := c.initializeResultCaps(t)
	cp := res["completionProvider"].(map[string]any)
	if trig, _ := json.Marshal(cp["triggerCharacters"]); string(trig) != `[".","#","[","\""]` {
		t.Errorf("triggerCharacters = %s", trig)
	}
}

// initializeResultCaps is a second look at the capabilities: the server
// keeps none, so this starts a fresh one.
func (c *testClient) initializeResultCaps(t *testing.T) map[string]any {
	t.Helper()
	c2 := startServer(t, testOptions{delay: 0})
	raw, err := protocol.Marshal(c2.initialize(capsNone, nil))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	json.Unmarshal(raw, &got)
	return got["capabilities"].(map[string]any)
}

// semTok is a decoded semantic token.
type semTok struct {
	line, char, length uint32
	typ                string
	mods               []string
}

func decodeTokens(t *testing.T, data []uint32) []semTok {
	t.Helper()
	if len(data)%5 != 0 {
		t.Fatalf("%d integers, not a multiple of 5", len(data))
	}
	var out []semTok
	var line, char uint32
	for i := 0; i < len(data); i += 5 {
		if data[i] > 0 {
			line += data[i]
			char = data[i+1]
		} else {
			char += data[i+1]
		}
		tk := semTok{line: line, char: char, length: data[i+2]}
		if int(data[i+3]) >= len(semanticLegend().TokenTypes) {
			t.Fatalf("token type %d outside the legend", data[i+3])
		}
		tk.typ = semanticLegend().TokenTypes[data[i+3]]
		for b, name := range semanticLegend().TokenModifiers {
			if data[i+4]&(1<<b) != 0 {
				tk.mods = append(tk.mods, name)
			}
		}
		out = append(out, tk)
	}
	return out
}

func TestSemanticTokens(t *testing.T) {
	encodings(t, func(t *testing.T, caps string) {
		p := startIDE(t, caps, true)
		res, err := p.c.server.SemanticTokensFull(ctx10(t), &protocol.SemanticTokensParams{TextDocument: protocol.TextDocumentIdentifier{URI: p.main}})
		if err != nil {
			t.Fatal(err)
		}
		toks := decodeTokens(t, res.Data)
		for i := 1; i < len(toks); i++ {
			a, b := toks[i-1], toks[i]
			if b.line == a.line && b.char < a.char+a.length {
				t.Fatalf("tokens overlap or go back: %+v then %+v", a, b)
			}
		}
		// units is the length of s in the negotiated encoding.
		units := func(s string) uint32 {
			if p.utf8 {
				return uint32(len(s))
			}
			return uint32(token.UTF16Len([]byte(s)))
		}
		find := func(pos protocol.Position) *semTok {
			for i := range toks {
				if toks[i].line == pos.Line && toks[i].char == pos.Character {
					return &toks[i]
				}
			}
			return nil
		}
		for _, tc := range []struct {
			needle string
			n      int
			text   string // the token's text, if not needle
			typ    string
			mods   []string
		}{
			{needle: "let", typ: "keyword"},
			{needle: "Web.Contents", typ: "function", mods: []string{"defaultLibrary"}},
			{needle: "url)", text: "url", typ: "parameter"},
			{needle: `"😀 é"`, typ: "string"},
			{needle: "rows =", text: "rows", typ: "variable", mods: []string{"declaration"}},
			{needle: "Json.Document", typ: "function", mods: []string{"defaultLibrary"}},
			{needle: "Contoso.Helper", typ: "function", mods: []string{"declaration"}},
			{needle: "ContosoImpl", typ: "function"},
			{needle: `"1.0.0"`, typ: "string"},
			{needle: "text", n: 0, typ: "type"},
		} {
			text := tc.text
			if text == "" {
				text = tc.needle
			}
			pos := p.pos(t, ideMain, tc.needle, tc.n, 0)
			tk := find(pos)
			if tk == nil {
				t.Errorf("no token for %s at %v", tc.needle, pos)
				continue
			}
			if tk.length != units(text) || tk.typ != tc.typ || !slices.Equal(tk.mods, tc.mods) {
				t.Errorf("%s = %+v, want length %d type %s modifiers %v", tc.needle, *tk, units(text), tc.typ, tc.mods)
			}
		}
		// The block comment comes as one token per line.
		first := find(p.pos(t, ideMain, "/* a block", 0, 0))
		second := find(p.pos(t, ideMain, "comment */", 0, -len("           ")))
		if first == nil || first.typ != "comment" || first.length != units("/* a block") {
			t.Errorf("first line of the block comment = %+v", first)
		}
		if second == nil || second.typ != "comment" || second.length != units("           comment */") {
			t.Errorf("second line of the block comment = %+v", second)
		}
		// The module too: a reference to a shared member is a function.
		res, err = p.c.server.SemanticTokensFull(ctx10(t), &protocol.SemanticTokensParams{TextDocument: protocol.TextDocumentIdentifier{URI: p.mod}})
		if err != nil {
			t.Fatal(err)
		}
		toks = decodeTokens(t, res.Data)
		if tk := find(p.pos(t, ideModule, "Contoso.Helper", 0, 0)); tk == nil || tk.typ != "function" || tk.length != units("Contoso.Helper") {
			t.Errorf("Contoso.Helper in the module = %+v", tk)
		}
	})
}

func TestIDERequestErrors(t *testing.T) {
	p := startIDE(t, capsNone, false)
	c := p.c
	notOpen := fileURI(p.dir, "Helpers.pqm") // on disk, not open
	pos := `{"line":0,"character":0}`
	for _, tc := range []struct{ method, params string }{
		{"textDocument/hover", fmt.Sprintf(`{"textDocument":{"uri":%q},"position":%s}`, notOpen, pos)},
		{"textDocument/definition", fmt.Sprintf(`{"textDocument":{"uri":%q},"position":%s}`, notOpen, pos)},
		{"textDocument/references", fmt.Sprintf(`{"textDocument":{"uri":%q},"position":%s,"context":{"includeDeclaration":true}}`, notOpen, pos)},
		{"textDocument/prepareRename", fmt.Sprintf(`{"textDocument":{"uri":%q},"position":%s}`, notOpen, pos)},
		{"textDocument/rename", fmt.Sprintf(`{"textDocument":{"uri":%q},"position":%s,"newName":"x"}`, notOpen, pos)},
		{"textDocument/documentSymbol", fmt.Sprintf(`{"textDocument":{"uri":%q}}`, notOpen)},
		{"textDocument/completion", fmt.Sprintf(`{"textDocument":{"uri":%q},"position":%s}`, notOpen, pos)},
		{"textDocument/semanticTokens/full", fmt.Sprintf(`{"textDocument":{"uri":%q}}`, notOpen)},
		// Positions past the end of the document.
		{"textDocument/hover", fmt.Sprintf(`{"textDocument":{"uri":%q},"position":{"line":999,"character":0}}`, p.main)},
		{"textDocument/completion", fmt.Sprintf(`{"textDocument":{"uri":%q},"position":{"line":999,"character":3}}`, p.main)},
		{"textDocument/rename", fmt.Sprintf(`{"textDocument":{"uri":%q},"position":{"line":999,"character":3},"newName":"x"}`, p.main)},
	} {
		if code, _ := c.callRaw(tc.method, tc.params); code != jsonrpc2.InvalidParams {
			t.Errorf("%s %s: code %d, want InvalidParams", tc.method, tc.params, code)
		}
	}
}

// The model follows the edits: after a change, hover and definition see
// the new text.
func TestIDEFollowsEdits(t *testing.T) {
	p := startIDE(t, capsNone, true)
	c := p.c
	edited := strings.Replace(ideMain, "shared Contoso.Helper = (x) => x + 1;", "shared Contoso.Helper = (x, y) => x + y;", 1)
	c.changeAll(p.main, 2, edited)
	h, err := c.server.Hover(ctx10(t), &protocol.HoverParams{TextDocumentPositionParams: tdpp(p.mod, p.pos(t, ideModule, "Contoso.Helper", 0, 1))})
	if err != nil {
		t.Fatal(err)
	}
	if v := h.Contents.(*protocol.MarkupContent).Value; !strings.Contains(v, "(x, y) => x + y") {
		t.Errorf("hover after the edit = %q", v)
	}
}

// BenchmarkHoverAfterEdit measures an editor request on a fresh state of a
// ~200 KB connector: a one-character edit, then hover, which builds the
// project's model again; semantic tokens and completion then reuse it.
func BenchmarkHoverAfterEdit(b *testing.B) {
	text := bigConnector("Big", 200_000)
	dir := writeProject(b, map[string]string{"Big.pq": text})
	c := startServer(b, testOptions{delay: time.Hour}) // no diagnostics meanwhile
	c.initialize(capsNone, nil)
	u := fileURI(dir, "Big.pq")
	c.open(u, 1, text)
	at := strings.LastIndex(text, "Text.From(a)") + 2
	hoverPos := refPosition(text, at, false)
	editPos := refPosition(text, strings.LastIndex(text, "x + ")+4, false)
	b.ResetTimer()
	var hover, tokens, complete time.Duration
	for i := 0; i < b.N; i++ {
		digit := string(rune('0' + i%10))
		c.change(u, int32(i+2), wireEdit{Range: protocol.Range{Start: editPos, End: protocol.Position{Line: editPos.Line, Character: editPos.Character + 1}}, Text: digit})
		t0 := time.Now()
		if _, err := c.server.Hover(ctx10(b), &protocol.HoverParams{TextDocumentPositionParams: tdpp(u, hoverPos)}); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := c.server.SemanticTokensFull(ctx10(b), &protocol.SemanticTokensParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if _, err := c.server.Completion(ctx10(b), &protocol.CompletionParams{TextDocumentPositionParams: tdpp(u, hoverPos)}); err != nil {
			b.Fatal(err)
		}
		hover, tokens, complete = hover+t1.Sub(t0), tokens+t2.Sub(t1), complete+time.Since(t2)
	}
	b.ReportMetric(float64(hover.Microseconds())/1000/float64(b.N), "hover-ms")
	b.ReportMetric(float64(tokens.Microseconds())/1000/float64(b.N), "tokens-ms")
	b.ReportMetric(float64(complete.Microseconds())/1000/float64(b.N), "complete-ms")
}

// Requests racing with edits and with the diagnostics check answer, or say
// the content was modified; nothing else (run with -race).
func TestIDEConcurrentWithEdits(t *testing.T) {
	p := startIDE(t, capsNone, true)
	c := p.c
	pos := p.pos(t, ideMain, "rows)", 0, 1)
	modPos := p.pos(t, ideModule, "Contoso.Helper", 0, 1)
	done := make(chan struct{})
	errs := make(chan error, 64)
	for w := 0; w < 3; w++ {
		go func() {
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				var err error
				switch w {
				case 0:
					_, err = c.server.Hover(ctx10(t), &protocol.HoverParams{TextDocumentPositionParams: tdpp(p.main, pos)})
				case 1:
					_, err = c.server.SemanticTokensFull(ctx10(t), &protocol.SemanticTokensParams{TextDocument: protocol.TextDocumentIdentifier{URI: p.main}})
				case 2:
					_, err = c.server.References(ctx10(t), &protocol.ReferenceParams{TextDocumentPositionParams: tdpp(p.mod, modPos), Context: protocol.ReferenceContext{IncludeDeclaration: true}})
				}
				var je *jsonrpc2.Error
				if err != nil && !(asJSONRPCError(err, &je) && je.Code == protocol.CodeContentModified) {
					errs <- err
					return
				}
			}
		}()
	}
	// Edits at the end of the document keep every position above valid.
	text := ideMain
	for v := int32(2); v < 40; v++ {
		text += "\n"
		c.changeAll(p.main, v, text)
	}
	c.waitDiags(p.main, 39)
	close(done)
	for w := 0; w < 3; w++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// A buffer that is no file makes a project of its own; a document that is
// not M has nothing to say.
func TestIDEUntitledAndNonM(t *testing.T) {
	c := startServer(t, testOptions{delay: 0})
	c.initialize(`{"textDocument":{"documentSymbol":{"hierarchicalDocumentSymbolSupport":true}}}`, nil)
	const text = "let\n    greeting = \"😀\", answer = greeting\nin\n    answer\n"
	u := uri.URI("untitled:Untitled-1")
	c.open(u, 1, text)
	res, err := c.server.Definition(ctx10(t), &protocol.DefinitionParams{TextDocumentPositionParams: tdpp(u, refPosition(text, strings.LastIndex(text, "greeting"), false))})
	if err != nil {
		t.Fatal(err)
	}
	want := protocol.Location{URI: u, Range: protocol.Range{Start: refPosition(text, 8, false), End: refPosition(text, 16, false)}}
	if locs, ok := res.(protocol.LocationSlice); !ok || len(locs) != 1 || locs[0] != want {
		t.Errorf("definition in an untitled buffer = %#v, want %v", res, want)
	}

	dir := writeProject(t, map[string]string{"resources.resx": "<root/>"})
	resx := fileURI(dir, "resources.resx")
	c.notify("textDocument/didOpen", &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: resx, LanguageID: "xml", Version: 1, Text: "<root/>"}})
	params := fmt.Sprintf(`{"textDocument":{"uri":%q},"position":{"line":0,"character":1}}`, resx)
	if code, res := c.callRaw("textDocument/hover", params); code != 0 || string(res) != "null" {
		t.Errorf("hover in resources.resx: code %d result %s, want null", code, res)
	}
	if code, res := c.callRaw("textDocument/documentSymbol", fmt.Sprintf(`{"textDocument":{"uri":%q}}`, resx)); code != 0 || string(res) != "[]" {
		t.Errorf("symbols of resources.resx: code %d result %s, want []", code, res)
	}
	if code, res := c.callRaw("textDocument/semanticTokens/full", fmt.Sprintf(`{"textDocument":{"uri":%q}}`, resx)); code != 0 || string(res) != `{"data":[]}` {
		t.Errorf("tokens of resources.resx: code %d result %s", code, res)
	}
}

// Completion while the text does not parse: the trigger character just
// typed, a binding not finished.
func TestCompletionInBrokenText(t *testing.T) {
	p := startIDE(t, capsNone, false)
	c := p.c
	broken := strings.Replace(ideMain, `result = {"😀"} & Table.Ad`, `result = {"😀"} & Table.`, 1)
	broken = strings.Replace(broken, "    in\n        Table.FromRecords(rows);", "        more = ro\n    in\n        Table.FromRecords(rows);", 1)
	c.changeAll(p.main, 2, broken)
	items := func(pos protocol.Position) []protocol.CompletionItem {
		t.Helper()
		res, err := c.server.Completion(ctx10(t), &protocol.CompletionParams{TextDocumentPositionParams: tdpp(p.main, pos)})
		if err != nil {
			t.Fatal(err)
		}
		return res.(*protocol.CompletionList).Items
	}
	dot := items(p.pos(t, broken, "Table.\n", 0, len("Table.")))
	if len(dot) < 10 {
		t.Fatalf("%d completions after Table., want the Table functions", len(dot))
	}
	want := protocol.Range{Start: p.pos(t, broken, "Table.\n", 0, 0), End: p.pos(t, broken, "Table.\n", 0, len("Table."))}
	for _, it := range dot {
		if te := it.TextEdit.(*protocol.TextEdit); !strings.HasPrefix(it.Label, "Table.") || te.Range != want {
			t.Errorf("item %q edits %v, want %v", it.Label, te.Range, want)
			break
		}
	}
	var labels []string
	for _, it := range items(p.pos(t, broken, "more = ro", 0, len("more = ro"))) {
		labels = append(labels, it.Label)
	}
	if !slices.Contains(labels, "rows") {
		t.Errorf("completions of ro in an unfinished binding = %v, want rows among them", labels)
	}
}

func TestLineSpans(t *testing.T) {
	// A block comment over three lines with CR LF, CR and LF breaks, an
	// astral character on the first, and a BOM that takes no column.
	src := "\xEF\xBB\xBFx /* 😀\r\nab\rc */ y"
	c := newContent([]byte(src), false)
	start := strings.Index(src, "/*")
	end := strings.Index(src, "*/") + 2
	for _, tc := range []struct {
		m    mapper
		want []lineSpan
	}{
		{mapper{enc: protocol.PositionEncodingKindUTF16}, []lineSpan{{protocol.Position{Line: 0, Character: 2}, 5}, {protocol.Position{Line: 1}, 2}, {protocol.Position{Line: 2}, 4}}},
		{mapper{enc: protocol.PositionEncodingKindUTF8}, []lineSpan{{protocol.Position{Line: 0, Character: 2}, 7}, {protocol.Position{Line: 1}, 2}, {protocol.Position{Line: 2}, 4}}},
	} {
		if got := tc.m.lineSpans(c, start, end, nil); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.m.enc, got, tc.want)
		}
	}
	// A range that ends at a line break, and one that is empty.
	m := mapper{enc: protocol.PositionEncodingKindUTF16}
	if got := m.lineSpans(c, strings.Index(src, "ab"), strings.Index(src, "\rc"), nil); len(got) != 1 || got[0].length != 2 {
		t.Errorf("ab: %v", got)
	}
	if got := m.lineSpans(c, 5, 5, nil); len(got) != 0 {
		t.Errorf("empty range: %v", got)
	}
}

// TestOneModelPerState checks that the diagnostics and the editor requests
// of one state of a project are answered from one model: opening a
// document, getting its diagnostics, then hover, symbols, completion and
// semantic tokens builds the model once.
func TestOneModelPerState(t *testing.T) {
	var mu sync.Mutex
	builds := map[uint64]int{}
	dir := writeProject(t, map[string]string{"Contoso.pq": ideMain, "Helpers.pqm": ideModule})
	c := startServer(t, testOptions{delay: 0, hooks: testHooks{modelBuilt: func(_ string, gen uint64) {
		mu.Lock()
		builds[gen]++
		mu.Unlock()
	}}})
	c.initialize(capsNone, nil)
	main := fileURI(dir, "Contoso.pq")
	c.open(main, 1, ideMain)
	c.waitDiags(main, 1)
	p := &ideProject{dir: dir, main: main, c: c}
	at := tdpp(main, p.pos(t, ideMain, "Json.Document", 0, 5))
	if _, err := c.server.Hover(ctx10(t), &protocol.HoverParams{TextDocumentPositionParams: at}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.server.DocumentSymbol(ctx10(t), &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: main}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.server.Completion(ctx10(t), &protocol.CompletionParams{TextDocumentPositionParams: at}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.server.SemanticTokensFull(ctx10(t), &protocol.SemanticTokensParams{TextDocument: protocol.TextDocumentIdentifier{URI: main}}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(builds) != 1 {
		t.Fatalf("models built for %d states, want 1: %v", len(builds), builds)
	}
	for gen, n := range builds {
		if n != 1 {
			t.Errorf("state %d: model built %d times, want once for the check and every request", gen, n)
		}
	}
}
