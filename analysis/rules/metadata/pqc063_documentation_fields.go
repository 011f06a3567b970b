package metadata

import (
	"fmt"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
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
		"is almost certainly a typo, and the metadata it carries is simply ignored. Documentation.Label " +
		"on a parameter is reported too: it is not among the documented fields, and the caption Power " +
		"Query documents for a parameter is Documentation.FieldCaption. The fix renames the field.",
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

// docWrongNames are names that are not near a field Power Query reads but
// that authors write for one; on a parameter they are as good as absent.
// Seen in a shipped connector: Documentation.Label for the caption of a
// function's parameters, which then show their bare names in the dialog.
var docWrongNames = map[string]string{
	"Documentation.Label": "Documentation.FieldCaption",
}

// docParamMeta reports whether r is the metadata of a parameter's type in
// a function type: (type text meta [ … ]) as written after `as`.
func docParamMeta(f *model.File, r *ast.RecordExpr) bool {
	var n ast.Node = r
	first := true
	for parent := f.Parent(n); parent != nil; n, parent = parent, f.Parent(parent) {
		switch v := parent.(type) {
		case *ast.BinaryExpr:
			if v.Op != token.META || first && v.Y != n || !first && v.X != n {
				return false
			}
		case *ast.ParenExpr:
		case *ast.Param:
			return !first && v.Type == n
		default:
			return false
		}
		first = false
	}
	return false
}

func runPQC063(p *analysis.Pass) {
	for _, f := range p.Files {
		for _, r := range p.Index(f).Records {
			for _, fl := range r.Fields {
				if fl.Name == nil {
					continue
				}
				name := fl.Name.Name
				if right, ok := docWrongNames[name]; ok && model.Field(r, right) == nil && docParamMeta(f, r) {
					p.ReportNode(f, fl.Name, fmt.Sprintf("%s is not among the metadata fields Power Query documents: the caption of a parameter is %s", name, right),
						analysis.Fix{Title: "Rename to " + right, Preferred: true,
							Edits: []analysis.TextEdit{analysis.Replace(f, fl.Name, right)}})
					continue
				}
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
