package model

import (
	"testing"

	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/project"
)

// TestExclusiveSelfReference checks that a field or let binding does not
// see itself without @: [StartLogin = StartLogin] names the member.
func TestExclusiveSelfReference(t *testing.T) {
	src := "section S;\nStartLogin = 1;\nR = [StartLogin = StartLogin, F = (n) => @F(n)];\nL = let x = x, y = @y in y;\n"
	f := &File{Path: "/s.pq", AST: parser.Parse("/s.pq", []byte(src)), Role: project.Main}
	prog := New(&project.Project{Root: "/"}, f)
	kinds := map[string][]DefKind{}
	for id, d := range f.Refs() {
		kinds[id.Name] = append(kinds[id.Name], d.Kind)
	}
	want := map[string][]DefKind{"StartLogin": {DefMember}, "F": {DefField}, "x": nil, "y": {DefBinding, DefBinding}}
	for name, k := range want {
		if len(kinds[name]) != len(k) || len(k) > 0 && kinds[name][0] != k[0] {
			t.Errorf("%s resolves to %v, want %v", name, kinds[name], k)
		}
	}
	_ = prog
}
