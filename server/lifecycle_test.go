package server

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

func TestInitializeCapabilities(t *testing.T) {
	c := startServer(t, testOptions{delay: -1})
	res := c.initialize(capsNone, nil)
	raw, err := protocol.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	json.Unmarshal(raw, &got)
	caps := got["capabilities"].(map[string]any)
	// Exactly what is implemented, nothing more.
	var keys []string
	for k := range caps {
		keys = append(keys, k)
	}
	want := map[string]bool{"positionEncoding": true, "textDocumentSync": true, "codeActionProvider": true, "workspace": true,
		"hoverProvider": true, "definitionProvider": true, "referencesProvider": true, "renameProvider": true,
		"documentSymbolProvider": true, "completionProvider": true, "semanticTokensProvider": true,
		"documentFormattingProvider": true, "documentRangeFormattingProvider": true,
		"signatureHelpProvider": true, "foldingRangeProvider": true, "selectionRangeProvider": true, "documentHighlightProvider": true,
		"documentLinkProvider": true, "inlayHintProvider": true, "workspaceSymbolProvider": true}
	for _, k := range keys {
		if !want[k] {
			t.Errorf("unexpected capability %s = %v", k, caps[k])
		}
		delete(want, k)
	}
	for k := range want {
		t.Errorf("missing capability %s", k)
	}
	if caps["positionEncoding"] != "utf-16" {
		t.Errorf("positionEncoding = %v, want utf-16 for a client that offers none", caps["positionEncoding"])
	}
	sync := caps["textDocumentSync"].(map[string]any)
	if sync["change"] != float64(2) || sync["openClose"] != true {
		t.Errorf("textDocumentSync = %v, want incremental with open/close", sync)
	}
	ca := caps["codeActionProvider"].(map[string]any)
	if kinds, _ := json.Marshal(ca["codeActionKinds"]); string(kinds) != `["quickfix","source.fixAll.pqls"]` {
		t.Errorf("codeActionKinds = %s", kinds)
	}
	st := caps["semanticTokensProvider"].(map[string]any)
	if legend, _ := json.Marshal(st["legend"]); st["full"] != true || st["range"] != nil ||
		string(legend) != `{"tokenModifiers":["defaultLibrary","declaration","readonly"],"tokenTypes":["keyword","string","number","comment","function","variable","parameter","property","type","operator"]}` {
		t.Errorf("semanticTokensProvider = %v", st)
	}
	if caps["renameProvider"] != true {
		t.Errorf("renameProvider = %v, want true for a client without prepareSupport", caps["renameProvider"])
	}
	if got["serverInfo"].(map[string]any)["name"] != "pqls" {
		t.Errorf("serverInfo = %v", got["serverInfo"])
	}
}

func TestRenameProviderWithPrepareSupport(t *testing.T) {
	c := startServer(t, testOptions{delay: -1})
	res := c.initialize(`{"textDocument":{"rename":{"prepareSupport":true}}}`, nil)
	ro, ok := res.Capabilities.RenameProvider.(*protocol.RenameOptions)
	if !ok || ro.PrepareProvider == nil || !*ro.PrepareProvider {
		t.Errorf("renameProvider = %#v, want options with prepareProvider", res.Capabilities.RenameProvider)
	}
}

func TestPositionEncodingNegotiation(t *testing.T) {
	for _, tc := range []struct{ caps, want string }{
		{capsNone, "utf-16"},
		{`{"general":{"positionEncodings":["utf-8","utf-16"]}}`, "utf-8"},
		{`{"general":{"positionEncodings":["utf-16","utf-8"]}}`, "utf-16"},
		{`{"general":{"positionEncodings":["utf-32","utf-8"]}}`, "utf-8"},
		{`{"general":{"positionEncodings":["utf-32"]}}`, "utf-16"},
		{`{"general":{"positionEncodings":[]}}`, "utf-16"},
	} {
		c := startServer(t, testOptions{delay: -1})
		res := c.initialize(tc.caps, nil)
		if string(res.Capabilities.PositionEncoding) != tc.want {
			t.Errorf("client offers %s: server chose %q, want %q", tc.caps, res.Capabilities.PositionEncoding, tc.want)
		}
	}
}

func TestPullCapability(t *testing.T) {
	c := startServer(t, testOptions{delay: -1})
	res := c.initialize(capsPull, nil)
	dp, ok := res.Capabilities.DiagnosticProvider.(*protocol.DiagnosticOptions)
	if !ok || !dp.InterFileDependencies || !dp.WorkspaceDiagnostics {
		t.Fatalf("diagnosticProvider = %#v, want options with inter-file and workspace diagnostics", res.Capabilities.DiagnosticProvider)
	}
}

