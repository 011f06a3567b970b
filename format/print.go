package format

import (
	"sort"
	"strings"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
)

// printer builds the doc of a tree, or of a stretch of it, placing each
// comment as it goes: every token is emitted with its source offset, and
// the comments before that offset are emitted first.
type printer struct {
	f        *ast.File
	src      []byte
	comments []ast.Comment // the comments to place, in source order
	next     int           // index of the first comment not yet placed
	prevEnd  int           // source offset just past the last token or comment placed
	started  bool          // a token has been placed
	out      []doc
}

func newPrinter(f *ast.File, comments []ast.Comment, from int) *printer {
	cs := comments
	sort.SliceStable(cs, func(i, j int) bool { return f.Offset(cs[i].Slash) < f.Offset(cs[j].Slash) })
	return &printer{f: f, src: f.Src, comments: cs, prevEnd: from}
}

func (p *printer) off(pos token.Pos) int { return p.f.Offset(pos) }

func (p *printer) add(ds ...doc) { p.out = append(p.out, ds...) }

// capture runs fn and returns what it added, as one doc.
func (p *printer) capture(fn func()) doc {
	saved := p.out
	p.out = nil
	fn()
	d := p.out
	p.out = saved
	return d
}

// group returns the group of what fn adds. The comments before at, the
// group's first token, are placed before the group: a comment on a line of
// its own above a construct does not force the construct to break.
//
// Comments that end the group's last line are placed after the group, so
// that they break the lines around the group, not the group itself.
func (p *printer) group(at token.Pos, fn func()) {
	if at.IsValid() {
		p.commentsBefore(p.off(at))
	}
	d, trail := hoistTrailing(p.capture(fn))
	p.add(newGroup(d))
	p.add(trail...)
}

// hoistTrailing splits the line-end comments at the very end of d off it.
func hoistTrailing(d doc) (doc, []doc) {
	ds, ok := d.([]doc)
	if !ok {
		return d, nil
	}
	var trail []doc
	for len(ds) > 0 {
		last := ds[len(ds)-1]
		if _, ok := last.(lineSuffix); ok || last == lineEnd {
			trail = append([]doc{last}, trail...)
			ds = ds[:len(ds)-1]
			continue
		}
		var inner doc
		var t []doc
		switch x := last.(type) {
		case indent:
			var in doc
			in, t = hoistTrailing(x.d)
			inner = indent{in}
		case []doc:
			inner, t = hoistTrailing(x)
		}
		if len(t) == 0 {
			break
		}
		ds = append(ds[:len(ds)-1:len(ds)-1], inner)
		trail = append(t, trail...)
	}
	return ds, trail
}

// tok places the token s that starts at source offset at, after the
// comments that come before it, and then the comments that end its line.
func (p *printer) tok(at int, s string) {
	p.commentsBefore(at)
	p.add(text(s))
	p.started = true
	p.prevEnd = at + len(s)
	p.trailing()
}

// tokPos is tok at a position; an invalid position is a token missing
// from the source, and nothing is placed: the formatter does not repair.
func (p *printer) tokPos(pos token.Pos, s string) {
	if !pos.IsValid() {
		return
	}
	p.tok(p.off(pos), s)
}

// commentsBefore places the comments that start before offset at.
func (p *printer) commentsBefore(at int) {
	for p.next < len(p.comments) {
		c := p.comments[p.next]
		start := p.off(c.Slash)
		if start >= at {
			return
		}
		p.next++
		gap := p.src[min(p.prevEnd, start):start]
		end := start + len(c.Text)
		ownLine := !p.started || hasNewline(gap)
		lineEnd := !c.Block() || newlineAfter(p.src, end)
		switch {
		case ownLine:
			p.add(freshLine{blank: p.started && blankLine(gap)}, text(c.Text))
			if lineEnd {
				p.add(hardline)
			} else {
				p.add(space{})
			}
		case lineEnd:
			p.add(lineSuffix(c.Text), lineEnd)
		default:
			p.add(text(c.Text), space{})
		}
		p.prevEnd = end
	}
}

