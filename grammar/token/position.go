package token

import (
	"bytes"
	"sort"
	"sync/atomic"
	"unicode/utf8"
)

// Pos is a compact source position: a chunk number and a byte offset inside
// that chunk, in 32 bits.
//
// A parsed file is cut into chunks — the section header, each section member,
// each top-level let binding of an expression document, and the tail — so an
// edit moves every position after it by updating one entry of the file's
// chunk table instead of rewriting every node. The ast.File that owns a
// position turns it into a byte offset with its Offset method. Positions in
// the same chunk can be compared and offset by byte counts directly; across
// chunks, compare offsets.
//
// The offset inside a chunk has ChunkBits bits. A region of the file longer
// than that takes consecutive chunk numbers, one per ChunkSize bytes, and
// an offset past ChunkSize carries into the next number: MakePos(c, rel) is
// then chunk c+rel/ChunkSize at rel%ChunkSize, whose table entry is the
// region's start plus that many ChunkSize steps. So positions in a region
// still compare and add as byte offsets, and a node costs four bytes per
// position instead of eight.
type Pos uint32

// NoPos is the zero Pos: no position.
const NoPos Pos = 0

const (
	// ChunkBits is the number of bits of a Pos that hold the offset
	// inside a chunk.
	ChunkBits = 12
	// ChunkSize is the number of bytes one chunk number covers.
	ChunkSize = 1 << ChunkBits
	// MaxChunks is the number of chunk numbers a Pos can hold.
	MaxChunks = 1<<(32-ChunkBits) - 1
)

// MakePos returns the position rel bytes into chunk. A rel of ChunkSize or
// more lands in the chunks that follow, as explained at Pos.
func MakePos(chunk, rel int) Pos { return Pos(uint32(chunk+1)<<ChunkBits + uint32(rel)) }

// IsValid reports whether p is a position rather than NoPos.
func (p Pos) IsValid() bool { return p != NoPos }

// Chunk returns the chunk number of p.
func (p Pos) Chunk() int { return int(p>>ChunkBits) - 1 }

// Rel returns the byte offset of p inside its chunk.
func (p Pos) Rel() int { return int(p & (ChunkSize - 1)) }

// Add returns the position n bytes after p, in the same region. NoPos
// stays NoPos.
func (p Pos) Add(n int) Pos {
	if p == NoPos {
		return NoPos
	}
	return p + Pos(n)
}

// A Position is a human-readable source position: 0-based line and a 0-based
// column counted in the unit the caller asked for.
type Position struct {
	Line   int
	Column int
}

// Lines maps byte offsets of one text to lines and columns. Line breaks are
// the M new-line characters: CR, LF, CR LF, U+0085, U+2028 and U+2029. A
// UTF-8 byte order mark at the start takes no column, as editors strip it.
//
// An LSP line table (NewLSPLines) breaks lines only at CR, LF and CR LF, as
// the protocol and editors do: positions sent to an editor must not count a
// U+2028 inside a string as a line break. The table of an editor buffer
// (NewBufferLines) is an LSP table in which a leading byte order mark is a
// character like any other.
type Lines struct {
	src        []byte
	starts     []int // byte offset of the first character of each line
	bom        int   // length of a leading byte order mark that takes no column, 0 or 3
	lsp        bool  // break at CR and LF only
	literalBOM bool  // a leading byte order mark takes a column

	// last is the most recent UTF16 answer. Callers convert offsets in
	// source order (diagnostics, a report's findings), so counting on from
	// it keeps a run of conversions on one long line linear instead of
	// quadratic. Atomic because a table is shared between goroutines.
	last atomic.Pointer[colMemo]
}

// colMemo is a UTF-16 column already counted: offset off is column col of
// line.
type colMemo struct{ line, off, col int }

// NewLines builds the line table of src with M's line breaks.
func NewLines(src []byte) *Lines { return newLines(src, false, false) }

