// Package ast declares the syntax tree of Power Query M documents.
//
// Every node reports its extent with Pos and End. Positions are compact
// token.Pos values; the File that owns a tree turns them into byte offsets
// (File.Offset) and into lines and columns (File.Lines).
package ast

import "github.com/pqls/pqls/grammar/token"

// Node is any node of the tree.
type Node interface {
	Pos() token.Pos // position of the first byte of the node
	End() token.Pos // position just past the node
}

// Expr is any expression node, type expressions included.
type Expr interface {
	Node
	exprNode()
}

// IdentKind says how an identifier was written.
type IdentKind uint8

const (
	Regular     IdentKind = iota // Table.AddColumn
	Quoted                       // #"Order Date"
	Generalized                  // Order Date, as a field name
	HashKeyword                  // #date, #table, #shared, …: keywords used as names
)

// Ident is an identifier: a name reference, a binding name, a field name.
// Name is the identifier's value: for a quoted identifier the text between
// the quotes with escapes decoded; dotted names are one name.
//
// Nodes keep their fields in an order that leaves no padding (positions
// and small fields together): a tree has hundreds of thousands of nodes.
type Ident struct {
	NamePos token.Pos
	size    uint16 // length in the source, which differs from Name's when quoted:
	sizeHi  uint8  // 24 bits, so that an Ident is 24 bytes
	Kind    IdentKind
	Name    string
}

// MaxIdentSize is the longest identifier, in bytes of source, whose extent
// an Ident records; the parser reports longer ones.
const MaxIdentSize = 1<<24 - 1

// NewIdent returns an identifier at pos spelled in size bytes of source
// (at most MaxIdentSize; a longer one is cut to that).
func NewIdent(pos token.Pos, size int, name string, kind IdentKind) Ident {
	size = min(size, MaxIdentSize)
	return Ident{NamePos: pos, Name: name, size: uint16(size), sizeHi: uint8(size >> 16), Kind: kind}
}

// BadExpr stands for source that could not be parsed into an expression.
type BadExpr struct{ From, To token.Pos }

// Literal is a number, text, verbatim, logical or null literal, or #infinity
// and #nan. Value is the literal exactly as spelled in the source.
type Literal struct {
	ValuePos token.Pos
	Kind     token.Token // NUMBER, TEXT, VERBATIM, TRUE, FALSE, NULL, HASH_INFINITY, HASH_NAN
	Value    string
}

// InclusiveRef is an inclusive identifier reference: @Name.
type InclusiveRef struct {
	At    token.Pos
	Ident *Ident
}

// SectionAccess is Section!Member.
type SectionAccess struct {
	Section *Ident
	Bang    token.Pos
	Member  *Ident
}

// ParenExpr is ( X ).
type ParenExpr struct {
	Lparen token.Pos
	Rparen token.Pos // NoPos if missing
	X      Expr
}

// NotImplemented is the expression `...`.
type NotImplemented struct{ Ellipsis token.Pos }

// InvokeExpr is Fun(Args...).
type InvokeExpr struct {
	Fun    Expr
	Args   []Expr
	Lparen token.Pos
	Rparen token.Pos // NoPos if missing
}

// ListExpr is { Items... }. An item is an expression or a RangeExpr.
type ListExpr struct {
	Lbrace token.Pos
	Rbrace token.Pos
	Items  []Expr
}

// RangeExpr is the list item Lo..Hi.
type RangeExpr struct {
	Lo     Expr
	DotDot token.Pos
	Hi     Expr
}

// RecordExpr is [ Fields... ]. It also serves for literal attributes.
type RecordExpr struct {
	Lbrack token.Pos
	Rbrack token.Pos
	Fields []*Field
}

// Field is Name = Value in a record.
type Field struct {
	Name   *Ident
	Assign token.Pos
	Value  Expr
}

// FieldAccess is X[Name] or X[Name]?; X is nil for the implicit form [Name]
// (as in each [Name]).
type FieldAccess struct {
	X        Expr
	Name     *Ident
	Lbrack   token.Pos
	Rbrack   token.Pos
	Optional token.Pos // position of ?, or NoPos
}

// Projection is X[[A],[B]] or X[[A],[B]]?; X is nil for the implicit form.
type Projection struct {
	X        Expr
	Fields   []*FieldAccess // each with a nil X
	Lbrack   token.Pos
	Rbrack   token.Pos
	Optional token.Pos
}