// trailing places the comments that follow the last token on its line,
// with nothing but blanks between, as line suffixes followed by a forced
// line break: a comment ends the line of the token it followed, in every
// pass, which keeps formatting idempotent. (A comment after a comma or
// semicolon is placed by commentsBefore at the next token; line breaks are
// written lazily, so it still ends the line of the comma.)
func (p *printer) trailing() {
	for p.next < len(p.comments) {
		c := p.comments[p.next]
		start := p.off(c.Slash)
		if start < p.prevEnd || !onlyBlanks(p.src[p.prevEnd:start], "") {
			return
		}
		end := start + len(c.Text)
		if c.Block() && !newlineAfter(p.src, end) {
			return // an inline comment: placed before the next token
		}
		p.next++
		p.add(lineSuffix(c.Text), lineEnd)
		p.prevEnd = end
	}
}

// lineEnd is the line break after a comment that ends a line: it owes
// nothing if the line is broken there already.
var lineEnd = line{hard: true, soft: true}

// rest places every comment not yet placed.
func (p *printer) rest() { p.commentsBefore(len(p.src) + 1) }

func hasNewline(b []byte) bool {
	for _, c := range b {
		if c == '\n' || c == '\r' {
			return true
		}
	}
	return false
}

// blankLine reports whether b, the text between two tokens or comments,
// holds an empty line.
func blankLine(b []byte) bool {
	n := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\n':
			n++
		case '\r':
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			n++
		case ' ', '\t', '\f', '\v', ',', ';':
		default:
			n = 0
		}
		if n >= 2 {
			return true
		}
	}
	return false
}

// newlineAfter reports whether only blanks separate offset i from the end
// of its line or of the file.
func newlineAfter(src []byte, i int) bool {
	for ; i < len(src); i++ {
		switch src[i] {
		case ' ', '\t', '\f', '\v':
		case '\n', '\r':
			return true
		default:
			return false
		}
	}
	return true
}

func onlyBlanks(b []byte, extra string) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\f', '\v':
		default:
			if !strings.ContainsRune(extra, rune(c)) {
				return false
			}
		}
	}
	return true
}

// blankBetween reports whether the source between the end of a and the
// start of b has an empty line outside comments.
func (p *printer) blankBetween(aEnd, bStart int) bool {
	if aEnd >= bStart {
		return false
	}
	gap := p.src[aEnd:bStart]
	// Blank out the comments of the gap so that only real empty lines count.
	masked := make([]byte, len(gap))
	copy(masked, gap)
	for _, c := range p.comments {
		s := p.off(c.Slash)
		e := s + len(c.Text)
		if e <= aEnd || s >= bStart {
			continue
		}
		for i := max(s, aEnd); i < min(e, bStart); i++ {
			if masked[i-aEnd] != '\n' && masked[i-aEnd] != '\r' {
				masked[i-aEnd] = 'x'
			}
		}
	}
	return blankLine(masked)
}

// ident places an identifier as written.
func (p *printer) ident(id *ast.Ident) {
	if id == nil {
		return
	}
	s, e := p.f.Span(id)
	p.tok(s, string(p.src[s:e]))
}

// separated places items with a comma and a line (empty when the source
// had an empty line there and the group breaks) between them.
func separated[T ast.Node](p *printer, items []T, each func(T)) {
	for i, it := range items {
		if i > 0 {
			p.add(text(","))
			p.add(line{blank: p.blankBetween(p.f.Offset(items[i-1].End()), p.f.Offset(it.Pos()))})
		}
		each(it)
	}
}

// bracketed places open items close as a group: on one line if it fits,
// otherwise one item a line, indented.
func bracketed[T ast.Node](p *printer, openPos token.Pos, open string, items []T, closePos token.Pos, close string, each func(T), tail func()) {
	p.group(openPos, func() {
		p.tokPos(openPos, open)
		if len(items) == 0 && tail == nil {
			p.closing(closePos, close)
			return
		}
		p.add(indent{p.capture(func() {
			p.add(softline)
			separated(p, items, each)
			if tail != nil {
				tail()
			}
		})})
		p.add(softline)
		p.closing(closePos, close)
	})
}