// NewLSPLines builds the line table of src with LSP's line breaks, for a
// file as an editor loads it from disk: without its byte order mark.
func NewLSPLines(src []byte) *Lines { return newLines(src, true, false) }

// NewBufferLines builds the LSP line table of the text of an editor buffer
// as the client sent it. A client that sends a byte order mark has the
// character U+FEFF in its buffer, and there it takes a column.
func NewBufferLines(src []byte) *Lines { return newLines(src, true, true) }

func newLines(src []byte, lsp, literalBOM bool) *Lines {
	l := &Lines{src: src, starts: make([]int, 1, len(src)/32+1), lsp: lsp, literalBOM: literalBOM}
	l.setBOM()
	l.starts = l.appendLineStarts(l.starts, src, 0, len(src))
	return l
}

func (l *Lines) setBOM() {
	if !l.literalBOM && len(l.src) >= 3 && l.src[0] == 0xEF && l.src[1] == 0xBB && l.src[2] == 0xBF {
		l.bom = 3
	}
}

// breakLen is BreakLen for this table's kind of line break.
func (l *Lines) breakLen(src []byte, i int) int {
	if l.lsp && src[i] != '\r' && src[i] != '\n' {
		return 0
	}
	return BreakLen(src, i)
}

// BreakLen returns the length in bytes of the line break at src[i:], or 0 if
// none starts there.
func BreakLen(src []byte, i int) int {
	switch c := src[i]; c {
	case '\n':
		return 1
	case '\r':
		if i+1 < len(src) && src[i+1] == '\n' {
			return 2
		}
		return 1
	case 0xC2:
		if i+1 < len(src) && src[i+1] == 0x85 {
			return 2
		}
	case 0xE2:
		if i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9) {
			return 3
		}
	}
	return 0
}

// appendLineStarts appends the start offset of every line that begins after
// a break found in src[from:to].
func (l *Lines) appendLineStarts(starts []int, src []byte, from, to int) []int {
	if l.lsp && bytes.IndexByte(src[from:to], '\r') < 0 {
		// LF only, the common case: IndexByte is vectorised.
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
	for i := from; i < to; {
		c := src[i]
		if c != '\n' && c != '\r' && c != 0xC2 && c != 0xE2 {
			i++
			continue
		}
		n := l.breakLen(src, i)
		if n == 0 {
			i++
			continue
		}
		i += n
		starts = append(starts, i)
	}
	return starts
}

// Edit returns the line table of newSrc, the text that results from replacing
// the bytes [start, oldEnd) of the table's text with newSrc[start:newEnd]. It
// rescans only the lines the edit touched.
func (l *Lines) Edit(newSrc []byte, start, oldEnd, newEnd int) *Lines {
	delta := newEnd - oldEnd
	// Start one line early: a CR before the edit may pair with an LF it inserts.
	i := l.lineOf(max(start-1, 0))
	starts := make([]int, i+1, len(l.starts)+8)
	copy(starts, l.starts[:i+1])
	nl := &Lines{src: newSrc, lsp: l.lsp, literalBOM: l.literalBOM}
	nl.setBOM()
	for p := starts[i]; p < len(newSrc); {
		n := l.breakLen(newSrc, p)
		if n == 0 {
			p++
			continue
		}
		p += n
		starts = append(starts, p)
		// Once a whole break and the byte before it lie in unchanged text,
		// the rest of the table is the old one shifted.
		if p-4 >= newEnd {
			old := p - delta
			j := sort.SearchInts(l.starts, old)
			if j < len(l.starts) && l.starts[j] == old {
				for _, s := range l.starts[j+1:] {
					starts = append(starts, s+delta)
				}
				nl.starts = starts
				return nl
			}
		}
	}
	nl.starts = starts
	return nl
}

// Count returns the number of lines.
func (l *Lines) Count() int { return len(l.starts) }

// LineStart returns the byte offset at which line begins.
func (l *Lines) LineStart(line int) int {
	if line == 0 {
		return l.bom
	}
	return l.starts[line]
}

// Line returns the line that holds byte offset off, clamped to the text.
func (l *Lines) Line(off int) int { return l.lineOf(l.clamp(off)) }

// LineEnd returns the offset of the line break that ends line, or the length
// of the text for the last line.
func (l *Lines) LineEnd(line int) int { return l.lineEnd(line) }

// Src returns the text the table is of.
func (l *Lines) Src() []byte { return l.src }

// lineOf returns the line containing byte offset off.
func (l *Lines) lineOf(off int) int {
	return sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off }) - 1
}

