package structure

import (
	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// PQC054 checks the Publish records that data-source functions name.
var PQC054 = &analysis.Analyzer{
	ID:       "PQC054",
	Fix:      analysis.SafeFix,
	Title:    "Publish record missing or without ButtonText",
	Severity: analysis.Error,
	Doc: "A Publish attribute puts a data-source function in the Get Data dialog, described by the " +
		"section member it names. If that member does not exist the connector fails to load; if its " +
		"record has no ButtonText list, the dialog has no name to show. Functions without a Publish " +
		"attribute are callable but hidden from Get Data, which is allowed. The fixes add the " +
		"missing record or field.",
	HelpURI:    "https://learn.microsoft.com/power-query/handling-data-access",
	Bad:        "[DataSource.Kind = \"Contoso\", Publish = \"Contoso.Publish\"]\nshared Contoso.Contents = () => ...;",
	Good:       "[DataSource.Kind = \"Contoso\", Publish = \"Contoso.Publish\"]\nshared Contoso.Contents = () => ...;\n\nContoso.Publish = [\n    Beta = true,\n    Category = \"Other\",\n    ButtonText = { Extension.LoadString(\"ButtonTitle\"), Extension.LoadString(\"ButtonHelp\") }\n];",
	Scope:      analysis.ConnectorScope,
	Absence:    true,
	DataSource: true,
	Run:        runPQC054,
}

const stButtonText = `ButtonText = { Extension.LoadString("ButtonTitle"), Extension.LoadString("ButtonHelp") }`

func runPQC054(p *analysis.Pass) {
	f := p.Prog.Main
	if f == nil || f.AST.Section == nil {
		return
	}
	prog := p.Prog
	missing := map[string]bool{}
	for _, m := range prog.MemberList {
		l := connector.AttrLiteral(m, "Publish")
		if l == nil {
			continue
		}
		name, _ := model.Text(l)
		if prog.Members[name] != nil || missing[name] {
			continue
		}
		missing[name] = true
		// No fix: a Publish record written by a tool would have no icons
		// (PQC020) and strings the resources lack (PQC026), and the record
		// may be there already in a member that does not parse.
		p.ReportNode(f, l, "the Publish attribute names "+model.QuoteText(name)+", which is not a member of the section: add the Publish record")
	}
	for _, pm := range stPublishMembers(prog) {
		recs, complete := prog.Records(f, pm.Node.Value)
		if len(recs) == 0 {
			continue
		}
		fl, at := model.FieldIn(recs, "ButtonText")
		if fl == nil {
			if complete {
				p.Report(analysis.Diagnostic{Path: f.Path, Severity: analysis.Warning, Start: f.AST.Offset(pm.Node.Name.Pos()), End: f.AST.Offset(pm.Node.Name.End()),
					Message: "the Publish record " + pm.Name + " has no ButtonText: add the name and tooltip shown in Get Data",
					Fixes:   stButtonTextFix(prog, recs[0])})
			}
			continue
		}
		x, xf := prog.ValueOf(at.File, fl.Value)
		if xf == nil {
			xf = at.File
		}
		switch v := x.(type) {
		case *ast.ListExpr:
			if len(v.Items) == 0 {
				p.Report(analysis.Diagnostic{Path: at.File.Path, Severity: analysis.Warning, Start: at.File.AST.Offset(fl.Pos()), End: at.File.AST.Offset(fl.End()),
					Message: "ButtonText of " + pm.Name + " is empty: give the name shown in Get Data and a tooltip"})
			}
		case *ast.Literal, *ast.RecordExpr, *ast.InvokeExpr, *ast.BinaryExpr:
			if !stNotList(prog, xf, v) {
				continue
			}
			var fixes []analysis.Fix
			if model.Unparen(fl.Value) == v {
				fixes = append(fixes, analysis.Fix{Title: "Make ButtonText a list", Safe: true, Preferred: true,
					Edits: []analysis.TextEdit{analysis.Replace(at.File, v, "{ "+analysis.Source(at.File, v)+" }")}})
			}
			p.Report(analysis.Diagnostic{Path: at.File.Path, Severity: analysis.Warning, Start: at.File.AST.Offset(fl.Pos()), End: at.File.AST.Offset(fl.End()), Fixes: fixes,
				Message: "ButtonText of " + pm.Name + " must be a list: the name shown in Get Data, then a tooltip"})
		}
	}
}

// stNotList reports whether x, the value of a ButtonText, is surely not a
// list: a literal or a record, a call of a library function whose result is
// text, a number, a record or a table (Extension.LoadString is the one met
// in Publish records, written where the list of two strings belongs), or a
// text concatenation. Calls of the connector's own functions and anything
// else that may yield a list are left alone.
func stNotList(prog *model.Program, f *model.File, x ast.Expr) bool {
	switch v := model.Unparen(x).(type) {
	case *ast.Literal, *ast.RecordExpr:
		return true
	case *ast.InvokeExpr:
		name := prog.CallName(f, v)
		if name == "Extension.LoadString" {
			return true
		}
		return stScalarTypes[model.Library()[name].Returns()]
	case *ast.BinaryExpr:
		// x & y is a list only when both sides are lists: one side that
		// is text makes it text.
		if v.Op != token.AND_TEXT {
			return false
		}
		return stIsText(prog, f, v.X) || stIsText(prog, f, v.Y)
	}
	return false
}

// stScalarTypes are the documented result types of library functions that
// are not lists.
var stScalarTypes = map[string]bool{"text": true, "number": true, "logical": true, "record": true, "table": true,
	"binary": true, "date": true, "datetime": true, "datetimezone": true, "time": true, "duration": true}

// stIsText reports whether x is a text literal or a call that returns text.
func stIsText(prog *model.Program, f *model.File, x ast.Expr) bool {
	x = model.Unparen(x)
	if connector.TextLiteral(x) != nil {
		return true
	}
	if call, ok := x.(*ast.InvokeExpr); ok {
		name := prog.CallName(f, call)
		if name == "Extension.LoadString" {
			return true
		}
		return model.Library()[name].Returns() == "text"
	}
	if b, ok := x.(*ast.BinaryExpr); ok && b.Op == token.AND_TEXT {
		return stIsText(prog, f, b.X) || stIsText(prog, f, b.Y)
	}
	return false
}

// stButtonTextFix adds a ButtonText that reads the ButtonTitle and
// ButtonHelp strings, offered only when resources.resx has both, so that
// the fix does not point at strings that are not there (PQC026).
func stButtonTextFix(prog *model.Program, at model.RecordAt) []analysis.Fix {
	proj := prog.Project
	if proj == nil || proj.Resx == "" {
		return nil
	}
	for _, k := range []string{"ButtonTitle", "ButtonHelp"} {
		if _, ok := proj.Resources[k]; !ok {
			return nil
		}
	}
	return []analysis.Fix{{Title: "Add ButtonText", Preferred: true, Edits: []analysis.TextEdit{analysis.PrependField(at.File, at.Rec, stButtonText)}}}
}
