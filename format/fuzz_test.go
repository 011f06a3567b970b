package format

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/internal/testfiles"
)

// FuzzFormat checks the formatter's promises on any input that parses
// without error: the output parses without error to the same tree, and
// formatting it again changes nothing. Inputs with errors must not make it
// panic, and must keep their errors.
func FuzzFormat(f *testing.F) {
	for _, pat := range []string{"../grammar/parser/testdata/*.pq", "../grammar/parser/testdata/*.pqm", "../examples/*/*.pq", "../examples/*/*.pqm"} {
		names, _ := filepath.Glob(pat)
		for _, name := range names {
			if src, err := os.ReadFile(name); err == nil {
				f.Add(src)
			}
		}
	}
	for _, tc := range layoutCases {
		f.Add([]byte(tc.in))
	}
	opt := Options{IndentWidth: 2, LineWidth: 40}
	f.Fuzz(func(t *testing.T, src []byte) {
		defer testfiles.HangGuard("FuzzFormat")()
		before := parser.Parse("fuzz.pq", src)
		out, err := Source("fuzz.pq", src, opt)
		if err != nil {
			t.Fatalf("%v\nsrc: %q", err, src)
		}
		after := parser.Parse("fuzz.pq", bytes.TrimPrefix(out, bom))
		if len(after.Errors) != len(before.Errors) {
			t.Fatalf("%d errors before, %d after\nsrc: %q\nout: %q", len(before.Errors), len(after.Errors), src, out)
		}
		if len(before.Errors) == 0 && !Equal(before.Root(), after.Root()) {
			t.Fatalf("tree changed\nsrc: %q\nout: %q", src, out)
		}
		again, err := Source("fuzz.pq", out, opt)
		if err != nil {
			t.Fatalf("formatting the output: %v\nout: %q", err, out)
		}
		if !bytes.Equal(out, again) {
			t.Fatalf("not idempotent\nsrc: %q\nout:  %q\nout2: %q", src, out, again)
		}
	})
}
