package auth

import (
	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC064 finds a key or password sent by hand without ManualCredentials.
var PQC064 = &analysis.Analyzer{
	ID:       "PQC064",
	Fix:      analysis.SafeFix,
	Title:    "Key sent in a header without ManualCredentials = true",
	Severity: analysis.Warning,
	Doc: "For Key and UsernamePassword authentication Power Query adds its own Authorization header " +
		"(the key as a basic-auth password) to every Web.Contents call unless the options say " +
		"ManualCredentials = true. A connector that sends the key itself, in a header or in " +
		"CredentialQuery, must set that option, or the service receives both. OAuth access tokens are " +
		"not concerned. The fix adds ManualCredentials = true to the options record.",
	HelpURI:   "https://learn.microsoft.com/power-query/handling-authentication",
	Bad:       "Web.Contents(url, [Headers = [#\"X-Api-Key\" = Extension.CurrentCredential()[Key]]])",
	Good:      "Web.Contents(url, [Headers = [#\"X-Api-Key\" = Extension.CurrentCredential()[Key]], ManualCredentials = true])",
	Scope:     analysis.ExpressionScope,
	PerMember: true,
	Run:       runPQC064,
}

func runPQC064(p *analysis.Pass) {
	for _, r := range p.Requests() {
		if r.ManualCredentials() {
			continue
		}
		if _, set := r.Fields["ManualCredentials"]; set {
			continue // computed: cannot tell
		}
		var fixes []analysis.Fix
		if r.Options != nil {
			if rec, rf := p.Prog.RecordOf(r.File, r.Options); rec != nil {
				fixes = append(fixes, analysis.Fix{Title: "Add ManualCredentials = true", Preferred: true, Safe: true,
					Edits: []analysis.TextEdit{analysis.AppendField(rf, rec, "ManualCredentials = true")}})
			}
		}
		for _, name := range []string{"Headers", "CredentialQuery", "CredentialQueryString"} {
			fl, ok := r.Fields[name]
			if !ok {
				continue
			}
			check := func(f *model.File, n ast.Node, x ast.Expr, what string) {
				t := p.Prog.Taint(f, x)
				if !t.Has(model.KeyOrPassword) {
					return
				}
				start, end := analysis.Span(f, n)
				p.Report(analysis.Diagnostic{Path: f.Path, Start: start, End: end, Fixes: fixes,
					Message: "the key or password is sent by hand in " + what + " but the options lack ManualCredentials = true, " +
						"so Power Query also adds its own Authorization header: set ManualCredentials = true",
					Related: connector.OriginRelated(t, model.KeyOrPassword, "the credential comes from here")})
			}
			if rec, rf := p.Prog.RecordOf(fl.File, fl.Value); rec != nil {
				for _, h := range rec.Fields {
					check(rf, h, h.Value, name)
				}
			} else {
				check(fl.File, fl.Value, fl.Value, name)
			}
		}
	}
}