// ItemAccess is X{Index} or X{Index}?.
type ItemAccess struct {
	X        Expr
	Lbrace   token.Pos
	Index    Expr
	Rbrace   token.Pos
	Optional token.Pos
}

// UnaryExpr is +X, -X or not X.
type UnaryExpr struct {
	OpPos token.Pos
	Op    token.Token
	X     Expr
}

// BinaryExpr is X Op Y for every binary operator: arithmetic, &, comparison,
// and, or, ??, meta, and the type operators as and is (Y is then a type).
type BinaryExpr struct {
	X     Expr
	OpPos token.Pos
	Op    token.Token
	Y     Expr
}

// LetExpr is let Bindings in Body.
type LetExpr struct {
	Let      token.Pos
	In       token.Pos // NoPos if missing
	Bindings []*Binding
	Body     Expr // nil if missing
}

// Binding is Name = Value in a let expression.
type Binding struct {
	Name   *Ident
	Assign token.Pos
	Value  Expr
}

// IfExpr is if Cond then Then else Else.
type IfExpr struct {
	If    token.Pos
	Then  token.Pos
	Else  token.Pos
	Cond  Expr
	True  Expr
	False Expr
}

// EachExpr is each Body, a function of one parameter named _.
type EachExpr struct {
	Each token.Pos
	Body Expr
}

// FunctionExpr is (Params) as Return => Body.
type FunctionExpr struct {
	Lparen token.Pos
	Rparen token.Pos
	As     token.Pos // NoPos if there is no return type
	Arrow  token.Pos
	Params []*Param
	Return Expr // return type, or nil
	Body   Expr
}

// Param is a function parameter: optional Name as Type.
type Param struct {
	Optional token.Pos // NoPos if required
	As       token.Pos
	Name     *Ident
	Type     Expr // nil if untyped
}

// ErrorExpr is error X.
type ErrorExpr struct {
	Error token.Pos
	X     Expr
}

// TryExpr is try Body, try Body otherwise Default, or try Body catch (p) => f.
type TryExpr struct {
	Try       token.Pos
	Otherwise token.Pos // NoPos unless the otherwise form
	Catch     token.Pos // NoPos unless the catch form
	Body      Expr
	Default   Expr
	Handler   *FunctionExpr // the catch function; zero or one parameter
}

// TypeExpr is type T.
type TypeExpr struct {
	Type token.Pos
	T    Expr
}

// PrimitiveType is a primitive type name in a type position: number, text, …
type PrimitiveType struct {
	NamePos token.Pos
	Name    string
}

// NullableType is nullable T.
type NullableType struct {
	Nullable token.Pos
	T        Expr
}

// RecordType is [Fields..., ...] in a type position.
type RecordType struct {
	Lbrack token.Pos
	Fields []*FieldSpec
	Open   token.Pos // position of ..., or NoPos for a closed record type
	Rbrack token.Pos
}

// FieldSpec is optional Name = Type in a record or table type.
type FieldSpec struct {
	Optional token.Pos
	Assign   token.Pos
	Name     *Ident
	Type     Expr // nil if the field type is left out
}

// ListType is {T}.
type ListType struct {
	Lbrace token.Pos
	Rbrace token.Pos
	Elem   Expr
}

// FunctionType is function (Params) as Return.
type FunctionType struct {
	Function token.Pos
	Lparen   token.Pos
	Params   []*Param
	Rparen   token.Pos
	As       token.Pos
	Return   Expr
}

// TableType is table Row: a RecordType, or an expression naming a row type.
type TableType struct {
	Table token.Pos
	Row   Expr
}

// Pos and End implementations.

