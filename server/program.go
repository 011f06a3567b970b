package server

import (
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/ide"
	"github.com/pqls/pqls/model"
)

// The editor features (hover, definition, references, rename, symbols,
// completion, semantic tokens) answer from the same model the diagnostics
// check: the model of the project's snapshot at its current gen, built once
// (snapshot.model) by whichever asks first, the check or a request. The model is
// safe for concurrent readers, so a request is answered while the check of
// the same gen runs, without waiting for it.

// codeRequestFailed is the LSP error of a well-formed request that cannot
// be carried out (LSP 3.17 RequestFailed); the message says why.
const codeRequestFailed jsonrpc2.Code = -32803

// ideRequest is what an editor request works on: the document at the
// position's version, the model that holds it, and the byte offset of the
// position.
type ideRequest struct {
	m        mapper
	doc      *document
	snapshot *snapshot
	prog     *model.Program
	file     *model.File // the document's file in prog; nil if it is not M
	off      int

	// cursors convert the answer's offsets, one per file, so that many
	// positions on one long line cost the line once (see columnCursor).
	cursors map[string]*columnCursor
}

// ideRequestFor resolves the document a request names and, with pos, the
// offset it asks about. An unknown document or a position outside it is
// Invalid params.
func (s *session) ideRequestFor(u uri.URI, pos *protocol.Position) (*ideRequest, error) {
	_, key, err := docKey(u)
	if err != nil {
		return nil, invalidParams(err)
	}
	d, ps := s.openDocument(key)
	if d == nil || ps == nil {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid params: %s is not an open document", u)
	}
	r := &ideRequest{m: s.mapper(), doc: d}
	if pos != nil {
		if r.off, err = r.m.offset(d.text, *pos); err != nil {
			return nil, invalidParams(err)
		}
	}
	v := s.snapshot(ps)
	// The request's position is in the version that was current when it
	// came; a change read since then makes the model answer for another
	// text.
	if od := v.open[key]; od == nil || od.version != d.version {
		return nil, protocol.ErrContentModified
	}
	r.snapshot = v
	_, r.prog, _ = v.model()
	r.file = r.prog.ByPath[key]
	if r.file == nil && isM(d.path, d.lang) {
		// Open and M, yet not in the project its folder makes (a second
		// section document beside the main one, say): a model of the
		// project as loaded from this document, not kept.
		if p, err := v.loadProjectAt(d.path); err == nil {
			r.prog, _ = analysis.Load(p, v)
			r.file = r.prog.ByPath[key]
		}
	}
	return r, nil
}

// with runs f on the request's model. It does nothing for a document that
// is not M.
func (r *ideRequest) with(f func(prog *model.Program, file *model.File)) {
	if r.file == nil {
		return
	}
	f(r.prog, r.file)
}

// location converts an ide location to an LSP one, through the snapshot the
// model was built on.
func (r *ideRequest) location(l ide.Location) (protocol.Location, bool) {
	c, d, ok := r.snapshot.content(l.Path)
	if !ok {
		return protocol.Location{}, false
	}
	return protocol.Location{URI: uriOf(l.Path, d), Range: r.cursor(l.Path, c).rangeOf(l.Start, l.End)}, true
}

// rangeIn returns the LSP range of [start, end) in the request's document.
func (r *ideRequest) rangeIn(start, end int) protocol.Range {
	return r.cursor(r.doc.path, r.doc.text).rangeOf(start, end)
}

// cursor returns the request's column cursor of the file at path, whose
// text is c.
func (r *ideRequest) cursor(path string, c content) *columnCursor {
	if k := r.cursors[path]; k != nil && k.c.lines == c.lines {
		return k
	}
	if r.cursors == nil {
		r.cursors = make(map[string]*columnCursor)
	}
	k := r.m.cursor(c)
	r.cursors[path] = k
	return k
}
