package ast

// Visitor's Visit is called for each node Walk meets. If it returns a non-nil
// visitor w, Walk visits the node's children with w, then calls w.Visit(nil).
type Visitor interface {
	Visit(n Node) (w Visitor)
}

// Walk traverses the tree rooted at n in depth-first, source order.
func Walk(v Visitor, n Node) {
	if v = v.Visit(n); v == nil {
		return
	}
	walkChildren(v, n)
	v.Visit(nil)
}

func walkIdent(v Visitor, x *Ident) {
	if x != nil {
		Walk(v, x)
	}
}

func walkExpr(v Visitor, x Expr) {
	if x != nil {
		Walk(v, x)
	}
}

func walkChildren(v Visitor, n Node) {
	switch x := n.(type) {
	case *Ident, *BadExpr, *Literal, *NotImplemented, *PrimitiveType, *Comment:
	case *InclusiveRef:
		walkIdent(v, x.Ident)
	case *SectionAccess:
		walkIdent(v, x.Section)
		walkIdent(v, x.Member)
	case *ParenExpr:
		walkExpr(v, x.X)
	case *InvokeExpr:
		walkExpr(v, x.Fun)
		for _, a := range x.Args {
			walkExpr(v, a)
		}
	case *ListExpr:
		for _, a := range x.Items {
			walkExpr(v, a)
		}
	case *RangeExpr:
		walkExpr(v, x.Lo)
		walkExpr(v, x.Hi)
	case *RecordExpr:
		for _, f := range x.Fields {
			Walk(v, f)
		}
	case *Field:
		walkIdent(v, x.Name)
		walkExpr(v, x.Value)
	case *FieldAccess:
		walkExpr(v, x.X)
		walkIdent(v, x.Name)
	case *Projection:
		walkExpr(v, x.X)
		for _, f := range x.Fields {
			Walk(v, f)
		}
	case *ItemAccess:
		walkExpr(v, x.X)
		walkExpr(v, x.Index)
	case *UnaryExpr:
		walkExpr(v, x.X)
	case *BinaryExpr:
		walkExpr(v, x.X)
		walkExpr(v, x.Y)
	case *LetExpr:
		for _, b := range x.Bindings {
			Walk(v, b)
		}
		walkExpr(v, x.Body)
	case *Binding:
		walkIdent(v, x.Name)
		walkExpr(v, x.Value)
	case *IfExpr:
		walkExpr(v, x.Cond)
		walkExpr(v, x.True)
		walkExpr(v, x.False)
	case *EachExpr:
		walkExpr(v, x.Body)
	case *FunctionExpr:
		for _, p := range x.Params {
			Walk(v, p)
		}
		walkExpr(v, x.Return)
		walkExpr(v, x.Body)
	case *Param:
		walkIdent(v, x.Name)
		walkExpr(v, x.Type)
	case *ErrorExpr:
		walkExpr(v, x.X)
	case *TryExpr:
		walkExpr(v, x.Body)
		walkExpr(v, x.Default)
		if x.Handler != nil {
			Walk(v, x.Handler)
		}
	case *TypeExpr:
		walkExpr(v, x.T)
	case *NullableType:
		walkExpr(v, x.T)
	case *RecordType:
		for _, f := range x.Fields {
			Walk(v, f)
		}
	case *FieldSpec:
		walkIdent(v, x.Name)
		walkExpr(v, x.Type)
	case *ListType:
		walkExpr(v, x.Elem)
	case *FunctionType:
		for _, p := range x.Params {
			Walk(v, p)
		}
		walkExpr(v, x.Return)
	case *TableType:
		walkExpr(v, x.Row)
	case *Section:
		if x.Attrs != nil {
			Walk(v, x.Attrs)
		}
		walkIdent(v, x.Name)
		for _, m := range x.Members {
			Walk(v, m)
		}
	case *Member:
		if x.Attrs != nil {
			Walk(v, x.Attrs)
		}
		walkIdent(v, x.Name)
		walkExpr(v, x.Value)
	}
}

type inspector func(Node) bool

func (f inspector) Visit(n Node) Visitor {
	if f(n) {
		return f
	}
	return nil
}

// Inspect traverses the tree rooted at n in depth-first, source order,
// calling f for each node and, after a node's children, f(nil). If f returns
// false, the node's children are skipped.
func Inspect(n Node, f func(Node) bool) {
	Walk(inspector(f), n)
}
