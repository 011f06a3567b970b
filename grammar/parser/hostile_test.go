package parser

import (
	"strings"
	"testing"

	"github.com/pqls/pqls/grammar/ast"
)

// treeDepth returns the depth of the deepest node of f.
func treeDepth(f *ast.File) int {
	depth, deepest := 0, 0
	for _, r := range f.Regions {
		for _, n := range r.Nodes {
			ast.Inspect(n, func(n ast.Node) bool {
				if n == nil {
					depth--
					return false
				}
				depth++
				deepest = max(deepest, depth)
				return true
			})
		}
	}
	return deepest
}

// Left-deep chains (operators, calls, accesses) are as deep as they are
// long, though the parser loops over them; every walker of the tree
// recurses, so a 4 MB `1+1+…` once took a 1 GB stack and crashed the
// checker. Each shape ends in one "nested too deeply" error and a tree no
// deeper than the bound (plus a few levels of precedence).
func TestDeepChainsBounded(t *testing.T) {
	const n = 200_000
	shapes := map[string]string{
		"operators":       "1" + strings.Repeat("+1", n),
		"mixed operators": "1" + strings.Repeat("*2+3&1", n),
		"calls":           "f" + strings.Repeat("()", n),
		"item access":     "x" + strings.Repeat("{0}", n),
		"field access":    "r" + strings.Repeat("[a]", n),
		"unary":           strings.Repeat("-", n) + "1",
		"brackets":        strings.Repeat("(", n) + "1" + strings.Repeat(")", n),
		"nested chains":   strings.Repeat("(", 500) + strings.Repeat("1+", 600) + "1" + strings.Repeat(")+1", 500),
		"right operands":  "1" + strings.Repeat("+(1", 600) + strings.Repeat(")", 600) + strings.Repeat("+1", 600),
	}
	for name, body := range shapes {
		t.Run(name, func(t *testing.T) {
			f := Parse("deep.pq", []byte("section S;\nshared A = "+body+";\nshared B = 1;\n"))
			if d := treeDepth(f); d > maxDepth+50 {
				t.Errorf("tree %d levels deep, bound %d", d, maxDepth)
			}
			errs := errorList(f)
			if len(errs) != 1 || !strings.Contains(errs[0], "nested too deeply") {
				t.Errorf("%d errors (%q…), want one \"nested too deeply\"", len(errs), errs[:min(len(errs), 3)])
			}
		})
	}
	// Under the bound nothing is reported.
	f := Parse("ok.pq", []byte("section S;\nshared A = 1"+strings.Repeat("+1", maxDepth/2)+" & f()()[a]{0};\n"))
	if errs := errorList(f); len(errs) != 0 {
		t.Errorf("a chain under the bound: %q", errs)
	}
}

// A run of the same invalid character is one error with its count: 1,000
// NUL bytes gave 1,000 errors.
func TestInvalidCharacterRuns(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"NUL bytes", strings.Repeat("\x00", 1000), "3:1: 1000 unexpected characters '\\x00' (U+0000) in a row"},
		{"invalid UTF-8", strings.Repeat("\xff\xfe\x80", 10), "3:1: 30 invalid UTF-8 bytes: M files must be saved as UTF-8"},
		{"one NUL", "\x00", "3:1: unexpected character '\\x00' (U+0000)"},
		{"non-ASCII symbols", strings.Repeat("§", 5), "3:1: 5 unexpected characters '§' (U+00A7) in a row"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := Parse("x.pq", []byte("section S;\nshared A = 1;\n"+tc.text))
			if errs := errorList(f); len(errs) != 1 || errs[0] != tc.want {
				t.Errorf("%d errors %q, want [%q]", len(errs), errs[:min(len(errs), 3)], tc.want)
			}
		})
	}
}

// TestHugeIdentifier: an Ident records its length in 24 bits, so a longer
// identifier is reported, and the parse goes on past it.
func TestHugeIdentifier(t *testing.T) {
	name := strings.Repeat("a", ast.MaxIdentSize+1)
	f := Parse("huge.pq", []byte("section S; x = "+name+"; y = 1;"))
	if len(f.Errors) != 1 || !strings.Contains(f.Message(f.Errors[0]), "identifier of 16777216 bytes") {
		t.Fatalf("errors: %v", errorList(f))
	}
	if n := len(f.Section.Members); n != 2 || f.Section.Members[1].Name.Name != "y" {
		t.Fatalf("%d members after the identifier", n)
	}
}
