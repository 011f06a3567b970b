package server

import (
	"fmt"
	"unicode/utf8"

	"go.lsp.dev/protocol"

	"github.com/pqls/pqls/grammar/token"
)

// A mapper converts between the byte offsets the parser and the analysis use
// and the LSP line/character positions of the negotiated encoding. It is the
// one place positions cross the protocol boundary: every position that comes
// in goes through offset/offsets, every one that goes out through
// position/rangeOf.
type mapper struct {
	enc protocol.PositionEncodingKind // utf-8 or utf-16
}

// negotiateEncoding picks the position encoding from the client's preference
// list: the first of utf-8 and utf-16 it offers, else utf-16, the encoding
// every client must support (Neovim 0.7 offers none).
func negotiateEncoding(offered []protocol.PositionEncodingKind) mapper {
	for _, e := range offered {
		switch e {
		case protocol.PositionEncodingKindUTF8, protocol.PositionEncodingKindUTF16:
			return mapper{enc: e}
		}
	}
	return mapper{enc: protocol.PositionEncodingKindUTF16}
}

func (m mapper) utf8() bool { return m.enc == protocol.PositionEncodingKindUTF8 }

// content is a text with its LSP line table (token.Lines, LSP's line
// breaks: CR, LF, CR LF).
//
// A file read from disk that starts with a byte order mark reaches the
// client without it (editors strip it on load), so the BOM takes no column
// (token.NewLSPLines). A client that sends a BOM inside the text of an open
// document has it in its buffer as the character U+FEFF, and there it takes
// a column (token.NewBufferLines).
type content struct {
	src   []byte
	lines *token.Lines
}

func newContent(src []byte, literalBOM bool) content {
	if literalBOM {
		return content{src: src, lines: token.NewBufferLines(src)}
	}
	return content{src: src, lines: token.NewLSPLines(src)}
}

// lineStart returns the offset of the first column of line.
func (c content) lineStart(line int) int { return c.lines.LineStart(line) }

// position returns the LSP position of byte offset off.
func (m mapper) position(c content, off int) protocol.Position {
	off = max(0, min(off, len(c.src)))
	line := c.lines.Line(off)
	start := c.lineStart(line)
	col := 0
	if off > start {
		if m.utf8() {
			col = off - start
		} else {
			col = token.UTF16Len(c.src[start:off])
		}
	}
	return protocol.Position{Line: uint32(line), Character: uint32(col)}
}

// rangeOf returns the LSP range of the bytes [start, end).
func (m mapper) rangeOf(c content, start, end int) protocol.Range {
	if end < start {
		end = start
	}
	return protocol.Range{Start: m.position(c, start), End: m.position(c, end)}
}

// errPosition reports a position that lies outside the document.
type errPosition struct {
	pos   protocol.Position
	lines int
}

func (e *errPosition) Error() string {
	return fmt.Sprintf("position %d:%d is outside the document (%d lines)", e.pos.Line, e.pos.Character, e.lines)
}

// offset returns the byte offset of an LSP position. A line past the end of
// the document is an error (the offset is then clamped to the end), except
// the position just after the last line with character 0, which some
// clients use for "end of document". A character past the end of its line is
// clamped to the line end, as the LSP specification prescribes. A column
// that falls inside a character (a UTF-8 sequence, or a UTF-16 surrogate
// pair) maps to the start of that character.
func (m mapper) offset(c content, p protocol.Position) (int, error) {
	n := c.lines.Count()
	if int64(p.Line) >= int64(n) {
		if int64(p.Line) == int64(n) && p.Character == 0 {
			return len(c.src), nil
		}
		return len(c.src), &errPosition{pos: p, lines: n}
	}
	line := int(p.Line)
	start, end := c.lineStart(line), c.lines.LineEnd(line)
	if end < start { // the BOM alone
		end = start
	}
	col := int(min(p.Character, 1<<30))
	if m.utf8() {
		off := min(start+col, end)
		for off > start && off < len(c.src) && !utf8.RuneStart(c.src[off]) {
			off--
		}
		return off, nil
	}
	off, _ := c.lines.OffsetUTF16(token.Position{Line: line, Column: col})
	return off, nil
}

