package server

import (
	"context"
	"encoding/json"
	"path/filepath"
	"runtime/debug"
	"slices"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"
)

// clientCaps is what the server uses of the client's capabilities.
type clientCaps struct {
	documentChanges  bool // WorkspaceEdit.documentChanges
	dynamicWatch     bool // client/registerCapability for workspace/didChangeWatchedFiles
	configuration    bool // workspace/configuration
	workspaceFolders bool
	pull             bool // textDocument/diagnostic
	pullRefresh      bool // workspace/diagnostic/refresh

	hierarchicalSymbols bool // DocumentSymbol rather than SymbolInformation
	hoverMarkdown       bool // Markdown hover contents
	completionMarkdown  bool // Markdown completion documentation
	prepareRename       bool // textDocument/prepareRename
}

// markdownOK reports whether a client that lists formats (in order of
// preference) takes Markdown; a client that lists none is assumed to.
func markdownOK(formats []protocol.MarkupKind) bool {
	return len(formats) == 0 || slices.Contains(formats, protocol.MarkupKindMarkdown)
}

func isTrue(b *bool) bool { return b != nil && *b }

func digestCaps(c protocol.ClientCapabilities) clientCaps {
	var cc clientCaps
	if w := c.Workspace; w != nil {
		cc.documentChanges = w.WorkspaceEdit != nil && isTrue(w.WorkspaceEdit.DocumentChanges)
		cc.dynamicWatch = w.DidChangeWatchedFiles != nil && isTrue(w.DidChangeWatchedFiles.DynamicRegistration)
		cc.configuration = isTrue(w.Configuration)
		cc.workspaceFolders = isTrue(w.WorkspaceFolders)
		cc.pullRefresh = w.Diagnostics != nil && isTrue(w.Diagnostics.RefreshSupport)
	}
	cc.hoverMarkdown, cc.completionMarkdown = true, true
	if t := c.TextDocument; t != nil {
		cc.pull = t.Diagnostic != nil
		cc.hierarchicalSymbols = t.DocumentSymbol != nil && isTrue(t.DocumentSymbol.HierarchicalDocumentSymbolSupport)
		cc.prepareRename = t.Rename != nil && isTrue(t.Rename.PrepareSupport)
		if t.Hover != nil {
			cc.hoverMarkdown = markdownOK(t.Hover.ContentFormat)
		}
		if t.Completion != nil && t.Completion.CompletionItem != nil {
			cc.completionMarkdown = markdownOK(t.Completion.CompletionItem.DocumentationFormat)
		}
	}
	return cc
}

// codeActionKindFixAll is the kind of the action that applies every safe fix
// of a document.
const codeActionKindFixAll protocol.CodeActionKind = "source.fixAll.pqls"

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

