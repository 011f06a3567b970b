package security

import (
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC032 finds user-entered URLs that reach a request without an HTTPS
// check.
var PQC032 = &analysis.Analyzer{
	ID:       "PQC032",
	Fix:      analysis.ManualFix,
	Title:    "User-entered URL used without an HTTPS check",
	Severity: analysis.Error,
	Doc: "When the user types the address a connector talks to, a certified connector must refuse " +
		"anything but HTTPS before it sends a request. The rule follows the parameters of the " +
		"data-source functions (and the path TestConnection receives) into the URL of Web.Contents and " +
		"OData.Feed. A value counts as checked after it passes a function that tests the scheme and " +
		"raises an error (such as the documented ValidateUrlScheme helper), inside an `if` that tests " +
		"Uri.Parts(url)[Scheme] or Text.StartsWith(url, \"https://\") and errors otherwise, or when the " +
		"URL starts with a fixed literal such as \"https://\" & host. The fix adds a ValidateUrl helper " +
		"and wraps the URL with it.",
	HelpURI: "https://learn.microsoft.com/power-query/helper-functions",
	Bad:     "shared Contoso.Contents = (url as text) => Web.Contents(url);",
	Good: "shared Contoso.Contents = (url as text) => Web.Contents(ValidateUrlScheme(url));\n" +
		"ValidateUrlScheme = (url as text) as text =>\n" +
		"    if Uri.Parts(url)[Scheme] <> \"https\" then error \"The URL must use HTTPS.\" else url;",
	Scope:     analysis.ExpressionScope,
	PerMember: true,
	Run:       runPQC032,
}

const validateURLHelper = "ValidateUrl = (url as text) as text =>\n" +
	"    let\n" +
	"        parts = Uri.Parts(url)\n" +
	"    in\n" +
	"        if parts[Scheme] <> \"https\" then\n" +
	"            error Error.Record(\"Expression.Error\", \"The URL must use HTTPS.\", url)\n" +
	"        else\n" +
	"            url;"

func runPQC032(p *analysis.Pass) {
	for _, r := range p.Requests() {
		if r.URL == nil {
			continue
		}
		f := r.File
		t := p.Prog.Taint(f, r.URL)
		if !t.Has(model.UncheckedURL) || p.Prog.SchemeGuarded(f, r.Call) {
			continue
		}
		start, end := analysis.Span(f, r.URL)
		var fixes []analysis.Fix
		if fix, ok := validateFix(p, f, r.URL); ok {
			fixes = append(fixes, fix)
		}
		p.Report(analysis.Diagnostic{Path: f.Path, Start: start, End: end,
			Message: "this URL comes from the user and nothing checks that it uses HTTPS: " +
				"validate the scheme before the request (certification requires it for user-entered URLs)",
			Fixes:   fixes,
			Related: connector.OriginRelated(t, model.UncheckedURL, "the URL is entered by the user here")})
	}
}

// validateFix wraps url with a scheme guard of the main document, adding
// the ValidateUrl helper if the connector has none.
func validateFix(p *analysis.Pass, f *model.File, url ast.Expr) (analysis.Fix, bool) {
	main := p.Prog.Main
	if f != main || main.AST.Section == nil || len(main.AST.Section.Members) == 0 {
		return analysis.Fix{}, false
	}
	// A check inside try … otherwise would have its error swallowed.
	for n := f.Parent(url); n != nil; n = f.Parent(n) {
		if _, ok := n.(*ast.TryExpr); ok {
			return analysis.Fix{}, false
		}
	}
	guard := ""
	for _, m := range p.Prog.MemberList {
		if fn, ff := p.Prog.FuncOf(main, m.Node.Value); fn != nil && p.Prog.IsSchemeGuard(ff, fn) && len(fn.Params) >= 1 {
			guard = m.Name
			break
		}
	}
	var edits []analysis.TextEdit
	if guard == "" {
		if p.Prog.Members["ValidateUrl"] != nil {
			return analysis.Fix{}, false
		}
		guard = "ValidateUrl"
		nl := analysis.Newline(main)
		members := main.AST.Section.Members
		_, end := analysis.Span(main, members[len(members)-1])
		edits = append(edits, analysis.Insert(main, end, nl+nl+strings.ReplaceAll(validateURLHelper, "\n", nl)))
	}
	edits = append(edits, analysis.Replace(f, url, fieldName(guard)+"("+analysis.Source(f, url)+")"))
	return analysis.Fix{Title: "Check that the URL uses HTTPS with " + guard, Edits: edits, Preferred: true}, true
}
