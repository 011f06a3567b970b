// Package server is the pqls language server: the Language Server Protocol
// over JSON-RPC on a pair of streams, with diagnostics from the
// certification rules and their quick fixes as code actions, and the editor
// features of package ide (hover, definition, references, rename, document
// symbols, completion, semantic tokens) over the project's semantic model
// (program.go).
//
// The protocol types come from go.lsp.dev/protocol and the transport from
// go.lsp.dev/jsonrpc2; the server wires them itself (see dispatch.go) to
// keep text-synchronisation notifications in order, to answer malformed
// messages without dropping the connection, and to give each failure the
// error code the specification asks for. Positions are byte offsets inside
// the server and become LSP positions only in mapper.
package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/exp/zapslog"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/project"
)

// Options configure a server.
type Options struct {
	LogFile  string    // log to this file instead of Stderr
	LogLevel string    // debug, info, warn (the default) or error
	Stderr   io.Writer // where logs go without LogFile; os.Stderr if nil

	hooks      *testHooks // test instrumentation
	delay      *time.Duration
	maxChecks  int           // checks at once; GOMAXPROCS if 0
	maxMessage int64         // largest message read; maxMessage if 0
	idleGC     *idleGCPolicy // garbage collection while idle; defaultIdleGC() if nil
}

// testHooks let tests hold the server at chosen points.
type testHooks struct {
	// beforeCall runs for each request, after it is released from the read
	// loop and before it is handled.
	beforeCall func(ctx context.Context, method string)
	// started receives the server once it is made.
	started func(s *session)
	// beforeAnalyze and afterAnalyze run around each check of a project,
	// inside its check slot; ctx is the check's, canceled when it goes
	// stale.
	beforeAnalyze func(ctx context.Context, root string, gen uint64)
	afterAnalyze  func(root string, gen uint64)
	// checkCanceled runs when a check is abandoned because it went stale.
	checkCanceled func(root string, gen uint64)
	// modelBuilt runs each time a snapshot builds its semantic model.
	modelBuilt func(root string, gen uint64)
	// idleDecision runs each time the session decides whether to collect
	// garbage while idle (idlegc.go), with the outcome and why; when
	// collect is true it runs before the collection starts, with the
	// collector's lock held, so that no check can start meanwhile.
	idleDecision func(collect bool, why string)
	// idleCollected runs when an idle collection has ended.
	idleCollected func()
	// check replaces analysis.Run (benchmarks of the server alone).
	check func(p *project.Project, files analysis.Files, cfg *config.Config) []analysis.Diagnostic
}

// ExitCode is the error Run returns when the session ended without the
// shutdown request the protocol requires before exit: the process should
// exit with this status (1). Run returns nil when the client shut the
// server down properly, and any other error means a broken transport or a
// bad option, also status 1.
type ExitCode int

func (c ExitCode) Error() string {
	return fmt.Sprintf("the language client ended the session without a shutdown request (exit status %d)", int(c))
}

// Run serves the Language Server Protocol over in and out until the client
// sends exit, in ends, or ctx is done. Logs go to opts.LogFile or
// opts.Stderr, never to out.
func Run(ctx context.Context, in io.Reader, out io.Writer, opts Options) error {
	log, closeLog, err := newLogger(opts)
	if err != nil {
		return err
	}
	defer closeLog()
	ctx = protocol.WithLogger(ctx, slog.New(zapslog.NewHandler(log.Core())))

	ls := newLSPStream(pipe{in, out})
	if opts.maxMessage > 0 {
		ls.limit = opts.maxMessage
	}
	stream := newGuardStream(ls, log)
	conn := jsonrpc2.NewConn(stream, jsonrpc2.WithCodec(lspCodec{}))
	s := newSession(ctx, conn, log, opts)
	stream.skipped = s.messageSkipped
	if opts.hooks != nil && opts.hooks.started != nil {
		opts.hooks.started(s)
	}
	log.Info("pqls language server starting")
	conn.Go(ctx, s.handler())

	exitNotified := false
	select {
	case <-s.exited:
		exitNotified = true
	case <-conn.Done():
	case <-ctx.Done():
	}
	s.stop()
	// Close waits for the read loop; a read blocked on a terminal's stdin
	// may not return, and the process is about to end anyway. After exit
	// there is nothing left to read or write (every reply is written
	// before its handler returns), so the server ends at once instead of
	// keeping the editor waiting.
	closed := make(chan struct{})
	go func() { conn.Close(); close(closed) }()
	if !exitNotified {
		select {
		case <-closed:
		case <-time.After(time.Second):
		}
	}
	s.queue.close()

	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	switch {
	case s.exitCalled && s.state == stateShutdown:
		log.Info("exit after shutdown")
		return nil
	case s.exitCalled:
		log.Warn("exit without shutdown")
		return ExitCode(1)
	case ctx.Err() != nil:
		return ctx.Err()
	}
	if err := conn.Err(); err != nil {
		log.Error("connection failed", zap.Error(err))
		return fmt.Errorf("lsp connection: %w", err)
	}
	if s.state == stateShutdown {
		return nil
	}
	log.Warn("input ended without shutdown and exit")
	return ExitCode(1)
}

