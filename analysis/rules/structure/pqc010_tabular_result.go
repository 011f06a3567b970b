package structure

import (
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC010 asks data-source functions to return tables.
var PQC010 = &analysis.Analyzer{
	ID:       "PQC010",
	Fix:      analysis.ManualFix,
	Title:    "Data-source function does not return a table",
	Severity: analysis.Warning,
	Doc: "Certified connectors return their data as tables with columns, the way a relational source " +
		"does, usually through a navigation table; cube-style results with dimensions and measures are " +
		"not accepted. This rule warns when a data-source function declares that it returns a record, " +
		"list, text, binary, number or logical, or when its result is plainly a record or list literal " +
		"or parsed JSON, whatever its declared type (as any hides nothing). Behind Value.ReplaceType it " +
		"judges the implementation, and says so when the ascribed type contradicts it. Results the " +
		"analysis cannot see, and functions that only TestConnection calls, are left alone. Calls of Cube functions are reported for review.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:     "[DataSource.Kind = \"Contoso\"]\nshared Contoso.Contents = (url as text) => Json.Document(Web.Contents(url));",
	Good:    "[DataSource.Kind = \"Contoso\"]\nshared Contoso.Contents = (url as text) => Table.FromRecords(Json.Document(Web.Contents(url))[value]);",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC010,
}

var stNonTableTypes = map[string]bool{"record": true, "list": true, "text": true, "binary": true, "number": true, "logical": true}

func runPQC010(p *analysis.Pass) {
	f := p.Prog.Main
	if f == nil || f.AST.Section == nil {
		return
	}
	prog := p.Prog
	tested := connector.TestConnectionTargets(prog)
	for _, d := range p.DataSources() {
		if d.Member.Node.Value == nil || tested[d.Member.Name] && d.Publish == "" {
			continue // no value, or a function for TestConnection only
		}
		sig := prog.Signature(f, d.Member.Node.Value)
		// What the function says it returns: the type Value.ReplaceType
		// ascribes, else the implementation's own.
		declared := ""
		if sig.Type != nil && sig.Type.Return != nil {
			declared = stReturnTypeName(sig.TypeFile, sig.Type.Return)
		} else if sig.Fn != nil && sig.Fn.Return != nil {
			declared = stReturnTypeName(sig.FnFile, sig.Fn.Return)
		}
		declared = strings.TrimPrefix(declared, "nullable ")
		// What the implementation returns, judged from its body; as any
		// hides nothing.
		what, implTable := "", false
		var fixes []analysis.Fix
		if sig.Fn != nil {
			if sig.Fn.Return != nil {
				implTable = strings.TrimPrefix(stReturnTypeName(sig.FnFile, sig.Fn.Return), "nullable ") == "table"
			}
			what, fixes = stResultShape(prog, sig.FnFile, sig.Fn.Body)
		}
		name := d.Member.Name
		switch {
		case stNonTableTypes[declared] && sig.Type != nil && implTable:
			p.ReportNode(f, d.Member.Node.Name, "the type ascribed to "+name+" says it returns "+declared+", but its implementation returns a table: correct the ascribed type")
		case stNonTableTypes[declared]:
			p.ReportNode(f, d.Member.Node.Name, "the data-source function "+name+" is declared to return "+declared+": return the data as a table (or a navigation table)")
		case what != "" && declared == "table":
			p.ReportNode(f, d.Member.Node.Name, "the data-source function "+name+" is declared to return a table but returns "+what+": turn the data into a table with columns, or correct the type", fixes...)
		case what != "":
			p.ReportNode(f, d.Member.Node.Name, "the data-source function "+name+" returns "+what+", not a table: turn the data into a table with columns", fixes...)
		}
	}
	// Multidimensional results are for a reviewer to judge. A call's name
	// is its callee's identifier, so that is looked at before resolving it.
	for call := range f.CallsIn("Cube.") {
		if name := prog.CallName(f, call); strings.HasPrefix(name, "Cube.") {
			p.Report(analysis.Diagnostic{Path: f.Path, Severity: analysis.Information, Start: f.AST.Offset(call.Pos()), End: f.AST.Offset(call.Fun.End()),
				Message: "the connector uses " + name + ": certified connectors return relational tables, not cubes with dimensions and measures"})
			break
		}
	}
}

// stResultShape says what a function body plainly returns when it is not a
// table: "a record", "a list", "parsed JSON", "a field of parsed JSON", or "".
func stResultShape(prog *model.Program, f *model.File, body ast.Expr) (string, []analysis.Fix) {
	res, resFile := stFinalResult(f, body)
	switch v := res.(type) {
	case *ast.RecordExpr:
		return "a record", nil
	case *ast.ListExpr:
		return "a list", nil
	case *ast.InvokeExpr:
		if prog.CallName(resFile, v) == "Json.Document" {
			return "parsed JSON", nil
		}
	case *ast.FieldAccess:
		inner, innerFile := stFinalResult(resFile, v.X)
		if call, ok := inner.(*ast.InvokeExpr); ok && prog.CallName(innerFile, call) == "Json.Document" {
			// No Table.FromRecords fix: nothing says the field holds
			// records rather than a token or a single value.
			return "a field of parsed JSON", nil
		}
	}
	return "", nil
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

// stFinalResult follows a function body through let expressions, the let
// bindings it names and guards (an if whose other branch raises an error,
// as an HTTPS check at the entry) to the expression that computes the
// result.
func stFinalResult(f *model.File, x ast.Expr) (ast.Expr, *model.File) {
	for i := 0; i < 32 && x != nil; i++ {
		x = model.Unparen(x)
		switch v := x.(type) {
		case *ast.LetExpr:
			x = v.Body
		case *ast.IfExpr:
			if _, ok := model.Unparen(v.True).(*ast.ErrorExpr); ok {
				x = v.False
			} else if _, ok := model.Unparen(v.False).(*ast.ErrorExpr); ok {
				x = v.True
			} else {
				return x, f
			}
		case *ast.Ident:
			d := f.Ref(v)
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
