package server

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// The connector of the editing-feature tests, shaped like the SDK's
// templates: a loader for .pqm modules, a data source kind record with
// OAuth, a Publish record, a documented function type with strings from
// resources.resx, and a paging helper in a module. An astral character
// before names on some lines makes UTF-16 and UTF-8 columns differ.
const editMain = `[Version = "1.0.0"]
section Fabrikam;

[DataSource.Kind = "Fabrikam", Publish = "Fabrikam.Publish"]
shared Fabrikam.Contents = Value.ReplaceType(FabrikamImpl, FabrikamType);

FabrikamType = type function (
    url as (type text meta [Documentation.FieldCaption = Extension.LoadString("UrlCaption")]),
    optional top as number)
    as table meta [
        Documentation.Name = Extension.LoadString("FunctionName")
    ];

// The implementation: one request, the rows of its value array.
// Paging is done by the module.
FabrikamImpl = (url as text, optional top as number) as table =>
    let
        banner = [a = "😀"][a], source = Web.Contents(url, [Headers = [Accept = "application/json"], Query = [top = Text.From(top)]]),
        rows = GetPages(source, 100)
    in
        rows;

Extension.LoadFunction = (fileName as text) =>
    let
        binary = Extension.Contents(fileName),
        asText = Text.FromBinary(binary)
    in
        Expression.Evaluate(asText, #shared);

GetPages = Extension.LoadFunction("Paging.pqm");

Fabrikam = [
    Authentication = [
        OAuth = [StartLogin = StartLogin, FinishLogin = FinishLogin]
    ],
    Label = Extension.LoadString("DataSourceLabel")
];

Fabrikam.Publish = [
    Beta = true,
    LearnMoreUrl = "https://fabrikam.example/docs",
    SourceImage = [Icon16 = {Extension.Contents("Fabrikam16.png")}]
];

StartLogin = (resourceUrl, state, display) => [];
FinishLogin = (context, callbackUri, state) => [];
`

const editModule = `// Reads every page of a listing.
let
    GetPages = (first as binary, pageSize as number) as table =>
        Table.FromRecords(Json.Document(first)[value])
in
    GetPages
`

const editResx = `<?xml version="1.0" encoding="utf-8"?>
<root>
  <data name="DataSourceLabel" xml:space="preserve">
    <value>Fabrikam</value>
  </data>
  <data name="FunctionName" xml:space="preserve">
    <value>Fabrikam orders</value>
  </data>
  <data name="UrlCaption" xml:space="preserve">
    <value>Service URL</value>
  </data>
</root>
`

type editProject struct {
	*ideProject
	resx    uri.URI
	initRes *protocol.InitializeResult
}

// startEdit writes the project and opens the main document with the given
// initializationOptions (nil for none).
func startEdit(t *testing.T, caps string, opts map[string]any) *editProject {
	t.Helper()
	dir := writeProject(t, map[string]string{
		"Fabrikam.pq": editMain, "Paging.pqm": editModule, "resources.resx": editResx, "Fabrikam16.png": "png",
	})
	c := startServer(t, testOptions{delay: 0})
	var extra map[string]any
	if opts != nil {
		extra = map[string]any{"initializationOptions": opts}
	}
	res := c.initialize(caps, extra)
	p := &ideProject{dir: dir, main: fileURI(dir, "Fabrikam.pq"), mod: fileURI(dir, "Paging.pqm"), c: c,
		utf8: res.Capabilities.PositionEncoding == protocol.PositionEncodingKindUTF8}
	c.open(p.main, 1, editMain)
	return &editProject{ideProject: p, resx: fileURI(dir, "resources.resx"), initRes: res}
}

// edit replaces the main document's text and returns it.
func (p *editProject) edit(t *testing.T, version int32, text string) string {
	t.Helper()
	p.c.changeAll(p.main, version, text)
	return text
}