func (x *Ident) Pos() token.Pos          { return x.NamePos }
func (x *Ident) End() token.Pos          { return x.NamePos.Add(int(x.sizeHi)<<16 | int(x.size)) }
func (x *BadExpr) Pos() token.Pos        { return x.From }
func (x *BadExpr) End() token.Pos        { return x.To }
func (x *Literal) Pos() token.Pos        { return x.ValuePos }
func (x *Literal) End() token.Pos        { return x.ValuePos.Add(len(x.Value)) }
func (x *InclusiveRef) Pos() token.Pos   { return x.At }
func (x *InclusiveRef) End() token.Pos   { return x.Ident.End() }
func (x *SectionAccess) Pos() token.Pos  { return x.Section.Pos() }
func (x *SectionAccess) End() token.Pos  { return x.Member.End() }
func (x *ParenExpr) Pos() token.Pos      { return x.Lparen }
func (x *ParenExpr) End() token.Pos      { return closeEnd(x.Rparen, x.X) }
func (x *NotImplemented) Pos() token.Pos { return x.Ellipsis }
func (x *NotImplemented) End() token.Pos { return x.Ellipsis.Add(3) }
func (x *InvokeExpr) Pos() token.Pos     { return x.Fun.Pos() }
func (x *InvokeExpr) End() token.Pos {
	if x.Rparen.IsValid() {
		return x.Rparen.Add(1)
	}
	if len(x.Args) > 0 {
		return x.Args[len(x.Args)-1].End()
	}
	return x.Lparen.Add(1)
}
func (x *ListExpr) Pos() token.Pos { return x.Lbrace }
func (x *ListExpr) End() token.Pos {
	if x.Rbrace.IsValid() {
		return x.Rbrace.Add(1)
	}
	if len(x.Items) > 0 {
		return x.Items[len(x.Items)-1].End()
	}
	return x.Lbrace.Add(1)
}
func (x *RangeExpr) Pos() token.Pos  { return x.Lo.Pos() }
func (x *RangeExpr) End() token.Pos  { return x.Hi.End() }
func (x *RecordExpr) Pos() token.Pos { return x.Lbrack }
func (x *RecordExpr) End() token.Pos {
	if x.Rbrack.IsValid() {
		return x.Rbrack.Add(1)
	}
	if len(x.Fields) > 0 {
		return x.Fields[len(x.Fields)-1].End()
	}
	return x.Lbrack.Add(1)
}
func (x *Field) Pos() token.Pos { return x.Name.Pos() }
func (x *Field) End() token.Pos {
	if x.Value != nil {
		return x.Value.End()
	}
	if x.Assign.IsValid() {
		return x.Assign.Add(1)
	}
	return x.Name.End()
}
func (x *FieldAccess) Pos() token.Pos {
	if x.X != nil {
		return x.X.Pos()
	}
	return x.Lbrack
}
func (x *FieldAccess) End() token.Pos { return suffixEnd(x.Optional, x.Rbrack, x.Name) }
func (x *Projection) Pos() token.Pos {
	if x.X != nil {
		return x.X.Pos()
	}
	return x.Lbrack
}
func (x *Projection) End() token.Pos {
	var last Node = &BadExpr{x.Lbrack, x.Lbrack.Add(1)}
	if len(x.Fields) > 0 {
		last = x.Fields[len(x.Fields)-1]
	}
	return suffixEnd(x.Optional, x.Rbrack, last)
}
func (x *ItemAccess) Pos() token.Pos { return x.X.Pos() }
func (x *ItemAccess) End() token.Pos { return suffixEnd(x.Optional, x.Rbrace, x.Index) }
func (x *UnaryExpr) Pos() token.Pos  { return x.OpPos }
func (x *UnaryExpr) End() token.Pos  { return x.X.End() }
func (x *BinaryExpr) Pos() token.Pos { return x.X.Pos() }
func (x *BinaryExpr) End() token.Pos { return x.Y.End() }
func (x *LetExpr) Pos() token.Pos    { return x.Let }
func (x *LetExpr) End() token.Pos {
	switch {
	case x.Body != nil:
		return x.Body.End()
	case x.In.IsValid():
		return x.In.Add(2)
	case len(x.Bindings) > 0:
		return x.Bindings[len(x.Bindings)-1].End()
	}
	return x.Let.Add(3)
}
func (x *Binding) Pos() token.Pos { return x.Name.Pos() }
func (x *Binding) End() token.Pos {
	if x.Value != nil {
		return x.Value.End()
	}
	if x.Assign.IsValid() {
		return x.Assign.Add(1)
	}
	return x.Name.End()
}
func (x *IfExpr) Pos() token.Pos       { return x.If }
func (x *IfExpr) End() token.Pos       { return x.False.End() }
func (x *EachExpr) Pos() token.Pos     { return x.Each }
func (x *EachExpr) End() token.Pos     { return x.Body.End() }
func (x *FunctionExpr) Pos() token.Pos { return x.Lparen }
func (x *FunctionExpr) End() token.Pos { return x.Body.End() }
func (x *Param) Pos() token.Pos {
	if x.Optional.IsValid() {
		return x.Optional
	}
	return x.Name.Pos()
}
func (x *Param) End() token.Pos {
	if x.Type != nil {
		return x.Type.End()
	}
	return x.Name.End()
}
func (x *ErrorExpr) Pos() token.Pos { return x.Error }
func (x *ErrorExpr) End() token.Pos { return x.X.End() }
func (x *TryExpr) Pos() token.Pos   { return x.Try }
func (x *TryExpr) End() token.Pos {
	switch {
	case x.Default != nil:
		return x.Default.End()
	case x.Handler != nil:
		return x.Handler.End()
	}
	return x.Body.End()
}
func (x *TypeExpr) Pos() token.Pos      { return x.Type }
func (x *TypeExpr) End() token.Pos      { return x.T.End() }
func (x *PrimitiveType) Pos() token.Pos { return x.NamePos }
func (x *PrimitiveType) End() token.Pos { return x.NamePos.Add(len(x.Name)) }
func (x *NullableType) Pos() token.Pos  { return x.Nullable }
func (x *NullableType) End() token.Pos  { return x.T.End() }
func (x *RecordType) Pos() token.Pos    { return x.Lbrack }
func (x *RecordType) End() token.Pos {
	if x.Rbrack.IsValid() {
		return x.Rbrack.Add(1)
	}
	if x.Open.IsValid() {
		return x.Open.Add(3)
	}
	if len(x.Fields) > 0 {
		return x.Fields[len(x.Fields)-1].End()
	}
	return x.Lbrack.Add(1)
}
func (x *FieldSpec) Pos() token.Pos {
	if x.Optional.IsValid() {
		return x.Optional
	}
	return x.Name.Pos()
}
func (x *FieldSpec) End() token.Pos {
	if x.Type != nil {
		return x.Type.End()
	}
	return x.Name.End()
}
func (x *ListType) Pos() token.Pos     { return x.Lbrace }
func (x *ListType) End() token.Pos     { return closeEnd(x.Rbrace, x.Elem) }
func (x *FunctionType) Pos() token.Pos { return x.Function }
func (x *FunctionType) End() token.Pos { return x.Return.End() }
func (x *TableType) Pos() token.Pos    { return x.Table }
func (x *TableType) End() token.Pos    { return x.Row.End() }

