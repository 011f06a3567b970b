package server

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
	"github.com/pqls/pqls/report"
)

// Diagnostics are pushed (textDocument/publishDiagnostics) unless the client
// supports pulling them (textDocument/diagnostic), in which case they are
// only pulled: a client that pulls shows pushed diagnostics as a second,
// separate set, so doing both would show every finding twice.
//
// Pushing: every change to a project resets its timer (debounce, 50 ms by
// default, diagnosticsDelay in the settings). When the timer fires, the
// project is checked on a snapshot of it (a consistent picture); one check
// runs at a time per project, and a change during a check asks for another
// after it. The results are queued only if no change came in meanwhile (the
// project's gen is unchanged), for every open document of the project with
// the version the check saw, and the queue sends them in order, replacing an
// unsent entry for the same document by the newer one. So a result is never
// published over a newer one.
//
// Checks of different projects run at once, up to GOMAXPROCS of them (the
// session's check slots), since a workspace may hold several connectors and
// each check is CPU work on its own snapshot. A check of gen N that is still
// running when gen N+1 arrives is canceled (analysis.CheckContext stops
// between analyzers): its result could never be published, and it would
// hold a slot and the project's check lock from the check that can.

// checkResult is the outcome of checking one snapshot of a project.
type checkResult struct {
	gen      uint64
	snapshot *snapshot
	proj     *project.Project
	byPath   map[string][]analysis.Diagnostic
	delay    time.Duration // the project's diagnosticsDelay
	failed   bool          // the check panicked; nothing is known

	renderOnce sync.Once
	rendered   map[string][]protocol.Diagnostic // for the project's open documents

	incr *analysis.Incremental // for the next check of the project
}

// runProject is the timer function of a project: check, then publish.
func (s *session) runProject(ps *view) {
	if s.ctx.Err() != nil {
		return
	}
	ps.mu.Lock()
	ps.due = time.Time{}
	if ps.running {
		ps.rerun = true
		ps.mu.Unlock()
		return
	}
	ps.running = true
	ps.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic while checking", zap.String("project", ps.root), zap.Any("panic", r), zap.Stack("stack"))
			ps.mu.Lock()
			ps.running, ps.rerun = false, false
			ps.mu.Unlock()
		}
	}()
	for s.ctx.Err() == nil {
		// No retry: a check canceled by a change is followed by the
		// timer that change reset, after the debounce.
		res := s.ensureResult(s.ctx, ps, false)
		if res != nil && !res.failed {
			s.publish(ps, res)
		}
		ps.mu.Lock()
		if !ps.rerun {
			ps.running = false
			ps.mu.Unlock()
			// Diagnostics out: a moment to collect garbage, unless the
			// queue is still sending them (it asks again when done).
			s.collectIfIdle()
			return
		}
		ps.rerun = false
		ps.mu.Unlock()
	}
}

// ensureResult returns the check of the project's current state, checking
// it now if need be. It returns nil when a change made the check stale and
// retry is false; with retry, it checks the newer state instead, as a
// request that needs the findings of now does, until ctx (the request's)
// ends. The check itself is not tied to ctx: a request the client cancels
// is answered at once (see cancellable) while its check runs on, to be
// cached for the next request; only a newer state or the end of the
// session cancels a check.
func (s *session) ensureResult(ctx context.Context, ps *view, retry bool) *checkResult {
	for {
		res := s.checkCurrent(ps)
		if res != nil || !retry || ctx.Err() != nil || s.ctx.Err() != nil {
			return res
		}
	}
}

// checkCurrent checks the project's current state once, or returns the
// result already there. It returns nil if the check was canceled.
func (s *session) checkCurrent(ps *view) *checkResult {
	ps.checkMu.Lock()
	defer ps.checkMu.Unlock()
	ps.mu.Lock()
	gen, r := ps.gen, ps.result
	ps.mu.Unlock()
	if r != nil && r.gen == gen {
		return r
	}
	s.idle.checkStarted()
	defer s.idle.checkEnded()
	snap := s.snapshot(ps)
	cctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	ps.mu.Lock()
	if ps.gen != snap.gen {
		ps.mu.Unlock()
		return nil // changed while the snapshot was made
	}
	ps.cancelCheck = cancel
	ps.mu.Unlock()

	res := s.analyze(cctx, snap, r)

	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.cancelCheck = nil
	if res == nil {
		return nil
	}
	if ps.result == nil || ps.result.gen < res.gen {
		ps.result = res
	}
	ps.delay = res.delay
	return res
}

