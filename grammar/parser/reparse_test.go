package parser

import (
	"bytes"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
)

// dump renders everything a parse promises: the tree with byte offsets,
// the comments and the errors with their messages.
func dump(f *ast.File) string {
	var b strings.Builder
	if r := f.Root(); r != nil {
		if err := ast.Fprint(&b, f, r); err != nil {
			panic(err)
		}
	}
	for _, c := range f.Comments {
		s, e := f.Span(&c)
		fmt.Fprintf(&b, "comment [%d,%d) %q\n", s, e, c.Text)
	}
	for _, e := range f.Errors {
		s, t := f.ErrorSpan(e)
		fmt.Fprintf(&b, "error [%d,%d) %s\n", s, t, f.Message(e))
	}
	fmt.Fprintf(&b, "lines %d\n", f.Lines.Count())
	for l := 0; l < f.Lines.Count(); l++ {
		fmt.Fprintf(&b, "%d ", f.Lines.LineStart(l))
	}
	return b.String()
}

// checkReparse applies e to old incrementally and compares the result with
// a full parse of the new text.
func checkReparse(t *testing.T, old *ast.File, e Edit) *ast.File {
	t.Helper()
	got := Reparse(old, e)
	want := Parse(old.Name, e.Apply(old.Src))
	if g, w := dump(got), dump(want); g != w {
		t.Fatalf("reparse differs from full parse\nold text: %q\nedit: [%d,%d) -> %q\n%s",
			old.Src, e.Start, e.End, e.Text, lineDiff(g, w))
	}
	// What the regions say of the text holds of it, as after a full parse.
	for _, c := range []struct {
		t    ast.RegionText
		text string
	}{{ast.TextCR, "\r"}, {ast.TextBraces, "{{"}} {
		if got.TextMay(c.t) != want.TextMay(c.t) || !got.TextMay(c.t) && bytes.Contains(got.Src, []byte(c.text)) {
			t.Fatalf("the regions say %q may occur: %v after the reparse, %v after a parse, of %q",
				c.text, got.TextMay(c.t), want.TextMay(c.t), got.Src)
		}
	}
	return got
}

const sectionDoc = `// A connector
[Version = "1.0.0"]
section Demo;

[DataSource.Kind = "Demo", Publish = "Demo.Publish"]
shared Demo.Contents = (url as text) => Web.Contents(url);

Helper = (x) => let a = x + 1, b = "text;with;semicolons" in a & b;

/* between members */
Demo = [
    Authentication = [Anonymous = []],
    TestConnection = (p) => {"Demo.Contents", p}
];

Demo.Publish = [Beta = true, ButtonText = {"Demo", "Help"}];
// trailing
`

const letDoc = `let
    Source = Web.Contents("https://example.com"),
    // a comment
    Json = Json.Document(Source),
    Table = Table.FromRecords(Json[items]),
    Typed = Table.TransformColumnTypes(Table, {{"a", type text}})
in
    Typed
`

func TestReparseMatchesParse(t *testing.T) {
	docs := map[string]string{"section": sectionDoc, "let": letDoc}
	edits := []string{"x", "", ";", ",", "\"", "/*", "*/", "//", " in ", "let", "(", ")", "[", "]", "\n", "#\"", "=>", "shared Y = 1;", "a = 1,"}
	for name, doc := range docs {
		for off := 0; off <= len(doc); off++ {
			for _, text := range edits {
				for _, del := range []int{0, 1, 3} {
					end := min(off+del, len(doc))
					old := Parse(name, []byte(doc))
					checkReparse(t, old, Edit{Start: off, End: end, Text: []byte(text)})
				}
			}
		}
	}
}

func TestReparseSequence(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, doc := range []string{sectionDoc, letDoc} {
		f := Parse("seq", []byte(doc))
		for i := 0; i < 3000; i++ {
			f = checkReparse(t, f, randomEdit(rng, f.Src))
		}
	}
}

var fragments = []string{"a", "1", " ", "\n", "\r\n", ";", ",", "=", "(", ")", "[", "]", "{", "}", "\"", "let", " in ", "each ", "x = 1;", "shared ", "//c\n", "/*", "*/", "#\"q\"", "if ", " then ", " else ", "é", "😀", "...", "{{x}}", "\r"}

