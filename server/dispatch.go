package server

import (
	"bytes"
	"context"
	"errors"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// The handler is wired by hand rather than with protocol.NewServer, whose
// defaults do not fit (lsp-stack.md §1.6, §1.9):
//
//   - protocol.Handlers releases every message for concurrent handling,
//     notifications included, so didChange notifications could be applied out
//     of order. Here notifications run inline on the read loop, in wire order;
//     requests are released with jsonrpc2.Async and run concurrently, each
//     seeing every notification that came before it. (initialize is released
//     too; a client may send nothing else until it has the answer.)
//   - protocol.ServerHandler answers undecodable parameters with a Parse
//     error (-32700) and returns the error of a notification handler, which
//     jsonrpc2 treats as fatal to the connection. Here bad parameters are
//     Invalid params (-32602) and a failed notification is logged.
//   - Nothing in the library enforces the lifecycle: requests before
//     initialize get ServerNotInitialized (-32002), requests after shutdown
//     get InvalidRequest (-32600).
//   - $/cancelRequest cancels the context of the request it names; a
//     canceled request answers RequestCancelled (-32800) at once, without
//     waiting for its work to end (see cancellable).
//   - A panic in a handler answers InternalError (jsonrpc2 would close the
//     connection).

type callFunc func(s *session, ctx context.Context, params jsonrpc2.RawMessage) (any, error)
type notifyFunc func(s *session, ctx context.Context, params jsonrpc2.RawMessage) error

// call adapts a typed request handler: it decodes the parameters, answering
// Invalid params if they do not fit P.
func call[P, R any](f func(*session, context.Context, *P) (R, error)) callFunc {
	return func(s *session, ctx context.Context, raw jsonrpc2.RawMessage) (any, error) {
		var p P
		if err := decodeParams(raw, &p); err != nil {
			return nil, err
		}
		return f(s, ctx, &p)
	}
}

func notify[P any](f func(*session, context.Context, *P) error) notifyFunc {
	return func(s *session, ctx context.Context, raw jsonrpc2.RawMessage) error {
		var p P
		if err := decodeParams(raw, &p); err != nil {
			return err
		}
		return f(s, ctx, &p)
	}
}

// decodeParams decodes request parameters with the protocol package's codec.
func decodeParams(raw jsonrpc2.RawMessage, v any) error {
	if len(bytes.TrimSpace(raw)) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return jsonrpc2.NewError(jsonrpc2.InvalidParams, "invalid params: missing")
	}
	if err := protocol.Unmarshal(raw, v); err != nil {
		return invalidParams(err)
	}
	return nil
}

func invalidParams(err error) error {
	return jsonrpc2.NewError(jsonrpc2.InvalidParams, "invalid params: "+err.Error())
}

// Requests the server answers after initialize; initialize and shutdown
// are handled apart.
var calls = map[string]callFunc{
	protocol.MethodTextDocumentCodeAction: call((*session).codeAction),
	protocol.MethodTextDocumentDiagnostic: call((*session).documentDiagnostic),
	protocol.MethodWorkspaceDiagnostic:    call((*session).workspaceDiagnostic),

	protocol.MethodTextDocumentHover:              call((*session).hover),
	protocol.MethodTextDocumentDefinition:         call((*session).definition),
	protocol.MethodTextDocumentReferences:         call((*session).references),
	protocol.MethodTextDocumentPrepareRename:      call((*session).prepareRename),
	protocol.MethodTextDocumentRename:             call((*session).rename),
	protocol.MethodTextDocumentDocumentSymbol:     call((*session).documentSymbol),
	protocol.MethodTextDocumentCompletion:         call((*session).completion),
	protocol.MethodTextDocumentSemanticTokensFull: call((*session).semanticTokensFull),
	protocol.MethodTextDocumentFormatting:         call((*session).formatting),
	protocol.MethodTextDocumentRangeFormatting:    call((*session).rangeFormatting),

	// Editing features: signature.go, folding.go, links.go,
	// workspace_symbols.go.
	protocol.MethodTextDocumentSignatureHelp:     call((*session).signatureHelp),
	protocol.MethodTextDocumentFoldingRange:      call((*session).foldingRange),
	protocol.MethodTextDocumentSelectionRange:    call((*session).selectionRange),
	protocol.MethodTextDocumentDocumentHighlight: call((*session).documentHighlight),
	protocol.MethodTextDocumentDocumentLink:      call((*session).documentLink),
	protocol.MethodTextDocumentInlayHint:         call((*session).inlayHint),
	protocol.MethodWorkspaceSymbol:               call((*session).workspaceSymbol),
}

