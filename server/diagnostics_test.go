package server

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// These tests rely on the parser and the rules: syntax errors come back
// from analysis.Run with code "syntax", and PQC002 reports a
// section document without a version, with a safe, preferred fix.

const noVersion = "section Contoso;\n\nshared Contoso.Contents = () => \"hello\";\n"
const withVersion = "[Version = \"1.0.0\"]\nsection Contoso;\n\nshared Contoso.Contents = () => \"hello\";\n"

func TestPublishDiagnostics(t *testing.T) {
	dir := writeProject(t, map[string]string{"Contoso.pq": noVersion})
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsNone, nil)
	u := fileURI(dir, "Contoso.pq")
	c.open(u, 1, noVersion)
	pub := c.waitDiags(u, 1)
	d := findCode(pub.Diagnostics, "PQC002")
	if d == nil {
		t.Fatalf("no PQC002 for a section without a version: %v", codes(pub.Diagnostics))
	}
	if src, _ := d.Source.Get(); src != "pqls" {
		t.Errorf("source = %q, want pqls", src)
	}
	if d.Severity != protocol.DiagnosticSeverityError {
		t.Errorf("severity = %d, want error", d.Severity)
	}
	// The link goes to the rule's page, which links Microsoft's.
	if d.CodeDescription.Href != "https://github.com/pqls/pqls/blob/main/docs/rules/PQC002.md" {
		t.Errorf("codeDescription.href = %q", d.CodeDescription.Href)
	}
	if got := noVersion[refOffset(t, noVersion, d.Range.Start, false):refOffset(t, noVersion, d.Range.End, false)]; got != "section Contoso" {
		t.Errorf("PQC002 range covers %q, want %q", got, "section Contoso")
	}

	// Fixing it by hand clears it; a syntax error shows up as such.
	broken := withVersion + "shared Broken = () => ;\n"
	c.changeAll(u, 2, broken)
	pub = c.waitDiags(u, 2)
	if hasCode(pub.Diagnostics, "PQC002") {
		t.Errorf("PQC002 still reported after adding the version: %v", codes(pub.Diagnostics))
	}
	s := findCode(pub.Diagnostics, "syntax")
	if s == nil {
		t.Fatalf("no syntax error for %q: %v", "() => ;", codes(pub.Diagnostics))
	}
	if s.Range.Start.Line != 4 {
		t.Errorf("syntax error on line %d, want 4", s.Range.Start.Line)
	}
}

// Ranges out and in are counted in the negotiated encoding.
func TestPositionEncodings(t *testing.T) {
	// Astral characters (two UTF-16 units, four UTF-8 bytes) before the
	// finding on its line, CRLF line ends, a tab.
	text := "/* 😀😀 𝄞 */\tsection Contoso;\r\n\r\nshared Contoso.Contents = () => \"😀\";\r\n"
	for _, caps := range []string{capsNone, capsUTF8} {
		utf8mode := caps == capsUTF8
		t.Run(fmt.Sprint("utf8=", utf8mode), func(t *testing.T) {
			dir := writeProject(t, map[string]string{"Contoso.pq": text})
			c := startServer(t, testOptions{delay: 0})
			c.initialize(caps, nil)
			u := fileURI(dir, "Contoso.pq")
			c.open(u, 1, text)
			d := findCode(c.waitDiags(u, 1).Diagnostics, "PQC002")
			if d == nil {
				t.Fatal("no PQC002")
			}
			want := refPosition(text, strings.Index(text, "section"), utf8mode)
			if d.Range.Start != want {
				t.Errorf("PQC002 starts at %v, want %v", d.Range.Start, want)
			}
			// An edit positioned after the astral characters: replace
			// "Contoso;" on line 0 and insert a version after the emoji in
			// line 2.
			cur := text
			edit := func(version int32, from, to int, with string) {
				c.change(u, version, wireEdit{
					Range: protocol.Range{Start: refPosition(cur, from, utf8mode), End: refPosition(cur, to, utf8mode)},
					Text:  with,
				})
				cur = cur[:from] + with + cur[to:]
			}
			i := strings.Index(cur, "Contoso;")
			edit(2, i, i+len("Contoso"), "Fabrikam")
			i = strings.Index(cur, "😀\"") + len("😀")
			edit(3, i, i, "𝄞é")
			edit(4, 0, 0, "[Version = \"1.0.0\"]\r\n")
			c.waitDiags(u, 4)
			got, ver, _ := c.serverText(mustPath(u))
			if got != cur || ver != 4 {
				t.Errorf("server text (version %d):\n%q\nwant\n%q", ver, got, cur)
			}
		})
	}
}

