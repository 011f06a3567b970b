package parser

// Differential test against Microsoft's parser, @microsoft/powerquery-parser
// (the exact version pinned in grammar/testdata/differential/package.json),
// run in Node by grammar/testdata/differential/parse.mjs.
//
// The rule: every file Microsoft's parser accepts, ours accepts too. Files
// only ours accepts are allowed; they are the inputs where that parser
// departs from the M specification (lone CR line ends, ".05", #!"verbatim"
// literals, Section!Member access; see docs/performance.md and the grammar
// README). Files both reject are the error fixtures.

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pqls/pqls/internal/testconnector"
	"github.com/pqls/pqls/internal/testfiles"
)

// diffDir is the folder of the Node script, relative to this package.
const diffDir = "../testdata/differential"

// theirResult is one line of parse.mjs output.
type theirResult struct {
	Path  string    `json:"path"`
	OK    bool      `json:"ok"`
	Error string    `json:"error"`
	MS    float64   `json:"ms"`
	Runs  []float64 `json:"runs"`
}

// runMicrosoftParser parses the files with parse.mjs (extra arguments go
// before the file list, which is passed on stdin), running npm ci first
// when node_modules is missing, and returns the results by path.
func runMicrosoftParser(tb testing.TB, files []string, extra ...string) map[string]theirResult {
	tb.Helper()
	dir := testfiles.NodePackages(tb, diffDir, "@microsoft/powerquery-parser")
	res, err := testfiles.RunNode(tb, 10*time.Minute, filepath.Join(dir, "parse.mjs"), extra, files,
		func(r theirResult) string { return r.Path })
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// differentialFiles returns the absolute paths of every .pq, .m and .pqm
// file under grammar/, analysis/ (the rules' testdata) and examples/, sorted.
func differentialFiles(t *testing.T) []string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return testfiles.MFiles(t, filepath.Join(root, "grammar"), filepath.Join(root, "analysis"), filepath.Join(root, "examples"))
}

func TestDifferentialMicrosoft(t *testing.T) {
	files := differentialFiles(t)
	if len(files) < 100 {
		t.Fatalf("found only %d M files; is the repository complete?", len(files))
	}
	theirs := runMicrosoftParser(t, files)
	root, _ := filepath.Abs("../..")
	rel := func(p string) string {
		if r, err := filepath.Rel(root, p); err == nil {
			return filepath.ToSlash(r)
		}
		return p
	}

	srcs := make([][]byte, len(files))
	for i, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		srcs[i] = b
	}
	// First pass: the verdicts (it also warms up our parser).
	oursOK := make([]bool, len(files))
	firstErr := make([]string, len(files))
	for i, p := range files {
		f := Parse(p, srcs[i])
		oursOK[i] = len(f.Errors) == 0
		if !oursOK[i] {
			firstErr[i] = errorList(f)[0]
		}
	}
	// Second pass: our time, measured as theirs is (one parse per file,
	// after a warm-up).
	start := time.Now()
	for i, p := range files {
		Parse(p, srcs[i])
	}
	ourTime := time.Since(start)

	var both, onlyOurs, onlyTheirs, neither int
	var theirMS float64
	var onlyOursList, bothRejectList []string
	for i, p := range files {
		r := theirs[p]
		theirMS += r.MS
		switch {
		case r.OK && oursOK[i]:
			both++
		case r.OK && !oursOK[i]:
			onlyTheirs++
			t.Errorf("%s: Microsoft's parser accepts it, ours reports %s", rel(p), firstErr[i])
		case !r.OK && oursOK[i]:
			onlyOurs++
			onlyOursList = append(onlyOursList, rel(p)+": theirs: "+r.Error)
		default:
			neither++
			bothRejectList = append(bothRejectList, rel(p)+": ours: "+firstErr[i])
		}
	}
	t.Logf("%d files: both accept %d, only ours %d, only theirs %d, both reject %d",
		len(files), both, onlyOurs, onlyTheirs, neither)
	for i, s := range onlyOursList {
		if i == 10 {
			t.Logf("  ... and %d more accepted only by ours", len(onlyOursList)-i)
			break
		}
		t.Logf("  only ours: %s", s)
	}
	if testing.Verbose() {
		for _, s := range bothRejectList {
			t.Logf("  both reject: %s", s)
		}
	}
	ourMS := float64(ourTime.Microseconds()) / 1000
	ratio := 0.0
	if ourMS > 0 {
		ratio = theirMS / ourMS
	}
	t.Logf("parse time over the %d files: Microsoft's %.1f ms, ours %.2f ms: ours is %.0fx faster", len(files), theirMS, ourMS, ratio)
}

// microsoft1MB caches the Node result of BenchmarkAgainstMicrosoft1MB.
var microsoft1MB *theirResult

// BenchmarkAgainstMicrosoft1MB parses the generated ~1 MB connector
// (testconnector.Section(1<<20)) with ours (b.N times) and with Microsoft's
// parser (7 runs in one Node process after a warm-up, median), and reports
// their median and the ratio. Not run by go test without -bench:
//
//	go test -run '^$' -bench AgainstMicrosoft -benchtime 20x ./grammar/parser
func BenchmarkAgainstMicrosoft1MB(b *testing.B) {
	src := testconnector.Section(1 << 20)
	path := "Bench.pq"
	// The benchmark function runs more than once (b.N = 1 first); Node
	// runs once per process.
	if microsoft1MB == nil {
		tmp := filepath.Join(b.TempDir(), path)
		if err := os.WriteFile(tmp, src, 0o644); err != nil {
			b.Fatal(err)
		}
		r := runMicrosoftParser(b, []string{tmp}, "--repeat", "7")[tmp]
		microsoft1MB = &r
	}
	r := *microsoft1MB
	if !r.OK {
		b.Fatalf("Microsoft's parser rejects the generated connector: %s", r.Error)
	}
	if f := Parse(path, src); len(f.Errors) != 0 {
		b.Fatalf("ours rejects the generated connector: %s", errorList(f)[0])
	}
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Parse(path, src)
	}
	b.StopTimer()
	ourMS := float64(b.Elapsed().Microseconds()) / 1000 / float64(b.N)
	b.ReportMetric(r.MS, "theirs-ms")
	b.ReportMetric(ourMS, "ours-ms")
	b.ReportMetric(r.MS/ourMS, "x-faster")
	if b.N > 1 {
		b.Logf("%d bytes: Microsoft's parser median %.0f ms of %.0f; ours %.2f ms", len(src), r.MS, r.Runs, ourMS)
	}
}
