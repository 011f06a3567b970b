package structure

import (
	"github.com/pqls/pqls/analysis"
)

// PQC050 flags the SDK helper functions when they are marked shared.
var PQC050 = &analysis.Analyzer{
	ID:       "PQC050",
	Fix:      analysis.SafeFix,
	Title:    "Helper function marked shared",
	Severity: analysis.Warning,
	Doc: "The helper functions that the Power Query SDK documentation and samples hand out — " +
		"Table.ToNavigationTable, Value.WaitFor, Table.GenerateByPage, the Diagnostics helpers and " +
		"others — are meant to be private to the connector. Marked shared, they join the function " +
		"library users see and may clash with built-in functions of the same name added later. The " +
		"fix removes the shared keyword.",
	HelpURI: "https://learn.microsoft.com/power-query/helper-functions",
	Bad:     "shared Table.ToNavigationTable = (table as table, ...) => ...;",
	Good:    "Table.ToNavigationTable = (table as table, ...) => ...;",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC050,
}

var stSdkHelpers = map[string]bool{
	"Table.ToNavigationTable": true, "Uri.FromParts": true, "Uri.GetHost": true, "ValidateUrlScheme": true,
	"Value.WaitFor": true, "Table.GenerateByPage": true, "SchemaTransformTable": true,
	"EnforceSchema.Strict": true, "EnforceSchema.IgnoreExtraColumns": true, "EnforceSchema.IgnoreMissingColumns": true,
	"Table.ChangeType": true, "Record.ChangeType": true, "List.ChangeType": true, "Schema.ToTableType": true,
	// The five functions of the samples' Diagnostics.pqm.
	"Diagnostics.LogValue": true, "Diagnostics.LogFailure": true, "Diagnostics.WrapHandlers": true,
	"Diagnostics.ValueToText": true, "Diagnostics.WrapFunctionResult": true, "Extension.LoadFunction": true,
}

func runPQC050(p *analysis.Pass) {
	f := p.Prog.Main
	if f == nil || f.AST.Section == nil {
		return
	}
	for _, m := range p.Prog.MemberList {
		if !m.Shared || !stSdkHelpers[m.Name] {
			continue
		}
		start := f.AST.Offset(m.Node.Shared)
		end := start + len("shared")
		for end < len(f.AST.Src) && (f.AST.Src[end] == ' ' || f.AST.Src[end] == '\t') {
			end++
		}
		fix := analysis.Fix{Title: "Remove shared from " + m.Name, Safe: true, Preferred: true,
			Edits: []analysis.TextEdit{{Path: f.Path, Start: start, End: end}}}
		if _, hasKind := m.Attrs["DataSource.Kind"]; hasKind {
			continue
		}
		p.ReportNode(f, m.Node.Name, "the SDK helper "+m.Name+" is shared: helpers should stay private to the connector, so remove shared", fix)
	}
}
