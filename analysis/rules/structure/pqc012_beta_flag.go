package structure

import (
	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// PQC012 asks for Beta = true in the Publish record of a first release.
var PQC012 = &analysis.Analyzer{
	ID:       "PQC012",
	Fix:      analysis.SafeFix,
	Title:    "Publish record lacks Beta = true on the initial release",
	Severity: analysis.Warning,
	Doc: "A connector's first certified release is shipped as a preview: its Publish record sets " +
		"Beta = true, which makes Get Data mark it as Beta and warn that it may still change in " +
		"breaking ways. Once the connector has been released, Beta is usually turned off; set " +
		"certification.initialRelease to false then and this rule stays quiet.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:     "Contoso.Publish = [\n    Category = \"Other\",\n    ButtonText = { \"Contoso\", \"Contoso data\" }\n];",
	Good:    "Contoso.Publish = [\n    Beta = true,\n    Category = \"Other\",\n    ButtonText = { \"Contoso\", \"Contoso data\" }\n];",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC012,
}

func runPQC012(p *analysis.Pass) {
	f := p.Prog.Main
	if f == nil || f.AST.Section == nil || !p.Config.Settings.InitialRelease {
		return
	}
	for _, pm := range stPublishMembers(p.Prog) {
		recs, complete := p.Prog.Records(f, pm.Node.Value)
		if len(recs) == 0 {
			continue
		}
		fl, at := model.FieldIn(recs, "Beta")
		if fl == nil {
			if !complete {
				continue
			}
			p.ReportNode(f, pm.Node.Name, "the Publish record "+pm.Name+" has no Beta field: a first release must set Beta = true",
				analysis.Fix{Title: "Add Beta = true", Safe: true, Preferred: true, Edits: []analysis.TextEdit{analysis.PrependField(recs[0].File, recs[0].Rec, "Beta = true")}})
			continue
		}
		l, ok := p.Prog.Value(at.File, fl.Value).(*ast.Literal)
		if !ok || l.Kind != token.FALSE {
			continue
		}
		var fixes []analysis.Fix
		if direct, ok := model.Unparen(fl.Value).(*ast.Literal); ok {
			fixes = append(fixes, analysis.Fix{Title: "Set Beta = true", Safe: true, Preferred: true, Edits: []analysis.TextEdit{analysis.Replace(at.File, direct, "true")}})
		}
		p.ReportNode(at.File, fl, "Beta is false in the Publish record "+pm.Name+": a first release must set Beta = true (set certification.initialRelease to false after the first release)", fixes...)
	}
}

// stPublishMembers returns the members named by Publish attributes, once
// each, in source order.
func stPublishMembers(prog *model.Program) []*model.Member {
	seen := map[*model.Member]bool{}
	var out []*model.Member
	for _, k := range prog.Kinds {
		for _, m := range k.Publish {
			if !seen[m] && m.Node.Value != nil {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	return out
}
