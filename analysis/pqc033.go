package analysis

import (
	"github.com/pqls/pqls/analysis/model"
	"github.com/pqls/pqls/grammar/ast"
)

// PQC033 finds hardcoded http:// addresses used to fetch data.
var PQC033 = &Analyzer{
	ID:       "PQC033",
	Fix:      ManualFix,
	Title:    "Hardcoded http:// URL used for data access",
	Severity: Warning,
	Doc: "A connector that fetches data from an http:// address sends the request and the answer " +
		"unencrypted, which the certification review questions. The rule looks at text literals that " +
		"start with http:// and end up as the address of Web.Contents, OData.Feed or " +
		"Web.BrowserContents, or as an OAuth AuthorizationUri or LoginUri. Scheme checks such as " +
		"Text.StartsWith(url, \"http://\"), XML namespaces, documentation links and localhost addresses " +
		"are not data access and are ignored; requests that carry credentials are reported by PQC031 " +
		"instead. The fix switches the literal to https://.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:     "BaseUrl = \"http://services.odata.org/v4/TripPinService/\";",
	Good:    "BaseUrl = \"https://services.odata.org/v4/TripPinService/\";",
	Scope:   ExpressionScope,
	Run:     runPQC033,
}

func runPQC033(p *Pass) {
	seen := map[*ast.Literal]bool{}
	report := func(f *model.File, x ast.Expr, what string) {
		lit, lf := p.Prog.Leftmost(f, x)
		if lit == nil || !httpLiteral(lit) || seen[lit] {
			return
		}
		seen[lit] = true
		p.ReportNode(lf, lit, "this http:// address is used "+what+": the data travels unencrypted; use https://",
			httpsFix(lf, lit, false))
	}
	for _, r := range requests(p) {
		if r.URL == nil {
			continue
		}
		if explicit, implicit := credentialBearing(p, r); explicit || implicit {
			continue // PQC031
		}
		report(r.File, r.URL, "by "+r.Func)
	}
	for _, f := range p.Files {
		for _, c := range p.Prog.CallsTo(f, "Web.BrowserContents") {
			if len(c.Args) > 0 {
				report(f, c.Args[0], "by Web.BrowserContents")
			}
		}
		for _, r := range f.Index().Records {
			for _, fl := range r.Fields {
				if fl.Name != nil && fl.Value != nil && (fl.Name.Name == "AuthorizationUri" || fl.Name.Name == "LoginUri") {
					report(f, fl.Value, "for OAuth sign-in ("+fl.Name.Name+")")
				}
			}
		}
	}
}
