package analysis

import (
	"strings"

	"github.com/pqls/pqls/analysis/model"
	"github.com/pqls/pqls/grammar/ast"
)

// PQC010 asks data-source functions to return tables.
var PQC010 = &Analyzer{
	ID:       "PQC010",
	Fix:      ManualFix,
	Title:    "Data-source function does not return a table",
	Severity: Warning,
	Doc: "Certified connectors return their data as tables with columns, the way a relational source " +
		"does, usually through a navigation table; cube-style results with dimensions and measures are " +
		"not accepted. This rule warns when a data-source function declares that it returns a record, " +
		"list, text, binary, number or logical, or when its result is plainly a record or list literal " +
		"or parsed JSON. Functions declared as table or any, and results the analysis cannot see, are " +
		"left alone. Calls of Cube functions are reported for review.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:     "[DataSource.Kind = \"Contoso\"]\nshared Contoso.Contents = (url as text) => Json.Document(Web.Contents(url));",
	Good:    "[DataSource.Kind = \"Contoso\"]\nshared Contoso.Contents = (url as text) => Table.FromRecords(Json.Document(Web.Contents(url))[value]);",
	Scope:   ConnectorScope,
	Run:     runPQC010,
}

var stNonTableTypes = map[string]bool{"record": true, "list": true, "text": true, "binary": true, "number": true, "logical": true}

func runPQC010(p *Pass) {
	f := p.Prog.Main
	if f == nil || f.AST.Section == nil {
		return
	}
	prog := p.Prog
	for _, k := range prog.Kinds {
		for _, d := range k.DSFs {
			if d.Member.Node.Value == nil {
				continue
			}
			sig := prog.Signature(f, d.Member.Node.Value)
			if sig.ReplaceType && sig.Type == nil {
				continue
			}
			var ret ast.Expr
			var rf *model.File
			switch {
			case sig.Type != nil:
				ret, rf = sig.Type.Return, sig.TypeFile
			case sig.Fn != nil:
				ret, rf = sig.Fn.Return, sig.FnFile
			default:
				continue
			}
			if ret != nil {
				t := strings.TrimPrefix(stReturnTypeName(rf, ret), "nullable ")
				if stNonTableTypes[t] {
					p.ReportNode(f, d.Member.Node.Name, "the data-source function "+d.Member.Name+" is declared to return "+t+": return the data as a table (or a navigation table)")
				}
				continue
			}
			if sig.Fn == nil {
				continue
			}
			res, resFile := stFinalResult(sig.FnFile, sig.Fn.Body)
			what := ""
			var fixes []Fix
			switch v := res.(type) {
			case *ast.RecordExpr:
				what = "a record"
			case *ast.ListExpr:
				what = "a list"
			case *ast.InvokeExpr:
				if prog.CallName(resFile, v) == "Json.Document" {
					what = "parsed JSON"
				}
			case *ast.FieldAccess:
				inner, innerFile := stFinalResult(resFile, v.X)
				if call, ok := inner.(*ast.InvokeExpr); ok && prog.CallName(innerFile, call) == "Json.Document" {
					what = "a field of parsed JSON"
					fixes = append(fixes, Fix{Title: "Convert the list of records with Table.FromRecords",
						Edits: []TextEdit{Replace(resFile, v, "Table.FromRecords("+Source(resFile, v)+")")}})
				}
			}
			if what != "" {
				p.ReportNode(f, d.Member.Node.Name, "the data-source function "+d.Member.Name+" returns "+what+", not a table: turn the data into a table with columns", fixes...)
			}
		}
	}
	// Multidimensional results are for a reviewer to judge.
	for _, call := range f.Index().Calls {
		if name := prog.CallName(f, call); strings.HasPrefix(name, "Cube.") {
			p.Report(Diagnostic{Path: f.Path, Severity: Information, Start: f.AST.Offset(call.Pos()), End: f.AST.Offset(call.Fun.End()),
				Message: "the connector uses " + name + ": certified connectors return relational tables, not cubes with dimensions and measures"})
			break
		}
	}
}

// stReturnTypeName spells a declared return type: "table", "nullable record",
// or "" when it is something else.
func stReturnTypeName(f *model.File, x ast.Expr) string {
	switch v := model.Unparen(x).(type) {
	case *ast.PrimitiveType:
		return v.Name
	case *ast.NullableType:
		if t := stReturnTypeName(f, v.T); t != "" {
			return "nullable " + t
		}
	case *ast.TypeExpr:
		return stReturnTypeName(f, v.T)
	case *ast.BinaryExpr:
		return stReturnTypeName(f, v.X)
	}
	return ""
}

// stFinalResult follows a function body through let expressions and the let
// bindings it names to the expression that computes the result.
func stFinalResult(f *model.File, x ast.Expr) (ast.Expr, *model.File) {
	for i := 0; i < 32 && x != nil; i++ {
		x = model.Unparen(x)
		switch v := x.(type) {
		case *ast.LetExpr:
			x = v.Body
		case *ast.Ident:
			d := f.Refs[v]
			if d == nil || d.Kind != model.DefBinding || d.Value == nil {
				return x, f
			}
			x = d.Value
		default:
			return x, f
		}
	}
	return x, f
}
