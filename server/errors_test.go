package server

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// The server answers bad input with the right error and keeps serving.
func TestMalformedMessages(t *testing.T) {
	rc := startRaw(t, testHooks{})
	rc.initialize()
	for _, tc := range []struct {
		name, body, id string
		code           int
	}{
		{"truncated JSON", `{"jsonrpc":"2.0","id":7,"method":"shutdown"`, "null", int(jsonrpc2.ParseError)},
		{"not JSON", `hello`, "null", int(jsonrpc2.ParseError)},
		{"trailing garbage", `{"jsonrpc":"2.0","id":8,"method":"shutdown"} x`, "null", int(jsonrpc2.ParseError)},
		{"no jsonrpc member", `{"id":9,"method":"shutdown"}`, "9", int(jsonrpc2.InvalidRequest)},
		{"method not a string", `{"jsonrpc":"2.0","id":10,"method":5}`, "10", int(jsonrpc2.InvalidRequest)},
		{"a number", `42`, "null", int(jsonrpc2.InvalidRequest)},
	} {
		rc.send(tc.body)
		if code, _ := rc.response(tc.id); code != tc.code {
			t.Errorf("%s: code %d, want %d", tc.name, code, tc.code)
		}
	}
	// Still serving.
	rc.send(`{"jsonrpc":"2.0","id":11,"method":"textDocument/codeAction","params":{"textDocument":{"uri":"file:///nowhere.pq"},"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[]}}}`)
	if code, res := rc.response("11"); code != 0 || (string(res) != "null" && string(res) != "[]") {
		t.Errorf("codeAction after malformed input: code %d result %s", code, res)
	}
	rc.send(`{"jsonrpc":"2.0","id":12,"method":"shutdown"}`)
	if code, _ := rc.response("12"); code != 0 {
		t.Errorf("shutdown: code %d", code)
	}
}

func TestInvalidParams(t *testing.T) {
	dir := writeProject(t, map[string]string{"A.pq": "section A;\r\nshared X = \"😀\";\r\n"})
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsNone, nil)
	u := fileURI(dir, "A.pq")
	c.open(u, 1, "section A;\r\nshared X = \"😀\";\r\n")
	ca := func(rng string) string {
		return `{"textDocument":{"uri":"` + string(u) + `"},"range":` + rng + `,"context":{"diagnostics":[]}}`
	}
	for _, tc := range []struct{ name, method, params string }{
		{"range of the wrong type", "textDocument/codeAction", ca(`"everything"`)},
		{"line is a string", "textDocument/codeAction", ca(`{"start":{"line":"0","character":0},"end":{"line":0,"character":0}}`)},
		{"negative line", "textDocument/codeAction", ca(`{"start":{"line":-1,"character":0},"end":{"line":0,"character":0}}`)},
		{"line past the end", "textDocument/codeAction", ca(`{"start":{"line":0,"character":0},"end":{"line":7,"character":0}}`)},
		{"line far past the end", "textDocument/codeAction", ca(`{"start":{"line":4000000000,"character":0},"end":{"line":4000000000,"character":0}}`)},
		{"reversed range", "textDocument/codeAction", ca(`{"start":{"line":1,"character":0},"end":{"line":0,"character":0}}`)},
		{"params an array", "textDocument/codeAction", `[1,2]`},
		{"params missing", "textDocument/codeAction", ``},
		{"uri a number", "textDocument/codeAction", `{"textDocument":{"uri":5},"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[]}}`},
		{"diagnostic request with a uri of the wrong type", "textDocument/diagnostic", `{"textDocument":{"uri":true}}`},
	} {
		if code, _ := c.callRaw(tc.method, tc.params); code != jsonrpc2.InvalidParams {
			t.Errorf("%s: code %d, want %d", tc.name, code, jsonrpc2.InvalidParams)
		}
	}
	// A character past the end of its line is clamped, as the specification
	// says, and the line after the last with character 0 is the end.
	for _, rng := range []string{
		`{"start":{"line":0,"character":0},"end":{"line":0,"character":999}}`,
		`{"start":{"line":0,"character":0},"end":{"line":2,"character":0}}`,
	} {
		if code, _ := c.callRaw("textDocument/codeAction", ca(rng)); code != 0 {
			t.Errorf("codeAction %s: code %d, want success", rng, code)
		}
	}

	// Notifications with bad parameters are dropped; the document is intact.
	bad := []string{
		`{"textDocument":{"uri":"` + string(u) + `","version":2},"contentChanges":[{"range":{"start":{"line":-1,"character":0},"end":{"line":0,"character":0}},"text":"LOST"}]}`,
		`{"textDocument":{"uri":"` + string(u) + `","version":2},"contentChanges":[{"range":5,"text":"LOST"}]}`,
		`{"textDocument":{"uri":"` + string(u) + `","version":"2"},"contentChanges":[{"text":"LOST"}]}`,
		`{"textDocument":{"uri":"` + string(u) + `","version":2},"contentChanges":[{"range":{"start":{"line":0},"end":{"line":0,"character":0}},"text":"LOST"}]}`,
		`{"textDocument":{"uri":"` + string(u) + `","version":2},"contentChanges":[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}}}]}`,
		`{"textDocument":{"uri":"` + string(u) + `","version":2}}`,
		`[]`,
	}
	for _, p := range bad {
		c.notify("textDocument/didChange", jsonrpc2.RawMessage(p))
	}
	c.notify("textDocument/didOpen", jsonrpc2.RawMessage(`{"textDocument":{"uri":7}}`))
	c.notify("textDocument/didClose", jsonrpc2.RawMessage(`{"textDocument":{"uri":"file:///not/open.pq"}}`))
	c.notify("textDocument/didChange", jsonrpc2.RawMessage(`{"textDocument":{"uri":"file:///not/open.pq","version":3},"contentChanges":[{"text":"x"}]}`))
	c.notify("workspace/didChangeConfiguration", jsonrpc2.RawMessage(`{"settings":{"rules":5}}`))
	c.notify("$/cancelRequest", jsonrpc2.RawMessage(`{"id":{"nested":true}}`))
	if code, _ := c.callRaw("textDocument/codeAction", ca(`{"start":{"line":0,"character":0},"end":{"line":0,"character":0}}`)); code != 0 {
		t.Fatalf("server not serving after bad notifications: code %d", code)
	}
	text, ver, ok := c.serverText(mustPath(u))
	if !ok || ver != 1 || text != "section A;\r\nshared X = \"😀\";\r\n" || strings.Contains(text, "LOST") {
		t.Errorf("document after refused changes: version %d text %q", ver, text)
	}
}

