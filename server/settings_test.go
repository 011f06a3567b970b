package server

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/pqls/pqls/project"
)

func TestSettingsFromInitializationOptions(t *testing.T) {
	for _, opts := range []any{
		map[string]any{"rules": map[string]any{"PQC002": "off"}},
		map[string]any{"pqls": map[string]any{"rules": map[string]any{"PQC002": "off"}}},
	} {
		dir := writeProject(t, map[string]string{"Contoso.pq": noVersion})
		c := startServer(t, testOptions{delay: 0})
		c.initialize(capsNone, map[string]any{"initializationOptions": opts})
		u := fileURI(dir, "Contoso.pq")
		c.open(u, 1, noVersion)
		if pub := c.waitDiags(u, 1); hasCode(pub.Diagnostics, "PQC002") {
			t.Errorf("initializationOptions %v: PQC002 reported", opts)
		}
	}
}

// workspace/didChangeConfiguration from a client that does not answer
// workspace/configuration carries the settings; every open document is
// checked again.
func TestDidChangeConfiguration(t *testing.T) {
	dir := writeProject(t, map[string]string{"Contoso.pq": noVersion})
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsNone, nil)
	u := fileURI(dir, "Contoso.pq")
	c.open(u, 1, noVersion)
	if !hasCode(c.waitDiags(u, 1).Diagnostics, "PQC002") {
		t.Fatal("no PQC002 to begin with")
	}
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"pqls": map[string]any{"rules": map[string]any{"PQC002": "hint"}}}})
	c.waitFor("PQC002 as a hint", 5*time.Second, func() bool {
		p := c.lastPubLocked(u)
		d := findCode(p.Diagnostics, "PQC002")
		return d != nil && d.Severity == protocol.DiagnosticSeverityHint
	})
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"pqls": map[string]any{"rules": map[string]any{"PQC002": "off"}}}})
	c.waitFor("PQC002 off", 5*time.Second, func() bool { return !hasCode(c.lastPubLocked(u).Diagnostics, "PQC002") })
	// Settings that do not parse are ignored, the previous ones stay.
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"rules": "nonsense"}})
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{}})
	c.waitFor("PQC002 back", 5*time.Second, func() bool { return hasCode(c.lastPubLocked(u).Diagnostics, "PQC002") })
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.messages) != 0 {
		t.Errorf("editor settings produced window/showMessage: %v", c.messages[0].Message)
	}
}

// A client that answers workspace/configuration is asked after initialized
// and again on each didChangeConfiguration.
func TestWorkspaceConfiguration(t *testing.T) {
	dir := writeProject(t, map[string]string{"Contoso.pq": noVersion})
	c := startServer(t, testOptions{delay: 0})
	c.config = json.RawMessage(`{"rules":{"PQC002":"off"}}`)
	c.initialize(capsFull, nil)
	c.waitFor("workspace/configuration", 5*time.Second, func() bool { return c.configCalls == 1 })
	u := fileURI(dir, "Contoso.pq")
	c.open(u, 1, noVersion)
	c.waitFor("diagnostics without PQC002", 5*time.Second, func() bool {
		p := c.lastPubLocked(u)
		return p != nil && !hasCode(p.Diagnostics, "PQC002")
	})
	c.mu.Lock()
	c.config = json.RawMessage(`{}`)
	c.mu.Unlock()
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": nil})
	c.waitFor("PQC002 after the configuration changed", 5*time.Second, func() bool {
		return c.configCalls == 2 && hasCode(c.lastPubLocked(u).Diagnostics, "PQC002")
	})
}

