package structure

import (
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/model"
)

// PQC067 flags Publish stCategories that Get Data does not know.
var PQC067 = &analysis.Analyzer{
	ID:       "PQC067",
	Fix:      analysis.SafeFix,
	Title:    "Unknown Category in a Publish record",
	Severity: analysis.Hint,
	Doc: "The Category of a Publish record chooses the Get Data group the connector appears in. The " +
		"documented values are Azure, Database, File, Power Platform, Online Services and Other; only " +
		"Azure and Database get special handling today, and anything else ends up under Other. A " +
		"different value is most likely a typo.",
	HelpURI: "https://learn.microsoft.com/power-query/handling-data-access",
	Bad:     "Contoso.Publish = [Category = \"Databases\", ButtonText = { \"Contoso\", \"Contoso\" }];",
	Good:    "Contoso.Publish = [Category = \"Database\", ButtonText = { \"Contoso\", \"Contoso\" }];",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC067,
}

// stCategories are the Get Data groups: the documented ones and Fabric,
// which Microsoft's own connectors use today.
var stCategories = []string{"Azure", "Database", "Fabric", "File", "Power Platform", "Online Services", "Other"}

func runPQC067(p *analysis.Pass) {
	f := p.Prog.Main
	if f == nil || f.AST.Section == nil {
		return
	}
	for _, pm := range stPublishMembers(p.Prog) {
		recs, _ := p.Prog.Records(f, pm.Node.Value)
		fl, at := model.FieldIn(recs, "Category")
		if fl == nil || fl.Value == nil {
			continue
		}
		lit := connector.TextLiteral(fl.Value)
		if lit == nil {
			continue
		}
		v, _ := model.Text(lit)
		known := false
		var fixes []analysis.Fix
		for _, c := range stCategories {
			if v == c {
				known = true
			} else if strings.EqualFold(strings.TrimSuffix(strings.TrimSpace(v), "s"), c) || strings.EqualFold(strings.TrimSpace(v), c) ||
				strings.EqualFold(strings.ReplaceAll(v, " ", ""), strings.ReplaceAll(c, " ", "")) {
				fixes = append(fixes, analysis.Fix{Title: "Change the category to " + model.QuoteText(c), Safe: true, Preferred: true,
					Edits: []analysis.TextEdit{analysis.Replace(at.File, lit, model.QuoteText(c))}})
			}
		}
		if known {
			continue
		}
		p.ReportNode(at.File, lit, "unknown Category "+model.QuoteText(v)+" in "+pm.Name+": use one of "+strings.Join(stCategories, ", ")+" (anything else is shown under Other)", fixes...)
	}
}
