package analysistest

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/project"
)

// RunAll checks a set of analyzers together against dir, as Run does for
// one: each entry of dir is a project (a folder as project.Load finds it, or
// a single file), every finding of any of the analyzers must be wanted and
// every want found. Unlike Run it takes cfg as given (nil means the default
// configuration, in which review rules are off) and does not apply quick-fixes.
//
// Wants whose code belongs to no analyzer in the set are logged and
// skipped, so that a corpus can record the findings of rules not written
// yet.
func RunAll(t *testing.T, dir string, analyzers []*analysis.Analyzer, cfg *config.Config) {
	t.Helper()
	if cfg == nil {
		cfg = config.Default()
	}
	active := map[string]bool{}
	for _, a := range analyzers {
		active[a.ID] = true
	}
	eachProject(t, dir, func(t *testing.T, p *project.Project, files Files) {
		compare(t, files, analysis.Run(p, files, cfg, analyzers), active)
	})
}

var codeRE = regexp.MustCompile(`PQC\d{3}`)

// compare checks diags against the want comments of files for the rules in
// active: every finding must be wanted and every want found. Wants of other
// rules are logged and skipped. It reports whether all matched.
func compare(t *testing.T, files Files, diags []analysis.Diagnostic, active map[string]bool) bool {
	t.Helper()
	want := map[expectation]int{}
	var skipped []string
	for path := range files {
		f, _ := files.Parsed(path)
		for _, c := range f.Comments {
			m := wantRE.FindStringSubmatch(c.Text)
			if m == nil {
				continue
			}
			start, _ := f.Span(&c)
			line := f.Lines.UTF8(start).Line
			for _, code := range codeRE.FindAllString(m[1], -1) {
				e := expectation{path, line, code}
				if !active[code] {
					skipped = append(skipped, e.String())
					continue
				}
				want[e]++
			}
		}
	}
	if len(skipped) > 0 {
		sort.Strings(skipped)
		t.Logf("wants of rules not in the set, not checked: %s", strings.Join(skipped, ", "))
	}
	got := map[expectation]int{}
	messages := map[expectation][]string{}
	ok := true
	for _, d := range diags {
		if d.Code == analysis.SyntaxCode {
			t.Errorf("%s: syntax error in test data: %s", filepath.Base(d.Path), d.Message)
			ok = false
			continue
		}
		f, _ := files.Parsed(d.Path)
		e := expectation{d.Path, f.Lines.UTF8(d.Start).Line, d.Code}
		got[e]++
		messages[e] = append(messages[e], d.Message)
	}
	var problems []string
	for e, n := range got {
		if want[e] < n {
			problems = append(problems, fmt.Sprintf("unexpected finding %s: %s", e, strings.Join(messages[e], " | ")))
		}
	}
	for e, n := range want {
		if got[e] < n {
			problems = append(problems, fmt.Sprintf("missing finding %s", e))
		}
	}
	sort.Strings(problems)
	for _, pr := range problems {
		t.Error(pr)
	}
	return ok && len(problems) == 0
}
