package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"runtime/debug"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"
)

// openDocument returns the open document with the given key and its
// project, or nils if it is not open.
func (s *session) openDocument(key string) (*document, *view) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.docs[key]
	if d == nil {
		return nil, nil
	}
	return d, s.projects[d.project]
}

// docKey returns the key open documents are stored under: the clean file
// path for file: URIs, the canonical URI for other buffers (untitled:…).
func docKey(u uri.URI) (uri.URI, string, error) {
	if u == "" {
		return "", "", errors.New("missing document URI")
	}
	cu, err := uri.Parse(string(u))
	if err != nil {
		return "", "", fmt.Errorf("bad document URI %q: %w", u, err)
	}
	// Decoded strings may share the buffer of the whole message (the text
	// of a big didOpen, say); a URI kept with a document must not hold on to
	// it.
	u = uri.URI(strings.Clone(string(u)))
	if p, ok := filePath(cu); ok {
		return u, strings.Clone(p), nil
	}
	return u, strings.Clone(string(cu)), nil
}

func (s *session) didOpen(ctx context.Context, p *protocol.DidOpenTextDocumentParams) error {
	u, key, err := docKey(p.TextDocument.URI)
	if err != nil {
		return err
	}
	d := newDocumentIn(s.trees, s.log, u, key, strings.Clone(string(p.TextDocument.LanguageID)), p.TextDocument.Version, []byte(p.TextDocument.Text))
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.docs[key]; old != nil {
		s.log.Warn("didOpen of an open document; replacing it", zap.String("uri", string(u)))
	}
	s.docs[key] = d
	// Its folder until its project is loaded, off the read loop.
	d.project = provisionalRoot(d)
	s.log.Debug("didOpen", zap.String("path", key), zap.Int32("version", d.version), zap.String("project", d.project))
	s.touchLocked(d.project)
	s.rerootLocked()
	return nil
}

// The wire form of didChange, decoded by hand: protocol v1.0.1 turns a
// change whose range does not decode (a negative line, a range of the wrong
// type) into a whole-document change, which would replace the buffer with
// the inserted text. Here such a change is refused instead.
type wireDidChange struct {
	TextDocument *struct {
		URI     *string `json:"uri"`
		Version *int64  `json:"version"`
	} `json:"textDocument"`
	ContentChanges *[]wireChange `json:"contentChanges"`
}

type wireChange struct {
	Range json.RawMessage `json:"range"`
	Text  *string         `json:"text"`
}

type wireRange struct {
	Start *wirePosition `json:"start"`
	End   *wirePosition `json:"end"`
}

type wirePosition struct {
	Line      *int64 `json:"line"`
	Character *int64 `json:"character"`
}

func (w *wirePosition) position() (protocol.Position, error) {
	if w == nil || w.Line == nil || w.Character == nil {
		return protocol.Position{}, errors.New("position needs line and character")
	}
	if *w.Line < 0 || *w.Line > math.MaxUint32 || *w.Character < 0 || *w.Character > math.MaxUint32 {
		return protocol.Position{}, fmt.Errorf("position %d:%d out of range", *w.Line, *w.Character)
	}
	return protocol.Position{Line: uint32(*w.Line), Character: uint32(*w.Character)}, nil
}

// decodeJSON decodes with encoding/json, which refuses numbers out of range
// and values of the wrong type.
func decodeJSON(raw []byte, v any) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		return errors.New("missing params")
	}
	return json.Unmarshal(raw, v)
}

