package format

// Differential test against Microsoft's formatter,
// @microsoft/powerquery-formatter (the version pinned in
// testdata/differential/package.json), run in Node by
// testdata/differential/format.mjs.
//
// The rule: on every file both formatters format, ours keeps the syntax
// tree wherever theirs does. Trees are compared with our parser and Equal.
// Files theirs changes (it drops or moves tokens, or its output does not
// parse) are counted and listed, not failures: ours must keep the tree
// everywhere, which Source checks on every file.

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/internal/testconnector"
	"github.com/pqls/pqls/internal/testfiles"
)

const diffDir = "testdata/differential"

type theirFormat struct {
	Path  string  `json:"path"`
	OK    bool    `json:"ok"`
	Error string  `json:"error"`
	MS    float64 `json:"ms"`
	Text  string  `json:"text"`
}

// runMicrosoftFormatter formats the files with format.mjs, running npm ci
// first when node_modules is missing, and returns the results by path.
func runMicrosoftFormatter(tb testing.TB, files []string, extra ...string) map[string]theirFormat {
	tb.Helper()
	dir := testfiles.NodePackages(tb, diffDir, "@microsoft/powerquery-formatter")
	res, err := testfiles.RunNode(tb, 10*time.Minute, filepath.Join(dir, "format.mjs"), extra, files,
		func(r theirFormat) string { return r.Path })
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

func TestDifferentialMicrosoft(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Node")
	}
	var files []string
	for _, f := range mFiles(t) {
		abs, err := filepath.Abs(f)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, abs)
	}
	theirs := runMicrosoftFormatter(t, files)

	var both, theirsKept, theirsChanged, onlyOurs, onlyTheirs int
	var theirMS float64
	var ourTime time.Duration
	var changedList []string
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		body := bytes.TrimPrefix(src, bom)
		orig := parser.Parse(path, body)
		start := time.Now()
		out, err := Source(path, src, DefaultOptions())
		ourTime += time.Since(start)
		oursOK := err == nil && len(orig.Errors) == 0
		r := theirs[path]
		theirMS += r.MS
		switch {
		case r.OK && oursOK:
			both++
			tf := parser.Parse(path, []byte(r.Text))
			theirKeeps := len(tf.Errors) == 0 && Equal(orig.Root(), tf.Root())
			of := parser.Parse(path, bytes.TrimPrefix(out, bom))
			oursKeeps := len(of.Errors) == 0 && Equal(orig.Root(), of.Root())
			if theirKeeps {
				theirsKept++
			} else {
				theirsChanged++
				rel, _ := filepath.Rel(filepath.Dir(filepath.Dir(mustAbs(t, "."))), path)
				changedList = append(changedList, rel)
			}
			if theirKeeps && !oursKeeps {
				t.Errorf("%s: Microsoft's formatter keeps the tree, ours does not", path)
			}
		case r.OK:
			onlyTheirs++
		case oursOK:
			onlyOurs++
		}
	}
	t.Logf("%d files: both format %d (Microsoft's keeps the tree on %d, changes it on %d; ours keeps it on all), only ours %d, only theirs %d",
		len(files), both, theirsKept, theirsChanged, onlyOurs, onlyTheirs)
	for i, p := range changedList {
		if i == 10 {
			t.Logf("  ... and %d more", len(changedList)-i)
			break
		}
		t.Logf("  tree changed by Microsoft's formatter: %s", p)
	}
	ourMS := float64(ourTime.Microseconds()) / 1000
	if ourMS > 0 {
		t.Logf("format time over the %d files: Microsoft's %.0f ms, ours %.1f ms (parse, format, reparse and compare): ours is %.0fx faster",
			len(files), theirMS, ourMS, theirMS/ourMS)
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// microsoft1MB caches the Node result of BenchmarkAgainstMicrosoft1MB.
var microsoft1MB *theirFormat

// BenchmarkAgainstMicrosoft1MB formats the generated ~1 MB connector
// (testconnector.Section(1<<20)) with ours (b.N times) and with
// Microsoft's formatter (3 runs in one Node process after a warm-up,
// median), and reports both and the ratio. Not run by go test without
// -bench:
//
//	go test -run '^$' -bench AgainstMicrosoft -benchtime 5x ./format
func BenchmarkAgainstMicrosoft1MB(b *testing.B) {
	src := testconnector.Section(1 << 20)
	if microsoft1MB == nil {
		tmp := filepath.Join(b.TempDir(), "Bench.pq")
		if err := os.WriteFile(tmp, src, 0o644); err != nil {
			b.Fatal(err)
		}
		r := runMicrosoftFormatter(b, []string{tmp}, "--repeat", "3")[tmp]
		microsoft1MB = &r
	}
	r := *microsoft1MB
	if !r.OK {
		b.Fatalf("Microsoft's formatter fails on the generated connector: %s", r.Error)
	}
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Source("Bench.pq", src, DefaultOptions()); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	ourMS := float64(b.Elapsed().Microseconds()) / 1000 / float64(b.N)
	b.ReportMetric(r.MS, "theirs-ms")
	b.ReportMetric(ourMS, "ours-ms")
	b.ReportMetric(r.MS/ourMS, "x-faster")
}
