package token

import (
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLinesPositions(t *testing.T) {
	type pt struct {
		off         int
		line, u8c   int
		u16c        int
		noRoundTrip bool // inside a BOM or a line break
	}
	cases := []struct {
		name   string
		src    string
		starts []int
		pts    []pt
	}{
		{"empty", "", []int{0}, []pt{{0, 0, 0, 0, false}}},
		{"lf", "ab\ncd", []int{0, 3}, []pt{{0, 0, 0, 0, false}, {2, 0, 2, 2, false}, {3, 1, 0, 0, false}, {5, 1, 2, 2, false}}},
		{"crlf", "ab\r\ncd\r\n", []int{0, 4, 8}, []pt{{2, 0, 2, 2, false}, {3, 0, 3, 3, true}, {4, 1, 0, 0, false}, {8, 2, 0, 0, false}}},
		{"lone cr", "a\rb", []int{0, 2}, []pt{{2, 1, 0, 0, false}}},
		{"nel ls ps", "a\u0085b\u2028c\u2029d", []int{0, 3, 7, 11}, []pt{{3, 1, 0, 0, false}, {7, 2, 0, 0, false}, {11, 3, 0, 0, false}}},
		{"bom", "\ufeffab\ncd", []int{0, 6}, []pt{{3, 0, 0, 0, false}, {4, 0, 1, 1, false}, {6, 1, 0, 0, false}, {0, 0, 0, 0, true}}},
		{"bom crlf", "\ufeffa\r\nbc", []int{0, 6}, []pt{{3, 0, 0, 0, false}, {4, 0, 1, 1, false}, {7, 1, 1, 1, false}}},
		{"tabs", "\t\tx", []int{0}, []pt{{2, 0, 2, 2, false}}},
		{"two-byte", "é=1", []int{0}, []pt{{2, 0, 2, 1, false}, {3, 0, 3, 2, false}}},
		{"three-byte", "€x", []int{0}, []pt{{3, 0, 3, 1, false}}},
		{"astral", "a😀b\n😀", []int{0, 7}, []pt{{1, 0, 1, 1, false}, {5, 0, 5, 3, false}, {6, 0, 6, 4, false}, {11, 1, 4, 2, false}}},
		{"invalid utf8", "\xff\xfex", []int{0}, []pt{{2, 0, 2, 2, false}}},
		{"trailing break", "a\n", []int{0, 2}, []pt{{2, 1, 0, 0, false}}},
	}
	for _, tc := range cases {
		l := NewLines([]byte(tc.src))
		var starts []int
		for i := 0; i < l.Count(); i++ {
			starts = append(starts, l.starts[i])
		}
		if !reflect.DeepEqual(starts, tc.starts) {
			t.Errorf("%s: line starts %v, want %v", tc.name, starts, tc.starts)
		}
		for _, p := range tc.pts {
			if got := l.UTF8(p.off); got != (Position{p.line, p.u8c}) {
				t.Errorf("%s: UTF8(%d) = %v, want %d:%d", tc.name, p.off, got, p.line, p.u8c)
			}
			if got := l.UTF16(p.off); got != (Position{p.line, p.u16c}) {
				t.Errorf("%s: UTF16(%d) = %v, want %d:%d", tc.name, p.off, got, p.line, p.u16c)
			}
			if p.noRoundTrip {
				continue
			}
			if off, ok := l.OffsetUTF8(Position{p.line, p.u8c}); !ok || off != p.off {
				t.Errorf("%s: OffsetUTF8(%d:%d) = %d, %v, want %d", tc.name, p.line, p.u8c, off, ok, p.off)
			}
			if off, ok := l.OffsetUTF16(Position{p.line, p.u16c}); !ok || off != p.off {
				t.Errorf("%s: OffsetUTF16(%d:%d) = %d, %v, want %d", tc.name, p.line, p.u16c, off, ok, p.off)
			}
		}
	}
}

func TestLinesOutOfRange(t *testing.T) {
	l := NewLines([]byte("ab\ncd😀"))
	checks := []struct {
		p     Position
		off16 int
		ok16  bool
		off8  int
		ok8   bool
	}{
		{Position{0, 2}, 2, true, 2, true},
		{Position{0, 3}, 2, false, 2, false}, // past the end of line 0
		{Position{1, 3}, 5, true, 6, true},   // the middle of the surrogate pair maps to its start
		{Position{1, 4}, 9, true, 7, true},
		{Position{1, 5}, 9, false, 8, true},
		{Position{2, 0}, 9, false, 9, false},
		{Position{-1, 0}, 0, false, 0, false},
		{Position{0, -1}, 0, false, 0, false},
	}
	for _, c := range checks {
		if off, ok := l.OffsetUTF16(c.p); off != c.off16 || ok != c.ok16 {
			t.Errorf("OffsetUTF16(%v) = %d, %v, want %d, %v", c.p, off, ok, c.off16, c.ok16)
		}
		if off, ok := l.OffsetUTF8(c.p); off != c.off8 || ok != c.ok8 {
			t.Errorf("OffsetUTF8(%v) = %d, %v, want %d, %v", c.p, off, ok, c.off8, c.ok8)
		}
	}
	if got := l.UTF16(-5); got != (Position{0, 0}) {
		t.Errorf("UTF16(-5) = %v", got)
	}
	if got := l.UTF16(100); got != (Position{1, 4}) {
		t.Errorf("UTF16(100) = %v, want 1:4", got)
	}
}

var pieces = []string{"a", "bc", "\n", "\r", "\r\n", "\u0085", "\u2028", "\u2029", "é", "😀", "\t", "\ufeff", "\xc2", "\xe2\x80", " "}

func randText(rng *rand.Rand, n int) []byte {
	var b []byte
	for i := 0; i < n; i++ {
		b = append(b, pieces[rng.Intn(len(pieces))]...)
	}
	return b
}

// TestLinesEdit checks that Edit gives the same table as NewLines of the
// edited text, for random texts full of line breaks and random edits.
func TestLinesEdit(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for i := 0; i < 20000; i++ {
		src := randText(rng, rng.Intn(30))
		start := rng.Intn(len(src) + 1)
		end := start + rng.Intn(len(src)-start+1)
		text := randText(rng, rng.Intn(4))
		checkEdit(t, src, start, end, text)
	}
}

func checkEdit(t *testing.T, src []byte, start, end int, text []byte) {
	t.Helper()
	newSrc := append(append(append([]byte{}, src[:start]...), text...), src[end:]...)
	for _, mk := range []func([]byte) *Lines{NewLines, NewLSPLines} {
		got := mk(src).Edit(newSrc, start, end, start+len(text))
		want := mk(newSrc)
		if !reflect.DeepEqual(got.starts, want.starts) || got.bom != want.bom || got.lsp != want.lsp {
			t.Fatalf("Edit (lsp %v) of %q [%d,%d) -> %q: starts %v bom %d, want %v bom %d", want.lsp, src, start, end, text, got.starts, got.bom, want.starts, want.bom)
		}
	}
}

// TestLSPLines checks the line table editors use: only CR, LF and CR LF end
// lines, so U+0085, U+2028 and U+2029 are characters of a line.
func TestLSPLines(t *testing.T) {
	src := []byte("a\u0085b\u2028c\u2029d\re\r\nf\ng")
	l := NewLSPLines(src)
	if l.Count() != 4 {
		t.Fatalf("%d lines, want 4", l.Count())
	}
	// d is at byte 11, column 6 in UTF-16 units (a NEL b LS c PS d).
	if got := l.UTF16(11); got != (Position{0, 6}) {
		t.Errorf("UTF16(11) = %v, want 0:6", got)
	}
	if off, ok := l.OffsetUTF16(Position{0, 6}); !ok || off != 11 {
		t.Errorf("OffsetUTF16(0:6) = %d, %v", off, ok)
	}
	if got := l.UTF16(13); got != (Position{1, 0}) { // e after the CR
		t.Errorf("UTF16(13) = %v, want 1:0", got)
	}
	checkLines := func(l *Lines) {
		for off := 0; off <= len(src); off++ {
			if !utf8.RuneStart(src[min(off, len(src)-1)]) && off < len(src) {
				continue
			}
			if off > 0 && off < len(src) && src[off-1] == '\r' && src[off] == '\n' {
				continue // inside a CR LF: no column names it
			}
			p := l.UTF16(off)
			if back, ok := l.OffsetUTF16(p); !ok || back != off {
				t.Errorf("round trip of %d: %v -> %d", off, p, back)
			}
		}
	}
	checkLines(l)
	checkLines(NewLines(src))
}

func FuzzLinesEdit(f *testing.F) {
	f.Add([]byte("a\r\nb"), 1, 2, []byte("\n"))
	f.Add([]byte("\ufeffx\u2028y"), 0, 1, []byte("z"))
	f.Fuzz(func(t *testing.T, src []byte, start, end int, text []byte) {
		if start < 0 || start > len(src) || end < start || end > len(src) {
			return
		}
		checkEdit(t, src, start, end, text)
		l := NewLines(src)
		for off := 0; off <= len(src); off++ {
			l.UTF16(off)
			l.UTF8(off)
		}
		_ = utf8.Valid(src)
	})
}

func TestPos(t *testing.T) {
	p := MakePos(3, 17)
	if p.Chunk() != 3 || p.Rel() != 17 || !p.IsValid() {
		t.Errorf("MakePos(3, 17) = chunk %d rel %d", p.Chunk(), p.Rel())
	}
	if q := p.Add(5); q.Chunk() != 3 || q.Rel() != 22 {
		t.Errorf("Add: chunk %d rel %d", q.Chunk(), q.Rel())
	}
	// Offsets past a chunk's size carry into the chunk numbers after it,
	// which a long region takes (see Pos).
	if q := MakePos(3, ChunkSize+5); q.Chunk() != 4 || q.Rel() != 5 || q != MakePos(4, 5) || q != MakePos(3, 0).Add(ChunkSize+5) {
		t.Errorf("MakePos(3, ChunkSize+5) = chunk %d rel %d", q.Chunk(), q.Rel())
	}
	if NoPos.Add(3) != NoPos || NoPos.IsValid() {
		t.Error("NoPos must stay NoPos")
	}
	if MakePos(0, 0) == NoPos {
		t.Error("the first byte of chunk 0 must be a valid position")
	}
}

func TestTokenTables(t *testing.T) {
	for tk := Token(0); tk < keywordEnd; tk++ {
		if tk == literalBeg || tk == literalEnd || tk == operatorBeg || tk == operatorEnd || tk == keywordBeg {
			continue
		}
		if tokens[tk] == "" {
			t.Errorf("token %d has no name", tk)
		}
	}
	for tk := keywordBeg + 1; tk < keywordEnd; tk++ {
		if Lookup(tk.String()) != tk || !tk.IsKeyword() {
			t.Errorf("keyword %s does not look up", tk)
		}
	}
	if Lookup("catch") != IDENT || Lookup("nullable") != IDENT || Lookup("optional") != IDENT {
		t.Error("contextual words must be identifiers")
	}
	// The spec's precedence, loosest first.
	order := [][]Token{{COALESCE}, {OR}, {AND}, {IS}, {AS}, {ASSIGN, NE}, {LT, LE, GT, GE}, {ADD, SUB, AND_TEXT}, {MUL, QUO}, {META}}
	prev := 0
	for _, level := range order {
		p := level[0].Precedence()
		if p <= prev {
			t.Errorf("%s binds no tighter than the level before", level[0])
		}
		for _, tk := range level {
			if tk.Precedence() != p {
				t.Errorf("%s and %s should bind alike", tk, level[0])
			}
		}
		prev = p
	}
	if COMMA.Precedence() != 0 || NOT.Precedence() != 0 {
		t.Error("non-binary tokens have precedence 0")
	}
}

// UTF16 remembers its last answer to count on from it; the answers must be
// those of a fresh table whatever order the offsets come in, including
// offsets inside a character, before a byte order mark and across lines.
func TestUTF16Memo(t *testing.T) {
	rng := rand.New(rand.NewSource(13))
	texts := [][]byte{
		[]byte("\xEF\xBB\xBFab😀c\r\nd\xffé\u2028x"),
		randText(rng, 300),
		[]byte(strings.Repeat("aé😀\x80", 50)),
	}
	for _, src := range texts {
		l := NewLSPLines(src)
		m := NewLines(src)
		offs := make([]int, 0, 3*len(src))
		for i := 0; i <= len(src); i++ {
			offs = append(offs, i) // ascending: the memo's case
		}
		for range len(src) {
			offs = append(offs, rng.Intn(len(src)+1)) // any order
		}
		for _, off := range offs {
			if got, want := l.UTF16(off), NewLSPLines(src).UTF16(off); got != want {
				t.Fatalf("%q: LSP UTF16(%d) = %v, want %v", src, off, got, want)
			}
			if got, want := m.UTF16(off), NewLines(src).UTF16(off); got != want {
				t.Fatalf("%q: UTF16(%d) = %v, want %v", src, off, got, want)
			}
		}
	}
}

// BenchmarkUTF16OneLine converts the offset of every 8th byte of a 1 MB
// line, in order, as a report of many findings on a minified file does.
func BenchmarkUTF16OneLine(b *testing.B) {
	src := []byte(strings.Repeat("abc é😀 ", 1<<20/12))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		l := NewLSPLines(src)
		for off := 0; off < len(src); off += 8 {
			l.UTF16(off)
		}
	}
}