// closing places a closing bracket; the comments before it stay inside the
// brackets' indentation.
func (p *printer) closing(pos token.Pos, s string) {
	if pos.IsValid() {
		if cs := p.capture(func() { p.commentsBefore(p.off(pos)) }); len(cs.([]doc)) > 0 {
			p.add(indent{cs}, softline)
		}
	}
	p.tokPos(pos, s)
}

// expr places an expression.
func (p *printer) expr(x ast.Expr) {
	switch x := x.(type) {
	case nil:
	case *ast.Ident:
		p.ident(x)
	case *ast.BadExpr:
		s, e := p.f.Span(x)
		p.tok(s, string(p.src[s:e]))
	case *ast.Literal:
		p.tokPos(x.ValuePos, x.Value)
	case *ast.InclusiveRef:
		p.tokPos(x.At, "@")
		p.ident(x.Ident)
	case *ast.SectionAccess:
		p.ident(x.Section)
		p.tokPos(x.Bang, "!")
		p.ident(x.Member)
	case *ast.ParenExpr:
		p.tokPos(x.Lparen, "(")
		p.expr(x.X)
		p.closing(x.Rparen, ")")
	case *ast.NotImplemented:
		p.tokPos(x.Ellipsis, "...")
	case *ast.InvokeExpr:
		p.expr(x.Fun)
		bracketed(p, x.Lparen, "(", x.Args, x.Rparen, ")", p.expr, nil)
	case *ast.ListExpr:
		bracketed(p, x.Lbrace, "{", x.Items, x.Rbrace, "}", p.expr, nil)
	case *ast.RangeExpr:
		p.expr(x.Lo)
		p.tokPos(x.DotDot, "..")
		p.expr(x.Hi)
	case *ast.RecordExpr:
		p.record(x)
	case *ast.FieldAccess:
		p.expr(x.X)
		p.tokPos(x.Lbrack, "[")
		p.ident(x.Name)
		p.tokPos(x.Rbrack, "]")
		if x.Optional.IsValid() {
			p.tokPos(x.Optional, "?")
		}
	case *ast.Projection:
		p.expr(x.X)
		bracketed(p, x.Lbrack, "[", x.Fields, x.Rbrack, "]", func(f *ast.FieldAccess) { p.expr(f) }, nil)
		if x.Optional.IsValid() {
			p.tokPos(x.Optional, "?")
		}
	case *ast.ItemAccess:
		p.expr(x.X)
		p.tokPos(x.Lbrace, "{")
		p.expr(x.Index)
		p.tokPos(x.Rbrace, "}")
		if x.Optional.IsValid() {
			p.tokPos(x.Optional, "?")
		}
	case *ast.UnaryExpr:
		p.tokPos(x.OpPos, x.Op.String())
		if x.Op == token.NOT {
			p.add(space{})
		}
		p.expr(x.X)
	case *ast.BinaryExpr:
		p.binary(x)
	case *ast.LetExpr:
		p.let(x)
	case *ast.IfExpr:
		p.ifExpr(x)
	case *ast.EachExpr:
		p.tokPos(x.Each, "each")
		p.body(x.Body)
	case *ast.FunctionExpr:
		p.function(x)
	case *ast.ErrorExpr:
		p.tokPos(x.Error, "error")
		p.add(space{})
		p.expr(x.X)
	case *ast.TryExpr:
		p.try(x)
	case *ast.TypeExpr:
		p.tokPos(x.Type, "type")
		p.add(space{})
		p.expr(x.T)
	case *ast.PrimitiveType:
		p.tokPos(x.NamePos, x.Name)
	case *ast.NullableType:
		p.tokPos(x.Nullable, "nullable")
		p.add(space{})
		p.expr(x.T)
	case *ast.RecordType:
		var tail func()
		if x.Open.IsValid() {
			tail = func() {
				if len(x.Fields) > 0 {
					p.add(text(","), anyline)
				}
				p.tokPos(x.Open, "...")
			}
		}
		bracketed(p, x.Lbrack, "[", x.Fields, x.Rbrack, "]", p.fieldSpec, tail)
	case *ast.ListType:
		p.tokPos(x.Lbrace, "{")
		p.expr(x.Elem)
		p.closing(x.Rbrace, "}")
	case *ast.FunctionType:
		p.tokPos(x.Function, "function")
		p.add(space{})
		bracketed(p, x.Lparen, "(", x.Params, x.Rparen, ")", p.param, nil)
		p.add(space{})
		p.tokPos(x.As, "as")
		p.add(space{})
		p.expr(x.Return)
	case *ast.TableType:
		p.tokPos(x.Table, "table")
		p.add(space{})
		p.expr(x.Row)
	}
}

