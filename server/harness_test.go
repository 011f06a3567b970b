package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// syncBuffer collects the server's log; it is shown when a test fails.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// testClient is an in-process LSP client talking to a server over net.Pipe.
// Its handler takes notifications in wire order (the client-side twin of
// the server's dispatch), so the order of publishDiagnostics is observable.
type testClient struct {
	protocol.UnimplementedClient
	t      testing.TB
	conn   jsonrpc2.Conn
	server protocol.Server
	srv    *session // the server under test, for looking at its state
	done   chan error
	log    *syncBuffer

	mu            sync.Mutex
	changed       chan struct{} // closed and replaced when anything arrives
	pubs          []*protocol.PublishDiagnosticsParams
	messages      []*protocol.ShowMessageParams
	registrations []protocol.Registration
	configCalls   int
	config        json.RawMessage // the answer to workspace/configuration
	refreshes     int
}

type testOptions struct {
	delay      time.Duration // debounce; -1 for the server's default
	hooks      testHooks
	maxChecks  int           // checks at once; GOMAXPROCS if 0
	maxMessage int64         // largest message the server reads; 64 MB if 0
	idleGC     *idleGCPolicy // garbage collection while idle; the default if nil
}

func startServer(t testing.TB, o testOptions) *testClient {
	t.Helper()
	c1, c2 := net.Pipe()
	logs := &syncBuffer{}
	hooks := o.hooks
	c := &testClient{t: t, done: make(chan error, 1), log: logs, changed: make(chan struct{})}
	ready := make(chan struct{})
	started := hooks.started
	hooks.started = func(s *session) {
		c.srv = s
		if started != nil {
			started(s)
		}
		close(ready)
	}
	opts := Options{Stderr: logs, LogLevel: "debug", hooks: &hooks, maxChecks: o.maxChecks, maxMessage: o.maxMessage, idleGC: o.idleGC}
	if o.delay >= 0 {
		d := o.delay
		opts.delay = &d
	}
	go func() { c.done <- Run(context.Background(), c1, c1, opts) }()
	<-ready
	c.connect(c2)
	t.Cleanup(func() {
		c.conn.Close()
		c1.Close()
		select {
		case <-c.done:
		case <-time.After(5 * time.Second):
			t.Error("server did not stop")
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return c
}

// connect starts the client's side of the connection over rwc.
func (c *testClient) connect(rwc io.ReadWriteCloser) {
	c.conn = jsonrpc2.NewConn(jsonrpc2.NewHeaderStream(rwc), jsonrpc2.WithCodec(lspCodec{}))
	h := protocol.ClientHandler(c, jsonrpc2.MethodNotFoundHandler)
	c.conn.Go(context.Background(), func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		if req.IsCall() {
			jsonrpc2.Async(ctx)
		}
		return h(ctx, req)
	})
	c.server = protocol.ServerDispatcher(c.conn)
}

func (c *testClient) notifyChange() {
	close(c.changed)
	c.changed = make(chan struct{})
}

func (c *testClient) PublishDiagnostics(ctx context.Context, p *protocol.PublishDiagnosticsParams) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pubs = append(c.pubs, p)
	c.notifyChange()
	return nil
}

func (c *testClient) ShowMessage(ctx context.Context, p *protocol.ShowMessageParams) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.messages = append(c.messages, p)
	c.notifyChange()
	return nil
}

func (c *testClient) LogMessage(ctx context.Context, p *protocol.LogMessageParams) error { return nil }

func (c *testClient) RegisterCapability(ctx context.Context, p *protocol.RegistrationParams) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.registrations = append(c.registrations, p.Registrations...)
	c.notifyChange()
	return nil
}

func (c *testClient) Configuration(ctx context.Context, p *protocol.ConfigurationParams) ([]protocol.LSPAny, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.configCalls++
	c.notifyChange()
	out := make([]protocol.LSPAny, len(p.Items))
	for i := range out {
		out[i] = protocol.LSPAny("null")
		if c.config != nil {
			out[i] = protocol.LSPAny(c.config)
		}
	}
	return out, nil
}

