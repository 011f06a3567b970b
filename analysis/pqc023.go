package analysis

import (
	"fmt"
	"strings"

	"github.com/pqls/pqls/analysis/model"
	"github.com/pqls/pqls/grammar/ast"
)

// PQC023 asks for a navigation table.
var PQC023 = &Analyzer{
	ID:       "PQC023",
	Fix:      ManualFix,
	Title:    "Connector exposes no navigation table",
	Severity: Warning,
	Doc: "Certified connectors should let users browse their data in the Navigator, which needs a " +
		"navigation table: a table whose type carries NavigationTable.* metadata, usually made with " +
		"the Table.ToNavigationTable helper, or the navigator a built-in source such as Odbc.DataSource " +
		"or OData.Feed already returns. The rule looks through the whole project for any sign of one " +
		"and reports once, on the first published data source function, only when it finds none. When " +
		"every function takes a query or SQL text and so returns one result, it is only a hint.",
	HelpURI: "https://learn.microsoft.com/power-query/handling-navigation-tables",
	Bad:     "shared Contoso.Contents = () => Json.Document(Web.Contents(\"https://api.contoso.com/orders\"));",
	Good:    "shared Contoso.Contents = () => Table.ToNavigationTable(#table({\"Name\", \"Data\", \"ItemKind\", \"ItemName\", \"IsLeaf\"}, …), {\"Name\"}, \"Name\", \"Data\", \"ItemKind\", \"ItemName\", \"IsLeaf\");",
	Scope:   ConnectorScope,
	Run:     runPQC023,
}

func runPQC023(p *Pass) {
	var first *model.DSF
	var dsfs []*model.DSF
	for _, k := range p.Prog.Kinds {
		for _, d := range k.DSFs {
			dsfs = append(dsfs, d)
			if d.Publish != "" && (first == nil || d.Member.Node.Pos() < first.Member.Node.Pos()) {
				first = d
			}
		}
	}
	if first == nil {
		return
	}
	for _, f := range p.Prog.Files {
		if f.Role == model.TestDoc {
			continue
		}
		for _, r := range prjRoots(f) {
			if p.Prog.ProvidesNavigation(f, r) {
				return
			}
		}
	}
	sev := Warning
	if pqc023QueryOnly(dsfs) {
		sev = Hint
	}
	start, end := Span(p.Prog.Main, first.Member.Node.Name)
	var fixes []Fix
	if fix, ok := pqc023Fix(p, first); ok {
		fixes = append(fixes, fix)
	}
	p.Report(Diagnostic{Path: p.Prog.Main.Path, Start: start, End: end, Severity: sev, Fixes: fixes,
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
func pqc023Fix(p *Pass, d *model.DSF) (Fix, bool) {
	main := p.Prog.Main
	fn := d.Func
	if fn == nil || fn.Body == nil || main.AST.Section == nil {
		return Fix{}, false
	}
	if _, taken := p.Prog.Members[model.NavTableHelper]; taken {
		return Fix{}, false
	}
	// The function must be written in the main document.
	start, end := Span(main, fn.Body)
	if end > len(main.AST.Src) || main.AST.Section.End() < fn.Body.End() || start >= end {
		return Fix{}, false
	}
	owner := false
	for _, m := range main.AST.Section.Members {
		if m.Value != nil && m.Pos() <= fn.Pos() && fn.End() <= m.End() {
			owner = true
		}
	}
	if !owner {
		return Fix{}, false
	}
	last := main.AST.Section.Members[len(main.AST.Section.Members)-1]
	if !last.Semi.IsValid() {
		return Fix{}, false
	}
	name := model.QuoteText(d.Kind)
	wrapped := "Table.ToNavigationTable(\n        #table({\"Name\", \"Key\", \"Data\", \"ItemKind\", \"ItemName\", \"IsLeaf\"}, {{" +
		name + ", " + name + ", " + Source(main, fn.Body) + ", \"Table\", \"Table\", true}}),\n" +
		"        {\"Key\"}, \"Name\", \"Data\", \"ItemKind\", \"ItemName\", \"IsLeaf\")"
	return Fix{Title: "Return a navigation table", Edits: []TextEdit{
		Replace(main, fn.Body, wrapped),
		Insert(main, main.AST.Offset(last.Semi)+1, navHelper),
	}}, true
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
