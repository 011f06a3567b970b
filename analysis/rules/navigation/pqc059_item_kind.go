package navigation

import (
	"fmt"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC059 checks the item kinds written into navigation tables.
var PQC059 = &analysis.Analyzer{
	ID:       "PQC059",
	Fix:      analysis.SafeFix,
	Title:    "Navigation table row has an unknown ItemKind",
	Severity: analysis.Warning,
	Doc: "The item kind column of a navigation table picks the icon Power Query shows next to each " +
		"entry in the Navigator, and only a fixed set of names is understood (Feed, Database, " +
		"DatabaseServer, Dimension, Table, Folder, Function, View, Sheet, DefinedName, Record and the " +
		"cube kinds), spelled with exact case. Any other text is not recognised. The rule follows the " +
		"table given to Table.ToNavigationTable back to its #table rows, Table.FromRecords records or " +
		"Table.AddColumn step and checks the text literals of the item kind column; computed values are " +
		"left alone. The fix puts in the closest valid name.",
	HelpURI:   "https://learn.microsoft.com/power-query/handling-navigation-tables",
	Bad:       "#table({\"Name\", \"Key\", \"Data\", \"ItemKind\", \"ItemName\", \"IsLeaf\"}, {{\"Orders\", \"Orders\", Orders, \"Tables\", \"Table\", true}})",
	Good:      "#table({\"Name\", \"Key\", \"Data\", \"ItemKind\", \"ItemName\", \"IsLeaf\"}, {{\"Orders\", \"Orders\", Orders, \"Table\", \"Table\", true}})",
	Scope:     analysis.ExpressionScope,
	PerMember: true,
	Run:       runPQC059,
}

// runPQC059 follows each navigation table to the literals of its item kind
// column: the table's member, the members it names, the callers of the
// helper it is a parameter of — all connected to the call's member — or
// another file. What it says of a literal depends on the literal alone;
// so the rule is checked member by member (PerMember, see eachNavCall).
func runPQC059(p *analysis.Pass) {
	var seen map[*ast.Literal]bool // made at the first navigation table
	eachNavCall(p, func(f *model.File, call *ast.InvokeExpr, report func(analysis.Diagnostic)) {
		col, ok := model.Text(p.Prog.Value(f, model.Arg(call, model.NavArgItemKind)))
		if !ok {
			return
		}
		tbl := model.Arg(call, model.NavArgTable)
		for _, lit := range prjColumnLiterals(p.Prog, f, tbl, col, 0) {
			if seen[lit.lit] {
				continue
			}
			if seen == nil {
				seen = map[*ast.Literal]bool{}
			}
			seen[lit.lit] = true
			reportItemKind(report, lit.file, lit.lit)
		}
	})
}

func reportItemKind(report func(analysis.Diagnostic), f *model.File, lit *ast.Literal) {
	kind, _ := model.Text(lit)
	for _, k := range model.ItemKinds {
		if k == kind {
			return
		}
	}
	msg := fmt.Sprintf("%q is not an item kind Power Query knows", kind)
	var fixes []analysis.Fix
	if best, ok := model.ClosestName(kind, model.ItemKinds, 3); ok {
		msg += fmt.Sprintf(": use %q", best)
		fixes = append(fixes, analysis.Fix{Title: fmt.Sprintf("Change to %q", best), Preferred: true,
			Safe:  strings.EqualFold(best, kind),
			Edits: []analysis.TextEdit{analysis.Replace(f, lit, model.QuoteText(best))}})
	} else {
		msg += " (use one of " + strings.Join(model.ItemKinds, ", ") + ")"
	}
	connector.ReportNode(report, f, lit, msg, fixes...)
}

// prjLit is a text literal and the file it is in.
type prjLit struct {
	lit  *ast.Literal
	file *model.File
}

// prjColumnLiterals returns the text literals that fill column col of the
// table x: the cells of #table rows, the fields of Table.FromRecords
// records, and the value of a Table.AddColumn step that adds the column as
// a constant. Steps that keep the column are followed to their input, the
// parts of Table.Combine and both branches of an if to theirs.
func prjColumnLiterals(prog *model.Program, f *model.File, x ast.Expr, col string, depth int) []prjLit {
	if x == nil || depth > 8 {
		return nil
	}
	ff := prog.FileOf(f, x)
	v := prog.Value(f, x)
	if id, ok := v.(*ast.Ident); ok {
		// A parameter of a helper such as NavTable = (source as table) => …:
		// look at what its callers pass.
		var out []prjLit
		for _, arg := range prjParamArgs(prog, ff, id) {
			out = append(out, prjColumnLiterals(prog, arg.File, arg.X, col, depth+1)...)
		}
		return out
	}
	if c, ok := v.(*ast.IfExpr); ok {
		// Either branch may be the table: both are checked.
		return append(prjColumnLiterals(prog, ff, c.True, col, depth+1), prjColumnLiterals(prog, ff, c.False, col, depth+1)...)
	}
	call, ok := v.(*ast.InvokeExpr)
	if !ok {
		return nil
	}
	var out []prjLit
	lit := func(f *model.File, v ast.Expr) {
		if l, ok := prog.Value(f, v).(*ast.Literal); ok {
			if _, ok := model.Text(l); ok {
				out = append(out, prjLit{l, prog.FileOf(f, v)})
			}
		}
	}
	switch prog.CallName(ff, call) {
	case "#table":
		cols, cf := connector.ListValue(prog, ff, model.Arg(call, 0))
		idx := -1
		if cols != nil {
			for i, c := range cols.Items {
				if s, ok := model.Text(prog.Value(cf, c)); ok && s == col {
					idx = i
				}
			}
		}
		if idx < 0 {
			return nil
		}
		for _, row := range prjRowItems(prog, ff, model.Arg(call, 1)) {
			if r, rrf := connector.ListValue(prog, row.File, row.X); r != nil && idx < len(r.Items) {
				lit(rrf, r.Items[idx])
			}
		}
	case "Table.FromRecords":
		for _, it := range prjRowItems(prog, ff, model.Arg(call, 0)) {
			if r, rf := connector.RecordValue(prog, it.File, it.X); r != nil {
				if fl := model.Field(r, col); fl != nil {
					lit(rf, fl.Value)
				}
			}
		}
	case "Table.AddColumn":
		if name, ok := model.Text(prog.Value(ff, model.Arg(call, 1))); ok && name == col {
			switch fn := model.Unparen(model.Arg(call, 2)).(type) {
			case *ast.EachExpr:
				lit(ff, fn.Body)
			case *ast.FunctionExpr:
				lit(ff, fn.Body)
			}
			return out
		}
		return prjColumnLiterals(prog, ff, model.Arg(call, 0), col, depth+1)
	case "Table.Combine":
		// Rows of every part end up in the navigation table.
		for _, part := range prjRowItems(prog, ff, model.Arg(call, 0)) {
			out = append(out, prjColumnLiterals(prog, part.File, part.X, col, depth+1)...)
		}
	case "Table.SelectRows", "Table.Sort", "Table.RenameColumns", "Table.TransformColumnTypes", "Table.Buffer", "Table.Distinct", "Table.FirstN", "Table.Skip",
		"Table.ReorderColumns", "Table.SelectColumns", "Table.RemoveColumns":
		return prjColumnLiterals(prog, ff, model.Arg(call, 0), col, depth+1)
	}
	return out
}

// prjExprAt is an expression and the file it is in.
type prjExprAt struct {
	X    ast.Expr
	File *model.File
}

// prjRowItems returns the items of the list x: the items of a list
// literal, or the row expression of List.Transform / Table.TransformRows.
func prjRowItems(prog *model.Program, f *model.File, x ast.Expr) []prjExprAt {
	if x == nil {
		return nil
	}
	xf := prog.FileOf(f, x)
	switch v := prog.Value(f, x).(type) {
	case *ast.ListExpr:
		out := make([]prjExprAt, 0, len(v.Items))
		for _, it := range v.Items {
			out = append(out, prjExprAt{it, xf})
		}
		return out
	case *ast.InvokeExpr:
		switch prog.CallName(xf, v) {
		case "List.Transform", "Table.TransformRows":
			switch fn := model.Unparen(model.Arg(v, 1)).(type) {
			case *ast.EachExpr:
				return []prjExprAt{{fn.Body, xf}}
			case *ast.FunctionExpr:
				return []prjExprAt{{fn.Body, xf}}
			}
		}
	}
	return nil
}

// prjParamArgs returns the arguments passed for parameter id at the call
// sites of the function it belongs to, when that function is a section
// member or let binding called by name.
func prjParamArgs(prog *model.Program, f *model.File, id *ast.Ident) []prjExprAt {
	d := f.Ref(id)
	if d == nil || d.Kind != model.DefParam || d.Param == nil {
		return nil
	}
	fn, ok := d.Func.(*ast.FunctionExpr)
	if !ok {
		return nil
	}
	idx := -1
	for i, prm := range fn.Params {
		if prm == d.Param {
			idx = i
		}
	}
	if idx < 0 {
		return nil
	}
	var out []prjExprAt
	for _, def := range f.Defs() {
		if def.Kind != model.DefMember && def.Kind != model.DefBinding || def.Value == nil || model.Unparen(def.Value) != ast.Expr(fn) {
			continue
		}
		for _, ref := range prog.RefsTo(def) {
			call, ok := ref.File.Parent(ref.Ident).(*ast.InvokeExpr)
			if ok && model.Unparen(call.Fun) == ast.Expr(ref.Ident) && idx < len(call.Args) {
				out = append(out, prjExprAt{call.Args[idx], ref.File})
			}
		}
	}
	return out
}