func (p *printer) record(x *ast.RecordExpr) {
	bracketed(p, x.Lbrack, "[", x.Fields, x.Rbrack, "]", func(f *ast.Field) {
		p.assignment(f.Name, f.Assign, f.Value)
	}, nil)
}

func (p *printer) fieldSpec(f *ast.FieldSpec) {
	p.typedName(f.Optional, f.Name, f.Assign, "=", f.Type)
}

func (p *printer) param(x *ast.Param) { p.typedName(x.Optional, x.Name, x.As, "as", x.Type) }

// typedName places [optional] Name [sep Type]: a parameter (sep is as) or
// a field of a record type (sep is =).
func (p *printer) typedName(optional token.Pos, name *ast.Ident, sepPos token.Pos, sep string, typ ast.Expr) {
	if optional.IsValid() {
		p.tokPos(optional, "optional")
		p.add(space{})
	}
	p.ident(name)
	if typ != nil {
		p.add(space{})
		p.tokPos(sepPos, sep)
		p.add(space{})
		p.expr(typ)
	}
}

// assignment places name = value: a let binding, a record field, a section
// member's body.
func (p *printer) assignment(name *ast.Ident, assign token.Pos, value ast.Expr) {
	p.ident(name)
	p.add(space{})
	p.tokPos(assign, "=")
	p.body(value)
}

// body places what follows =, =>, each: on the same line when it opens
// brackets of its own or is short, otherwise indented on the next line; a
// let always goes on the next line.
func (p *printer) body(x ast.Expr) {
	if x == nil {
		return
	}
	if b, ok := x.(*ast.BinaryExpr); ok && b.Op == token.META && opensBrackets(b.Y) {
		p.add(space{})
		p.expr(x)
		return
	}
	switch x.(type) {
	case *ast.LetExpr:
		p.add(indent{p.capture(func() {
			p.add(hardline)
			p.expr(x)
		})})
	case *ast.InvokeExpr, *ast.RecordExpr, *ast.ListExpr, *ast.EachExpr, *ast.FunctionExpr,
		*ast.ParenExpr, *ast.TypeExpr, *ast.Ident, *ast.Literal, *ast.FieldAccess, *ast.Projection,
		*ast.ItemAccess, *ast.NotImplemented, *ast.InclusiveRef, *ast.SectionAccess:
		p.add(space{})
		p.expr(x)
	default:
		// Comments before the value go inside the group, on the value's
		// line: wherever the source had them, the next pass sees them there.
		p.group(token.NoPos, func() {
			p.add(indent{p.capture(func() {
				p.add(anyline)
				p.expr(x)
			})})
		})
	}
}

// opensBrackets reports whether x is a record or list literal.
func opensBrackets(x ast.Expr) bool {
	switch x.(type) {
	case *ast.RecordExpr, *ast.ListExpr:
		return true
	}
	return false
}

