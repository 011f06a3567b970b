package structure

import (
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC062 flags the legacy Extension.Module function.
var PQC062 = &analysis.Analyzer{
	ID:       "PQC062",
	Fix:      analysis.ManualFix,
	Title:    "Extension.Module is a legacy mechanism",
	Severity: analysis.Warning,
	Doc: "Extension.Module survives from an early way of sharing code between extensions and the " +
		"Power Query team advises against it. Code kept in a separate file is loaded today by " +
		"packaging a .pqm module and evaluating it: Expression.Evaluate(Text.FromBinary(" +
		"Extension.Contents(\"Helpers.pqm\")), #shared), usually through a small Extension.LoadFunction " +
		"helper. The fix rewrites a call with a literal name into that expression, reading <name>.pqm.",
	HelpURI: "https://github.com/microsoft/DataConnectors/issues/413",
	Bad:     "Helpers = Extension.Module(\"Helpers\");",
	Good:    "Helpers = Expression.Evaluate(Text.FromBinary(Extension.Contents(\"Helpers.pqm\")), #shared);",
	// Modules too: they are the connector's code, loaded into it, and
	// call Extension.* functions as the section document does.
	Scope:     analysis.ExpressionScope,
	PerMember: true,
	Run:       runPQC062,
}

// runPQC062 reports each reference to the library's Extension.Module,
// with a fix that depends on the project's files: checked member by member
// (PerMember).
func runPQC062(p *analysis.Pass) {
	for _, f := range p.Files {
		// The connector's own Extension.Module, if it defines one, is
		// not the library's: LibraryRefs leaves it out.
		for _, id := range pqc062Refs(p, f) {
			var n ast.Node = id
			var fixes []analysis.Fix
			if call, ok := f.Parent(id).(*ast.InvokeExpr); ok && model.Unparen(call.Fun) == ast.Expr(id) {
				n = call
				if name, ok := model.Text(model.Unparen(model.Arg(call, 0))); ok && len(call.Args) == 1 {
					file := name
					if !strings.HasSuffix(strings.ToLower(file), ".pqm") {
						file += ".pqm"
					}
					// Only a module that is there: Extension.Contents of a
					// missing file fails when the connector loads.
					if proj := p.Prog.Project; proj != nil {
						if _, ok := proj.ResolveContents(file); ok {
							fixes = append(fixes, analysis.Fix{Title: "Load " + file + " with Expression.Evaluate",
								Edits: []analysis.TextEdit{analysis.Replace(f, call, "Expression.Evaluate(Text.FromBinary(Extension.Contents("+model.QuoteText(file)+")), #shared)")}})
						}
					}
				}
			}
			p.ReportNode(f, n, "Extension.Module is a leftover of an older mechanism: package the code as a .pqm "+
				"module and load it with Expression.Evaluate(Text.FromBinary(Extension.Contents(\"Name.pqm\")), #shared)", fixes...)
		}
	}
}

// pqc062Refs returns the identifiers of f the pass looks at that refer to
// the library's Extension.Module, in source order. LibraryRefs reads every
// member of the main document; a pass over some of its members walks
// those, which an incremental check keeps to the few an edit may have
// changed.
func pqc062Refs(p *analysis.Pass, f *model.File) []*ast.Ident {
	if f != p.Prog.Main || f.AST.Section == nil {
		return p.Prog.LibraryRefs(f, "Extension.Module")
	}
	members := p.Members()
	if len(members) == len(p.Prog.MemberList) {
		return p.Prog.LibraryRefs(f, "Extension.Module")
	}
	var out []*ast.Ident
	for _, m := range members {
		ast.Inspect(m.Node, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && id.Name == "Extension.Module" {
				if d := f.Ref(id); d != nil && d.Kind == model.DefLibrary {
					out = append(out, id)
				}
			}
			return true
		})
	}
	return out
}