func (c *testClient) DiagnosticRefresh(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refreshes++
	c.notifyChange()
	return nil
}

// waitFor waits until cond, called with c.mu held, is true.
func (c *testClient) waitFor(what string, timeout time.Duration, cond func() bool) {
	c.t.Helper()
	deadline := time.After(timeout)
	for {
		c.mu.Lock()
		ok := cond()
		ch := c.changed
		c.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			c.t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
	}
}

// lastPub returns the last diagnostics published for u, or nil. c.mu held.
func (c *testClient) lastPubLocked(u uri.URI) *protocol.PublishDiagnosticsParams {
	for i := len(c.pubs) - 1; i >= 0; i-- {
		if c.pubs[i].URI == u {
			return c.pubs[i]
		}
	}
	return nil
}

// waitDiagsTB is waitDiags for benchmarks.
func (c *testClient) waitDiagsTB(u uri.URI, v int32) *protocol.PublishDiagnosticsParams {
	return c.waitDiags(u, v)
}

// waitDiags waits for diagnostics of version v of u and returns them.
func (c *testClient) waitDiags(u uri.URI, v int32) *protocol.PublishDiagnosticsParams {
	c.t.Helper()
	var got *protocol.PublishDiagnosticsParams
	c.waitFor(fmt.Sprintf("diagnostics for %s version %d", u, v), 10*time.Second, func() bool {
		got = c.lastPubLocked(u)
		if got == nil {
			return false
		}
		ver, ok := got.Version.Get()
		return ok && ver == v
	})
	return got
}

func (c *testClient) pubsFor(u uri.URI) []*protocol.PublishDiagnosticsParams {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []*protocol.PublishDiagnosticsParams
	for _, p := range c.pubs {
		if p.URI == u {
			out = append(out, p)
		}
	}
	return out
}

func ctx10(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// initialize sends initialize (with the capabilities in JSON) and
// initialized.
func (c *testClient) initialize(caps string, extra map[string]any) *protocol.InitializeResult {
	c.t.Helper()
	params := map[string]any{"processId": nil, "rootUri": nil, "capabilities": json.RawMessage(caps)}
	for k, v := range extra {
		params[k] = v
	}
	raw, _ := json.Marshal(params)
	var res protocol.InitializeResult
	if _, err := c.conn.Call(ctx10(c.t), "initialize", jsonrpc2.RawMessage(raw), &res); err != nil {
		c.t.Fatalf("initialize: %v", err)
	}
	if err := c.conn.Notify(ctx10(c.t), "initialized", jsonrpc2.RawMessage(`{}`)); err != nil {
		c.t.Fatalf("initialized: %v", err)
	}
	return &res
}

// Capabilities of typical clients.
const (
	capsNone       = `{}`
	capsUTF8       = `{"general":{"positionEncodings":["utf-8","utf-16"]}}`
	capsDocChanges = `{"workspace":{"workspaceEdit":{"documentChanges":true}}}`
	capsFull       = `{"workspace":{"workspaceEdit":{"documentChanges":true},"configuration":true,"didChangeWatchedFiles":{"dynamicRegistration":true},"workspaceFolders":true},"textDocument":{"publishDiagnostics":{"relatedInformation":true,"versionSupport":true}}}`
	capsPull       = `{"textDocument":{"diagnostic":{"dynamicRegistration":false}},"workspace":{"diagnostics":{"refreshSupport":true}}}`
)

func (c *testClient) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(ctx10(c.t), method, params); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *testClient) open(u uri.URI, version int32, text string) {
	c.t.Helper()
	c.notify("textDocument/didOpen", &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: u, LanguageID: "powerquery", Version: version, Text: text,
	}})
}

