package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/pqls/pqls/grammar/token"
)

// frameSeeds are wire inputs for FuzzLSPDecode: good frames, the shapes of
// the malformed messages of errors_test.go, and broken framing.
func frameSeeds() [][]byte {
	frame := func(body string) string { return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body) }
	change := `{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///a/A.pq","version":2},"contentChanges":[{"range":{"start":{"line":1,"character":3},"end":{"line":0,"character":1}},"text":"é😀"}]}}`
	return [][]byte{
		[]byte(frame(change)),
		[]byte(frame(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///a/A.pq","version":3},"contentChanges":[{"text":"section A;"}]}}`)),
		[]byte(frame(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///a/A.pq","version":-1},"contentChanges":[{"range":{"start":{"line":-1,"character":1e40}},"text":null}]}}`)),
		[]byte(frame(`{"jsonrpc":"2.0","id":1,"method":"textDocument/semanticTokens/full","params":{"textDocument":{"uri":"file:///a/A.pq"}}}`)),
		[]byte(frame(`[{"jsonrpc":"2.0","id":1,"method":"shutdown"},{"jsonrpc":"2.0"}]`)),
		[]byte(frame(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"x"}}`)),
		[]byte(frame(`{not json`) + frame(`{"jsonrpc":"2.0","id":{},"method":1}`)),
		[]byte("Content-Length: 99999999999\r\n\r\n{}"),
		[]byte("Content-Length: 5\r\nContent-Length: 2\r\n\r\n{}"),
		[]byte("X-Junk: " + strings.Repeat("a", 9000)),
		[]byte("\r\n\r\n"),
	}
}

// FuzzLSPDecode feeds arbitrary bytes to the server's framing and decodes
// each frame as the server does: the guard's checks, the message, the
// parameters of didChange (decoded by hand) and of a typed request, and
// applies a decoded didChange to a document through the mapper. Nothing may
// panic, no frame may be larger than the limit, and an applied change must
// leave a document whose line table matches its text.
func FuzzLSPDecode(f *testing.F) {
	for _, s := range frameSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := newLSPStream(&rwc{Reader: bytes.NewReader(data)})
		s.limit = 1 << 16
		log := zap.NewNop()
		doc := newDocument(log, "file:///a/A.pq", "/a/A.pq", "powerquery", 1, []byte("section A;\r\nshared X = \"😀\";\nshared Y = X;"))
		for range 32 {
			frame, _, err := s.ReadFrame(context.Background())
			if err != nil {
				return
			}
			if int64(len(frame)) > s.limit {
				t.Fatalf("frame of %d bytes over the limit", len(frame))
			}
			if !json.Valid(frame) {
				continue
			}
			requestID(frame)
			msg, err := jsonrpc2.DecodeMessage(frame)
			if err != nil {
				continue
			}
			var params jsonrpc2.RawMessage
			switch m := msg.(type) {
			case *jsonrpc2.Call:
				params = m.Params()
			case *jsonrpc2.Notification:
				params = m.Params()
			default:
				continue
			}
			var sp protocol.SemanticTokensParams
			_ = decodeParams(params, &sp)
			_, version, changes, err := parseDidChange(params)
			if err != nil {
				continue
			}
			for _, mp := range []mapper{{enc: protocol.PositionEncodingKindUTF16}, {enc: protocol.PositionEncodingKindUTF8}} {
				d := doc
				for _, c := range changes {
					e := edit{text: []byte(c.text), whole: c.rng == nil}
					if !e.whole {
						start, end, err := mp.offsets(d.text, *c.rng)
						if err != nil && end < start {
							start, end = end, start
						}
						e.start, e.end = start, end
					}
					d = d.apply(log, e, version)
				}
				if got, want := lineStarts(d.text.lines), lineStarts(token.NewBufferLines(d.text.src)); !slices.Equal(got, want) {
					t.Fatalf("line table after changes %v, want %v", got, want)
				}
				if f := d.file(log); f != nil && !bytes.Equal(f.Src, d.text.src) {
					t.Fatal("parse of another text than the document's")
				}
			}
		}
	})
}
