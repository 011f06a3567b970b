package parser

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pqls/pqls/grammar/ast"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden renders a parse the way the golden files hold it: the errors as
// "line:col: message" (1-based, columns in UTF-16 units), the comments, and
// the tree as ast.Fprint prints it.
func golden(f *ast.File) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "== errors (%d)\n", len(f.Errors))
	for _, e := range errorList(f) {
		b.WriteString(e + "\n")
	}
	fmt.Fprintf(&b, "== comments (%d)\n", len(f.Comments))
	for _, c := range f.Comments {
		p := f.Lines.UTF16(f.Offset(c.Pos()))
		fmt.Fprintf(&b, "%d:%d: %q\n", p.Line+1, p.Column+1, clip(c.Text))
	}
	b.WriteString("== tree\n")
	if r := f.Root(); r != nil {
		if err := ast.Fprint(&b, f, r); err != nil {
			panic(err)
		}
	}
	return b.Bytes()
}

// TestGolden parses every testdata/*.pq and *.pqm file and compares the
// errors, comments and tree with the .golden file beside it. Run
// `go test ./grammar/parser -run TestGolden -update` to rewrite them.
func TestGolden(t *testing.T) {
	var inputs []string
	for _, pat := range []string{"testdata/*.pq", "testdata/*.pqm"} {
		names, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, names...)
	}
	if len(inputs) == 0 {
		t.Fatal("no inputs in testdata")
	}
	for _, name := range inputs {
		t.Run(filepath.Base(name), func(t *testing.T) {
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			f := Parse(filepath.Base(name), src)
			checkFile(t, f)
			base := filepath.Base(name)
			wantErrors := strings.HasPrefix(base, "err_") || base == "empty.pq"
			if wantErrors != (len(f.Errors) > 0) {
				t.Errorf("%s: %d errors, want errors: %v\n%s", name, len(f.Errors), wantErrors, strings.Join(errorList(f), "\n"))
			}
			got := golden(f)
			gname := name + ".golden"
			if *update {
				if err := os.WriteFile(gname, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(gname)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (run with -update to accept):\n%s", name, gname, lineDiff(string(got), string(want)))
			}
		})
	}
}
