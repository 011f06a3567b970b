package navigation

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
)

// PQC023 asks for a navigation table.
var PQC023 = &analysis.Analyzer{
	ID:       "PQC023",
	Fix:      analysis.ManualFix,
	Title:    "Connector exposes no navigation table",
	Severity: analysis.Warning,
	Doc: "Certified connectors should let users browse their data in the Navigator, which needs a " +
		"navigation table: a table whose type carries NavigationTable.* metadata, usually made with " +
		"the Table.ToNavigationTable helper, or the navigator a built-in source such as Odbc.DataSource " +
		"or OData.Feed already returns. The rule looks through the whole project for any sign of one " +
		"and reports once, on the first published data source function, only when it finds none. When " +
		"every function takes a query or SQL text and so returns one result, it is only a hint; when " +
		"every function returns the result of a query the connector writes itself (Odbc.Query, " +
		"AdoDotNet.Query, OleDb.Query, Value.NativeQuery), there is one table and nothing to navigate.",
	HelpURI: "https://learn.microsoft.com/power-query/handling-navigation-tables",
	Bad:     "shared Contoso.Contents = () => Json.Document(Web.Contents(\"https://api.contoso.com/orders\"));",
	Good:    "shared Contoso.Contents = () => Table.ToNavigationTable(#table({\"Name\", \"Data\", \"ItemKind\", \"ItemName\", \"IsLeaf\"}, …), {\"Name\"}, \"Name\", \"Data\", \"ItemKind\", \"ItemName\", \"IsLeaf\");",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC023,
}

func runPQC023(p *analysis.Pass) {
	var first *model.DSF
	var dsfs []*model.DSF
	for _, k := range p.Prog.Kinds {
		for _, d := range k.DSFs {
			dsfs = append(dsfs, d)
			if d.Publish != "" && (first == nil || p.Prog.Main.AST.Offset(d.Member.Node.Pos()) < p.Prog.Main.AST.Offset(first.Member.Node.Pos())) {
				first = d
			}
		}
	}
	if first == nil {
		return
	}
	for _, f := range p.Prog.Files {
		if f.Role == project.Test {
			continue
		}
		for r := range connector.Roots(f) {
			if p.Prog.ProvidesNavigation(f, r) {
				return
			}
		}
	}
	if pqc023NativeQueryOnly(p, dsfs) {
		return
	}
	sev := analysis.Warning
	if pqc023QueryOnly(dsfs) {
		sev = analysis.Hint
	}
	start, end := analysis.Span(p.Prog.Main, first.Member.Node.Name)
	var fixes []analysis.Fix
	if fix, ok := pqc023Fix(p, first); ok {
		fixes = append(fixes, fix)
	}
	p.Report(analysis.Diagnostic{Path: p.Prog.Main.Path, Start: start, End: end, Severity: sev, Fixes: fixes,
		Message: fmt.Sprintf("%s returns no navigation table, and nothing in the connector builds one: wrap the result in Table.ToNavigationTable so users can browse it in the Navigator", first.Member.Name)})
}

// navHelper is the Table.ToNavigationTable helper the fix adds.
const navHelper = `

// Marks a table as a navigation table for the Navigator.
Table.ToNavigationTable = (
    table as table,
    keyColumns as list,
    nameColumn as text,
    dataColumn as text,
    itemKindColumn as text,
    itemNameColumn as text,
    isLeafColumn as text
) as table =>
    let
        tableType = Value.Type(table),
        navigationType = Type.AddTableKey(tableType, keyColumns, true) meta [
            NavigationTable.NameColumn = nameColumn,
            NavigationTable.DataColumn = dataColumn,
            NavigationTable.ItemKindColumn = itemKindColumn,
            Preview.DelayColumn = itemNameColumn,
            NavigationTable.IsLeafColumn = isLeafColumn
        ]
    in
        Value.ReplaceType(table, navigationType);`

