package server

import (
	"context"
	"fmt"

	"go.lsp.dev/protocol"

	"github.com/pqls/pqls/ide"
	"github.com/pqls/pqls/model"
)

// completionTriggers are the characters after which clients ask for
// completions unprompted: the dot inside library names (Table.) and the #
// of #-keywords and quoted identifiers.
var completionTriggers = []string{".", "#"}

var completionKinds = map[ide.CompletionKind]protocol.CompletionItemKind{
	ide.CompleteVariable:  protocol.CompletionItemKindVariable,
	ide.CompleteFunction:  protocol.CompletionItemKindFunction,
	ide.CompleteParameter: protocol.CompletionItemKindVariable,
	ide.CompleteField:     protocol.CompletionItemKindField,
	ide.CompleteKeyword:   protocol.CompletionItemKindKeyword,
	ide.CompleteLibrary:   protocol.CompletionItemKindFunction,
}

// completion answers textDocument/completion: the names in scope at the
// cursor (bindings, parameters, fields, section members), the standard
// library and the keywords that start with what is typed. Each item
// replaces the whole (dotted) name typed so far, so that completing
// Table.Ad to Table.AddColumn leaves no Table.Table.Ad. The server filters,
// and a longer prefix only narrows the list, so the list is complete.
func (s *server) completion(ctx context.Context, p *protocol.CompletionParams) (protocol.CompletionResult, error) {
	r, err := s.ideRequestFor(p.TextDocument.URI, &p.Position)
	if err != nil {
		return nil, err
	}
	var (
		cands []ide.Completion
		start int
	)
	r.with(func(prog *model.Program, f *model.File) {
		cands = ide.Complete(prog, f, r.off)
		start, _ = ide.Prefix(f.AST.Src, r.off)
	})
	markdown := s.clientCaps().completionMarkdown
	rng := r.rangeIn(start, r.off)
	items := make([]protocol.CompletionItem, 0, len(cands))
	for i, c := range cands {
		it := protocol.CompletionItem{
			Label:    c.Label,
			Kind:     completionKinds[c.Kind],
			SortText: protocol.NewOptional(fmt.Sprintf("%05d", i)), // innermost scopes first, as ide orders them
			TextEdit: &protocol.TextEdit{Range: rng, NewText: c.Label},
		}
		if c.Detail != "" {
			it.Detail = protocol.NewOptional(c.Detail)
		}
		if c.URL != "" {
			if markdown {
				it.Documentation = &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: fmt.Sprintf("Standard library — [reference](%s)", c.URL)}
			} else {
				it.Documentation = protocol.String("Standard library — " + c.URL)
			}
		}
		items = append(items, it)
	}
	return &protocol.CompletionList{IsIncomplete: false, Items: items}, nil
}
