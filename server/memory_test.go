package server

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
)

// TestMemoryLargeDocumentClosed opens a ~50 MB connector in a fresh process
// (this test binary, run again for just that), waits for its diagnostics,
// closes it, and checks that the resident memory comes back down: a
// document the user closed must not keep its text, tree, model or message
// buffers alive.
func TestMemoryLargeDocumentClosed(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	if os.Getenv("PQLS_MEMORY_CHILD") == "closed" {
		memoryClosedChild(t)
		return
	}
	m := memoryFigures(t, "closed", `before ([0-9.]+) MB, peak ([0-9.]+) MB, after close ([0-9.]+) MB`)
	before, _ := strconv.ParseFloat(string(m[1]), 64)
	after, _ := strconv.ParseFloat(string(m[3]), 64)
	t.Logf("50 MB document: VmRSS before open %s MB, peak %s MB, after close %s MB", m[1], m[2], m[3])
	// The in-process test client keeps its jsonrpc2 write buffer, the size
	// of the largest message it sent (52 MB here); the server keeps none
	// of the document (heap profile: PQLS_MEMORY_PROFILE). Before the
	// closed project's snapshots were let go it kept 650 MB.
	if after > before+100 && !raceEnabled {
		t.Errorf("VmRSS %.1f MB after the document was closed, %.1f MB more than before it was opened", after, after-before)
	}
}

// memoryFigures runs the calling test again in a fresh process (this test
// binary, for just that test) with PQLS_MEMORY_CHILD=mode, and returns the
// submatches of figures in what it printed.
func memoryFigures(t *testing.T, mode, figures string) [][]byte {
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v")
	cmd.Env = append(os.Environ(), "PQLS_MEMORY_CHILD="+mode)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	m := regexp.MustCompile(figures).FindSubmatch(out)
	if m == nil {
		t.Fatalf("child printed no figures:\n%s", out)
	}
	return m
}

func memoryClosedChild(t *testing.T) {
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsNone, nil)
	// A small project first, so the session holds what it always holds.
	small := writeProject(t, map[string]string{"Small.pq": noVersion})
	su := fileURI(small, "Small.pq")
	c.open(su, 1, noVersion)
	c.waitDiags(su, 1)
	runtime.GC()
	debug.FreeOSMemory()
	before := vmRSS(t)

	text := bigConnector("Huge", 50<<20)
	dir := writeProject(t, map[string]string{"Huge.pq": "section Huge;\n"})
	u := fileURI(dir, "Huge.pq")
	c.open(u, 1, text)
	text = ""
	c.waitFor("the 50 MB document's diagnostics", 3*time.Minute, func() bool {
		p := c.lastPubLocked(u)
		return p != nil
	})
	peak := vmHWM(t)
	c.notify("textDocument/didClose", &protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}})
	c.waitFor("cleared diagnostics", time.Minute, func() bool {
		p := c.lastPubLocked(u)
		return p != nil && len(p.Diagnostics) == 0
	})
	// A request through the session, so the close has been handled whole.
	c.changeAll(su, 2, noVersion)
	c.waitDiags(su, 2)
	c.mu.Lock()
	c.pubs = nil // the test client's copy of the 50 MB document's diagnostics
	c.mu.Unlock()
	runtime.GC()
	debug.FreeOSMemory()
	after := vmRSS(t)
	if path := os.Getenv("PQLS_MEMORY_PROFILE"); path != "" {
		writeHeapProfile(t, path)
	}
	fmt.Printf("before %.1f MB, peak %.1f MB, after close %.1f MB\n", float64(before)/(1<<20), float64(peak)/(1<<20), float64(after)/(1<<20))
}

func writeHeapProfile(t *testing.T, path string) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		t.Fatal(err)
	}
}

// vmRSS reads the resident set size of the process from /proc.
func vmRSS(t *testing.T) int64 { return procStatus(t, "VmRSS") }

// vmHWM reads the peak resident set size of the process from /proc.
func vmHWM(t *testing.T) int64 { return procStatus(t, "VmHWM") }

// procStatus reads a size in /proc/self/status, in bytes.
func procStatus(t *testing.T, field string) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == field+":" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Skipf("no %s in /proc/self/status", field)
	return 0
}
