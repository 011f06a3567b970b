package analysis_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/analysistest"
)

// TestRules runs every rule over its testdata folder.
func TestRules(t *testing.T) {
	for _, a := range analysis.All() {
		t.Run(a.ID, func(t *testing.T) {
			dir := filepath.Join("testdata", a.ID)
			if _, err := os.Stat(dir); err != nil {
				t.Fatalf("rule %s has no testdata: %v", a.ID, err)
			}
			analysistest.Run(t, dir, a, nil)
		})
	}
}

// TestRuleMetadata checks that every rule documents itself.
func TestRuleMetadata(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range analysis.All() {
		if seen[a.ID] {
			t.Errorf("duplicate rule %s", a.ID)
		}
		seen[a.ID] = true
		if a.Title == "" || a.Doc == "" || a.HelpURI == "" || a.Bad == "" || a.Good == "" || a.Run == nil || a.Severity == 0 {
			t.Errorf("rule %s lacks a title, doc, help link, examples, severity or Run", a.ID)
		}
	}
}
