package parser

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
)

// addFixtureSeeds adds every parser fixture as a seed.
func addFixtureSeeds(f *testing.F) {
	for _, pat := range []string{"testdata/*.pq", "testdata/*.pqm"} {
		names, _ := filepath.Glob(pat)
		for _, name := range names {
			src, err := os.ReadFile(name)
			if err == nil {
				f.Add(src)
			}
		}
	}
	for _, tc := range constructCases {
		f.Add([]byte(tc.src))
	}
}

// FuzzParse checks that Parse never panics and that everything it returns
// lies inside the file: node ranges, comments and errors, and that the line
// table converts offsets to positions and back.
func FuzzParse(f *testing.F) {
	addFixtureSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		file := Parse("fuzz.pq", src)
		checkFile(t, file)
	})
}

// checkFile checks the invariants every parse result keeps.
func checkFile(t *testing.T, file *ast.File) {
	t.Helper()
	n := len(file.Src)
	inFile := func(what string, start, end int) {
		t.Helper()
		if start < 0 || end < start || end > n {
			t.Fatalf("%s has range [%d,%d) outside the file of %d bytes\nsrc: %q", what, start, end, n, file.Src)
		}
	}
	if root := file.Root(); root != nil {
		rs, re := file.Span(root)
		inFile("root", rs, re)
		var stack []ast.Node
		ast.Inspect(root, func(nd ast.Node) bool {
			if nd == nil {
				stack = stack[:len(stack)-1]
				return false
			}
			s, e := file.Span(nd)
			inFile(nodeName(nd), s, e)
			if len(stack) > 0 {
				ps, pe := file.Span(stack[len(stack)-1])
				if s < ps || e > pe {
					t.Fatalf("%s [%d,%d) lies outside its parent %s [%d,%d)\nsrc: %q", nodeName(nd), s, e, nodeName(stack[len(stack)-1]), ps, pe, file.Src)
				}
			}
			stack = append(stack, nd)
			return true
		})
	}
	prev := -1
	for _, c := range file.Comments {
		s, e := file.Span(&c)
		inFile("comment", s, e)
		if s < prev {
			t.Fatalf("comments out of order at %d\nsrc: %q", s, file.Src)
		}
		prev = e
		if !bytes.Equal(file.Src[s:e], []byte(c.Text)) {
			t.Fatalf("comment text %q differs from source %q", c.Text, file.Src[s:e])
		}
	}
	prev = 0
	for _, e := range file.Errors {
		s, t2 := file.ErrorSpan(e)
		inFile("error "+e.Msg, s, t2)
		if s < prev {
			t.Fatalf("errors out of order at %d\nsrc: %q", s, file.Src)
		}
		prev = s
		if msg := file.Message(e); msg == "" || bytes.Contains([]byte(msg), []byte("%!")) {
			t.Fatalf("bad message %q", msg)
		}
	}
	if len(file.Src) <= 1<<16 {
		checkLines(t, file.Src, file.Lines) // quadratic on long lines
	}
}

func nodeName(n ast.Node) string {
	return reflectName(n)
}

// checkLines checks that every offset at a character boundary survives
// offset -> position -> offset in both column units.
func checkLines(t *testing.T, src []byte, l *token.Lines) {
	t.Helper()
	for off := 0; off <= len(src); {
		p8 := l.UTF8(off)
		if back, ok := l.OffsetUTF8(p8); (!ok || back != off) && !inBreakOrBOM(src, l, off) {
			t.Fatalf("UTF8 round trip of %d: %v -> %d (ok %v)\nsrc: %q", off, p8, back, ok, src)
		}
		p16 := l.UTF16(off)
		if back, ok := l.OffsetUTF16(p16); (!ok || back != off) && !inBreakOrBOM(src, l, off) {
			t.Fatalf("UTF16 round trip of %d: %v -> %d (ok %v)\nsrc: %q", off, p16, back, ok, src)
		}
		if off == len(src) {
			break
		}
		_, size := utf8.DecodeRune(src[off:])
		off += size
	}
}

// inBreakOrBOM reports whether off lies inside a byte order mark or a
// line break, where a column has no offset of its own (the column of the LF
// of a CR LF lies past the end of its line, which ends before the CR).
func inBreakOrBOM(src []byte, l *token.Lines, off int) bool {
	if off < 3 && len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		return true
	}
	for b := max(off-3, 0); b < off; b++ {
		if n := token.BreakLen(src, b); n > 0 && b+n > off {
			return true
		}
	}
	return false
}