type lifecycle int

const (
	stateNew         lifecycle = iota // waiting for initialize
	stateInitialized                  // initialize answered
	stateShutdown                     // shutdown answered
)

// session is the server's state for one client connection (gopls' Session):
// its documents, its views (one per project) and their snapshots.
type session struct {
	log    *zap.Logger
	conn   jsonrpc2.Conn
	client protocol.Client
	hooks  *testHooks

	ctx    context.Context // the session; canceled by stop
	cancel context.CancelFunc
	exited chan struct{} // closed by the exit notification

	stateMu    sync.Mutex
	state      lifecycle
	exitCalled bool

	// Fixed by initialize.
	m    mapper
	caps clientCaps

	queue *publishQueue // diagnostics on their way out, in order

	idle *idleCollector // garbage collection while idle (idlegc.go)

	// checkSlots bounds the checks running at once (one token each) to
	// the processors Go runs on: more would only share them.
	checkSlots chan struct{}

	// mu guards everything below, and is taken before view.mu.
	mu       sync.Mutex
	docs     map[string]*document // open documents by path
	projects map[string]*view     // the views, by project root
	folders  []string             // workspace folder paths
	settings settings             // from the editor
	disk     *diskCache           // parsed files that are not open
	loader   *project.Loader      // one for the session: it keeps parsed resources.resx files
	models   *modelCache          // the snapshots whose models are kept
	trees    *treeCache           // the documents whose syntax trees are kept
	warned   map[string]bool      // pqls.json faults already shown
	// configInForce is the pqls.json last found for each project root
	// ("" for none), to log it when it changes.
	configInForce map[string]string
	changed       chan struct{} // closed and replaced on every change (workspace/diagnostic waits on it)
	genSeq        uint64        // last project gen handed out

	rerooting   bool // the projects of the open documents are being loaded
	rerootAgain bool // and another loading was asked for meanwhile

	delayOverride *time.Duration // tests and benchmarks: the debounce delay
}

func newSession(ctx context.Context, conn jsonrpc2.Conn, log *zap.Logger, opts Options) *session {
	ctx, cancel := context.WithCancel(ctx)
	s := &session{
		log:           log,
		conn:          conn,
		client:        protocol.ClientDispatcher(conn),
		hooks:         opts.hooks,
		ctx:           ctx,
		cancel:        cancel,
		exited:        make(chan struct{}),
		m:             mapper{enc: protocol.PositionEncodingKindUTF16},
		docs:          make(map[string]*document),
		projects:      make(map[string]*view),
		settings:      defaultSettings(),
		disk:          newDiskCache(),
		loader:        new(project.Loader),
		models:        &modelCache{},
		trees:         &treeCache{},
		warned:        make(map[string]bool),
		configInForce: make(map[string]string),
		changed:       make(chan struct{}),
		delayOverride: opts.delay,
	}
	policy := defaultIdleGC()
	if opts.idleGC != nil {
		policy = *opts.idleGC
	}
	s.idle = newIdleCollector(policy)
	s.queue = newPublishQueue(ctx, log, s.client, s.collectIfIdle)
	n := opts.maxChecks
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	s.checkSlots = make(chan struct{}, n)
	return s
}

// stop ends the background work of the session.
func (s *session) stop() {
	s.cancel()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ps := range s.projects {
		ps.stopTimer()
	}
}

// goBackground runs f on its own goroutine, logging a panic instead of
// crashing.
func (s *session) goBackground(name string, f func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("panic in "+name, zap.Any("panic", r), zap.Stack("stack"))
			}
		}()
		f()
	}()
}
