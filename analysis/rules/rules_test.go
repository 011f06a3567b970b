package rules_test

import (
	"path/filepath"
	"testing"

	"github.com/pqls/pqls/analysis/analysistest"
	"github.com/pqls/pqls/analysis/rules"
)

// TestRules runs every rule over its testdata folder, <area>/testdata/<ID>,
// beside the rule's own file.
func TestRules(t *testing.T) {
	for _, a := range rules.All() {
		t.Run(a.ID, func(t *testing.T) {
			dirs, err := filepath.Glob(filepath.Join("*", "testdata", a.ID))
			if err != nil || len(dirs) != 1 {
				t.Fatalf("rule %s has %d testdata folders (%v), want one under its area", a.ID, len(dirs), err)
			}
			analysistest.Run(t, dirs[0], a, nil)
		})
	}
}

// TestRuleMetadata checks that every rule documents itself.
func TestRuleMetadata(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range rules.All() {
		if seen[a.ID] {
			t.Errorf("duplicate rule %s", a.ID)
		}
		seen[a.ID] = true
		if a.Title == "" || a.Doc == "" || a.HelpURI == "" || a.Bad == "" || a.Good == "" || a.Run == nil || a.Severity == 0 {
			t.Errorf("rule %s lacks a title, doc, help link, examples, severity or Run", a.ID)
		}
	}
}

// TestLookup finds rules in any case and nothing else.
func TestLookup(t *testing.T) {
	for _, c := range []struct {
		id   string
		want bool
	}{{"PQC030", true}, {"pqc030", true}, {"PQC999", false}, {"", false}} {
		if got := rules.Lookup(c.id) != nil; got != c.want {
			t.Errorf("Lookup(%q) found = %v, want %v", c.id, got, c.want)
		}
	}
}

// TestFixProperties applies every quick-fix offered on any test data, with
// all rules running: the project must still parse, the finding must go, the
// fix must not come back, and no other finding may appear.
func TestFixProperties(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("*", "testdata", "PQC*"))
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob(filepath.Join("testdata", "structure_config", "*"))
	dirs = append(dirs, more...)
	dirs = append(dirs, filepath.Join("testdata", "corpus"))
	for _, dir := range dirs {
		t.Run(dir, func(t *testing.T) {
			analysistest.RunFixes(t, dir, rules.All(), nil)
		})
	}
}