func randomEdit(rng *rand.Rand, src []byte) Edit {
	start := 0
	if len(src) > 0 {
		start = rng.Intn(len(src) + 1)
	}
	end := min(start+rng.Intn(4), len(src))
	text := ""
	for n := rng.Intn(3); n > 0; n-- {
		text += fragments[rng.Intn(len(fragments))]
	}
	return Edit{Start: start, End: end, Text: []byte(text)}
}

func FuzzReparse(f *testing.F) {
	f.Add([]byte(sectionDoc), uint64(1), uint8(20))
	f.Add([]byte(letDoc), uint64(2), uint8(20))
	f.Fuzz(fuzzReparseBody)
}

func fuzzReparseBody(t *testing.T, src []byte, seed uint64, n uint8) {
	rng := rand.New(rand.NewSource(int64(seed)))
	file := Parse("fuzz", src)
	for i := 0; i < int(n%32); i++ {
		file = checkReparse(t, file, randomEdit(rng, file.Src))
	}
}

// lineDiff shows the lines where two dumps part.
func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	var b strings.Builder
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			fmt.Fprintf(&b, "line %d\n reparse: %s\n    full: %s\n", i+1, gl, wl)
		}
	}
	return b.String()
}

// TestLongRegions edits around and inside members longer than a chunk
// (token.ChunkSize), whose positions carry into the chunk numbers after
// the first: reused long members must move as a whole, and every position
// and comment must come out where a full parse puts it.
func TestLongRegions(t *testing.T) {
	long := func(name string, n int) string {
		var b strings.Builder
		fmt.Fprintf(&b, "%s = [\n", name)
		for i := range n {
			fmt.Fprintf(&b, "    Field%d = Text.From(%d) & \"value %d\", // field %d\n", i, i, i, i)
		}
		b.WriteString("    Last = 0\n];\n")
		return b.String()
	}
	src := "section Long;\n" + long("A", 400) + "Small = 1;\n" + long("B", 900) + "/* tail */ C = B[Last];\n"
	f := Parse("long.pq", []byte(src))
	if len(f.Errors) != 0 {
		t.Fatalf("errors: %v", errorList(f))
	}
	if len(f.Chunks) < len(src)/token.ChunkSize {
		t.Fatalf("%d chunks for %d bytes: long members should take several", len(f.Chunks), len(src))
	}
	if got := f.Offset(f.Section.Members[3].Name.Pos()); got != strings.Index(src, "C = B") {
		t.Errorf("last member's name at %d, want %d", got, strings.Index(src, "C = B"))
	}
	for _, at := range []string{"Small = 1", "Field200 =", "Field850 =", "Last = 0\n];\n/*", "C = B"} {
		off := strings.Index(src, at)
		for _, text := range []string{"x", "\n\n", ";", "/*", ""} {
			e := Edit{Start: off, End: off, Text: []byte(text)}
			if text == "" {
				e.End = off + 1
			}
			g := checkReparse(t, f, e)
			// A second edit on the result, so that shifted long regions are
			// reused again.
			checkReparse(t, g, Edit{Start: 3, End: 3, Text: []byte("x")})
		}
	}
}

// TestCrowdedChunks parses a file of so many tiny members that one region
// each would run out of chunk numbers: members then share regions, and the
// tree is still the whole file.
func TestCrowdedChunks(t *testing.T) {
	var b strings.Builder
	b.WriteString("section Many;\n")
	n := token.MaxChunks/2 + 1000
	for i := range n {
		fmt.Fprintf(&b, "a%d=1;", i%10)
	}
	src := []byte(b.String())
	f := Parse("many.pq", src)
	if len(f.Errors) != 0 {
		t.Fatalf("errors: %v", errorList(f)[:1])
	}
	if len(f.Section.Members) != n {
		t.Fatalf("%d members, want %d", len(f.Section.Members), n)
	}
	if len(f.Chunks) > token.MaxChunks {
		t.Fatalf("%d chunks, more than a Pos holds", len(f.Chunks))
	}
	last := f.Section.Members[n-1]
	if s, e := f.Span(last); s != len(src)-5 || e != len(src) {
		t.Errorf("last member spans [%d,%d), want [%d,%d)", s, e, len(src)-5, len(src))
	}
	g := Reparse(f, Edit{Start: len(src) - 2, End: len(src) - 2, Text: []byte("2")})
	if s, e := g.Span(g.Section.Members[n-1]); s != len(src)-5 || e != len(src)+1 || len(g.Errors) != 0 {
		t.Errorf("after an edit, last member spans [%d,%d), %d errors", s, e, len(g.Errors))
	}
}