// pqc023Fix wraps the body of d's function in a one-row navigation table
// and adds the Table.ToNavigationTable helper.
func pqc023Fix(p *analysis.Pass, d *model.DSF) (analysis.Fix, bool) {
	main := p.Prog.Main
	fn := d.Func
	if fn == nil || fn.Body == nil || main.AST.Section == nil {
		return analysis.Fix{}, false
	}
	if _, taken := p.Prog.Members[model.NavTableHelper]; taken {
		return analysis.Fix{}, false
	}
	// Only a function that returns a table and that no other code calls:
	// wrapping a token or a text, or changing what a caller receives,
	// breaks the connector.
	if !pqc023ReturnsTable(p, fn) {
		return analysis.Fix{}, false
	}
	for _, site := range p.Prog.CallSites(fn) {
		if site.File.Role != project.Test {
			return analysis.Fix{}, false // the implementation has callers of its own
		}
	}
	if m := d.Member; m == nil || m.Def == nil {
		return analysis.Fix{}, false
	} else {
		for _, ref := range p.Prog.RefsTo(m.Def) {
			if ref.File.Role != project.Test {
				return analysis.Fix{}, false
			}
		}
	}
	// The function must be written in the main document.
	start, end := analysis.Span(main, fn.Body)
	// Positions of different members are not comparable (each member is
	// its own chunk, renumbered by Reparse): compare offsets.
	if _, sectionEnd := analysis.Span(main, main.AST.Section); end > len(main.AST.Src) || sectionEnd < end || start >= end {
		return analysis.Fix{}, false
	}
	owner := false
	fnStart, fnEnd := analysis.Span(main, fn)
	for _, m := range main.AST.Section.Members {
		if ms, me := analysis.Span(main, m); m.Value != nil && ms <= fnStart && fnEnd <= me {
			owner = true
		}
	}
	if !owner {
		return analysis.Fix{}, false
	}
	last := main.AST.Section.Members[len(main.AST.Section.Members)-1]
	if !last.Semi.IsValid() {
		return analysis.Fix{}, false
	}
	name := model.QuoteText(d.Kind)
	nl := analysis.Newline(main)
	base := analysis.LineIndent(main, start)
	body := analysis.Source(main, fn.Body)
	unit := "    " // the file's unit of indentation: a tab where it indents with tabs
	if strings.HasPrefix(base, "\t") || strings.Contains(body, "\n\t") {
		unit = "\t"
	}
	indent := base + unit
	columns := "{\"Name\", \"Key\", \"Data\", \"ItemKind\", \"ItemName\", \"IsLeaf\"}"
	var wrapped string
	if !strings.Contains(body, "\n") {
		wrapped = "Table.ToNavigationTable(" + nl + indent + "#table(" + columns + ", {{" +
			name + ", " + name + ", " + body + ", \"Table\", \"Table\", true}})," + nl +
			indent + "{\"Key\"}, \"Name\", \"Data\", \"ItemKind\", \"ItemName\", \"IsLeaf\")"
	} else {
		// A body of several lines goes on lines of its own, each line moved
		// right as far as the body moves, so that its layout is kept; unless
		// a text literal spans lines, whose value indenting would change.
		if !pqc023MultiLineLiteral(main, fn.Body) {
			shift := strings.Repeat(unit, 3) // where the row puts the body's first line
			body = strings.ReplaceAll(body, "\n", "\n"+shift)
			for _, blank := range []string{"\r\n", "\n"} { // no white space on blank lines
				for strings.Contains(body, "\n"+shift+blank) {
					body = strings.ReplaceAll(body, "\n"+shift+blank, "\n"+blank)
				}
			}
		}
		row := indent + unit + unit
		wrapped = "Table.ToNavigationTable(" + nl +
			indent + "#table(" + nl +
			indent + unit + columns + "," + nl +
			indent + unit + "{{" + nl +
			row + name + ", " + name + "," + nl +
			row + body + "," + nl +
			row + "\"Table\", \"Table\", true" + nl +
			indent + unit + "}}" + nl +
			indent + ")," + nl +
			indent + "{\"Key\"}, \"Name\", \"Data\", \"ItemKind\", \"ItemName\", \"IsLeaf\")"
	}
	return analysis.Fix{Title: "Return a navigation table", Edits: []analysis.TextEdit{
		analysis.Replace(main, fn.Body, wrapped),
		analysis.Insert(main, main.AST.Offset(last.Semi)+1, strings.ReplaceAll(strings.ReplaceAll(navHelper, "    ", unit), "\n", nl)),
	}}, true
}

// nativeQueryFuncs run one query and return its one result table.
var nativeQueryFuncs = []string{"Odbc.Query", "AdoDotNet.Query", "OleDb.Query", "Value.NativeQuery"}

// pqc023NativeQueryOnly reports whether every function's result is the
// result of a native query, as in a connector that runs a script or a
// fixed statement: its one table has nothing to navigate.
func pqc023NativeQueryOnly(p *analysis.Pass, dsfs []*model.DSF) bool {
	for _, d := range dsfs {
		if d.Func == nil || d.Func.Body == nil {
			return false
		}
		v, vf := p.Prog.ValueOf(p.Prog.Main, d.Func.Body)
		c, ok := v.(*ast.InvokeExpr)
		if !ok || !slices.Contains(nativeQueryFuncs, p.Prog.CallName(vf, c)) {
			return false
		}
	}
	return len(dsfs) > 0
}

// pqc023QueryOnly reports whether every function has a required parameter
// that takes a query text.
func pqc023QueryOnly(dsfs []*model.DSF) bool {
	for _, d := range dsfs {
		if d.Func == nil {
			return false
		}
		found := false
		params := d.Func.Params
		if d.Type != nil {
			params = d.Type.Params
		}
		for _, prm := range params {
			if prm.Optional.IsValid() || prm.Name == nil {
				continue
			}
			n := strings.ToLower(prm.Name.Name)
			if strings.Contains(n, "query") || strings.Contains(n, "sql") {
				if t, ok := model.Unparen(prm.Type).(*ast.PrimitiveType); !ok || t.Name == "text" || t.Name == "any" {
					found = true
				}
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// pqc023ReturnsTable reports whether fn is known to return a table: it
// says so (as table), or its result is a #table or a Table.* call.
func pqc023ReturnsTable(p *analysis.Pass, fn *ast.FunctionExpr) bool {
	if t, ok := model.Unparen(fn.Return).(*ast.PrimitiveType); ok && t.Name == "table" {
		return true
	}
	v, vf := p.Prog.ValueOf(p.Prog.Main, fn.Body)
	c, ok := v.(*ast.InvokeExpr)
	if !ok {
		return false
	}
	name := p.Prog.CallName(vf, c)
	return name == "#table" || strings.HasPrefix(name, "Table.") && name != "Table.ToNavigationTable"
}

// pqc023MultiLineLiteral reports whether a text literal or a quoted name in
// x spans lines.
func pqc023MultiLineLiteral(f *model.File, x ast.Expr) bool {
	found := false
	ast.Inspect(x, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.Literal, *ast.Ident:
			found = found || strings.ContainsAny(analysis.Source(f, n), "\r\n")
		}
		return !found
	})
	return found
}
