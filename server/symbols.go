package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/pqls/pqls/ide"
	"github.com/pqls/pqls/model"
)

// documentSymbol answers textDocument/documentSymbol: the outline of the
// document (the section and its members, the let bindings and record fields
// inside them) as a tree of DocumentSymbol for clients that support it,
// else as a flat SymbolInformation list naming each entry's container.
func (s *session) documentSymbol(ctx context.Context, p *protocol.DocumentSymbolParams) (protocol.DocumentSymbolResult, error) {
	r, err := s.ideRequestFor(p.TextDocument.URI, nil)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err // canceled while the model was built
	}
	var syms []ide.Symbol
	r.with(func(_ *model.Program, f *model.File) { syms = ide.Symbols(f) })
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.clientCaps().hierarchicalSymbols {
		return protocol.DocumentSymbolSlice(r.documentSymbols(syms)), nil
	}
	out := protocol.SymbolInformationSlice{}
	r.flatSymbols(syms, "", &out)
	return out, nil
}

var symbolKinds = map[ide.SymbolKind]protocol.SymbolKind{
	ide.SymbolSection:  protocol.SymbolKindNamespace,
	ide.SymbolFunction: protocol.SymbolKindFunction,
	ide.SymbolVariable: protocol.SymbolKindVariable,
	ide.SymbolRecord:   protocol.SymbolKindStruct,
	ide.SymbolField:    protocol.SymbolKindField,
}

// symbolName is the name an outline shows: clients refuse empty names.
func symbolName(sym ide.Symbol) string {
	if sym.Name != "" {
		return sym.Name
	}
	if sym.Kind == ide.SymbolSection {
		return "section"
	}
	return "(unnamed)"
}

func (r *ideRequest) documentSymbols(syms []ide.Symbol) []protocol.DocumentSymbol {
	out := make([]protocol.DocumentSymbol, 0, len(syms))
	for _, sym := range syms {
		ds := protocol.DocumentSymbol{
			Name:           symbolName(sym),
			Kind:           symbolKinds[sym.Kind],
			Range:          r.rangeIn(sym.Start, sym.End),
			SelectionRange: r.rangeIn(sym.SelStart, sym.SelEnd),
		}
		// The selection must lie within the range (VS Code rejects the
		// outline otherwise); a section without a name has none.
		if sym.SelStart < sym.Start || sym.SelEnd > sym.End || sym.SelEnd <= sym.SelStart {
			ds.SelectionRange = r.rangeIn(sym.Start, sym.Start)
		}
		if sym.Detail != "" {
			ds.Detail = ptr(sym.Detail)
		}
		if len(sym.Children) > 0 {
			ds.Children = r.documentSymbols(sym.Children)
		}
		out = append(out, ds)
	}
	return out
}

func (r *ideRequest) flatSymbols(syms []ide.Symbol, container string, out *protocol.SymbolInformationSlice) {
	for _, sym := range syms {
		si := protocol.SymbolInformation{
			BaseSymbolInformation: protocol.BaseSymbolInformation{Name: symbolName(sym), Kind: symbolKinds[sym.Kind]},
			Location:              protocol.Location{URI: r.doc.uri, Range: r.rangeIn(sym.Start, sym.End)},
		}
		if container != "" {
			si.ContainerName = ptr(container)
		}
		*out = append(*out, si)
		r.flatSymbols(sym.Children, symbolName(sym), out)
	}
}
