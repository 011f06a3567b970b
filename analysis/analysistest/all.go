package analysistest

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/config"
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
	eachProject(t, dir, func(t *testing.T, fx *fixture) {
		compare(t, fx.files, fx.run(fx.files, cfg, analyzers), active)
	})
}

// RunFixes checks every quick-fix the analyzers offer on the projects of
// dir, all analyzers running together with review rules on: after a fix the
// files parse, the finding is gone, the fix is not offered again, and no
// finding of any analyzer appears that was not there before. Want comments
// are not consulted: this is a property of fixes, over any test data.
func RunFixes(t *testing.T, dir string, analyzers []*analysis.Analyzer, cfg *config.Config) {
	t.Helper()
	cfg = reviewConfig(cfg)
	eachProject(t, dir, func(t *testing.T, fx *fixture) {
		for _, d := range fx.run(fx.files, cfg, analyzers) {
			for _, fix := range d.Fixes {
				checkFix(t, fx, cfg, analyzers, d, fix, true)
			}
		}
	})
}

// wantRE matches a want comment and its quoted strings.
var (
	wantRE   = regexp.MustCompile("want((?:\\s+(?:\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`))+)")
	stringRE = regexp.MustCompile("\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`")
	codeRE   = regexp.MustCompile(`^PQC\d{3}$`)
)

// expectation is one wanted finding.
type expectation struct {
	path string
	line int    // 0-based
	code string // the rule ID, or "" when msg alone decides
	msg  *regexp.Regexp
}

func (e expectation) String() string {
	var what []string
	if e.code != "" {
		what = append(what, e.code)
	}
	if e.msg != nil {
		what = append(what, strconv.Quote(e.msg.String()))
	}
	return fmt.Sprintf("%s:%d: %s", filepath.Base(e.path), e.line+1, strings.Join(what, " "))
}

// matches reports whether finding d, on e's line, is what e wants.
func (e expectation) matches(d analysis.Diagnostic) bool {
	if e.code != "" {
		return d.Code == e.code && (e.msg == nil || e.msg.MatchString(d.Message))
	}
	return e.msg.MatchString(d.Code) || e.msg.MatchString(d.Message)
}

// parseWants reads the expectations of one want comment: a rule ID followed
// by a string that is not one is a single expectation of both.
func parseWants(t *testing.T, path string, line int, text string) []expectation {
	var out []expectation
	strs := stringRE.FindAllString(text, -1)
	for i := 0; i < len(strs); i++ {
		s, err := strconv.Unquote(strs[i])
		if err != nil {
			t.Errorf("%s:%d: bad want string %s: %v", filepath.Base(path), line+1, strs[i], err)
			continue
		}
		e := expectation{path: path, line: line}
		if codeRE.MatchString(s) {
			e.code = s
			if i+1 < len(strs) {
				if next, err := strconv.Unquote(strs[i+1]); err == nil && !codeRE.MatchString(next) {
					s, i = next, i+1
				} else {
					out = append(out, e)
					continue
				}
			} else {
				out = append(out, e)
				continue
			}
		}
		re, err := regexp.Compile(s)
		if err != nil {
			t.Errorf("%s:%d: bad want pattern %q: %v", filepath.Base(path), line+1, s, err)
			continue
		}
		e.msg = re
		out = append(out, e)
	}
	return out
}

// compare checks diags against the want comments of files for the rules in
// active: every finding must be wanted and every want found. Wants of other
// rules are logged and skipped. It reports whether all matched.
func compare(t *testing.T, files Files, diags []analysis.Diagnostic, active map[string]bool) bool {
	t.Helper()
	type pos struct {
		path string
		line int
	}
	wants := map[pos][]expectation{}
	var skipped []string
	for path := range files {
		if !isMDocument(path) {
			continue
		}
		f, _ := files.Parsed(path)
		for _, c := range f.Comments {
			m := wantRE.FindStringSubmatch(c.Text)
			if m == nil {
				continue
			}
			start, _ := f.Span(&c)
			line := f.Lines.UTF8(start).Line
			for _, e := range parseWants(t, path, line, m[1]) {
				if e.code != "" && !active[e.code] {
					skipped = append(skipped, e.String())
					continue
				}
				k := pos{path, line}
				wants[k] = append(wants[k], e)
			}
		}
	}
	if len(skipped) > 0 {
		sort.Strings(skipped)
		t.Logf("wants of rules not in the set, not checked: %s", strings.Join(skipped, ", "))
	}
	// The most specific expectations claim findings first.
	for _, es := range wants {
		sort.SliceStable(es, func(i, j int) bool { return specificity(es[i]) > specificity(es[j]) })
	}
	ok := true
	var problems []string
	for _, d := range diags {
		if d.Code == analysis.SyntaxCode {
			t.Errorf("%s: syntax error in test data: %s", filepath.Base(d.Path), d.Message)
			ok = false
			continue
		}
		if !isMDocument(d.Path) {
			problems = append(problems, fmt.Sprintf("unexpected finding in %s: %s: %s", filepath.Base(d.Path), d.Code, d.Message))
			continue
		}
		f, _ := files.Parsed(d.Path)
		k := pos{d.Path, f.Lines.UTF8(d.Start).Line}
		es := wants[k]
		found := false
		for i, e := range es {
			if e.matches(d) {
				wants[k] = append(es[:i:i], es[i+1:]...)
				found = true
				break
			}
		}
		if !found {
			problems = append(problems, fmt.Sprintf("unexpected finding %s:%d: %s: %s", filepath.Base(d.Path), k.line+1, d.Code, d.Message))
		}
	}
	for _, es := range wants {
		for _, e := range es {
			problems = append(problems, fmt.Sprintf("missing finding %s", e))
		}
	}
	sort.Strings(problems)
	for _, pr := range problems {
		t.Error(pr)
	}
	return ok && len(problems) == 0
}

func specificity(e expectation) int {
	n := 0
	if e.code != "" {
		n += 2
	}
	if e.msg != nil {
		n++
	}
	return n
}