func (c *testClient) changeAll(u uri.URI, version int32, text string) {
	c.t.Helper()
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": u, "version": version},
		"contentChanges": []any{map[string]any{"text": text}},
	})
}

type wireEdit struct {
	Range protocol.Range `json:"range"`
	Text  string         `json:"text"`
}

func (c *testClient) change(u uri.URI, version int32, edits ...wireEdit) {
	c.t.Helper()
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": u, "version": version},
		"contentChanges": edits,
	})
}

// serverText returns the server's text of the open document at path.
func (c *testClient) serverText(path string) (string, int32, bool) {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	d := c.srv.docs[path]
	if d == nil {
		return "", 0, false
	}
	return string(d.text.src), d.version, true
}

// callRaw sends a request with raw params and returns the error code (0 for
// success) and the raw result.
func (c *testClient) callRaw(method, params string) (jsonrpc2.Code, json.RawMessage) {
	c.t.Helper()
	var res jsonrpc2.RawMessage
	var p any
	if params != "" {
		p = jsonrpc2.RawMessage(params)
	}
	_, err := c.conn.Call(ctx10(c.t), method, p, &res)
	if err == nil {
		return 0, json.RawMessage(res)
	}
	var je *jsonrpc2.Error
	if !asJSONRPCError(err, &je) {
		c.t.Fatalf("%s: %v", method, err)
	}
	return je.Code, nil
}

