package security

import (
	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/model"
)

// PQC031 finds requests that carry credentials without a guaranteed HTTPS
// URL.
var PQC031 = &analysis.Analyzer{
	ID:       "PQC031",
	Fix:      analysis.ManualFix,
	Title:    "Credential-bearing request not guaranteed to use HTTPS",
	Severity: analysis.Error,
	Doc: "Whenever a request carries credentials — a secret the connector puts in a header, the " +
		"query or the body, or the credential Power Query attaches itself for a kind that " +
		"authenticates — the reviewer asks whether it can only go out over HTTPS. This rule reports " +
		"such requests whose URL starts with an http:// literal, and requests carrying an explicit " +
		"credential to a URL the user typed that no scheme check has validated — including the credential " +
		"Power Query adds itself: an OAuth, Aad, UsernamePassword or Key kind without ManualCredentials " +
		"sends its token or password with every request to the address the user entered. Loopback addresses " +
		"are left alone. The fixes switch the literal to https://, or check the user's URL once at the " +
		"entry of the function that receives it (as PQC032 does).",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad: "BaseUrl = \"http://api.contoso.com/\";\n" +
		"Contoso = [Authentication = [Key = []]];",
	Good: "BaseUrl = \"https://api.contoso.com/\";\n" +
		"Contoso = [Authentication = [Key = []]];",
	Scope:     analysis.ExpressionScope,
	PerMember: true,
	Run:       runPQC031,
}

func runPQC031(p *analysis.Pass) {
	for _, r := range p.Requests() {
		if r.URL == nil {
			continue
		}
		explicit, implicit := credentialBearing(p, r)
		if !explicit && !implicit {
			continue
		}
		what := "the credential Power Query attaches for this connector's authentication kind"
		if explicit {
			what = "a credential"
		}
		f := r.File
		start, end := analysis.Span(f, r.URL)
		if lit, lf := p.Prog.Leftmost(f, r.URL); lit != nil && httpLiteral(lit) {
			ls, le := analysis.Span(lf, lit)
			p.Report(analysis.Diagnostic{Path: f.Path, Start: start, End: end,
				Message: "this request carries " + what + " but its URL starts with http://, so the secret travels unencrypted: use https://",
				Fixes:   []analysis.Fix{httpsFix(lf, lit, false)},
				Related: []analysis.Related{{Path: lf.Path, Start: ls, End: le, Message: "the http:// address is written here"}}})
			continue
		}
		if !explicit && !sendsSecret(p.Prog) {
			continue
		}
		if t := p.Prog.Taint(f, r.URL); t.Has(model.UncheckedURL) && !p.Prog.SchemeGuarded(f, r.Call) {
			var fixes []analysis.Fix
			if fix, ok := validateFix(p, f, r.URL, t); ok {
				fixes = append(fixes, fix)
			}
			p.Report(analysis.Diagnostic{Path: f.Path, Start: start, End: end, Fixes: fixes,
				Message: "this request carries " + what + " to a URL the user entered, and nothing checks that the URL uses HTTPS: " +
					"validate the scheme first (for example with a ValidateUrlScheme helper)",
				Related: connector.OriginRelated(t, model.UncheckedURL, "the URL is entered by the user here")})
		}
	}
}
