package tracing

import (
	"fmt"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC039 finds whole tables, binaries and responses written to the trace.
var PQC039 = &analysis.Analyzer{
	ID:       "PQC039",
	Title:    "Large value written to the trace",
	Severity: analysis.Hint,
	Doc: "Diagnostics.LogValue and Diagnostics.ValueToText turn the whole value into text for the " +
		"trace. For a table, a binary or a web response that is slow, the host cuts the message short " +
		"anyway, and certification asks that traces hold no large amounts of unnecessary data. A value is " +
		"large when it comes from a library function that returns a table or a binary (but the summaries " +
		"Table.FirstN, Table.Schema, Table.Profile and their like, and text turned into bytes), from a " +
		"web request or a parsed response, or from a function of the connector that is declared to " +
		"return a table or a binary or whose result is one of those. Logging " +
		"inside Table.TransformRows writes one entry per row. Trace a summary instead — a row count, a " +
		"length, the URL. Calls in dead code (a branch a constant flag never takes) and helpers rebound to " +
		"pass their value through are not tracing; row-by-row logging inside a branch a tracing flag " +
		"selects is the development tracing Microsoft's ODBC samples recommend for large tables, and is " +
		"left to PQC037, which reports the flag if it ships on.",
	HelpURI:   "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:       "source = Diagnostics.LogValue(\"Response\", Json.Document(Web.Contents(url)))",
	Good:      "source = Json.Document(Web.Contents(url)),\ntraced = Diagnostics.LogValue(\"Row count\", Table.RowCount(source))",
	Scope:     analysis.ExpressionScope,
	PerMember: true,
	Run:       runPQC039,
}

// largeFuncs return values too large to trace.
var largeFuncs = map[string]string{
	"Web.Contents": "a web response", "Json.Document": "a parsed response", "Xml.Document": "a parsed response",
	"Xml.Tables": "a table", "Csv.Document": "a table", "Binary.Buffer": "a binary", "Binary.Combine": "a binary",
	"File.Contents": "a binary", "Web.Page": "a table", "OData.Feed": "a table", "Odbc.Query": "a table",
	"Table.Buffer": "a table", "#table": "a table", "Table.FromRecords": "a table", "Table.FromList": "a table",
	"Table.FromRows": "a table", "Table.FromColumns": "a table", "Table.AddColumn": "a table",
	"Table.SelectRows": "a table", "Table.TransformColumns": "a table", "Table.ExpandRecordColumn": "a table",
	"Table.ExpandTableColumn": "a table", "Table.ExpandListColumn": "a table", "Table.Combine": "a table",
	"Table.NestedJoin": "a table", "Table.Join": "a table", "Table.TransformColumnTypes": "a table",
	"Table.RenameColumns": "a table", "Table.SelectColumns": "a table", "Table.RemoveColumns": "a table",
}

// runPQC039 looks at each call on its own: every finding lies at the call
// (or in the row function written inline in it), and what it says depends
// on the values the call's member names and on whether the call traces —
// dead code and pass-through helpers are decided by the members it refers
// to. So the rule is checked member by member (PerMember).
func runPQC039(p *analysis.Pass) {
	p.EachCall(func(f *model.File, c *ast.InvokeExpr) {
		idx := -1
		switch connector.CalleeName(c) {
		case "Diagnostics.LogValue", "Diagnostics.LogValue2":
			idx = 1
		case "Diagnostics.ValueToText":
			idx = 0
		case "Table.TransformRows":
			pqc039PerRow(p, f, model.Arg(c, 1))
			return
		}
		if idx < 0 || !p.Prog.Traces(f, c) {
			return
		}
		arg := model.Arg(c, idx)
		if what := pqc039Large(p.Prog, f, arg); what != "" {
			p.ReportNode(f, c, fmt.Sprintf("%s writes %s to the trace in full: trace a summary such as its row count or length instead", connector.CalleeName(c), what))
		}
	})
}

// pqc039Small are library functions that return a table or a binary
// which is a summary or a conversion of a small value, not a large one:
// the first rows, the columns, a record turned into a table, a text turned
// into bytes.
var pqc039Small = map[string]bool{
	"Table.FirstN": true, "Table.LastN": true, "Table.Range": true, "Table.MaxN": true, "Table.MinN": true,
	"Table.Schema": true, "Table.Profile": true, "Type.TableSchema": true, "Record.ToTable": true,
	"Value.Traits": true, "Value.Versions": true, "DirectQueryCapabilities.From": true,
	"Text.ToBinary": true, "Lines.ToBinary": true, "Json.FromValue": true, "Binary.From": true,
	"Binary.FromText": true, "Binary.FromList": true, "Binary.Range": true,
}

// pqc039Depth bounds how deep pqc039Large follows the results of the
// connector's own functions, so that recursive functions end.
const pqc039Depth = 4

// pqc039Large says what large value x is, or "".
func pqc039Large(prog *model.Program, f *model.File, x ast.Expr) string {
	return pqc039LargeAt(prog, f, x, 0)
}

func pqc039LargeAt(prog *model.Program, f *model.File, x ast.Expr, depth int) string {
	if x == nil {
		return ""
	}
	if id, ok := model.Unparen(x).(*ast.Ident); ok {
		if d := f.Ref(id); d != nil && d.Kind == model.DefParam && d.Param != nil {
			if t := pqc039TypeName(d.Param.Type); t == "table" || t == "binary" {
				return "a " + t
			}
		}
	}
	v, ff := prog.ValueOf(f, x)
	c, ok := v.(*ast.InvokeExpr)
	if !ok {
		return ""
	}
	name := prog.CallName(ff, c)
	if what, ok := largeFuncs[name]; ok {
		return what
	}
	if name == "Text.FromBinary" && pqc039LargeAt(prog, ff, model.Arg(c, 0), depth) != "" {
		return "a whole response body"
	}
	if name != "" {
		// Any other library function known to return a table or a binary
		// (Table.Sort, Table.PromoteHeaders, …), but the summaries.
		if t := model.Library()[name].Returns(); (t == "table" || t == "binary") && !pqc039Small[name] {
			return "a " + t
		}
		return ""
	}
	// A function of the connector: what it says it returns, or what its
	// body computes. Connectors log the results of their own GetEntity or
	// ReadPage as often as those of the library.
	if depth >= pqc039Depth {
		return ""
	}
	fv, fnFile := prog.ValueOf(ff, c.Fun)
	fn, ok := fv.(*ast.FunctionExpr)
	if !ok || fn.Body == nil {
		return ""
	}
	if t := pqc039TypeName(fn.Return); t == "table" || t == "binary" {
		return "a " + t
	}
	return pqc039LargeAt(prog, fnFile, fn.Body, depth+1)
}

// pqc039TypeName returns the name of the primitive type t (table, binary,
// text, …), nullable or not, or "".
func pqc039TypeName(t ast.Expr) string {
	switch v := model.Unparen(t).(type) {
	case *ast.PrimitiveType:
		return v.Name
	case *ast.NullableType:
		return pqc039TypeName(v.T)
	}
	return ""
}

// pqc039PerRow reports a Diagnostics.LogValue call in the row function of
// Table.TransformRows.
func pqc039PerRow(p *analysis.Pass, f *model.File, fn ast.Expr) {
	var body ast.Expr
	switch x := model.Unparen(fn).(type) {
	case *ast.EachExpr:
		body = x.Body
	case *ast.FunctionExpr:
		body = x.Body
	default:
		return
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FunctionExpr, *ast.EachExpr:
			return false // not run once per row, unless called
		case *ast.InvokeExpr:
			name := connector.CalleeName(x)
			if strings.HasPrefix(name, "Diagnostics.LogValue") && p.Prog.Traces(f, x) && !p.Prog.TraceGated(f, x) {
				p.ReportNode(f, x, "tracing inside Table.TransformRows writes one entry per row: trace once, outside the row function")
				return false
			}
		}
		return true
	})
}