func (s *session) initialize(ctx context.Context, raw jsonrpc2.RawMessage) (*protocol.InitializeResult, error) {
	var p protocol.InitializeParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	var folders []string
	if wf, ok := p.WorkspaceFolders.Get(); ok {
		for _, f := range wf {
			if path, ok := filePath(f.URI); ok {
				folders = append(folders, path)
			}
		}
	} else if p.RootURI != nil && *p.RootURI != "" {
		if path, ok := filePath(*p.RootURI); ok {
			folders = append(folders, path)
		}
	} else if rp, ok := p.RootPath.Get(); ok && rp != "" {
		folders = append(folders, filepath.Clean(rp))
	}

	var offered []protocol.PositionEncodingKind
	if p.Capabilities.General != nil {
		offered = p.Capabilities.General.PositionEncodings
	}
	m := negotiateEncoding(offered)
	caps := digestCaps(p.Capabilities)

	s.mu.Lock()
	s.folders = folders
	if len(p.InitializationOptions) > 0 {
		s.setEditorSettingsLocked(json.RawMessage(p.InitializationOptions), "initializationOptions")
	}
	s.mu.Unlock()

	s.stateMu.Lock()
	s.m, s.caps = m, caps
	s.state = stateInitialized
	s.stateMu.Unlock()

	s.log.Info("initialize",
		zap.String("client", p.ClientInfo.Name),
		zap.String("positionEncoding", string(m.enc)),
		zap.Strings("folders", folders),
		zap.Bool("pullDiagnostics", caps.pull))

	sync := &protocol.TextDocumentSyncOptions{
		OpenClose: ptr(true),
		Change:    ptr(protocol.TextDocumentSyncKindIncremental),
		Save:      &protocol.SaveOptions{IncludeText: ptr(false)},
	}
	res := &protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			PositionEncoding: m.enc,
			TextDocumentSync: sync,
			CodeActionProvider: &protocol.CodeActionOptions{
				CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix, codeActionKindFixAll},
			},
			HoverProvider:          protocol.Boolean(true),
			DefinitionProvider:     protocol.Boolean(true),
			ReferencesProvider:     protocol.Boolean(true),
			RenameProvider:         protocol.Boolean(true),
			DocumentSymbolProvider: protocol.Boolean(true),
			CompletionProvider:     &protocol.CompletionOptions{TriggerCharacters: completionTriggers},
			// Formatting: see formatting.go.
			DocumentFormattingProvider:      protocol.Boolean(true),
			DocumentRangeFormattingProvider: protocol.Boolean(true),
			SemanticTokensProvider: &protocol.SemanticTokensOptions{
				Legend: semanticLegend(),
				Full:   protocol.Boolean(true),
			},
			Workspace: &protocol.WorkspaceOptions{
				WorkspaceFolders: &protocol.WorkspaceFoldersServerCapabilities{
					Supported:           ptr(true),
					ChangeNotifications: protocol.Boolean(true),
				},
			},
		},
		ServerInfo: protocol.ServerInfo{Name: "pqls", Version: protocol.NewOptional(version())},
	}
	s.mu.Lock()
	features := s.settings.features
	s.mu.Unlock()
	editingCapabilities(&res.Capabilities, features)
	if caps.prepareRename {
		// RenameOptions only for a client that says it sends
		// prepareRename, as the specification asks.
		res.Capabilities.RenameProvider = &protocol.RenameOptions{PrepareProvider: ptr(true)}
	}
	if caps.pull {
		// Pull diagnostics replace the pushed ones: see diagnostics.go.
		res.Capabilities.DiagnosticProvider = &protocol.DiagnosticOptions{
			Identifier:            ptr("pqls"),
			InterFileDependencies: true,
			WorkspaceDiagnostics:  true,
		}
	}
	return res, nil
}

// initialized finishes the start-up with the calls the server makes to the
// client: registering the file watcher and fetching the configuration. The
// notification runs on the read loop, and a call from there would wait for
// a response the loop cannot read, so the calls go on their own goroutine.
func (s *session) initialized(ctx context.Context, _ *protocol.InitializedParams) error {
	s.goBackground("initialized", func() {
		caps := s.clientCaps()
		if caps.dynamicWatch {
			s.registerWatchers()
		}
		if caps.configuration {
			s.fetchConfiguration()
		}
	})
	return nil
}

func (s *session) clientCaps() clientCaps {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	return s.caps
}

func (s *session) mapper() mapper {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	return s.m
}

// watchedGlobs are the files whose changes on disk matter: the M documents,
// resources and project files of connector projects, and pqls.json.
var watchedGlobs = []string{"**/*.{pq,pqm,m}", "**/*.resx", "**/*.{proj,mproj}", "**/pqls.json"}

func (s *session) registerWatchers() {
	var ws []protocol.FileSystemWatcher
	for _, g := range watchedGlobs {
		ws = append(ws, protocol.FileSystemWatcher{GlobPattern: protocol.Pattern(g)})
	}
	opts, err := protocol.Marshal(&protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: ws})
	if err != nil {
		s.log.Error("encoding watcher registration", zap.Error(err))
		return
	}
	err = s.client.RegisterCapability(s.ctx, &protocol.RegistrationParams{Registrations: []protocol.Registration{{
		ID:              "pqls-watched-files",
		Method:          protocol.MethodWorkspaceDidChangeWatchedFiles,
		RegisterOptions: opts,
	}}})
	if err != nil {
		s.log.Warn("client/registerCapability failed", zap.Error(err))
		return
	}
	s.log.Debug("registered file watchers")
}

func ptr[T any](v T) *T { return &v }

// filePath returns the file path of a file: URI.
func filePath(u uri.URI) (string, bool) {
	if !u.IsFile() {
		return "", false
	}
	p := u.FsPath()
	if p == "" {
		return "", false
	}
	return filepath.Clean(p), true
}
