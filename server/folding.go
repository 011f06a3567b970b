package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/pqls/pqls/ide"
	"github.com/pqls/pqls/model"
)

// foldingRange answers textDocument/foldingRange: the section, members,
// lets, records, lists, argument lists and comments that span lines, one
// range per start line (the widest), in the order of their start.
func (s *session) foldingRange(ctx context.Context, p *protocol.FoldingRangeParams) ([]protocol.FoldingRange, error) {
	r, err := s.ideRequestFor(p.TextDocument.URI, nil)
	if err != nil {
		return nil, err
	}
	var folds []ide.Fold
	r.with(func(_ *model.Program, f *model.File) { folds = ide.Folds(f) })
	out := make([]protocol.FoldingRange, 0, len(folds))
	seen := map[uint32]bool{}
	for _, fo := range folds {
		rng := r.rangeIn(fo.Start, fo.End)
		if rng.End.Line <= rng.Start.Line || seen[rng.Start.Line] {
			continue
		}
		seen[rng.Start.Line] = true
		fr := protocol.FoldingRange{StartLine: rng.Start.Line, EndLine: rng.End.Line, Kind: protocol.FoldingRangeKindRegion}
		if fo.Kind == ide.FoldComment {
			fr.Kind = protocol.FoldingRangeKindComment
		}
		out = append(out, fr)
	}
	return out, nil
}

// selectionRange answers textDocument/selectionRange: for each position,
// the chain of ranges "expand selection" steps through, from the name at
// the cursor out to the whole document.
func (s *session) selectionRange(ctx context.Context, p *protocol.SelectionRangeParams) ([]protocol.SelectionRange, error) {
	r, err := s.ideRequestFor(p.TextDocument.URI, nil)
	if err != nil {
		return nil, err
	}
	offs := make([]int, len(p.Positions))
	for i, pos := range p.Positions {
		if offs[i], err = r.m.offset(r.doc.text, pos); err != nil {
			return nil, invalidParams(err)
		}
	}
	out := make([]protocol.SelectionRange, len(offs))
	r.with(func(_ *model.Program, f *model.File) {
		for i, off := range offs {
			chain := ide.SelectionRanges(f, off)
			var parent *protocol.SelectionRange
			for j := len(chain) - 1; j >= 0; j-- {
				sr := &protocol.SelectionRange{Range: r.rangeIn(chain[j][0], chain[j][1]), Parent: parent}
				parent = sr
			}
			if parent != nil {
				out[i] = *parent
			}
		}
	})
	if r.file == nil {
		// Not M: each position selects itself.
		for i, pos := range p.Positions {
			out[i] = protocol.SelectionRange{Range: protocol.Range{Start: pos, End: pos}}
		}
	}
	return out, nil
}

// documentHighlight answers textDocument/documentHighlight: the definition
// (write) and uses (read) in this document of the name under the cursor.
func (s *session) documentHighlight(ctx context.Context, p *protocol.DocumentHighlightParams) ([]protocol.DocumentHighlight, error) {
	r, err := s.ideRequestFor(p.TextDocument.URI, &p.Position)
	if err != nil {
		return nil, err
	}
	var (
		hs   []ide.Highlight
		herr error
	)
	r.with(func(prog *model.Program, f *model.File) { hs, herr = ide.Highlights(ctx, prog, f, r.off) })
	if herr != nil {
		return nil, herr
	}
	out := make([]protocol.DocumentHighlight, 0, len(hs))
	for _, h := range hs {
		kind := protocol.DocumentHighlightKindRead
		if h.Write {
			kind = protocol.DocumentHighlightKindWrite
		}
		out = append(out, protocol.DocumentHighlight{Range: r.rangeIn(h.Start, h.End), Kind: kind})
	}
	return out, nil
}
