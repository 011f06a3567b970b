package server

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"time"

	"go.uber.org/zap"
)

// Garbage collection while idle.
//
// A one-character edit in a 1 MB document is checked in a few milliseconds
// but allocates a few megabytes (the new text and tree, the model of the
// edited member, the findings, the JSON), against a live heap of tens of
// megabytes. With the default GOGC the runtime starts a cycle every few
// edits, when the heap reaches its trigger, which happens while something
// allocates: inside a check, nearly always. That check then pays for the
// cycle: its goroutines do mark assists, and the dedicated mark worker
// takes one of the processors (a quarter of them, so one of two here). The
// measured effect is the tail of the edit latency: p50 3.5 ms, p99 11–15 ms,
// and p99 ~5 ms with GOGC=off.
//
// Checks do not follow each other closely when a user types: the debounce
// (50 ms by default) keeps them at least that far apart, and the server is
// idle in between. So after a check's diagnostics are out, with no check
// running or about to start, the session looks at how far the heap is from
// the point where the runtime would start a cycle by itself; if the next
// checks would cross it (less headroom than reserveChecks checks' worth of
// allocation, as measured over the latest checks), it runs runtime.GC now,
// on a goroutine of its own. The cycle then runs on the idle processors,
// and the next checks start with a freshly collected heap and the headroom
// of a whole cycle ahead of them. A cycle comes a check or two earlier than
// the runtime would start it, so there are more of them: on the 1 MB
// documents with edits 50 ms apart, 0.33 instead of 0.19 a keystroke on the
// connector and 0.5 instead of 0.26 on the type module, 1.5–2.5 ms more CPU
// a keystroke, spent while idle, for p99 6–7.5 ms instead of 16–18.5 ms
// (BenchmarkEditToDiagnostics, typing). Fewer would need a later estimate
// of the runtime's trigger, and one at 55/64 of the way already let cycles
// start inside checks of the type module again.
//
// runtime.GC cannot be canceled, so everything is decided before it starts:
// no check running or due within the time a collection takes (half as much
// again as the last one), nothing left to publish, at most one collection at a time,
// and one decision per batch of checks (a collection with no allocation
// since the last one would find nothing to free). And there must be idle
// time ahead: a change that comes right after the decision is checked
// after the debounce, so the debounce plus the client's usual pause
// between diagnostics and its next change (the shortest of the latest
// few) must leave the collection time to end. With the default debounce
// it always does; with a delay of 0 (some tests and benchmarks, a
// diagnosticsDelay of 0, a client that pulls) only if the client pauses,
// and a client that sends its next change at once, as the back-to-back
// benchmarks do, is left to the runtime's cycles as before: a collection
// started then would only meet the next check. Requests never wait for a
// collection: the handlers take no part in the decision and the
// collection runs concurrently, as the runtime's own cycles do.

// idleGCPolicy sets when the session collects garbage while idle.
type idleGCPolicy struct {
	off bool // never: leave every cycle to the runtime
	// minLive is the live heap below which a collection is left to the
	// runtime: marking a few megabytes takes well under a millisecond,
	// wherever it falls, and a small heap's goal is close to its live
	// heap, so idle collections would be frequent for nothing.
	minLive uint64
	// reserveChecks is the headroom kept before the runtime's trigger, in
	// checks' worth of allocation: one for the next check, and half of
	// one more for a check that allocates more than those measured. Each
	// extra check's worth costs collections: on the 1 MB type module
	// (4.5 MB a check, 12.6 MB from the live heap to the estimated
	// trigger) a reserve of 2 collected after every check, twice as
	// often as 1.5 and three times as often as the runtime.
	reserveChecks float64
}

// defaultIdleGC is the policy of a session unless a test sets another.
func defaultIdleGC() idleGCPolicy {
	return idleGCPolicy{minLive: 4 << 20, reserveChecks: 1.5}
}

const (
	// gcDurationGuess is how long a collection is assumed to take before
	// one has been timed: a cycle over a live heap of ~20 MB takes 7–10 ms
	// on two processors.
	gcDurationGuess = 10 * time.Millisecond
	// checkSamples is how many of the latest checks' allocation the
	// estimate of the next one looks at (their maximum, to err towards
	// collecting a check early rather than inside one).
	checkSamples = 4
	// The runtime starts a cycle somewhere between 45/64 (0.7) and 61/64
	// of the way from the live heap to the heap goal (runtime/mgcpacer.go,
	// minTriggerRatioNum/maxTriggerRatioNum over triggerRatioDen), where
	// in between depending on how fast the program allocated during the
	// last cycle; runtime/metrics does not say where. The lower bound is
	// assumed: the estimate is never past the real trigger.
	triggerNum, triggerDen = 45, 64
)

