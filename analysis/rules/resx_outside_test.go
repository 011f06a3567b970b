package rules_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/analysistest"
	"github.com/pqls/pqls/analysis/rules/resources"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/project"
)

// TestResxOutsideProject: a project file that packages a resources.resx
// from outside the project folder gets a project finding for the item and
// no PQC026 finding, since pqls reads nothing outside the folder and so
// cannot know the keys. The fixture names a file that does not exist, so
// the test also fails if the loader ever reads above the project.
func TestResxOutsideProject(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("testdata", "resx_outside"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := project.Load(project.OS(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.Resx != "" {
		t.Fatalf("Resx = %q, want none: the file is outside the project", p.Resx)
	}
	outside := false
	for _, pr := range p.Problems {
		outside = outside || errors.Is(pr.Err, project.ErrOutsideProject)
	}
	if !outside {
		t.Errorf("no project problem for the item outside the folder: %v", p.Problems)
	}
	files := analysistest.ReadFiles(t, p)
	for _, d := range analysis.Run(p, files, config.Default(), []*analysis.Analyzer{resources.PQC026}) {
		if d.Code == "PQC026" {
			t.Errorf("PQC026 reported in %s: %s", filepath.Base(d.Path), d.Message)
		}
	}
}
