package analysis

import (
	"github.com/pqls/pqls/analysis/model"
	"github.com/pqls/pqls/grammar/ast"
)

// PQC062 flags the legacy Extension.Module function.
var PQC062 = &Analyzer{
	ID:       "PQC062",
	Title:    "Extension.Module is a legacy mechanism",
	Severity: Warning,
	Doc: "Extension.Module survives from an early way of sharing code between extensions and the " +
		"Power Query team advises against it. Code kept in a separate file is loaded today by " +
		"packaging a .pqm module and evaluating it: Expression.Evaluate(Text.FromBinary(" +
		"Extension.Contents(\"Helpers.pqm\")), #shared), usually through a small Extension.LoadFunction " +
		"helper.",
	HelpURI: "https://github.com/microsoft/DataConnectors/issues/413",
	Bad:     "Helpers = Extension.Module(\"Helpers\");",
	Good:    "Helpers = Expression.Evaluate(Text.FromBinary(Extension.Contents(\"Helpers.pqm\")), #shared);",
	Scope:   ConnectorScope,
	Run:     runPQC062,
}

func runPQC062(p *Pass) {
	for _, f := range p.Files {
		for _, r := range prjRoots(f) {
			for _, id := range prjRefIdents(r) {
				if id.Name != "Extension.Module" {
					continue
				}
				if d := f.Refs[id]; d != nil && d.Kind != model.DefLibrary {
					continue // the connector defines its own
				}
				var n ast.Node = id
				if call, ok := f.Parent(id).(*ast.InvokeExpr); ok && model.Unparen(call.Fun) == ast.Expr(id) {
					n = call
				}
				p.ReportNode(f, n, "Extension.Module is a leftover of an older mechanism: package the code as a .pqm "+
					"module and load it with Expression.Evaluate(Text.FromBinary(Extension.Contents(\"Name.pqm\")), #shared)")
			}
		}
	}
}
