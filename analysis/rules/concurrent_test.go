package rules_test

import (
	"context"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/analysistest"
	"github.com/pqls/pqls/analysis/rules"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/ide"
	"github.com/pqls/pqls/project"
)

// TestConcurrentReaders checks every corpus project on one model from
// several goroutines at once, beside editor requests on the same model, as
// the server does: each check must find what a check alone finds. Run with
// -race, it also shows that the model's lazily built caches are safe.
func TestConcurrentReaders(t *testing.T) {
	projects, err := project.Discover(project.OS(), filepath.Join("testdata", "corpus"))
	if err != nil || len(projects) == 0 {
		t.Fatalf("corpus: %d projects, %v", len(projects), err)
	}
	cfg := config.Default()
	for _, p := range projects {
		files := analysistest.Files{}
		for _, doc := range p.Documents() {
			data, err := p.Source().ReadFile(doc)
			if err != nil {
				t.Fatal(err)
			}
			files[doc] = data
		}
		want := analysis.Run(p, files, cfg, rules.All())
		prog, loaded := analysis.Load(p, files)
		var wg sync.WaitGroup
		got := make([][]analysis.Diagnostic, 4)
		for i := range got {
			wg.Add(2)
			go func() {
				defer wg.Done()
				got[i] = analysis.Check(prog, loaded, cfg, rules.All())
			}()
			go func() {
				defer wg.Done()
				for _, f := range prog.Files {
					ide.Symbols(f)
					ide.SemanticTokens(context.Background(), prog, f)
					for off := 0; off < len(f.AST.Src); off += 97 {
						ide.Hover(prog, f, off)
						ide.References(context.Background(), prog, f, off, true)
					}
				}
			}()
		}
		wg.Wait()
		for i := range got {
			if !reflect.DeepEqual(got[i], want) {
				t.Errorf("%s: concurrent check %d found %d findings, a check alone %d", p.Root, i, len(got[i]), len(want))
			}
		}
	}
}