// LineEnd stops before the whole break, the CR of a CR LF included, so a
// column past the end of a line clamps before the break.
func TestLineEnd(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines *Lines
		ends  []int
	}{
		{"M, CR LF", NewLines([]byte("ab\r\ncd\ne")), []int{2, 6, 8}},
		{"LSP, CR LF and CR", NewLSPLines([]byte("ab\r\nc\rd\r\n")), []int{2, 5, 7, 9}},
		{"M, U+2028", NewLines([]byte("x\u2028y")), []int{1, 5}},
		{"LSP, U+2028 is no break", NewLSPLines([]byte("x\u2028y\r\n")), []int{5, 7}},
	} {
		for line, want := range tc.ends {
			if got := tc.lines.LineEnd(line); got != want {
				t.Errorf("%s: LineEnd(%d) = %d, want %d", tc.name, line, got, want)
			}
		}
	}
	if off, ok := NewLSPLines([]byte("ab\r\ncd")).OffsetUTF16(Position{0, 99}); ok || off != 2 {
		t.Errorf("OffsetUTF16(0:99) = %d, %v; want 2 (before the CR LF), false", off, ok)
	}
}

// A buffer's table counts a leading BOM as the character the client holds;
// a file's table skips it, as editors do on load. Edit keeps the kind.
func TestBufferLinesBOM(t *testing.T) {
	src := []byte("\ufeffa\nb")
	buf, file := NewBufferLines(src), NewLSPLines(src)
	if got := buf.UTF16(3); got != (Position{0, 1}) {
		t.Errorf("buffer: UTF16(3) = %v, want 0:1", got)
	}
	if got := file.UTF16(3); got != (Position{0, 0}) {
		t.Errorf("file: UTF16(3) = %v, want 0:0", got)
	}
	edited := append([]byte("\ufeffxa\nb")[:0:0], []byte("\ufeffxa\nb")...)
	if got := buf.Edit(edited, 3, 3, 4).LineStart(0); got != 0 {
		t.Errorf("edited buffer table: LineStart(0) = %d, want 0", got)
	}
	if got := file.Edit(edited, 3, 3, 4).LineStart(0); got != 3 {
		t.Errorf("edited file table: LineStart(0) = %d, want 3", got)
	}
	if got := UTF16Len([]byte("a😀\xff")); got != 4 {
		t.Errorf("UTF16Len = %d, want 4 (1 + a surrogate pair + 1 for the invalid byte)", got)
	}
}
