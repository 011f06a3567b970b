package ide

import (
	"strings"
	"testing"

	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
)

func TestOpenFrames(t *testing.T) {
	for _, tc := range []struct {
		name, src string // | marks the cursor
		callee    string
		arg       int
		record    bool
		owner     string
		fields    string
		inText    bool
	}{
		{name: "first argument", src: `x = Web.Contents(|`, callee: "Web.Contents"},
		{name: "second argument", src: `x = Web.Contents(url, |`, callee: "Web.Contents", arg: 1},
		{name: "nested call closed", src: `x = Web.Contents(Uri.Combine(a, b), |`, callee: "Web.Contents", arg: 1},
		{name: "options record", src: `x = Web.Contents(url, [Headers = [], |`, callee: "Web.Contents", arg: 1, record: true, fields: "Headers"},
		{name: "field access is no record", src: `x = Table.AddColumn(t, "a", each [|`, callee: "Table.AddColumn", arg: 2},
		{name: "function parameters are no call", src: `f = (a, |`},
		{name: "type function is no call", src: `t = type function (a as text, |`},
		{name: "member end resets", src: "a = F(1,\n;\nb = |"},
		{name: "in a text", src: `x = Extension.LoadString("Fu|`, callee: "Extension.LoadString", inText: true},
		{name: "record owner", src: "Contoso = [\n    Authentication = [|", record: true, owner: "Authentication"},
		{name: "meta record", src: "T = type function () as table meta [|", record: true, owner: "meta"},
		{name: "quoted callee", src: `x = #"My Func"(1, |`, callee: "My Func", arg: 1},
		{name: "hash keyword callee", src: `x = #date(2024, |`, callee: "#date", arg: 1},
		{name: "comma in a comment does not count", src: "x = F(a /* , */, // ,\n |", callee: "F", arg: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			off := strings.Index(tc.src, "|")
			src := []byte(tc.src[:off] + tc.src[off+1:])
			ctx := scanContext(nil, src, 0, off)
			if (ctx.textStart >= 0) != tc.inText {
				t.Errorf("in text = %v", ctx.textStart >= 0)
			}
			call, ok := enclosingCall(ctx.frames)
			if tc.callee == "" {
				if ok {
					t.Errorf("call %+v, want none", call)
				}
			} else if !ok || call.callee != tc.callee || call.arg != tc.arg {
				t.Errorf("call %+v, want %s argument %d", call, tc.callee, tc.arg)
			}
			var top frame
			if n := len(ctx.frames); n > 0 {
				top = ctx.frames[n-1]
			}
			if top.record != tc.record || top.owner != tc.owner || strings.Join(top.fields, ",") != tc.fields {
				t.Errorf("innermost frame %+v, want record %v owner %q fields %q", top, tc.record, tc.owner, tc.fields)
			}
		})
	}
}

func TestLibrarySignature(t *testing.T) {
	fn, ok := libraryFunc("Web.Contents")
	if !ok {
		t.Fatal("Web.Contents not in the library")
	}
	sig := librarySignature(fn)
	var got []string
	for _, p := range sig.Params {
		got = append(got, p.Name+"="+sig.Label[p.Start:p.End])
	}
	if want := "url=url as text|options=optional options as nullable record"; strings.Join(got, "|") != want {
		t.Errorf("parameters %q, want %q", strings.Join(got, "|"), want)
	}
	if !sig.Params[1].Optional || sig.Params[0].Optional {
		t.Errorf("optional flags %+v", sig.Params)
	}
	// A connector function the table lacks gets its signature from ide.
	if fn, ok := libraryFunc("Extension.LoadString"); !ok || !strings.HasPrefix(fn.Signature, "Extension.LoadString(name as text)") {
		t.Errorf("Extension.LoadString = %+v", fn)
	}
	// Parameters of function type hold commas inside brackets.
	sig = librarySignature(model.LibraryFunc{Signature: "F(a as {number}, b as function (x as any) as any, optional c as record) as list"})
	if len(sig.Params) != 3 || sig.Params[2].Name != "c" {
		t.Errorf("parameters %+v", sig.Params)
	}
}

func TestFoldsAndSelection(t *testing.T) {
	src := "section S;\n\n// one\n// two\nF = () =>\n    let\n        a = [\n            b = 1\n        ]\n    in\n        a;\n"
	f := &model.File{Path: "/p/S.pq", AST: parser.Parse("S.pq", []byte(src)), Role: project.Main}
	model.New(&project.Project{Root: "/p"}, f)
	lines := map[string]bool{}
	for _, fo := range Folds(f) {
		lines[firstLineOf(src[fo.Start:])+" … "+strings.TrimSpace(lastLineOf(src[:fo.End]))] = true
	}
	for _, want := range []string{
		"// one … // two", // a run of line comments
		"let … ]",         // a let, up to its in
		"[ … b = 1",       // a record, its ] visible
		"F = () => … a;",  // the member
		"section S; … a;", // the section
	} {
		if !lines[want] {
			t.Errorf("no fold %q in %v", want, lines)
		}
	}
	off := strings.Index(src, "b = 1")
	chain := SelectionRanges(f, off)
	if got := src[chain[0][0]:chain[0][1]]; got != "b" {
		t.Errorf("innermost selection %q", got)
	}
	if last := chain[len(chain)-1]; last != [2]int{0, len(src)} {
		t.Errorf("outermost selection %v", last)
	}
}

func firstLineOf(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func lastLineOf(s string) string {
	return s[strings.LastIndexByte(s, '\n')+1:]
}

// BenchmarkSignatureHelp measures signature help at the end of a large
// half-typed connector: the context scan reads the tokens of the member
// holding the cursor.
func BenchmarkSignatureHelp(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("section Big;\n")
	for sb.Len() < 200_000 {
		sb.WriteString("F" + strings.Repeat("x", sb.Len()%7) + " = (url as text) => let s = Web.Contents(url, [Headers = [Accept = \"a\"], Query = [q = \"1\"]]), j = Json.Document(s) in Table.FromRecords(j[value]);\n")
	}
	sb.WriteString("G = () => let r = Web.Contents(\"https://x\", [Rel")
	src := []byte(sb.String())
	f := &model.File{Path: "/p/Big.pq", AST: parser.Parse("Big.pq", src), Role: project.Main}
	prog := model.New(&project.Project{Root: "/p"}, f)
	b.ResetTimer()
	for range b.N {
		if _, ok := SignatureHelp(prog, f, len(src)); !ok {
			b.Fatal("no signature help")
		}
		if _, _, ok, _ := ConnectorComplete(bg, prog, f, len(src)); !ok {
			b.Fatal("no options completion")
		}
	}
}

// BenchmarkFolds measures the folding ranges of the same large file.
func BenchmarkFolds(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("section Big;\n")
	for sb.Len() < 200_000 {
		sb.WriteString("F = (url as text) =>\n    let\n        s = Web.Contents(url, [\n            Headers = [Accept = \"a\"]\n        ])\n    in\n        s;\n// a\n// b\n")
	}
	src := []byte(sb.String())
	f := &model.File{Path: "/p/Big.pq", AST: parser.Parse("Big.pq", src), Role: project.Main}
	model.New(&project.Project{Root: "/p"}, f)
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for range b.N {
		if len(Folds(f)) == 0 {
			b.Fatal("no folds")
		}
	}
}
