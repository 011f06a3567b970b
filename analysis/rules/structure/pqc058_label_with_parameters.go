package structure

import (
	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/model"
)

// PQC058 advises against a Label on kinds whose functions take required
// parameters.
var PQC058 = &analysis.Analyzer{
	ID:       "PQC058",
	Title:    "Kind has a Label although its functions have required parameters",
	Severity: analysis.Hint,
	Doc: "When a data-source function has required parameters, each set of values is a separate data " +
		"source with its own credential. A fixed Label on the kind makes all of them look the same in " +
		"the credential dialogs, so users cannot tell which one they are editing; without a Label, " +
		"Power Query shows the data source path instead. Singleton connectors, whose functions take no " +
		"required parameters, can keep their Label.",
	HelpURI: "https://learn.microsoft.com/power-query/handling-resource-path",
	Bad:     "Contoso = [\n    Authentication = [Key = []],\n    Label = \"Contoso\"\n];  // Contoso.Contents = (server as text) => ...",
	Good:    "Contoso = [\n    Authentication = [Key = []]\n];",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC058,
}

func runPQC058(p *analysis.Pass) {
	p.EachKindRecord(func(k *model.Kind, recs []model.RecordAt, _ bool) {
		label, at := model.FieldIn(recs, "Label")
		if label == nil {
			return
		}
		for _, d := range k.DSFs {
			req, ok := p.Prog.RequiredParams(d)
			if !ok || len(req) == 0 {
				continue
			}
			p.ReportNode(at.File, label, "the kind "+k.Name+" has a Label, but "+d.Member.Name+" has required parameters: leave the Label out so that users can tell its data sources apart")
			break
		}
	})
}
