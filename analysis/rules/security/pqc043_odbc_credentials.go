package security

import (
	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC043 finds ODBC and similar credentials put in the connection string.
var PQC043 = &analysis.Analyzer{
	ID:       "PQC043",
	Fix:      analysis.SafeFix,
	Title:    "Credentials in an ODBC connection string instead of CredentialConnectionString",
	Severity: analysis.Warning,
	Doc: "The connection string of Odbc.DataSource, Odbc.Query, OleDb.DataSource and " +
		"AdoDotNet.DataSource is kept with the query, so user names, passwords and tokens belong in the " +
		"CredentialConnectionString option, which Power Query keeps apart and does not persist. The " +
		"rule reports credential values in the connection string (a record or text); the fix moves a " +
		"credential field of a connection-string record into CredentialConnectionString.",
	HelpURI: "https://learn.microsoft.com/power-query/odbc-parameters",
	Bad:     "Odbc.DataSource([Driver = \"Contoso\", Server = server, UID = c[Username], PWD = c[Password]])",
	Good: "Odbc.DataSource([Driver = \"Contoso\", Server = server],\n" +
		"    [CredentialConnectionString = [UID = c[Username], PWD = c[Password]]])",
	Scope:     analysis.ExpressionScope,
	PerMember: true,
	Run:       runPQC043,
}

// connection string and options argument positions
var odbcArgs = map[string][2]int{
	"Odbc.DataSource": {0, 1}, "Odbc.Query": {0, 2}, "OleDb.DataSource": {0, 1}, "OleDb.Query": {0, 2},
	"AdoDotNet.DataSource": {1, 2}, "AdoDotNet.Query": {1, 3},
}

func runPQC043(p *analysis.Pass) {
	p.EachCall(func(f *model.File, c *ast.InvokeExpr) {
		pos, ok := odbcArgs[p.Prog.CallName(f, c)]
		if !ok || len(c.Args) <= pos[0] {
			return
		}
		cs := c.Args[pos[0]]
		const bad = model.Credential | model.Identity
		rec, rf := p.Prog.RecordOf(f, cs)
		if rec == nil {
			if t := p.Prog.Taint(f, cs); t.Has(bad) {
				start, end := analysis.Span(f, cs)
				p.Report(analysis.Diagnostic{Path: f.Path, Start: start, End: end,
					Message: "the connection string carries credentials: pass them in the CredentialConnectionString option instead, which is not saved with the query",
					Related: connector.OriginRelated(t, bad, "the credential comes from here")})
			}
			return
		}
		for i, fl := range rec.Fields {
			if fl.Name == nil {
				continue
			}
			t := p.Prog.Taint(rf, fl.Value)
			if !t.Has(bad) {
				continue
			}
			var fixes []analysis.Fix
			if fix, ok := credConnFix(p, f, c, pos[1], rf, rec, i); ok {
				fixes = append(fixes, fix)
			}
			start, end := analysis.Span(rf, fl)
			p.Report(analysis.Diagnostic{Path: rf.Path, Start: start, End: end, Fixes: fixes,
				Message: "the connection string field " + fl.Name.Name + " carries a credential: move it into the CredentialConnectionString option, which is not saved with the query",
				Related: connector.OriginRelated(t, bad, "the credential comes from here")})
		}
	})
}

func credConnFix(p *analysis.Pass, f *model.File, c *ast.InvokeExpr, opt int, rf *model.File, rec *ast.RecordExpr, i int) (analysis.Fix, bool) {
	text := analysis.Source(rf, rec.Fields[i])
	edits := []analysis.TextEdit{analysis.DeleteField(rf, rec, i)}
	switch {
	case opt < len(c.Args):
		orec, of := p.Prog.RecordOf(f, c.Args[opt])
		if orec == nil {
			return analysis.Fix{}, false
		}
		if ccs := model.Field(orec, "CredentialConnectionString"); ccs != nil {
			crec, cf := p.Prog.RecordOf(of, ccs.Value)
			if crec == nil {
				return analysis.Fix{}, false
			}
			edits = append(edits, analysis.AppendField(cf, crec, text))
		} else {
			edits = append(edits, analysis.AppendField(of, orec, "CredentialConnectionString = ["+text+"]"))
		}
	case opt == len(c.Args):
		_, end := analysis.Span(f, c.Args[len(c.Args)-1])
		edits = append(edits, analysis.Insert(f, end, ", [CredentialConnectionString = ["+text+"]]"))
	default:
		return analysis.Fix{}, false
	}
	return analysis.Fix{Title: "Move " + rec.Fields[i].Name.Name + " into CredentialConnectionString", Edits: edits, Preferred: true, Safe: true}, true
}
