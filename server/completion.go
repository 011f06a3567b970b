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
// of #-keywords and quoted identifiers; the [ of records whose fields the
// SDK fixes and the " of Extension.LoadString and Extension.Contents
// arguments.
var completionTriggers = []string{".", "#", "[", "\""}

var completionKinds = map[ide.CompletionKind]protocol.CompletionItemKind{
	ide.CompleteVariable:  protocol.CompletionItemKindVariable,
	ide.CompleteFunction:  protocol.CompletionItemKindFunction,
	ide.CompleteParameter: protocol.CompletionItemKindVariable,
	ide.CompleteField:     protocol.CompletionItemKindField,
	ide.CompleteKeyword:   protocol.CompletionItemKindKeyword,
	ide.CompleteLibrary:   protocol.CompletionItemKindFunction,
	ide.CompleteResource:  protocol.CompletionItemKindConstant,
	ide.CompleteFile:      protocol.CompletionItemKindFile,
}

// completion answers textDocument/completion: the names in scope at the
// cursor (bindings, parameters, fields, section members), the standard
// library and the keywords that start with what is typed. Each item
// replaces the whole (dotted) name typed so far, so that completing
// Table.Ad to Table.AddColumn leaves no Table.Table.Ad. The server filters,
// and a longer prefix only narrows the list, so the list is complete.
func (s *session) completion(ctx context.Context, p *protocol.CompletionParams) (protocol.CompletionResult, error) {
	r, err := s.ideRequestFor(p.TextDocument.URI, &p.Position)
	if err != nil {
		return nil, err
	}
	var (
		cands []ide.Completion
		start int
		cerr  error
	)
	overlapping := s.featureSettings().overlapping()
	r.with(func(prog *model.Program, f *model.File) {
		// The records and texts whose shape the SDK fixes come first: in
		// them, names in scope are no help. Microsoft's extension knows
		// none of them, so they are offered in every feature mode.
		var ok bool
		if cands, start, ok, cerr = ide.ConnectorComplete(ctx, prog, f, r.off); ok || !overlapping || cerr != nil {
			return
		}
		if bracketTrigger(p.Context) {
			return // a field access or a plain text: nothing to offer
		}
		cands, cerr = ide.Complete(ctx, prog, f, r.off)
		start, _ = ide.Prefix(f.AST.Src, r.off)
	})
	if cerr != nil {
		return nil, cerr
	}
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
		if c.Insert != "" {
			it.TextEdit = &protocol.TextEdit{Range: rng, NewText: c.Insert}
		}
		if c.Detail != "" {
			it.Detail = protocol.NewOptional(c.Detail)
		}
		switch {
		case c.URL != "":
			doc := c.Doc
			if doc != "" {
				doc += "\n\n"
			}
			if markdown {
				it.Documentation = &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: doc + fmt.Sprintf("Standard library — [reference](%s)", c.URL)}
			} else {
				it.Documentation = protocol.String(doc + "Standard library — " + c.URL)
			}
		case c.Doc != "":
			it.Documentation = protocol.String(c.Doc)
		}
		items = append(items, it)
	}
	return &protocol.CompletionList{IsIncomplete: false, Items: items}, nil
}

// bracketTrigger reports whether the request was triggered by typing [ or
// ", which only the SDK's records and texts answer.
func bracketTrigger(c protocol.CompletionContext) bool {
	if c.TriggerKind != protocol.CompletionTriggerKindTriggerCharacter || c.TriggerCharacter == nil {
		return false
	}
	return *c.TriggerCharacter == "[" || *c.TriggerCharacter == `"`
}
