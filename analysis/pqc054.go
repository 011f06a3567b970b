package analysis

import (
	"github.com/pqls/pqls/analysis/model"
	"github.com/pqls/pqls/grammar/ast"
)

// PQC054 checks the Publish records that data-source functions name.
var PQC054 = &Analyzer{
	ID:       "PQC054",
	Fix:      SafeFix,
	Title:    "Publish record missing or without ButtonText",
	Severity: Error,
	Doc: "A Publish attribute puts a data-source function in the Get Data dialog, described by the " +
		"section member it names. If that member does not exist the connector fails to load; if its " +
		"record has no ButtonText list, the dialog has no name to show. Functions without a Publish " +
		"attribute are callable but hidden from Get Data, which is allowed. The fixes add the " +
		"missing record or field.",
	HelpURI: "https://learn.microsoft.com/power-query/handling-data-access",
	Bad:     "[DataSource.Kind = \"Contoso\", Publish = \"Contoso.Publish\"]\nshared Contoso.Contents = () => ...;",
	Good:    "[DataSource.Kind = \"Contoso\", Publish = \"Contoso.Publish\"]\nshared Contoso.Contents = () => ...;\n\nContoso.Publish = [\n    Beta = true,\n    Category = \"Other\",\n    ButtonText = { Extension.LoadString(\"ButtonTitle\"), Extension.LoadString(\"ButtonHelp\") }\n];",
	Scope:   ConnectorScope,
	Run:     runPQC054,
}

const stButtonText = `ButtonText = { Extension.LoadString("ButtonTitle"), Extension.LoadString("ButtonHelp") }`

func runPQC054(p *Pass) {
	f := p.Prog.Main
	if f == nil || f.AST.Section == nil {
		return
	}
	prog := p.Prog
	missing := map[string]bool{}
	for _, m := range prog.MemberList {
		l := stAttrLiteral(m, "Publish")
		if l == nil {
			continue
		}
		name, _ := model.Text(l)
		if prog.Members[name] != nil || missing[name] {
			continue
		}
		missing[name] = true
		nl := stNewline(f)
		_, end := Span(f, m.Node)
		text := nl + nl + model.IdentText(name) + " = [" + nl + "    Beta = true," + nl + "    Category = \"Other\"," + nl + "    " + stButtonText + nl + "];"
		p.ReportNode(f, l, "the Publish attribute names "+model.QuoteText(name)+", which is not a member of the section: add the Publish record",
			Fix{Title: "Add a Publish record " + name, Preferred: true, Edits: []TextEdit{Insert(f, end, text)}})
	}
	for _, pm := range stPublishMembers(prog) {
		recs, complete := prog.Records(f, pm.Node.Value)
		if len(recs) == 0 {
			continue
		}
		fl, at := model.FieldIn(recs, "ButtonText")
		if fl == nil {
			if complete {
				p.Report(Diagnostic{Path: f.Path, Severity: Warning, Start: f.AST.Offset(pm.Node.Name.Pos()), End: f.AST.Offset(pm.Node.Name.End()),
					Message: "the Publish record " + pm.Name + " has no ButtonText: add the name and tooltip shown in Get Data",
					Fixes:   []Fix{{Title: "Add ButtonText", Preferred: true, Edits: []TextEdit{stAddFieldEdit(recs[0].File, recs[0].Rec, stButtonText)}}}})
			}
			continue
		}
		switch v := prog.Value(at.File, fl.Value).(type) {
		case *ast.ListExpr:
			if len(v.Items) == 0 {
				p.Report(Diagnostic{Path: at.File.Path, Severity: Warning, Start: at.File.AST.Offset(fl.Pos()), End: at.File.AST.Offset(fl.End()),
					Message: "ButtonText of " + pm.Name + " is empty: give the name shown in Get Data and a tooltip"})
			}
		case *ast.Literal, *ast.RecordExpr:
			var fixes []Fix
			if model.Unparen(fl.Value) == v {
				fixes = append(fixes, Fix{Title: "Make ButtonText a list", Safe: true, Preferred: true,
					Edits: []TextEdit{Replace(at.File, v, "{ "+Source(at.File, v)+" }")}})
			}
			p.Report(Diagnostic{Path: at.File.Path, Severity: Warning, Start: at.File.AST.Offset(fl.Pos()), End: at.File.AST.Offset(fl.End()), Fixes: fixes,
				Message: "ButtonText of " + pm.Name + " must be a list: the name shown in Get Data, then a tooltip"})
		}
	}
}