// idleCollector is the session's state for garbage collection while idle.
type idleCollector struct {
	policy idleGCPolicy

	mu         sync.Mutex
	checks     int    // checks in progress
	checksDone uint64 // checks ended so far
	decidedAt  uint64 // checksDone at the last look at the heap
	allocsAt   uint64 // /gc/heap/allocs:bytes then
	perCheck   [checkSamples]uint64
	nextSample int
	collecting bool          // a runtime.GC is in progress
	lastGC     time.Duration // how long the latest idle collection took
	collected  uint64        // idle collections started
	// idleAt is when the session last became idle (zero once a change
	// came); gaps are the latest times from then to the next change, the
	// client's pause between diagnostics and the next edit.
	idleAt  time.Time
	gaps    [checkSamples]time.Duration
	nGaps   int
	nextGap int
	samples []metrics.Sample
}

// The runtime/metrics samples read at each decision.
const (
	sampleLive = iota
	sampleGoal
	sampleObjects
	sampleAllocs
)

func newIdleCollector(p idleGCPolicy) *idleCollector {
	s := make([]metrics.Sample, 4)
	s[sampleLive].Name = "/gc/heap/live:bytes"
	s[sampleGoal].Name = "/gc/heap/goal:bytes"
	s[sampleObjects].Name = "/memory/classes/heap/objects:bytes"
	s[sampleAllocs].Name = "/gc/heap/allocs:bytes"
	return &idleCollector{policy: p, samples: s}
}

// checkStarted and checkEnded bracket every check of a project (pushed or
// asked for by a request): no idle collection starts while one runs.
func (g *idleCollector) checkStarted() {
	g.mu.Lock()
	g.checks++
	g.mu.Unlock()
}

func (g *idleCollector) checkEnded() {
	g.mu.Lock()
	g.checks--
	g.checksDone++
	g.mu.Unlock()
}

// changed notes a change to the workspace: the idle time that began at
// idleAt, if any, has ended.
func (g *idleCollector) changed(now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.idleAt.IsZero() {
		return
	}
	g.gaps[g.nextGap] = now.Sub(g.idleAt)
	g.nextGap = (g.nextGap + 1) % len(g.gaps)
	g.nGaps = min(g.nGaps+1, len(g.gaps))
	g.idleAt = time.Time{}
}

// minGap is the shortest of the latest pauses between the session
// becoming idle and the next change, 0 if none was seen: the idle time the
// client leaves, besides the debounce. g.mu is held.
func (g *idleCollector) minGap() time.Duration {
	if g.nGaps == 0 {
		return 0
	}
	m := g.gaps[0]
	for _, d := range g.gaps[1:g.nGaps] {
		m = min(m, d)
	}
	return m
}

// heapState is what runtime/metrics tells of the heap.
type heapState struct {
	live    uint64 // marked live by the latest cycle
	goal    uint64 // the heap size the runtime aims to end the next cycle at
	objects uint64 // occupied by objects now, live or not yet swept
}

// headroom estimates how much can still be allocated before the runtime
// starts a cycle by itself.
func (h heapState) headroom() uint64 {
	if h.goal <= h.live {
		return 0
	}
	trigger := h.live + (h.goal-h.live)/triggerDen*triggerNum
	if h.objects >= trigger {
		return 0
	}
	return trigger - h.objects
}

// shouldCollect reports whether a collection now is worth it with heap h,
// when a check allocates about perCheck bytes.
func (p idleGCPolicy) shouldCollect(h heapState, perCheck uint64) bool {
	if h.live < p.minLive {
		return false
	}
	return float64(h.headroom()) < p.reserveChecks*float64(perCheck)
}

