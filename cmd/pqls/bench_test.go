package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/pqls/pqls/internal/testconnector"
)

// BenchmarkCheckFolder runs `pqls check` over a generated 20 MB folder of
// 100 connector projects (200 KB each), once with one core and once with
// two, and reports both times and the speedup. Each op is one run of each.
func BenchmarkCheckFolder(b *testing.B) {
	root := b.TempDir()
	size := writeFolder(b, root)
	run := func(procs int) time.Duration {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		start := time.Now()
		if code := runCheck([]string{"--fail-on", "hint", "--format", "json", root}, nil, io.Discard, io.Discard); code != exitFindings {
			b.Fatalf("pqls check exited %d, want %d", code, exitFindings)
		}
		return time.Since(start)
	}
	var one, two time.Duration
	b.SetBytes(2 * size)
	for b.Loop() {
		one += run(1)
		two += run(2)
	}
	n := float64(b.N)
	b.ReportMetric(one.Seconds()/n, "s/1-core")
	b.ReportMetric(two.Seconds()/n, "s/2-cores")
	b.ReportMetric(float64(one)/float64(two), "speedup")
}

// writeFolder writes the 20 MB folder of 100 generated connector projects
// (200 KB each) that the check benchmarks and memory test use, and returns
// its size.
func writeFolder(tb testing.TB, root string) int64 {
	var size int64
	for i := range 100 {
		dir := filepath.Join(root, fmt.Sprintf("Connector%03d", i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			tb.Fatal(err)
		}
		src := testconnector.Section(200 << 10)
		size += int64(len(src))
		if err := os.WriteFile(filepath.Join(dir, "Bench.pq"), src, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return size
}
