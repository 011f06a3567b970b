package structure

import (
	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// PQC011 reminds the reviewer to compare Import and DirectQuery results.
var PQC011 = &analysis.Analyzer{
	ID:       "PQC011",
	Title:    "DirectQuery enabled: check that Import and DirectQuery agree",
	Severity: analysis.Information,
	Doc: "A certified connector that supports DirectQuery must return the same results in DirectQuery " +
		"as in Import mode. No static check can prove that, so when a Publish record turns " +
		"SupportsDirectQuery on, this reminder asks for the comparison: run the same queries both " +
		"ways, for example with the SDK test framework's compare runs and its standard DirectQuery " +
		"test suites.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:     "Contoso.Publish = [\n    SupportsDirectQuery = true,\n    ButtonText = { \"Contoso\", \"Contoso\" }\n];",
	Good:    "Contoso.Publish = [\n    SupportsDirectQuery = true, // compared with PQTest: Import and DirectQuery agree\n    ButtonText = { \"Contoso\", \"Contoso\" }\n];",
	Scope:   analysis.ConnectorScope,
	Review:  true,
	Run:     runPQC011,
}

func runPQC011(p *analysis.Pass) {
	f := p.Prog.Main
	if f == nil || f.AST.Section == nil {
		return
	}
	for _, pm := range stPublishMembers(p.Prog) {
		recs, _ := p.Prog.Records(f, pm.Node.Value)
		fl, at := model.FieldIn(recs, "SupportsDirectQuery")
		if fl == nil || fl.Value == nil {
			continue
		}
		if l, ok := p.Prog.Value(at.File, fl.Value).(*ast.Literal); ok && l.Kind != token.TRUE {
			continue
		}
		p.ReportNode(at.File, fl, "DirectQuery is enabled in "+pm.Name+": check that DirectQuery and Import return identical results (for example with the SDK test framework), as certification requires")
	}
}