// Notifications the server acts on; others are ignored, as the
// specification asks.
var notifications = map[string]notifyFunc{
	protocol.MethodInitialized:                        notify((*session).initialized),
	protocol.MethodTextDocumentDidOpen:                notify((*session).didOpen),
	protocol.MethodTextDocumentDidChange:              (*session).didChange, // decoded by hand, see text_sync.go
	protocol.MethodTextDocumentDidClose:               notify((*session).didClose),
	protocol.MethodTextDocumentDidSave:                notify((*session).didSave),
	protocol.MethodWorkspaceDidChangeWatchedFiles:     notify((*session).didChangeWatchedFiles),
	protocol.MethodWorkspaceDidChangeConfiguration:    (*session).didChangeConfiguration,
	protocol.MethodWorkspaceDidChangeWorkspaceFolders: notify((*session).didChangeWorkspaceFolders),
}

// handler returns the connection's handler.
func (s *session) handler() jsonrpc2.Handler {
	var (
		mu      sync.Mutex
		running = make(map[jsonrpc2.ID]*inflight)
	)
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		if req.IsCall() {
			// Registered on the read loop, before anything after the request
			// is read, so that a $/cancelRequest right behind it finds it.
			id := req.ID()
			f := &inflight{}
			mu.Lock()
			running[id] = f
			mu.Unlock()
			defer func() {
				mu.Lock()
				delete(running, id)
				mu.Unlock()
			}()
			// Let the read loop go on: later notifications may be read (and
			// $/cancelRequest seen) while this request runs. The request's
			// context may be derived from only after this: jsonrpc2 recycles
			// the context of a request that was not released, and the
			// context package may still look at it afterwards.
			jsonrpc2.Async(ctx)
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			mu.Lock()
			f.cancel = cancel
			if f.canceled {
				cancel()
			}
			mu.Unlock()
			return s.dispatch(ctx, req)
		}
		if req.Method() != protocol.MethodCancelRequest {
			return s.dispatch(ctx, req)
		}
		// A notification: runs inline, ahead of anything read after it.
		var p struct {
			ID any `json:"id"`
		}
		if err := decodeJSON(req.Params(), &p); err != nil {
			s.log.Warn("malformed $/cancelRequest", zap.Error(err))
			return nil, nil
		}
		var id jsonrpc2.ID
		switch v := p.ID.(type) {
		case float64:
			id = jsonrpc2.NewNumberID(int64(v))
		case string:
			id = jsonrpc2.NewStringID(v)
		default:
			s.log.Warn("malformed $/cancelRequest id", zap.Any("id", p.ID))
			return nil, nil
		}
		mu.Lock()
		if f := running[id]; f != nil {
			f.canceled = true
			if f.cancel != nil {
				f.cancel()
			}
		}
		mu.Unlock()
		return nil, nil
	}
}

// inflight is a request being handled, for $/cancelRequest.
type inflight struct {
	cancel   context.CancelFunc // nil until the request's context exists
	canceled bool
}

func (s *session) lifecycle() lifecycle {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	return s.state
}

func (s *session) dispatch(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	if !req.IsCall() {
		s.notification(ctx, req.Method(), req.Params())
		return nil, nil
	}
	return s.call(ctx, req)
}

