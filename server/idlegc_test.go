package server

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/pqls/pqls/internal/testconnector"
)

func TestHeapHeadroom(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		name string
		h    heapState
		want uint64
	}{
		// The trigger is assumed at 45/64 of the way from live to goal.
		{"fresh after a cycle", heapState{live: 20 * mb, goal: 40 * mb, objects: 20 * mb}, 20 * mb / 64 * 45},
		{"part used", heapState{live: 20 * mb, goal: 40 * mb, objects: 30 * mb}, 20*mb/64*45 - 10*mb},
		{"past the trigger", heapState{live: 20 * mb, goal: 40 * mb, objects: 35 * mb}, 0},
		{"past the goal", heapState{live: 20 * mb, goal: 40 * mb, objects: 45 * mb}, 0},
		{"goal not above live", heapState{live: 40 * mb, goal: 40 * mb, objects: 40 * mb}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.h.headroom(); got != tt.want {
				t.Errorf("headroom() = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestShouldCollect(t *testing.T) {
	const mb = 1 << 20
	p := defaultIdleGC()
	tests := []struct {
		name     string
		h        heapState
		perCheck uint64
		want     bool
	}{
		// 14 MB to the trigger (20 + 20×45/64).
		{"room for many checks", heapState{live: 20 * mb, goal: 40 * mb, objects: 20 * mb}, 3 * mb, false},
		{"room for two checks", heapState{live: 20 * mb, goal: 40 * mb, objects: 28 * mb}, 3 * mb, false},
		{"room for one check", heapState{live: 20 * mb, goal: 40 * mb, objects: 30 * mb}, 3 * mb, true},
		{"past the trigger", heapState{live: 20 * mb, goal: 40 * mb, objects: 36 * mb}, 3 * mb, true},
		{"nothing measured yet", heapState{live: 20 * mb, goal: 40 * mb, objects: 30 * mb}, 0, false},
		{"small heap", heapState{live: 3 * mb, goal: 6 * mb, objects: 6 * mb}, 3 * mb, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.shouldCollect(tt.h, tt.perCheck); got != tt.want {
				t.Errorf("shouldCollect(%+v, %d) = %v, want %v", tt.h, tt.perCheck, got, tt.want)
			}
		})
	}
}

// idleWatch records the session's idle-collection decisions for a test.
type idleWatch struct {
	mu       sync.Mutex
	inCheck  int      // checks between beforeAnalyze and afterAnalyze
	collects int      // decisions to collect
	done     int      // collections ended
	during   []string // decisions to collect taken while a check ran
	why      []string // every decision's reason, in order
	changed  chan struct{}
}

func newIdleWatch() *idleWatch { return &idleWatch{changed: make(chan struct{})} }

func (w *idleWatch) collectionEnded() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.done++
	close(w.changed)
	w.changed = make(chan struct{})
}

func (w *idleWatch) decision(collect bool, why string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if collect {
		w.collects++
		if w.inCheck > 0 {
			w.during = append(w.during, fmt.Sprintf("collection started with %d checks running (decision %d)", w.inCheck, len(w.why)))
		}
	}
	w.why = append(w.why, why)
	close(w.changed)
	w.changed = make(chan struct{})
}

// waitFor waits until cond holds over the decisions from index from on.
func (w *idleWatch) waitFor(t testing.TB, what string, from int, cond func(whys []string, collects int) bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		w.mu.Lock()
		ok := cond(w.why[min(from, len(w.why)):], w.collects)
		ch := w.changed
		w.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			w.mu.Lock()
			defer w.mu.Unlock()
			t.Fatalf("timed out waiting for %s; decisions: %q", what, w.why)
		}
	}
}

func (w *idleWatch) decisions() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.why)
}

func (w *idleWatch) collected() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.collects
}

// looked holds once the session has looked at the heap (or found a
// collection already running) after the decisions waited on.
func looked(whys []string, _ int) bool {
	return hasReason(whys, "headroom short") || hasReason(whys, "headroom enough") || hasReason(whys, "a collection is running")
}

func hasReason(whys []string, why string) bool {
	for _, w := range whys {
		if w == why {
			return true
		}
	}
	return false
}

