package naming

import (
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/model"
)

// PQC008 requires data-source functions to be named <Kind>.<FunctionName>.
var PQC008 = &analysis.Analyzer{
	ID:       "PQC008",
	Fix:      analysis.ManualFix,
	Title:    "Data-source function not named <Kind>.<FunctionName>",
	Severity: analysis.Error,
	Doc: "Certified connectors name every exported data-source function after its data source kind: " +
		"the kind, a dot, then what the function returns, as in Contoso.Contents or Contoso.Tables. " +
		"Users find the function by that prefix in the formula bar, and the reviewer checks it. The " +
		"prefix must be the DataSource.Kind value exactly, including case; more dotted parts after it " +
		"are fine. The fix renames the function and every use of it in the project, modules and test " +
		"queries included; when a file names it in a way a rename cannot follow (a text naming it), " +
		"no fix is offered and the message says where.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:     "[DataSource.Kind = \"Contoso\"]\nshared GetContosoData = () => ...;",
	Good:    "[DataSource.Kind = \"Contoso\"]\nshared Contoso.Contents = () => ...;",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC008,
}

func runPQC008(p *analysis.Pass) {
	f := p.Prog.Main
	if f == nil || f.AST.Section == nil {
		return
	}
	for _, k := range p.Prog.Kinds {
		for _, d := range k.DSFs {
			name := d.Member.Name
			if strings.HasPrefix(name, k.Name+".") && len(name) > len(k.Name)+1 || stNameAllowed(p, name) {
				continue
			}
			last := "Contents"
			if i := strings.LastIndexByte(name, '.'); i >= 0 && i+1 < len(name) {
				last = name[i+1:]
			}
			var fixes []analysis.Fix
			why := ""
			if model.IsRegularIdent(last) {
				nn := connector.FreeName(p.Prog, model.IdentText(k.Name)+"."+last, nil)
				// Never a name with a forbidden word: when the kind holds
				// one, the kind is what to rename (PQC007 offers that).
				if model.IsRegularIdent(k.Name) && len(model.FindForbidden(nn, p.Config.Settings.ForbiddenWords)) == 0 {
					var edits []analysis.TextEdit
					if edits, why = stRenameEdits(p.Prog, nil, map[string]string{name: nn}); why == "" {
						fixes = append(fixes, analysis.Fix{Title: "Rename " + name + " to " + nn + " everywhere", Edits: edits})
					} else {
						why = " (no automatic rename: " + why + ")"
					}
				}
			}
			p.ReportNode(f, d.Member.Node.Name, "the data-source function "+name+" is not named after its kind: call it "+k.Name+".<FunctionName>, such as "+k.Name+"."+last+why, fixes...)
		}
	}
}

// stNameAllowed reports whether certification.nameAllowlist lists name, or
// the kind it starts with.
func stNameAllowed(p *analysis.Pass, name string) bool {
	for _, a := range p.Config.Settings.NameAllowlist {
		if strings.EqualFold(name, a) || len(name) > len(a) && strings.EqualFold(name[:len(a)+1], a+".") {
			return true
		}
	}
	return false
}
