package analysis

import (
	"bytes"
	"math/rand"
	"slices"
	"testing"

	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/internal/testconnector"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
)

// TestSummaryEdgesAfterEdits checks the references between members that
// summarize carries over from the version before (for the members an edit
// left alone, when no member was renamed) against the ones worked out
// afresh, over edits that add, drop and rename references and members.
func TestSummaryEdgesAfterEdits(t *testing.T) {
	src := testconnector.TypeModule(24 << 10)
	frags := []string{"Schema.Entity3.Type", "Schema.Entity3.Table({})", " + ", "x", "Schema.Entity7", "_", "\"", ";", " ", "//", "\nA = Schema.Entity2.Type;\n"}
	rng := rand.New(rand.NewSource(7))
	p := &project.Project{Root: "/t", Name: "T", Main: "/t/T.pq", Listed: true}
	file := parser.Parse(p.Main, src)
	var prev *docSummary
	carried := 0
	for step := range 300 {
		if step > 0 {
			at := rng.Intn(len(file.Src) + 1)
			end := min(at+rng.Intn(3), len(file.Src))
			file = parser.Reparse(file, parser.Edit{Start: at, End: end, Text: []byte(frags[rng.Intn(len(frags))])})
		}
		prog := model.New(p, &model.File{Path: p.Main, AST: file, Role: project.Main})
		if prog.Main.AST.Section == nil {
			prev = nil
			continue
		}
		got, want := summarize(prog, prev), summarize(prog, nil)
		if !slices.Equal(got.useStart, want.useStart) || !slices.Equal(got.uses, want.uses) {
			t.Fatalf("step %d: references carried over differ from those worked out afresh\n got %v %v\nwant %v %v\nsource:\n%s",
				step, got.useStart, got.uses, want.useStart, want.uses, file.Src)
		}
		if prev != nil && len(prev.names) == len(prog.MemberList) {
			carried++
		}
		got.detach()
		prev = got
	}
	if carried == 0 {
		t.Error("no version carried references over: the test does not test it")
	}
	if !bytes.Contains(src, []byte("Schema.Entity7.Type =")) {
		t.Error("the generated module names no members the fragments refer to")
	}
}
