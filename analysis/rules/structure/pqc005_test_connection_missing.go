package structure

import (
	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC005 requires a TestConnection handler on every data source kind.
var PQC005 = &analysis.Analyzer{
	ID:       "PQC005",
	Fix:      analysis.ManualFix,
	Title:    "Data source kind has no TestConnection handler",
	Severity: analysis.Error,
	Doc: "The on-premises data gateway refreshes a connector's data only when its data source kind " +
		"record has a TestConnection field: a function of the data source path that returns the name " +
		"of a shared function and the arguments to call it with. Certification requires one. The fix " +
		"adds a handler that calls the kind's data-source function, passing the path as it is for one " +
		"required parameter and decoding it with Json.Document for several.",
	HelpURI:    "https://learn.microsoft.com/power-query/handling-gateway-support",
	Bad:        "Contoso = [\n    Authentication = [Anonymous = []]\n];",
	Good:       "Contoso = [\n    TestConnection = (dataSourcePath) => { \"Contoso.Contents\", dataSourcePath },\n    Authentication = [Anonymous = []]\n];",
	Scope:      analysis.ConnectorScope,
	Absence:    true,
	DataSource: true,
	Run:        runPQC005,
}

func runPQC005(p *analysis.Pass) {
	f := p.Prog.Main
	p.EachKindRecord(func(k *model.Kind, recs []model.RecordAt, complete bool) {
		if fl, _ := model.FieldIn(recs, "TestConnection"); fl != nil {
			return
		}
		if !complete {
			// Record.AddField(…, "TestConnection", …) and the like add it;
			// a value that is no record at all is PQC053's business.
			if len(recs) == 0 || stMentionsText(k.Record.Node.Value, "TestConnection") {
				return
			}
			p.Report(analysis.Diagnostic{Path: f.Path, Severity: analysis.Information,
				Start: f.AST.Offset(k.Record.Node.Name.Pos()), End: f.AST.Offset(k.Record.Node.Name.End()),
				Message: "could not find a TestConnection field in the kind record " + k.Name + ", which is built from parts that were not resolved; gateway refresh needs one"})
			return
		}
		var fixes []analysis.Fix
		if d := stMainDSF(k); d != nil && len(recs) > 0 {
			at := recs[0]
			indent := "    "
			if len(at.Rec.Fields) > 0 {
				s, _ := analysis.Span(at.File, at.Rec.Fields[0])
				indent = analysis.LineIndent(at.File, s)
			}
			if text, ok := stTestConnectionText(p.Prog, d, indent, analysis.Newline(at.File)); ok {
				fixes = append(fixes, analysis.Fix{Title: "Add a TestConnection handler that calls " + d.Member.Name, Preferred: true,
					Edits: []analysis.TextEdit{analysis.PrependField(at.File, at.Rec, text)}})
			}
		}
		p.Report(analysis.Diagnostic{Path: f.Path,
			Start: f.AST.Offset(k.Record.Node.Name.Pos()), End: f.AST.Offset(k.Record.Node.Name.End()),
			Message: "the data source kind " + k.Name + " has no TestConnection handler: add TestConnection = (dataSourcePath) => { \"<shared function>\", … } so that the gateway can refresh it",
			Fixes:   fixes})
	})
}

// stMentionsText reports whether a text literal with value s occurs in n.
func stMentionsText(n ast.Node, s string) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if l := connector.TextLiteral(connector.AsExpr(n)); l != nil {
			if v, _ := model.Text(l); v == s {
				found = true
			}
		}
		return !found
	})
	return found
}