func asJSONRPCError(err error, je **jsonrpc2.Error) bool {
	for err != nil {
		if e, ok := err.(*jsonrpc2.Error); ok {
			*je = e
			return true
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		err = u.Unwrap()
	}
	return false
}

// rawClient speaks framed JSON-RPC by hand, for input no proper client
// would send.
type rawClient struct {
	t    *testing.T
	conn net.Conn
	r    *bufio.Reader
	done chan error
	log  *syncBuffer
}

func startRaw(t *testing.T, hooks testHooks) *rawClient {
	t.Helper()
	c1, c2 := net.Pipe()
	logs := &syncBuffer{}
	rc := &rawClient{t: t, conn: c2, r: bufio.NewReader(c2), done: make(chan error, 1), log: logs}
	d := time.Duration(0)
	go func() {
		rc.done <- Run(context.Background(), c1, c1, Options{Stderr: logs, LogLevel: "debug", hooks: &hooks, delay: &d})
	}()
	t.Cleanup(func() {
		c2.Close()
		c1.Close()
		select {
		case <-rc.done:
		case <-time.After(5 * time.Second):
			t.Error("server did not stop")
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return rc
}

func (rc *rawClient) send(body string) {
	rc.t.Helper()
	rc.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if _, err := fmt.Fprintf(rc.conn, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		rc.t.Fatalf("send: %v", err)
	}
}

// recv reads the next message.
func (rc *rawClient) recv() map[string]json.RawMessage {
	rc.t.Helper()
	rc.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	tp := textproto.NewReader(rc.r)
	h, err := tp.ReadMIMEHeader()
	if err != nil {
		rc.t.Fatalf("read header: %v", err)
	}
	n, err := strconv.Atoi(h.Get("Content-Length"))
	if err != nil {
		rc.t.Fatalf("bad Content-Length %q", h.Get("Content-Length"))
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(rc.r, body); err != nil {
		rc.t.Fatalf("read body: %v", err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		rc.t.Fatalf("server sent invalid JSON %q: %v", body, err)
	}
	return m
}

// response reads messages until the response with id (JSON text) and
// returns its error code (0 if none) and result.
func (rc *rawClient) response(id string) (int, json.RawMessage) {
	rc.t.Helper()
	for {
		m := rc.recv()
		if _, isReq := m["method"]; isReq {
			continue
		}
		if string(m["id"]) != id {
			rc.t.Fatalf("response for id %s, want %s: %v", m["id"], id, m)
		}
		if e, ok := m["error"]; ok {
			var je struct {
				Code int `json:"code"`
			}
			json.Unmarshal(e, &je)
			return je.Code, nil
		}
		return 0, m["result"]
	}
}

func (rc *rawClient) initialize() {
	rc.t.Helper()
	rc.send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}`)
	if code, _ := rc.response("1"); code != 0 {
		rc.t.Fatalf("initialize failed with %d", code)
	}
	rc.send(`{"jsonrpc":"2.0","method":"initialized","params":{}}`)
}

// writeProject writes files (name → content) into a new folder and returns
// its path.
func writeProject(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// codes returns the diagnostic codes, sorted.
func codes(ds []protocol.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		if s, ok := d.Code.(protocol.String); ok {
			out = append(out, string(s))
		} else {
			out = append(out, fmt.Sprint(d.Code))
		}
	}
	slices.Sort(out)
	return out
}

func hasCode(ds []protocol.Diagnostic, code string) bool {
	return slices.Contains(codes(ds), code)
}

func findCode(ds []protocol.Diagnostic, code string) *protocol.Diagnostic {
	for i := range ds {
		if s, ok := ds[i].Code.(protocol.String); ok && string(s) == code {
			return &ds[i]
		}
	}
	return nil
}

// refOffset converts an LSP position to a byte offset independently of the
// server's mapper: LSP line breaks, columns in UTF-16 units or bytes.
func refOffset(t *testing.T, text string, p protocol.Position, utf8mode bool) int {
	t.Helper()
	line, off := uint32(0), 0
	for line < p.Line {
		i := strings.IndexAny(text[off:], "\r\n")
		if i < 0 {
			t.Fatalf("line %d past the end", p.Line)
		}
		off += i
		if text[off] == '\r' && off+1 < len(text) && text[off+1] == '\n' {
			off++
		}
		off++
		line++
	}
	col := 0
	for _, r := range text[off:] {
		if col >= int(p.Character) || r == '\n' || r == '\r' {
			break
		}
		if utf8mode {
			col += len(string(r))
			off += len(string(r))
			continue
		}
		if r >= 0x10000 {
			col += 2
		} else {
			col++
		}
		off += len(string(r))
	}
	return off
}

// refPosition is the inverse of refOffset.
func refPosition(text string, off int, utf8mode bool) protocol.Position {
	prefix := text[:off]
	line := strings.Count(prefix, "\n") + strings.Count(prefix, "\r") - strings.Count(prefix, "\r\n")
	rest := prefix[strings.LastIndexAny(prefix, "\r\n")+1:]
	col := len(rest)
	if !utf8mode {
		col = 0
		for _, r := range rest {
			if r >= 0x10000 {
				col += 2
			} else {
				col++
			}
		}
	}
	return protocol.Position{Line: uint32(line), Character: uint32(col)}
}

// applyEdits applies LSP text edits (against the same text) as a client does.
func applyEdits(t *testing.T, text string, edits []protocol.TextEdit, utf8mode bool) string {
	t.Helper()
	type span struct {
		s, e, i int
		text    string
	}
	var spans []span
	for i, e := range edits {
		spans = append(spans, span{refOffset(t, text, e.Range.Start, utf8mode), refOffset(t, text, e.Range.End, utf8mode), i, e.NewText})
	}
	// From the end backwards; inserts at one place keep their order.
	slices.SortFunc(spans, func(a, b span) int {
		if a.s != b.s {
			return b.s - a.s
		}
		return b.i - a.i
	})
	for _, s := range spans {
		text = text[:s.s] + s.text + text[s.e:]
	}
	return text
}

func fileURI(dir, name string) uri.URI { return uri.File(filepath.Join(dir, name)) }

func mustPath(u uri.URI) string {
	p, ok := filePath(u)
	if !ok {
		panic("not a file URI: " + string(u))
	}
	return p
}

func newReader(c net.Conn) *bufio.Reader { return bufio.NewReader(c) }
