package server

import (
	"context"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/pqls/pqls/ide"
	"github.com/pqls/pqls/model"
)

// documentLink answers textDocument/documentLink: the file names given to
// Extension.Contents and module loaders lead to the project's files, the
// addresses of LearnMoreUrl (and other …Url fields) to the web.
func (s *session) documentLink(ctx context.Context, p *protocol.DocumentLinkParams) ([]protocol.DocumentLink, error) {
	r, err := s.ideRequestFor(p.TextDocument.URI, nil)
	if err != nil {
		return nil, err
	}
	var links []ide.Link
	r.with(func(prog *model.Program, f *model.File) { links = ide.Links(prog, f) })
	out := make([]protocol.DocumentLink, 0, len(links))
	for _, l := range links {
		dl := protocol.DocumentLink{Range: r.rangeIn(l.Start, l.End)}
		switch {
		case l.Path != "":
			_, d, _ := r.snapshot.content(l.Path)
			target := uriOf(l.Path, d)
			dl.Target = &target
		case l.URL != "":
			target := uri.URI(l.URL)
			dl.Target = &target
		default:
			continue
		}
		out = append(out, dl)
	}
	return out, nil
}

// inlayHint answers textDocument/inlayHint: with the setting
// inlayHints.parameterNames on, the name of the parameter before each
// argument of calls in the range to functions of two parameters or more.
// Off by default: the list is empty.
func (s *session) inlayHint(ctx context.Context, p *protocol.InlayHintParams) ([]protocol.InlayHint, error) {
	r, err := s.ideRequestFor(p.TextDocument.URI, nil)
	if err != nil {
		return nil, err
	}
	out := []protocol.InlayHint{}
	if !s.featureSettings().parameterHints {
		return out, nil
	}
	start, end, err := r.m.offsets(r.doc.text, p.Range)
	if err != nil {
		return nil, invalidParams(err)
	}
	var hints []ide.InlayHint
	r.with(func(prog *model.Program, f *model.File) { hints = ide.ParameterHints(prog, f, start, end) })
	for _, h := range hints {
		out = append(out, protocol.InlayHint{
			Position:     r.m.position(r.doc.text, h.Offset),
			Label:        protocol.String(h.Label),
			Kind:         protocol.InlayHintKindParameter,
			PaddingRight: ptr(true),
		})
	}
	return out, nil
}
