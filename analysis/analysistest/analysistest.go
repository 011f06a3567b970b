// Package analysistest runs a rule over its testdata and checks the findings
// against expectations written in the test files, as
// golang.org/x/tools/go/analysis/analysistest does for Go.
//
// A comment `// want "PQC030"` on a line says that a finding starts on that
// line. Each quoted string (Go syntax, "..." or `...`) is one expectation
// and a regular expression matched against the finding's code or its
// message: `// want "PQC030" "PQC031"` wants two findings, `// want
// "credential .* URL"` one whose message matches. A rule ID followed by a
// string that is not a rule ID is one expectation with both: `// want
// "PQC030" "credential .* URL"` wants a PQC030 finding whose message
// matches. Every finding must be wanted and every want found.
//
// Each quick-fix is then applied on its own: the files must still parse (a
// resources.resx it edits must stay well-formed XML),
// the finding must be gone and the fix not offered again. Finally the first
// fix of every finding is applied, pass after pass as `pqls check --fix`
// does, and every file that changed is compared byte for byte with the
// golden file beside it, <file>.golden (Contoso.pq.golden). `go test
// ./analysis/... -update` writes the golden files from the current output.
package analysistest

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/project"
)

var update = flag.Bool("update", false, "write the .golden files of quick-fix tests from the current output")

// GoldenExt ends the name of a file that holds the text of a fixture after
// its fixes; it sits beside the fixture's file.
const GoldenExt = ".golden"

// Files holds a project's text files in memory, keyed by path: its M
// documents and its resources.resx. It is an analysis.Files.
type Files map[string][]byte

// Parsed parses the file at path.
func (fs Files) Parsed(path string) (*ast.File, error) {
	src, ok := fs[path]
	if !ok {
		return nil, os.ErrNotExist
	}
	return parser.Parse(path, src), nil
}

// fixture is one test case: a project and the text of its files.
type fixture struct {
	p     *project.Project
	files Files
	// reload rebuilds the project after its files changed, so that an edit
	// to resources.resx is seen.
	reload func(Files) *project.Project
}

// run checks the fixture's files with the analyzers.
func (fx *fixture) run(files Files, cfg *config.Config, analyzers []*analysis.Analyzer) []analysis.Diagnostic {
	p := fx.p
	if !sameText(files, fx.files) {
		p = fx.reload(files)
	}
	return analysis.Run(p, files, cfg, analyzers)
}

// sameText reports whether the non-M files of a and b are equal, so that
// the project read from them is the same.
func sameText(a, b Files) bool {
	for path, src := range a {
		if !isMDocument(path) && !bytes.Equal(src, b[path]) {
			return false
		}
	}
	return true
}

func isMDocument(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".pq", ".m", ".pqm":
		return true
	}
	return false
}

// Run checks analyzer a against testdata/<a.ID>: each .pq, .m or .pqm file
// there is a project of its own (a .pqm as a module), each folder a project
// as project.Load finds it. cfg may be nil; review rules always run.
func Run(t *testing.T, dir string, a *analysis.Analyzer, cfg *config.Config) {
	t.Helper()
	cfg = reviewConfig(cfg)
	eachProject(t, dir, func(t *testing.T, fx *fixture) {
		check(t, fx, cfg, a)
	})
}

// reviewConfig returns a copy of cfg (or of the default) with review rules
// on; the caller's configuration stays as it was.
func reviewConfig(cfg *config.Config) *config.Config {
	if cfg == nil {
		cfg = config.Default()
	} else {
		cfg = cfg.Clone()
	}
	cfg.Settings.ReviewMode = true
	return cfg
}

// eachProject runs fn as a subtest for each entry of dir, loaded as a
// project: a folder as project.Load finds it, a single file on its own.
// Golden files are not entries.
func eachProject(t *testing.T, dir string, fn func(t *testing.T, fx *fixture)) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), GoldenExt) {
			continue
		}
		n++
		path := filepath.Join(dir, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			fn(t, load(t, path, e.IsDir()))
		})
	}
	if n == 0 {
		t.Fatalf("%s: no test cases", dir)
	}
}

func load(t *testing.T, path string, isDir bool) *fixture {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	var p *project.Project
	reload := func(Files) *project.Project { return p }
	if isDir {
		p, err = project.Load(project.OS(), abs)
		if err != nil {
			t.Fatal(err)
		}
		reload = func(files Files) *project.Project {
			q, err := project.Load(project.Overlay(project.OS(), files), abs)
			if err != nil {
				t.Fatalf("reload %s after a fix: %v", abs, err)
			}
			return q
		}
	} else {
		// A lone fixture stands for a file of a connector project.
		p = &project.Project{Root: filepath.Dir(abs), Name: strings.TrimSuffix(filepath.Base(abs), filepath.Ext(abs)), Listed: true}
		switch {
		case strings.HasSuffix(abs, ".query.pq"):
			p.Tests = []string{abs}
		case strings.HasSuffix(abs, ".pqm"):
			p.Modules = []string{abs}
		default:
			p.Main = abs
		}
	}
	return &fixture{p: p, files: ReadFiles(t, p), reload: reload}
}

