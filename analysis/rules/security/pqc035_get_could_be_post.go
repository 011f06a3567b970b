package security

import (
	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/model"
)

// PQC035 asks whether a GET that carries credentials could be a POST.
var PQC035 = &analysis.Analyzer{
	ID:       "PQC035",
	Title:    "Review: could this GET with credentials be a POST?",
	Severity: analysis.Information,
	Doc: "Even when a GET request keeps its secret in the CredentialQuery option as certification " +
		"requires, the reviewer asks whether the service could accept the secret in a POST body " +
		"instead, where it never appears in an address. This review reminder marks each GET whose " +
		"CredentialQuery (or CredentialQueryString) carries a credential. Requests with a body and " +
		"credentials sent only in headers are not reported.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad: "Web.Contents(url, [CredentialQuery = [api_key = Extension.CurrentCredential()[Key]],\n" +
		"    ManualCredentials = true])",
	Good: "Web.Contents(url, [Content = Json.FromValue([api_key = Extension.CurrentCredential()[Key]]),\n" +
		"    ManualCredentials = true])",
	Scope:     analysis.ExpressionScope,
	Review:    true,
	PerMember: true,
	Run:       runPQC035,
}

func runPQC035(p *analysis.Pass) {
	for _, r := range p.Requests() {
		if r.Post() {
			continue
		}
		for _, name := range []string{"CredentialQuery", "CredentialQueryString"} {
			fl, ok := r.Fields.Get(name)
			if !ok || fl.Field == nil {
				continue
			}
			if t := p.Prog.Taint(fl.File, fl.Value); t.Has(model.Credential) {
				p.ReportNode(fl.File, fl.Field, "review: this GET sends a credential in "+name+
					" — could the service take it in a POST body instead?")
			}
		}
	}
}