// A malformed pqls.json is shown once, as a warning naming file:line:col,
// and otherwise ignored.
func TestMalformedConfigFile(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"Contoso.pq": noVersion,
		"pqls.json":  "{\n  \"rules\": {\n    \"PQC002\": \"of\"\n  }\n}\n",
	})
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsNone, nil)
	u := fileURI(dir, "Contoso.pq")
	c.open(u, 1, noVersion)
	if !hasCode(c.waitDiags(u, 1).Diagnostics, "PQC002") {
		t.Error("the malformed file was applied")
	}
	for v := int32(2); v <= 4; v++ {
		c.changeAll(u, v, noVersion+strings.Repeat(" ", int(v)))
		c.waitDiags(u, v)
	}
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": fileURI(dir, "pqls.json"), "type": 2}}})
	c.changeAll(u, 5, noVersion)
	c.waitDiags(u, 5)
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.messages) != 1 {
		t.Fatalf("%d messages, want exactly 1: %v", len(c.messages), c.messages)
	}
	m := c.messages[0]
	if m.Type != protocol.MessageTypeWarning {
		t.Errorf("message type %d, want warning", m.Type)
	}
	if !regexp.MustCompile(`pqls\.json:3:\d+: `).MatchString(m.Message) {
		t.Errorf("message %q does not name pqls.json:3:col", m.Message)
	}
}

func TestPullDiagnostics(t *testing.T) {
	dir := writeProject(t, map[string]string{"Contoso.pq": noVersion})
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsPull, nil)
	u := fileURI(dir, "Contoso.pq")
	c.open(u, 1, noVersion)
	pull := func(prev string) map[string]any {
		params := map[string]any{"textDocument": map[string]any{"uri": u}}
		if prev != "" {
			params["previousResultId"] = prev
		}
		raw, _ := json.Marshal(params)
		code, res := c.callRaw("textDocument/diagnostic", string(raw))
		if code != 0 {
			t.Fatalf("textDocument/diagnostic: code %d", code)
		}
		var m map[string]any
		json.Unmarshal(res, &m)
		return m
	}
	first := pull("")
	if first["kind"] != "full" || !strings.Contains(jsonString(first["items"]), "PQC002") {
		t.Fatalf("first pull: %v", first)
	}
	rid, _ := first["resultId"].(string)
	if again := pull(rid); again["kind"] != "unchanged" || again["resultId"] != rid {
		t.Errorf("pull with the same result id: %v", again)
	}
	c.changeAll(u, 2, withVersion)
	if after := pull(rid); after["kind"] != "full" || strings.Contains(jsonString(after["items"]), "PQC002") {
		t.Errorf("pull after the fix: %v", after)
	}

	// Workspace diagnostics: every file of the project; a poll with nothing
	// new waits for a change.
	code, res := c.callRaw("workspace/diagnostic", `{"previousResultIds":[]}`)
	if code != 0 {
		t.Fatalf("workspace/diagnostic: code %d", code)
	}
	var wr struct {
		Items []struct {
			URI      string `json:"uri"`
			Kind     string `json:"kind"`
			ResultID string `json:"resultId"`
			Version  *int32 `json:"version"`
		} `json:"items"`
	}
	json.Unmarshal(res, &wr)
	if len(wr.Items) != 1 || wr.Items[0].URI != string(u) || wr.Items[0].Version == nil || *wr.Items[0].Version != 2 {
		t.Fatalf("workspace/diagnostic items: %s", res)
	}
	prev, _ := json.Marshal(map[string]any{"previousResultIds": []any{map[string]any{"uri": u, "value": wr.Items[0].ResultID}}})
	type answer struct {
		code jsonrpc2.Code
		res  json.RawMessage
	}
	got := make(chan answer, 1)
	go func() {
		code, res := c.callRaw("workspace/diagnostic", string(prev))
		got <- answer{code, res}
	}()
	select {
	case a := <-got:
		t.Fatalf("workspace/diagnostic with nothing new answered at once: %d %s", a.code, a.res)
	case <-time.After(200 * time.Millisecond):
	}
	c.changeAll(u, 3, noVersion)
	select {
	case a := <-got:
		if a.code != 0 || !strings.Contains(string(a.res), "PQC002") {
			t.Errorf("workspace/diagnostic after a change: %d %s", a.code, a.res)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("workspace/diagnostic did not answer after a change")
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pubs) != 0 {
		t.Errorf("a client that pulls got %d pushed diagnostics", len(c.pubs))
	}
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// maxFileSizeMB in a project's pqls.json applies in the server as it does
// in `pqls check`, and wins over the editor's, as the rest of the file
// does: the file is shared by the project's team and its CI. Editor
// settings still apply to projects whose pqls.json does not set it.
func TestMaxFileSizeFromConfigFile(t *testing.T) {
	main := "[Version = \"1.0.0\"]\nsection Contoso;\nshared Contoso.Contents = () => 1;\n"
	big := strings.Repeat("1 + ", (2<<20)/4) + "1" // 2 MB
	for _, tc := range []struct {
		name     string
		editorMB int    // 0: not set in the editor
		file     string // pqls.json, "" for none
		wantRead bool
	}{
		{name: "file lowers the default", file: `{"maxFileSizeMB": 1}`, wantRead: false},
		{name: "file raises the editor's", editorMB: 1, file: `{"maxFileSizeMB": 4}`, wantRead: true},
		{name: "file lowers the editor's", editorMB: 8, file: `{"maxFileSizeMB": 1}`, wantRead: false},
		{name: "file without the setting keeps the editor's", editorMB: 1, file: `{"rules": {}}`, wantRead: false},
		{name: "no file keeps the editor's", editorMB: 1, wantRead: false},
		{name: "defaults", wantRead: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"Contoso.pq": main, "Big.pqm": big}
			if tc.file != "" {
				files["pqls.json"] = tc.file
			}
			dir := writeProject(t, files)
			c := startServer(t, testOptions{delay: 0})
			var extra map[string]any
			if tc.editorMB > 0 {
				extra = map[string]any{"initializationOptions": map[string]any{"maxFileSizeMB": tc.editorMB}}
			}
			c.initialize(capsNone, extra)
			u := fileURI(dir, "Contoso.pq")
			c.open(u, 1, main)
			c.waitDiags(u, 1)
			if read, tooLarge := bigFileRead(t, c, u, filepath.Join(dir, "Big.pqm")); read != tc.wantRead || tooLarge == read {
				t.Errorf("Big.pqm (2 MB) read: %v, reported too large: %v; want read %v", read, tooLarge, tc.wantRead)
			}
		})
	}
}