func sigHelp(t *testing.T, p *editProject, pos protocol.Position) *protocol.SignatureHelp {
	t.Helper()
	h, err := p.c.server.SignatureHelp(ctx10(t), &protocol.SignatureHelpParams{TextDocumentPositionParams: tdpp(p.main, pos)})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// activeParam returns the label of the active parameter of h.
func activeParam(t *testing.T, h *protocol.SignatureHelp) string {
	t.Helper()
	if h == nil || len(h.Signatures) == 0 {
		t.Fatalf("no signature help")
	}
	i, ok := h.ActiveParameter.Get()
	if !ok {
		return ""
	}
	sig := h.Signatures[0]
	lbl := sig.Parameters[i].Label.(protocol.ParameterInformationLabelTuple)
	u := utf16Units(sig.Label)
	return string(u.slice(int(lbl[0]), int(lbl[1])))
}

type utf16Text []rune

func utf16Units(s string) utf16Text { return utf16Text(s) }

// slice cuts by UTF-16 offsets; the labels of the tests are in the BMP.
func (u utf16Text) slice(i, j int) string { return string(u[i:j]) }

func TestSignatureHelp(t *testing.T) {
	encodings(t, func(t *testing.T, caps string) {
		p := startEdit(t, caps, nil)
		tests := []struct {
			name, text, needle string
			delta              int
			wantLabel          string // a part of the signature
			wantParam          string
		}{
			{"library function, first argument", editMain, "Web.Contents(url", len("Web.Contents(u"), "Web.Contents(url as text", "url as text"},
			{"library function, second argument", editMain, "[Headers", 1, "Web.Contents(", "optional options as nullable record"},
			{"section member with a documented type", editMain, "GetPages(source", len("GetPages(source, 1"), "GetPages(first as binary", "pageSize as number"},
			{"let-bound function", editMain, "Text.FromBinary(binary)", len("Text.FromBinary(b"), "Text.FromBinary(", "binary as nullable binary"},
			{"connector function", editMain, `Extension.LoadString("FunctionName")`, len(`Extension.LoadString("Fun`), "Extension.LoadString(name as text)", "name as text"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				h := sigHelp(t, p, p.pos(t, tt.text, tt.needle, 0, tt.delta))
				if h == nil || !strings.Contains(h.Signatures[0].Label, tt.wantLabel) {
					t.Fatalf("signature = %+v, want one with %q", h, tt.wantLabel)
				}
				if got := activeParam(t, h); got != tt.wantParam {
					t.Errorf("active parameter %q, want %q", got, tt.wantParam)
				}
			})
		}
		// Outside any call: null.
		if h := sigHelp(t, p, p.pos(t, editMain, "section", 0, 2)); h != nil {
			t.Errorf("signature help outside a call: %+v", h)
		}
	})
}

func TestSignatureHelpHalfTyped(t *testing.T) {
	p := startEdit(t, capsNone, nil)
	// A call left open inside a let left open, with members after it.
	broken := strings.Replace(editMain, "rows = GetPages(source, 100)\n    in\n        rows;",
		"rows = GetPages(source, \n", 1)
	broken = strings.Replace(broken, `source = Web.Contents(url, [Headers = [Accept = "application/json"], Query = [top = Text.From(top)]]),`,
		`source = Web.Contents("https://fabrikam.example", `+"\n", 1)
	text := p.edit(t, 2, broken)
	h := sigHelp(t, p, p.pos(t, text, `Web.Contents("https://fabrikam.example", `, 0, len(`Web.Contents("https://fabrikam.example", `)))
	if got := activeParam(t, h); got != "optional options as nullable record" {
		t.Errorf("in an unclosed Web.Contents: active %q", got)
	}
	h = sigHelp(t, p, p.pos(t, text, "GetPages(source, ", 0, len("GetPages(source, ")))
	if got := activeParam(t, h); got != "pageSize as number" {
		t.Errorf("in an unclosed call to a module's function: active %q", got)
	}
	// Inside the text argument being typed.
	h = sigHelp(t, p, p.pos(t, text, `"https://fab`, 0, len(`"https://fab`)))
	if got := activeParam(t, h); got != "url as text" {
		t.Errorf("in the URL text: active %q", got)
	}
}

func completionLabels(t *testing.T, p *editProject, pos protocol.Position, trigger string) map[string]protocol.CompletionItem {
	t.Helper()
	params := &protocol.CompletionParams{TextDocumentPositionParams: tdpp(p.main, pos)}
	if trigger != "" {
		params.Context = protocol.CompletionContext{TriggerKind: protocol.CompletionTriggerKindTriggerCharacter, TriggerCharacter: &trigger}
	}
	res, err := p.c.server.Completion(ctx10(t), params)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]protocol.CompletionItem{}
	if list, ok := res.(*protocol.CompletionList); ok {
		for _, it := range list.Items {
			out[it.Label] = it
		}
	}
	return out
}

