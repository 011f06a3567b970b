package server

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/ide"
	"github.com/pqls/pqls/project"
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

// Every long request answers RequestCancelled as soon as it is canceled,
// even when its work is stuck somewhere that does not look at the request's
// context: the project check (diagnostics pull, code actions wait for it)
// or anything else (held here by a hook that ignores the context).
func TestCancelAnswersPromptly(t *testing.T) {
	release := make(chan struct{})
	stuck := map[string]bool{
		"textDocument/semanticTokens/full": true,
		"textDocument/references":          true,
		"textDocument/rename":              true,
		"textDocument/documentSymbol":      true,
	}
	hooks := testHooks{
		beforeCall: func(_ context.Context, method string) {
			if stuck[method] {
				<-release
			}
		},
		check: func(p *project.Project, files analysis.Files, cfg *config.Config) []analysis.Diagnostic {
			<-release
			return nil
		},
	}
	dir := writeProject(t, map[string]string{"A.pq": "section A;\nshared X = 1;\nshared Y = X + 1;\n"})
	u := string(fileURI(dir, "A.pq"))
	rc := startRaw(t, hooks)
	t.Cleanup(func() { close(release) }) // runs before the server is stopped
	rc.initialize()
	rc.send(fmt.Sprintf(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":%q,"languageId":"powerquery","version":1,"text":"section A;\nshared X = 1;\nshared Y = X + 1;\n"}}}`, u))
	td := fmt.Sprintf(`"textDocument":{"uri":%q}`, u)
	pos := `"position":{"line":2,"character":11}`
	requests := []struct{ method, params string }{
		{"textDocument/diagnostic", "{" + td + "}"},
		{"textDocument/codeAction", "{" + td + `,"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[]}}`},
		{"textDocument/semanticTokens/full", "{" + td + "}"},
		{"textDocument/references", "{" + td + "," + pos + `,"context":{"includeDeclaration":true}}`},
		{"textDocument/rename", "{" + td + "," + pos + `,"newName":"Z"}`},
		{"textDocument/documentSymbol", "{" + td + "}"},
	}
	for i, r := range requests {
		id := 100 + i
		rc.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":%q,"params":%s}`, id, r.method, r.params))
		time.Sleep(20 * time.Millisecond) // let the work start and get stuck
		start := time.Now()
		rc.send(fmt.Sprintf(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":%d}}`, id))
		code, _ := rc.response(strconv.Itoa(id))
		if code != int(protocol.CodeRequestCancelled) {
			t.Errorf("%s canceled: code %d, want %d", r.method, code, protocol.CodeRequestCancelled)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: cancel answered after %v", r.method, d)
		}
	}
}

// encodeTokens stops when its request is canceled.
func TestEncodeTokensCanceled(t *testing.T) {
	text := oneLineConnector(64 << 10)
	c := newContent([]byte(text), false)
	toks := make([]ide.SemanticToken, 0, len(text)/4)
	for off := 0; off+2 < len(text); off += 4 {
		toks = append(toks, ide.SemanticToken{Start: off, End: off + 2, Type: ide.TokNumber})
	}
	ctx, cancel := context.WithCancel(context.Background())
	if data, err := encodeTokens(ctx, mapper{}, c, toks); err != nil || len(data) == 0 {
		t.Fatalf("live context: %d numbers, error %v", len(data), err)
	}
	cancel()
	if data, err := encodeTokens(ctx, mapper{}, c, toks); !errors.Is(err, context.Canceled) || data != nil {
		t.Errorf("canceled context: %d numbers, error %v", len(data), err)
	}
}
