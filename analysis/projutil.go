package analysis

// Helpers shared by the project, resource, tracing and navigation rules.

import (
	"strings"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// prjRecord is a record literal that a member evaluates to.
type prjRecord struct {
	Member *model.Member
	Rec    *ast.RecordExpr
	File   *model.File
}

// prjPublishRecords returns the Publish records of the connector's kinds,
// each once, when they are record literals.
func prjPublishRecords(prog *model.Program) []prjRecord {
	var out []prjRecord
	seen := map[*model.Member]bool{}
	for _, k := range prog.Kinds {
		for _, m := range k.Publish {
			if seen[m] || m.Node.Value == nil {
				continue
			}
			seen[m] = true
			if r, ok := prog.Value(prog.Main, m.Node.Value).(*ast.RecordExpr); ok {
				out = append(out, prjRecord{m, r, prog.FileOf(prog.Main, m.Node.Value)})
			}
		}
	}
	return out
}

// prjKindRecords returns the kind records that are record literals.
func prjKindRecords(prog *model.Program) []prjRecord {
	var out []prjRecord
	for _, k := range prog.Kinds {
		if k.Record == nil || k.Record.Node.Value == nil {
			continue
		}
		if r, ok := prog.Value(prog.Main, k.Record.Node.Value).(*ast.RecordExpr); ok {
			out = append(out, prjRecord{k.Record, r, prog.FileOf(prog.Main, k.Record.Node.Value)})
		}
	}
	return out
}

// prjRecordValue resolves a field's value to a record literal.
func prjRecordValue(prog *model.Program, f *model.File, x ast.Expr) (*ast.RecordExpr, *model.File) {
	if x == nil {
		return nil, f
	}
	r, _ := prog.Value(f, x).(*ast.RecordExpr)
	return r, prog.FileOf(f, x)
}

// prjListValue resolves x to a list literal.
func prjListValue(prog *model.Program, f *model.File, x ast.Expr) (*ast.ListExpr, *model.File) {
	if x == nil {
		return nil, f
	}
	l, _ := prog.Value(f, x).(*ast.ListExpr)
	return l, prog.FileOf(f, x)
}

// prjRefIdents returns the identifiers of n that are references, leaving
// out names being defined: record fields, let bindings, parameters, field
// access names and member names.
func prjRefIdents(n ast.Node) []*ast.Ident {
	if n == nil {
		return nil
	}
	names := map[*ast.Ident]bool{}
	ast.Inspect(n, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.Field:
			names[x.Name] = true
		case *ast.Binding:
			names[x.Name] = true
		case *ast.Param:
			names[x.Name] = true
		case *ast.FieldAccess:
			names[x.Name] = true
		case *ast.FieldSpec:
			names[x.Name] = true
		case *ast.Member:
			names[x.Name] = true
			return false // attributes and values are walked by the caller
		case *ast.SectionAccess:
			names[x.Section] = true
			names[x.Member] = true
		}
		return true
	})
	var out []*ast.Ident
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && !names[id] && (id.Kind == ast.Regular || id.Kind == ast.Quoted || id.Kind == ast.HashKeyword) {
			out = append(out, id)
		}
		return true
	})
	return out
}

// prjRoots returns the nodes of f to walk: the member values of a section
// document, or the expression.
func prjRoots(f *model.File) []ast.Node {
	if f.AST.Section != nil {
		var out []ast.Node
		for _, m := range f.AST.Section.Members {
			if m.Value != nil {
				out = append(out, m.Value)
			}
		}
		return out
	}
	if f.AST.Expr != nil {
		return []ast.Node{f.AST.Expr}
	}
	return nil
}

// prjIsTrue reports whether x is the literal true.
func prjIsTrue(x ast.Expr) bool {
	l, ok := model.Unparen(x).(*ast.Literal)
	return ok && l.Kind == token.TRUE
}

// prjCalleeName returns the name the callee of call is written as, whatever
// it resolves to.
func prjCalleeName(call *ast.InvokeExpr) string {
	if id, ok := model.Unparen(call.Fun).(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// prjInsertField returns an edit that adds the field text `Name = Value` at
// the end of record r.
func prjInsertField(f *model.File, r *ast.RecordExpr, field string) TextEdit {
	if n := len(r.Fields); n > 0 {
		start, end := Span(f, r.Fields[n-1])
		open, _ := Span(f, r)
		line := f.AST.Lines.UTF8(start).Line
		if line != f.AST.Lines.UTF8(open).Line {
			// One field a line: put the new one on a line of its own,
			// indented like the last.
			ls := f.AST.Lines.LineStart(line)
			indent := f.AST.Src[ls:start]
			if strings.TrimLeft(string(indent), " \t") == "" {
				return Insert(f, end, ",\n"+string(indent)+field)
			}
		}
		return Insert(f, end, ", "+field)
	}
	start, _ := Span(f, r)
	return Insert(f, start+1, field)
}

// prjCodeFiles returns the connector's own code: the main document and the
// modules, not the test queries. Rules about packaged files and resources
// look at modules too, since modules read them the same way.
func prjCodeFiles(prog *model.Program) []*model.File {
	var out []*model.File
	for _, f := range prog.Files {
		if f.Role != model.TestDoc {
			out = append(out, f)
		}
	}
	return out
}
