package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/pqls/pqls/ide"
	"github.com/pqls/pqls/model"
)

// semanticLegend is the legend of the server's semantic tokens: the token
// types and modifiers of package ide, in their order.
func semanticLegend() protocol.SemanticTokensLegend {
	return protocol.SemanticTokensLegend{
		TokenTypes:     append([]string(nil), ide.TokenTypeNames...),
		TokenModifiers: append([]string(nil), ide.ModifierNames...),
	}
}

// semanticTokensFull answers textDocument/semanticTokens/full: every token
// of the document classified, encoded relative to the one before in the
// negotiated position encoding. A token that spans lines (a text literal or
// a block comment) is sent as one token per line, as most clients take no
// multi-line tokens.
func (s *session) semanticTokensFull(ctx context.Context, p *protocol.SemanticTokensParams) (*protocol.SemanticTokens, error) {
	r, err := s.ideRequestFor(p.TextDocument.URI, nil)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err // canceled while the model was built
	}
	var (
		toks []ide.SemanticToken
		terr error
	)
	r.with(func(prog *model.Program, f *model.File) { toks, terr = ide.SemanticTokens(ctx, prog, f) })
	if terr != nil {
		return nil, terr
	}
	data, err := encodeTokens(ctx, r.m, r.doc.text, toks)
	if err != nil {
		return nil, err
	}
	return &protocol.SemanticTokens{Data: data}, nil
}

// encodeTokens encodes tokens, which are in source order and do not
// overlap, as the LSP's relative five-integer groups. It stops with ctx's
// error when ctx is canceled.
func encodeTokens(ctx context.Context, m mapper, c content, toks []ide.SemanticToken) ([]uint32, error) {
	data := make([]uint32, 0, 5*len(toks))
	var (
		prev    protocol.Position
		prevEnd int
		spans   []lineSpan
		cur     = m.cursor(c)
	)
	for i, t := range toks {
		if i%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if t.Start < prevEnd || t.End <= t.Start {
			continue // relative positions cannot go back
		}
		prevEnd = t.End
		spans = cur.lineSpans(t.Start, t.End, spans[:0])
		for _, sp := range spans {
			dl, dc := sp.pos.Line-prev.Line, sp.pos.Character
			if dl == 0 {
				dc -= prev.Character
			}
			data = append(data, dl, dc, sp.length, uint32(t.Type), uint32(t.Modifiers))
			prev = sp.pos
		}
	}
	return data, nil
}
