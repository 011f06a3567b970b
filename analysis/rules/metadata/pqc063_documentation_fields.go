package metadata

import (
	"fmt"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/model"
)

// PQC063 catches misspelled documentation and formatting metadata fields.
var PQC063 = &analysis.Analyzer{
	ID:       "PQC063",
	Fix:      analysis.SafeFix,
	Title:    "Documentation or Formatting field name looks misspelled",
	Severity: analysis.Hint,
	Doc: "Power Query reads a fixed set of metadata fields on function and parameter types — " +
		"Documentation.Name, .LongDescription, .Examples, .FieldCaption, .FieldDescription, " +
		".SampleValues, .AllowedValues, Formatting.IsMultiLine and Formatting.IsCode, plus a few " +
		"undocumented ones connectors use. A field that is one or two letters away from one of these " +
		"is almost certainly a typo, and the metadata it carries is simply ignored. The fix renames it.",
	HelpURI:   "https://learn.microsoft.com/power-query/handling-documentation",
	Bad:       "type text meta [Documentation.FieldCaption = \"Server\", Documentation.SamepleValues = {\"contoso.com\"}]",
	Good:      "type text meta [Documentation.FieldCaption = \"Server\", Documentation.SampleValues = {\"contoso.com\"}]",
	Scope:     analysis.ExpressionScope,
	PerMember: true,
	Run:       runPQC063,
}

var docFields = []string{
	"Documentation.Name", "Documentation.LongDescription", "Documentation.Examples",
	"Documentation.FieldCaption", "Documentation.FieldDescription", "Documentation.SampleValues",
	"Documentation.AllowedValues", "Formatting.IsMultiLine", "Formatting.IsCode",
	"Documentation.Description", "Documentation.Caption", "Documentation.DisplayName",
	"Documentation.DefaultValue", "Documentation.Icon",
}

func runPQC063(p *analysis.Pass) {
	for _, f := range p.Files {
		for _, r := range p.Index(f).Records {
			for _, fl := range r.Fields {
				if fl.Name == nil {
					continue
				}
				name := fl.Name.Name
				lower := strings.ToLower(name)
				if !strings.HasPrefix(lower, "documentation.") && !strings.HasPrefix(lower, "formatting.") &&
					!strings.HasPrefix(lower, "documentaion.") && !strings.HasPrefix(lower, "documention.") {
					continue
				}
				best, ok := model.ClosestName(name, docFields, 2)
				if !ok || model.Field(r, best) != nil {
					continue
				}
				p.ReportNode(f, fl.Name, fmt.Sprintf("%s is not a metadata field Power Query reads; did you mean %s?", name, best),
					analysis.Fix{Title: "Rename to " + best, Preferred: true, Safe: strings.EqualFold(best, name),
						Edits: []analysis.TextEdit{analysis.Replace(f, fl.Name, best)}})
			}
		}
	}
}