// collectIfIdle collects garbage if the session is idle and the next
// checks would otherwise meet a cycle (see the top of this file). It is
// called when a check's diagnostics have been published or answered; it
// does not block, and the collection runs on its own goroutine.
func (s *session) collectIfIdle() {
	g := s.idle
	if g.policy.off || s.ctx.Err() != nil {
		return
	}
	g.mu.Lock()
	soon := max(g.lastGC*3/2, gcDurationGuess)
	g.mu.Unlock()
	why, delay := s.busy(soon)
	if why != "" {
		s.idleDecision(false, why)
		return
	}

	g.mu.Lock()
	defer g.mu.Unlock()
	now := time.Now()
	if g.idleAt.IsZero() {
		g.idleAt = now
	}
	switch {
	case delay+g.minGap() < soon:
		// The next check may come before a collection would end. The
		// estimate of a collection's time is halved, as it is only
		// measured by collecting: one slowed down by load elsewhere on
		// the machine must not stop idle collection for good.
		g.lastGC /= 2
		s.idleDecisionLocked(false, "no idle time ahead")
		return
	case g.checks > 0:
		s.idleDecisionLocked(false, "a check is running")
		return
	case g.collecting:
		s.idleDecisionLocked(false, "a collection is running")
		return
	case g.checksDone == g.decidedAt:
		// Already decided for these checks; nothing has been checked
		// since, so the heap has not grown by a check.
		return
	}
	metrics.Read(g.samples)
	h := heapState{
		live:    g.samples[sampleLive].Value.Uint64(),
		goal:    g.samples[sampleGoal].Value.Uint64(),
		objects: g.samples[sampleObjects].Value.Uint64(),
	}
	allocs := g.samples[sampleAllocs].Value.Uint64()
	if g.decidedAt > 0 || g.allocsAt > 0 {
		// What was allocated since the last decision, per check: the
		// checks, the edits and the publishing that came with them, and
		// any request meanwhile, which errs towards collecting early.
		g.perCheck[g.nextSample] = (allocs - g.allocsAt) / (g.checksDone - g.decidedAt)
		g.nextSample = (g.nextSample + 1) % checkSamples
	}
	g.decidedAt, g.allocsAt = g.checksDone, allocs
	var perCheck uint64
	for _, a := range g.perCheck {
		perCheck = max(perCheck, a)
	}
	if !g.policy.shouldCollect(h, perCheck) {
		s.idleDecisionLocked(false, "headroom enough")
		return
	}
	g.collecting = true
	g.collected++
	n := g.collected
	s.idleDecisionLocked(true, "headroom short")
	s.log.Debug("idle garbage collection",
		zap.Uint64("n", n),
		zap.Uint64("headroom", h.headroom()), zap.Uint64("perCheck", perCheck),
		zap.Uint64("live", h.live), zap.Uint64("goal", h.goal), zap.Uint64("objects", h.objects))
	s.goBackground("idle garbage collection", func() {
		start := time.Now()
		defer func() {
			d := time.Since(start)
			g.mu.Lock()
			g.collecting = false
			g.lastGC = d
			g.mu.Unlock()
			s.log.Debug("idle garbage collection done", zap.Uint64("n", n), zap.Duration("took", d))
			if s.hooks != nil && s.hooks.idleCollected != nil {
				s.hooks.idleCollected()
			}
		}()
		runtime.GC()
	})
}

// busy says why the session is not idle, or "" if it is: a project being
// checked or publishing, a check due within soon, diagnostics still being
// sent. delay is the shortest debounce of the projects: a change now would
// be checked no sooner than that.
func (s *session) busy(soon time.Duration) (why string, delay time.Duration) {
	if s.queue.busy() {
		return "publishing", 0
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	delay = defaultDelay
	for _, ps := range s.projects {
		ps.mu.Lock()
		running, due := ps.running || ps.cancelCheck != nil, ps.due
		delay = min(delay, s.delayLocked(ps))
		ps.mu.Unlock()
		if running {
			return "a check is running", 0
		}
		if !due.IsZero() && due.Sub(now) < soon {
			return "a check is due", 0
		}
	}
	if s.clientCaps().pull {
		// The client asks for diagnostics when it likes, with no
		// debounce of the session's.
		delay = 0
	}
	return "", delay
}

// idleDecision tells the test hook of a decision.
func (s *session) idleDecision(collect bool, why string) {
	if s.hooks == nil || s.hooks.idleDecision == nil {
		return
	}
	s.idle.mu.Lock()
	defer s.idle.mu.Unlock()
	s.idleDecisionLocked(collect, why)
}

// idleDecisionLocked is idleDecision with s.idle.mu held: a test hook that
// sees collect true sees it before the collection starts, and no check can
// start meanwhile.
func (s *session) idleDecisionLocked(collect bool, why string) {
	if s.hooks != nil && s.hooks.idleDecision != nil {
		s.hooks.idleDecision(collect, why)
	}
}
