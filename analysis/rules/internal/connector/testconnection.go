package connector

import (
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// TestConnectionTargets returns the names of the members that the kind
// records' TestConnection handlers name, as text ({"Contoso.Contents", url})
// or by reference. Such functions exist for the connection test, not for
// users, so the naming and result-shape rules leave them alone.
func TestConnectionTargets(prog *model.Program) map[string]bool {
	out := map[string]bool{}
	for _, kr := range KindRecords(prog) {
		x := FieldValue(kr.Rec, "TestConnection")
		if x == nil {
			continue
		}
		ast.Inspect(x, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.Literal:
				if s, ok := model.Text(n); ok && prog.Members[s] != nil {
					out[s] = true
				}
			case *ast.Ident:
				if prog.Members[n.Name] != nil {
					out[n.Name] = true
				}
			}
			return true
		})
	}
	return out
}
