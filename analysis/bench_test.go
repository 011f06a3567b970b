package analysis_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/analysistest"
	"github.com/pqls/pqls/analysis/rules"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/internal/testconnector"
	"github.com/pqls/pqls/internal/testfiles"
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
			analysis.Run(p, analysistest.ReadFiles(b, p), cfg, rules.All())
		}
	}
}

// BenchmarkEditCheck measures a keystroke in the middle of a generated
// ~1 MB document, as the server handles it: reparse the file, build the
// model, check. "incremental" passes the previous check's state
// (CheckIncremental), "full" checks from scratch (Check). Each iteration
// types or deletes one character inside a member; p50-ms and p99-ms are the
// latencies of single edits, cpu-ms/op the CPU time of the process per
// edit (garbage collection included), which load from other processes on a
// shared machine does not inflate; reused-members/op how many members'
// findings an incremental check took from the one before.
func BenchmarkEditCheck(b *testing.B) {
	docs := []struct {
		name   string
		src    []byte
		anchor string // the character is typed after this text
	}{
		{"connector", testconnector.Section(1 << 20), `size = "10`},
		{"types", testconnector.TypeModule(1 << 20), `{ "Id`},
	}
	for _, doc := range docs {
		for _, incremental := range []bool{true, false} {
			mode := "full"
			if incremental {
				mode = "incremental"
			}
			b.Run(doc.name+"/"+mode, func(b *testing.B) {
				at := len(doc.src)/2 + bytes.Index(doc.src[len(doc.src)/2:], []byte(doc.anchor)) + len(doc.anchor)
				p := &project.Project{Root: "/bench", Name: "Bench", Main: "/bench/Bench.pq"}
				cfg := config.Default()
				all := rules.All()
				file := parser.Parse(p.Main, doc.src)
				prog, loaded := analysis.Load(p, parsedFiles{p.Main: file})
				_, state, _ := analysis.CheckIncremental(context.Background(), nil, prog, loaded, cfg, all)
				var times []time.Duration
				reused := 0
				b.ReportAllocs()
				i := 0
				cpu0 := testfiles.CPUTime()
				for b.Loop() {
					start := time.Now()
					e := parser.Edit{Start: at, End: at, Text: []byte("7")}
					if i%2 == 1 {
						e = parser.Edit{Start: at, End: at + 1}
					}
					i++
					file = parser.Reparse(file, e)
					prog, loaded := analysis.Load(p, parsedFiles{p.Main: file})
					if incremental {
						_, state, _ = analysis.CheckIncremental(context.Background(), state, prog, loaded, cfg, all)
						reused += state.Reused()
					} else {
						analysis.Check(prog, loaded, cfg, all)
					}
					times = append(times, time.Since(start))
				}
				b.ReportMetric(float64(reused)/float64(len(times)), "reused-members/op")
				b.ReportMetric(float64(testfiles.CPUTime()-cpu0)/float64(time.Millisecond)/float64(len(times)), "cpu-ms/op")
				slices.Sort(times)
				pct := func(q float64) float64 {
					return float64(times[min(len(times)-1, int(q*float64(len(times))))]) / float64(time.Millisecond)
				}
				b.ReportMetric(pct(0.50), "p50-ms")
				b.ReportMetric(pct(0.99), "p99-ms")
			})
		}
	}
}