// The server applies a long run of incremental edits exactly as the
// client does, in order.
func TestRapidEdits(t *testing.T) {
	dir := writeProject(t, map[string]string{"Contoso.pq": noVersion})
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsNone, nil)
	u := fileURI(dir, "Contoso.pq")
	text := withVersion
	c.open(u, 1, text)
	r := rand.New(rand.NewPCG(7, 8))
	inserts := []string{"a", "é", "😀", "\r\n", "\n", "\t", " ", "let x = 1 in x", "\"", "/*", "*/", "(", ")", "𝄞", "\u2028"}
	const n = 1000
	for v := int32(2); v < n+2; v++ {
		var edits []wireEdit
		for range 1 + r.IntN(3) {
			// A random range at character boundaries.
			var bounds []int
			for i := 0; i <= len(text); i++ {
				if (i == len(text) || text[i]&0xC0 != 0x80) && !(i > 0 && i < len(text) && text[i-1] == '\r' && text[i] == '\n') {
					bounds = append(bounds, i)
				}
			}
			a := bounds[r.IntN(len(bounds))]
			b := a
			if r.IntN(3) == 0 {
				b = bounds[min(slices.Index(bounds, a)+r.IntN(6), len(bounds)-1)]
			}
			ins := ""
			if r.IntN(4) != 0 {
				ins = inserts[r.IntN(len(inserts))]
			}
			edits = append(edits, wireEdit{
				Range: protocol.Range{Start: refPosition(text, a, false), End: refPosition(text, b, false)},
				Text:  ins,
			})
			text = text[:a] + ins + text[b:]
		}
		c.change(u, v, edits...)
	}
	final := int32(n + 1)
	// Make the final version carry a known finding.
	text = strings.Replace(text, "[Version = \"1.0.0\"]", "", 1)
	c.changeAll(u, final+1, text)
	final++
	pub := c.waitDiags(u, final)
	got, ver, _ := c.serverText(mustPath(u))
	if ver != final || got != text {
		t.Fatalf("after %d edits the server has version %d and a different text:\n%q\nwant\n%q", n, ver, got, text)
	}
	// Give a stale check the chance to show up, then look at everything
	// that was published: versions never go back, and the last is final.
	time.Sleep(100 * time.Millisecond)
	pubs := c.pubsFor(u)
	last := int32(0)
	for _, p := range pubs {
		v, ok := p.Version.Get()
		if !ok || v < last {
			t.Fatalf("published version %d after version %d", v, last)
		}
		last = v
	}
	if last != final {
		t.Errorf("last published version %d, want %d", last, final)
	}
	_ = pub
	t.Logf("%d edits, %d publishes", n, len(pubs))
}

// Diagnostics wait until the edits stop for the configured delay.
func TestDebounce(t *testing.T) {
	dir := writeProject(t, map[string]string{"Contoso.pq": noVersion})
	c := startServer(t, testOptions{delay: -1})
	const delay = 600 * time.Millisecond
	c.initialize(capsNone, map[string]any{"initializationOptions": map[string]any{"diagnosticsDelay": delay.Milliseconds()}})
	u := fileURI(dir, "Contoso.pq")
	c.open(u, 1, noVersion)
	c.waitDiags(u, 1)
	text := noVersion
	var last time.Time
	for v := int32(2); v <= 11; v++ {
		text += " "
		c.changeAll(u, v, text)
		last = time.Now()
		time.Sleep(20 * time.Millisecond)
	}
	c.waitDiags(u, 11)
	if waited := time.Since(last); waited < delay-50*time.Millisecond {
		t.Errorf("diagnostics came %v after the last edit, before the %v delay", waited, delay)
	}
	for _, p := range c.pubsFor(u) {
		if v, _ := p.Version.Get(); v > 1 && v < 11 {
			t.Errorf("diagnostics published for intermediate version %d", v)
		}
	}
}

