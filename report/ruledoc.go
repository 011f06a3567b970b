package report

import "github.com/pqls/pqls/analysis"

// RuleDocsBase is where the rule pages, docs/rules/PQCnnn.md in the
// repository, are published. Each page links the Microsoft page its rule
// comes from.
const RuleDocsBase = "https://github.com/pqls/pqls/blob/main/docs/rules/"

// RuleURL returns the address of the documentation page of the rule id.
func RuleURL(id string) string { return RuleDocsBase + id + ".md" }

// helpURI returns the page that explains a finding: the rule's own page
// for a finding of a known rule, or else the link the finding carries.
func helpURI(d *analysis.Diagnostic) string {
	if analysis.Lookup(d.Code) != nil {
		return RuleURL(d.Code)
	}
	return d.HelpURI
}
