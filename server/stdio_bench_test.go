package server

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/pqls/pqls/internal/testconnector"
)

// Keystrokes through the real binary: `pqls serve` built from ./cmd/pqls,
// spoken to over its standard input and output by the in-process test
// client (the same protocol types, jsonrpc2 framing and handler as the
// in-process tests; only the transport differs). Nothing is overridden:
// the debounce is the server's default (defaultDelay, 50 ms), the log
// level is serve's default, so what is timed is what an editor sees.

// stdioDoc is a generated document and where keystrokes go in it.
type stdioDoc struct {
	name   string // sub-benchmark and subtest name
	file   string // the file's name in its project folder
	src    func(size int) []byte
	anchor string // a character is typed after this text, past the middle
}

// stdioDocs are the two documents of issue 10's goals, edited where
// analysis's BenchmarkEditCheck edits them. The type module is a section
// document (testconnector.TypeModule writes `section Types;` and a
// data-source function), so it is the main document of its project, as
// the "932 KB generated type module" was.
var stdioDocs = []stdioDoc{
	{"connector", "Bench.pq", testconnector.Section, `size = "10`},
	{"types", "Types.pq", testconnector.TypeModule, `{ "Id`},
}

// stdioSession is one document open in a `pqls serve` process.
type stdioSession struct {
	c       *testClient
	cmd     *exec.Cmd
	u       uri.URI
	pos     protocol.Position // where the character is typed
	version int32
	typed   bool // the character is in the document now
	first   *protocol.PublishDiagnosticsParams
}

