package server

import (
	"math/rand/v2"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// A big document full of everything that trips position arithmetic — a
// BOM, CRLF and lone CR, tabs, non-ASCII and astral characters, U+2028,
// half-typed code — edited at random, stays identical on both sides.
func TestHugeAwkwardDocument(t *testing.T) {
	dir := writeProject(t, map[string]string{})
	r := rand.New(rand.NewPCG(11, 12))
	var b strings.Builder
	b.WriteString("\ufeff[Version = \"1.0.0\"]\r\nsection Big;\r\n")
	for i := 0; b.Len() < 1<<20; i++ {
		switch r.IntN(5) {
		case 0:
			b.WriteString("shared M" + strings.Repeat("x", i%7) + " = \"é😀\t𝄞\u2028\";\r\n")
		case 1:
			b.WriteString("shared F = (a, b) => let c = a + b, d = \"€\" in c;\n")
		case 2:
			b.WriteString("// comment 😀 with a lone CR\rshared G = 1;\n")
		case 3:
			b.WriteString("shared Half = let x = \r\n") // half-typed
		default:
			b.WriteString("\tshared T = [A = 1, B = {1, 2, 3}];\r\n")
		}
	}
	text := b.String()
	c := startServer(t, testOptions{delay: -1}) // debounced: the edits, not the checks, are under test
	c.initialize(capsNone, nil)
	u := fileURI(dir, "Big.pq")
	c.open(u, 1, text)
	pieces := []string{"", "x", "😀", "\r\n", "\r", "\t", "é", "\"", "let", "/*", "in"}
	for v := int32(2); v <= 200; v++ {
		// A random spot at a character boundary, not inside a CR LF pair.
		a := r.IntN(len(text))
		for a < len(text) && (text[a]&0xC0 == 0x80 || a > 0 && text[a-1] == '\r' && text[a] == '\n') {
			a++
		}
		end := a
		for range r.IntN(4) {
			if end < len(text) {
				end++
			}
			for end < len(text) && (text[end]&0xC0 == 0x80 || text[end-1] == '\r' && text[end] == '\n') {
				end++
			}
		}
		ins := pieces[r.IntN(len(pieces))]
		c.change(u, v, wireEdit{Range: protocol.Range{Start: refPosition(text, a, false), End: refPosition(text, end, false)}, Text: ins})
		text = text[:a] + ins + text[end:]
	}
	c.waitDiags(u, 200)
	got, ver, _ := c.serverText(mustPath(u))
	if ver != 200 || got != text {
		t.Fatalf("server text differs after 200 edits (version %d, %d bytes, want %d)", ver, len(got), len(text))
	}
}

// A buffer that is not a file (untitled) is checked on its own.
func TestUntitledDocument(t *testing.T) {
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsNone, nil)
	u := uri.URI("untitled:Untitled-1")
	c.open(u, 1, noVersion)
	if pub := c.waitDiags(u, 1); !hasCode(pub.Diagnostics, "PQC002") {
		t.Errorf("untitled document: %v", codes(pub.Diagnostics))
	}
	c.changeAll(u, 2, withVersion)
	if pub := c.waitDiags(u, 2); hasCode(pub.Diagnostics, "PQC002") {
		t.Errorf("untitled document after the fix: %v", codes(pub.Diagnostics))
	}
}

// Documents of several workspace folders are checked each with their own
// project and pqls.json.
func TestWorkspaceFolders(t *testing.T) {
	one := writeProject(t, map[string]string{"One.pq": noVersion, "pqls.json": `{"rules":{"PQC002":"off"}}`})
	two := writeProject(t, map[string]string{"Two.pq": noVersion})
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsFull, map[string]any{"workspaceFolders": []any{
		map[string]any{"uri": uri.File(one), "name": "one"},
		map[string]any{"uri": uri.File(two), "name": "two"},
	}})
	u1, u2 := fileURI(one, "One.pq"), fileURI(two, "Two.pq")
	c.open(u1, 1, noVersion)
	c.open(u2, 1, noVersion)
	if pub := c.waitDiags(u1, 1); hasCode(pub.Diagnostics, "PQC002") {
		t.Errorf("folder one has PQC002 off, yet: %v", codes(pub.Diagnostics))
	}
	if pub := c.waitDiags(u2, 1); !hasCode(pub.Diagnostics, "PQC002") {
		t.Errorf("folder two: %v", codes(pub.Diagnostics))
	}
	three := writeProject(t, map[string]string{"Three.pq": noVersion})
	c.notify("workspace/didChangeWorkspaceFolders", map[string]any{"event": map[string]any{
		"added":   []any{map[string]any{"uri": uri.File(three), "name": "three"}},
		"removed": []any{map[string]any{"uri": uri.File(one), "name": "one"}},
	}})
	u3 := fileURI(three, "Three.pq")
	c.open(u3, 1, noVersion)
	if pub := c.waitDiags(u3, 1); !hasCode(pub.Diagnostics, "PQC002") {
		t.Errorf("folder three: %v", codes(pub.Diagnostics))
	}
	c.srv.mu.Lock()
	folders := strings.Join(c.srv.folders, " ")
	c.srv.mu.Unlock()
	if folders != two+" "+three {
		t.Errorf("folders %q", folders)
	}
}
