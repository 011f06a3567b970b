package security

import (
	"slices"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// PQC033 finds hardcoded http:// addresses used to fetch data.
var PQC033 = &analysis.Analyzer{
	ID:       "PQC033",
	Fix:      analysis.ManualFix,
	Title:    "Hardcoded http:// URL used for data access",
	Severity: analysis.Warning,
	Doc: "A connector that fetches data from an http:// address sends the request and the answer " +
		"unencrypted, which the certification review questions. The rule looks at text literals that " +
		"start with http:// and end up as the address of Web.Contents, OData.Feed or " +
		"(through the parameters of the connector's own helpers) " +
		"Web.BrowserContents, or as an OAuth AuthorizationUri or LoginUri. Scheme checks such as " +
		"Text.StartsWith(url, \"http://\"), XML namespaces, documentation links and localhost addresses " +
		"are not data access and are ignored; requests that carry credentials are reported by PQC031 " +
		"instead. The fix switches the literal to https://.",
	HelpURI:   "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:       "BaseUrl = \"http://services.odata.org/v4/TripPinService/\";",
	Good:      "BaseUrl = \"https://services.odata.org/v4/TripPinService/\";",
	Scope:     analysis.ExpressionScope,
	PerMember: true,
	Run:       runPQC033,
}

func runPQC033(p *analysis.Pass) {
	seen := map[*ast.Literal]bool{}
	report := func(f *model.File, x ast.Expr, what string) {
		lit, lf := p.Prog.Leftmost(f, x)
		if lit == nil {
			// a helper's parameter: the addresses its callers pass
			lit, lf = httpArgument(p, f, x, 0)
		}
		if lit == nil || !httpLiteral(lit) || seen[lit] {
			return
		}
		seen[lit] = true
		p.ReportNode(lf, lit, "this http:// address is used "+what+": the data travels unencrypted; use https://",
			httpsFix(lf, lit, false))
	}
	for _, r := range p.Requests() {
		if r.URL == nil {
			continue
		}
		if explicit, implicit := credentialBearing(p, r); explicit || implicit {
			continue // PQC031
		}
		report(r.File, r.URL, "by "+r.Func)
	}
	for _, f := range p.Files {
		for _, c := range p.CallsTo(f, "Web.BrowserContents") {
			if len(c.Args) > 0 {
				report(f, c.Args[0], "by Web.BrowserContents")
			}
		}
		for _, r := range p.Index(f).Records {
			for _, fl := range r.Fields {
				if fl.Name != nil && fl.Value != nil && (fl.Name.Name == "AuthorizationUri" || fl.Name.Name == "LoginUri") {
					report(f, fl.Value, "for OAuth sign-in ("+fl.Name.Name+")")
				}
			}
		}
	}
}

// httpArgument follows a URL that starts with a parameter of a connector
// function to the arguments of its calls, and returns the first http://
// literal one of them starts with.
func httpArgument(p *analysis.Pass, f *model.File, x ast.Expr, depth int) (*ast.Literal, *model.File) {
	if depth > 3 {
		return nil, nil
	}
	for i := 0; i < 32; i++ {
		x = model.Unparen(x)
		if b, ok := x.(*ast.BinaryExpr); ok && b.Op == token.AND_TEXT {
			x = b.X
			continue
		}
		break
	}
	id, ok := x.(*ast.Ident)
	if !ok {
		return nil, nil
	}
	d := f.Ref(id)
	if d == nil {
		return nil, nil
	}
	if d.Kind != model.DefParam {
		if d.Value == nil {
			return nil, nil
		}
		return httpArgument(p, p.Prog.DefFile(d), d.Value, depth+1)
	}
	fn, _ := d.Func.(*ast.FunctionExpr)
	if fn == nil || p.Prog.IsDSFFunc(fn) {
		return nil, nil
	}
	idx := slices.Index(fn.Params, d.Param)
	for _, s := range p.Prog.CallSites(fn) {
		if idx < 0 || idx >= len(s.Call.Args) {
			continue
		}
		if lit, lf := p.Prog.Leftmost(s.File, s.Call.Args[idx]); lit != nil {
			if httpLiteral(lit) {
				return lit, lf
			}
			continue
		}
		if lit, lf := httpArgument(p, s.File, s.Call.Args[idx], depth+1); lit != nil {
			return lit, lf
		}
	}
	return nil, nil
}
