package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/ide"
	"github.com/pqls/pqls/project"
)

// The fault suite of the server (issue 13): one test per way a hostile
// document or client tried to hurt it. The grammar's share is in
// grammar/parser and grammar/token.

// The column cursor counts on from its last answer; whatever order the
// offsets come in, its answers are mapper.position's.
func TestColumnCursorMatchesPosition(t *testing.T) {
	rng := rand.New(rand.NewSource(13))
	texts := []string{
		"\uFEFFab😀c\r\nd\xffé\u2028x\ry\n",
		strings.Repeat("aé😀\x80\r\n", 40),
		"",
	}
	for _, enc := range []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF16, protocol.PositionEncodingKindUTF8} {
		m := mapper{enc: enc}
		for _, text := range texts {
			for _, literal := range []bool{false, true} {
				c := newContent([]byte(text), literal)
				var offs []int
				for i := 0; i <= len(text); i++ {
					offs = append(offs, i)
				}
				for range len(text) {
					offs = append(offs, rng.Intn(len(text)+1))
				}
				cur := m.cursor(c)
				for _, off := range offs {
					if got, want := cur.position(off), m.position(c, off); got != want {
						t.Fatalf("%s %q: cursor position(%d) = %v, want %v", enc, text, off, got, want)
					}
				}
			}
		}
	}
}

