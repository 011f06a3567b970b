package ide

import (
	"errors"
	"strings"
	"testing"

	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
)

const mainDoc = `[Version = "1.0.0"]
section Contoso;

[DataSource.Kind = "Contoso", Publish = "Contoso.Publish"]
shared Contoso.Contents = Value.ReplaceType(ContosoImpl, ContosoType);

ContosoType = type function (url as text) as table meta [Documentation.Name = "Contoso data"];

ContosoImpl = (url as text) as table =>
    let
        source = Web.Contents(url),
        rows = Json.Document(source)[value],
        #"Two words" = Table.FromRecords(rows)
    in
        #"Two words";

Helper = (x) => x + 1;
`

const module = `let
    twice = (x) => Contoso.Contents(x) & Contoso.Contents(x)
in
    twice
`

func setup(t *testing.T) (*model.Program, *model.File, *model.File) {
	t.Helper()
	main := &model.File{Path: "/p/Contoso.pq", AST: parser.Parse("Contoso.pq", []byte(mainDoc)), Role: project.Main}
	mod := &model.File{Path: "/p/Twice.pqm", AST: parser.Parse("Twice.pqm", []byte(module)), Role: project.Module}
	for _, f := range []*model.File{main, mod} {
		if len(f.AST.Errors) > 0 {
			t.Fatalf("%s: %s", f.Path, f.AST.Message(f.AST.Errors[0]))
		}
	}
	prog := model.New(&project.Project{Root: "/p"}, main, mod)
	return prog, main, mod
}

// at returns the offset of the n-th (0-based) occurrence of needle plus delta.
func at(t *testing.T, src, needle string, n, delta int) int {
	t.Helper()
	off := -1
	for i := 0; i <= n; i++ {
		j := strings.Index(src[off+1:], needle)
		if j < 0 {
			t.Fatalf("%q occurrence %d not found", needle, n)
		}
		off += 1 + j
	}
	return off + delta
}

func TestDefinition(t *testing.T) {
	prog, main, mod := setup(t)
	tests := []struct {
		name      string
		file      *model.File
		src       string
		needle    string
		n         int
		wantPath  string
		wantIdent string
	}{
		{"member used before its definition", main, mainDoc, "ContosoImpl", 0, "/p/Contoso.pq", "ContosoImpl"},
		{"let variable", main, mainDoc, "source)", 0, "/p/Contoso.pq", "source"},
		{"quoted identifier", main, mainDoc, `#"Two words"`, 1, "/p/Contoso.pq", `#"Two words"`},
		{"parameter", main, mainDoc, "url)", 0, "/p/Contoso.pq", "url"},
		{"shared member from a module", mod, module, "Contoso.Contents", 0, "/p/Contoso.pq", "Contoso.Contents"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			locs := Definition(prog, tt.file, at(t, tt.src, tt.needle, tt.n, 1))
			if len(locs) != 1 {
				t.Fatalf("got %d locations", len(locs))
			}
			got := string(prog.ByPath[locs[0].Path].AST.Src[locs[0].Start:locs[0].End])
			if locs[0].Path != tt.wantPath || got != tt.wantIdent {
				t.Errorf("definition at %s %q, want %s %q", locs[0].Path, got, tt.wantPath, tt.wantIdent)
			}
			if def := locs[0].Start; def == at(t, tt.src, tt.needle, tt.n, 0) && tt.file.Path == tt.wantPath {
				t.Errorf("definition points at the reference itself")
			}
		})
	}
	if locs := Definition(prog, main, at(t, mainDoc, "Web.Contents", 0, 2)); locs != nil {
		t.Errorf("library name has a definition location: %v", locs)
	}
}

func TestReferencesAndRename(t *testing.T) {
	prog, main, _ := setup(t)
	off := at(t, mainDoc, "Contoso.Contents", 0, 0) // the member's own name
	refs, _ := References(bg, prog, main, off, true)
	if len(refs) != 3 { // definition + two uses in the module
		t.Fatalf("got %d references, want 3: %v", len(refs), refs)
	}
	edits, err := Rename(bg, prog, main, off, "Contoso Data")
	if err != nil {
		t.Fatal(err)
	}
	if len(edits) != 3 {
		t.Fatalf("got %d edits, want 3", len(edits))
	}
	for _, e := range edits {
		if e.NewText != `#"Contoso Data"` {
			t.Errorf("rename writes %q, want a quoted identifier", e.NewText)
		}
	}
	if _, err := Rename(bg, prog, main, at(t, mainDoc, "Web.Contents", 0, 1), "X"); err == nil {
		t.Errorf("renaming a library function succeeded")
	}
}

