package format

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/internal/testfiles"
)

// mFiles returns every .pq, .pqm and .m file under the folders of the
// repository that hold M fixtures and examples, sorted.
func mFiles(t *testing.T) []string {
	t.Helper()
	return testfiles.MFiles(t, "../grammar", "../analysis", "../examples", "../server/testdata", "../ide", "testdata")
}

// checkFormat formats src and checks the promises of the package: the
// tree is kept (Source itself refuses otherwise), formatting its output
// again changes nothing, and a file with syntax errors keeps them.
func checkFormat(t *testing.T, name string, src []byte, opt Options) []byte {
	t.Helper()
	out, err := Source(name, src, opt)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	again, err := Source(name, out, opt)
	if err != nil {
		t.Fatalf("%s: formatting the output: %v", name, err)
	}
	if !bytes.Equal(out, again) {
		t.Fatalf("%s: not idempotent\n--- first:\n%s\n--- second:\n%s", name, out, again)
	}
	before := parser.Parse(name, bytes.TrimPrefix(src, bom))
	after := parser.Parse(name, bytes.TrimPrefix(out, bom))
	if len(before.Comments) != len(after.Comments) {
		t.Fatalf("%s: %d comments before, %d after\n%s", name, len(before.Comments), len(after.Comments), out)
	}
	for i := range before.Comments {
		if before.Comments[i].Text != after.Comments[i].Text {
			t.Fatalf("%s: comment %d %q became %q", name, i, before.Comments[i].Text, after.Comments[i].Text)
		}
	}
	return out
}

func TestFixtures(t *testing.T) {
	files := mFiles(t)
	if len(files) < 100 {
		t.Fatalf("found only %d M files; is the repository complete?", len(files))
	}
	opts := map[string]Options{
		"default": DefaultOptions(),
		"tabs":    {Tabs: true, IndentWidth: 4, LineWidth: 80},
		"narrow":  {IndentWidth: 2, LineWidth: 40},
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for name, opt := range opts {
			t.Run(filepath.ToSlash(path)+"/"+name, func(t *testing.T) {
				checkFormat(t, path, src, opt)
			})
		}
	}
}