// parseDidChange decodes and checks didChange parameters.
func parseDidChange(raw jsonrpc2.RawMessage) (u uri.URI, version int32, changes []change, err error) {
	var w wireDidChange
	if err := decodeJSON(raw, &w); err != nil {
		return "", 0, nil, err
	}
	if w.TextDocument == nil || w.TextDocument.URI == nil || w.TextDocument.Version == nil || w.ContentChanges == nil {
		return "", 0, nil, errors.New("didChange needs textDocument.uri, textDocument.version and contentChanges")
	}
	u = uri.URI(*w.TextDocument.URI)
	if v := *w.TextDocument.Version; v < math.MinInt32 || v > math.MaxInt32 {
		return u, 0, nil, fmt.Errorf("version %d out of range", v)
	}
	for i, c := range *w.ContentChanges {
		if c.Text == nil {
			return u, 0, nil, fmt.Errorf("change %d has no text", i)
		}
		ch := change{text: *c.Text}
		if t := bytes.TrimSpace(c.Range); len(t) > 0 && string(t) != "null" {
			var r wireRange
			if err := json.Unmarshal(t, &r); err != nil {
				return u, 0, nil, fmt.Errorf("change %d: range: %w", i, err)
			}
			start, err := r.Start.position()
			if err != nil {
				return u, 0, nil, fmt.Errorf("change %d: range start: %w", i, err)
			}
			end, err := r.End.position()
			if err != nil {
				return u, 0, nil, fmt.Errorf("change %d: range end: %w", i, err)
			}
			ch.rng = &protocol.Range{Start: start, End: end}
		}
		changes = append(changes, ch)
	}
	return u, int32(*w.TextDocument.Version), changes, nil
}

// change is one content change: a range and its new text, or (rng nil) the
// whole new text.
type change struct {
	rng  *protocol.Range
	text string
}

