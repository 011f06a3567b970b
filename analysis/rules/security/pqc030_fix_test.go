package security_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/analysistest"
	"github.com/pqls/pqls/analysis/rules/security"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/project"
)

// TestPQC030HiddenCallers checks the fixes of helpers that the connector
// hands to modules, whose calls of them the model does not resolve. A
// module that gets a helper in the environment of Expression.Evaluate has
// its calls found by name: the fix at the callers changes them too and
// stays safe, and no fix moves the query string into the helper when such
// a module calls it with its own. A helper passed to a module as an
// argument gets a fix at the callers that is not safe (pqls check --fix
// and fix-all leave it) and leaves the module alone. The wants and golden
// files of the same folder check the messages and the edits.
func TestPQC030HiddenCallers(t *testing.T) {
	files, diags := checkFolder(t, "module_caller")
	// The finding of each helper is on the line that defines it.
	byHelper := map[string]analysis.Diagnostic{}
	for _, d := range diags {
		if d.Code != "PQC030" {
			continue
		}
		src := files[d.Path]
		line := src[bytes.LastIndexByte(src[:d.Start], '\n')+1:]
		if name, _, ok := strings.Cut(string(line), " = ("); ok {
			byHelper[name] = d
		}
	}
	for _, c := range []struct {
		helper    string
		fix, safe bool
		message   string
		module    string // the module the fix edits, if any
	}{
		{"Load", false, false, "no automatic fix: the URL comes in through the parameter address: not every caller passes the URL in this file", ""},
		{"Send", true, true, "", "Reports.pqm"},
		{"Post", true, false, "the fix is partial: the helper may have callers pqls cannot see (it is used as a value at Ledger.pq:35): the fix leaves their URLs as they are", ""},
		{"Pull", true, true, "", ""},
	} {
		d, ok := byHelper[c.helper]
		if !ok {
			t.Errorf("%s: no PQC030 finding", c.helper)
			continue
		}
		if got := len(d.Fixes) > 0; got != c.fix {
			t.Errorf("%s: fix offered = %v, want %v", c.helper, got, c.fix)
			continue
		}
		if !strings.Contains(d.Message, c.message) {
			t.Errorf("%s: message %q does not contain %q", c.helper, d.Message, c.message)
		}
		if c.message == "" && (strings.Contains(d.Message, "no automatic fix") || strings.Contains(d.Message, "partial")) {
			t.Errorf("%s: message %q says more than the finding", c.helper, d.Message)
		}
		if !c.fix {
			continue
		}
		fix := d.Fixes[0]
		if fix.Safe != c.safe {
			t.Errorf("%s: fix safe = %v, want %v", c.helper, fix.Safe, c.safe)
		}
		edited := ""
		for _, e := range fix.Edits {
			if strings.HasSuffix(e.Path, ".pqm") {
				if edited != "" && edited != filepath.Base(e.Path) {
					t.Errorf("%s: fix %q edits two modules", c.helper, fix.Title)
				}
				edited = filepath.Base(e.Path)
			}
		}
		if edited != c.module {
			t.Errorf("%s: fix %q edits module %q, want %q", c.helper, fix.Title, edited, c.module)
		}
	}
}

// TestPQC030ModuleHelpers checks that helpers written as modules, which
// the connector loads with Extension.LoadFunction and calls itself, keep
// their safe fix at the callers: the loaders are followed.
func TestPQC030ModuleHelpers(t *testing.T) {
	_, diags := checkFolder(t, "module_helper")
	n := 0
	for _, d := range diags {
		if d.Code != "PQC030" {
			continue
		}
		n++
		if len(d.Fixes) == 0 || !d.Fixes[0].Safe {
			t.Errorf("%s:%d: want a safe fix: %s", filepath.Base(d.Path), d.Start, d.Message)
		}
	}
	if n != 2 {
		t.Errorf("got %d PQC030 findings, want 2", n)
	}
}

// checkFolder runs PQC030 over the project testdata/PQC030/<name>.
func checkFolder(t *testing.T, name string) (analysistest.Files, []analysis.Diagnostic) {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "PQC030", name))
	if err != nil {
		t.Fatal(err)
	}
	p, err := project.Load(project.OS(), dir)
	if err != nil {
		t.Fatal(err)
	}
	files := analysistest.ReadFiles(t, p)
	return files, analysis.Run(p, files, config.Default(), []*analysis.Analyzer{security.PQC030})
}
