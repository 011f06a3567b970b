package parser

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/pqls/pqls/grammar/ast"
)

// sx renders a tree as a compact s-expression, so that test tables can say
// what shape a parse has — precedence, associativity, nesting — in a line.
func sx(n ast.Node) string {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return "<nil>"
	}
	switch x := n.(type) {
	case *ast.Ident:
		if x.Kind == ast.Quoted {
			return "#" + fmt.Sprintf("%q", x.Name)
		}
		return x.Name
	case *ast.BadExpr:
		return "BAD"
	case *ast.Literal:
		return x.Value
	case *ast.InclusiveRef:
		return "@" + sx(x.Ident)
	case *ast.SectionAccess:
		return sx(x.Section) + "!" + sx(x.Member)
	case *ast.ParenExpr:
		return "(paren " + sx(x.X) + ")"
	case *ast.NotImplemented:
		return "..."
	case *ast.InvokeExpr:
		return "(call " + sx(x.Fun) + list(x.Args) + ")"
	case *ast.ListExpr:
		return "(list" + list(x.Items) + ")"
	case *ast.RangeExpr:
		return "(.. " + sx(x.Lo) + " " + sx(x.Hi) + ")"
	case *ast.RecordExpr:
		var b strings.Builder
		b.WriteString("(record")
		for _, f := range x.Fields {
			b.WriteString(" (" + sx(f.Name) + " " + sx(f.Value) + ")")
		}
		return b.String() + ")"
	case *ast.FieldAccess:
		op := "field"
		if x.Optional.IsValid() {
			op = "field?"
		}
		if x.X == nil {
			return "(" + op + " " + sx(x.Name) + ")"
		}
		return "(" + op + " " + sx(x.X) + " " + sx(x.Name) + ")"
	case *ast.Projection:
		op := "project"
		if x.Optional.IsValid() {
			op = "project?"
		}
		var b strings.Builder
		b.WriteString("(" + op)
		if x.X != nil {
			b.WriteString(" " + sx(x.X))
		}
		for _, f := range x.Fields {
			b.WriteString(" " + sx(f.Name))
		}
		return b.String() + ")"
	case *ast.ItemAccess:
		op := "item"
		if x.Optional.IsValid() {
			op = "item?"
		}
		return "(" + op + " " + sx(x.X) + " " + sx(x.Index) + ")"
	case *ast.UnaryExpr:
		return "(" + x.Op.String() + " " + sx(x.X) + ")"
	case *ast.BinaryExpr:
		return "(" + x.Op.String() + " " + sx(x.X) + " " + sx(x.Y) + ")"
	case *ast.LetExpr:
		var b strings.Builder
		b.WriteString("(let")
		for _, bd := range x.Bindings {
			b.WriteString(" (" + sx(bd.Name) + " " + sx(bd.Value) + ")")
		}
		return b.String() + " " + sx(x.Body) + ")"
	case *ast.IfExpr:
		return "(if " + sx(x.Cond) + " " + sx(x.True) + " " + sx(x.False) + ")"
	case *ast.EachExpr:
		return "(each " + sx(x.Body) + ")"
	case *ast.FunctionExpr:
		s := "(fn (" + params(x.Params) + ")"
		if x.Return != nil {
			s += " as " + sx(x.Return)
		}
		return s + " " + sx(x.Body) + ")"
	case *ast.ErrorExpr:
		return "(error " + sx(x.X) + ")"
	case *ast.TryExpr:
		switch {
		case x.Otherwise.IsValid():
			return "(try " + sx(x.Body) + " otherwise " + sx(x.Default) + ")"
		case x.Catch.IsValid():
			return "(try " + sx(x.Body) + " catch " + sx(x.Handler) + ")"
		}
		return "(try " + sx(x.Body) + ")"
	case *ast.TypeExpr:
		return "(type " + sx(x.T) + ")"
	case *ast.PrimitiveType:
		return x.Name
	case *ast.NullableType:
		return "(nullable " + sx(x.T) + ")"
	case *ast.RecordType:
		var b strings.Builder
		b.WriteString("(recordtype")
		for _, f := range x.Fields {
			b.WriteString(" (")
			if f.Optional.IsValid() {
				b.WriteString("optional ")
			}
			b.WriteString(sx(f.Name))
			if f.Type != nil {
				b.WriteString(" " + sx(f.Type))
			}
			b.WriteString(")")
		}
		if x.Open.IsValid() {
			b.WriteString(" ...")
		}
		return b.String() + ")"
	case *ast.ListType:
		return "(listtype " + sx(x.Elem) + ")"
	case *ast.FunctionType:
		return "(functiontype (" + params(x.Params) + ") " + sx(x.Return) + ")"
	case *ast.TableType:
		return "(tabletype " + sx(x.Row) + ")"
	case *ast.Section:
		var b strings.Builder
		b.WriteString("(section")
		if x.Attrs != nil {
			b.WriteString(" " + sx(x.Attrs))
		}
		b.WriteString(" " + sx(x.Name))
		for _, m := range x.Members {
			b.WriteString(" (")
			if m.Attrs != nil {
				b.WriteString(sx(m.Attrs) + " ")
			}
			if m.Shared.IsValid() {
				b.WriteString("shared ")
			}
			b.WriteString(sx(m.Name) + " " + sx(m.Value) + ")")
		}
		return b.String() + ")"
	}
	return fmt.Sprintf("<%T>", n)
}

func list(xs []ast.Expr) string {
	var b strings.Builder
	for _, x := range xs {
		b.WriteString(" " + sx(x))
	}
	return b.String()
}

func params(ps []*ast.Param) string {
	var parts []string
	for _, p := range ps {
		s := sx(p.Name)
		if p.Optional.IsValid() {
			s = "optional " + s
		}
		if p.Type != nil {
			s += ":" + sx(p.Type)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func reflectName(n ast.Node) string { return reflect.TypeOf(n).Elem().Name() }
