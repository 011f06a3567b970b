package server

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/pqls/pqls/analysis"
)

// codeAction answers textDocument/codeAction: a quickfix action for each fix
// of each finding in the requested range (or among the diagnostics the
// client sends back), and the source.fixAll.pqls action, which applies
// every safe fix of the document that does not overlap another.
func (s *session) codeAction(ctx context.Context, p *protocol.CodeActionParams) ([]protocol.CommandOrCodeAction, error) {
	_, key, err := docKey(p.TextDocument.URI)
	if err != nil {
		return nil, invalidParams(err)
	}
	m := s.mapper()
	d, ps := s.openDocument(key)
	if d == nil || ps == nil {
		return nil, nil // not open: nothing known about it
	}
	if d.outOfStep {
		// Edits computed on a text the editor may not have would damage
		// the user's (see refuseChange).
		s.log.Debug("no code actions: the document is out of step", zap.String("path", key))
		return nil, nil
	}
	start, end, err := m.offsets(d.text, p.Range)
	if err != nil {
		return nil, invalidParams(err)
	}
	wantQuick := wants(p.Context.Only, protocol.CodeActionKindQuickFix)
	wantAll := wants(p.Context.Only, codeActionKindFixAll)
	if !wantQuick && !wantAll {
		return nil, nil
	}

	res := s.ensureResult(ctx, ps, true)
	if res == nil {
		return nil, ctx.Err()
	}
	if res.failed {
		return nil, nil
	}
	rd := res.snapshot.open[key]
	if rd == nil || rd.version != d.version {
		// The document changed after the request was sent; its positions
		// no longer hold.
		return nil, protocol.ErrContentModified
	}
	caps := s.clientCaps()
	var actions []protocol.CommandOrCodeAction
	diags := res.byPath[key]
	if wantQuick {
		for _, fd := range diags {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if len(fd.Fixes) == 0 {
				continue
			}
			pd := toProtocol(m, res.snapshot, rd.text, fd)
			if !(fd.Start <= end && start <= fd.End) && !sentBack(p.Context.Diagnostics, pd) {
				continue
			}
			for _, fix := range fd.Fixes {
				we, err := s.workspaceEdit(m, res.snapshot, key, fix.Edits, caps)
				if err != nil {
					s.log.Warn("fix dropped", zap.String("code", fd.Code), zap.String("fix", fix.Title), zap.Error(err))
					continue
				}
				a := &protocol.CodeAction{
					Title:       fix.Title,
					Kind:        ptr(protocol.CodeActionKindQuickFix),
					Diagnostics: []protocol.Diagnostic{pd},
					Edit:        we,
				}
				if fix.Preferred {
					a.IsPreferred = ptr(true)
				}
				actions = append(actions, a)
			}
		}
	}
	if wantAll {
		if a := s.fixAll(m, res, key, rd, caps); a != nil {
			actions = append(actions, a)
		}
	}
	return actions, nil
}

// wants reports whether an action of kind k passes the client's filter:
// kinds are hierarchical, so "source" asks for "source.fixAll.pqls".
func wants(only []protocol.CodeActionKind, k protocol.CodeActionKind) bool {
	if len(only) == 0 {
		return true
	}
	for _, o := range only {
		if k == o || strings.HasPrefix(string(k), string(o)+".") {
			return true
		}
	}
	return false
}

// sentBack reports whether the client listed pd in the request's context.
func sentBack(list []protocol.Diagnostic, pd protocol.Diagnostic) bool {
	for _, c := range list {
		if c.Range == pd.Range && fmt.Sprint(c.Code) == fmt.Sprint(pd.Code) && fmt.Sprint(c.Message) == fmt.Sprint(pd.Message) {
			return true
		}
	}
	return false
}

// fixAll builds the source.fixAll.pqls action of the document at key: the
// safe fixes of its findings, in document order, each whole or not at all,
// leaving out any fix that overlaps one already taken.
func (s *session) fixAll(m mapper, res *checkResult, key string, d *document, caps clientCaps) *protocol.CodeAction {
	var (
		taken analysis.EditSet // the one overlap rule of --fix and fix-all
		fixed []protocol.Diagnostic
		n     int
	)
	for _, fd := range res.byPath[key] {
		for _, fix := range fd.Fixes {
			if !fix.Safe || len(fix.Edits) == 0 {
				continue
			}
			if _, err := s.workspaceEdit(m, res.snapshot, key, fix.Edits, caps); err != nil {
				continue
			}
			if !taken.Add(fix.Edits) {
				continue
			}
			fixed = append(fixed, toProtocol(m, res.snapshot, d.text, fd))
			n++
			break // one fix per finding
		}
	}
	if n == 0 {
		return nil
	}
	we, err := s.workspaceEdit(m, res.snapshot, key, taken.Edits(), caps)
	if err != nil {
		s.log.Warn("fix-all dropped", zap.Error(err))
		return nil
	}
	title := "Fix all safe pqls problems"
	if n == 1 {
		title = "Fix the safe pqls problem"
	}
	return &protocol.CodeAction{
		Title:       fmt.Sprintf("%s (%d)", title, n),
		Kind:        ptr(codeActionKindFixAll),
		Diagnostics: fixed,
		Edit:        we,
	}
}

// workspaceEdit converts text edits, possibly in several files, to a
// WorkspaceEdit: versioned documentChanges if the client supports them
// (with the version of the open document the fix was computed on, null for
// files that are not open), else changes. The document at key comes first.
func (s *session) workspaceEdit(m mapper, v *snapshot, key string, edits []analysis.TextEdit, caps clientCaps) (*protocol.WorkspaceEdit, error) {
	byPath := make(map[string][]analysis.TextEdit)
	var paths []string
	for _, e := range edits {
		p := cleanKey(e.Path)
		if p == "" {
			p = key
		}
		if _, ok := byPath[p]; !ok {
			paths = append(paths, p)
		}
		byPath[p] = append(byPath[p], e)
	}
	slices.SortFunc(paths, func(a, b string) int {
		switch {
		case a == key:
			return -1
		case b == key:
			return 1
		}
		return strings.Compare(a, b)
	})
	we := &protocol.WorkspaceEdit{}
	for _, p := range paths {
		c, d, ok := v.content(p)
		if !ok {
			return nil, fmt.Errorf("cannot read %s", p)
		}
		es := byPath[p]
		if err := analysis.CheckEdits(len(c.src), es); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		slices.SortStableFunc(es, func(a, b analysis.TextEdit) int { return a.Start - b.Start })
		var tes []protocol.TextEdit
		for _, e := range es {
			tes = append(tes, protocol.TextEdit{Range: m.rangeOf(c, e.Start, e.End), NewText: e.NewText})
		}
		u := uriOf(p, d)
		if caps.documentChanges {
			var ver *int32
			if d != nil {
				ver = ptr(d.version)
			}
			elems := make([]protocol.TextDocumentEditElement, len(tes))
			for i := range tes {
				elems[i] = &tes[i]
			}
			we.DocumentChanges = append(we.DocumentChanges, &protocol.TextDocumentEdit{
				TextDocument: protocol.OptionalVersionedTextDocumentIdentifier{
					TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u},
					Version:                ver,
				},
				Edits: elems,
			})
		} else {
			if we.Changes == nil {
				we.Changes = make(map[uri.URI][]protocol.TextEdit)
			}
			we.Changes[u] = tes
		}
	}
	return we, nil
}