// TestIdleGCNotDuringCheck checks that an idle collection never starts
// while a check runs: project B's check is held while project A is edited
// and checked, with a policy under which every idle moment collects. A's
// diagnostics must go out without a collection (the session says a check
// is running), and the collection must come once B's check has ended.
func TestIdleGCNotDuringCheck(t *testing.T) {
	w := newIdleWatch()
	release := make(chan struct{})
	bStarted := make(chan struct{})
	var once sync.Once
	hooks := testHooks{
		idleDecision:  w.decision,
		idleCollected: w.collectionEnded,
		beforeAnalyze: func(_ context.Context, root string, _ uint64) {
			w.mu.Lock()
			w.inCheck++
			w.mu.Unlock()
			if strings.HasSuffix(root, "B") {
				once.Do(func() { close(bStarted) })
				<-release
			}
		},
		afterAnalyze: func(string, uint64) {
			w.mu.Lock()
			w.inCheck--
			w.mu.Unlock()
		},
	}
	// Every idle moment collects: no minimum heap, a reserve no heap has.
	always := idleGCPolicy{reserveChecks: 1e12}
	// A debounce that leaves a collection time to end before the next
	// check, as the default does (a delay of 0 leaves none, see
	// TestIdleGCNoIdleTime).
	c := startServer(t, testOptions{delay: idleTestDelay, hooks: hooks, maxChecks: 2, idleGC: &always})
	c.initialize(capsNone, nil)
	root := t.TempDir()
	dirA, dirB := root+"/A", root+"/B"
	for _, d := range []string{dirA, dirB} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	textA := bigConnector("A", 16<<10)
	for name, text := range map[string]string{dirA + "/A.pq": textA, dirB + "/B.pq": noVersion} {
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ua, ub := fileURI(dirA, "A.pq"), fileURI(dirB, "B.pq")

	// A alone: its first check, then edits until the session has
	// measured a check's allocation and collected after one.
	c.open(ua, 1, textA)
	c.waitDiags(ua, 1)
	w.waitFor(t, "the decision after A's first check", 0, looked)
	at := strings.Index(textA, "x + 1,") + len("x + ")
	pos := refPosition(textA, at, false)
	edit := func(v int32) {
		c.change(ua, v, wireEdit{Range: protocol.Range{Start: pos, End: protocol.Position{Line: pos.Line, Character: pos.Character + 1}}, Text: strconv.Itoa(int(v % 10))})
		c.waitDiags(ua, v)
	}
	v := int32(1)
	for w.collected() == 0 && v < 10 {
		v++
		from := w.decisions()
		edit(v)
		// The next edit only once the session has looked: an edit
		// arriving first would make it skip (a check is due).
		w.waitFor(t, fmt.Sprintf("the decision after A's edit %d", v), from, looked)
	}
	if w.collected() == 0 {
		t.Fatalf("no idle collection after %d edits with a policy that always collects: %q", v-1, w.why)
	}

	// Once that collection is over (a decision during it would only say
	// so), B's check starts and is held; A is edited and checked
	// meanwhile.
	w.waitFor(t, "the end of the collection", 0, func([]string, int) bool { return w.done == w.collects })
	c.open(ub, 1, noVersion)
	<-bStarted
	from := w.decisions()
	v++
	edit(v)
	w.waitFor(t, "a decision not to collect while B's check runs", from, func(whys []string, _ int) bool {
		return hasReason(whys, "a check is running") || len(w.during) > 0
	})
	w.mu.Lock()
	during, whys := w.during, slices.Clone(w.why)
	w.mu.Unlock()
	if len(during) > 0 {
		t.Fatalf("%s; decisions: %q", during[0], whys)
	}
	before := w.collected()

	// B's check ends: now the session is idle and collects.
	close(release)
	c.waitDiags(ub, 1)
	w.waitFor(t, "a collection once B's check ended", 0, func(_ []string, n int) bool { return n > before })

	w.mu.Lock()
	defer w.mu.Unlock()
	for _, d := range w.during {
		t.Error(d)
	}
}

// idleTestDelay is the debounce of the tests that expect idle collections:
// longer than the default, so that a collection slowed down by the race
// detector still fits in it.
const idleTestDelay = 200 * time.Millisecond

// TestIdleGCNoIdleTime checks that with no debounce and edits that follow
// the diagnostics at once, the session does not collect: a collection could
// not end before the next check starts.
func TestIdleGCNoIdleTime(t *testing.T) {
	w := editBackToBack(t, "Busy", idleGCPolicy{reserveChecks: 1e12}, 4)
	w.waitFor(t, "a decision that there is no idle time ahead", 0, func(whys []string, _ int) bool {
		return hasReason(whys, "no idle time ahead")
	})
	if n := w.collected(); n != 0 {
		t.Errorf("%d idle collections with no debounce and edits back to back: %q", n, w.why)
	}
}

func TestIdleGapLearned(t *testing.T) {
	g := newIdleCollector(defaultIdleGC())
	if d := g.minGap(); d != 0 {
		t.Errorf("minGap() = %v before any pause was seen, want 0", d)
	}
	t0 := time.Now()
	g.changed(t0) // not idle: no pause
	for i, pause := range []time.Duration{80, 40, 120, 60, 90, 70} {
		g.idleAt = t0
		g.changed(t0.Add(pause * time.Millisecond))
		want := []time.Duration{80, 40, 40, 40, 40, 60}[i] * time.Millisecond
		if got := g.minGap(); got != want {
			t.Errorf("after pause %d: minGap() = %v, want %v (the shortest of the latest %d)", i, got, want, checkSamples)
		}
	}
	if !g.idleAt.IsZero() {
		t.Error("idleAt kept after a change")
	}
}

// TestIdleGCOff checks that a session with idle collection off never
// decides anything: no collection, however short the headroom.
func TestIdleGCOff(t *testing.T) {
	w := editBackToBack(t, "Off", idleGCPolicy{off: true, reserveChecks: 1e12}, 3)
	if n := w.decisions(); n != 0 {
		t.Errorf("%d idle-collection decisions with idle collection off: %q", n, w.why)
	}
}

// TestIdleGCWithSmallHeapGoal runs a server with the default policy in a
// process with GOGC=10 (this test binary again, for just this test): the
// heap goal is then a tenth above the live heap, so after every check the
// headroom is short of a check's allocation and the session must collect
// while idle. It checks the real decision (runtime/metrics, the estimate
// of a check's allocation) end to end, where the other tests force it.
func TestIdleGCWithSmallHeapGoal(t *testing.T) {
	if os.Getenv("PQLS_IDLEGC_CHILD") == "1" {
		idleGCChild(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v")
	cmd.Env = append(os.Environ(), "PQLS_IDLEGC_CHILD=1", "GOGC=10")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`idle collections: ([0-9]+) of ([0-9]+) decisions`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("child printed no figures:\n%s", out)
	}
	t.Logf("GOGC=10: %s", m[0])
	if n, _ := strconv.Atoi(string(m[1])); n == 0 {
		t.Errorf("no idle collection with GOGC=10:\n%s", out)
	}
}

// idleGCChild is the half of TestIdleGCWithSmallHeapGoal that runs with
// GOGC=10.
func idleGCChild(t *testing.T) {
	w := newIdleWatch()
	c := startServer(t, testOptions{delay: idleTestDelay, hooks: testHooks{idleDecision: w.decision}})
	c.initialize(capsNone, nil)
	// Large enough for a live heap over the policy's minimum.
	src := testconnector.Section(512 << 10)
	text := string(src)
	dir := writeProject(t, map[string]string{"Bench.pq": text})
	u := fileURI(dir, "Bench.pq")
	at := strings.Index(text[len(text)/2:], `size = "10`) + len(text)/2 + len(`size = "10`)
	pos := refPosition(text, at, false)
	c.open(u, 1, text)
	c.waitDiags(u, 1)
	w.waitFor(t, "the decision after the first check", 0, looked)
	const edits = 6
	for v := int32(2); v < 2+edits; v++ {
		e := wireEdit{Range: protocol.Range{Start: pos, End: pos}, Text: "7"}
		if v%2 == 1 {
			e = wireEdit{Range: protocol.Range{Start: pos, End: protocol.Position{Line: pos.Line, Character: pos.Character + 1}}}
		}
		from := w.decisions()
		c.change(u, v, e)
		c.waitDiags(u, v)
		// The next edit only once the session has looked at the heap:
		// an edit arriving first would make it skip (a check is due).
		w.waitFor(t, fmt.Sprintf("the decision after edit %d", v), from, looked)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	fmt.Printf("idle collections: %d of %d decisions %q\n", w.collects, len(w.why), w.why)
}

// editBackToBack opens a 16 KB connector in a session with no debounce and
// the given idle-collection policy, then edits it the given number of
// times, each edit sent as soon as the diagnostics of the one before
// arrived, and returns the session's idle-collection decisions.
func editBackToBack(t *testing.T, name string, policy idleGCPolicy, edits int) *idleWatch {
	t.Helper()
	w := newIdleWatch()
	c := startServer(t, testOptions{delay: 0, hooks: testHooks{idleDecision: w.decision}, idleGC: &policy})
	c.initialize(capsNone, nil)
	text := bigConnector(name, 16<<10)
	dir := writeProject(t, map[string]string{name + ".pq": text})
	u := fileURI(dir, name+".pq")
	c.open(u, 1, text)
	c.waitDiags(u, 1)
	for v := int32(2); v <= int32(edits)+1; v++ {
		c.changeAll(u, v, text+strings.Repeat(" ", int(v)))
		c.waitDiags(u, v)
	}
	return w
}
