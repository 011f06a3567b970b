package server

import (
	"context"
	"errors"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/ide"
	"github.com/pqls/pqls/model"
)

// hover answers textDocument/hover: Markdown about the name under the
// cursor (its definition, signature and documentation, or the library
// function's signature and reference page), with the name's range. null
// where there is nothing to say.
func (s *session) hover(ctx context.Context, p *protocol.HoverParams) (*protocol.Hover, error) {
	r, err := s.ideRequestFor(p.TextDocument.URI, &p.Position)
	if err != nil {
		return nil, err
	}
	var (
		text string
		loc  ide.Location
		ok   bool
	)
	if s.featureSettings().overlapping() {
		r.with(func(prog *model.Program, f *model.File) { text, loc, ok = ide.Hover(prog, f, r.off) })
	}
	// The findings under the cursor, explained: see findings_hover.go.
	if notes, start, end, found := s.findingNotes(r); found {
		if !ok {
			loc.Start, loc.End = start, end
		} else {
			notes = "\n\n---\n\n" + notes
		}
		text, ok = text+notes, true
	}
	if !ok {
		return nil, nil
	}
	kind := protocol.MarkupKindMarkdown
	if !s.clientCaps().hoverMarkdown {
		kind = protocol.MarkupKindPlainText
	}
	rng := r.rangeIn(loc.Start, loc.End)
	return &protocol.Hover{Contents: &protocol.MarkupContent{Kind: kind, Value: text}, Range: &rng}, nil
}

// definition answers textDocument/definition: where the name under the
// cursor is defined, in this file or another of the project (a module using
// a shared member of the section document). null for library names and
// where there is no name.
func (s *session) definition(ctx context.Context, p *protocol.DefinitionParams) (protocol.DefinitionResult, error) {
	r, err := s.ideRequestFor(p.TextDocument.URI, &p.Position)
	if err != nil {
		return nil, err
	}
	var locs []ide.Location
	r.with(func(prog *model.Program, f *model.File) { locs = ide.Definition(prog, f, r.off) })
	out := r.locations(locs)
	if len(out) == 0 {
		return nil, nil
	}
	return protocol.LocationSlice(out), nil
}

// references answers textDocument/references: every use of the name under
// the cursor across the project's files, with its definition if asked.
func (s *session) references(ctx context.Context, p *protocol.ReferenceParams) ([]protocol.Location, error) {
	r, err := s.ideRequestFor(p.TextDocument.URI, &p.Position)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err // canceled while the model was built
	}
	var (
		locs []ide.Location
		lerr error
	)
	r.with(func(prog *model.Program, f *model.File) {
		locs, lerr = ide.References(ctx, prog, f, r.off, p.Context.IncludeDeclaration)
	})
	r.withResx(func(prog *model.Program, path string) {
		locs, lerr = ide.ResxReferences(ctx, prog, path, r.off, p.Context.IncludeDeclaration)
	})
	if lerr != nil {
		return nil, lerr
	}
	return r.locations(locs), nil
}

// locations converts ide locations, leaving out any in a file that can no
// longer be read. The result is never nil.
func (r *ideRequest) locations(locs []ide.Location) []protocol.Location {
	out := make([]protocol.Location, 0, len(locs))
	for _, l := range locs {
		if pl, ok := r.location(l); ok {
			out = append(out, pl)
		}
	}
	return out
}

// prepareRename answers textDocument/prepareRename: the range of the name
// under the cursor and the name as the rename box should show it. null where
// there is no name; an error saying why for a name that cannot be renamed
// (a standard library function).
func (s *session) prepareRename(ctx context.Context, p *protocol.PrepareRenameParams) (protocol.PrepareRenameResult, error) {
	r, err := s.ideRequestFor(p.TextDocument.URI, &p.Position)
	if err != nil {
		return nil, err
	}
	var (
		loc    ide.Location
		ok     bool
		name   string
		reason string
	)
	r.withResx(func(prog *model.Program, path string) {
		var key string
		key, loc, ok = ide.ResxKeyAt(prog, path, r.off)
		name = key
	})
	r.with(func(prog *model.Program, f *model.File) {
		loc, ok = ide.PrepareRename(prog, f, r.off)
		if ok {
			name = string(f.AST.Src[loc.Start:loc.End])
			return
		}
		// Rename says why a name cannot be renamed.
		if _, err := ide.Rename(ctx, prog, f, r.off, "x"); err != nil && !errors.Is(err, ide.ErrNoName) && ctx.Err() == nil {
			reason = err.Error()
		}
	})
	if !ok {
		if reason != "" {
			return nil, jsonrpc2.NewError(codeRequestFailed, reason)
		}
		return nil, nil
	}
	if n, err := ide.CheckName(name); err == nil {
		name = n // the plain name of a quoted identifier
	}
	return &protocol.PrepareRenamePlaceholder{Range: r.rangeIn(loc.Start, loc.End), Placeholder: name}, nil
}

// rename answers textDocument/rename: the edits, across the project's
// files, that rename the name under the cursor and every reference to it.
// The edit names the version of each open document it was computed on when
// the client supports versioned documentChanges. An unusable new name is
// Invalid params with a message saying what is wrong with it.
func (s *session) rename(ctx context.Context, p *protocol.RenameParams) (*protocol.WorkspaceEdit, error) {
	r, err := s.ideRequestFor(p.TextDocument.URI, &p.Position)
	if err != nil {
		return nil, err
	}
	if _, err := ide.CheckName(p.NewName); err != nil {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, "cannot rename: "+err.Error())
	}
	if err := ctx.Err(); err != nil {
		return nil, err // canceled while the model was built
	}
	if r.doc.outOfStep {
		return nil, jsonrpc2.NewError(codeRequestFailed, "cannot rename: pqls's copy of this document may differ from the editor's after a refused change; close and reopen the file")
	}
	var (
		edits []analysis.TextEdit
		rerr  error
	)
	inResx := r.withResx(func(prog *model.Program, path string) {
		edits, rerr = ide.ResxRename(ctx, prog, path, r.off, p.NewName)
	})
	if r.file == nil && !inResx {
		return nil, jsonrpc2.NewError(codeRequestFailed, "cannot rename: there is no name to rename here")
	}
	r.with(func(prog *model.Program, f *model.File) { edits, rerr = ide.Rename(ctx, prog, f, r.off, p.NewName) })
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if rerr != nil {
		return nil, jsonrpc2.NewError(codeRequestFailed, "cannot rename: "+rerr.Error())
	}
	we, err := s.workspaceEdit(r.m, r.snapshot, r.doc.path, edits, s.clientCaps())
	if err != nil {
		s.log.Warn("rename edit", zap.Error(err))
		return nil, jsonrpc2.NewError(codeRequestFailed, "cannot rename: "+err.Error())
	}
	return we, nil
}