// A pqls.json whose limit changes on disk takes effect at the next check.
func TestMaxFileSizeConfigFileChanged(t *testing.T) {
	main := "[Version = \"1.0.0\"]\nsection Contoso;\nshared Contoso.Contents = () => 1;\n"
	dir := writeProject(t, map[string]string{
		"Contoso.pq": main,
		"Big.pqm":    strings.Repeat("1 + ", (2<<20)/4) + "1",
		"pqls.json":  `{"maxFileSizeMB": 1}`,
	})
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsNone, nil)
	u := fileURI(dir, "Contoso.pq")
	c.open(u, 1, main)
	c.waitDiags(u, 1)
	big := filepath.Join(dir, "Big.pqm")
	if read, _ := bigFileRead(t, c, u, big); read {
		t.Fatal("Big.pqm read under a 1 MB limit")
	}
	if err := os.WriteFile(filepath.Join(dir, "pqls.json"), []byte(`{"maxFileSizeMB": 4}`), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": fileURI(dir, "pqls.json"), "type": 2}}})
	c.changeAll(u, 2, main+" ")
	c.waitDiags(u, 2)
	if read, tooLarge := bigFileRead(t, c, u, big); !read || tooLarge {
		t.Errorf("after the limit went up to 4 MB: Big.pqm read %v, reported too large %v", read, tooLarge)
	}
}

// bigFileRead reports whether the model of the project of the document u
// holds the file at path, and whether the project reports it too large.
func bigFileRead(t *testing.T, c *testClient, u uri.URI, path string) (read, tooLarge bool) {
	t.Helper()
	_, ps := c.srv.openDocument(mustPath(u))
	proj, prog, _ := c.srv.snapshot(ps).model()
	for _, pr := range proj.Problems {
		if pr.Path == path && errors.Is(pr.Err, project.ErrTooLarge) {
			tooLarge = true
		}
	}
	return prog.ByPath[path] != nil, tooLarge
}
