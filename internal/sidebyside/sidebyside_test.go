package sidebyside

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/analysistest"
	"github.com/pqls/pqls/analysis/rules"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/internal/testconnector"
	"github.com/pqls/pqls/internal/testfiles"
	"github.com/pqls/pqls/project"
)

const (
	// nodeDir holds validate.mjs and its pinned npm packages.
	nodeDir = "testdata/languageservices"
	// repoRoot is the repository, relative to this package.
	repoRoot = "../.."
)

// theirResult is one line of validate.mjs output.
type theirResult struct {
	Path        string    `json:"path"`
	OK          bool      `json:"ok"`
	Error       string    `json:"error"`
	MS          float64   `json:"ms"`
	Runs        []float64 `json:"runs"`
	Diagnostics int       `json:"diagnostics"`
	SyntaxError bool      `json:"syntaxError"`
	Messages    []string  `json:"messages"`
}

// validate runs Microsoft's validation over the files (absolute paths) in
// one Node process, each repeat times, and returns the results by path.
//
// Their validation runs with its own empty library (NoOpLibrary), not with
// a standard library (validate.mjs --library): with library functions typed,
// version 1.1.2 fails with an internal error on the documented
// Value.ReplaceType shape every connector uses (see docs/performance.md),
// and without one it does the least work, so the ratio is the one least
// favourable to pqls.
func validate(tb testing.TB, files []string, repeat int) map[string]theirResult {
	tb.Helper()
	res, err := tryValidate(tb, files, repeat)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// tryValidate is validate returning Node's failure (such as running out of
// memory on a large file) as an error.
func tryValidate(tb testing.TB, files []string, repeat int) (map[string]theirResult, error) {
	tb.Helper()
	dir := testfiles.NodePackages(tb, nodeDir, "@microsoft/powerquery-language-services")
	return testfiles.RunNode(tb, 30*time.Minute, filepath.Join(dir, "validate.mjs"),
		[]string{"--repeat", fmt.Sprint(repeat)}, files, func(r theirResult) string { return r.Path })
}

// firstLine returns the first line of s.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// check is what pqls does with the file as a project of its own, as
// `pqls check` and the server's diagnostics do: parse, build the model, run
// every rule. A .pqm is the project's module and a .query.pq its test file,
// so that the rules see each as they would in a connector.
func check(path string, src []byte) []analysis.Diagnostic {
	p := &project.Project{Root: filepath.Dir(path), Name: "SideBySide"}
	switch {
	case strings.HasSuffix(path, ".pqm"):
		p.Modules = []string{path}
	case strings.HasSuffix(path, ".query.pq"):
		p.Tests = []string{path}
	default:
		p.Main = path
	}
	return analysis.Run(p, analysistest.Files{path: src}, config.Default(), rules.All())
}

// hasSyntaxError reports whether the findings include a syntax error.
func hasSyntaxError(diags []analysis.Diagnostic) bool {
	return slices.ContainsFunc(diags, func(d analysis.Diagnostic) bool { return d.Code == analysis.SyntaxCode })
}

// timeOurs checks src runs times and returns the median in milliseconds and
// the findings.
func timeOurs(path string, src []byte, runs int) (float64, []analysis.Diagnostic) {
	var diags []analysis.Diagnostic
	times := make([]float64, runs)
	for i := range times {
		start := time.Now()
		diags = check(path, src)
		times[i] = float64(time.Since(start).Nanoseconds()) / 1e6
	}
	slices.Sort(times)
	return times[len(times)/2], diags
}

// writeGenerated writes the generated connector of size bytes into dir and
// returns its path.
func writeGenerated(tb testing.TB, dir string, size int) string {
	tb.Helper()
	path := filepath.Join(dir, fmt.Sprintf("Generated%dKB.pq", size>>10))
	if err := os.WriteFile(path, testconnector.Section(size), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

func abs(tb testing.TB, rel string) string {
	tb.Helper()
	a, err := filepath.Abs(rel)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// TestSideBySide validates a few files with both tools: the example
// connector (main document, test file, module), a file with a syntax error
// and a generated 8 KB connector. It checks that both ran on every file
// and agree on which files have syntax errors, and logs both times and the
// ratio. It is short enough for every run; BenchmarkSideBySide has the
// figures of docs/performance.md.
func TestSideBySide(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Node")
	}
	files := []string{
		abs(t, repoRoot+"/examples/Contoso/Contoso.pq"),
		abs(t, repoRoot+"/examples/Contoso/Contoso.query.pq"),
		abs(t, repoRoot+"/examples/Contoso/Table.ToNavigationTable.pqm"),
		abs(t, repoRoot+"/grammar/parser/testdata/err_let.pq"),
		writeGenerated(t, t.TempDir(), 8<<10),
	}
	theirs := validate(t, files, 3)
	var theirMS, ourMS float64
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		r := theirs[path]
		if !r.OK {
			t.Errorf("%s: Microsoft's validation failed: %s", path, r.Error)
			continue
		}
		ms, diags := timeOurs(path, src, 3)
		if got := hasSyntaxError(diags); got != r.SyntaxError {
			t.Errorf("%s: syntax error: pqls %v, Microsoft's %v", path, got, r.SyntaxError)
		}
		theirMS += r.MS
		ourMS += ms
		t.Logf("%-28s %7d bytes: Microsoft's %8.2f ms (%d diagnostics), pqls %6.2f ms (%d findings)",
			filepath.Base(path), len(src), r.MS, r.Diagnostics, ms, len(diags))
	}
	if ourMS > 0 {
		t.Logf("total: Microsoft's %.1f ms, pqls %.2f ms: pqls is %.0fx faster", theirMS, ourMS, theirMS/ourMS)
	}
}

// theirRun is Microsoft's side of one benchmark input: the results by
// path, or why Node did not finish.
type theirRun struct {
	res map[string]theirResult
	err error
}

// theirsCache keeps the Node results of BenchmarkSideBySide across the
// benchmark's calls, which repeat for each b.N.
var theirsCache = map[string]theirRun{}

// BenchmarkSideBySide reports, for each input, the time of pqls's check
// (ours-ms, timed by the benchmark loop), of Microsoft's validation
// (theirs-ms: the sum over the input's files of the median of 3 runs each,
// in one Node process after a warm-up), the ratio (x-faster) and the files
// their validation failed on (theirs-failed; their times count up to the
// failure). Inputs: every M file of the repository (each a project of its
// own; the times are sums) and generated connectors of 16 KB, 64 KB, 256 KB
// and 1 MB. When Node does not finish (on the 1 MB file it runs out of its
// default 4 GB heap after about ten minutes), only ours-ms is reported and
// the reason is logged. Not run by go test without -bench:
//
//	go test -run '^$' -bench SideBySide -benchtime 5x ./internal/sidebyside
//	go test -run '^$' -bench 'SideBySide/(repository|16KB|64KB)' -benchtime 5x ./internal/sidebyside
func BenchmarkSideBySide(b *testing.B) {
	gen := b.TempDir()
	inputs := []struct {
		name  string
		files func() []string
	}{
		{"repository", func() []string {
			var files []string
			for _, f := range testfiles.MFiles(b, repoRoot+"/grammar", repoRoot+"/analysis", repoRoot+"/examples") {
				files = append(files, abs(b, f))
			}
			return files
		}},
	}
	for _, size := range []int{16 << 10, 64 << 10, 256 << 10, 1 << 20} {
		inputs = append(inputs, struct {
			name  string
			files func() []string
		}{fmt.Sprintf("%dKB", size>>10), func() []string { return []string{writeGenerated(b, gen, size)} }})
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			files := in.files()
			srcs := make([][]byte, len(files))
			var bytes int64
			for i, f := range files {
				src, err := os.ReadFile(f)
				if err != nil {
					b.Fatal(err)
				}
				srcs[i] = src
				bytes += int64(len(src))
			}
			theirs, cached := theirsCache[in.name]
			if !cached {
				theirs.res, theirs.err = tryValidate(b, files, 3)
				theirsCache[in.name] = theirs
			}
			var theirMS float64
			var failed int
			for _, f := range files {
				r := theirs.res[f]
				theirMS += r.MS
				if !r.OK && theirs.err == nil {
					failed++
					if !cached {
						b.Logf("%s: Microsoft's validation failed: %s", f, firstLine(r.Error))
					}
				}
			}
			b.SetBytes(bytes)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for j, f := range files {
					check(f, srcs[j])
				}
			}
			b.StopTimer()
			ourMS := float64(b.Elapsed().Nanoseconds()) / 1e6 / float64(b.N)
			b.ReportMetric(float64(len(files)), "files")
			b.ReportMetric(ourMS, "ours-ms")
			if theirs.err != nil {
				if !cached {
					b.Logf("Microsoft's validation did not finish: %v", theirs.err)
				}
				return
			}
			b.ReportMetric(theirMS, "theirs-ms")
			b.ReportMetric(theirMS/ourMS, "x-faster")
			b.ReportMetric(float64(failed), "theirs-failed")
		})
	}
}