// lineEnd returns the offset of the line break ending line, or the end of text.
func (l *Lines) lineEnd(line int) int {
	end := len(l.src)
	if line+1 < len(l.starts) {
		end = l.starts[line+1]
		// Step back over the break itself: the first byte from which a
		// break reaches the next line's start (from the CR of a CR LF, not
		// its LF).
		for b := max(end-3, l.starts[line]); b < end; b++ {
			if l.breakLen(l.src, b) == end-b {
				end = b
				break
			}
		}
	}
	return end
}

func (l *Lines) clamp(off int) int {
	if off < 0 {
		return 0
	}
	if off > len(l.src) {
		return len(l.src)
	}
	return off
}

// UTF8 returns the line and the column in bytes of offset off.
func (l *Lines) UTF8(off int) Position {
	off = l.clamp(off)
	line := l.lineOf(off)
	return Position{Line: line, Column: max(off-l.LineStart(line), 0)}
}

// UTF16 returns the line and the column in UTF-16 code units of offset off,
// the unit LSP uses by default. Bytes that are not valid UTF-8 count one unit
// each, as a decoder turns each into U+FFFD.
func (l *Lines) UTF16(off int) Position {
	off = l.clamp(off)
	line := l.lineOf(off)
	col, i := 0, l.LineStart(line)
	if m := l.last.Load(); m != nil && m.line == line && m.off <= off && m.off >= i {
		col, i = m.col, m.off
	}
	for i < off {
		r, n := utf8.DecodeRune(l.src[i:])
		if r >= 0x10000 {
			col += 2
		} else {
			col++
		}
		i += n
	}
	// i is past off when off falls inside a character; col is the column
	// of i as well as of off.
	l.last.Store(&colMemo{line: line, off: max(i, l.LineStart(line)), col: col})
	return Position{Line: line, Column: col}
}

// UTF16Len returns the length in UTF-16 code units of b, the unit LSP
// columns count by default. Bytes that are not valid UTF-8 count one unit
// each, as a decoder turns each into U+FFFD.
func UTF16Len(b []byte) int {
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

// OffsetUTF8 returns the byte offset of a line and byte column. ok is false
// if the line does not exist or the column lies past the end of the line; the
// offset is then clamped to the nearest valid one.
func (l *Lines) OffsetUTF8(p Position) (off int, ok bool) {
	if p.Line < 0 || p.Column < 0 {
		return 0, false
	}
	if p.Line >= len(l.starts) {
		return len(l.src), false
	}
	start, end := l.LineStart(p.Line), l.lineEnd(p.Line)
	if start+p.Column > end {
		return end, false
	}
	return start + p.Column, true
}

// OffsetUTF16 returns the byte offset of a line and UTF-16 column. ok is
// false if the position lies outside the text; the offset is then clamped.
// A column that falls inside a surrogate pair maps to the start of the pair.
func (l *Lines) OffsetUTF16(p Position) (off int, ok bool) {
	if p.Line < 0 || p.Column < 0 {
		return 0, false
	}
	if p.Line >= len(l.starts) {
		return len(l.src), false
	}
	i, end := l.LineStart(p.Line), l.lineEnd(p.Line)
	for col := 0; col < p.Column; {
		if i >= end {
			return end, false
		}
		r, n := utf8.DecodeRune(l.src[i:])
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if col+w > p.Column {
			break
		}
		col += w
		i += n
	}
	return i, true
}
