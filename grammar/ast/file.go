package ast

import (
	"bytes"
	"fmt"
	"sort"
	"sync/atomic"

	"github.com/pqls/pqls/grammar/token"
)

// Section is a section document: [attributes] section Name; members.
type Section struct {
	Attrs   *RecordExpr // literal attributes, or nil
	Section token.Pos   // the section keyword
	Name    *Ident      // nil if missing
	Semi    token.Pos   // NoPos if missing
	Members []*Member
}

// Member is a section member: [attributes] shared Name = Value;
type Member struct {
	Attrs  *RecordExpr // literal attributes, or nil
	Name   *Ident
	Value  Expr      // nil if missing
	Shared token.Pos // NoPos unless shared
	Assign token.Pos
	Semi   token.Pos // NoPos if missing

	// memo is what the semantic model derived from this member alone
	// (its node index): a member node never changes once parsed and
	// Reparse hands it to the next version when an edit leaves it alone,
	// so the next version's model finds it here instead of walking the
	// member again. It lives and dies with the node.
	memo atomic.Pointer[any]
}

// Memo returns the value stored with m by StoreMemo, or nil. Only the
// semantic model (package model) stores one.
func (m *Member) Memo() any {
	if p := m.memo.Load(); p != nil {
		return *p
	}
	return nil
}

// StoreMemo stores v with m unless a value is stored already, and returns
// the stored value. v must be derived from m's subtree alone.
func (m *Member) StoreMemo(v any) any {
	if m.memo.CompareAndSwap(nil, &v) {
		return v
	}
	return *m.memo.Load()
}

func (x *Section) Pos() token.Pos {
	if x.Attrs != nil {
		return x.Attrs.Pos()
	}
	return x.Section
}

func (x *Section) End() token.Pos {
	if n := len(x.Members); n > 0 {
		return x.Members[n-1].End()
	}
	switch {
	case x.Semi.IsValid():
		return x.Semi.Add(1)
	case x.Name != nil:
		return x.Name.End()
	}
	return x.Section.Add(len("section"))
}

func (x *Member) Pos() token.Pos {
	switch {
	case x.Attrs != nil:
		return x.Attrs.Pos()
	case x.Shared.IsValid():
		return x.Shared
	}
	return x.Name.Pos()
}

func (x *Member) End() token.Pos {
	switch {
	case x.Semi.IsValid():
		return x.Semi.Add(1)
	case x.Value != nil:
		return x.Value.End()
	case x.Assign.IsValid():
		return x.Assign.Add(1)
	}
	return x.Name.End()
}

// Comment is a // or /* */ comment. Text is the comment as written,
// delimiters included.
type Comment struct {
	Slash token.Pos
	Text  string
}

func (c *Comment) Pos() token.Pos { return c.Slash }
func (c *Comment) End() token.Pos { return c.Slash.Add(len(c.Text)) }

// Block reports whether c is a /* */ comment.
func (c *Comment) Block() bool { return len(c.Text) > 1 && c.Text[1] == '*' }

// Error is a syntax error: a range and a message for a person.
type Error struct {
	From, To token.Pos
	// Msg may hold one %s, which File.Message replaces with the line:column
	// of Ref, the construct the error is about (the let that has no in).
	// The position is filled in late so that an edit above the construct
	// does not leave a stale line number in a reused error.
	Msg string
	Ref token.Pos
}

// RegionKind says what a region of a file holds.
type RegionKind uint8

const (
	HeadRegion    RegionKind = iota // the section header, or `let` of an expression document
	MemberRegion                    // section members up to and including a ;
	BindingRegion                   // let bindings up to and including a , or in
	TailRegion                      // the rest of the file
)

// Region is a stretch of a file that the parser can parse again on its own:
// the regions of a file cover it from start to end, in order. Incremental
// reparsing replaces the regions an edit touched and reuses the others.
//
// A region longer than token.ChunkSize takes the chunk numbers from Chunk
// on, one per ChunkSize bytes of max(Len, Peek).
type Region struct {
	Nodes    []Node    // members, bindings, or for the tail the body expression
	Comments []Comment // comments that start inside it
	Errors   []Error   // errors found while parsing it
	Chunk    int       // the chunk its positions are relative to
	Len      int       // length in bytes
	Peek     int       // how many bytes past its start the parser examined
	Sep      token.Pos // the `in` that ends a binding list
	Kind     RegionKind
	EndsList bool       // a binding region that ends with `in`
	Text     RegionText // what its text may hold
}