// cancelStaleLocked cancels the check running on ps, whose gen was just
// bumped: its result could not be published. ps.mu is held.
func (ps *view) cancelStaleLocked() {
	if ps.cancelCheck != nil {
		ps.cancelCheck()
		ps.cancelCheck = nil
	}
}

// analyze runs the rules over a snapshot, in one of the session's check
// slots; what prev, an earlier check of the project or nil, found in the
// members an edit left alone is reused. It returns nil if ctx ended
// before the check did.
func (s *session) analyze(ctx context.Context, v *snapshot, prev *checkResult) (res *checkResult) {
	select {
	case s.checkSlots <- struct{}{}:
	case <-ctx.Done():
		s.checkCanceled(v)
		return nil
	}
	defer func() { <-s.checkSlots }()
	res = &checkResult{gen: v.gen, snapshot: v, byPath: make(map[string][]analysis.Diagnostic)}
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic in analysis", zap.String("project", v.root), zap.Any("panic", r), zap.Stack("stack"))
			res.failed = true
		}
	}()
	cfg := s.configFor(v)
	res.delay = cfg.DiagnosticsDelay
	if s.hooks != nil && s.hooks.beforeAnalyze != nil {
		s.hooks.beforeAnalyze(ctx, v.root, v.gen)
	}
	var diags []analysis.Diagnostic
	if s.hooks != nil && s.hooks.check != nil {
		res.proj = v.loadProject()
		diags = s.hooks.check(res.proj, v, cfg)
	} else {
		var prog *model.Program
		var loaded []analysis.Diagnostic
		res.proj, prog, loaded = v.model()
		var from *analysis.Incremental
		if prev != nil {
			from = prev.incr
		}
		diags, res.incr, _ = analysis.CheckIncremental(ctx, from, prog, loaded, cfg, rules.All())
	}
	if ctx.Err() != nil {
		s.checkCanceled(v)
		return nil
	}
	for _, d := range diags {
		if d.Code == analysis.SyntaxCode && !v.features.overlapping() {
			continue // Microsoft's extension reports them; see features.go
		}
		key := cleanKey(d.Path)
		res.byPath[key] = append(res.byPath[key], d)
	}
	if s.hooks != nil && s.hooks.afterAnalyze != nil {
		s.hooks.afterAnalyze(v.root, v.gen)
	}
	return res
}

// checkCanceled notes that the check of v was abandoned.
func (s *session) checkCanceled(v *snapshot) {
	s.log.Debug("stale check canceled", zap.String("project", v.root), zap.Uint64("gen", v.gen))
	if s.hooks != nil && s.hooks.checkCanceled != nil {
		s.hooks.checkCanceled(v.root, v.gen)
	}
}

// configParser checks rule IDs against the rules there are, once there are.
func configParser() config.Parser {
	all := rules.All()
	if len(all) == 0 {
		return config.Parser{}
	}
	known := make(map[string]bool, len(all))
	for _, a := range all {
		known[a.ID] = true
	}
	return config.Parser{KnownRule: func(id string) bool { return known[id] }}
}

// configFor returns the configuration of the snapshot's project: the editor's
// settings with the project's pqls.json laid over them (the file is shared
// by everyone who works on the project and by `pqls check` in CI, so it
// wins; see snapshot.config). A malformed pqls.json is shown to the user
// once and otherwise ignored.
func (s *session) configFor(v *snapshot) *config.Config {
	cfg, path, err := v.config()
	if isLoose(v.root) {
		return cfg
	}
	s.logConfigInForce(v.root, path)
	if err != nil {
		s.warnConfig(err)
	}
	return cfg
}