func TestConnectorCompletion(t *testing.T) {
	encodings(t, func(t *testing.T, caps string) {
		p := startEdit(t, caps, nil)
		tests := []struct {
			name      string
			text      string // replaces the whole of needle's line part
			needle    string
			delta     int
			want      []string
			dontWant  []string
			trigger   string
			wantRange string // the text the items replace
		}{
			{name: "Web.Contents options", needle: "[Headers", delta: 1, want: []string{"Headers", "Query", "ApiKeyName", "Timeout", "ManualStatusHandling", "RelativePath", "Content", "IsRetry", "ExcludedFromCacheKey", "ManualCredentials"}, dontWant: []string{"url", "Table.AddColumn"}},
			{name: "Web.Contents options typed", needle: "Query = [top", delta: 2, want: []string{"Query"}, dontWant: []string{"Headers", "Timeout"}, wantRange: "Qu"},
			{name: "headers", needle: "[Accept", delta: 1, want: []string{"Accept", "Authorization", `#"Content-Type"`}},
			{name: "authentication kinds", needle: "OAuth = [", delta: 0, want: []string{"OAuth", "Key", "UsernamePassword", "Windows", "Anonymous", "Aad"}},
			{name: "OAuth fields, written ones left out", needle: "FinishLogin = FinishLogin]", delta: 0, want: []string{"Refresh", "Logout", "Label", "FinishLogin"}, dontWant: []string{"StartLogin", "KeyLabel"}},
			{name: "kind record", needle: "Label = Extension.LoadString(\"DataSourceLabel\")", delta: 0, want: []string{"Label", "TestConnection", "SupportsEncryption"}, dontWant: []string{"Authentication"}},
			{name: "publish record", needle: "Beta = true", delta: 0, want: []string{"Beta", "Category", "ButtonText", "LearnMoreUrl", "SourceImage", "SupportsDirectQuery"}},
			{name: "icons", needle: "Icon16 =", delta: 0, want: []string{"Icon16", "Icon32"}},
			{name: "type metadata", needle: "Documentation.Name =", delta: 0, want: []string{"Documentation.Name", "Documentation.LongDescription", "Formatting.IsMultiLine"}},
			{name: "resx keys", needle: `LoadString("FunctionName")`, delta: len(`LoadString("Fu`), want: []string{"FunctionName"}, dontWant: []string{"DataSourceLabel"}, wantRange: "Fu"},
			{name: "resx keys, all", needle: `LoadString("DataSourceLabel")`, delta: len(`LoadString("`), want: []string{"DataSourceLabel", "FunctionName", "UrlCaption"}, trigger: `"`},
			{name: "project files", needle: `Contents("Fabrikam16.png")`, delta: len(`Contents("`), want: []string{"Fabrikam16.png", "Paging.pqm", "resources.resx"}, dontWant: []string{"Fabrikam.pq"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				pos := p.pos(t, editMain, tt.needle, 0, tt.delta)
				got := completionLabels(t, p, pos, tt.trigger)
				for _, w := range tt.want {
					if _, ok := got[w]; !ok {
						t.Errorf("missing %s in %v", w, slices.Sorted(mapKeys(got)))
					}
				}
				for _, w := range tt.dontWant {
					if _, ok := got[w]; ok {
						t.Errorf("unexpected %s", w)
					}
				}
				if tt.wantRange != "" {
					for _, it := range got {
						te := it.TextEdit.(*protocol.TextEdit)
						start := refOffset(t, editMain, te.Range.Start, p.utf8)
						end := refOffset(t, editMain, te.Range.End, p.utf8)
						if editMain[start:end] != tt.wantRange {
							t.Errorf("%s replaces %q, want %q", it.Label, editMain[start:end], tt.wantRange)
						}
					}
				}
			})
		}
		// A field completion inserts "Name = ".
		got := completionLabels(t, p, p.pos(t, editMain, "[Headers", 0, 1), "[")
		if te, ok := got["Timeout"].TextEdit.(*protocol.TextEdit); !ok || te.NewText != "Timeout = " {
			t.Errorf("Timeout inserts %+v", got["Timeout"].TextEdit)
		}
		// [ of a field access, typed: nothing.
		if got := completionLabels(t, p, p.pos(t, editMain, "][a]", 0, 2), "["); len(got) != 0 {
			t.Errorf("%d completions after the [ of a field access", len(got))
		}
	})
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestConnectorCompletionHalfTyped(t *testing.T) {
	p := startEdit(t, capsNone, nil)
	// Inside a broken let: the options record and the call left open.
	broken := strings.Replace(editMain, `source = Web.Contents(url, [Headers = [Accept = "application/json"], Query = [top = Text.From(top)]]),`,
		"source = Web.Contents(url, [Timeout = #duration(0, 0, 1, 0), Rel\n", 1)
	text := p.edit(t, 2, broken)
	got := completionLabels(t, p, p.pos(t, text, ", Rel", 0, len(", Rel")), "")
	if _, ok := got["RelativePath"]; !ok || len(got) != 1 {
		t.Errorf("completion of Rel in an open options record = %v", slices.Sorted(mapKeys(got)))
	}
	// The general completion still works in the same broken let.
	broken = strings.Replace(editMain, "rows = GetPages(source, 100)\n    in\n        rows;", "rows = GetPa\n", 1)
	text = p.edit(t, 3, broken)
	got = completionLabels(t, p, p.pos(t, text, "= GetPa", 0, len("= GetPa")), "")
	if _, ok := got["GetPages"]; !ok {
		t.Errorf("completion of GetPa in a broken let = %v", slices.Sorted(mapKeys(got)))
	}
}

func TestFoldingRanges(t *testing.T) {
	p := startEdit(t, capsNone, nil)
	folds, err := p.c.server.FoldingRanges(ctx10(t), &protocol.FoldingRangeParams{TextDocument: protocol.TextDocumentIdentifier{URI: p.main}})
	if err != nil {
		t.Fatal(err)
	}
	line := func(needle string) uint32 { return p.pos(t, editMain, needle, 0, 0).Line }
	has := func(start, end uint32, kind protocol.FoldingRangeKind) bool {
		for _, f := range folds {
			if f.StartLine == start && f.EndLine == end && f.Kind == kind {
				return true
			}
		}
		return false
	}
	for _, tc := range []struct {
		name       string
		start, end uint32
		kind       protocol.FoldingRangeKind
	}{
		{"let, up to in", line("    let\n        banner"), line("rows = GetPages"), protocol.FoldingRangeKindRegion},
		{"line comments", line("// The implementation"), line("// Paging"), protocol.FoldingRangeKindComment},
		{"kind record, its ] visible", line("Fabrikam = ["), line("    Label = Extension"), protocol.FoldingRangeKindRegion},
		{"nested record", line("    Authentication = ["), line("        OAuth = ["), protocol.FoldingRangeKindRegion},
		{"function type arguments", line("FabrikamType = type"), line("        Documentation.Name"), protocol.FoldingRangeKindRegion},
		{"section", line("section Fabrikam"), line("FinishLogin = (context"), protocol.FoldingRangeKindRegion},
	} {
		if !has(tc.start, tc.end, tc.kind) {
			t.Errorf("%s: no %s fold %d–%d in %+v", tc.name, tc.kind, tc.start, tc.end, folds)
		}
	}
	seen := map[uint32]bool{}
	for _, f := range folds {
		if f.EndLine <= f.StartLine || seen[f.StartLine] {
			t.Errorf("fold %+v is empty or starts on a line another fold starts on", f)
		}
		seen[f.StartLine] = true
	}
}

func TestSelectionRange(t *testing.T) {
	encodings(t, func(t *testing.T, caps string) {
		p := startEdit(t, caps, nil)
		pos := p.pos(t, editMain, "Web.Contents(url", 0, 2)
		res, err := p.c.server.SelectionRange(ctx10(t), &protocol.SelectionRangeParams{TextDocument: protocol.TextDocumentIdentifier{URI: p.main}, Positions: []protocol.Position{pos}})
		if err != nil || len(res) != 1 {
			t.Fatalf("%v %v", res, err)
		}
		var texts []string
		for sr := &res[0]; sr != nil; sr = sr.Parent {
			s := refOffset(t, editMain, sr.Range.Start, p.utf8)
			e := refOffset(t, editMain, sr.Range.End, p.utf8)
			texts = append(texts, editMain[s:e])
		}
		if texts[0] != "Web.Contents" || !strings.HasPrefix(texts[1], "Web.Contents(url, [Headers") || texts[len(texts)-1] != editMain {
			t.Errorf("selection chain starts %q, %q and ends %d bytes", texts[0], texts[1], len(texts[len(texts)-1]))
		}
		for i := 1; i < len(texts); i++ {
			if !strings.Contains(texts[i], texts[i-1]) || texts[i] == texts[i-1] {
				t.Errorf("step %d %q does not strictly contain %q", i, texts[i], texts[i-1])
			}
		}
	})
}

func TestDocumentHighlight(t *testing.T) {
	p := startEdit(t, capsNone, nil)
	hs, err := p.c.server.DocumentHighlight(ctx10(t), &protocol.DocumentHighlightParams{TextDocumentPositionParams: tdpp(p.main, p.pos(t, editMain, "source, 100", 0, 1))})
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 2 || hs[0].Kind != protocol.DocumentHighlightKindWrite || hs[1].Kind != protocol.DocumentHighlightKindRead {
		t.Fatalf("highlights of source = %+v", hs)
	}
	if hs[0].Range != p.rng(t, editMain, "source", 0) || hs[1].Range != p.rng(t, editMain, "source", 1) {
		t.Errorf("highlight ranges %+v", hs)
	}
}

func TestDocumentLinks(t *testing.T) {
	p := startEdit(t, capsNone, nil)
	links, err := p.c.server.DocumentLink(ctx10(t), &protocol.DocumentLinkParams{TextDocument: protocol.TextDocumentIdentifier{URI: p.main}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Paging.pqm":                    string(fileURI(p.dir, "Paging.pqm")),
		"Fabrikam16.png":                string(fileURI(p.dir, "Fabrikam16.png")),
		"https://fabrikam.example/docs": "https://fabrikam.example/docs",
	}
	for _, l := range links {
		s := refOffset(t, editMain, l.Range.Start, false)
		e := refOffset(t, editMain, l.Range.End, false)
		text := editMain[s:e]
		if w, ok := want[text]; ok && l.Target != nil && string(*l.Target) == w {
			delete(want, text)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing links %v in %+v", want, links)
	}
}

func inlayHints(t *testing.T, p *editProject) []protocol.InlayHint {
	t.Helper()
	end := refPosition(editMain, len(editMain), p.utf8)
	hs, err := p.c.server.InlayHint(ctx10(t), &protocol.InlayHintParams{TextDocument: protocol.TextDocumentIdentifier{URI: p.main}, Range: protocol.Range{End: end}})
	if err != nil {
		t.Fatal(err)
	}
	return hs
}

func TestInlayHints(t *testing.T) {
	// Off by default.
	if hs := inlayHints(t, startEdit(t, capsNone, nil)); len(hs) != 0 {
		t.Errorf("%d inlay hints with the setting off", len(hs))
	}
	p := startEdit(t, capsNone, map[string]any{"inlayHints": map[string]any{"parameterNames": true}})
	got := map[string]bool{}
	for _, h := range inlayHints(t, p) {
		off := refOffset(t, editMain, h.Position, false)
		arg := editMain[off:min(off+6, len(editMain))]
		if i := strings.IndexByte(arg, '\n'); i >= 0 {
			arg = arg[:i]
		}
		got[string(h.Label.(protocol.String))+arg] = true
	}
	for _, w := range []string{"first:source", "pageSize:100)", "options:[Heade", "value:Fabrik", "type:Fabrik"} {
		if !got[w] {
			t.Errorf("missing hint %q in %v", w, got)
		}
	}
	// One-parameter functions get none.
	for k := range got {
		if strings.HasPrefix(k, "name:") {
			t.Errorf("hint %q on a call of a one-parameter function", k)
		}
	}
}

func TestWorkspaceSymbols(t *testing.T) {
	p := startEdit(t, capsNone, nil)
	// A second project in the workspace folder, never opened.
	other := filepath.Join(p.dir, "Other")
	if err := os.MkdirAll(other, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(other, "Other.pq"), []byte("section Other;\nshared Other.Contents = () => OtherHelper;\nOtherHelper = 1;\n"), 0o644)
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsNone, map[string]any{"rootUri": uri.File(p.dir)})
	c.open(p.main, 1, editMain)
	symbols := func(query string) map[string]string {
		t.Helper()
		code, raw := c.callRaw("workspace/symbol", `{"query":"`+query+`"}`)
		if code != 0 {
			t.Fatalf("workspace/symbol: code %d", code)
		}
		var res []struct {
			Name     string `json:"name"`
			Location struct {
				URI string `json:"uri"`
			} `json:"location"`
		}
		if err := json.Unmarshal(raw, &res); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, ws := range res {
			out[ws.Name] = ws.Location.URI
		}
		return out
	}
	names := symbols("gpag")
	if !strings.HasSuffix(names["GetPages"], "Fabrikam.pq") && !strings.HasSuffix(names["GetPages"], "Paging.pqm") {
		t.Errorf("GetPages not found: %v", names)
	}
	if _, ok := names["FabrikamImpl"]; ok {
		t.Errorf("query gpag matched FabrikamImpl")
	}
	// The unopened project of the workspace folder.
	if u := symbols("otherhelper")["OtherHelper"]; !strings.HasSuffix(u, "Other/Other.pq") {
		t.Errorf("the unopened project's member is not found: %q", u)
	}
}

func TestDefinitionIntoModuleAndResources(t *testing.T) {
	encodings(t, func(t *testing.T, caps string) {
		p := startEdit(t, caps, nil)
		def := func(needle string, delta int) protocol.Location {
			t.Helper()
			res, err := p.c.server.Definition(ctx10(t), &protocol.DefinitionParams{TextDocumentPositionParams: tdpp(p.main, p.pos(t, editMain, needle, 0, delta))})
			if err != nil {
				t.Fatal(err)
			}
			locs, ok := res.(protocol.LocationSlice)
			if !ok || len(locs) != 1 {
				t.Fatalf("definition at %q = %#v", needle, res)
			}
			return locs[0]
		}
		// Through the loader into the module.
		loc := def("GetPages(source", 2)
		if loc.URI != p.mod || loc.Range != p.rng(t, editModule, "GetPages", 0) {
			t.Errorf("definition of GetPages = %+v, want the module's GetPages", loc)
		}
		// A resources.resx key.
		loc = def(`"FunctionName"`, 3)
		rs := refOffset(t, editResx, loc.Range.Start, p.utf8)
		re := refOffset(t, editResx, loc.Range.End, p.utf8)
		if loc.URI != p.resx || editResx[rs:re] != "FunctionName" {
			t.Errorf("definition of the key = %+v (%q)", loc, editResx[rs:re])
		}
		// A file name.
		loc = def(`"Paging.pqm"`, 3)
		if loc.URI != p.mod || loc.Range.Start != (protocol.Position{}) {
			t.Errorf("definition of the file name = %+v", loc)
		}
	})
}

func TestRenameResourceKey(t *testing.T) {
	p := startEdit(t, `{"workspace":{"workspaceEdit":{"documentChanges":true}}}`, nil)
	refs, err := p.c.server.References(ctx10(t), &protocol.ReferenceParams{
		TextDocumentPositionParams: tdpp(p.main, p.pos(t, editMain, `"DataSourceLabel"`, 0, 2)),
		Context:                    protocol.ReferenceContext{IncludeDeclaration: true},
	})
	if err != nil || len(refs) != 2 || refs[0].URI != p.main && refs[1].URI != p.main {
		t.Fatalf("references of the key = %+v %v", refs, err)
	}
	we, err := p.c.server.Rename(ctx10(t), &protocol.RenameParams{
		TextDocumentPositionParams: tdpp(p.main, p.pos(t, editMain, `"DataSourceLabel"`, 0, 2)), NewName: "KindLabel",
	})
	if err != nil {
		t.Fatal(err)
	}
	texts := applyWorkspaceEdit(t, we, map[uri.URI]string{p.main: editMain, p.resx: editResx}, false, map[uri.URI]int32{p.main: 1})
	if !strings.Contains(texts[p.main], `Extension.LoadString("KindLabel")`) || !strings.Contains(texts[p.resx], `<data name="KindLabel"`) {
		t.Errorf("after the rename:\n%s\n%s", texts[p.main], texts[p.resx])
	}
	// Onto an existing key: refused.
	_, err = p.c.server.Rename(ctx10(t), &protocol.RenameParams{
		TextDocumentPositionParams: tdpp(p.main, p.pos(t, editMain, `"DataSourceLabel"`, 0, 2)), NewName: "FunctionName",
	})
	if err == nil || !strings.Contains(err.Error(), "already has") {
		t.Errorf("rename onto an existing key: %v", err)
	}
}

func hoverText(t *testing.T, p *editProject, pos protocol.Position) string {
	t.Helper()
	h, err := p.c.server.Hover(ctx10(t), &protocol.HoverParams{TextDocumentPositionParams: tdpp(p.main, pos)})
	if err != nil {
		t.Fatal(err)
	}
	if h == nil {
		return ""
	}
	return h.Contents.(*protocol.MarkupContent).Value
}

func TestHoverSummariesAndFindings(t *testing.T) {
	p := startEdit(t, capsNone, nil)
	v := hoverText(t, p, p.pos(t, editMain, "Web.Contents", 0, 3))
	for _, want := range []string{"Web.Contents(url as text", "Downloads", "https://learn.microsoft.com/powerquery-m/web-contents"} {
		if !strings.Contains(v, want) {
			t.Errorf("Web.Contents hover lacks %q: %s", want, v)
		}
	}
	// A function loaded from a module shows its signature there.
	if v := hoverText(t, p, p.pos(t, editMain, "GetPages(source", 0, 2)); !strings.Contains(v, "(first as binary, pageSize as number) as table") || !strings.Contains(v, "Paging.pqm") {
		t.Errorf("GetPages hover = %s", v)
	}
	// A resx key shows its string.
	if v := hoverText(t, p, p.pos(t, editMain, `"FunctionName"`, 0, 3)); !strings.Contains(v, "Fabrikam orders") {
		t.Errorf("key hover = %s", v)
	}
	// A finding: Web.Contents with a URL parameter and no Publish icons
	// etc. gives findings; the hover on one carries its rule's explanation.
	pub := p.c.waitDiags(p.main, 1)
	var d *protocol.Diagnostic
	for i := range pub.Diagnostics {
		if pub.Diagnostics[i].Code != nil {
			d = &pub.Diagnostics[i]
			break
		}
	}
	if d == nil {
		t.Fatalf("no finding in the fixture: %+v", pub.Diagnostics)
	}
	code := string(d.Code.(protocol.String))
	v = hoverText(t, p, d.Range.Start)
	if !strings.Contains(v, "**"+code+"**") {
		t.Errorf("hover on a %s finding = %s", code, v)
	}
}

func TestFeaturesComplement(t *testing.T) {
	p := startEdit(t, capsNone, map[string]any{"features": "complement"})
	raw, err := protocol.Marshal(p.initRes)
	if err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"documentSymbolProvider", "semanticTokensProvider"} {
		if strings.Contains(string(raw), gone) {
			t.Errorf("%s offered in complement mode", gone)
		}
	}
	for _, kept := range []string{"referencesProvider", "codeActionProvider", "signatureHelpProvider", "foldingRangeProvider"} {
		if !strings.Contains(string(raw), kept) {
			t.Errorf("%s not offered in complement mode", kept)
		}
	}
	// Overlapping requests answer null; the general completion and hover
	// are left out, the connector ones stay.
	code, out := p.c.callRaw("textDocument/documentSymbol", `{"textDocument":{"uri":"`+string(p.main)+`"}}`)
	if code != 0 || string(out) != "null" {
		t.Errorf("documentSymbol in complement mode: %d %s", code, out)
	}
	if got := completionLabels(t, p, p.pos(t, editMain, "GetPages(source", 0, 4), ""); len(got) != 0 {
		t.Errorf("general completion in complement mode: %d items", len(got))
	}
	if got := completionLabels(t, p, p.pos(t, editMain, "[Headers", 0, 1), ""); len(got) == 0 {
		t.Errorf("no options completion in complement mode")
	}
	if v := hoverText(t, p, p.pos(t, editMain, "Text.From(top", 0, 2)); v != "" {
		t.Errorf("library hover in complement mode: %s", v)
	}
	// Syntax errors are Microsoft's to report.
	p.edit(t, 2, editMain+"\nBroken = (;\n")
	pub := p.c.waitDiags(p.main, 2)
	for _, d := range pub.Diagnostics {
		if c, ok := d.Code.(protocol.String); ok && c == "syntax" {
			t.Errorf("syntax error reported in complement mode: %s", d.Message)
		}
	}
}

func TestFeaturesSettingRejected(t *testing.T) {
	if _, _, err := splitFeatures(json.RawMessage(`{"features":"some"}`)); err == nil {
		t.Errorf("features: some accepted")
	}
	rest, f, err := splitFeatures(json.RawMessage(`{"features":"complement","inlayHints":{"parameterNames":true},"rules":{"PQC030":"off"}}`))
	if err != nil || f.mode != featuresComplement || !f.parameterHints || string(rest) != `{"rules":{"PQC030":"off"}}` {
		t.Errorf("split = %s %+v %v", rest, f, err)
	}
}

func TestResourceKeyFromResx(t *testing.T) {
	p := startEdit(t, `{"workspace":{"workspaceEdit":{"documentChanges":true}}}`, nil)
	p.c.notify("textDocument/didOpen", &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: p.resx, LanguageID: "xml", Version: 3, Text: editResx,
	}})
	at := refPosition(editResx, strings.Index(editResx, `"FunctionName"`)+3, false)
	refs, err := p.c.server.References(ctx10(t), &protocol.ReferenceParams{
		TextDocumentPositionParams: tdpp(p.resx, at),
		Context:                    protocol.ReferenceContext{IncludeDeclaration: false},
	})
	if err != nil || len(refs) != 1 || refs[0].URI != p.main || refs[0].Range != p.rng(t, editMain, "FunctionName", 0) {
		t.Fatalf("references from resources.resx = %+v %v", refs, err)
	}
	prep, err := p.c.server.PrepareRename(ctx10(t), &protocol.PrepareRenameParams{TextDocumentPositionParams: tdpp(p.resx, at)})
	if err != nil || prep == nil {
		t.Fatalf("prepareRename in resources.resx: %v %v", prep, err)
	}
	we, err := p.c.server.Rename(ctx10(t), &protocol.RenameParams{TextDocumentPositionParams: tdpp(p.resx, at), NewName: "Title"})
	if err != nil {
		t.Fatal(err)
	}
	texts := applyWorkspaceEdit(t, we, map[uri.URI]string{p.main: editMain, p.resx: editResx}, false, map[uri.URI]int32{p.main: 1, p.resx: 3})
	if !strings.Contains(texts[p.main], `Extension.LoadString("Title")`) || !strings.Contains(texts[p.resx], `<data name="Title"`) {
		t.Errorf("after the rename:\n%s\n%s", texts[p.main], texts[p.resx])
	}
	// Elsewhere in the resx: nothing to rename.
	_, err = p.c.server.Rename(ctx10(t), &protocol.RenameParams{TextDocumentPositionParams: tdpp(p.resx, protocol.Position{}), NewName: "X"})
	if err == nil {
		t.Errorf("rename at the top of resources.resx succeeded")
	}
}