// ReadFiles reads the M documents and the resources.resx of p from disk.
func ReadFiles(tb testing.TB, p *project.Project) Files {
	tb.Helper()
	files := Files{}
	paths := p.Documents()
	if p.Resx != "" {
		paths = append(paths, p.Resx)
	}
	for _, doc := range paths {
		src, err := os.ReadFile(doc)
		if err != nil {
			tb.Fatal(err)
		}
		files[doc] = src
	}
	return files
}

func check(t *testing.T, fx *fixture, cfg *config.Config, a *analysis.Analyzer) {
	t.Helper()
	analyzers := []*analysis.Analyzer{a}
	diags := fx.run(fx.files, cfg, analyzers)
	if !compare(t, fx.files, diags, map[string]bool{a.ID: true}) {
		return
	}
	for _, d := range diags {
		for _, fix := range d.Fixes {
			checkFix(t, fx, cfg, analyzers, d, fix, false)
		}
	}
	checkGolden(t, fx, diags, func(files Files) []analysis.Diagnostic { return fx.run(files, cfg, analyzers) })
}

// checkFix applies fix alone and checks that the result parses, that the
// finding is gone and that the fix is not offered again. With others, it
// also checks that no finding appears that was not there before, of any of
// the analyzers: a fix must not trade one finding for another.
func checkFix(t *testing.T, fx *fixture, cfg *config.Config, analyzers []*analysis.Analyzer, d analysis.Diagnostic, fix analysis.Fix, others bool) {
	t.Helper()
	fixed, err := Apply(fx.files, withPath(fix.Edits, d.Path))
	if err != nil {
		t.Errorf("%s fix %q: %v", d.Code, fix.Title, err)
		return
	}
	for path := range fixed {
		if bytes.Equal(fixed[path], fx.files[path]) {
			continue
		}
		if !isMDocument(path) {
			// resources.resx: it must stay well-formed XML.
			if wellFormed(fx.files[path]) == nil {
				if err := wellFormed(fixed[path]); err != nil {
					t.Errorf("%s fix %q leaves %s malformed: %v\n%s", d.Code, fix.Title, filepath.Base(path), err, fixed[path])
				}
			}
			continue
		}
		before, _ := fx.files.Parsed(path)
		after, _ := fixed.Parsed(path)
		if len(after.Errors) > len(before.Errors) {
			e := after.Errors[0]
			t.Errorf("%s fix %q leaves %s unparsable: %s\n%s", d.Code, fix.Title, filepath.Base(path), after.Message(e), fixed[path])
		}
	}
	before := fx.run(fx.files, cfg, analyzers)
	after := fx.run(fixed, cfg, analyzers)
	key := func(x analysis.Diagnostic) string { return x.Path + "\x00" + x.Code + "\x00" + x.Message }
	counts := func(ds []analysis.Diagnostic) map[string]int {
		m := map[string]int{}
		for _, x := range ds {
			m[key(x)]++
		}
		return m
	}
	nb, na := counts(before), counts(after)
	if na[key(d)] >= nb[key(d)] {
		t.Errorf("%s fix %q does not remove the finding %q; text after the fix:\n%s", d.Code, fix.Title, d.Message, fixed[d.Path])
	}
	if others {
		// Counted by file and rule, not by message: a rename changes the
		// names that messages quote without adding a finding, and fixing
		// one finding may let its rule say the next thing (a hint once an
		// error is gone). Review reminders mark code that is compliant (a
		// CredentialQuery a reviewer may ask about): a fix may make one.
		review := map[string]bool{}
		for _, a := range analyzers {
			review[a.ID] = a.Review
		}
		byRule := func(ds []analysis.Diagnostic) map[[2]string]int {
			m := map[[2]string]int{}
			for _, x := range ds {
				if !review[x.Code] {
					m[[2]string{x.Path, x.Code}]++
				}
			}
			return m
		}
		rb, ra := byRule(before), byRule(after)
		revealed := reveals[d.Code]
		var added []string
		for _, x := range after {
			k := [2]string{x.Path, x.Code}
			if ra[k] > rb[k] && !slices.Contains(revealed, x.Code) {
				added = append(added, filepath.Base(x.Path)+": "+x.Code+": "+x.Message)
			}
		}
		sort.Strings(added)
		for _, k := range added {
			t.Errorf("%s fix %q brings a new finding %s", d.Code, fix.Title, k)
		}
	}
	for _, x := range after {
		for _, again := range x.Fixes {
			if same(withPath(again.Edits, x.Path), withPath(fix.Edits, d.Path)) {
				t.Errorf("%s fix %q is offered again after it was applied", d.Code, fix.Title)
			}
		}
	}
}