// A check that finishes after the document changed is not published.
func TestStaleResultSuppressed(t *testing.T) {
	dir := writeProject(t, map[string]string{"Contoso.pq": noVersion})
	var (
		mu    sync.Mutex
		calls int
	)
	entered1, release1, release2 := make(chan struct{}), make(chan struct{}), make(chan struct{})
	hooks := testHooks{beforeAnalyze: func(_ context.Context, root string, gen uint64) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		switch n {
		case 1: // the check of version 1
			close(entered1)
			<-release1
		case 2: // the check of version 2
			<-release2
		}
	}}
	c := startServer(t, testOptions{delay: 0, hooks: hooks})
	c.initialize(capsNone, nil)
	u := fileURI(dir, "Contoso.pq")
	c.open(u, 1, noVersion)
	<-entered1
	c.changeAll(u, 2, withVersion)
	// Wait until the server has version 2, then let the check of version 1
	// finish while the check of version 2 is held: nothing may be published.
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, v, _ := c.serverText(mustPath(u)); v == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("server never got version 2")
		}
		time.Sleep(time.Millisecond)
	}
	close(release1)
	time.Sleep(200 * time.Millisecond)
	if p := c.pubsFor(u); len(p) != 0 {
		v, _ := p[0].Version.Get()
		t.Errorf("the stale check of version 1 was published (version %d: %v)", v, codes(p[0].Diagnostics))
	}
	close(release2)
	pub := c.waitDiags(u, 2)
	if hasCode(pub.Diagnostics, "PQC002") {
		t.Errorf("version 2 has a version, yet PQC002 is reported")
	}
}

func TestClearOnClose(t *testing.T) {
	dir := writeProject(t, map[string]string{"Contoso.pq": noVersion})
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsNone, nil)
	u := fileURI(dir, "Contoso.pq")
	c.open(u, 1, noVersion)
	if pub := c.waitDiags(u, 1); len(pub.Diagnostics) == 0 {
		t.Fatal("no diagnostics to clear")
	}
	c.notify("textDocument/didClose", &protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}})
	c.waitFor("cleared diagnostics", 5*time.Second, func() bool {
		p := c.lastPubLocked(u)
		return p != nil && len(p.Diagnostics) == 0
	})
	time.Sleep(100 * time.Millisecond)
	if p := c.pubsFor(u); len(p[len(p)-1].Diagnostics) != 0 {
		t.Errorf("diagnostics published after close: %v", codes(p[len(p)-1].Diagnostics))
	}
	if _, _, ok := c.serverText(mustPath(u)); ok {
		t.Error("document still open on the server")
	}
}

