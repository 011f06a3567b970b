package navigation

import (
	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// eachNavCall calls fn for each call of Table.ToNavigationTable the pass
// looks at, with the function its findings go through.
//
// The rules that start there (PQC059, PQC069) are checked member by
// member: what they report from a call lies in the call's member or in
// members connected to it, or in another file of the project — a module
// the table is loaded from, a test query that calls the helper building
// it —, which connector.EachRootCall minds.
func eachNavCall(p *analysis.Pass, fn func(f *model.File, call *ast.InvokeExpr, report func(analysis.Diagnostic))) {
	connector.EachRootCall(p, isNavCall, fn)
}

// isNavCall reports whether c calls Table.ToNavigationTable. The helper is
// connector code, so calls are known by the callee's name (see
// model.NavTableCalls).
func isNavCall(c *ast.InvokeExpr) bool {
	id, ok := model.Unparen(c.Fun).(*ast.Ident)
	return ok && id.Name == model.NavTableHelper
}