// RegionText says what the text of a region may hold. Questions about the
// whole text of a large document that rules ask at every version — does it
// use CRLF line ends, is it an SDK template — are answered from these, made
// once per region as it is parsed, instead of by reading the whole text.
type RegionText uint8

const (
	// TextCR: a carriage return.
	TextCR RegionText = 1 << iota
	// TextBraces: "{{", or a '{' as its last byte, where a template
	// placeholder may start.
	TextBraces
)

// RegionTextOf returns what text, a region's, holds.
func RegionTextOf(text []byte) RegionText {
	var t RegionText
	if bytes.IndexByte(text, '\r') >= 0 {
		t |= TextCR
	}
	if bytes.Contains(text, []byte("{{")) || len(text) > 0 && text[len(text)-1] == '{' {
		t |= TextBraces
	}
	return t
}

// TextMay reports whether the file's text may hold what t says: when it
// reports false, it does not. A file made without regions may hold anything.
func (f *File) TextMay(t RegionText) bool {
	return len(f.Regions) == 0 || f.Text&t != 0
}

// File is a parsed M document.
type File struct {
	Name  string
	Src   []byte
	Lines *token.Lines

	// Exactly one of Section and Expr is set, except for an empty
	// expression document, where both are nil.
	Section *Section
	Expr    Expr

	Comments []Comment // every comment, in source order
	Errors   []Error   // every syntax error, in source order

	Chunks  []int    // start offset of each chunk, by chunk number
	Regions []Region // the regions, in source order
	// Text is what the text may hold: the union of the regions' Text, made
	// with them by the parser (see TextMay).
	Text RegionText
}

// Offset returns the byte offset of p in the file.
func (f *File) Offset(p token.Pos) int {
	if !p.IsValid() {
		return 0
	}
	return f.Chunks[p.Chunk()] + p.Rel()
}

// Pos returns the position of byte offset off.
func (f *File) Pos(off int) token.Pos {
	i := sort.Search(len(f.Regions), func(i int) bool { return f.Chunks[f.Regions[i].Chunk] > off }) - 1
	if i < 0 {
		i = 0
	}
	c := f.Regions[i].Chunk
	return token.MakePos(c, off-f.Chunks[c])
}

// Span returns the byte offsets of the start and end of n.
func (f *File) Span(n Node) (start, end int) {
	return f.Offset(n.Pos()), f.Offset(n.End())
}

// Message returns the text of e, with the position it refers to filled in
// as 1-based line:column.
func (f *File) Message(e Error) string {
	if !e.Ref.IsValid() {
		return e.Msg
	}
	p := f.Lines.UTF16(f.Offset(e.Ref))
	return fmt.Sprintf(e.Msg, fmt.Sprintf("%d:%d", p.Line+1, p.Column+1))
}

// ErrorSpan returns the byte offsets of the start and end of e.
func (f *File) ErrorSpan(e Error) (start, end int) {
	return f.Offset(e.From), f.Offset(e.To)
}

// Root returns the document's top node: the Section or the expression, or
// nil for an empty document.
func (f *File) Root() Node {
	if f.Section != nil {
		return f.Section
	}
	if f.Expr != nil {
		return f.Expr
	}
	return nil
}

// CommentsBefore returns the comments that end on the line before the line
// on which offset off starts, or on the same line before it: the comments a
// suppression directive can come from.
func (f *File) CommentsBefore(off int) []Comment {
	line := f.Lines.UTF8(off).Line
	i := sort.Search(len(f.Comments), func(i int) bool { return f.Offset(f.Comments[i].Slash) >= off })
	var out []Comment
	for j := i - 1; j >= 0; j-- {
		c := f.Comments[j]
		endLine := f.Lines.UTF8(f.Offset(c.End())).Line
		if endLine < line-1 {
			break
		}
		out = append(out, c)
	}
	for a, b := 0, len(out)-1; a < b; a, b = a+1, b-1 {
		out[a], out[b] = out[b], out[a]
	}
	return out
}