// logConfigInForce logs which pqls.json applies to the project at root (a
// file found in a parent folder applies too, which surprises), each time
// that changes.
func (s *session) logConfigInForce(root, path string) {
	s.mu.Lock()
	prev, seen := s.configInForce[root]
	s.configInForce[root] = path
	s.mu.Unlock()
	if seen && prev == path {
		return
	}
	if path == "" {
		s.log.Info("configuration: no pqls.json applies; defaults and editor settings", zap.String("project", root))
		return
	}
	s.log.Info("configuration: pqls.json in force", zap.String("project", root), zap.String("file", path))
}

// warnConfig tells the user about a fault in a pqls.json file, once per
// distinct fault. It is the only use of window/showMessage.
func (s *session) warnConfig(err error) {
	msg := err.Error()
	s.mu.Lock()
	seen := s.warned[msg]
	s.warned[msg] = true
	s.mu.Unlock()
	s.log.Warn("configuration file", zap.Error(err))
	if seen {
		return
	}
	var ce *config.Error
	if !errors.As(err, &ce) {
		msg = "pqls: " + msg
	}
	text := msg + " — pqls ignores this file until the mistake is fixed."
	if err := s.client.ShowMessage(s.ctx, &protocol.ShowMessageParams{Type: protocol.MessageTypeWarning, Message: text}); err != nil {
		s.log.Warn("window/showMessage failed", zap.Error(err))
	}
}

// render converts the findings in the project's open documents to LSP.
func (res *checkResult) render(m mapper) map[string][]protocol.Diagnostic {
	res.renderOnce.Do(func() {
		res.rendered = make(map[string][]protocol.Diagnostic, len(res.snapshot.docs))
		for _, d := range res.snapshot.docs {
			res.rendered[d.path] = res.diagnosticsFor(m, d.path)
		}
	})
	return res.rendered
}

// diagnosticsFor converts the findings in the file at path.
func (res *checkResult) diagnosticsFor(m mapper, path string) []protocol.Diagnostic {
	out := []protocol.Diagnostic{}
	c, _, ok := res.snapshot.content(path)
	if !ok {
		return out
	}
	cur := m.cursor(c) // findings come in source order: linear on one long line
	for _, d := range res.byPath[path] {
		out = append(out, toProtocolAt(cur, res.snapshot, d))
	}
	return out
}

// toProtocol converts one finding in the file whose text is c.
func toProtocol(m mapper, v *snapshot, c content, d analysis.Diagnostic) protocol.Diagnostic {
	return toProtocolAt(m.cursor(c), v, d)
}

// toProtocolAt converts one finding in the file of cur.
func toProtocolAt(cur *columnCursor, v *snapshot, d analysis.Diagnostic) protocol.Diagnostic {
	m := cur.m
	sev := protocol.DiagnosticSeverity(d.Severity)
	if sev < 1 || sev > 4 {
		sev = protocol.DiagnosticSeverityWarning
	}
	pd := protocol.Diagnostic{
		Range:    cur.rangeOf(d.Start, d.End),
		Severity: sev,
		Source:   protocol.NewOptional("pqls"),
		Message:  protocol.String(d.Message),
	}
	if d.Code != "" {
		pd.Code = protocol.String(d.Code)
	}
	if href := report.HelpURI(&d); href != "" {
		pd.CodeDescription = protocol.CodeDescription{Href: uri.URI(href)}
	}
	for _, r := range d.Related {
		rc, rd, ok := v.content(r.Path)
		if !ok {
			continue
		}
		pd.RelatedInformation = append(pd.RelatedInformation, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: uriOf(r.Path, rd), Range: m.rangeOf(rc, r.Start, r.End)},
			Message:  r.Message,
		})
	}
	return pd
}

// uriOf returns the URI of the file at path: the one the client uses if it
// has the file open.
func uriOf(path string, d *document) uri.URI {
	if d != nil {
		return d.uri
	}
	if isLoose(path) {
		return uri.URI(path)
	}
	return uri.File(path)
}

