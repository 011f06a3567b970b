package server

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/parser"
)

// A document is one version of an open editor buffer. It is immutable: each
// change makes a new document, so a check that runs on one version is never
// disturbed by the next (the snapshots of gopls, reduced to one file).
type document struct {
	uri     uri.URI // as the client names it
	path    string  // file path, or the URI for buffers that are not files
	lang    string  // language id
	version int32
	text    content  // the buffer's text and LSP line table
	tree    *docTree // its parse, for M documents (kept within the session's budget); nil otherwise
	project string   // root of the project it belongs to

	// outOfStep is set when a change was refused (malformed, a reversed
	// range, a version that goes back): the client's buffer and this text
	// may differ, so edits computed on this text (quick fixes, rename)
	// could damage the user's. A change of the whole text, or opening the
	// document again, puts the two back in step.
	outOfStep bool
}

// isM reports whether a document of this path and language is Power Query M.
func isM(path, lang string) bool {
	if lang == "powerquery" || lang == "pq" || lang == "m" {
		return true
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".pq", ".pqm", ".m", ".mout":
		return true
	}
	return false
}

// safeParse parses src. A parser that panics must not take the server down:
// the document then has no tree until the next edit.
func safeParse(log *zap.Logger, name string, src []byte) (f *ast.File) {
	defer func() {
		if r := recover(); r != nil {
			log.Error("parser panic", zap.String("file", name), zap.Any("panic", r), zap.Stack("stack"))
			f = nil
		}
	}()
	return parser.Parse(name, src)
}

func safeReparse(log *zap.Logger, old *ast.File, e parser.Edit) (f *ast.File) {
	defer func() {
		if r := recover(); r != nil {
			log.Error("parser panic in Reparse", zap.String("file", old.Name), zap.Any("panic", r), zap.Stack("stack"))
			f = nil
		}
	}()
	return parser.Reparse(old, e)
}

func newDocument(log *zap.Logger, u uri.URI, path, lang string, version int32, text []byte) *document {
	return newDocumentIn(nil, log, u, path, lang, version, text)
}

// newDocumentIn is newDocument with the tree kept in trees' budget.
func newDocumentIn(trees *treeCache, log *zap.Logger, u uri.URI, path, lang string, version int32, text []byte) *document {
	d := &document{uri: u, path: path, lang: lang, version: version, text: newContent(text, true)}
	if isM(path, lang) {
		d.tree = newDocTree(path, text, safeParse(log, path, text), trees)
	}
	return d
}

// file returns the document's syntax tree, parsing it again if the session
// let it go; nil for a document that is not M.
func (d *document) file(log *zap.Logger) *ast.File {
	if d.tree == nil {
		return nil
	}
	return d.tree.get(log)
}

// edit is one change to a document: the bytes [start, end) replaced by text,
// or, if whole, the whole text replaced.
type edit struct {
	start, end int
	text       []byte
	whole      bool
}

// apply returns the document that results from e, at the given version.
func (d *document) apply(log *zap.Logger, e edit, version int32) *document {
	var trees *treeCache
	if d.tree != nil {
		trees = d.tree.cache
	}
	if e.whole {
		trees.forget(d.tree)
		nd := newDocumentIn(trees, log, d.uri, d.path, d.lang, version, e.text)
		nd.project = d.project
		return nd
	}
	nd := *d
	nd.version = version
	pe := parser.Edit{Start: e.start, End: e.end, Text: e.text}
	var src []byte
	var old *ast.File
	if d.tree != nil {
		old = d.tree.peek() // nil if let go: then the new text is parsed whole
	}
	var f *ast.File
	if old != nil {
		if f = safeReparse(log, old, pe); f != nil && checkReparse(d.text.src, f.Src, pe) {
			src = f.Src
		} else {
			if f != nil {
				log.Error("Reparse returned a text that is not the edited one; parsing afresh", zap.String("file", d.path))
			}
			src = pe.Apply(d.text.src)
			f = safeParse(log, d.path, src)
		}
	} else {
		src = pe.Apply(d.text.src)
		if isM(d.path, d.lang) {
			f = safeParse(log, d.path, src)
		}
	}
	nd.tree = nil
	if isM(d.path, d.lang) {
		// The new version takes the old one's place in the budget; the old
		// tree lives on only while a snapshot still reads it.
		trees.forget(d.tree)
		nd.tree = newDocTree(d.path, src, f, trees)
	}
	nd.text = content{
		src:   src,
		lines: d.text.lines.Edit(src, e.start, e.end, e.start+len(e.text)),
	}
	return &nd
}

// checkReparse cheaply checks that got is old with e applied: the length,
// the inserted text, and the bytes on either side. The buffer is the one
// thing the server must never get wrong.
func checkReparse(old, got []byte, e parser.Edit) bool {
	if len(got) != len(old)-(e.End-e.Start)+len(e.Text) {
		return false
	}
	n := e.Start + len(e.Text)
	if !bytes.Equal(got[e.Start:n], e.Text) {
		return false
	}
	const k = 64
	return bytes.Equal(got[max(e.Start-k, 0):e.Start], old[max(e.Start-k, 0):e.Start]) &&
		bytes.Equal(got[n:min(n+k, len(got))], old[e.End:min(e.End+k, len(old))]) &&
		(e.End == len(old) || got[len(got)-1] == old[len(old)-1])
}

// parsed returns the document's syntax tree, parsing it now if it is not an
// M document by name (the analysis asked for it all the same).
func (d *document) parsed(log *zap.Logger) (*ast.File, error) {
	if f := d.file(log); f != nil {
		return f, nil
	}
	if f := safeParse(log, d.path, d.text.src); f != nil {
		return f, nil
	}
	return nil, fmt.Errorf("%s: could not be parsed", d.path)
}
