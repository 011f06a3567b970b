package connector

import (
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
	"iter"
)

// Record is a record literal that a member evaluates to.
type Record struct {
	Member *model.Member
	Rec    *ast.RecordExpr
	File   *model.File
}

// PublishRecords returns the Publish records of the connector's kinds,
// each once, when they are record literals.
func PublishRecords(prog *model.Program) []Record {
	var out []Record
	seen := map[*model.Member]bool{}
	for _, k := range prog.Kinds {
		for _, m := range k.Publish {
			if seen[m] || m.Node.Value == nil {
				continue
			}
			seen[m] = true
			if r, ok := prog.Value(prog.Main, m.Node.Value).(*ast.RecordExpr); ok {
				out = append(out, Record{m, r, prog.FileOf(prog.Main, m.Node.Value)})
			}
		}
	}
	return out
}

// KindRecords returns the kind records that are record literals.
func KindRecords(prog *model.Program) []Record {
	var out []Record
	for _, k := range prog.Kinds {
		if k.Record == nil || k.Record.Node.Value == nil {
			continue
		}
		if r, ok := prog.Value(prog.Main, k.Record.Node.Value).(*ast.RecordExpr); ok {
			out = append(out, Record{k.Record, r, prog.FileOf(prog.Main, k.Record.Node.Value)})
		}
	}
	return out
}

// RecordValue resolves a field's value to a record literal.
func RecordValue(prog *model.Program, f *model.File, x ast.Expr) (*ast.RecordExpr, *model.File) {
	if x == nil {
		return nil, f
	}
	r, _ := prog.Value(f, x).(*ast.RecordExpr)
	return r, prog.FileOf(f, x)
}

// ListValue resolves x to a list literal.
func ListValue(prog *model.Program, f *model.File, x ast.Expr) (*ast.ListExpr, *model.File) {
	if x == nil {
		return nil, f
	}
	l, _ := prog.Value(f, x).(*ast.ListExpr)
	return l, prog.FileOf(f, x)
}

// Roots returns the nodes of f to walk: the member values of a section
// document, or the expression. It yields them rather than listing them:
// the rule that reads them stops at the first that builds a navigation
// table, most often one of the first members.
func Roots(f *model.File) iter.Seq[ast.Node] {
	return func(yield func(ast.Node) bool) {
		if f.AST.Section != nil {
			for _, m := range f.AST.Section.Members {
				if m.Value != nil && !yield(m.Value) {
					return
				}
			}
			return
		}
		if f.AST.Expr != nil {
			yield(f.AST.Expr)
		}
	}
}