// offsets returns the byte offsets of an LSP range; a reversed range is an
// error.
func (m mapper) offsets(c content, r protocol.Range) (start, end int, err error) {
	if start, err = m.offset(c, r.Start); err != nil {
		return start, start, err
	}
	if end, err = m.offset(c, r.End); err != nil {
		return start, end, err
	}
	if end < start {
		return start, start, fmt.Errorf("range end %d:%d is before its start %d:%d",
			r.End.Line, r.End.Character, r.Start.Line, r.Start.Character)
	}
	return start, end, nil
}

// lineSpan is the part of a range that lies on one line: its start position
// and its length in the negotiated encoding's units.
type lineSpan struct {
	pos    protocol.Position
	length uint32
}

// A columnCursor converts a run of offsets in ascending order to positions
// in time linear in the text they cover: it remembers the last offset and
// its column and counts on from there, where mapper.position counts from
// the start of the line each time (quadratic on one long line: a 1 MB line
// of semantic tokens took 42 s). Offsets may go back: the cursor counts
// back from its last offset, or from the start of the line if that is
// nearer.
type columnCursor struct {
	m         mapper
	c         content
	line, off int // the last offset seen and its line
	col       int // its column
	valid     bool
}

func (m mapper) cursor(c content) *columnCursor { return &columnCursor{m: m, c: c} }

// lineSpans is columnCursor.lineSpans for one range.
func (m mapper) lineSpans(c content, start, end int, out []lineSpan) []lineSpan {
	return m.cursor(c).lineSpans(start, end, out)
}

// position returns the LSP position of byte offset off.
func (k *columnCursor) position(off int) protocol.Position {
	off = max(0, min(off, len(k.c.src)))
	src := k.c.src
	line := k.line
	if !k.valid || off < k.c.lines.LineStart(line) || (line+1 < k.c.lines.Count() && off >= k.c.lines.LineStart(line+1)) {
		line = k.c.lines.Line(off)
	}
	start := k.c.lineStart(line)
	// A character's start is where counting from the line start passes, so
	// its column is the remembered one plus or minus the units between.
	atChar := off >= start && (off == len(src) || utf8.RuneStart(src[off]))
	units := func(b []byte) int {
		if k.m.utf8() {
			return len(b)
		}
		return token.UTF16Len(b)
	}
	var col int
	switch {
	case k.valid && line == k.line && off >= k.off:
		col = k.col + units(src[k.off:off])
	case k.valid && line == k.line && atChar && k.off-off < off-start:
		col = k.col - units(src[off:k.off]) // back a little: count back
	case off > start:
		col = units(src[start:off])
	}
	// An offset inside a character is counted as mapper.position counts it
	// (its bytes as invalid ones), which is not the column the rest of the
	// character reaches: remember only offsets at a character's start.
	if atChar {
		k.line, k.off, k.col, k.valid = line, off, col, true
	}
	return protocol.Position{Line: uint32(line), Character: uint32(col)}
}

// rangeOf returns the LSP range of the bytes [start, end).
func (k *columnCursor) rangeOf(start, end int) protocol.Range {
	if end < start {
		end = start
	}
	s := k.position(start)
	return protocol.Range{Start: s, End: k.position(end)}
}

// lineSpans splits the bytes [start, end) at line breaks (which belong to no
// span) and returns the non-empty part on each line, in order. Semantic
// tokens need this: most clients take no token that spans lines.
func (k *columnCursor) lineSpans(start, end int, out []lineSpan) []lineSpan {
	c := k.c
	start, end = max(0, start), min(end, len(c.src))
	for line := c.lines.Line(start); start < end; line++ {
		lineEnd := c.lines.LineEnd(line)
		from := max(start, c.lineStart(line))
		to := min(end, lineEnd)
		if from < to {
			pos := k.position(from)
			n := k.position(to).Character - pos.Character
			out = append(out, lineSpan{pos: pos, length: n})
		}
		if line+1 >= c.lines.Count() {
			break
		}
		start = c.lines.LineStart(line + 1)
	}
	return out
}
