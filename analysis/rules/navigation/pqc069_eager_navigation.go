package navigation

import (
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC069 finds navigation tables whose data is fetched while the table is
// built.
var PQC069 = &analysis.Analyzer{
	ID:       "PQC069",
	Title:    "Navigation table fetches its data eagerly",
	Severity: analysis.Hint,
	Doc: "When the rows of a navigation table are made as records with Table.FromRecords or " +
		"Table.TransformRows, the Data of every row tends to be evaluated while the Navigator is " +
		"drawn, so opening it sends one request per table. Adding the Data column with Table.AddColumn " +
		"keeps each value lazy until the user picks the item. The rule reports a Data field that calls " +
		"a web or data source function, directly or through a function of the connector.",
	HelpURI:   "https://learn.microsoft.com/power-query/handling-navigation-tables",
	Bad:       "Table.ToNavigationTable(Table.FromRecords({[Name = \"Orders\", Data = GetEntity(\"Orders\"), ItemKind = \"Table\", ItemName = \"Table\", IsLeaf = true]}), …)",
	Good:      "Table.ToNavigationTable(Table.AddColumn(#table({\"Name\"}, {{\"Orders\"}}), \"Data\", each GetEntity([Name])), …)",
	Scope:     analysis.ExpressionScope,
	PerMember: true,
	Run:       runPQC069,
}

// runPQC069 follows each navigation table to its row records: in the
// table's member, the members it names, the callers of the helper it is a
// parameter of — all connected to the call's member — or another file.
// Whether a record's data is fetched depends on the functions it calls,
// connected to it too; so the rule is checked member by member
// (PerMember, see eachNavCall).
func runPQC069(p *analysis.Pass) {
	var seen map[*ast.Field]bool // made at the first finding
	eachNavCall(p, func(f *model.File, call *ast.InvokeExpr, report func(analysis.Diagnostic)) {
		col := "Data"
		if s, ok := model.Text(p.Prog.Value(f, model.Arg(call, model.NavArgData))); ok {
			col = s
		}
		for _, rec := range pqc069Records(p.Prog, f, model.Arg(call, model.NavArgTable)) {
			fl := model.Field(rec.Rec, col)
			if fl == nil || seen[fl] || !pqc069Fetches(p.Prog, rec.File, fl.Value, 0) {
				continue
			}
			if seen == nil {
				seen = map[*ast.Field]bool{}
			}
			seen[fl] = true
			connector.ReportNode(report, rec.File, fl, "the "+col+" of every row is fetched while the navigation table is built: "+
				"add the column with Table.AddColumn(…, \""+col+"\", each …) so each table loads only when it is picked")
		}
	})
}

// pqc069Records returns the row records of a table built with
// Table.FromRecords, from a list literal or a List.Transform /
// Table.TransformRows row function, also when it is a part of
// Table.Combine or a branch of an if.
func pqc069Records(prog *model.Program, f *model.File, x ast.Expr) []model.RecordAt {
	return pqc069RecordsDepth(prog, f, x, 0)
}

func pqc069RecordsDepth(prog *model.Program, f *model.File, x ast.Expr, depth int) []model.RecordAt {
	if x == nil || depth > 6 {
		return nil
	}
	ff := prog.FileOf(f, x)
	v := prog.Value(f, x)
	if id, ok := v.(*ast.Ident); ok {
		var out []model.RecordAt
		for _, arg := range prjParamArgs(prog, ff, id) {
			out = append(out, pqc069RecordsDepth(prog, arg.File, arg.X, depth+1)...)
		}
		return out
	}
	if c, ok := v.(*ast.IfExpr); ok {
		return append(pqc069RecordsDepth(prog, ff, c.True, depth+1), pqc069RecordsDepth(prog, ff, c.False, depth+1)...)
	}
	c, ok := v.(*ast.InvokeExpr)
	if !ok {
		return nil
	}
	if prog.CallName(ff, c) == "Table.Combine" {
		var out []model.RecordAt
		for _, part := range prjRowItems(prog, ff, model.Arg(c, 0)) {
			out = append(out, pqc069RecordsDepth(prog, part.File, part.X, depth+1)...)
		}
		return out
	}
	if prog.CallName(ff, c) != "Table.FromRecords" {
		return nil
	}
	var out []model.RecordAt
	for _, it := range prjRowItems(prog, ff, model.Arg(c, 0)) {
		if r, rf := connector.RecordValue(prog, it.File, it.X); r != nil {
			out = append(out, model.RecordAt{Rec: r, File: rf})
		}
	}
	return out
}

// dataFuncs fetch data; prefixes end with a dot.
var dataFuncs = []string{"Web.Contents", "OData.Feed", "Odbc.Query", "Odbc.DataSource", "Json.Document", "Csv.Document",
	"Xml.Tables", "Xml.Document", "Web.Page", "Sql.", "AdoDotNet.", "OleDb.", "Excel.Workbook", "File.Contents"}

func isDataFunc(name string) bool {
	for _, d := range dataFuncs {
		if name == d || strings.HasSuffix(d, ".") && strings.HasPrefix(name, d) {
			return true
		}
	}
	return false
}

// pqc069Fetches reports whether evaluating x calls a data function:
// directly, or by calling a function of the connector that does.
func pqc069Fetches(prog *model.Program, f *model.File, x ast.Expr, depth int) bool {
	if x == nil || depth > 3 {
		return false
	}
	switch model.Unparen(x).(type) {
	case *ast.FunctionExpr, *ast.EachExpr:
		return false // a function value: nothing runs yet
	}
	for n := range model.Evaluated(x) {
		switch v := n.(type) {
		case *ast.InvokeExpr:
			if isDataFunc(prog.CallName(f, v)) {
				return true
			}
			if id, ok := model.Unparen(v.Fun).(*ast.Ident); ok {
				if d := f.Ref(id); d != nil && d.Value != nil && d.Kind != model.DefLibrary {
					if fn, _, _ := prog.Function(f, id); fn != nil && pqc069Fetches(prog, connector.FuncFile(prog, f, id), fn.Body, depth+1) {
						return true
					}
				}
			}
		case *ast.Ident:
			// A let binding or member evaluated as part of the value.
			if d := f.Ref(v); d != nil && d.Value != nil && (d.Kind == model.DefBinding || d.Kind == model.DefMember) && prog.DefFile(d) != nil {
				if _, isFn := model.Unparen(d.Value).(*ast.FunctionExpr); !isFn && pqc069Fetches(prog, prog.DefFile(d), d.Value, depth+1) {
					return true
				}
			}
		}
	}
	return false
}