// binary places a chain of operators of one precedence, a op b op c, as a
// group that breaks before each operator.
func (p *printer) binary(x *ast.BinaryExpr) {
	prec := x.Op.Precedence()
	var chain []*ast.BinaryExpr
	var first ast.Expr = x
	for {
		b, ok := first.(*ast.BinaryExpr)
		if !ok || b.Op.Precedence() != prec {
			break
		}
		chain = append(chain, b)
		first = b.X
	}
	if x.Op == token.META && len(chain) == 1 && opensBrackets(x.Y) {
		// x meta [...]: the record follows on the same line, as a call's
		// arguments do.
		p.expr(x.X)
		p.add(space{})
		p.tokPos(x.OpPos, "meta")
		p.add(space{})
		p.expr(x.Y)
		return
	}
	p.group(first.Pos(), func() {
		p.expr(first)
		p.add(indent{p.capture(func() {
			for i := len(chain) - 1; i >= 0; i-- {
				b := chain[i]
				p.add(anyline)
				p.tokPos(b.OpPos, b.Op.String())
				p.add(space{})
				p.expr(b.Y)
			}
		})})
	})
}

func (p *printer) let(x *ast.LetExpr) {
	p.tokPos(x.Let, "let")
	p.add(indent{p.capture(func() {
		p.add(hardline)
		separated(p, x.Bindings, func(b *ast.Binding) { p.assignment(b.Name, b.Assign, b.Value) })
		if x.In.IsValid() {
			p.commentsBefore(p.off(x.In))
		}
	})})
	p.add(hardline)
	p.tokPos(x.In, "in")
	p.add(indent{p.capture(func() {
		p.add(hardline)
		p.expr(x.Body)
	})})
}

func (p *printer) ifExpr(x *ast.IfExpr) {
	p.group(x.If, func() {
		p.tokPos(x.If, "if")
		p.add(space{})
		p.expr(x.Cond)
		p.add(space{})
		p.tokPos(x.Then, "then")
		p.add(indent{p.capture(func() {
			p.add(anyline)
			p.expr(x.True)
		})})
		p.add(anyline)
		p.tokPos(x.Else, "else")
		if _, ok := x.False.(*ast.IfExpr); ok {
			p.add(space{})
			p.expr(x.False)
			return
		}
		p.add(indent{p.capture(func() {
			p.add(anyline)
			p.expr(x.False)
		})})
	})
}

func (p *printer) function(x *ast.FunctionExpr) {
	bracketed(p, x.Lparen, "(", x.Params, x.Rparen, ")", p.param, nil)
	if x.Return != nil {
		p.add(space{})
		p.tokPos(x.As, "as")
		p.add(space{})
		p.expr(x.Return)
	}
	p.add(space{})
	p.tokPos(x.Arrow, "=>")
	p.body(x.Body)
}

func (p *printer) try(x *ast.TryExpr) {
	p.group(x.Try, func() {
		p.tokPos(x.Try, "try")
		p.add(space{})
		p.expr(x.Body)
		switch {
		case x.Otherwise.IsValid():
			p.add(indent{p.capture(func() {
				p.add(anyline)
				p.tokPos(x.Otherwise, "otherwise")
				p.add(space{})
				p.expr(x.Default)
			})})
		case x.Catch.IsValid():
			p.add(space{})
			p.tokPos(x.Catch, "catch")
			p.add(space{})
			p.function(x.Handler)
		}
	})
}

// member places a section member: its attributes on a line of their own,
// then [shared] Name = Value;
func (p *printer) member(m *ast.Member) {
	if m.Attrs != nil {
		p.record(m.Attrs)
		p.add(hardline)
	}
	if m.Shared.IsValid() {
		p.tokPos(m.Shared, "shared")
		p.add(space{})
	}
	p.assignment(m.Name, m.Assign, m.Value)
	p.tokPos(m.Semi, ";")
}

func (p *printer) section(s *ast.Section) {
	if s.Attrs != nil {
		p.record(s.Attrs)
		p.add(hardline)
	}
	p.tokPos(s.Section, "section")
	p.add(space{})
	p.ident(s.Name)
	p.tokPos(s.Semi, ";")
	for _, m := range s.Members {
		p.add(line{hard: true, blank: true})
		p.member(m)
	}
}