// A request canceled while it runs answers RequestCancelled.
func TestCancelRequest(t *testing.T) {
	holding := make(chan struct{}, 1)
	hooks := testHooks{beforeCall: func(ctx context.Context, method string) {
		if method != "textDocument/codeAction" {
			return
		}
		holding <- struct{}{}
		select {
		case <-ctx.Done():
		case <-time.After(10 * time.Second):
		}
	}}
	rc := startRaw(t, hooks)
	rc.initialize()
	rc.send(`{"jsonrpc":"2.0","id":"req-1","method":"textDocument/codeAction","params":{"textDocument":{"uri":"file:///x.pq"},"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[]}}}`)
	<-holding
	rc.send(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"req-1"}}`)
	if code, _ := rc.response(`"req-1"`); code != int(protocol.CodeRequestCancelled) {
		t.Errorf("canceled request: code %d, want %d", code, protocol.CodeRequestCancelled)
	}
	// A number id, and a cancel for a request that is already answered.
	rc.send(`{"jsonrpc":"2.0","id":5,"method":"textDocument/codeAction","params":{"textDocument":{"uri":"file:///x.pq"},"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[]}}}`)
	<-holding
	rc.send(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":5}}`)
	if code, _ := rc.response("5"); code != int(protocol.CodeRequestCancelled) {
		t.Errorf("canceled request: code %d, want %d", code, protocol.CodeRequestCancelled)
	}
	rc.send(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":5}}`)
	// A cancel right behind its request, before the handler has started.
	rc.send(`{"jsonrpc":"2.0","id":7,"method":"textDocument/codeAction","params":{"textDocument":{"uri":"file:///x.pq"},"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[]}}}`)
	rc.send(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":7}}`)
	start := time.Now()
	if code, _ := rc.response("7"); code != int(protocol.CodeRequestCancelled) {
		t.Errorf("request canceled at once: code %d, want %d", code, protocol.CodeRequestCancelled)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the cancel was seen only after %v", d)
	}
	<-holding
	rc.send(`{"jsonrpc":"2.0","id":6,"method":"shutdown"}`)
	if code, res := rc.response("6"); code != 0 || string(res) != "null" {
		t.Errorf("shutdown after cancellations: code %d result %s", code, res)
	}
	var _ = json.Valid
}