func TestHover(t *testing.T) {
	prog, main, _ := setup(t)
	text, _, ok := Hover(prog, main, at(t, mainDoc, "Web.Contents", 0, 1))
	if !ok || !strings.Contains(text, "Web.Contents(") || !strings.Contains(text, "learn.microsoft.com") {
		t.Errorf("library hover = %q", text)
	}
	text, _, ok = Hover(prog, main, at(t, mainDoc, "Contoso.Contents", 0, 1))
	if !ok || !strings.Contains(text, "Contoso data") || !strings.Contains(text, "kind `Contoso`") || !strings.Contains(text, "(url as text) as table") {
		t.Errorf("data source function hover = %q", text)
	}
	if _, _, ok := Hover(prog, main, 0); ok {
		t.Errorf("hover on the attribute bracket")
	}
}

func TestSymbols(t *testing.T) {
	_, main, mod := setup(t)
	syms := Symbols(main)
	if len(syms) != 1 || syms[0].Name != "Contoso" || len(syms[0].Children) != 4 {
		t.Fatalf("section outline = %+v", syms)
	}
	impl := syms[0].Children[2]
	if impl.Name != "ContosoImpl" || impl.Kind != SymbolFunction || len(impl.Children) != 3 {
		t.Errorf("ContosoImpl outline = %+v", impl)
	}
	if m := Symbols(mod); len(m) != 1 || m[0].Name != "twice" {
		t.Errorf("module outline = %+v", m)
	}
}

func TestComplete(t *testing.T) {
	prog, main, _ := setup(t)
	off := at(t, mainDoc, "Json.Document", 0, len("Json.Doc"))
	labels := map[string]bool{}
	for _, c := range complete(t, prog, main, off) {
		labels[c.Label] = true
	}
	if !labels["Json.Document"] || labels["Web.Contents"] {
		t.Errorf("completion of Json.Doc = %v", labels)
	}
	off = at(t, mainDoc, "rows)", 0, 0)
	labels = map[string]bool{}
	for _, c := range complete(t, prog, main, off) {
		labels[c.Label] = true
	}
	for _, want := range []string{"rows", "source", `#"Two words"`, "url", "Helper", "ContosoImpl"} {
		if !labels[want] {
			t.Errorf("completion in the let body lacks %s", want)
		}
	}
}

func TestSemanticTokens(t *testing.T) {
	prog, main, _ := setup(t)
	toks, _ := SemanticTokens(bg, prog, main)
	find := func(needle string, n int) SemanticToken {
		off := at(t, mainDoc, needle, n, 0)
		for _, tk := range toks {
			if tk.Start == off {
				return tk
			}
		}
		t.Fatalf("no token at %q", needle)
		return SemanticToken{}
	}
	if tk := find("Web.Contents", 0); tk.Type != TokFunction || tk.Modifiers&ModDefaultLibrary == 0 {
		t.Errorf("Web.Contents = %+v", tk)
	}
	if tk := find("url)", 0); tk.Type != TokParameter {
		t.Errorf("url = %+v", tk)
	}
	if tk := find("let", 0); tk.Type != TokKeyword {
		t.Errorf("let = %+v", tk)
	}
	if tk := find(`"1.0.0"`, 0); tk.Type != TokString {
		t.Errorf("version = %+v", tk)
	}
	for i := 1; i < len(toks); i++ {
		if toks[i].Start < toks[i-1].End {
			t.Fatalf("tokens overlap: %+v %+v", toks[i-1], toks[i])
		}
	}
}

