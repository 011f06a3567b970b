package main

import (
	"encoding/json"
	"io/fs"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules"
)

// TestFixKindMatchesFindings checks each rule's Fix field, which the rule
// pages and pqls explain print, against what the rule does on its test
// projects: a rule that says NoFix never offers a fix, a rule whose
// finding carries a fix says so, and one whose fix --fix applies says
// SafeFix.
func TestFixKindMatchesFindings(t *testing.T) {
	dirs := map[string]string{} // rule ID → its testdata folder
	ruleDir := regexp.MustCompile(`^PQC\d{3}$`)
	err := filepath.WalkDir(filepath.Join("..", "..", "analysis"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && ruleDir.MatchString(d.Name()) && filepath.Base(filepath.Dir(path)) == "testdata" {
			dirs[d.Name()] = path
			return filepath.SkipDir
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("found no rule testdata folders under analysis/")
	}
	for _, a := range rules.All() {
		dir, ok := dirs[a.ID]
		if !ok {
			continue // TestRules in analysis insists on testdata
		}
		stdout, stderr, _ := pqls(t, "check", "--format", "json", dir)
		var js struct {
			Files []struct {
				Diagnostics []struct {
					Code  string
					Fixes []struct{ Safe bool }
				}
			}
		}
		if err := json.Unmarshal([]byte(stdout), &js); err != nil {
			t.Fatalf("%s: %v\n%s", dir, err, stderr)
		}
		var fixes, safe int
		for _, f := range js.Files {
			for _, d := range f.Diagnostics {
				if d.Code != a.ID {
					continue
				}
				fixes += len(d.Fixes)
				if len(d.Fixes) > 0 && d.Fixes[0].Safe {
					safe++
				}
			}
		}
		switch {
		case a.Fix == analysis.NoFix && fixes > 0:
			t.Errorf("%s says it has no fix, but its findings in %s carry %d", a.ID, dir, fixes)
		case a.Fix == analysis.ManualFix && safe > 0:
			t.Errorf("%s says --fix applies none of its fixes, but %d of its findings in %s have a safe fix", a.ID, safe, dir)
		case a.Fix != analysis.NoFix && a.Fix != analysis.ManualFix && a.Fix != analysis.SafeFix:
			t.Errorf("%s: unknown Fix %q", a.ID, a.Fix)
		}
	}
}
