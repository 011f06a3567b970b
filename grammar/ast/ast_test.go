package ast_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/parser"
)

const doc = `// head
section S;

// about A
shared A = (x as number) => x + 1; // after A
/* about B */
B = let y = A(1) in [f = y]{0}?;
`

func TestInspectOrder(t *testing.T) {
	f := parser.Parse("a.pq", []byte(doc))
	if len(f.Errors) != 0 {
		t.Fatal(f.Errors)
	}
	var names []string
	depth, maxDepth := 0, 0
	ast.Inspect(f.Root(), func(n ast.Node) bool {
		if n == nil {
			depth--
			return false
		}
		depth++
		maxDepth = max(maxDepth, depth)
		if id, ok := n.(*ast.Ident); ok {
			names = append(names, id.Name)
		}
		return true
	})
	if depth != 0 {
		t.Errorf("unbalanced Inspect: depth %d after the walk", depth)
	}
	if got := strings.Join(names, " "); got != "S A x x B y A f y" {
		t.Errorf("identifiers in walk order: %s", got)
	}
	// Offsets of every node increase in walk order (source order).
	prev := -1
	ast.Inspect(f.Root(), func(n ast.Node) bool {
		if n == nil {
			return false
		}
		s, e := f.Span(n)
		if s < prev || e < s {
			t.Errorf("%T at [%d,%d) after %d", n, s, e, prev)
		}
		prev = s
		return true
	})
	// Returning false skips the children.
	count := 0
	ast.Inspect(f.Root(), func(n ast.Node) bool {
		if n != nil {
			count++
		}
		_, isMember := n.(*ast.Member)
		return !isMember
	})
	if count != 1+1+2 { // section, its name, two members
		t.Errorf("visited %d nodes when skipping members", count)
	}
}

func TestFilePositions(t *testing.T) {
	f := parser.Parse("a.pq", []byte(doc))
	b := f.Section.Members[1]
	s, e := f.Span(b)
	if got := doc[s:e]; got != "B = let y = A(1) in [f = y]{0}?;" {
		t.Errorf("member B spans %q", got)
	}
	for off := 0; off <= len(doc); off += 7 {
		if back := f.Offset(f.Pos(off)); back != off {
			t.Errorf("Offset(Pos(%d)) = %d", off, back)
		}
	}
	// Comments keep their text and positions.
	var texts []string
	for _, c := range f.Comments {
		cs, ce := f.Span(&c)
		if doc[cs:ce] != c.Text {
			t.Errorf("comment %q spans %q", c.Text, doc[cs:ce])
		}
		texts = append(texts, c.Text)
	}
	if want := []string{"// head", "// about A", "// after A", "/* about B */"}; !reflect.DeepEqual(texts, want) {
		t.Errorf("comments %q, want %q", texts, want)
	}
	if !f.Comments[3].Block() || f.Comments[0].Block() {
		t.Error("Block() wrong")
	}
	// The comments a directive for B could come from: the block comment on
	// the line before it, not the one ending the line before that.
	bs, _ := f.Span(b)
	var before []string
	for _, c := range f.CommentsBefore(bs) {
		before = append(before, c.Text)
	}
	if want := []string{"/* about B */"}; !reflect.DeepEqual(before, want) {
		t.Errorf("CommentsBefore(B) = %q, want %q", before, want)
	}
}

func TestMessageFillsPosition(t *testing.T) {
	src := "section S;\n\nA = let\n  x = 1;\n"
	f := parser.Parse("a.pq", []byte(src))
	if len(f.Errors) != 1 {
		t.Fatalf("errors: %v", f.Errors)
	}
	if got := f.Message(f.Errors[0]); got != "`let` at 3:5 has no `in`" {
		t.Errorf("message %q", got)
	}
	// After an edit above the let, the reused error names the new line.
	f2 := parser.Reparse(f, parser.Edit{Start: 11, End: 11, Text: []byte("\n\n")})
	if got := f2.Message(f2.Errors[0]); got != "`let` at 5:5 has no `in`" {
		t.Errorf("after the edit: %q", got)
	}
}

func TestFprint(t *testing.T) {
	src := "[a = 1]{0}?"
	f := parser.Parse("a.pq", []byte(src))
	var b strings.Builder
	if err := ast.Fprint(&b, f, f.Root()); err != nil {
		t.Fatal(err)
	}
	want := `ItemAccess [0,11) Lbrace=7 Rbrace=9 Optional=10
  X: RecordExpr [0,7) Lbrack=0 Rbrack=6
    Fields[0]: Field [1,6) Assign=3
      Name: Ident [1,2) NamePos=1 Kind=2 Name="a"
      Value: Literal [5,6) ValuePos=5 Kind=number Value="1"
  Index: Literal [8,9) ValuePos=8 Kind=number Value="0"
`
	if b.String() != want {
		t.Errorf("Fprint:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestMemberMemo checks that the first value stored with a member node is
// the one every later caller gets, as the model's lazily built index
// expects when two goroutines build it at once.
func TestMemberMemo(t *testing.T) {
	m := &ast.Member{}
	if got := m.Memo(); got != nil {
		t.Fatalf("Memo of a new member = %v, want nil", got)
	}
	if got := m.StoreMemo("first"); got != "first" {
		t.Errorf("StoreMemo on an empty member returned %v, want first", got)
	}
	if got := m.StoreMemo("second"); got != "first" {
		t.Errorf("StoreMemo on a member that has a value returned %v, want first", got)
	}
	if got := m.Memo(); got != "first" {
		t.Errorf("Memo = %v, want first", got)
	}
}