// Every long request answers RequestCancelled as soon as it is canceled,
// even when its work is stuck somewhere that does not look at the request's
// context: the project check (diagnostics pull, code actions wait for it)
// or anything else (held here by a hook that ignores the context).
func TestCancelAnswersPromptly(t *testing.T) {
	release := make(chan struct{})
	stuck := map[string]bool{
		"textDocument/semanticTokens/full": true,
		"textDocument/references":          true,
		"textDocument/rename":              true,
		"textDocument/documentSymbol":      true,
	}
	hooks := testHooks{
		beforeCall: func(_ context.Context, method string) {
			if stuck[method] {
				<-release
			}
		},
		check: func(p *project.Project, files analysis.Files, cfg *config.Config) []analysis.Diagnostic {
			<-release
			return nil
		},
	}
	dir := writeProject(t, map[string]string{"A.pq": "section A;\nshared X = 1;\nshared Y = X + 1;\n"})
	u := string(fileURI(dir, "A.pq"))
	rc := startRaw(t, hooks)
	t.Cleanup(func() { close(release) }) // runs before the server is stopped
	rc.initialize()
	rc.send(fmt.Sprintf(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":%q,"languageId":"powerquery","version":1,"text":"section A;\nshared X = 1;\nshared Y = X + 1;\n"}}}`, u))
	td := fmt.Sprintf(`"textDocument":{"uri":%q}`, u)
	pos := `"position":{"line":2,"character":11}`
	requests := []struct{ method, params string }{
		{"textDocument/diagnostic", "{" + td + "}"},
		{"textDocument/codeAction", "{" + td + `,"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[]}}`},
		{"textDocument/semanticTokens/full", "{" + td + "}"},
		{"textDocument/references", "{" + td + "," + pos + `,"context":{"includeDeclaration":true}}`},
		{"textDocument/rename", "{" + td + "," + pos + `,"newName":"Z"}`},
		{"textDocument/documentSymbol", "{" + td + "}"},
	}
	for i, r := range requests {
		id := 100 + i
		rc.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":%q,"params":%s}`, id, r.method, r.params))
		time.Sleep(20 * time.Millisecond) // let the work start and get stuck
		start := time.Now()
		rc.send(fmt.Sprintf(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":%d}}`, id))
		code, _ := rc.response(strconv.Itoa(id))
		if code != int(protocol.CodeRequestCancelled) {
			t.Errorf("%s canceled: code %d, want %d", r.method, code, protocol.CodeRequestCancelled)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: cancel answered after %v", r.method, d)
		}
	}
}

// encodeTokens stops when its request is canceled.
func TestEncodeTokensCanceled(t *testing.T) {
	text := oneLineConnector(64 << 10)
	c := newContent([]byte(text), false)
	toks := make([]ide.SemanticToken, 0, len(text)/4)
	for off := 0; off+2 < len(text); off += 4 {
		toks = append(toks, ide.SemanticToken{Start: off, End: off + 2, Type: ide.TokNumber})
	}
	ctx, cancel := context.WithCancel(context.Background())
	if data, err := encodeTokens(ctx, mapper{}, c, toks); err != nil || len(data) == 0 {
		t.Fatalf("live context: %d numbers, error %v", len(data), err)
	}
	cancel()
	if data, err := encodeTokens(ctx, mapper{}, c, toks); !errors.Is(err, context.Canceled) || data != nil {
		t.Errorf("canceled context: %d numbers, error %v", len(data), err)
	}
}

// rwc is an in-memory connection: reads from r, writes to w.
type rwc struct {
	io.Reader
	w bytes.Buffer
}

func (c *rwc) Write(p []byte) (int, error) { return c.w.Write(p) }
func (c *rwc) Close() error                { return nil }

// A header line without a newline is not buffered without end: past 8 KB
// the stream ends with an error that says why.
func TestHeaderLineBounded(t *testing.T) {
	endless := io.MultiReader(strings.NewReader("Content-Length: 10\r\nX-Junk: "), infinite('a'))
	s := newLSPStream(&rwc{Reader: endless})
	_, _, err := s.ReadFrame(context.Background())
	if !errors.Is(err, errHeaderLine) {
		t.Fatalf("endless header line: error %v, want %v", err, errHeaderLine)
	}
	// The server ends the session with that error rather than hanging.
	c1, c2 := net.Pipe()
	done := make(chan error, 1)
	go func() { done <- Run(context.Background(), c1, c1, Options{Stderr: io.Discard}) }()
	go func() {
		c2.Write([]byte("Content-Length: 10\r\nX-Junk: "))
		c2.Write(bytes.Repeat([]byte("a"), 64<<10))
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "8 KB") {
			t.Errorf("Run = %v, want the header-line error", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server still reading a header line of 64 KB")
	}
	c2.Close()
}

type infinite byte

func (b infinite) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

// A message over the size limit is read past, not held, and reported; the
// next message is read as usual. Bad Content-Length headers are errors.
func TestMessageSizeBounded(t *testing.T) {
	big := strings.Repeat("x", 5000)
	in := fmt.Sprintf("Content-Length: %d\r\n\r\n%sContent-Length: 2\r\n\r\n{}", len(big), big)
	s := newLSPStream(&rwc{Reader: strings.NewReader(in)})
	s.limit = 4096
	var skipped []string
	s.onTooLarge = func(e *errTooLarge) { skipped = append(skipped, e.Error()) }
	frame, _, err := s.ReadFrame(context.Background())
	if err != nil || string(frame) != "{}" {
		t.Fatalf("after the large message: frame %q, error %v", frame, err)
	}
	if len(skipped) != 1 || !strings.Contains(skipped[0], "5000 bytes") {
		t.Errorf("skipped = %q", skipped)
	}
	for _, h := range []string{"Content-Length: -5\r\n\r\n", "Content-Length: 1e9\r\n\r\n", "Content-Type: x\r\n\r\n", "no colon\r\n\r\n"} {
		s := newLSPStream(&rwc{Reader: strings.NewReader(h)})
		if _, _, err := s.ReadFrame(context.Background()); !errors.Is(err, jsonrpc2.ErrInvalidHeader) {
			t.Errorf("header %q: error %v, want an invalid header", h, err)
		}
	}
}

// The write buffer of a large answer is not kept for the next one.
func TestWriteBufferReleased(t *testing.T) {
	c := &rwc{Reader: strings.NewReader("")}
	s := newLSPStream(c)
	if _, err := s.WriteFrame(context.Background(), bytes.Repeat([]byte("a"), 4<<20)); err != nil {
		t.Fatal(err)
	}
	if cap(s.wbuf) > keepBuffer {
		t.Errorf("kept a %d-byte write buffer", cap(s.wbuf))
	}
	if !strings.HasPrefix(c.w.String(), "Content-Length: 4194304\r\n\r\naaa") {
		t.Errorf("frame starts %q", c.w.String()[:40])
	}
}

// A reversed range and a version that goes back are refused whole: the
// document stays as it was, the user is told once, edits (rename, quick
// fixes) are off until a full-text change puts the two copies in step.
func TestRefusedChangesKeepTheDocument(t *testing.T) {
	text := "section A;\nshared X = 1;\nshared Y = X + 1;\n"
	dir := writeProject(t, map[string]string{"A.pq": text})
	u := fileURI(dir, "A.pq")
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsNone, nil)
	c.open(u, 1, text)
	pos := func(l, ch uint32) protocol.Position { return protocol.Position{Line: l, Character: ch} }
	sync := func() { c.callRaw("textDocument/documentSymbol", fmt.Sprintf(`{"textDocument":{"uri":%q}}`, u)) }

	c.change(u, 2, wireEdit{Range: protocol.Range{Start: pos(1, 12), End: pos(1, 7)}, Text: "LOST"})
	sync()
	if got, v, _ := c.serverText(mustPath(u)); got != text || v != 1 {
		t.Errorf("after a reversed range: version %d text %q", v, got)
	}
	c.change(u, 3, wireEdit{Range: protocol.Range{Start: pos(1, 11), End: pos(1, 12)}, Text: "2"})
	c.change(u, 2, wireEdit{Range: protocol.Range{Start: pos(1, 11), End: pos(1, 12)}, Text: "OLD"})
	c.change(u, 3, wireEdit{Range: protocol.Range{Start: pos(1, 11), End: pos(1, 12)}, Text: "SAME"})
	sync()
	want := strings.Replace(text, "= 1;", "= 2;", 1)
	if got, v, _ := c.serverText(mustPath(u)); got != want || v != 3 {
		t.Errorf("after versions going back: version %d text %q, want 3 %q", v, got, want)
	}
	c.waitFor("the message about the refused change", 5*time.Second, func() bool { return len(c.messages) > 0 })
	time.Sleep(50 * time.Millisecond) // a second one would be here by now
	c.mu.Lock()
	nmsg := len(c.messages)
	c.mu.Unlock()
	if nmsg != 1 {
		t.Errorf("%d messages to the user about refused changes, want 1", nmsg)
	}
	if code, _ := c.callRaw("textDocument/rename", fmt.Sprintf(`{"textDocument":{"uri":%q},"position":{"line":2,"character":11},"newName":"Z"}`, u)); code != codeRequestFailed {
		t.Errorf("rename out of step: code %d, want %d", code, codeRequestFailed)
	}
	// The client's whole text puts the copies back in step.
	c.changeAll(u, 4, text)
	sync()
	if code, _ := c.callRaw("textDocument/rename", fmt.Sprintf(`{"textDocument":{"uri":%q},"position":{"line":2,"character":11},"newName":"Z"}`, u)); code != 0 {
		t.Errorf("rename back in step: code %d", code)
	}
	if !strings.Contains(c.log.String(), "does not follow the document's version 3") {
		t.Error("the refused version is not in the log")
	}
}

// A didChange skipped for its size leaves the server's copy behind the
// editor's: the document is out of step, as after a refused change, so
// rename is refused until the client's whole text puts them back in step.
func TestSkippedChangeOutOfStep(t *testing.T) {
	text := "section A;\nshared X = 1;\nshared Y = X + 1;\n"
	dir := writeProject(t, map[string]string{"A.pq": text, "B.pq": text})
	u, other := fileURI(dir, "A.pq"), fileURI(dir, "B.pq")
	c := startServer(t, testOptions{delay: 0, maxMessage: 64 << 10})
	c.initialize(capsNone, nil)
	c.open(u, 1, text)
	c.open(other, 1, text)
	rename := func(u uri.URI) jsonrpc2.Code {
		code, _ := c.callRaw("textDocument/rename", fmt.Sprintf(`{"textDocument":{"uri":%q},"position":{"line":2,"character":11},"newName":"Z"}`, u))
		return code
	}
	c.changeAll(u, 2, text+strings.Repeat("// padding\n", 10000)) // 110 KB
	if code := rename(u); code != codeRequestFailed {
		t.Errorf("rename after a skipped change: code %d, want %d (out of step)", code, codeRequestFailed)
	}
	if got, v, _ := c.serverText(mustPath(u)); got != text || v != 1 {
		t.Errorf("after the skipped change: version %d, text %q", v, got)
	}
	if code := rename(other); code != 0 {
		t.Errorf("rename in the other document: code %d; only the changed one is out of step", code)
	}
	c.changeAll(u, 3, text)
	if code := rename(u); code != 0 {
		t.Errorf("rename back in step: code %d", code)
	}
	if !strings.Contains(c.log.String(), "was skipped") {
		t.Error("the skipped change is not in the log")
	}
}

// The document of a skipped didChange is found at either end of the
// message; a message that does not say marks every open document out of
// step, and other skipped methods none.
func TestMessageSkippedFindsTheDocument(t *testing.T) {
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsNone, nil)
	dir := writeProject(t, map[string]string{"A.pq": "section A;", "B.pq": "section B;"})
	a, b := fileURI(dir, "A.pq"), fileURI(dir, "B.pq")
	c.open(a, 1, "section A;")
	c.open(b, 1, "section B;")
	// A request is answered after the notifications before it have run, so
	// both documents are open when the test reads them.
	c.callRaw("textDocument/documentSymbol", fmt.Sprintf(`{"textDocument":{"uri":%q}}`, b))
	outOfStep := func() (bool, bool) {
		c.srv.mu.Lock()
		defer c.srv.mu.Unlock()
		return c.srv.docs[mustPath(a)].outOfStep, c.srv.docs[mustPath(b)].outOfStep
	}
	v := int32(1)
	reset := func() { // whole texts put both back in step
		v++
		c.changeAll(a, v, "section A;")
		c.changeAll(b, v, "section B;")
		c.callRaw("textDocument/documentSymbol", fmt.Sprintf(`{"textDocument":{"uri":%q}}`, a))
	}
	for _, tc := range []struct {
		name       string
		head, tail string
		wantA      bool
		wantB      bool
	}{
		{"document first",
			fmt.Sprintf(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":%q,"version":5},"contentChanges":[{"text":"x`, a),
			`xxx"}]}}`, true, false},
		{"document last, a decoy in the text",
			`{"jsonrpc":"2.0","params":{"contentChanges":[{"text":"a \"uri\":\"` + string(a) + `\" b`,
			fmt.Sprintf(`xx"}],"textDocument":{"uri":%q,"version":5}},"method":"textDocument/didChange"}`, b), false, true},
		{"no document found", `{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"contentChanges":[{"text":"x`, `x"}]}}`, true, true},
		{"another method", `{"jsonrpc":"2.0","method":"workspace/executeCommand","id":3,"params":{"arguments":["x`, `x"]}}`, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.srv.messageSkipped(&errTooLarge{n: 1 << 30, limit: 64 << 20, head: []byte(tc.head), tail: []byte(tc.tail)})
			if gotA, gotB := outOfStep(); gotA != tc.wantA || gotB != tc.wantB {
				t.Errorf("out of step: A %v, B %v; want %v, %v", gotA, gotB, tc.wantA, tc.wantB)
			}
			reset()
		})
	}
}

// The log says which pqls.json is in force, also when it is found in a
// parent folder of the project.
func TestLogsConfigInForce(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"pqls.json":    `{"rules": {}}`,
		"conn/Conn.pq": "[Version = \"1.0.0\"]\nsection Conn;\nshared X = 1;\n",
	})
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsNone, nil)
	u := fileURI(filepath.Join(dir, "conn"), "Conn.pq")
	c.open(u, 1, "[Version = \"1.0.0\"]\nsection Conn;\nshared X = 1;\n")
	c.waitDiags(u, 1)
	want := fmt.Sprintf(`pqls.json in force	{"project": %q, "file": %q}`, filepath.Join(dir, "conn"), filepath.Join(dir, "pqls.json"))
	if !strings.Contains(c.log.String(), want) {
		t.Errorf("log does not say %s:\n%s", want, c.log.String())
	}
}

// A project whose files block on reading (FIFOs named like a module and a
// project file) does not freeze the server: projects are loaded off the
// read loop, so requests about another project are answered meanwhile.
func TestSlowDiskDoesNotFreezeRequests(t *testing.T) {
	slow := writeProject(t, map[string]string{"Slow.pq": "section Slow;\nshared X = 1;\n"})
	var fifos []string
	for _, name := range []string{"x.pqm", "Slow.mproj"} {
		path := filepath.Join(slow, name)
		if err := syscall.Mkfifo(path, 0o644); err != nil {
			t.Skipf("no FIFOs here: %v", err)
		}
		fifos = append(fifos, path)
	}
	t.Cleanup(func() {
		// Let the readers blocked on the FIFOs go: open each for writing and
		// close it, a few times, without waiting for long.
		for range 4 {
			for _, path := range fifos {
				if f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
					f.Close()
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
	fast := writeProject(t, map[string]string{"Fast.pq": "section Fast;\nshared Y = 1;\n"})
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsNone, nil)
	c.open(fileURI(slow, "Slow.pq"), 1, "section Slow;\nshared X = 1;\n")
	u := fileURI(fast, "Fast.pq")
	c.open(u, 1, "section Fast;\nshared Y = 1;\n")
	answered := make(chan jsonrpc2.Code, 1)
	go func() {
		var res jsonrpc2.RawMessage
		_, err := c.conn.Call(context.Background(), "textDocument/foldingRange", map[string]any{"textDocument": map[string]any{"uri": u}}, &res)
		var je *jsonrpc2.Error
		if asJSONRPCError(err, &je) {
			answered <- je.Code
			return
		}
		answered <- 0
	}()
	select {
	case <-answered:
	case <-time.After(5 * time.Second):
		t.Fatal("a request is not answered while a project reads a FIFO")
	}
}

// The disk cache reads as the rest of pqls does (project.ReadRegular): a
// FIFO named like a module is refused at once instead of blocking, a file
// over the size limit is refused, and a parse cached under a larger limit
// is not served under a smaller one.
func TestDiskCacheReadsRegularFilesOnly(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "x.pqm")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	big := filepath.Join(dir, "big.pqm")
	small := filepath.Join(dir, "small.pqm")
	if err := os.WriteFile(big, bytes.Repeat([]byte("1 + "), 1024), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(small, []byte("1 + 1"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, log := newDiskCache(), zap.NewNop()
	done := make(chan error, 1)
	go func() { _, err := c.parsed(log, fifo, 1<<20); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, project.ErrNotRegular) {
			t.Errorf("FIFO: error %v, want %v", err, project.ErrNotRegular)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the disk cache blocks reading a FIFO")
	}
	if _, err := c.parsed(log, big, 1024); !errors.Is(err, project.ErrTooLarge) {
		t.Errorf("4 KB file with a 1 KB limit: error %v, want %v", err, project.ErrTooLarge)
	}
	if f, err := c.parsed(log, small, 1024); err != nil || string(f.Src) != "1 + 1" {
		t.Errorf("small file: %v", err)
	}
	if _, err := c.parsed(log, small, 2); !errors.Is(err, project.ErrTooLarge) {
		t.Errorf("cached file under a smaller limit: error %v, want %v", err, project.ErrTooLarge)
	}
}

// The editor's maxFileSizeMB applies to what the server reads from disk: a
// module over it is a project problem, not read.
func TestServerMaxFileSizeSetting(t *testing.T) {
	main := "[Version = \"1.0.0\"]\nsection Contoso;\nshared Contoso.Contents = () => 1;\n"
	dir := writeProject(t, map[string]string{"Contoso.pq": main, "Big.pqm": strings.Repeat("1 + ", (2<<20)/4) + "1"})
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsNone, map[string]any{"initializationOptions": map[string]any{"maxFileSizeMB": 1}})
	u := fileURI(dir, "Contoso.pq")
	c.open(u, 1, main)
	c.waitDiags(u, 1)
	_, ps := c.srv.openDocument(mustPath(u))
	proj, prog, _ := c.srv.snapshot(ps).model()
	big := filepath.Join(dir, "Big.pqm")
	if prog.ByPath[big] != nil {
		t.Error("Big.pqm (2 MB) was read and parsed with maxFileSizeMB 1")
	}
	found := false
	for _, pr := range proj.Problems {
		if pr.Path == big && errors.Is(pr.Err, project.ErrTooLarge) {
			found = true
		}
	}
	if !found {
		t.Errorf("no too-large problem for Big.pqm: %v", proj.Problems)
	}
}
