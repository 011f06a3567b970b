package server

import (
	"bytes"
	"sort"
	"unicode/utf8"
)

// lineTable maps byte offsets of a text to LSP lines.
//
// LSP splits lines at "\n", "\r\n" and "\r" only (specification 3.17,
// "Text Documents"); VS Code and Neovim do the same. M itself also breaks
// lines at U+0085, U+2028 and U+2029, and token.Lines follows M, so it
// cannot be used for protocol positions: a U+2028 in a string would put
// every later position of the file one line off.
type lineTable struct {
	starts []int // byte offset at which each line begins
}

func newLineTable(src []byte) *lineTable {
	starts := make([]int, 1, len(src)/40+1)
	return &lineTable{starts: appendStarts(starts, src, 0, len(src))}
}

// appendStarts appends the line starts that follow the breaks beginning in
// src[from:to]; a "\r" at to-1 looks at src[to] to pair with a "\n".
func appendStarts(starts []int, src []byte, from, to int) []int {
	if bytes.IndexByte(src[from:to], '\r') < 0 {
		// The common case: LF only. IndexByte is vectorised.
		for i := from; i < to; {
			j := bytes.IndexByte(src[i:to], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			starts = append(starts, i)
		}
		return starts
	}
	for i := from; i < to; i++ {
		switch src[i] {
		case '\n':
			starts = append(starts, i+1)
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			starts = append(starts, i+1)
		}
	}
	return starts
}

// edit returns the table of newSrc, the text that results from replacing the
// bytes [start, oldEnd) of the table's text by newSrc[start:newEnd]. Only the
// lines the edit touched are scanned again; the rest are copied and shifted.
func (t *lineTable) edit(newSrc []byte, start, oldEnd, newEnd int) *lineTable {
	// Rescan from the line holding the byte before the edit: a "\r" there
	// may pair with a "\n" the edit inserts.
	i := t.lineOf(max(start-1, 0))
	starts := make([]int, i+1, len(t.starts)+8)
	copy(starts, t.starts[:i+1])
	// Up to and including newSrc[newEnd], so a "\r" "\n" pair that straddles
	// the end of the edit is seen whole.
	starts = appendStarts(starts, newSrc, starts[i], min(newEnd+1, len(newSrc)))
	last := starts[len(starts)-1]
	delta := newEnd - oldEnd
	j := sort.SearchInts(t.starts, oldEnd+1)
	for _, s := range t.starts[j:] {
		if s+delta > last {
			starts = append(starts, s+delta)
		}
	}
	return &lineTable{starts: starts}
}

// count returns the number of lines; an empty text has one.
func (t *lineTable) count() int { return len(t.starts) }

// lineOf returns the line that holds byte offset off.
func (t *lineTable) lineOf(off int) int {
	return sort.Search(len(t.starts), func(i int) bool { return t.starts[i] > off }) - 1
}

// lineEnd returns the offset of the break that ends line, or len(src) for
// the last line.
func (t *lineTable) lineEnd(src []byte, line int) int {
	if line+1 >= len(t.starts) {
		return len(src)
	}
	end := t.starts[line+1]
	if end > t.starts[line] && src[end-1] == '\n' {
		end--
		if end > t.starts[line] && src[end-1] == '\r' {
			end--
		}
	} else if end > t.starts[line] && src[end-1] == '\r' {
		end--
	}
	return end
}

// utf16Len returns the length in UTF-16 code units of b. Bytes that are not
// valid UTF-8 count one unit each, as a decoder turns each into U+FFFD.
func utf16Len(b []byte) int {
	n := 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			n++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		i += size
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// utf16Offset returns the offset in b of UTF-16 column col, and whether col
// lies within b. A column inside a surrogate pair maps to the pair's start.
func utf16Offset(b []byte, col int) (int, bool) {
	n := 0
	for i := 0; i < len(b); {
		if n >= col {
			return i, true
		}
		r, size := utf8.DecodeRune(b[i:])
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > col {
			return i, true
		}
		n += w
		i += size
	}
	return len(b), n >= col
}