// publish queues the diagnostics of res for the project's open documents,
// unless the project changed since res was made.
func (s *session) publish(ps *view, res *checkResult) {
	rendered := res.render(s.mapper())
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if res.gen != ps.gen {
		return // stale: a newer check will publish
	}
	for _, d := range res.snapshot.docs {
		diags := rendered[d.path]
		sig, err := protocol.Marshal(diags)
		if err != nil {
			s.log.Error("encoding diagnostics", zap.Error(err))
			continue
		}
		key := strconv.Itoa(int(d.version)) + string(sig)
		if ps.sent[d.path] == key {
			continue // the client has these already
		}
		ps.sent[d.path] = key
		s.queue.push(&protocol.PublishDiagnosticsParams{URI: d.uri, Version: protocol.NewOptional(d.version), Diagnostics: diags})
	}
}

// clear queues empty diagnostics for a document that was closed.
func (ps *view) clear(q *publishQueue, d *document) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	delete(ps.sent, d.path)
	q.push(&protocol.PublishDiagnosticsParams{URI: d.uri, Diagnostics: []protocol.Diagnostic{}})
}

// publishQueue sends publishDiagnostics notifications in the order they were
// queued, from its own goroutine, so that no handler waits on the client.
// An entry not yet sent is replaced by a newer one for the same document.
type publishQueue struct {
	ctx    context.Context
	log    *zap.Logger
	client protocol.Client
	idle   func() // called when the queue has sent all it had

	mu      sync.Mutex
	items   []*pubItem
	pending map[uri.URI]*pubItem
	sending bool // an item taken from items is being sent
	wake    chan struct{}
	done    chan struct{}
}

type pubItem struct {
	p *protocol.PublishDiagnosticsParams
}

func newPublishQueue(ctx context.Context, log *zap.Logger, client protocol.Client, idle func()) *publishQueue {
	q := &publishQueue{
		ctx:     ctx,
		log:     log,
		client:  client,
		idle:    idle,
		pending: make(map[uri.URI]*pubItem),
		wake:    make(chan struct{}, 1),
		done:    make(chan struct{}),
	}
	go q.run()
	return q
}

func (q *publishQueue) push(p *protocol.PublishDiagnosticsParams) {
	q.mu.Lock()
	if it := q.pending[p.URI]; it != nil {
		it.p = p
	} else {
		it := &pubItem{p: p}
		q.items = append(q.items, it)
		q.pending[p.URI] = it
	}
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// busy reports whether the queue has diagnostics to send or is sending.
func (q *publishQueue) busy() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.sending || len(q.items) > 0
}

func (q *publishQueue) run() {
	defer close(q.done)
	for {
		q.mu.Lock()
		if len(q.items) == 0 {
			wasSending := q.sending
			q.sending = false
			q.mu.Unlock()
			if wasSending && q.idle != nil {
				q.idle()
			}
			select {
			case <-q.wake:
				continue
			case <-q.ctx.Done():
				return
			}
		}
		it := q.items[0]
		q.items[0] = nil
		q.items = q.items[1:]
		if q.pending[it.p.URI] == it {
			delete(q.pending, it.p.URI)
		}
		p := it.p
		q.sending = true
		q.mu.Unlock()
		if err := q.client.PublishDiagnostics(q.ctx, p); err != nil {
			if q.ctx.Err() != nil {
				return
			}
			q.log.Warn("publishDiagnostics failed", zap.Error(err))
		}
	}
}

// close waits for the sender to stop; the session's context must be done.
// A client that stopped reading may hold the sender in a write for good.
func (q *publishQueue) close() {
	select {
	case <-q.done:
	case <-time.After(time.Second):
	}
}