func (s *session) call(ctx context.Context, req *jsonrpc2.Request) (result any, err error) {
	method := req.Method()
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic handling request", zap.String("method", method), zap.Any("panic", r), zap.Stack("stack"))
			result, err = nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "internal error handling %s: %v", method, r)
		}
	}()
	st := s.lifecycle()
	switch {
	case method == protocol.MethodInitialize:
		if st != stateNew {
			return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "initialize may be sent only once")
		}
		return s.initialize(ctx, req.Params())
	case st == stateNew:
		return nil, jsonrpc2.Errorf(jsonrpc2.ServerNotInitialized, "%s before initialize", method)
	case st == stateShutdown:
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "%s after shutdown", method)
	case method == protocol.MethodShutdown:
		return s.shutdown()
	}
	f := calls[method]
	if f == nil {
		return nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "method not found: %s", method)
	}
	if ctx.Err() != nil {
		return nil, protocol.ErrRequestCancelled
	}
	if overlappingMethods[method] && !s.featureSettings().overlapping() {
		return nil, nil // left to Microsoft's extension: see features.go
	}
	result, err = s.cancellable(ctx, method, func() (any, error) {
		if s.hooks != nil && s.hooks.beforeCall != nil {
			s.hooks.beforeCall(ctx, method)
		}
		return f(s, ctx, req.Params())
	})
	if ctx.Err() != nil && (err == nil || errors.Is(err, context.Canceled)) {
		return nil, protocol.ErrRequestCancelled
	}
	if err != nil {
		var je *jsonrpc2.Error
		if !errors.As(err, &je) {
			s.log.Error("request failed", zap.String("method", method), zap.Error(err))
		}
	}
	return result, err
}

// cancellable runs a request's work on its own goroutine and returns its
// answer, or RequestCancelled as soon as ctx is canceled, whatever the work
// is doing: part of it (a project check, a model build) does not look at
// ctx, and a client that cancels should not wait for it. The work then goes
// on alone and its answer is dropped; what it computed for the project (the
// check, the model) is cached for the next request. The handlers check ctx
// in their own loops, so abandoned work stops early where it can.
func (s *session) cancellable(ctx context.Context, method string, work func() (any, error)) (any, error) {
	type answer struct {
		result any
		err    error
	}
	done := make(chan answer, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("panic handling request", zap.String("method", method), zap.Any("panic", r), zap.Stack("stack"))
				done <- answer{nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "internal error handling %s: %v", method, r)}
			}
		}()
		result, err := work()
		done <- answer{result, err}
	}()
	select {
	case a := <-done:
		return a.result, a.err
	case <-ctx.Done():
		return nil, protocol.ErrRequestCancelled
	}
}

func (s *session) notification(ctx context.Context, method string, params jsonrpc2.RawMessage) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic handling notification", zap.String("method", method), zap.Any("panic", r), zap.Stack("stack"))
		}
	}()
	if method == protocol.MethodExit {
		s.exit()
		return
	}
	switch s.lifecycle() {
	case stateNew:
		s.log.Debug("notification before initialize dropped", zap.String("method", method))
		return
	case stateShutdown:
		s.log.Debug("notification after shutdown dropped", zap.String("method", method))
		return
	}
	f := notifications[method]
	if f == nil {
		s.log.Debug("notification ignored", zap.String("method", method))
		return
	}
	if err := f(s, ctx, params); err != nil {
		s.log.Warn("notification failed", zap.String("method", method), zap.Error(err))
	}
}

func (s *session) exit() {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	if s.exitCalled {
		return
	}
	s.exitCalled = true
	close(s.exited)
}

func (s *session) shutdown() (any, error) {
	s.stateMu.Lock()
	s.state = stateShutdown
	s.stateMu.Unlock()
	s.log.Info("shutdown")
	return nil, nil
}
