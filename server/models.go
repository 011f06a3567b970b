package server

import (
	"slices"
	"sync"
)

// A model takes several times the memory of its source (a 1 MB connector's
// is about 6 MB beside its 10 MB syntax tree), and a workspace may hold many
// projects while the user edits one. The server therefore keeps the models
// of the projects used most recently, up to a budget of source bytes, and
// lets the others go; a snapshot whose model went builds it again when asked,
// which for a 1 MB connector takes about 10 ms. The most recently used
// model is always kept, whatever its size.

// modelBudget is how many bytes of source the kept models may cover.
const modelBudget = 1 << 20

// modelCache lists the snapshots that hold a model, most recently used first,
// with the source size of each model.
type modelCache struct {
	mu      sync.Mutex
	entries []modelEntry
}

type modelEntry struct {
	v    *snapshot
	size int
}

// forget drops the models of the snapshots of the project at v's root, a
// project that is no longer open.
func (c *modelCache) forget(v *snapshot) {
	if c == nil || v == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = slices.DeleteFunc(c.entries, func(e modelEntry) bool { return e.v.root == v.root })
}

// touch records that v's model, of size bytes of source, was just used and
// returns the snapshots whose models are to be let go, over the budget; the
// caller releases them with no lock held, since releasing takes each snapshot's
// own lock.
func (c *modelCache) touch(v *snapshot, size int) []*snapshot {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = slices.DeleteFunc(c.entries, func(e modelEntry) bool { return e.v == v })
	c.entries = slices.Insert(c.entries, 0, modelEntry{v, size})
	total := 0
	for i, e := range c.entries {
		total += e.size
		if i > 0 && total > modelBudget {
			var evicted []*snapshot
			for _, e := range c.entries[i:] {
				evicted = append(evicted, e.v)
			}
			c.entries = c.entries[:i]
			return evicted
		}
	}
	return nil
}
