package navigation

import (
	"github.com/pqls/pqls/analysis"
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
// it. The incremental check computes the other files' findings again at
// every check, but it runs the rule only over some members of the main
// document; so when the project has other files, the calls of the members
// it leaves out are followed too, and report only what they find outside
// the main document.
func eachNavCall(p *analysis.Pass, fn func(f *model.File, call *ast.InvokeExpr, report func(analysis.Diagnostic))) {
	main := p.Prog.Main
	var visited map[*ast.InvokeExpr]bool
	// The pass is restricted when it leaves out members of the main
	// document; Members says so without building anything when it is not.
	restricted := main != nil && len(p.Prog.Files) > 1 && len(p.Members()) < len(p.Prog.MemberList)
	p.EachCall(func(f *model.File, c *ast.InvokeExpr) {
		if !isNavCall(c) {
			return
		}
		if restricted && f == main {
			if visited == nil {
				visited = map[*ast.InvokeExpr]bool{}
			}
			visited[c] = true
		}
		fn(f, c, p.Report)
	})
	if !restricted {
		return
	}
	outside := func(d analysis.Diagnostic) {
		if d.Path != main.Path {
			p.Report(d)
		}
	}
	for _, c := range model.NavTableCallsIn(main) {
		if !visited[c] {
			fn(main, c, outside)
		}
	}
}

// isNavCall reports whether c calls Table.ToNavigationTable. The helper is
// connector code, so calls are known by the callee's name (see
// model.NavTableCalls).
func isNavCall(c *ast.InvokeExpr) bool {
	id, ok := model.Unparen(c.Fun).(*ast.Ident)
	return ok && id.Name == model.NavTableHelper
}

// reportNode reports a finding that spans node n of f through report.
func reportNode(report func(analysis.Diagnostic), f *model.File, n ast.Node, msg string, fixes ...analysis.Fix) {
	start, end := analysis.Span(f, n)
	report(analysis.Diagnostic{Path: f.Path, Start: start, End: end, Message: msg, Fixes: fixes})
}