func TestCheckName(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{in: "rows", want: "rows"},
		{in: "two words", want: "two words"},
		{in: `#"two words"`, want: "two words"},
		{in: `#"say ""hi"""`, want: `say "hi"`},
		{in: "Contoso.Contents", want: "Contoso.Contents"},
		{in: "", err: "empty"},
		{in: "  ", err: "empty"},
		{in: "a\nb", err: "line break"},
		{in: " a", err: "space"},
		{in: `#"a" b`, err: "quoted identifier"},
		{in: "a\xffb", err: "UTF-8"},
	} {
		got, err := CheckName(tc.in)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("CheckName(%q) = %q, %v; want an error about %s", tc.in, got, err, tc.err)
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("CheckName(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestRenameRefusals(t *testing.T) {
	prog, main, _ := setup(t)
	_, err := Rename(bg, prog, main, at(t, mainDoc, "Web.Contents", 0, 1), "X")
	if err == nil || !strings.Contains(err.Error(), "standard library") {
		t.Errorf("renaming a library name: %v", err)
	}
	_, err = Rename(bg, prog, main, at(t, mainDoc, " ", 0, 0), "X")
	if !errors.Is(err, ErrNoName) {
		t.Errorf("renaming nothing: %v", err)
	}
	// Onto a name of the same scope: the two would merge.
	if _, err = Rename(bg, prog, main, at(t, mainDoc, "rows)", 0, 0), "source"); err == nil || !strings.Contains(err.Error(), "already defined") {
		t.Errorf("renaming rows to source: %v", err)
	}
	if _, err = Rename(bg, prog, main, at(t, mainDoc, "Helper", 0, 0), "ContosoImpl"); err == nil || !strings.Contains(err.Error(), "already defined") {
		t.Errorf("renaming a member to another member's name: %v", err)
	}
	// Onto a name of another scope, or its own name: fine.
	if _, err = Rename(bg, prog, main, at(t, mainDoc, "rows)", 0, 0), "Helper"); err != nil {
		t.Errorf("renaming rows to a member's name: %v", err)
	}
	if edits, err := Rename(bg, prog, main, at(t, mainDoc, "rows)", 0, 0), `#"rows"`); err != nil || len(edits) != 2 || edits[0].NewText != "rows" {
		t.Errorf("renaming rows to itself, quoted: %v %v", edits, err)
	}
}

func TestPrefix(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"x = Table.Ad", "Table.Ad"},
		{"x = #sha", "#sha"},
		{`x = "😀"Table.Ad`, "Table.Ad"}, // an emoji is no part of a name
		{"x = 😀Table.Ad", "Table.Ad"},
		{"x = éclair", "éclair"}, // letters beyond ASCII are
		{"x = (a", "a"},
		{"x = ", ""},
	} {
		start, got := Prefix([]byte(tc.src), len(tc.src))
		if got != tc.want || tc.src[start:] != tc.want {
			t.Errorf("Prefix(%q) = %d %q, want %q", tc.src, start, got, tc.want)
		}
	}
}

func TestCompleteNotInTextOrComment(t *testing.T) {
	src := "let\n    a = \"Tab\", // Tab\n    b = /* Ta */ Ta,\n    c = \"unterminated Ta"
	main := &model.File{Path: "/p/q.pq", AST: parser.Parse("q.pq", []byte(src)), Role: project.Main}
	prog := model.New(&project.Project{Root: "/p"}, main)
	for _, tc := range []struct {
		needle string
		n      int
		want   bool
	}{
		{`"Tab"`, 0, false},  // inside the text
		{"// Tab", 0, false}, // inside the line comment (at its end)
		{"/* Ta", 0, false},
		{"Ta,", 0, true},
		{"unterminated Ta", 0, false},
	} {
		off := at(t, src, tc.needle, tc.n, len(tc.needle))
		if tc.needle == `"Tab"` || tc.needle == "/* Ta" {
			off--
		}
		if got := len(complete(t, prog, main, off)) > 0; got != tc.want {
			t.Errorf("completions after %q: %v, want %v", tc.needle, got, tc.want)
		}
	}
}

func TestSemanticTokensFunctionDeclarations(t *testing.T) {
	prog, main, _ := setup(t)
	for _, tc := range []struct {
		needle string
		n      int
		typ    TokenType
	}{
		{"Helper", 0, TokFunction},      // declared as a function
		{"ContosoImpl", 1, TokFunction}, // the declaration, as its use
		{"ContosoType", 1, TokVariable},
		{"source =", 0, TokVariable},
	} {
		off := at(t, mainDoc, tc.needle, tc.n, 0)
		var tk *SemanticToken
		for _, x := range semanticTokens(t, prog, main) {
			if x.Start == off {
				tk = &x
			}
		}
		if tk == nil || tk.Type != tc.typ || tk.Modifiers&ModDeclaration == 0 {
			t.Errorf("%s declaration = %+v, want type %d", tc.needle, tk, tc.typ)
		}
	}
}

func TestRenameRefusesCapture(t *testing.T) {
	prog, main, mod := setup(t)
	for _, tc := range []struct {
		name    string
		file    *model.File
		off     int
		newName string
		culprit string
	}{
		// The let binding would hide the parameter from source = Web.Contents(url).
		{"binding over a parameter", main, at(t, mainDoc, "rows)", 0, 0), "url", "url"},
		// The member would take the place of the library function it uses.
		{"member over a library name", main, at(t, mainDoc, "ContosoImpl", 1, 0), "Json.Document", "Json.Document"},
		// The module's parameter would hide the shared member the module uses.
		{"parameter over a shared member", mod, at(t, module, "(x)", 0, 1), "Contoso.Contents", "Contoso.Contents"},
	} {
		_, err := Rename(bg, prog, tc.file, tc.off, tc.newName)
		if err == nil || !strings.Contains(err.Error(), "would change what "+tc.culprit) {
			t.Errorf("%s: %v, want a refusal naming %s", tc.name, err, tc.culprit)
		}
	}
	// Shadowing that changes nothing is fine: the parameter of Helper named
	// like the member.
	if _, err := Rename(bg, prog, main, at(t, mainDoc, "(x)", 0, 1), "Helper"); err != nil {
		t.Errorf("renaming Helper's parameter to Helper: %v", err)
	}
}
