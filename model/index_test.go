package model

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/project"
)

// TestIndexAfterReparse checks that the node index of an edited file,
// made from the members' indexes that the untouched member nodes keep,
// equals a walk of the whole new tree, edit after edit.
func TestIndexAfterReparse(t *testing.T) {
	src := []byte("[Version = \"1.0\"]\nsection S;\n" +
		"A = Web.Contents(\"https://a\", [Headers = [x = 1]]);\n" +
		"B = (n as number) => if n > 1 then Text.From(n) else A[x];\n" +
		"C = let r = [a = 1, b = {1, 2}] in Table.FromRecords({r});\n" +
		"D = each _ + 1;\n" +
		"[DataSource.Kind = \"S\", Publish = \"P\"]\nshared E = () => D(1);\n")
	edits := []struct{ anchor, text string }{
		{"n > 1", " + 2"},                            // inside B
		{"= 1, b", "Json.Document(\"1\") + "},        // a call and a binary inside C
		{"D = ", "if true then 1 else "},             // an if inside D
		{"A = ", "X = [k = Web.Contents(\"u\")];\n"}, // a new member before A
		{"[Version", "[Name = \"n\"]"},               // the section's attributes
	}
	file := parser.Parse("/s.pq", src)
	prog := New(&project.Project{Root: "/"}, &File{Path: "/s.pq", AST: file, Role: project.Main})
	prog.Main.Index() // fills the members' memos
	kept := 0         // members whose index an edit left with them
	for _, e := range edits {
		at := bytes.Index(file.Src, []byte(e.anchor))
		if at < 0 {
			t.Fatalf("%q not in the source", e.anchor)
		}
		at += len(e.anchor)
		file = parser.Reparse(file, parser.Edit{Start: at, End: at, Text: []byte(e.text)})
		for _, m := range file.Section.Members {
			if m.Memo() != nil {
				kept++
			}
		}
		prog = New(&project.Project{Root: "/"}, &File{Path: "/s.pq", AST: file, Role: project.Main})
		got, want := prog.Main.Index(), IndexOf(file.Root())
		if !sameIndex(got, want) {
			t.Errorf("after inserting %q: index from the members' indexes differs from a walk of the tree:\n got %+v\nwant %+v", e.text, got, want)
		}
		// The iterators read the members' indexes without joining them.
		fresh := New(&project.Project{Root: "/"}, &File{Path: "/s.pq", AST: file, Role: project.Main}).Main
		if calls := slices.Collect(fresh.Calls()); !slices.Equal(calls, want.Calls) {
			t.Errorf("after inserting %q: Calls() = %d calls, a walk finds %d", e.text, len(calls), len(want.Calls))
		}
		if recs := slices.Collect(fresh.Records()); !slices.Equal(recs, want.Records) {
			t.Errorf("after inserting %q: Records() = %d records, a walk finds %d", e.text, len(recs), len(want.Records))
		}
		if ifs := slices.Collect(fresh.Ifs()); !slices.Equal(ifs, want.Ifs) {
			t.Errorf("after inserting %q: Ifs() = %d ifs, a walk finds %d", e.text, len(ifs), len(want.Ifs))
		}
		// CallsNamed passes over the members whose summary lacks the name:
		// it must still find every call of that name, and only those.
		names := []string{"Nothing.Calls.This", "A", "a"}
		for _, c := range want.Calls {
			if id, ok := Unparen(c.Fun).(*ast.Ident); ok {
				names = append(names, id.Name)
			}
		}
		for _, name := range names {
			var wantNamed []*ast.InvokeExpr
			for _, c := range want.Calls {
				if id, ok := Unparen(c.Fun).(*ast.Ident); ok && id.Name == name {
					wantNamed = append(wantNamed, c)
				}
			}
			if got := slices.Collect(fresh.CallsNamed(name)); !slices.Equal(got, wantNamed) {
				t.Errorf("after inserting %q: CallsNamed(%q) = %d calls, a walk finds %d", e.text, name, len(got), len(wantNamed))
			}
		}
		for _, ns := range []string{"Web.", "Text.", "Json.", "Table.", "Nothing.", "W"} {
			var wantIn []*ast.InvokeExpr
			for _, c := range want.Calls {
				if id, ok := Unparen(c.Fun).(*ast.Ident); ok && strings.HasPrefix(id.Name, ns) {
					wantIn = append(wantIn, c)
				}
			}
			if ns == "W" {
				wantIn = nil // not a namespace: no dot at its end
			}
			if got := slices.Collect(fresh.CallsIn(ns)); !slices.Equal(got, wantIn) {
				t.Errorf("after inserting %q: CallsIn(%q) = %d calls, a walk finds %d", e.text, ns, len(got), len(wantIn))
			}
		}
	}
	if kept == 0 {
		t.Error("no member node kept its index across an edit: the test does not test reuse")
	}
}

