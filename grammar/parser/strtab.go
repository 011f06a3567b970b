package parser

import "strings"

// strtab interns the names and literals of one parse. A tree holds a
// string per identifier and literal; most of them repeat (Text.From,
// options, "application/json"), so each distinct spelling is stored once,
// and the stored bytes sit side by side in blocks rather than in an
// allocation each. A block holds only names and literals — not the
// whitespace and comments around them — so a tree keeps little more than
// its distinct words alive, and a reparse of one member allocates a small
// block of its own instead of pinning a window of the source.
type strtab struct {
	m     map[string]string
	block strings.Builder
	size  int // capacity of the next block

	// recent holds a recently interned string for each cheap hash of its
	// length and end bytes: most names repeat close by (url, options,
	// Text.From), and comparing with one candidate is quicker than a map
	// lookup, which was a sixth of the parse.
	recent [256]string
}

// get returns b as an interned string. Looking up string(b) in the map does
// not allocate.
func (t *strtab) get(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	h := (len(b)*31 + int(b[0])*7 + int(b[len(b)-1])) & (len(t.recent) - 1)
	if s := t.recent[h]; s == string(b) {
		return s
	}
	s, ok := t.m[string(b)]
	if !ok {
		s = t.add(b)
	}
	t.recent[h] = s
	return s
}

// intern returns the interned copy of s.
func (t *strtab) intern(s string) string {
	if s, ok := t.m[s]; ok {
		return s
	}
	return t.add([]byte(s))
}

func (t *strtab) add(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if t.m == nil {
		t.m = make(map[string]string)
	}
	if t.block.Cap()-t.block.Len() < len(b) {
		// Blocks grow from 256 bytes to 16 KB, so that the reparse of
		// one member wastes little. A new block is a new builder: the
		// strings already handed out keep the old block, which is never
		// written again.
		t.size = min(max(2*t.size, 256), 16<<10)
		t.block = strings.Builder{}
		t.block.Grow(max(t.size, len(b)))
	}
	start := t.block.Len()
	t.block.Write(b)
	s := t.block.String()[start:]
	t.m[s] = s
	return s
}
