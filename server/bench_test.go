package server

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/internal/testfiles"
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
// inside one member in the middle of a generated 1 MB document (the
// connector and the type module of issue 10, edited where analysis's
// BenchmarkEditCheck and BenchmarkStdioKeystroke edit them: a 7 typed after
// the anchor, then deleted, in turn) to the diagnostics of the new version
// arriving at the client, without the debounce delay: the client sends
// didChange over a pipe, the server applies it and reparses, checks the
// project with every rule, converts and publishes; the client decodes.
//
// Two pacings, each timing one edit at a time from didChange to its
// diagnostics:
//
//   - back-to-back: the next edit is sent as soon as the diagnostics of the
//     previous one arrived. The server is never idle, so this times
//     throughput as much as latency, and it is the worst case for the
//     garbage collector (every cycle falls inside some check).
//   - typing: the client waits typingPause after the diagnostics before the
//     next edit. That is how checks follow each other when a user types:
//     the server's default debounce is 50 ms, so two checks never start
//     closer than that, and the server has that much idle time between
//     them (see idlegc.go).
//
// p50-ms and p99-ms are the latencies; server-p50/p99-ms leave out the time
// inside the rules (analysis.CheckIncremental), cpu-ms/op is the CPU time of
// the whole test process per edit (client included, idle time garbage
// collection included), faults/op its minor page faults per edit (see
// procFaults), auto-gc/op the garbage-collection cycles per edit
// that the runtime started because the heap reached its trigger, which
// happens while something allocates, so almost always inside a check, and
// slows it (mark assists, and the dedicated mark worker takes one of the
// two processors); forced-gc/op the cycles started by runtime.GC, which
// the server runs while it is idle (idlegc.go).
//
// go test ./server -run '^$' -bench 'EditToDiagnostics' -benchtime 100x
func BenchmarkEditToDiagnostics(b *testing.B) {
	for _, doc := range stdioDocs {
		for _, pace := range []struct {
			name  string
			pause time.Duration
		}{{"back-to-back", 0}, {"typing", typingPause}} {
			b.Run(doc.name+"/"+pace.name, func(b *testing.B) { benchEdit(b, doc, pace.pause, nil) })
		}
	}
}

// typingPause is the client's wait between the diagnostics of one edit and
// the next edit in the paced benchmarks: defaultDelay, the shortest time
// between two checks with the default debounce.
const typingPause = defaultDelay

// BenchmarkEditToDiagnosticsServerOnly is the back-to-back connector case
// with the rules replaced by the syntax errors alone: the cost of the
// server itself (sync, reparse, project and configuration loading,
// conversion, JSON, the pipe).
func BenchmarkEditToDiagnosticsServerOnly(b *testing.B) {
	benchEdit(b, stdioDocs[0], 0, func(p *project.Project, files analysis.Files, cfg *config.Config) []analysis.Diagnostic {
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

// benchEdit times keystrokes in doc (1 MB), pause apart (see
// BenchmarkEditToDiagnostics); check replaces the rules if not nil.
func benchEdit(b *testing.B, doc stdioDoc, pause time.Duration, check func(*project.Project, analysis.Files, *config.Config) []analysis.Diagnostic) {
	src := doc.src(1 << 20)
	mid := len(src) / 2
	i := bytes.Index(src[mid:], []byte(doc.anchor))
	if i < 0 {
		b.Fatalf("%s: no %q past the middle", doc.name, doc.anchor)
	}
	text := string(src)
	dir := writeProject(b, map[string]string{doc.file: text})
	// Time spent in the rules, to tell it from the server's own share:
	// sync, reparse, conversion, JSON, the pipe.
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
	u := fileURI(dir, doc.file)
	c.open(u, 1, text)
	c.waitDiagsTB(u, 1)
	pos := refPosition(text, mid+i+len(doc.anchor), false)
	v := int32(1)
	typed := false
	keystroke := func() {
		v++
		e := wireEdit{Range: protocol.Range{Start: pos, End: pos}, Text: "7"}
		if typed {
			e = wireEdit{Range: protocol.Range{Start: pos, End: protocol.Position{Line: pos.Line, Character: pos.Character + 1}}}
		}
		typed = !typed
		c.change(u, v, e)
		c.waitDiagsTB(u, v)
	}
	// Unmeasured edits, paced as the measured ones: the first incremental
	// check after the open does more than the steady ones, and the
	// session learns the client's pace (idlegc.go).
	for range 4 {
		time.Sleep(pause)
		keystroke()
	}
	lat := make([]time.Duration, 0, b.N)
	own := make([]time.Duration, 0, b.N)
	auto0, forced0 := gcCycles()
	cpu0 := testfiles.CPUTime()
	pid := os.Getpid()
	faults0 := procFaults(pid)
	b.ResetTimer()
	for range b.N {
		if pause > 0 {
			b.StopTimer()
			time.Sleep(pause)
			b.StartTimer()
		}
		amu.Lock()
		inRules = 0
		amu.Unlock()
		start := time.Now()
		keystroke()
		d := time.Since(start)
		lat = append(lat, d)
		amu.Lock()
		own = append(own, d-inRules)
		amu.Unlock()
	}
	b.StopTimer()
	cpu := testfiles.CPUTime() - cpu0
	faults := procFaults(pid) - faults0
	auto, forced := gcCycles()
	n := float64(len(lat))
	b.ReportMetric(quantileMs(lat, 0.50), "p50-ms")
	b.ReportMetric(quantileMs(lat, 0.99), "p99-ms")
	b.ReportMetric(quantileMs(own, 0.50), "server-p50-ms")
	b.ReportMetric(quantileMs(own, 0.99), "server-p99-ms")
	editCosts{cpu0 > 0 && faults0 > 0, cpu, faults, int64(auto - auto0), int64(forced - forced0)}.report(b, n, "cpu-ms/op")
}

// gcCycles returns the numbers of garbage-collection cycles completed so
// far that the runtime started by itself and that runtime.GC forced.
func gcCycles() (automatic, forced uint64) {
	s := []metrics.Sample{{Name: "/gc/cycles/automatic:gc-cycles"}, {Name: "/gc/cycles/forced:gc-cycles"}}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64()
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
