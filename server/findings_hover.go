package server

import (
	"fmt"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules"
)

// findingNotes returns Markdown explaining the findings of the request's
// document that cover its position — each rule's title and explanation and
// a link to its page — and the range of the first of them. It answers from
// the project's latest check, and only if that check saw the document as
// the request does: hover never waits for a check.
func (s *session) findingNotes(r *ideRequest) (notes string, start, end int, ok bool) {
	_, ps := s.openDocument(cleanKey(r.doc.path))
	if ps == nil {
		return "", 0, 0, false
	}
	// The latest check, if it saw this version of the document: hover
	// must not wait for a check of its own.
	ps.mu.Lock()
	res := ps.result
	ps.mu.Unlock()
	if res == nil || res.failed {
		return "", 0, 0, false
	}
	if od := res.snapshot.open[cleanKey(r.doc.path)]; od == nil || od.version != r.doc.version {
		return "", 0, 0, false
	}
	var b strings.Builder
	seen := map[string]bool{}
	for _, d := range res.byPath[cleanKey(r.doc.path)] {
		if d.Start > r.off || r.off > d.End || d.Code == "" || d.Code == analysis.SyntaxCode || seen[d.Code] {
			continue
		}
		a := rules.Lookup(d.Code)
		if a == nil {
			continue
		}
		if !ok {
			start, end, ok = d.Start, d.End, true
		}
		seen[d.Code] = true
		if b.Len() > 0 {
			b.WriteString("\n\n---\n\n")
		}
		fmt.Fprintf(&b, "**%s** %s\n\n%s", a.ID, a.Title, a.Doc)
		if d.HelpURI != "" {
			fmt.Fprintf(&b, "\n\n[Rule page](%s)", d.HelpURI)
		}
	}
	return b.String(), start, end, ok
}
