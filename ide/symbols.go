package ide

import (
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// SymbolKind is what a document symbol is.
type SymbolKind int

const (
	SymbolSection SymbolKind = iota
	SymbolFunction
	SymbolVariable
	SymbolRecord
	SymbolField
)

// Symbol is an entry of the document outline.
type Symbol struct {
	Name             string
	Detail           string
	Kind             SymbolKind
	Start, End       int // the whole definition
	SelStart, SelEnd int // the name
	Children         []Symbol
}

// Symbols returns the outline of f: the section and its members, and the let
// bindings and record fields inside them.
func Symbols(f *model.File) []Symbol {
	switch root := f.AST.Root().(type) {
	case *ast.Section:
		sec := Symbol{Kind: SymbolSection}
		if root.Name != nil {
			sec.Name = root.Name.Name
			sec.SelStart, sec.SelEnd = f.AST.Span(root.Name)
		}
		sec.Start, sec.End = f.AST.Span(root)
		for _, m := range root.Members {
			if m.Name == nil {
				continue
			}
			s := named(f, m.Name, m, m.Value)
			if m.Shared.IsValid() {
				s.Detail = "shared"
			}
			sec.Children = append(sec.Children, s)
		}
		return []Symbol{sec}
	case ast.Expr:
		return children(f, root)
	}
	return nil
}

func named(f *model.File, name *ast.Ident, whole ast.Node, value ast.Expr) Symbol {
	s := Symbol{Name: name.Name, Kind: kindOf(value)}
	s.Start, s.End = f.AST.Span(whole)
	s.SelStart, s.SelEnd = f.AST.Span(name)
	s.Children = children(f, value)
	return s
}

func kindOf(x ast.Expr) SymbolKind {
	switch model.Unparen(x).(type) {
	case *ast.FunctionExpr, *ast.EachExpr:
		return SymbolFunction
	case *ast.RecordExpr:
		return SymbolRecord
	}
	return SymbolVariable
}

// children lists the bindings of a let and the fields of a record at the
// top of x, looking through function bodies.
func children(f *model.File, x ast.Expr) []Symbol {
	var out []Symbol
	switch x := model.Unparen(x).(type) {
	case *ast.LetExpr:
		for _, b := range x.Bindings {
			if b.Name != nil {
				out = append(out, named(f, b.Name, b, b.Value))
			}
		}
		out = append(out, children(f, x.Body)...)
	case *ast.RecordExpr:
		for _, fl := range x.Fields {
			if fl.Name != nil {
				s := named(f, fl.Name, fl, fl.Value)
				if s.Kind == SymbolVariable {
					s.Kind = SymbolField
				}
				out = append(out, s)
			}
		}
	case *ast.FunctionExpr:
		return children(f, x.Body)
	case *ast.EachExpr:
		return children(f, x.Body)
	}
	return out
}
