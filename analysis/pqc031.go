package analysis

import (
	"github.com/pqls/pqls/analysis/model"
)

// PQC031 finds requests that carry credentials without a guaranteed HTTPS
// URL.
var PQC031 = &Analyzer{
	ID:       "PQC031",
	Fix:      ManualFix,
	Title:    "Credential-bearing request not guaranteed to use HTTPS",
	Severity: Error,
	Doc: "Whenever a request carries credentials — a secret the connector puts in a header, the " +
		"query or the body, or the credential Power Query attaches itself for a kind that " +
		"authenticates — the reviewer asks whether it can only go out over HTTPS. This rule reports " +
		"such requests whose URL starts with an http:// literal, and requests carrying an explicit " +
		"credential to a URL the user typed that no scheme check has validated. Loopback addresses " +
		"are left alone. The fixes switch the literal to https://, or wrap the user's URL with a " +
		"scheme check.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad: "BaseUrl = \"http://api.contoso.com/\";\n" +
		"Contoso = [Authentication = [Key = []]];",
	Good: "BaseUrl = \"https://api.contoso.com/\";\n" +
		"Contoso = [Authentication = [Key = []]];",
	Scope: ExpressionScope,
	Run:   runPQC031,
}

func runPQC031(p *Pass) {
	for _, r := range requests(p) {
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
		start, end := Span(f, r.URL)
		if lit, lf := p.Prog.Leftmost(f, r.URL); lit != nil && httpLiteral(lit) {
			ls, le := Span(lf, lit)
			p.Report(Diagnostic{Path: f.Path, Start: start, End: end,
				Message: "this request carries " + what + " but its URL starts with http://, so the secret travels unencrypted: use https://",
				Fixes:   []Fix{httpsFix(lf, lit, false)},
				Related: []Related{{Path: lf.Path, Start: ls, End: le, Message: "the http:// address is written here"}}})
			continue
		}
		if !explicit {
			continue
		}
		if t := p.Prog.Taint(f, r.URL); t.Has(model.UncheckedURL) && !p.Prog.SchemeGuarded(f, r.Call) {
			var fixes []Fix
			if fix, ok := validateFix(p, f, r.URL); ok {
				fixes = append(fixes, fix)
			}
			p.Report(Diagnostic{Path: f.Path, Start: start, End: end, Fixes: fixes,
				Message: "this request carries a credential to a URL the user entered, and nothing checks that the URL uses HTTPS: " +
					"validate the scheme first (for example with a ValidateUrlScheme helper)",
				Related: originRelated(t, model.UncheckedURL, "the URL is entered by the user here")})
		}
	}
}