// wellFormed reads src as XML to its end and returns the first error.
func wellFormed(src []byte) error {
	d := xml.NewDecoder(bytes.NewReader(src))
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// reveals lists, for a rule, the rules whose findings its fixes may bring
// to light without causing them: a fix that corrects a misspelt
// documentation field or makes ButtonText a list lets PQC024 recognise the
// user-visible text that was there all along.
var reveals = map[string][]string{
	"PQC063": {"PQC024"},
	"PQC054": {"PQC024"},
}

// withPath fills in the path of edits that leave it empty: the file of the
// finding.
func withPath(edits []analysis.TextEdit, path string) []analysis.TextEdit {
	out := make([]analysis.TextEdit, len(edits))
	for i, e := range edits {
		if e.Path == "" {
			e.Path = path
		}
		out[i] = e
	}
	return out
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

// maxFixPasses bounds the passes of FixAll, as `pqls check --fix` bounds
// its own.
const maxFixPasses = 8

// FixAll applies the first fix of every finding, leaving out those that
// overlap a fix already taken (an edit identical to one taken is made
// once), then checks again and repeats while fixes
// apply. check returns the findings for a set of files.
func FixAll(files Files, diags []analysis.Diagnostic, check func(Files) []analysis.Diagnostic) (Files, error) {
	for pass := 0; pass < maxFixPasses; pass++ {
		// One rule decides which fixes go together, as for --fix and the
		// editor's fix-all: see analysis.EditSet.
		set := new(analysis.EditSet)
		for _, d := range diags {
			if len(d.Fixes) > 0 {
				set.Add(withPath(d.Fixes[0].Edits, d.Path))
			}
		}
		taken := set.Edits()
		if len(taken) == 0 {
			return files, nil
		}
		fixed, err := Apply(files, taken)
		if err != nil {
			return nil, err
		}
		if fixed.equal(files) {
			return files, nil
		}
		files = fixed
		diags = check(files)
	}
	return files, nil
}

func (fs Files) equal(gs Files) bool {
	if len(fs) != len(gs) {
		return false
	}
	for k, v := range fs {
		if !bytes.Equal(v, gs[k]) {
			return false
		}
	}
	return true
}

// checkGolden applies all fixes and compares each changed file with its
// golden file; with -update it writes the golden files instead. A golden
// file for a file that no fix changes is an error too, so that goldens do
// not outlive their fixes.
func checkGolden(t *testing.T, fx *fixture, diags []analysis.Diagnostic, run func(Files) []analysis.Diagnostic) {
	t.Helper()
	fixed, err := FixAll(fx.files, diags, run)
	if err != nil {
		t.Errorf("applying all fixes: %v", err)
		return
	}
	paths := make([]string, 0, len(fx.files))
	for path := range fx.files {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		golden := path + GoldenExt
		changed := !bytes.Equal(fixed[path], fx.files[path])
		want, err := os.ReadFile(golden)
		exists := err == nil
		switch {
		case *update && changed:
			if err := os.WriteFile(golden, fixed[path], 0o644); err != nil {
				t.Fatal(err)
			}
		case *update && exists:
			if err := os.Remove(golden); err != nil {
				t.Fatal(err)
			}
		case changed && !exists:
			t.Errorf("fixes change %s but it has no golden file %s (run go test with -update to write it); text after the fixes:\n%s",
				filepath.Base(path), filepath.Base(golden), fixed[path])
		case changed && !bytes.Equal(want, fixed[path]):
			t.Errorf("text of %s after the fixes differs from %s:\n%s", filepath.Base(path), filepath.Base(golden), lineDiff(string(want), string(fixed[path])))
		case !changed && exists:
			t.Errorf("%s exists but no fix changes %s", filepath.Base(golden), filepath.Base(path))
		}
	}
}

// lineDiff describes the first difference of two texts, with a few lines of
// each from there.
func lineDiff(want, got string) string {
	w, g := strings.SplitAfter(want, "\n"), strings.SplitAfter(got, "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	show := func(lines []string) string {
		end := min(i+6, len(lines))
		if i >= end {
			return "(end of text)\n"
		}
		return fmt.Sprintf("%q\n", strings.Join(lines[i:end], ""))
	}
	return fmt.Sprintf("first difference at line %d\nwant: %sgot:  %s", i+1, show(w), show(g))
}

// Apply applies edits to copies of the files they touch. Edits to one file
// must not overlap; insertions at one offset are applied in the order given.
func Apply(files Files, edits []analysis.TextEdit) (Files, error) {
	out := Files{}
	for k, v := range files {
		out[k] = v
	}
	byPath := map[string][]analysis.TextEdit{}
	var paths []string
	for _, e := range edits {
		if _, ok := byPath[e.Path]; !ok {
			paths = append(paths, e.Path)
		}
		byPath[e.Path] = append(byPath[e.Path], e)
	}
	for _, path := range paths {
		src, ok := out[path]
		if !ok {
			return nil, fmt.Errorf("edit to unknown file %s", path)
		}
		fixed, err := analysis.ApplyEdits(src, byPath[path])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
		}
		out[path] = fixed
	}
	return out, nil
}