// documentDiagnostic answers textDocument/diagnostic.
func (s *session) documentDiagnostic(ctx context.Context, p *protocol.DocumentDiagnosticParams) (protocol.DocumentDiagnosticReport, error) {
	_, key, err := docKey(p.TextDocument.URI)
	if err != nil {
		return nil, invalidParams(err)
	}
	d, ps := s.openDocument(key)
	if d == nil || ps == nil {
		return &protocol.RelatedFullDocumentDiagnosticReport{FullDocumentDiagnosticReport: protocol.FullDocumentDiagnosticReport{
			Kind: "full", Items: []protocol.Diagnostic{},
		}}, nil
	}
	res := s.ensureResult(ctx, ps, true)
	if res == nil {
		return nil, ctx.Err()
	}
	// The client pulls right after a change: once answered, the session
	// is idle until the next (the reply's encoding may overlap the start
	// of a collection; it is small next to a check).
	defer s.collectIfIdle()
	rid := strconv.FormatUint(res.gen, 10)
	if p.PreviousResultID != nil && *p.PreviousResultID == rid {
		return &protocol.RelatedUnchangedDocumentDiagnosticReport{UnchangedDocumentDiagnosticReport: protocol.UnchangedDocumentDiagnosticReport{
			Kind: "unchanged", ResultID: rid,
		}}, nil
	}
	return &protocol.RelatedFullDocumentDiagnosticReport{FullDocumentDiagnosticReport: protocol.FullDocumentDiagnosticReport{
		Kind: "full", ResultID: &rid, Items: res.diagnosticsFor(s.mapper(), key),
	}}, nil
}

// workspaceDiagnostic answers workspace/diagnostic for the projects that
// have open documents: every file of them. If nothing changed since the
// client's previous results, it waits for a change (the long poll the
// specification describes) until the request is canceled.
func (s *session) workspaceDiagnostic(ctx context.Context, p *protocol.WorkspaceDiagnosticParams) (*protocol.WorkspaceDiagnosticReport, error) {
	prev := make(map[string]string, len(p.PreviousResultIds))
	for _, r := range p.PreviousResultIds {
		if _, key, err := docKey(r.URI); err == nil {
			prev[key] = r.Value
		}
	}
	m := s.mapper()
	for {
		s.mu.Lock()
		states := make([]*view, 0, len(s.projects))
		for _, ps := range s.projects {
			states = append(states, ps)
		}
		changed := s.changed
		s.mu.Unlock()

		// The projects are checked at once, each in a check slot.
		results := make([]*checkResult, len(states))
		var wg sync.WaitGroup
		for i, ps := range states {
			wg.Go(func() { results[i] = s.ensureResult(ctx, ps, true) })
		}
		wg.Wait()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		report := &protocol.WorkspaceDiagnosticReport{Items: []protocol.WorkspaceDocumentDiagnosticReport{}}
		fresh := false
		for _, res := range results {
			if res == nil || res.failed {
				continue
			}
			rid := strconv.FormatUint(res.gen, 10)
			for _, path := range res.paths() {
				_, d, _ := res.snapshot.content(path)
				var ver *int32
				if d != nil {
					ver = ptr(d.version)
				}
				u := uriOf(path, d)
				if prev[path] == rid {
					report.Items = append(report.Items, &protocol.WorkspaceUnchangedDocumentDiagnosticReport{
						UnchangedDocumentDiagnosticReport: protocol.UnchangedDocumentDiagnosticReport{Kind: "unchanged", ResultID: rid},
						URI:                               u, Version: ver,
					})
					continue
				}
				fresh = true
				report.Items = append(report.Items, &protocol.WorkspaceFullDocumentDiagnosticReport{
					FullDocumentDiagnosticReport: protocol.FullDocumentDiagnosticReport{Kind: "full", ResultID: ptr(rid), Items: res.diagnosticsFor(m, path)},
					URI:                          u, Version: ver,
				})
			}
		}
		if fresh || len(prev) == 0 {
			s.collectIfIdle()
			return report, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// paths returns the files a result speaks for: the project's open
// documents, its M documents and resources, and any file with findings.
func (res *checkResult) paths() []string {
	seen := make(map[string]bool)
	var out []string
	add := func(p string) {
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, d := range res.snapshot.docs {
		add(d.path)
	}
	if res.proj != nil {
		for _, p := range res.proj.Documents() {
			add(cleanKey(p))
		}
		add(cleanKey(res.proj.Resx))
	}
	for p := range res.byPath {
		add(p)
	}
	return out
}