// Editing one open file of a project checks the others again: here the
// project's pqls.json, open in the editor, turns PQC002 off for the main
// document; and an edit to resources.resx reaches the project model.
func TestCrossFileRecheck(t *testing.T) {
	resx := `<?xml version="1.0" encoding="utf-8"?>
<root>
  <data name="DataSourceLabel" xml:space="preserve"><value>Contoso</value></data>
</root>
`
	dir := writeProject(t, map[string]string{"Contoso.pq": noVersion, "pqls.json": "{}\n", "resources.resx": resx})
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsNone, nil)
	main, cfg, res := fileURI(dir, "Contoso.pq"), fileURI(dir, "pqls.json"), fileURI(dir, "resources.resx")
	c.open(main, 1, noVersion)
	if !hasCode(c.waitDiags(main, 1).Diagnostics, "PQC002") {
		t.Fatal("no PQC002 to begin with")
	}
	c.notify("textDocument/didOpen", &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: cfg, LanguageID: "json", Version: 1, Text: "{}\n"}})
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": cfg, "version": 2},
		"contentChanges": []any{map[string]any{"range": map[string]any{"start": map[string]any{"line": 0, "character": 1}, "end": map[string]any{"line": 0, "character": 1}}, "text": `"rules": {"PQC002": "off"}`}},
	})
	c.waitFor("the main document checked again without PQC002", 5*time.Second, func() bool {
		p := c.lastPubLocked(main)
		return p != nil && !hasCode(p.Diagnostics, "PQC002")
	})
	if v, _ := c.lastPubLocked(main).Version.Get(); v != 1 {
		t.Errorf("main document republished with version %d, want 1 (unchanged)", v)
	}

	c.notify("textDocument/didOpen", &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: res, LanguageID: "xml", Version: 1, Text: resx}})
	edited := strings.Replace(resx, "</root>", `  <data name="NewKey" xml:space="preserve"><value>New</value></data>
</root>`, 1)
	c.changeAll(res, 2, edited)
	deadline := time.Now().Add(5 * time.Second)
	for {
		c.srv.mu.Lock()
		ps := c.srv.projects[dir]
		c.srv.mu.Unlock()
		if ps != nil {
			ps.mu.Lock()
			r := ps.result
			ps.mu.Unlock()
			if r != nil && r.proj != nil && r.proj.Resources["NewKey"] == "New" && r.snapshot.open[mustPath(main)] != nil {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the project was not checked again with the edited resources.resx buffer")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A pqls.json changed on disk, reported by the file watcher the server
// registered, checks the project again.
func TestWatchedFiles(t *testing.T) {
	dir := writeProject(t, map[string]string{"Contoso.pq": noVersion})
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsFull, nil)
	c.waitFor("client/registerCapability", 5*time.Second, func() bool { return len(c.registrations) > 0 })
	reg := c.registrations[0]
	if reg.Method != "workspace/didChangeWatchedFiles" || !strings.Contains(string(reg.RegisterOptions), "pqls.json") || !strings.Contains(string(reg.RegisterOptions), "resx") {
		t.Errorf("registration %s %s", reg.Method, reg.RegisterOptions)
	}
	u := fileURI(dir, "Contoso.pq")
	c.open(u, 1, noVersion)
	if !hasCode(c.waitDiags(u, 1).Diagnostics, "PQC002") {
		t.Fatal("no PQC002 to begin with")
	}
	p := filepath.Join(dir, "pqls.json")
	if err := os.WriteFile(p, []byte(`{"rules": {"PQC002": "off"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("workspace/didChangeWatchedFiles", &protocol.DidChangeWatchedFilesParams{Changes: []protocol.FileEvent{{URI: uri.File(p), Type: protocol.FileChangeTypeCreated}}})
	c.waitFor("PQC002 gone after pqls.json appeared", 5*time.Second, func() bool {
		p := c.lastPubLocked(u)
		return p != nil && !hasCode(p.Diagnostics, "PQC002")
	})
}

// didSave makes the server look at the disk again: here a pqls.json that
// appeared without a file watcher to report it.
func TestDidSaveRereadsDisk(t *testing.T) {
	dir := writeProject(t, map[string]string{"Contoso.pq": noVersion})
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsNone, nil)
	u := fileURI(dir, "Contoso.pq")
	c.open(u, 1, noVersion)
	if !hasCode(c.waitDiags(u, 1).Diagnostics, "PQC002") {
		t.Fatal("no PQC002 to begin with")
	}
	if err := os.WriteFile(filepath.Join(dir, "pqls.json"), []byte(`{"rules": {"PQC002": "off"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("textDocument/didSave", &protocol.DidSaveTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}})
	c.waitFor("PQC002 gone after the save", 5*time.Second, func() bool {
		p := c.lastPubLocked(u)
		return p != nil && !hasCode(p.Diagnostics, "PQC002")
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.registrations) != 0 || c.configCalls != 0 {
		t.Errorf("a client without dynamic registration or configuration got %d registrations and %d configuration requests",
			len(c.registrations), c.configCalls)
	}
}
