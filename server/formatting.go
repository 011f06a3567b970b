package server

import (
	"context"
	"errors"

	"github.com/aymanbagabas/go-udiff"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/format"
)

// formatting answers textDocument/formatting: the edits that bring the
// document to the canonical layout (docs/formatting.md). The indentation is
// the editor's (tabSize, insertSpaces: what the user sees in the status
// bar); the line width is the project's pqls.json format.lineWidth, which
// the editor has no option for. null for a document that is not M.
func (s *session) formatting(ctx context.Context, p *protocol.DocumentFormattingParams) ([]protocol.TextEdit, error) {
	return s.formatEdits(p.TextDocument.URI, p.Options, nil)
}

// rangeFormatting answers textDocument/rangeFormatting: the members (section
// members, top-level let bindings) that the range touches are formatted.
func (s *session) rangeFormatting(ctx context.Context, p *protocol.DocumentRangeFormattingParams) ([]protocol.TextEdit, error) {
	return s.formatEdits(p.TextDocument.URI, p.Options, &p.Range)
}

func (s *session) formatEdits(u uri.URI, fo protocol.FormattingOptions, rng *protocol.Range) ([]protocol.TextEdit, error) {
	_, key, err := docKey(u)
	if err != nil {
		return nil, invalidParams(err)
	}
	d, ps := s.openDocument(key)
	if d == nil {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid params: %s is not an open document", u)
	}
	if !isM(d.path, d.lang) {
		return nil, nil
	}
	m := s.mapper()
	var cfg config.Format
	if ps != nil {
		cfg = s.configFor(s.snapshot(ps)).Format
	}
	opt := formatOptions(cfg, fo)
	src := d.text.src
	var out []byte
	if rng == nil {
		out, err = format.Source(d.path, src, opt)
	} else {
		start, end, oerr := m.offsets(d.text, *rng)
		if oerr != nil {
			return nil, invalidParams(oerr)
		}
		out, err = format.Range(d.path, src, start, end, opt)
	}
	if err != nil {
		s.log.Error("formatting", zap.String("path", d.path), zap.Error(err))
		if errors.Is(err, format.ErrChanged) {
			return nil, jsonrpc2.NewError(jsonrpc2.InternalError, err.Error())
		}
		return nil, err
	}
	// Whole changed lines, so that no edit splits a CR LF or a character.
	// A byte order mark, kept by the formatter, stays out of the edits: most
	// editors do not show it as part of the text.
	skip := 0
	if hasBOM(src) && hasBOM(out) {
		skip = 3
	}
	edits := udiff.Lines(string(src[skip:]), string(out[skip:]))
	res := make([]protocol.TextEdit, 0, len(edits))
	for _, e := range edits {
		res = append(res, protocol.TextEdit{Range: m.rangeOf(d.text, e.Start+skip, e.End+skip), NewText: e.New})
	}
	return res, nil
}

// formatOptions makes the formatter's options from the project's format
// section and the editor's options; the editor's indentation wins.
func formatOptions(cfg config.Format, fo protocol.FormattingOptions) format.Options {
	opt := format.DefaultOptions()
	switch {
	case fo.TabSize > 0:
		opt.Tabs = !fo.InsertSpaces
		opt.IndentWidth = int(min(fo.TabSize, 16))
	case cfg.Tabs:
		opt.Tabs = true
	case cfg.IndentWidth > 0:
		opt.IndentWidth = cfg.IndentWidth
	}
	if cfg.LineWidth > 0 {
		opt.LineWidth = cfg.LineWidth
	}
	return opt
}

func hasBOM(src []byte) bool {
	return len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF
}
