package server

import (
	"slices"
	"sync"

	"go.uber.org/zap"

	"github.com/pqls/pqls/grammar/ast"
)

// The syntax tree of a document takes about ten times the memory of its text
// (a 1 MB connector's is about 10 MB), and an editor may keep many documents
// open while the user edits one. As with models (models.go), the session
// keeps the trees of the documents used most recently, up to a budget of
// source bytes, and lets the others go; a document whose tree went parses its
// text again when asked (about 15 ms for 1 MB). The most recently used tree
// is always kept, whatever its size, and an edit to a document whose tree
// went parses the new text whole instead of reparsing the edited members.

// treeBudget is how many bytes of source the kept trees may cover: real
// connector files are 3 to 25 KB, so this keeps every tree of a usual
// workspace.
const treeBudget = 2 << 20

// docTree holds the parse of one text of a document. Document versions
// that share their text (a move to another project, a refused change) share
// it.
type docTree struct {
	path  string
	src   []byte
	cache *treeCache // nil: kept for good (tests)

	mu   sync.Mutex
	file *ast.File
}

func newDocTree(path string, src []byte, f *ast.File, cache *treeCache) *docTree {
	t := &docTree{path: path, src: src, file: f, cache: cache}
	if f != nil {
		t.cache.touch(t)
	}
	return t
}

// get returns the tree, parsing the text again if it was let go; nil if the
// parser failed.
func (t *docTree) get(log *zap.Logger) *ast.File {
	t.mu.Lock()
	f := t.file
	if f == nil {
		f = safeParse(log, t.path, t.src)
		t.file = f
	}
	t.mu.Unlock()
	if f != nil {
		t.cache.touch(t)
	}
	return f
}

// peek returns the tree if it is kept, without parsing.
func (t *docTree) peek() *ast.File {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.file
}

// release lets the tree go; whoever still reads it (a check, a model)
// keeps it alive until done.
func (t *docTree) release() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.file = nil
}

// treeCache lists the trees kept, most recently used first.
type treeCache struct {
	mu      sync.Mutex
	entries []*docTree
}

// touch records that t was just used and lets go of the trees beyond the
// budget.
func (c *treeCache) touch(t *docTree) {
	if c == nil {
		return
	}
	c.mu.Lock()
	if len(c.entries) > 0 && c.entries[0] == t {
		c.mu.Unlock()
		return
	}
	c.entries = slices.DeleteFunc(c.entries, func(e *docTree) bool { return e == t })
	c.entries = slices.Insert(c.entries, 0, t)
	var evicted []*docTree
	total := 0
	for i, e := range c.entries {
		total += len(e.src)
		if i > 0 && total > treeBudget {
			evicted = slices.Clone(c.entries[i:])
			clear(c.entries[i:])
			c.entries = c.entries[:i]
			break
		}
	}
	c.mu.Unlock()
	for _, e := range evicted {
		e.release()
	}
}

// forget drops t from the cache, for a document that was closed.
func (c *treeCache) forget(t *docTree) {
	if c == nil || t == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = slices.DeleteFunc(c.entries, func(e *docTree) bool { return e == t })
}
