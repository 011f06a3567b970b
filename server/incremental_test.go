package server

import (
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// TestChecksReusePreviousState checks that the server hands each check of
// a project the state of the one before, so that an edit in one member
// reuses the findings of the others (analysis.CheckIncremental).
func TestChecksReusePreviousState(t *testing.T) {
	text := bigConnector("Big", 64<<10)
	dir := writeProject(t, map[string]string{"Big.pq": text})
	c := startServer(t, testOptions{delay: 0})
	c.initialize(capsNone, nil)
	u := fileURI(dir, "Big.pq")
	c.open(u, 1, text)
	c.waitDiags(u, 1)
	at := strings.Index(text, "x + 7,") + len("x + ")
	pos := refPosition(text, at, false)
	c.change(u, 2, wireEdit{Range: protocol.Range{Start: pos, End: protocol.Position{Line: pos.Line, Character: pos.Character + 1}}, Text: "8"})
	c.waitDiags(u, 2)
	s := c.srv
	s.mu.Lock()
	var reused, members int
	for _, ps := range s.projects {
		ps.mu.Lock()
		if r := ps.result; r != nil && r.incr != nil {
			reused = r.incr.Reused()
			if r.snapshot != nil && r.snapshot.prog != nil {
				members = len(r.snapshot.prog.MemberList)
			}
		}
		ps.mu.Unlock()
	}
	s.mu.Unlock()
	t.Logf("reused %d of %d members", reused, members)
	if reused == 0 || members > 0 && reused < members-1 {
		t.Errorf("the check after the edit reused %d of %d members, want all but the edited one", reused, members)
	}
}
