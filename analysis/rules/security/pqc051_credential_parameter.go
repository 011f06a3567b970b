package security

import (
	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC051 finds data-source function parameters that ask for a secret.
var PQC051 = &analysis.Analyzer{
	ID:       "PQC051",
	Title:    "Credential-like parameter on a data-source function",
	Severity: analysis.Error,
	Doc: "What the user types into the parameters of a data-source function is saved in the query " +
		"text, so a parameter must never ask for a password, key or token: secrets belong to the " +
		"authentication kinds of the connector, where Power Query stores them encrypted and reads " +
		"them back with Extension.CurrentCredential(). The rule matches parameter names, and the " +
		"fields of documented option record types, word by word (apiKey, client_secret, password, " +
		"access_token, sas…), leaving alone names such as tokenType, pageToken, keyColumn or KeyVaultUrl.",
	HelpURI: "https://learn.microsoft.com/power-query/odbc",
	Bad:     "shared Contoso.Contents = (server as text, apiKey as text) => ...;",
	Good: "shared Contoso.Contents = (server as text) => ...;\n" +
		"Contoso = [Authentication = [Key = []]];",
	Scope: analysis.ConnectorScope,
	Run:   runPQC051,
}

func runPQC051(p *analysis.Pass) {
	main := p.Prog.Main
	if main == nil {
		return
	}
	seen := map[*ast.Ident]bool{}
	report := func(f *model.File, id *ast.Ident, what string) {
		if id == nil || seen[id] || !connector.CredentialLikeName(id.Name) {
			return
		}
		seen[id] = true
		p.ReportNode(f, id, what+" "+id.Name+" asks for a secret, which would be saved with the query: "+
			"take it from the connector's authentication (Key, UsernamePassword, OAuth) with Extension.CurrentCredential() instead")
	}
	var fields func(f *model.File, x ast.Expr, depth int)
	fields = func(f *model.File, x ast.Expr, depth int) {
		if x == nil || depth > 4 {
			return
		}
		ast.Inspect(x, func(n ast.Node) bool {
			switch v := n.(type) {
			case *ast.FieldSpec:
				report(f, v.Name, "the option")
			case *ast.Ident:
				if d := f.Ref(v); d != nil && d.Value != nil && (d.Kind == model.DefMember || d.Kind == model.DefBinding) {
					if _, ok := model.Unparen(d.Value).(*ast.TypeExpr); ok {
						fields(p.Prog.DefFile(d), d.Value, depth+1)
					}
				}
			}
			return true
		})
	}
	for _, k := range p.Prog.Kinds {
		for _, d := range k.DSFs {
			var params []*ast.Param
			if d.Type != nil {
				params = d.Type.Params
			} else if d.Func != nil {
				params = d.Func.Params
			}
			file := main
			if d.Func != nil {
				if fn, ff := p.Prog.FuncOf(main, d.Member.Node.Value); fn == d.Func && ff != nil {
					file = ff
				}
			}
			for _, prm := range params {
				report(file, prm.Name, "the parameter")
				fields(file, prm.Type, 0)
			}
		}
	}
}
