package resources

import (
	"fmt"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC022 checks the icon lists against the SDK's size convention.
var PQC022 = &analysis.Analyzer{
	ID:       "PQC022",
	Fix:      analysis.ManualFix,
	Title:    "Icon list does not have four different sizes",
	Severity: analysis.Hint,
	Doc: "Power Query picks the icon that fits the display from the lists in an icon record: by the " +
		"SDK's convention Icon16 holds the 16, 20, 24 and 32 pixel PNGs and Icon32 the 32, 40, 48 and " +
		"64 pixel ones. A list with fewer than four entries, or the same file twice, leaves some screens " +
		"with a scaled, blurry icon. The fix fills the list with the conventional file names.",
	HelpURI:   "https://learn.microsoft.com/power-query/handling-data-access",
	Bad:       "Icon16 = { Extension.Contents(\"Contoso16.png\"), Extension.Contents(\"Contoso16.png\") }",
	Good:      "Icon16 = { Extension.Contents(\"Contoso16.png\"), Extension.Contents(\"Contoso20.png\"), Extension.Contents(\"Contoso24.png\"), Extension.Contents(\"Contoso32.png\") }",
	Scope:     analysis.ConnectorScope,
	PerMember: true,
	Run:       runPQC022,
}

// iconSizes returns the conventional sizes of the icon list a field of
// that name holds. It compares the name rather than look it up in a map:
// the rule asks for every field of every record of the connector at every
// check, and hashing each name cost more than the rest of the rule.
func iconSizes(name string) []int {
	switch name {
	case "Icon16":
		return icon16Sizes
	case "Icon32":
		return icon32Sizes
	}
	return nil
}

var icon16Sizes, icon32Sizes = []int{16, 20, 24, 32}, []int{32, 40, 48, 64}

// runPQC022 looks at the Icon16 and Icon32 fields of the connector's
// records. The list a field holds lies in the record's member, in a member
// it names or in a module it loads, and what the rule says of it depends on
// the list and the project's files; so the rule is checked member by member
// (PerMember, see eachRecord).
func runPQC022(p *analysis.Pass) {
	var seen map[*ast.ListExpr]bool // made at the first icon list: most checks meet none
	eachRecord(p, func(f *model.File, r *ast.RecordExpr, report func(analysis.Diagnostic)) {
		for _, fl := range r.Fields {
			if fl.Name == nil || len(fl.Name.Name) != len("Icon16") {
				continue
			}
			sizes := iconSizes(fl.Name.Name)
			if sizes == nil {
				continue
			}
			l, lf := connector.ListValue(p.Prog, f, fl.Value)
			if l == nil || len(l.Items) == 0 || seen[l] {
				continue // empty lists are PQC020's
			}
			if seen == nil {
				seen = map[*ast.ListExpr]bool{}
			}
			seen[l] = true
			names := map[string]bool{}
			dup := ""
			for _, it := range l.Items {
				key := pqc022Key(lf, it)
				if names[key] && dup == "" {
					dup = key
				}
				names[key] = true
			}
			var msg string
			switch {
			case dup != "":
				msg = fmt.Sprintf("%s repeats %s: each entry should be a different size (%s)", fl.Name.Name, dup, pqc022Sizes(sizes))
			case len(l.Items) < 4:
				msg = fmt.Sprintf("%s has %d icon(s): the convention is four sizes, %s pixels", fl.Name.Name, len(l.Items), pqc022Sizes(sizes))
			default:
				continue
			}
			var fixes []analysis.Fix
			if kind := pqc022Kind(p); kind != "" {
				// Only files that exist, named as the connector names
				// its icons.
				if files, ok := existingIconFiles(p.Prog, kind, iconNames(l), sizes...); ok {
					fixes = append(fixes, analysis.Fix{Title: "List the icon files of every size", Preferred: true,
						Edits: []analysis.TextEdit{analysis.Replace(lf, l, "{ "+files+" }")}})
				}
			}
			connector.ReportNode(report, lf, l, msg, fixes...)
		}
	})
}

// pqc022Key identifies a list entry: the file name of Extension.Contents,
// or the text of the expression.
func pqc022Key(f *model.File, x ast.Expr) string {
	if c, ok := model.Unparen(x).(*ast.InvokeExpr); ok && connector.CalleeName(c) == "Extension.Contents" {
		if s, ok := model.Text(model.Unparen(model.Arg(c, 0))); ok {
			return strings.ToLower(s)
		}
	}
	return strings.Join(strings.Fields(analysis.Source(f, x)), " ")
}

func pqc022Sizes(sizes []int) string {
	var s []string
	for _, n := range sizes {
		s = append(s, fmt.Sprint(n))
	}
	return strings.Join(s, ", ")
}

func pqc022Kind(p *analysis.Pass) string {
	if len(p.Prog.Kinds) > 0 {
		return p.Prog.Kinds[0].Name
	}
	if p.Prog.Project != nil {
		return p.Prog.Project.Name
	}
	return ""
}
