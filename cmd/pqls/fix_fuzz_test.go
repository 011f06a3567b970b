package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules"
	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/internal/testfiles"
	"github.com/pqls/pqls/project"
)

// FuzzFixes checks a connector whose main document is arbitrary text and
// applies its safe fixes as --fix does, through analysis.EditSet and
// analysis.ApplyEdits. The edits must apply; text outside them must not
// change (checked stretch by stretch, apart from ApplyEdits); and a
// document that parsed without errors must still do so. Run longer with
//
//	go test -run '^$' -fuzz FuzzFixes -fuzztime 2m ./cmd/pqls
func FuzzFixes(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "analysis", "rules", "*", "testdata", "PQC0*", "*.pq"))
	seeds = append(seeds, filepath.Join("..", "..", "examples", "Contoso", "Contoso.pq"))
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("section Fixable;\nshared Fixable.Contents = 1;\n"))
	dir := f.TempDir()
	main := filepath.Join(dir, "F.pq")
	f.Fuzz(func(t *testing.T, src []byte) {
		defer testfiles.HangGuard("FuzzFixes")()
		p, err := project.Load(project.Overlay(project.OS(), map[string][]byte{main: src}), dir)
		if err != nil {
			t.Skip(err) // not a document pqls checks: nothing to fix
		}
		var set analysis.EditSet
		for _, d := range analysis.Run(p, newFileCache(p.Source()), nil, rules.All()) {
			if len(d.Fixes) == 0 || !d.Fixes[0].Safe {
				continue
			}
			edits := slices.Clone(d.Fixes[0].Edits)
			for i := range edits {
				if edits[i].Path == "" {
					edits[i].Path = d.Path
				}
			}
			set.Add(edits)
		}
		var edits []analysis.TextEdit
		for _, e := range set.Edits() {
			if e.Path != main {
				t.Fatalf("a fix of a one-file project edits %s", e.Path)
			}
			edits = append(edits, e)
		}
		if len(edits) == 0 {
			return
		}
		out, err := analysis.ApplyEdits(src, edits)
		if err != nil {
			t.Fatalf("the safe fixes do not apply: %v\nedits %+v", err, edits)
		}
		if !sameOutside(src, out, edits) {
			t.Fatalf("text outside the edits changed:\nin  %q\nout %q\nedits %+v", src, out, edits)
		}
		if len(parser.Parse(main, src).Errors) == 0 {
			if f := parser.Parse(main, out); len(f.Errors) > 0 {
				t.Fatalf("the fixed document no longer parses: %s\nin  %q\nout %q", f.Message(f.Errors[0]), src, out)
			}
		}
	})
}

// sameOutside reports whether out is src with each edit's range replaced
// by its text and nothing else changed, comparing the untouched stretches
// of src one by one with the bytes at their shifted place in out.
func sameOutside(src, out []byte, edits []analysis.TextEdit) bool {
	sorted := slices.Clone(edits)
	slices.SortStableFunc(sorted, func(a, b analysis.TextEdit) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return a.End - b.End
	})
	last, shift := 0, 0
	for _, e := range sorted {
		if !bytes.Equal(src[last:e.Start], out[last+shift:e.Start+shift]) {
			return false
		}
		if !bytes.Equal([]byte(e.NewText), out[e.Start+shift:e.Start+shift+len(e.NewText)]) {
			return false
		}
		shift += len(e.NewText) - (e.End - e.Start)
		last = e.End
	}
	return bytes.Equal(src[last:], out[last+shift:])
}
