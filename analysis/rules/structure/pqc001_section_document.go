package structure

import (
	"strconv"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/scanner"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
)

// PQC001 requires the connector to be a section document.
var PQC001 = &analysis.Analyzer{
	ID:       "PQC001",
	Fix:      analysis.ManualFix,
	Title:    "Connector is not a section document",
	Severity: analysis.Error,
	Doc: "Power Query loads a custom connector as a section document: a `section Name;` header " +
		"followed by members that each end with a semicolon, the exported ones marked `shared`. " +
		"A main connector file written as a single expression (a `let`, a record, a function) is " +
		"rejected at certification. Modules (.pqm) and test queries are expressions by design and " +
		"are not checked. When the file is one `let`, the fix turns its bindings into members and " +
		"its result into the exported data-source function.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:     "let\n    Source = Web.Contents(\"https://api.contoso.com\")\nin\n    Source",
	Good:    "[Version = \"1.0.0\"]\nsection Contoso;\n\nSource = Web.Contents(\"https://api.contoso.com\");\n\nshared Contoso.Contents = Source;",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC001,
}

func runPQC001(p *analysis.Pass) {
	f := p.Prog.Main
	if f == nil || f.Role != project.Main || f.AST.Section != nil {
		return
	}
	x := f.AST.Expr
	if x == nil {
		return // an empty document is a syntax error already
	}
	start, end := analysis.Span(f, x)
	// Report on the first line only: the whole document would be noise.
	if nl := strings.IndexByte(string(f.AST.Src[start:end]), '\n'); nl > 0 {
		end = start + nl
	}
	var fixes []analysis.Fix
	// Only a connector project (one with a project file) gets the fix: a
	// let document on its own may be a query or a function library.
	if let, ok := model.Unparen(x).(*ast.LetExpr); ok && let.Body != nil && p.Prog.Project != nil && p.Prog.Project.ProjFile != "" {
		if fix, ok := stWrapAsSection(p, f, let); ok {
			fixes = append(fixes, fix)
		}
	}
	p.Report(analysis.Diagnostic{Path: f.Path, Start: start, End: end, Fixes: fixes,
		Message: "the connector file is an expression, not a section document: start it with `section Name;` and make each value a member ending with `;`"})
}

// stWrapAsSection turns a document that is one let into a section document:
// the bindings become members and the result the exported function.
func stWrapAsSection(p *analysis.Pass, f *model.File, let *ast.LetExpr) (analysis.Fix, bool) {
	kind := stIdentPart(p.Prog.Project.Name)
	if ms := model.FindForbidden(kind, p.Config.Settings.ForbiddenWords); len(ms) > 0 {
		kind = stIdentPart(connector.WithoutWords(kind, ms))
	}
	if kind == "" {
		kind = "MyDataSource"
	}
	names := map[string]bool{}
	for _, b := range let.Bindings {
		if b.Name == nil || b.Value == nil {
			return analysis.Fix{}, false
		}
		names[b.Name.Name] = true
	}
	export := kind + ".Contents"
	for i := 2; names[export]; i++ {
		export = kind + ".Contents" + strconv.Itoa(i)
	}
	nl := analysis.Newline(f)
	letStart := f.AST.Offset(let.Let)
	edits := []analysis.TextEdit{{Path: f.Path, Start: letStart, End: letStart + len("let"),
		NewText: "[Version = \"1.0.0\"]" + nl + "section " + kind + ";" + nl}}
	for i := 0; i+1 < len(let.Bindings); i++ {
		_, from := analysis.Span(f, let.Bindings[i])
		to, _ := analysis.Span(f, let.Bindings[i+1])
		comma := stCommaBetween(f, from, to)
		if comma < 0 {
			return analysis.Fix{}, false
		}
		edits = append(edits, analysis.TextEdit{Path: f.Path, Start: comma, End: comma + 1, NewText: ";"})
	}
	if len(let.Bindings) > 0 {
		_, last := analysis.Span(f, let.Bindings[len(let.Bindings)-1])
		edits = append(edits, analysis.Insert(f, last, ";"))
	}
	in := f.AST.Offset(let.In)
	edits = append(edits, analysis.TextEdit{Path: f.Path, Start: in, End: in + len("in"), NewText: "shared " + export + " ="})
	_, end := analysis.Span(f, let.Body)
	edits = append(edits, analysis.Insert(f, end, ";"))
	return analysis.Fix{Title: "Wrap as section document (section " + kind + ")", Edits: edits, Preferred: true}, true
}

// stCommaBetween finds the comma between two let bindings, skipping comments.
func stCommaBetween(f *model.File, from, to int) int {
	for i := from; i < to; i++ {
		if f.AST.Src[i] != ',' {
			continue
		}
		inComment := false
		for _, c := range f.AST.Comments {
			cs, ce := analysis.Span(f, &c)
			if cs <= i && i < ce {
				inComment = true
				break
			}
		}
		if !inComment {
			return i
		}
	}
	return -1
}

// stIdentPart keeps the characters of s that may appear in an identifier.
func stIdentPart(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() == 0 && scanner.IsIdentStart(r) || b.Len() > 0 && scanner.IsIdentPart(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