// closeEnd is the end of a bracketed node whose closing token may be missing.
func closeEnd(close token.Pos, inner Node) token.Pos {
	if close.IsValid() {
		return close.Add(1)
	}
	return inner.End()
}

// suffixEnd is the end of an access node with an optional trailing ?.
func suffixEnd(question, close token.Pos, inner Node) token.Pos {
	if question.IsValid() {
		return question.Add(1)
	}
	return closeEnd(close, inner)
}

func (*Ident) exprNode()          {}
func (*BadExpr) exprNode()        {}
func (*Literal) exprNode()        {}
func (*InclusiveRef) exprNode()   {}
func (*SectionAccess) exprNode()  {}
func (*ParenExpr) exprNode()      {}
func (*NotImplemented) exprNode() {}
func (*InvokeExpr) exprNode()     {}
func (*ListExpr) exprNode()       {}
func (*RangeExpr) exprNode()      {}
func (*RecordExpr) exprNode()     {}
func (*FieldAccess) exprNode()    {}
func (*Projection) exprNode()     {}
func (*ItemAccess) exprNode()     {}
func (*UnaryExpr) exprNode()      {}
func (*BinaryExpr) exprNode()     {}
func (*LetExpr) exprNode()        {}
func (*IfExpr) exprNode()         {}
func (*EachExpr) exprNode()       {}
func (*FunctionExpr) exprNode()   {}
func (*ErrorExpr) exprNode()      {}
func (*TryExpr) exprNode()        {}
func (*TypeExpr) exprNode()       {}
func (*PrimitiveType) exprNode()  {}
func (*NullableType) exprNode()   {}
func (*RecordType) exprNode()     {}
func (*ListType) exprNode()       {}
func (*FunctionType) exprNode()   {}
func (*TableType) exprNode()      {}
