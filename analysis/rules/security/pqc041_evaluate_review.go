package security

import (
	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC041 asks the reviewer to check Expression.Evaluate calls whose text
// has no known provenance.
var PQC041 = &analysis.Analyzer{
	ID:       "PQC041",
	Title:    "Review: where does the evaluated expression come from?",
	Severity: analysis.Information,
	Doc: "The reviewer has to know where every expression passed to Expression.Evaluate comes from. " +
		"This reminder marks the calls whose text pqls cannot trace back to the connector itself — " +
		"text literals, packaged files read with Extension.Contents, Expression.Constant and " +
		"Expression.Identifier, and text functions of those — nor to a forbidden source (which PQC040 " +
		"reports), for example text produced by an opaque helper or by recursion. A function that " +
		"evaluates its parameter is traced through its calls; one the connector neither calls nor " +
		"hands to other code (a loader it defines and never uses) evaluates nothing and is not " +
		"reported, unless it is shared.",
	HelpURI:   "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:       "Expression.Evaluate(BuildScript(), #shared)",
	Good:      "Expression.Evaluate(Text.FromBinary(Extension.Contents(\"Script.pqm\")), #shared)",
	Scope:     analysis.ExpressionScope,
	Review:    true,
	PerMember: true,
	Run:       runPQC041,
}

func runPQC041(p *analysis.Pass) {
	p.EachCall(func(f *model.File, c *ast.InvokeExpr) {
		if p.Prog.CallName(f, c) != "Expression.Evaluate" || len(c.Args) == 0 {
			return
		}
		if p.Prog.Taint(f, c.Args[0]).Has(model.Web|model.UserInput|model.Credential) || rowField(p, f, c.Args[0]) {
			return // PQC040
		}
		if staticText(p, f, c.Args[0]) {
			return
		}
		p.ReportNode(f, c.Args[0], "review: pqls cannot tell where this evaluated text comes from — make sure it is the connector's own code, not user input or a download")
	})
}
