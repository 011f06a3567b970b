package server

import (
	"context"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/uri"
)

// Checks of different projects run at once, as many as the session has
// check slots and no more: three projects, two slots, each check held in
// its slot until released.
func TestProjectsCheckedConcurrently(t *testing.T) {
	var (
		mu      sync.Mutex
		holding = make(map[string]bool) // roots whose check is held
		peak    int
	)
	release := make(chan struct{})
	entered := make(chan string, 16)
	hooks := testHooks{beforeAnalyze: func(ctx context.Context, root string, gen uint64) {
		mu.Lock()
		holding[root] = true
		peak = max(peak, len(holding))
		mu.Unlock()
		entered <- root
		select {
		case <-release:
		case <-ctx.Done():
		}
		mu.Lock()
		delete(holding, root)
		mu.Unlock()
	}}
	c := startServer(t, testOptions{delay: 0, hooks: hooks, maxChecks: 2})
	c.initialize(capsNone, nil)
	var us []uri.URI
	for range 3 {
		dir := writeProject(t, map[string]string{"Contoso.pq": noVersion})
		u := fileURI(dir, "Contoso.pq")
		us = append(us, u)
		c.open(u, 1, noVersion)
	}
	// Two checks are held at the same time: they run concurrently.
	seen := make(map[string]bool)
	for len(seen) < 2 {
		select {
		case r := <-entered:
			seen[r] = true
		case <-time.After(10 * time.Second):
			t.Fatalf("only %d check(s) running at once, want 2", len(seen))
		}
	}
	// The third waits for a slot while the two are held.
	time.Sleep(200 * time.Millisecond)
	mu.Lock()
	n := len(holding)
	mu.Unlock()
	if n != 2 {
		t.Errorf("%d checks running at once with two slots", n)
	}
	close(release)
	for _, u := range us {
		if !hasCode(c.waitDiags(u, 1).Diagnostics, "PQC002") {
			t.Errorf("%s: no PQC002", u)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if peak != 2 {
		t.Errorf("at most %d checks ran at once, want 2 (the slots)", peak)
	}
}

// A check still running when the project changes is canceled, and the
// newer state is checked and published.
func TestStaleCheckCanceled(t *testing.T) {
	dir := writeProject(t, map[string]string{"Contoso.pq": noVersion})
	var (
		mu       sync.Mutex
		first    = true
		canceled []uint64
		held     uint64
	)
	entered := make(chan struct{})
	gotCancel := make(chan struct{}, 1)
	hooks := testHooks{
		beforeAnalyze: func(ctx context.Context, root string, gen uint64) {
			mu.Lock()
			hold := first
			first = false
			if hold {
				held = gen
			}
			mu.Unlock()
			if !hold {
				return
			}
			close(entered)
			// Held until the check is canceled: only a newer state can
			// end it.
			select {
			case <-ctx.Done():
				gotCancel <- struct{}{}
			case <-time.After(10 * time.Second):
			}
		},
		checkCanceled: func(root string, gen uint64) {
			mu.Lock()
			canceled = append(canceled, gen)
			mu.Unlock()
		},
	}
	c := startServer(t, testOptions{delay: 0, hooks: hooks})
	c.initialize(capsNone, nil)
	u := fileURI(dir, "Contoso.pq")
	c.open(u, 1, noVersion)
	<-entered
	c.changeAll(u, 2, withVersion)
	select {
	case <-gotCancel:
	case <-time.After(10 * time.Second):
		t.Fatal("the check of version 1 was not canceled by version 2")
	}
	pub := c.waitDiags(u, 2)
	if hasCode(pub.Diagnostics, "PQC002") {
		t.Errorf("version 2 has a version, yet PQC002 is reported: %v", codes(pub.Diagnostics))
	}
	for _, p := range c.pubsFor(u) {
		if v, _ := p.Version.Get(); v == 1 {
			t.Errorf("the canceled check of version 1 was published: %v", codes(p.Diagnostics))
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(canceled) == 0 || canceled[0] != held {
		t.Errorf("canceled gens %v, want the held gen %d first", canceled, held)
	}
}

// Under a stream of edits to two projects, with slow checks that get
// canceled, every published set of diagnostics is that of the version it
// names, and the last one is that of the last version.
func TestPublishedMatchesLatest(t *testing.T) {
	var (
		mu       sync.Mutex
		canceled int
	)
	hooks := testHooks{
		beforeAnalyze: func(ctx context.Context, root string, gen uint64) {
			select { // a slow check, so that edits land during it
			case <-ctx.Done():
			case <-time.After(15 * time.Millisecond):
			}
		},
		checkCanceled: func(string, uint64) { mu.Lock(); canceled++; mu.Unlock() },
	}
	c := startServer(t, testOptions{delay: 0, hooks: hooks})
	c.initialize(capsNone, nil)
	var us []uri.URI
	for range 2 {
		dir := writeProject(t, map[string]string{"Contoso.pq": noVersion})
		u := fileURI(dir, "Contoso.pq")
		us = append(us, u)
		c.open(u, 1, noVersion)
	}
	// Odd versions lack the version attribute (PQC002), even ones have it.
	text := func(v int32) string {
		if v%2 == 1 {
			return noVersion
		}
		return withVersion
	}
	const last = 41
	for v := int32(2); v <= last; v++ {
		for _, u := range us {
			c.changeAll(u, v, text(v))
		}
		time.Sleep(time.Duration(v%4) * 3 * time.Millisecond)
	}
	for _, u := range us {
		pub := c.waitDiags(u, last)
		if got, want := hasCode(pub.Diagnostics, "PQC002"), last%2 == 1; got != want {
			t.Errorf("%s: last version %d: PQC002 reported %v, want %v", u, last, got, want)
		}
		for _, p := range c.pubsFor(u) {
			v, _ := p.Version.Get()
			if got, want := hasCode(p.Diagnostics, "PQC002"), v%2 == 1; got != want {
				t.Errorf("%s: diagnostics published for version %d are another version's (PQC002 %v)", u, v, got)
			}
		}
	}
	mu.Lock()
	t.Logf("%d stale checks canceled", canceled)
	mu.Unlock()
}