func TestRequestBeforeInitialize(t *testing.T) {
	c := startServer(t, testOptions{delay: -1})
	if code, _ := c.callRaw("textDocument/codeAction", `{"textDocument":{"uri":"file:///a.pq"},"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[]}}`); code != jsonrpc2.ServerNotInitialized {
		t.Errorf("codeAction before initialize: code %d, want %d", code, jsonrpc2.ServerNotInitialized)
	}
	if code, _ := c.callRaw("shutdown", ""); code != jsonrpc2.ServerNotInitialized {
		t.Errorf("shutdown before initialize: code %d, want %d", code, jsonrpc2.ServerNotInitialized)
	}
	// A notification before initialize is dropped, not an error.
	c.open("file:///tmp/x.pq", 1, "section A;")
	c.initialize(capsNone, nil)
	if _, _, ok := c.serverText("/tmp/x.pq"); ok {
		t.Error("didOpen sent before initialize was applied")
	}
}

func TestInitializeTwice(t *testing.T) {
	c := startServer(t, testOptions{delay: -1})
	// Parameters of the wrong type: refused, and the server is still new.
	if code, _ := c.callRaw("initialize", `{"processId":null,"rootUri":null,"capabilities":5}`); code != jsonrpc2.InvalidParams {
		t.Errorf("initialize with bad capabilities: code %d, want %d", code, jsonrpc2.InvalidParams)
	}
	if code, _ := c.callRaw("shutdown", ""); code != jsonrpc2.ServerNotInitialized {
		t.Errorf("shutdown after a failed initialize: code %d, want %d", code, jsonrpc2.ServerNotInitialized)
	}
	c.initialize(capsNone, nil)
	if code, _ := c.callRaw("initialize", `{"processId":null,"rootUri":null,"capabilities":{}}`); code != jsonrpc2.InvalidRequest {
		t.Errorf("second initialize: code %d, want %d", code, jsonrpc2.InvalidRequest)
	}
}

func TestUnknownMethods(t *testing.T) {
	c := startServer(t, testOptions{delay: -1})
	c.initialize(capsNone, nil)
	if code, _ := c.callRaw("textDocument/codeLens", `{"textDocument":{"uri":"file:///a.pq"}}`); code != jsonrpc2.MethodNotFound {
		t.Errorf("codeLens (not implemented): code %d, want %d", code, jsonrpc2.MethodNotFound)
	}
	if code, _ := c.callRaw("pqls/bogus", `{}`); code != jsonrpc2.MethodNotFound {
		t.Errorf("unknown request: code %d, want %d", code, jsonrpc2.MethodNotFound)
	}
	if code, _ := c.callRaw("$/bogus", `{}`); code != jsonrpc2.MethodNotFound {
		t.Errorf("unknown $/ request: code %d, want %d", code, jsonrpc2.MethodNotFound)
	}
	// Unknown notifications are ignored and the server carries on.
	c.notify("pqls/bogusNotification", map[string]any{"x": 1})
	c.notify("$/setTrace", map[string]any{"value": "verbose"})
	c.notify("textDocument/willSave", map[string]any{"textDocument": map[string]any{"uri": "file:///a.pq"}, "reason": 1})
	if code, _ := c.callRaw("shutdown", ""); code != 0 {
		t.Errorf("shutdown after unknown notifications: code %d", code)
	}
}

func TestShutdownExit(t *testing.T) {
	c := startServer(t, testOptions{delay: -1})
	c.initialize(capsNone, nil)
	if code, res := c.callRaw("shutdown", ""); code != 0 || string(res) != "null" {
		t.Fatalf("shutdown: code %d result %s, want null", code, res)
	}
	if code, _ := c.callRaw("textDocument/codeAction", `{}`); code != jsonrpc2.InvalidRequest {
		t.Errorf("request after shutdown: code %d, want %d", code, jsonrpc2.InvalidRequest)
	}
	if code, _ := c.callRaw("shutdown", ""); code != jsonrpc2.InvalidRequest {
		t.Errorf("second shutdown: code %d, want %d", code, jsonrpc2.InvalidRequest)
	}
	c.notify("exit", nil)
	select {
	case err := <-c.done:
		if err != nil {
			t.Errorf("Run after shutdown and exit = %v, want nil (exit status 0)", err)
		}
		c.done <- err
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after exit")
	}
}

func TestExitWithoutShutdown(t *testing.T) {
	c := startServer(t, testOptions{delay: -1})
	c.initialize(capsNone, nil)
	c.notify("exit", nil)
	select {
	case err := <-c.done:
		var code ExitCode
		if !errors.As(err, &code) || code != 1 {
			t.Errorf("Run after exit without shutdown = %v, want ExitCode(1)", err)
		}
		c.done <- err
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after exit")
	}
}

func TestEOFWithoutShutdown(t *testing.T) {
	c := startServer(t, testOptions{delay: -1})
	c.initialize(capsNone, nil)
	c.conn.Close()
	select {
	case err := <-c.done:
		var code ExitCode
		if !errors.As(err, &code) || code != 1 {
			t.Errorf("Run after the input ended = %v, want ExitCode(1)", err)
		}
		c.done <- err
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return at end of input")
	}
}

func TestExitBeforeInitialize(t *testing.T) {
	c := startServer(t, testOptions{delay: -1})
	c.notify("exit", nil)
	select {
	case err := <-c.done:
		if !strings.Contains(err.Error(), "without a shutdown") {
			t.Errorf("Run = %v, want ExitCode(1)", err)
		}
		c.done <- err
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after exit")
	}
}
