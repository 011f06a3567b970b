package server

import (
	"math/rand"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// The fault suite of the server (issue 13): one test per way a hostile
// document or client tried to hurt it. The grammar's share is in
// grammar/parser and grammar/token.

// The column cursor counts on from its last answer; whatever order the
// offsets come in, its answers are mapper.position's.
func TestColumnCursorMatchesPosition(t *testing.T) {
	rng := rand.New(rand.NewSource(13))
	texts := []string{
		"\uFEFFab😀c\r\nd\xffé\u2028x\ry\n",
		strings.Repeat("aé😀\x80\r\n", 40),
		"",
	}
	for _, enc := range []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF16, protocol.PositionEncodingKindUTF8} {
		m := mapper{enc: enc}
		for _, text := range texts {
			for _, literal := range []bool{false, true} {
				c := newContent([]byte(text), literal)
				var offs []int
				for i := 0; i <= len(text); i++ {
					offs = append(offs, i)
				}
				for range len(text) {
					offs = append(offs, rng.Intn(len(text)+1))
				}
				cur := m.cursor(c)
				for _, off := range offs {
					if got, want := cur.position(off), m.position(c, off); got != want {
						t.Fatalf("%s %q: cursor position(%d) = %v, want %v", enc, text, off, got, want)
					}
				}
			}
		}
	}
}
