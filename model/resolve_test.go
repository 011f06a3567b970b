package model

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/project"
)

// resolutionOf describes every reference of f by position: the name, what
// kind of thing it refers to and where that is defined. Two models agree on
// a text when their descriptions are equal.
func resolutionOf(prog *Program, f *File) []string {
	var out []string
	for id, d := range f.Refs() {
		if r := f.Ref(id); r != d {
			out = append(out, fmt.Sprintf("Ref(%s) = %v, Refs gives %v", id.Name, r, d))
		}
		where := "-"
		if df := prog.DefFile(d); df != nil && d.Ident != nil {
			start, _ := df.AST.Span(d.Ident)
			where = fmt.Sprintf("%s:%d", df.Path, start)
		} else if df != nil && d.Scope != nil {
			start, _ := df.AST.Span(d.Scope)
			where = fmt.Sprintf("%s:scope %d", df.Path, start)
		}
		start, _ := f.AST.Span(id)
		out = append(out, fmt.Sprintf("%d %s -> %d %s %s", start, id.Name, d.Kind, d.Name, where))
	}
	for _, d := range f.Defs() {
		if d.Ident != nil {
			start, _ := f.AST.Span(d.Ident)
			out = append(out, fmt.Sprintf("def %d %s %d", start, d.Name, d.Kind))
		}
	}
	slices.Sort(out)
	return out
}

// TestResolutionAfterReparse edits a connector at random, as a user types,
// and checks after each edit that the model of the reparsed tree — which
// reuses the resolution kept with every member the edit left alone —
// resolves every name as a model of a fresh parse of the same text does.
// The edits rename members, add and remove them, and shadow library names,
// which change what an untouched member's free names mean.
func TestResolutionAfterReparse(t *testing.T) {
	src := "[Version = \"1.0.0\"]\nsection S;\n" +
		"[DataSource.Kind = \"S\", Publish = \"P\"]\nshared S.Contents = (url as text) => Helper(url) & Text.From(Count);\n" +
		"Helper = (u) => let r = Web.Contents(u, [Headers = [k = Key]]), n = @Helper in Json.Document(r);\n" +
		"Count = List.Count({1, 2, 3});\n" +
		"Key = Extension.CurrentCredential()[Key];\n" +
		"Rec = [Key = Key, Other = Key & \"x\", F = (x) => x + Count];\n" +
		"Each = List.Transform({1}, each _ + Count);\n" +
		"P = [Beta = true];\n"
	edits := []string{
		"Text.From = (x) => x;\n", // a member that shadows a library name
		"Helper2 = Helper;\n",
		"Count = 1;\n", // a duplicate: the first one wins
		" ", "x", "(", ")", ";", "\n", "Key", "Count", "let a = 1 in a", "[Count = 2]",
	}
	rng := rand.New(rand.NewPCG(10, 11))
	text := []byte(src)
	file := parser.Parse("/s.pq", text)
	p := &project.Project{Root: "/"}
	prog := New(p, &File{Path: "/s.pq", AST: file, Role: project.Main})
	reused := 0
	for step := 0; step < 400; step++ {
		var e parser.Edit
		switch at := rng.IntN(len(text) + 1); rng.IntN(3) {
		case 0: // delete a few bytes
			e = parser.Edit{Start: at, End: min(len(text), at+1+rng.IntN(8))}
		case 1: // rename: change one byte of a name
			e = parser.Edit{Start: at, End: min(len(text), at+1), Text: []byte{byte('A' + rng.IntN(26))}}
		default:
			e = parser.Edit{Start: at, End: at, Text: []byte(edits[rng.IntN(len(edits))])}
		}
		if step%50 == 49 {
			text, file = []byte(src), parser.Parse("/s.pq", []byte(src)) // start again, so the text stays connector-like
			prog = New(p, &File{Path: "/s.pq", AST: file, Role: project.Main})
			continue
		}
		text = e.Apply(text)
		file = parser.Reparse(file, e)
		if string(file.Src) != string(text) {
			t.Fatalf("step %d: reparsed text differs from the edited text", step)
		}
		if file.Section != nil {
			for _, m := range file.Section.Members {
				if mm, ok := m.Memo().(*memberMemo); ok && mm.res.Load() != nil {
					reused++
				}
			}
		}
		prog = New(p, &File{Path: "/s.pq", AST: file, Role: project.Main})
		fresh := New(p, &File{Path: "/s.pq", AST: parser.Parse("/s.pq", text), Role: project.Main})
		got, want := resolutionOf(prog, prog.Main), resolutionOf(fresh, fresh.Main)
		if !slices.Equal(got, want) {
			t.Fatalf("step %d: resolution after reparse differs from a fresh parse of\n%s\n got %q\nwant %q", step, text, got, want)
		}
		for i, m := range prog.MemberList {
			if o := prog.Order(m); o != i {
				t.Fatalf("step %d: Order(%s) = %d, it is member %d", step, m.Name, o, i)
			}
			fm := fresh.MemberList[i]
			var gu, wu []string
			for _, u := range prog.Uses(m) {
				gu = append(gu, u.Name)
			}
			for _, u := range fresh.Uses(fm) {
				wu = append(wu, u.Name)
			}
			if !slices.Equal(gu, wu) {
				t.Fatalf("step %d: %s uses %v after reparse, %v fresh", step, m.Name, gu, wu)
			}
		}
		for _, name := range []string{"Web.Contents", "Text.From", "Json.Document"} {
			var got, want []int
			for _, id := range prog.LibraryRefs(prog.Main, name) {
				got = append(got, prog.Main.AST.Offset(id.NamePos))
			}
			for _, id := range fresh.LibraryRefs(fresh.Main, name) {
				want = append(want, fresh.Main.AST.Offset(id.NamePos))
			}
			if !slices.Equal(got, want) {
				t.Fatalf("step %d: LibraryRefs(%s) = %v after reparse, %v fresh", step, name, got, want)
			}
		}
	}
	if reused == 0 {
		t.Error("no member kept its resolution across an edit: the test does not test reuse")
	}
}