// didChange applies a change. A change that cannot be applied as sent is
// refused whole, leaving the document as it was: undecodable parameters, a
// reversed range, a version that does not go forward. The document is then
// marked out of step (see document.outOfStep) and the user told once; a
// later change of the whole text puts it back in step. A range past the end
// of the document is clamped, as editors do.
func (s *session) didChange(ctx context.Context, raw jsonrpc2.RawMessage) error {
	u, version, changes, err := parseDidChange(raw)
	if err != nil {
		if u != "" {
			s.refuseChange(u, err)
		}
		// Nothing is applied: better a buffer one change behind, which the
		// next full-text change repairs, than one with the wrong text.
		return fmt.Errorf("didChange refused: %w", err)
	}
	_, key, err := docKey(u)
	if err != nil {
		return err
	}
	s.mu.Lock()
	d := s.docs[key]
	s.mu.Unlock()
	if d == nil {
		return fmt.Errorf("didChange for %s, which is not open", u)
	}
	if version <= d.version {
		err := fmt.Errorf("version %d does not follow the document's version %d", version, d.version)
		s.refuseChange(u, err)
		return fmt.Errorf("didChange refused: %w", err)
	}
	// Only the read loop changes documents, so d stays the latest while the
	// changes are applied outside the lock.
	m := s.mapper()
	for i, c := range changes {
		e := edit{text: []byte(c.text), whole: c.rng == nil}
		if !e.whole {
			if c.rng.End.Line < c.rng.Start.Line || c.rng.End.Line == c.rng.Start.Line && c.rng.End.Character < c.rng.Start.Character {
				err := fmt.Errorf("change %d: range end %d:%d is before its start %d:%d", i,
					c.rng.End.Line, c.rng.End.Character, c.rng.Start.Line, c.rng.Start.Character)
				s.refuseChange(u, err)
				return fmt.Errorf("didChange refused: %w", err)
			}
			start, end, err := m.offsets(d.text, *c.rng)
			if err != nil {
				// Past the end of the document: clamp, as editors do.
				s.log.Warn("didChange range outside the document; clamped", zap.String("uri", string(u)),
					zap.Int("change", i), zap.Error(err))
				if end < start {
					start, end = end, start
				}
			}
			e.start, e.end = start, end
		}
		d = d.apply(s.log, e, version) // a whole text is a new document, in step
	}
	if d.version != version { // no changes at all: still a new version
		nd := *d
		nd.version = version
		d = &nd
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.docs[key] == nil {
		return nil
	}
	s.docs[key] = d
	if !isM(d.path, d.lang) {
		// A resource or project file: the project may have changed shape.
		s.rerootLocked()
	}
	s.touchLocked(d.project)
	return nil
}

// refuseChange marks the open document u out of step after a refused
// change, and tells the user the first time. The server never writes the
// user's text, so nothing is lost; what it must not do is hand out edits
// computed on a text the editor no longer has.
func (s *session) refuseChange(u uri.URI, why error) {
	_, key, err := docKey(u)
	if err != nil {
		return
	}
	s.mu.Lock()
	d := s.docs[key]
	if d == nil || d.outOfStep {
		s.mu.Unlock()
		s.log.Warn("didChange refused", zap.String("uri", string(u)), zap.Error(why))
		return
	}
	nd := *d
	nd.outOfStep = true
	s.docs[key] = &nd
	s.mu.Unlock()
	s.log.Warn("didChange refused; the document is out of step with the editor", zap.String("uri", string(u)), zap.Error(why))
	msg := fmt.Sprintf("pqls could not apply an edit to %s (%v); its copy may differ from the editor's, so quick fixes and rename are off for the file until it is closed and opened again.", d.path, why)
	s.goBackground("showMessage", func() {
		if err := s.client.ShowMessage(s.ctx, &protocol.ShowMessageParams{Type: protocol.MessageTypeWarning, Message: msg}); err != nil {
			s.log.Warn("window/showMessage failed", zap.Error(err))
		}
	})
}

// skippedMethod and skippedURI find, in the ends of a message skipped for
// its size, its method and the URI of its document. A quote inside a JSON
// string is escaped, so an unescaped "uri" is a key, not text the user typed.
var (
	skippedMethod = regexp.MustCompile(`(?:^|[^\\])"method"\s*:\s*"([^"\\]*)"`)
	skippedURI    = regexp.MustCompile(`(?:^|[^\\])"uri"\s*:\s*"((?:[^"\\]|\\.)*)"`)
)

// messageSkipped handles a message the framing skipped for its size. A
// didChange among them leaves the server's copy of the document behind the
// editor's, like a refused change: the document is marked out of step. If
// the message does not say which document, every open document is, since
// any may have been the one.
func (s *session) messageSkipped(e *errTooLarge) {
	var method string
	for _, part := range [][]byte{e.head, e.tail} {
		if m := skippedMethod.FindSubmatch(part); m != nil {
			method = string(m[1])
			break
		}
	}
	if method != "" && method != protocol.MethodTextDocumentDidChange {
		s.log.Warn("message skipped for its size", zap.String("method", method), zap.Error(e))
		return
	}
	why := fmt.Errorf("a change of %d bytes, over the %d pqls reads, was skipped", e.n, e.limit)
	for _, part := range [][]byte{e.head, e.tail} {
		if m := skippedURI.FindSubmatch(part); m != nil {
			var u string
			if json.Unmarshal(append(append([]byte{'"'}, m[1]...), '"'), &u) == nil {
				s.refuseChange(uri.URI(u), why)
				return
			}
		}
	}
	s.mu.Lock()
	open := make([]uri.URI, 0, len(s.docs))
	for _, d := range s.docs {
		open = append(open, d.uri)
	}
	s.mu.Unlock()
	for _, u := range open {
		s.refuseChange(u, why)
	}
}

// bigDocument is the size from which closing a document returns the freed
// memory to the system at once.
const bigDocument = 8 << 20

func (s *session) didClose(ctx context.Context, p *protocol.DidCloseTextDocumentParams) error {
	u, key, err := docKey(p.TextDocument.URI)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.docs[key]
	if d == nil {
		return fmt.Errorf("didClose for %s, which is not open", u)
	}
	delete(s.docs, key)
	if d.tree != nil {
		s.trees.forget(d.tree)
	}
	s.log.Debug("didClose", zap.String("path", key))
	if len(d.text.src) >= bigDocument {
		// The runtime gives freed memory back to the system slowly; after
		// a document of tens of megabytes (its text, message, tree) the
		// process would stay that large for minutes.
		s.goBackground("free memory", debug.FreeOSMemory)
	}
	ps := s.touchLocked(d.project)
	if !s.clientCaps().pull {
		ps.clear(s.queue, d)
	}
	if !isM(d.path, d.lang) {
		s.rerootLocked()
	}
	s.dropIdleProjectsLocked()
	return nil
}

func (s *session) didSave(ctx context.Context, p *protocol.DidSaveTextDocumentParams) error {
	_, key, err := docKey(p.TextDocument.URI)
	if err != nil {
		return err
	}
	s.fileChanged([]string{key})
	return nil
}
