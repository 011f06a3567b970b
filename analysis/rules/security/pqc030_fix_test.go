package security_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/analysistest"
	"github.com/pqls/pqls/analysis/rules/security"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/project"
)

// TestPQC030HiddenCallers checks the fixes of helpers that a module calls
// through the environment of Expression.Evaluate, calls the model does not
// see: a fix that would move the query string into such a helper is not
// offered, one at the callers is offered but not as safe (pqls check --fix
// and fix-all leave it), and neither touches the module. The wants and the
// golden files of the same folder check the messages and the edits.
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
	}{
		{"Load", false, false, "no automatic fix: the URL comes in through the parameter address: the helper may have callers pqls cannot see (a record holding it is handed to the code Expression.Evaluate runs at Ledger.pq:8)"},
		{"Send", true, false, "the fix is partial: the helper may have callers pqls cannot see (a record holding it is handed to the code Expression.Evaluate runs at Ledger.pq:8): the fix leaves their URLs as they are"},
		{"Pull", true, true, ""},
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
		if c.fix && d.Fixes[0].Safe != c.safe {
			t.Errorf("%s: fix safe = %v, want %v", c.helper, d.Fixes[0].Safe, c.safe)
		}
		if !strings.Contains(d.Message, c.message) {
			t.Errorf("%s: message %q does not contain %q", c.helper, d.Message, c.message)
		}
		if c.message == "" && strings.Contains(d.Message, "(") {
			t.Errorf("%s: message %q says more than the finding", c.helper, d.Message)
		}
		for _, fix := range d.Fixes {
			for _, e := range fix.Edits {
				if strings.HasSuffix(e.Path, ".pqm") {
					t.Errorf("%s: fix %q edits the module %s", c.helper, fix.Title, filepath.Base(e.Path))
				}
			}
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
	files := analysistest.Files{}
	for _, doc := range p.Documents() {
		src, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		files[doc] = src
	}
	return files, analysis.Run(p, files, config.Default(), []*analysis.Analyzer{security.PQC030})
}
