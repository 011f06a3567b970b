package server

import (
	"fmt"
	"strings"
	"testing"

	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/parser"
)

// Trees beyond the budget are let go and parsed again on use, to the same
// tree; an edit to a document whose tree went parses the new text whole.
func TestTreeBudget(t *testing.T) {
	log := zap.NewNop()
	trees := &treeCache{}
	text := bigConnector("Big", treeBudget*2/5)
	var docs []*document
	for i := range 3 {
		path := fmt.Sprintf("/p%d/Big.pq", i)
		docs = append(docs, newDocumentIn(trees, log, uri.File(path), path, "powerquery", 1, []byte(text)))
	}
	// Three trees of 2/5 of the budget each: the first went.
	if docs[0].tree.peek() != nil {
		t.Error("the least recently used tree is still kept over the budget")
	}
	if docs[2].tree.peek() == nil || docs[1].tree.peek() == nil {
		t.Error("a tree within the budget was let go")
	}
	f := docs[0].file(log)
	if f == nil || !sameTree(f, parser.Parse("/p0/Big.pq", []byte(text))) {
		t.Fatal("the tree parsed again differs from a fresh parse")
	}
	if docs[0].tree.peek() == nil || docs[1].tree.peek() != nil {
		t.Error("using a tree did not make it the most recent one")
	}
	// docs[1] has no tree now: an edit parses the edited text whole.
	at := len(text) / 2
	nd := docs[1].apply(log, edit{start: at, end: at, text: []byte(" ")}, 2)
	want := text[:at] + " " + text[at:]
	if got := nd.file(log); got == nil || string(got.Src) != want || !sameTree(got, parser.Parse("/p1/Big.pq", []byte(want))) {
		t.Error("an edit to a document without its tree does not give the edited text's tree")
	}
	// The old version leaves the budget to the new one.
	trees.mu.Lock()
	for _, e := range trees.entries {
		if e == docs[1].tree {
			t.Error("the edited document's old tree still takes budget")
		}
	}
	trees.mu.Unlock()
}

// sameTree compares two parses of section documents by their printed
// trees.
func sameTree(a, b *ast.File) bool {
	var da, db strings.Builder
	if a.Section == nil || b.Section == nil || ast.Fprint(&da, a, a.Section) != nil || ast.Fprint(&db, b, b.Section) != nil {
		return false
	}
	return string(a.Src) == string(b.Src) && da.String() == db.String()
}
