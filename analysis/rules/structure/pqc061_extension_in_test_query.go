package structure

import (
	"fmt"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC061 flags extension-only functions in test query files.
var PQC061 = &analysis.Analyzer{
	ID:       "PQC061",
	Title:    "Extension-only function used in a test query",
	Severity: analysis.Warning,
	Doc: "A *.query.pq file is evaluated as an ordinary query against the built connector, outside " +
		"the extension, so functions that exist only inside an extension — Extension.Contents, " +
		"Extension.LoadString, Extension.CurrentCredential and the rest — are not available there " +
		"and the test fails. Expose what the test needs through a shared function of the connector " +
		"and call that instead.",
	HelpURI: "https://github.com/microsoft/DataConnectors/issues/354",
	Bad:     "let\n    schema = Extension.Contents(\"schema.json\")\nin\n    Contoso.Contents(schema)",
	Good:    "let\n    source = Contoso.Contents(\"https://contoso.com\")\nin\n    source",
	Scope:   analysis.TestScope,
	Run:     runPQC061,
}

func runPQC061(p *analysis.Pass) {
	for _, f := range p.Files {
		for r := range connector.Roots(f) {
			for _, id := range prjRefIdents(r) {
				if len(id.Name) <= len("Extension.") || id.Name[:len("Extension.")] != "Extension." {
					continue
				}
				if d := f.Ref(id); d != nil && d.Kind != model.DefLibrary {
					continue // defined in the test file, or a shared member of the connector
				}
				var n ast.Node = id
				if call, ok := f.Parent(id).(*ast.InvokeExpr); ok && call.Fun == ast.Expr(id) {
					n = call
				}
				p.ReportNode(f, n, fmt.Sprintf("%s is available only inside the extension, and test queries run outside it: "+
					"expose what the test needs through a shared function of the connector", id.Name))
			}
		}
	}
}
