package analysis_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/analysistest"
	"github.com/pqls/pqls/analysis/rules"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/internal/testconnector"
	"github.com/pqls/pqls/project"
)

// parsedFiles serves files parsed once, so the benchmark measures the
// analysis alone.
type parsedFiles map[string]*ast.File

func (p parsedFiles) Parsed(path string) (*ast.File, error) {
	if f, ok := p[path]; ok {
		return f, nil
	}
	return nil, os.ErrNotExist
}

// BenchmarkCheck1MB runs every rule over a generated ~1 MB connector whose
// files are already parsed.
func BenchmarkCheck1MB(b *testing.B) {
	src := testconnector.Section(1 << 20)
	p := &project.Project{Root: "/bench", Name: "Bench", Main: "/bench/Bench.pq"}
	files := parsedFiles{p.Main: parser.Parse(p.Main, src)}
	cfg := config.Default()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		analysis.Run(p, files, cfg, rules.All())
	}
}

// BenchmarkCheck100Projects discovers, reads, parses and checks a folder of
// 100 small projects, as `pqls check folder` does.
func BenchmarkCheck100Projects(b *testing.B) {
	root := b.TempDir()
	for i := 0; i < 100; i++ {
		dir := filepath.Join(root, fmt.Sprintf("Project%03d", i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "Bench.pq"), testconnector.Section(8<<10), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	cfg := config.Default()
	b.ReportAllocs()
	for b.Loop() {
		projects, err := project.Discover(project.OS(), root)
		if err != nil || len(projects) != 100 {
			b.Fatalf("discovered %d projects: %v", len(projects), err)
		}
		for _, p := range projects {
			files := analysistest.Files{}
			for _, doc := range p.Documents() {
				data, err := os.ReadFile(doc)
				if err != nil {
					b.Fatal(err)
				}
				files[doc] = data
			}
			analysis.Run(p, files, cfg, rules.All())
		}
	}
}
