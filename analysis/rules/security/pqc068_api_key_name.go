package security

import (
	"github.com/pqls/pqls/analysis"
)

// PQC068 reports the ApiKeyName option.
var PQC068 = &analysis.Analyzer{
	ID:       "PQC068",
	Title:    "ApiKeyName puts the key in the URL",
	Severity: analysis.Information,
	Doc: "The ApiKeyName option of Web.Contents tells Power Query to append the user's key to the " +
		"URL as a query parameter of that name. The key then shows in the address, much like the " +
		"leaks PQC030 reports. Prefer sending the key in a header (with ManualCredentials = true) or in " +
		"the CredentialQuery option.",
	HelpURI: "https://learn.microsoft.com/powerquery-m/web-contents",
	Bad:     "Web.Contents(url, [ApiKeyName = \"api_key\"])",
	Good: "Web.Contents(url, [Headers = [#\"X-Api-Key\" = Extension.CurrentCredential()[Key]],\n" +
		"    ManualCredentials = true])",
	Scope:     analysis.ConnectorScope,
	PerMember: true,
	Run:       runPQC068,
}

func runPQC068(p *analysis.Pass) {
	for _, r := range p.Requests() {
		if fl, ok := r.Fields.Get("ApiKeyName"); ok && fl.Field != nil {
			p.ReportNode(fl.File, fl.Field, "ApiKeyName makes Power Query put the key in the URL's query string: "+
				"send it in a header with ManualCredentials = true, or in CredentialQuery")
		}
	}
}