func sameIndex(a, b *Index) bool {
	eq := func(x, y any) bool {
		vx, vy := reflect.ValueOf(x), reflect.ValueOf(y)
		if vx.Len() != vy.Len() {
			return false
		}
		for i := range vx.Len() {
			if vx.Index(i).Interface() != vy.Index(i).Interface() {
				return false
			}
		}
		return true
	}
	return eq(a.Calls, b.Calls) && eq(a.Records, b.Records) && eq(a.Literals, b.Literals) && eq(a.Functions, b.Functions) &&
		eq(a.Fields, b.Fields) && eq(a.Binaries, b.Binaries) && eq(a.Ifs, b.Ifs)
}

// TestCallsTo checks CallsTo against the definition it shortcuts: the
// calls of the file whose CallName is the name, in source order.
func TestCallsTo(t *testing.T) {
	src := "section S;\n" +
		"A = Web.Contents(\"https://a\") & (Web.Contents)(\"b\");\n" +
		"B = let Web.Contents = (u) => u in Web.Contents(\"shadowed\");\n" +
		"C = Json.Document(Web.Contents(\"c\")) & Contoso.Helper(1) & #table({}, {});\n" +
		"D = (x) => x(1) & Text.From(x);\n"
	f := &File{Path: "/s.pq", AST: parser.Parse("/s.pq", []byte(src)), Role: project.Main}
	prog := New(&project.Project{Root: "/"}, f)
	for _, name := range []string{"Web.Contents", "Json.Document", "Contoso.Helper", "#table", "Text.From", "x", "Missing.Function", ""} {
		var want []*ast.InvokeExpr
		for _, c := range f.Index().Calls {
			if name != "" && prog.CallName(f, c) == name {
				want = append(want, c)
			}
		}
		for range 2 { // computed, then kept
			if got := prog.CallsTo(f, name); !slices.Equal(got, want) {
				t.Errorf("CallsTo(%q) = %d calls, want %d", name, len(got), len(want))
			}
		}
	}
	if n := len(prog.CallsTo(f, "Web.Contents")); n != 3 {
		t.Errorf("CallsTo(Web.Contents) = %d calls, want 3 (two in A, one in C; B's is shadowed)", n)
	}
}

// TestEvaluated: the calls evaluating an expression makes, not those in
// the bodies of the functions it writes.
func TestEvaluated(t *testing.T) {
	tests := []struct {
		src  string
		want []string // callee names, in order
	}{
		{"Fetch(1) & Text.From(2)", []string{"Fetch", "Text.From"}},
		{"(() => Hidden(1)) & (each Row(_)) & Keep(3)", []string{"Keep"}},
		{"let a = Outer(Inner(1)), f = (x) => Later(x) in f(a)", []string{"Outer", "Inner", "f"}},
		{"each Hidden(_)", nil},
	}
	for _, tt := range tests {
		file := parser.Parse("/e.pq", []byte(tt.src))
		var got []string
		for n := range Evaluated(file.Expr) {
			if call, ok := n.(*ast.InvokeExpr); ok {
				if id, ok := Unparen(call.Fun).(*ast.Ident); ok {
					got = append(got, id.Name)
				}
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Evaluated(%q) calls %q, want %q", tt.src, got, tt.want)
		}
	}
	// Stopping the loop stops the walk.
	n := 0
	for range Evaluated(parser.Parse("/e.pq", []byte("A(B(C(1)))")).Expr) {
		n++
		break
	}
	if n != 1 {
		t.Errorf("the walk went on after the loop stopped: %d nodes", n)
	}
}

func TestLibraryReturns(t *testing.T) {
	for _, tt := range []struct{ name, want string }{
		{"Table.Sort", "table"},
		{"Text.From", "text"}, // nullable text
		{"Json.Document", "any"},
		{"No.Such.Function", ""},
	} {
		if got := Library()[tt.name].Returns(); got != tt.want {
			t.Errorf("Library()[%q].Returns() = %q, want %q", tt.name, got, tt.want)
		}
	}
}
