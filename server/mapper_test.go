package server

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"go.lsp.dev/protocol"

	"github.com/pqls/pqls/grammar/token"
)

var pieces = []string{"a", "b", " ", "\t", "\n", "\r", "\r\n", "é", "€", "😀", "𝄞", "\u2028", "\u0085", "\ufeff", "let", "\"", "x\r\ny"}

func randomText(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

// lineStarts lists the offset at which each line of l begins.
func lineStarts(l *token.Lines) []int {
	out := make([]int, l.Count())
	for i := range out {
		out[i] = l.LineStart(i)
	}
	return out
}

// The server's line tables are token.Lines for LSP (NewBufferLines for
// open documents): an edit updates the table as building it afresh would.
func TestLineTableEdit(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 20000 {
		old := []byte(randomText(r, r.IntN(30)))
		start := r.IntN(len(old) + 1)
		end := start + r.IntN(len(old)-start+1)
		ins := []byte(randomText(r, r.IntN(4)))
		src := append(append(append([]byte{}, old[:start]...), ins...), old[end:]...)
		got := lineStarts(token.NewBufferLines(old).Edit(src, start, end, start+len(ins)))
		want := lineStarts(token.NewBufferLines(src))
		if !slices.Equal(got, want) {
			t.Fatalf("iteration %d: edit %q [%d,%d) → %q in %q:\n got %v\nwant %v", i, old[start:end], start, end, ins, old, got, want)
		}
	}
}

func TestLineTableBreaks(t *testing.T) {
	for _, tc := range []struct {
		text   string
		starts []int
	}{
		{"", []int{0}},
		{"a", []int{0}},
		{"a\n", []int{0, 2}},
		{"a\r\nb", []int{0, 3}},
		{"a\rb\n\rc", []int{0, 2, 4, 5}},
		{"a\u2028b\u0085c\u2029", []int{0}}, // M breaks lines here, LSP does not
	} {
		if got := lineStarts(token.NewBufferLines([]byte(tc.text))); !slices.Equal(got, tc.starts) {
			t.Errorf("%q: starts %v, want %v", tc.text, got, tc.starts)
		}
	}
}

// Every character boundary maps to a position and back, in both encodings,
// and agrees with the test's own, independent conversion.
func TestMapperRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 2000 {
		text := randomText(r, r.IntN(40))
		for _, enc := range []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF8, protocol.PositionEncodingKindUTF16} {
			m := mapper{enc: enc}
			c := newContent([]byte(text), true)
			for off := 0; off <= len(text); off++ {
				if off < len(text) && !utf8.RuneStart(text[off]) {
					continue
				}
				if off > 0 && off < len(text) && text[off-1] == '\r' && text[off] == '\n' {
					continue // inside a line break: not a position
				}
				p := m.position(c, off)
				if want := refPosition(text, off, m.utf8()); p != want {
					t.Fatalf("%d %s %q: position(%d) = %v, want %v", i, enc, text, off, p, want)
				}
				back, err := m.offset(c, p)
				if err != nil || back != off {
					t.Fatalf("%d %s %q: offset(%v) = %d, %v; want %d", i, enc, text, p, back, err, off)
				}
			}
		}
	}
}

func TestMapperCases(t *testing.T) {
	u8, u16 := mapper{enc: protocol.PositionEncodingKindUTF8}, mapper{enc: protocol.PositionEncodingKindUTF16}
	pos := func(l, c uint32) protocol.Position { return protocol.Position{Line: l, Character: c} }
	text := "a😀b\r\n\tx€\u2028y\n"
	c := newContent([]byte(text), true)
	for _, tc := range []struct {
		m    mapper
		p    protocol.Position
		want int
		err  bool
	}{
		{u16, pos(0, 1), 1, false},
		{u16, pos(0, 2), 1, false}, // inside the surrogate pair: its start
		{u16, pos(0, 3), 5, false},
		{u8, pos(0, 5), 5, false},
		{u8, pos(0, 3), 1, false}, // inside the UTF-8 sequence: its start
		{u16, pos(0, 4), 6, false},
		{u16, pos(0, 5), 6, false},                        // past the line end: clamped before \r\n
		{u16, pos(0, 99), 6, false},                       // the same
		{u16, pos(1, 1), 9, false},                        // after the tab
		{u16, pos(1, 4), len("a😀b\r\n\tx€\u2028"), false}, // U+2028 is one column, not a break
		{u8, pos(1, 8), len("a😀b\r\n\tx€\u2028"), false},
		{u16, pos(2, 0), len(text), false}, // the empty last line
		{u16, pos(3, 0), len(text), false}, // one past the last line, column 0: the end
		{u16, pos(3, 1), len(text), true},
		{u16, pos(4, 0), len(text), true},
	} {
		got, err := tc.m.offset(c, tc.p)
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("%s offset(%v) = %d, %v; want %d, error %v", tc.m.enc, tc.p, got, err, tc.want, tc.err)
		}
	}
	if _, _, err := u16.offsets(c, protocol.Range{Start: pos(1, 0), End: pos(0, 0)}); err == nil {
		t.Error("reversed range accepted")
	}
}

func TestMapperBOM(t *testing.T) {
	text := "\ufeffab\ncd"
	u16 := mapper{enc: protocol.PositionEncodingKindUTF16}
	u8 := mapper{enc: protocol.PositionEncodingKindUTF8}
	// In a buffer the client sent, the BOM is a character (U+FEFF).
	lit := newContent([]byte(text), true)
	if p := u16.position(lit, 4); p.Character != 2 {
		t.Errorf("literal BOM: position of b = %v, want column 2", p)
	}
	if p := u8.position(lit, 4); p.Character != 4 {
		t.Errorf("literal BOM, UTF-8: position of b = %v, want column 4", p)
	}
	if off, _ := u16.offset(lit, protocol.Position{Character: 1}); off != 3 {
		t.Errorf("literal BOM: offset of 0:1 = %d, want 3", off)
	}
	// In a file read from disk, editors strip it: no column.
	disk := newContent([]byte(text), false)
	if p := u16.position(disk, 4); p.Character != 1 {
		t.Errorf("file BOM: position of b = %v, want column 1", p)
	}
	if off, _ := u16.offset(disk, protocol.Position{}); off != 3 {
		t.Errorf("file BOM: offset of 0:0 = %d, want 3", off)
	}
	if p := u16.position(disk, 0); p.Character != 0 {
		t.Errorf("file BOM: position of 0 = %v", p)
	}
}
