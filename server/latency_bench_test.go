package server

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/protocol"
)

// BenchmarkRequestsDuringCheck measures how long hover and completion take
// while the check of a ~1 MB connector runs: an editor request must never
// wait for a check. Each iteration edits one digit of the middle member,
// waits until the check of the new version has started, then asks for a
// hover and a completion in the same document at the new version, and
// times each from the call to the decoded answer (over the in-process
// pipe). The requests read the snapshot's model; the first of the request
// and the check to ask builds it, so a request may wait for the model of
// the new version (a parse already made by the edit, plus model.New), but
// never for the rules. during-check-% is the share of requests answered
// before that check ended; p99 is over both hover and completion. The same
// two requests are asked again once the check is over (idle-p50/p99-ms),
// so that the figures can be read against the machine's load.
func BenchmarkRequestsDuringCheck(b *testing.B) {
	text := bigConnector("Big", 1<<20)
	dir := writeProject(b, map[string]string{"Big.pq": text})
	var (
		mu      sync.Mutex
		started = make(map[uint64]bool)
		ended   = make(map[uint64]bool)
		last    uint64 // gen of the latest check started
	)
	startedCh := make(chan struct{}, 1)
	hooks := testHooks{
		beforeAnalyze: func(_ context.Context, _ string, gen uint64) {
			mu.Lock()
			started[gen], last = true, gen
			mu.Unlock()
			select {
			case startedCh <- struct{}{}:
			default:
			}
		},
		afterAnalyze: func(_ string, gen uint64) { mu.Lock(); ended[gen] = true; mu.Unlock() },
	}
	c := startServer(b, testOptions{delay: 0, hooks: hooks})
	c.initialize(capsNone, nil)
	u := fileURI(dir, "Big.pq")
	c.open(u, 1, text)
	c.waitDiagsTB(u, 1)

	mid := countMembers(text) / 2
	at := strings.Index(text, "x + "+strconv.Itoa(mid)+",") + len("x + ")
	pos := refPosition(text, at, false)
	rng := protocol.Range{Start: pos, End: protocol.Position{Line: pos.Line, Character: pos.Character + 1}}
	// Hover on a library function, complete after "Text." two members on.
	member := strings.Index(text, "shared Big.Member"+strconv.Itoa(mid+2)+" ")
	call := member + strings.Index(text[member:], "Text.From")
	hoverAt := refPosition(text, call+2, false)
	completeAt := refPosition(text, call+len("Text."), false)

	ctx := context.Background()
	var hover, complete, idle []time.Duration
	inCheck, total := 0, 0
	v := int32(1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		select {
		case <-startedCh:
		default:
		}
		v++
		c.change(u, v, wireEdit{Range: rng, Text: strconv.Itoa(i % 10)})
		<-startedCh
		mu.Lock()
		gen := last
		mu.Unlock()

		t0 := time.Now()
		h, err := c.server.Hover(ctx, &protocol.HoverParams{TextDocumentPositionParams: tdpp(u, hoverAt)})
		hover = append(hover, time.Since(t0))
		if err != nil || h == nil {
			b.Fatalf("hover: %v, %v", h, err)
		}
		mu.Lock()
		if !ended[gen] {
			inCheck++
		}
		mu.Unlock()

		t0 = time.Now()
		res, err := c.server.Completion(ctx, &protocol.CompletionParams{TextDocumentPositionParams: tdpp(u, completeAt)})
		complete = append(complete, time.Since(t0))
		if err != nil || res == nil {
			b.Fatalf("completion: %v, %v", res, err)
		}
		mu.Lock()
		if !ended[gen] {
			inCheck++
		}
		mu.Unlock()
		total += 2
		c.waitDiagsTB(u, v)

		for _, ask := range []func() error{
			func() error {
				_, err := c.server.Hover(ctx, &protocol.HoverParams{TextDocumentPositionParams: tdpp(u, hoverAt)})
				return err
			},
			func() error {
				_, err := c.server.Completion(ctx, &protocol.CompletionParams{TextDocumentPositionParams: tdpp(u, completeAt)})
				return err
			},
		} {
			t0 = time.Now()
			if err := ask(); err != nil {
				b.Fatal(err)
			}
			idle = append(idle, time.Since(t0))
		}
	}
	b.StopTimer()
	b.ReportMetric(quantileMs(hover, 0.50), "hover-p50-ms")
	b.ReportMetric(quantileMs(hover, 0.99), "hover-p99-ms")
	b.ReportMetric(quantileMs(complete, 0.50), "completion-p50-ms")
	b.ReportMetric(quantileMs(complete, 0.99), "completion-p99-ms")
	b.ReportMetric(quantileMs(append(slices.Clone(hover), complete...), 0.99), "p99-ms")
	b.ReportMetric(quantileMs(idle, 0.50), "idle-p50-ms")
	b.ReportMetric(quantileMs(idle, 0.99), "idle-p99-ms")
	b.ReportMetric(100*float64(inCheck)/float64(total), "during-check-%")
}