func TestSignatureHelpDataSourceFunction(t *testing.T) {
	p := startEdit(t, capsNone, nil)
	// A call of the data source function, being typed at the end of the
	// document: its parameters come from the ascribed type, their
	// documentation from the type's metadata and resources.resx.
	text := p.edit(t, 2, editMain+"\nTry = () => Fabrikam.Contents(\"https://x\"")
	h := sigHelp(t, p, p.pos(t, text, `Fabrikam.Contents("https://x`, 0, len(`Fabrikam.Contents("https://x`)))
	if got := activeParam(t, h); !strings.HasPrefix(got, "url as (type text meta") {
		t.Fatalf("active parameter %q", got)
	}
	sig := h.Signatures[0]
	if !strings.HasPrefix(sig.Label, "Fabrikam.Contents(url") || !strings.HasSuffix(sig.Label, "optional top as number) as table") {
		t.Errorf("label %q", sig.Label)
	}
	if d, ok := sig.Parameters[0].Documentation.(protocol.String); !ok || d != "Service URL" {
		t.Errorf("parameter documentation %#v", sig.Parameters[0].Documentation)
	}
	if d, ok := sig.Documentation.(*protocol.MarkupContent); !ok || !strings.Contains(d.Value, "Fabrikam orders") {
		t.Errorf("function documentation %#v", sig.Documentation)
	}
}

func TestDocumentHighlightResourceKey(t *testing.T) {
	p := startEdit(t, capsNone, nil)
	text := p.edit(t, 2, strings.Replace(editMain, "Beta = true,", `Beta = true, ButtonText = {Extension.LoadString("FunctionName")},`, 1))
	hs, err := p.c.server.DocumentHighlight(ctx10(t), &protocol.DocumentHighlightParams{TextDocumentPositionParams: tdpp(p.main, p.pos(t, text, `"FunctionName"`, 1, 2))})
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 2 || hs[0].Range != p.rng(t, text, "FunctionName", 0) || hs[1].Range != p.rng(t, text, "FunctionName", 1) {
		t.Errorf("highlights of the key = %+v", hs)
	}
}
