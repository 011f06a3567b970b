package server

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/project"
)

// bigConnector generates a section document of about size bytes: a
// version, then members that look like connector code.
func bigConnector(name string, size int) string {
	var b strings.Builder
	b.Grow(size + 200)
	fmt.Fprintf(&b, "[Version = \"1.0.0\"]\nsection %s;\n\n", name)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "shared %s.Member%d = (x as number, optional label as text) as record =>\n"+
			"    let\n        a = x + %d,\n        b = Text.From(a) & \"é 😀 label %d\",\n        c = [Value = a, Text = b, List = {1, 2, 3}]\n    in\n        c;\n\n",
			name, i, i, i)
	}
	return b.String()
}

// BenchmarkEditToDiagnostics measures the time from a one-character edit
// inside one member of a ~1 MB connector to the diagnostics of the new
// version arriving at the client, without the debounce delay: the client
// sends didChange over a pipe, the server applies it and reparses, checks
// the project with every rule, converts and publishes; the client decodes.
// server-p50/p99-ms leave out the time inside analysis.Run.
func BenchmarkEditToDiagnostics(b *testing.B) { benchEdit(b, nil) }

// BenchmarkEditToDiagnosticsServerOnly is the same with the rules replaced
// by the syntax errors alone: the cost of the server itself (sync, reparse,
// project and configuration loading, conversion, JSON, the pipe).
func BenchmarkEditToDiagnosticsServerOnly(b *testing.B) {
	benchEdit(b, func(p *project.Project, files analysis.Files, cfg *config.Config) []analysis.Diagnostic {
		var out []analysis.Diagnostic
		for _, path := range p.Documents() {
			f, err := files.Parsed(path)
			if err != nil {
				continue
			}
			for _, e := range f.Errors {
				s, en := f.ErrorSpan(e)
				out = append(out, analysis.Diagnostic{Path: path, Start: s, End: en, Severity: analysis.Error, Code: analysis.SyntaxCode, Message: f.Message(e)})
			}
		}
		return out
	})
}

func benchEdit(b *testing.B, check func(*project.Project, analysis.Files, *config.Config) []analysis.Diagnostic) {
	text := bigConnector("Big", 1<<20)
	dir := writeProject(b, map[string]string{"Big.pq": text})
	// Time spent in analysis.Run (the rules), to tell it from the
	// server's own share: sync, reparse, conversion, JSON, the pipe.
	var (
		amu     sync.Mutex
		aStart  time.Time
		inRules time.Duration
	)
	hooks := testHooks{
		beforeAnalyze: func(context.Context, string, uint64) { amu.Lock(); aStart = time.Now(); amu.Unlock() },
		afterAnalyze:  func(string, uint64) { amu.Lock(); inRules += time.Since(aStart); amu.Unlock() },
		check:         check,
	}
	c := startServer(b, testOptions{delay: 0, hooks: hooks})
	c.initialize(capsNone, nil)
	u := fileURI(dir, "Big.pq")
	c.open(u, 1, text)
	c.waitDiagsTB(u, 1)
	// Edit a digit in the middle member, back and forth.
	at := strings.Index(text, "x + "+strconv.Itoa(countMembers(text)/2)+",") + len("x + ")
	pos := refPosition(text, at, false)
	rng := protocol.Range{Start: pos, End: protocol.Position{Line: pos.Line, Character: pos.Character + 1}}
	lat := make([]time.Duration, 0, b.N)
	own := make([]time.Duration, 0, b.N)
	v := int32(1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v++
		digit := strconv.Itoa(i % 10)
		amu.Lock()
		inRules = 0
		amu.Unlock()
		start := time.Now()
		c.change(u, v, wireEdit{Range: rng, Text: digit})
		c.waitDiagsTB(u, v)
		d := time.Since(start)
		lat = append(lat, d)
		amu.Lock()
		own = append(own, d-inRules)
		amu.Unlock()
	}
	b.StopTimer()
	pct := func(ds []time.Duration, p float64) float64 {
		slices.Sort(ds)
		return float64(ds[min(int(p*float64(len(ds))), len(ds)-1)].Microseconds()) / 1000
	}
	b.ReportMetric(pct(lat, 0.50), "p50-ms")
	b.ReportMetric(pct(lat, 0.99), "p99-ms")
	b.ReportMetric(pct(own, 0.50), "server-p50-ms")
	b.ReportMetric(pct(own, 0.99), "server-p99-ms")
	b.ReportMetric(float64(len(text))/1e6, "MB")
}

func countMembers(text string) int { return strings.Count(text, "shared ") }

// TestMemoryTenLargeFiles opens ten ~1 MB connectors (each in its own
// project) in a fresh process (this test binary, run again for just that)
// and checks its resident memory once all are checked: at most 100 MB (issue 10).
func TestMemoryTenLargeFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	if os.Getenv("PQLS_MEMORY_CHILD") == "ten" {
		memoryChild(t)
		return
	}
	m := memoryFigures(t, "ten", `VmRSS ([0-9.]+) MB, Go heap in use ([0-9.]+) MB`)
	rss, _ := strconv.ParseFloat(string(m[1]), 64)
	t.Logf("ten 1 MB documents open: VmRSS %s MB, Go heap in use %s MB", m[1], m[2])
	if rss > 100 && !raceEnabled {
		t.Errorf("VmRSS %.1f MB, over the 100 MB budget", rss)
	}
}

// memoryChild is the measuring half of TestMemoryTenLargeFiles. The figure
// includes the in-process test client, which holds little once the
// documents are sent.
func memoryChild(t *testing.T) {
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsNone, nil)
	for i := range 10 {
		name := fmt.Sprintf("Big%d", i)
		text := bigConnector(name, 1<<20)
		dir := writeProject(t, map[string]string{name + ".pq": text})
		u := fileURI(dir, name+".pq")
		c.open(u, 1, text)
		c.waitDiags(u, 1)
	}
	runtime.GC()
	debug.FreeOSMemory()
	if path := os.Getenv("PQLS_MEMORY_PROFILE"); path != "" {
		// go test ./server -run '^TestMemoryTenLargeFiles$' with this set
		// writes the child's heap profile, for go tool pprof.
		writeHeapProfile(t, path)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("VmRSS %.1f MB, Go heap in use %.1f MB, Go runtime total %.1f MB\n",
		float64(vmRSS(t))/(1<<20), float64(ms.HeapInuse)/(1<<20), float64(ms.Sys)/(1<<20))
}
