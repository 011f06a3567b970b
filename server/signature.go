package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/ide"
	"github.com/pqls/pqls/model"
)

// signatureTriggers open signature help; a comma moves to the next
// parameter.
var (
	signatureTriggers   = []string{"(", ","}
	signatureRetriggers = []string{")"}
)

// signatureHelp answers textDocument/signatureHelp: the signature of the
// function whose argument list holds the cursor — a library function, a
// section member, a let-bound function or a function loaded from a .pqm
// module — with the parameter being typed. It works in half-typed code,
// with the call or the let around it left open. null outside any call.
func (s *session) signatureHelp(ctx context.Context, p *protocol.SignatureHelpParams) (*protocol.SignatureHelp, error) {
	r, err := s.ideRequestFor(p.TextDocument.URI, &p.Position)
	if err != nil {
		return nil, err
	}
	var (
		sig ide.Signature
		ok  bool
	)
	r.with(func(prog *model.Program, f *model.File) { sig, ok = ide.SignatureHelp(prog, f, r.off) })
	if !ok {
		return nil, nil
	}
	info := protocol.SignatureInformation{Label: sig.Label, Parameters: make([]protocol.ParameterInformation, 0, len(sig.Params))}
	doc := sig.Doc
	if sig.URL != "" {
		if doc != "" {
			doc += "\n\n"
		}
		doc += "[Reference](" + sig.URL + ")"
	}
	if doc != "" {
		info.Documentation = &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: doc}
		if !s.clientCaps().hoverMarkdown {
			info.Documentation = protocol.String(doc)
		}
	}
	for _, ps := range sig.Params {
		// Label offsets count UTF-16 code units of the label.
		lbl := protocol.ParameterInformationLabelTuple{uint32(token.UTF16Len([]byte(sig.Label[:ps.Start]))), uint32(token.UTF16Len([]byte(sig.Label[:ps.End])))}
		pi := protocol.ParameterInformation{Label: lbl}
		if ps.Doc != "" {
			pi.Documentation = protocol.String(ps.Doc)
		}
		info.Parameters = append(info.Parameters, pi)
	}
	help := &protocol.SignatureHelp{Signatures: []protocol.SignatureInformation{info}, ActiveSignature: ptr(uint32(0))}
	if sig.Active < len(sig.Params) {
		help.ActiveParameter = protocol.NewNullable(uint32(sig.Active))
		info.ActiveParameter = help.ActiveParameter
		help.Signatures[0] = info
	}
	return help, nil
}
