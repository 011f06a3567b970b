package server

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
)

// oneLineConnector is a section document of about size bytes on a single
// line: a list of numbers, names and texts with non-ASCII characters, the
// shape a minified or generated file has.
func oneLineConnector(size int) string {
	var b strings.Builder
	b.Grow(size + 100)
	b.WriteString(`section S; shared A = let x = 1 in {x`)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, `, %d, x, "é😀 %d"`, i, i)
	}
	b.WriteString("};")
	return b.String()
}

// BenchmarkSemanticTokensOneLine measures textDocument/semanticTokens/full
// on a document that is one long line, through the server (the model is
// built before the timer starts). Columns are computed incrementally, so the
// time grows with the size, not its square.
func BenchmarkSemanticTokensOneLine(b *testing.B) {
	for _, size := range []int{64 << 10, 256 << 10, 1 << 20} {
		b.Run(fmt.Sprintf("%dKB", size>>10), func(b *testing.B) {
			text := oneLineConnector(size)
			dir := writeProject(b, map[string]string{"S.pq": text})
			c := startServer(b, testOptions{delay: time.Hour})
			c.initialize(capsNone, nil)
			u := fileURI(dir, "S.pq")
			c.open(u, 1, text)
			params := &protocol.SemanticTokensParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}
			ctx := ctx10(b)
			if _, err := c.server.SemanticTokensFull(ctx, params); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(text)))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := c.server.SemanticTokensFull(ctx, params); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
