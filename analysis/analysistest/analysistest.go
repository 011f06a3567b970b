// Package analysistest runs a rule over its testdata and checks the findings
// against expectations written in the test files, as
// golang.org/x/tools/go/analysis/analysistest does for Go.
//
// A comment `// want "PQC030"` (several codes may follow) on a line says
// that the rule reports a finding that starts on that line. Every finding
// must be wanted and every want found. Each quick-fix is then applied: the
// file must still parse, the finding must be gone, and the fix must not be
// offered again.
package analysistest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/project"
)

// Files is an in-memory analysis.Files.
type Files map[string][]byte

// Parsed parses the file at path.
func (fs Files) Parsed(path string) (*ast.File, error) {
	src, ok := fs[path]
	if !ok {
		return nil, os.ErrNotExist
	}
	return parser.Parse(path, src), nil
}

// Run checks analyzer a against testdata/<a.ID>: each .pq, .m or .pqm file
// there is a project of its own (a .pqm as a module), each folder a project
// as project.Load finds it. cfg may be nil; review rules always run.
func Run(t *testing.T, dir string, a *analysis.Analyzer, cfg *config.Config) {
	t.Helper()
	if cfg == nil {
		cfg = config.Default()
	} else {
		cfg = cfg.Clone() // the caller's configuration stays as it was
	}
	cfg.Settings.ReviewMode = true
	eachProject(t, dir, func(t *testing.T, p *project.Project, files Files) {
		check(t, p, files, cfg, a)
	})
}

// eachProject runs fn as a subtest for each entry of dir, loaded as a
// project: a folder as project.Load finds it, a single file on its own.
func eachProject(t *testing.T, dir string, fn func(t *testing.T, p *project.Project, files Files)) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatalf("%s: no test cases", dir)
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			p, files := load(t, path, e.IsDir())
			fn(t, p, files)
		})
	}
}

func load(t *testing.T, path string, isDir bool) (*project.Project, Files) {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	var p *project.Project
	if isDir {
		p, err = project.Load(project.OS(), abs)
		if err != nil {
			t.Fatal(err)
		}
	} else {
		p = &project.Project{Root: filepath.Dir(abs), Name: strings.TrimSuffix(filepath.Base(abs), filepath.Ext(abs))}
		switch {
		case strings.HasSuffix(abs, ".query.pq"):
			p.Tests = []string{abs}
		case strings.HasSuffix(abs, ".pqm"):
			p.Modules = []string{abs}
		default:
			p.Main = abs
		}
	}
	files := Files{}
	for _, doc := range p.Documents() {
		src, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		files[doc] = src
	}
	return p, files
}

var wantRE = regexp.MustCompile(`want((?:\s+"PQC\d{3}")+)`)

type expectation struct {
	path string
	line int // 0-based
	code string
}

func (e expectation) String() string {
	return fmt.Sprintf("%s:%d: %s", filepath.Base(e.path), e.line+1, e.code)
}

func check(t *testing.T, p *project.Project, files Files, cfg *config.Config, a *analysis.Analyzer) {
	t.Helper()
	diags := analysis.Run(p, files, cfg, []*analysis.Analyzer{a})
	if !compare(t, files, diags, map[string]bool{a.ID: true}) {
		return
	}
	for _, d := range diags {
		for _, fix := range d.Fixes {
			checkFix(t, p, files, cfg, a, d, fix)
		}
	}
}

// checkFix applies fix and checks that the result parses, that the finding
// is gone and that the fix is not offered again.
func checkFix(t *testing.T, p *project.Project, files Files, cfg *config.Config, a *analysis.Analyzer, d analysis.Diagnostic, fix analysis.Fix) {
	t.Helper()
	fixed, err := Apply(files, fix.Edits)
	if err != nil {
		t.Errorf("fix %q: %v", fix.Title, err)
		return
	}
	for path := range fixed {
		before, _ := files.Parsed(path)
		after, _ := fixed.Parsed(path)
		if len(after.Errors) > len(before.Errors) {
			e := after.Errors[0]
			t.Errorf("fix %q leaves %s unparsable: %s\n%s", fix.Title, filepath.Base(path), after.Message(e), fixed[path])
		}
	}
	count := func(ds []analysis.Diagnostic) int {
		n := 0
		for _, x := range ds {
			if x.Code == d.Code && x.Path == d.Path && x.Message == d.Message {
				n++
			}
		}
		return n
	}
	after := analysis.Run(p, fixed, cfg, []*analysis.Analyzer{a})
	if count(after) >= count(analysis.Run(p, files, cfg, []*analysis.Analyzer{a})) {
		t.Errorf("fix %q does not remove the finding %q; text after the fix:\n%s", fix.Title, d.Message, fixed[d.Path])
	}
	for _, x := range after {
		for _, again := range x.Fixes {
			if same(again.Edits, fix.Edits) {
				t.Errorf("fix %q is offered again after it was applied", fix.Title)
			}
		}
	}
}

func same(a, b []analysis.TextEdit) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Apply applies edits to copies of the files they touch. Edits to one file
// must not overlap.
func Apply(files Files, edits []analysis.TextEdit) (Files, error) {
	out := Files{}
	for k, v := range files {
		out[k] = v
	}
	byPath := map[string][]analysis.TextEdit{}
	for _, e := range edits {
		byPath[e.Path] = append(byPath[e.Path], e)
	}
	for path, es := range byPath {
		src, ok := out[path]
		if !ok {
			return nil, fmt.Errorf("edit to unknown file %s", path)
		}
		res, err := analysis.ApplyEdits(src, es)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out[path] = res
	}
	return out, nil
}