// TestRefOfForeignIdent checks that asking the main document about an
// identifier of another file answers nil instead of reading past the main
// document's positions.
func TestRefOfForeignIdent(t *testing.T) {
	main := &File{Path: "/m.pq", AST: parser.Parse("/m.pq", []byte("section S;\nA = B;\nB = 1;\n")), Role: project.Main}
	long := make([]byte, 0, 300_000)
	long = append(long, "let\n"...)
	for i := 0; len(long) < 290_000; i++ {
		long = fmt.Appendf(long, "  v%d = %d,\n", i, i)
	}
	long = append(long, "  last = A\nin last"...)
	mod := &File{Path: "/x.pqm", AST: parser.Parse("/x.pqm", long), Role: project.Module}
	prog := New(&project.Project{Root: "/"}, main, mod)
	var last *ast.Ident
	for id := range mod.Refs() {
		if last == nil || mod.AST.Offset(id.NamePos) > mod.AST.Offset(last.NamePos) {
			last = id
		}
	}
	if last == nil {
		t.Fatal("the module has no references")
	}
	if d := main.Ref(last); d != nil {
		t.Errorf("main.Ref of a module's identifier = %+v, want nil", d)
	}
	if d := mod.Ref(last); d == nil || d.Kind != DefBinding && d.Kind != DefMember {
		t.Errorf("mod.Ref(%s) = %+v", last.Name, d)
	}
	_ = prog
}

// TestUsedOutsidePerProgram checks that a member referred to from a module
// is used outside in the model that has the module, and not in another
// model of the same main document without it: the Member is made once per
// node and shared by both, so the fact is the program's.
func TestUsedOutsidePerProgram(t *testing.T) {
	main := parser.Parse("/p/C.pq", []byte("section C;\nshared Helper = (x) => x;\nOther = 1;\n"))
	mod := &File{Path: "/p/M.pqm", AST: parser.Parse("/p/M.pqm", []byte("let h = Helper(1) in h")), Role: project.Module}
	p := &project.Project{Root: "/p", Main: "/p/C.pq"}
	with := New(p, &File{Path: "/p/C.pq", AST: main, Role: project.Main}, mod)
	without := New(p, &File{Path: "/p/C.pq", AST: main, Role: project.Main})
	if with.Members["Helper"] != without.Members["Helper"] {
		t.Fatal("the two models of one tree made two Members of one node")
	}
	if !with.UsedOutside(with.Members["Helper"]) || with.UsedOutside(with.Members["Other"]) {
		t.Error("with the module: Helper should be used outside, Other not")
	}
	if without.UsedOutside(without.Members["Helper"]) {
		t.Error("without the module, Helper is used outside")
	}
}