// startBinary runs `pqls serve`, with env added to the environment, and
// connects a testClient to its standard input and output. c.srv is nil: the
// server is another process.
func startBinary(t testing.TB, env ...string) (*testClient, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(pqlsBinary(t), "serve")
	if len(env) > 0 {
		cmd.Env = append(os.Environ(), env...)
	}
	logs := &syncBuffer{}
	cmd.Stderr = logs
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting pqls serve: %v", err)
	}
	c := &testClient{t: t, done: make(chan error, 1), log: logs, changed: make(chan struct{})}
	c.connect(pipe{stdout, stdin})
	waited := make(chan error, 1)
	t.Cleanup(func() {
		// Shut down as an editor does; the server must end by itself.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c.conn.Call(ctx, "shutdown", nil, nil)
		c.conn.Notify(ctx, "exit", nil)
		c.conn.Close()
		go func() { waited <- cmd.Wait() }()
		select {
		case err := <-waited:
			if err != nil {
				t.Errorf("pqls serve: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("pqls serve did not stop after exit")
			cmd.Process.Kill()
			<-waited
		}
		if t.Failed() {
			t.Logf("pqls serve's standard error:\n%s", logs.String())
		}
	})
	return c, cmd
}

// openStdio writes doc's text (about size bytes) as the only document of a
// project folder, opens it in a new `pqls serve` (env added to its
// environment) and waits for its first diagnostics.
func openStdio(t testing.TB, doc stdioDoc, size int, env ...string) *stdioSession {
	t.Helper()
	src := doc.src(size)
	mid := len(src) / 2
	i := bytes.Index(src[mid:], []byte(doc.anchor))
	if i < 0 {
		t.Fatalf("%s: no %q past the middle", doc.name, doc.anchor)
	}
	text := string(src)
	dir := writeProject(t, map[string]string{doc.file: text})
	c, cmd := startBinary(t, env...)
	// The capabilities of a usual editor: versioned diagnostics,
	// workspace configuration (answered with null: the defaults).
	c.initialize(capsFull, nil)
	s := &stdioSession{c: c, cmd: cmd, u: fileURI(dir, doc.file), pos: refPosition(text, mid+i+len(doc.anchor), false), version: 1}
	c.open(s.u, 1, text)
	s.first = c.waitDiags(s.u, 1)
	return s
}

// keystroke types the character, or deletes it if it is there, and waits
// for the diagnostics of the new version. It returns the time from sending
// the didChange to the client holding the decoded diagnostics.
//
// The next keystroke is sent only once these diagnostics have arrived, so
// each latency is that of one edit, debounce included; sending edits
// faster than that would coalesce them in the debounce and time
// throughput, not the delay a user sees after stopping typing.
func (s *stdioSession) keystroke() (time.Duration, *protocol.PublishDiagnosticsParams) {
	s.version++
	e := wireEdit{Range: protocol.Range{Start: s.pos, End: s.pos}, Text: "7"}
	if s.typed {
		e = wireEdit{Range: protocol.Range{Start: s.pos, End: protocol.Position{Line: s.pos.Line, Character: s.pos.Character + 1}}}
	}
	s.typed = !s.typed
	start := time.Now()
	s.c.change(s.u, s.version, e)
	p := s.c.waitDiags(s.u, s.version)
	return time.Since(start), p
}

// TestStdioKeystrokes sends keystrokes to `pqls serve` over stdio, as
// BenchmarkStdioKeystroke times them, on small generated documents: each
// gets the diagnostics of its own version, and typing a digit into a
// string or deleting it changes none of them.
func TestStdioKeystrokes(t *testing.T) {
	for _, doc := range stdioDocs {
		t.Run(doc.name, func(t *testing.T) {
			s := openStdio(t, doc, 32<<10)
			want := codes(s.first.Diagnostics)
			if len(want) == 0 {
				t.Fatal("no diagnostics on the generated document: nothing to compare after the edits")
			}
			for range 4 {
				_, p := s.keystroke()
				if got := codes(p.Diagnostics); !slices.Equal(got, want) {
					t.Errorf("version %d: diagnostics %v, want %v as before the edit", s.version, got, want)
				}
			}
			// One edit that breaks the syntax, to see that diagnostics
			// follow the text: a quote opens a string that never ends.
			s.version++
			s.c.change(s.u, s.version, wireEdit{Range: protocol.Range{Start: s.pos, End: s.pos}, Text: `"`})
			if p := s.c.waitDiags(s.u, s.version); slices.Equal(codes(p.Diagnostics), want) {
				t.Errorf("an unterminated string changed no diagnostic: %v", codes(p.Diagnostics))
			}
		})
	}
}

// BenchmarkStdioKeystroke measures issue 10's goal "through stdio with the
// 50 ms debounce, p99 ≤ 60 ms": the time from a one-character didChange
// inside a member in the middle of a generated 1 MB document to the
// client holding the publishDiagnostics of that version, through the real
// binary. Keystrokes alternately type a digit into a string and delete it.
// Two unmeasured keystrokes come first, so that the figures are those of
// steady typing, not of the first incremental check after the open.
//
// The pacing is that of typing: each keystroke is sent once the
// diagnostics of the one before have arrived, and the server's own
// debounce then holds the check 50 ms, so checks start at least 50 ms
// apart with the server idle in between, as when a user types (faster
// keystrokes merge in the debounce into one check). That idle time is
// where the server collects garbage (idlegc.go).
//
// p50-ms and p99-ms are the latencies, debounce included (the part beyond
// 50 ms is the server's work, the pipes and JSON); edits is how many were
// timed; server-cpu-ms/op is the CPU time of the pqls process per
// keystroke (Linux, from /proc), which load on a shared machine skews less
// than the wall times; faults/op its minor page faults per keystroke (see
// procFaults); auto-gc/op and forced-gc/op are the server's
// garbage-collection cycles per keystroke that the runtime started as the
// heap grew (inside some check, as a rule) and that runtime.GC started
// (the idle collection), counted from the process's GODEBUG=gctrace=1
// lines.
//
// go test ./server -run '^$' -bench StdioKeystroke -benchtime 60x
func BenchmarkStdioKeystroke(b *testing.B) {
	for _, doc := range stdioDocs {
		b.Run(doc.name, func(b *testing.B) {
			godebug := "gctrace=1"
			if g := os.Getenv("GODEBUG"); g != "" {
				godebug = g + "," + godebug
			}
			s := openStdio(b, doc, 1<<20, "GODEBUG="+godebug)
			s.keystroke()
			s.keystroke()
			var lat []time.Duration
			cpu0 := procCPU(s.cmd.Process.Pid)
			faults0 := procFaults(s.cmd.Process.Pid)
			auto0, forced0 := gctraceCycles(s.c.log.String())
			for b.Loop() {
				d, _ := s.keystroke()
				lat = append(lat, d)
			}
			cpu := procCPU(s.cmd.Process.Pid) - cpu0
			faults := procFaults(s.cmd.Process.Pid) - faults0
			auto, forced := gctraceCycles(s.c.log.String())
			n := float64(len(lat))
			b.ReportMetric(quantileMs(lat, 0.50), "p50-ms")
			b.ReportMetric(quantileMs(lat, 0.99), "p99-ms")
			b.ReportMetric(n, "edits")
			editCosts{cpu0 > 0 && faults0 > 0, cpu, faults, int64(auto - auto0), int64(forced - forced0)}.report(b, n, "server-cpu-ms/op")
		})
	}
}

// gctraceCycles counts the garbage-collection cycles in a process's
// GODEBUG=gctrace=1 output: those the runtime started by itself and those
// runtime.GC forced. The runtime writes one line per cycle, "gc N @…",
// ending in "(forced)" for the forced ones.
func gctraceCycles(stderr string) (automatic, forced int) {
	for line := range strings.Lines(stderr) {
		if !strings.HasPrefix(line, "gc ") || !strings.Contains(line, "%:") {
			continue
		}
		if strings.Contains(line, "(forced)") {
			forced++
		} else {
			automatic++
		}
	}
	return automatic, forced
}

// procFaults returns the minor page faults process pid has taken so far,
// from /proc/pid/stat, or 0 where there is no such file. A minor fault is
// the kernel handing the process a page it had not touched yet, or had
// given back (the Go runtime returns unused heap to the system while
// idle); on this machine a megabyte of them costs about a millisecond.
func procFaults(pid int) int64 {
	f := procStat(pid)
	if len(f) < 8 {
		return 0
	}
	n, err := strconv.ParseInt(f[7], 10, 64) // minflt, field 10
	if err != nil {
		return 0
	}
	return n
}

// procStat returns the fields of /proc/pid/stat after the command name
// (field 3 onwards), or nil.
func procStat(pid int) []string {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(string(stat[i+1:]))
}

// procCPU returns the CPU time, user and system, that process pid has used,
// from /proc/pid/stat, or 0 where there is no such file. The kernel counts
// it in clock ticks of 10 ms (USER_HZ is 100 on Linux), so it is only
// meaningful summed over many keystrokes.
func procCPU(pid int) time.Duration {
	// utime and stime are fields 14 and 15.
	f := procStat(pid)
	if len(f) < 13 {
		return 0
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// quantileMs returns the q-quantile of ds in milliseconds: with 100
// samples, q = 0.99 is the second-worst. ds is left as it is.
func quantileMs(ds []time.Duration, q float64) float64 {
	s := slices.Clone(ds)
	slices.Sort(s)
	return float64(s[min(int(q*float64(len(s))), len(s)-1)]) / float64(time.Millisecond)
}

// editCosts are the process counters a keystroke benchmark reports per
// edit, as differences over the timed edits. cpu and faults are only
// reported where /proc could be read (readProc).
type editCosts struct {
	readProc     bool
	cpu          time.Duration
	faults       int64
	auto, forced int64
}

// report reports the costs of n edits; cpuName is the metric of cpu.
func (c editCosts) report(b *testing.B, n float64, cpuName string) {
	if c.readProc {
		b.ReportMetric(float64(c.cpu)/float64(time.Millisecond)/n, cpuName)
		b.ReportMetric(float64(c.faults)/n, "faults/op")
	}
	b.ReportMetric(float64(c.auto)/n, "auto-gc/op")
	b.ReportMetric(float64(c.forced)/n, "forced-gc/op")
}
