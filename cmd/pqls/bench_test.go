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
	"github.com/pqls/pqls/internal/testfiles"
)

// BenchmarkCheckFolder runs `pqls check` over a generated 20 MB folder of
// 100 connector projects (200 KB each), once with one core and once with
// two, and reports both times and the speedup. Each op is one run of each.
//
// The machine it runs on is often shared, and then the wall times and the
// speedup say more about the load than about pqls. The CPU time of each run
// (cpu-s/1-core, cpu-s/2-cores) is reported too: load changes it little,
// and two cores cannot beat one by more than cpu-s/2-cores over the
// 2-core wall time.
func BenchmarkCheckFolder(b *testing.B) {
	root := b.TempDir()
	size := writeFolder(b, root)
	run := func(procs int) (wall, cpu time.Duration) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		start, cpu0 := time.Now(), testfiles.CPUTime()
		if code := runCheck([]string{"--fail-on", "hint", "--format", "json", root}, nil, io.Discard, io.Discard); code != exitFindings {
			b.Fatalf("pqls check exited %d, want %d", code, exitFindings)
		}
		return time.Since(start), testfiles.CPUTime() - cpu0
	}
	var one, two, cpuOne, cpuTwo time.Duration
	b.SetBytes(2 * size)
	for b.Loop() {
		w, c := run(1)
		one, cpuOne = one+w, cpuOne+c
		w, c = run(2)
		two, cpuTwo = two+w, cpuTwo+c
	}
	n := float64(b.N)
	b.ReportMetric(one.Seconds()/n, "s/1-core")
	b.ReportMetric(two.Seconds()/n, "s/2-cores")
	b.ReportMetric(float64(one)/float64(two), "speedup")
	if cpuOne > 0 {
		b.ReportMetric(cpuOne.Seconds()/n, "cpu-s/1-core")
		b.ReportMetric(cpuTwo.Seconds()/n, "cpu-s/2-cores")
	}
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
