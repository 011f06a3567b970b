package parser

import (
	"fmt"
	"sort"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/scanner"
	"github.com/pqls/pqls/grammar/token"
)

// maxDepth bounds the nesting of expressions, so that hostile or generated
// input ends in an error instead of exhausting the stack.
const maxDepth = 1000

type lexeme struct {
	tok        token.Token
	start, end int
	msg        string
}

type comment struct {
	start, end int
	msg        string
}

// parser holds the state of one parse, or of the partial parse that an
// incremental reparse does.
type parser struct {
	src []byte
	sc  scanner.Scanner

	// The current token.
	tok        token.Token
	start, end int
	msg        string
	prevEnd    int      // end of the last token consumed
	buf        []lexeme // tokens scanned ahead of the current one, from bufHead on
	bufHead    int
	lexedEnd   int // end of the furthest token scanned

	depth  int
	high   int  // deepest depth reached (see parseBinary)
	bailed bool // nesting bound hit: stay quiet until the region ends

	// Allocation: names and literals are interned (strs), nodes come
	// from slabs, and lists are gathered on a shared stack and copied out
	// at their final length.
	strs       strtab
	idents     slab[ast.Ident]
	literals   slab[ast.Literal]
	binaries   slab[ast.BinaryExpr]
	invokes    slab[ast.InvokeExpr]
	accesses   slab[ast.FieldAccess]
	fields     slab[ast.Field]
	bindings   slab[ast.Binding]
	exprStack  []ast.Expr
	fieldStack []*ast.Field

	comments    []comment
	commentHigh int

	// Regions: the finished ones, the chunk table, and the one being parsed.
	chunks   []int
	regions  []ast.Region
	curKind  ast.RegionKind
	curStart int
	curChunk int
	curNodes []ast.Node
	errs     []ast.Error

	// For incremental reparsing: old region ends, shifted into the new
	// text, where parsing may stop and reuse the old regions after them.
	landing *landing
	landed  int // index into the old regions of the first reused one, or -1
	letPos  token.Pos
}

// landing finds the places where an incremental reparse may stop: the ends
// of old regions at or after the end of the edit, shifted into the new
// text. Old region ends never decrease, so a binary search finds them.
type landing struct {
	regions []ast.Region // the old regions
	chunks  []int        // the old chunk table
	from    int          // the first old region that may end at a spot
	editEnd int          // the end of the edit, in the old text
	delta   int          // how far the edit moved the text after it
}

func (l *landing) end(j int) int { return l.chunks[l.regions[j].Chunk] + l.regions[j].Len }

// find returns the index of the old region that starts at new offset end
// and whether the region before it ended a binding list with `in`.
func (l *landing) find(end int) (next int, afterIn, ok bool) {
	old := end - l.delta
	if old < l.editEnd {
		return 0, false, false
	}
	n := len(l.regions) - 1 - l.from // candidates: from .. len-2
	// The last candidate ending at old: empty regions may share an end.
	k := sort.Search(n, func(k int) bool { return l.end(l.from+k) > old }) - 1
	if k < 0 || l.end(l.from+k) != old {
		return 0, false, false
	}
	j := l.from + k
	return j + 1, l.regions[j].EndsList, true
}

func newParser(src []byte, off int) *parser {
	p := &parser{src: src, landed: -1}
	p.sc.Init(src, off)
	p.sc.Comment = p.onComment
	p.prevEnd = p.sc.Offset()
	p.advance()
	return p
}

func (p *parser) onComment(start, end int, msg string) {
	if start < p.commentHigh {
		return // seen before a rescan
	}
	p.commentHigh = end
	p.comments = append(p.comments, comment{start, end, msg})
}

// scan returns the next token from the scanner.
func (p *parser) scan() lexeme {
	tok, start, end, msg := p.sc.Scan()
	if end > p.lexedEnd {
		p.lexedEnd = end
	}
	return lexeme{tok, start, end, msg}
}

// advance makes the next token current without consuming the current one.
func (p *parser) advance() {
	var l lexeme
	if p.bufHead < len(p.buf) {
		l = p.buf[p.bufHead]
		p.bufHead++
		if p.bufHead == len(p.buf) {
			p.buf, p.bufHead = p.buf[:0], 0 // reuse the array
		}
	} else {
		l = p.scan()
	}
	p.tok, p.start, p.end, p.msg = l.tok, l.start, l.end, l.msg
}

// next consumes the current token, reporting it if it was malformed.
func (p *parser) next() {
	if p.msg != "" {
		p.errorAt(p.start, p.end, p.msg)
	}
	if p.tok != token.EOF {
		p.prevEnd = p.end
	}
	p.advance()
}

// peek returns the k-th token after the current one.
func (p *parser) peek(k int) lexeme {
	for len(p.buf)-p.bufHead < k {
		p.buf = append(p.buf, p.scan())
	}
	return p.buf[p.bufHead+k-1]
}

// rescanFrom drops the scanned-ahead tokens and continues at off.
func (p *parser) rescanFrom(off int) {
	p.buf, p.bufHead = p.buf[:0], 0
	p.sc.SetOffset(off)
	if off > p.lexedEnd {
		p.lexedEnd = off
	}
	p.prevEnd = off
	p.advance()
}

func (p *parser) lit() string { return p.str(p.start, p.end) }

// str returns src[start:end] as a string from the parse's string table.
func (p *parser) str(start, end int) string { return p.strs.get(p.src[start:end]) }

// is reports whether the current token is spelled word, without interning
// anything.
func (p *parser) is(word string) bool { return string(p.src[p.start:p.end]) == word }

// isOf reports whether l is spelled word.
func (p *parser) isOf(l lexeme, word string) bool { return string(p.src[l.start:l.end]) == word }

// text returns src[start:end] as a new string, for messages: it does not
// enter the string table.
func (p *parser) text(start, end int) string { return string(p.src[start:end]) }

// slab hands out nodes of one type from arrays allocated a batch at a
// time. Batches grow from 8 to 128 nodes, so that the reparse of one
// member wastes little.
type slab[T any] struct {
	free []T
	size int
}

func (s *slab[T]) new() *T {
	if len(s.free) == 0 {
		s.size = min(max(2*s.size, 8), 128)
		s.free = make([]T, s.size)
	}
	x := &s.free[0]
	s.free = s.free[1:]
	return x
}

// pos converts a byte offset into a position in the chunk that holds it.
func (p *parser) pos(off int) token.Pos {
	if off >= p.curStart {
		rel := off - p.curStart
		if p.curChunk+rel>>token.ChunkBits >= len(p.chunks) {
			p.reserve(rel)
		}
		return token.MakePos(p.curChunk, rel)
	}
	i := sort.Search(len(p.regions), func(i int) bool { return p.chunks[p.regions[i].Chunk] > off }) - 1
	if i < 0 {
		i = 0
	}
	c := p.regions[i].Chunk
	return token.MakePos(c, off-p.chunks[c])
}

// reserve extends the chunk table so that the current region's chunk
// numbers cover offset rel in it: a region longer than token.ChunkSize takes
// one chunk number per ChunkSize bytes (see token.Pos).
func (p *parser) reserve(rel int) {
	for need := p.curChunk + rel>>token.ChunkBits; len(p.chunks) <= need; {
		p.chunks = append(p.chunks, p.curStart+(len(p.chunks)-p.curChunk)<<token.ChunkBits)
	}
}

// chunksOf returns how many chunk numbers region r takes: enough for every
// offset up to its end and up to what its parse looked at.
func chunksOf(r *ast.Region) int { return max(r.Len, r.Peek)>>token.ChunkBits + 1 }

// crowded reports whether the chunk table is so full that the parse must
// stop starting regions: hostile input of millions of tiny members would
// otherwise run out of the chunk numbers a token.Pos can hold. Members then
// share regions, which costs only reparse speed. Room is kept for the
// chunk numbers the rest of the file may take as one long region.
func (p *parser) crowded() bool {
	return len(p.chunks)+len(p.src)>>token.ChunkBits+64 > token.MaxChunks/2
}

// Errors.

func (p *parser) errorAt(start, end int, msg string) {
	if p.bailed || p.repeated(start) {
		return
	}
	p.errs = append(p.errs, ast.Error{From: p.pos(start), To: p.pos(end), Msg: msg})
}

// repeated reports whether an error was already reported at offset start:
// the first error at a place says what is wrong, later ones are echoes of
// the recovery from it.
func (p *parser) repeated(start int) bool {
	return len(p.errs) > 0 && p.errs[len(p.errs)-1].From == p.pos(start)
}

// errorRef reports an error whose message names the position of ref
// through a %s verb.
func (p *parser) errorRef(start, end int, msg string, ref int) {
	if p.bailed || p.repeated(start) {
		return
	}
	p.errs = append(p.errs, ast.Error{From: p.pos(start), To: p.pos(end), Msg: msg, Ref: p.pos(ref)})
}

// describe names the current token for a message.
func (p *parser) describe() string {
	switch p.tok {
	case token.EOF:
		return "the end of the file"
	case token.IDENT, token.QUOTED_IDENT, token.NUMBER, token.ILLEGAL:
		return "`" + clip(p.text(p.start, p.end)) + "`"
	case token.TEXT, token.VERBATIM:
		return "text " + clip(p.text(p.start, p.end))
	}
	return "`" + p.tok.String() + "`"
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// errorExpected reports that something else was expected at the current
// token.
func (p *parser) errorExpected(what string) {
	p.errorAt(p.start, p.end, fmt.Sprintf("expected %s, found %s", what, p.describe()))
}

// errorExpectedWhy is errorExpected with a reason after what was found.
func (p *parser) errorExpectedWhy(what, why string) {
	p.errorAt(p.start, p.end, fmt.Sprintf("expected %s, found %s: %s", what, p.describe(), why))
}

// Token sets for recovery.

type tokSet [2]uint64

func setOf(toks ...token.Token) tokSet {
	var s tokSet
	for _, t := range toks {
		s[t/64] |= 1 << (t % 64)
	}
	return s
}

func (s tokSet) has(t token.Token) bool { return s[t/64]&(1<<(t%64)) != 0 }

// skipTo consumes tokens until one in stop at bracket depth zero, a closing
// bracket that belongs to an enclosing construct, a ; or the end of file.
func (p *parser) skipTo(stop tokSet) {
	depth := 0
	for {
		switch p.tok {
		case token.EOF, token.SEMICOLON:
			return
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			if depth == 0 {
				return
			}
			depth--
			p.next()
			continue
		}
		if depth == 0 && stop.has(p.tok) {
			return
		}
		p.next()
	}
}

// atOuterKeyword reports whether the current token is a keyword that can
// only continue an enclosing construct — the `in` of a let, the `then` or
// `else` of an if, the `otherwise` of a try — so that a list or record left
// open before it ends there instead of swallowing the rest of the file.
func (p *parser) atOuterKeyword() bool {
	switch p.tok {
	case token.IN, token.THEN, token.ELSE, token.OTHERWISE:
		return true
	}
	return false
}

// canStartExpr reports whether t can begin an expression.
func canStartExpr(t token.Token) bool {
	switch t {
	case token.IDENT, token.QUOTED_IDENT, token.NUMBER, token.TEXT, token.VERBATIM, token.TRUE, token.FALSE,
		token.NULL, token.AT, token.LPAREN, token.LBRACE, token.LBRACK, token.ELLIPSIS, token.LET, token.IF,
		token.EACH, token.ERROR, token.TRY, token.TYPE, token.ADD, token.SUB, token.NOT:
		return true
	}
	return t >= token.HASH_BINARY && t <= token.HASH_TIME
}

// Regions.

func (p *parser) openRegion(kind ast.RegionKind, start int) {
	p.curKind = kind
	p.curStart = start
	p.curChunk = len(p.chunks)
	p.chunks = append(p.chunks, start)
	p.curNodes = nil
	p.errs = nil
	p.bailed = false
	p.depth = 0
	p.high = 0
}

// closeRegion ends the current region at end and reports whether parsing
// has reached a place where the old regions can be reused.
func (p *parser) closeRegion(end int, endsList bool, sep token.Pos) bool {
	kind := p.curKind
	if end >= len(p.src) && kind != ast.HeadRegion {
		kind = ast.TailRegion
	}
	peek := max(p.lexedEnd, end) - p.curStart
	p.reserve(max(peek, end-p.curStart))
	p.regions = append(p.regions, ast.Region{
		Kind:     kind,
		Chunk:    p.curChunk,
		Len:      end - p.curStart,
		Peek:     peek,
		Nodes:    p.curNodes,
		Errors:   p.errs,
		EndsList: endsList,
		Sep:      sep,
		Text:     ast.RegionTextOf(p.src[p.curStart:end]),
	})
	p.curNodes, p.errs = nil, nil
	if p.landing != nil {
		// The parse state after a region is fixed by whether it ended a let's
		// binding list; the text after the spot is unchanged.
		if next, afterIn, ok := p.landing.find(end); ok && afterIn == endsList {
			p.landed = next
			return true
		}
	}
	return false
}

// Documents.

func (p *parser) parseDocument() {
	p.openRegion(ast.HeadRegion, 0)
	if len(p.src) >= 2 && (p.src[0] == 0xFF && p.src[1] == 0xFE || p.src[0] == 0xFE && p.src[1] == 0xFF) {
		// Read as UTF-8, a UTF-16 file is noise from the first byte on: one
		// error that says why is worth more than a screenful.
		p.curKind = ast.TailRegion
		p.errorAt(0, 2, "the file is encoded as UTF-16: M files are read as UTF-8, so save it as UTF-8")
		p.bailed = true
		for p.tok != token.EOF {
			p.next()
		}
		p.bailed = false
		p.closeRegion(len(p.src), false, token.NoPos)
		return
	}
	switch p.documentKind() {
	case docSection:
		p.curNodes = []ast.Node{p.parseSectionHeader()}
		p.closeRegion(p.prevEnd, false, token.NoPos)
		p.parseMembers()
	case docBareMembers:
		p.errorAt(p.start, p.end, "section members need a header: add `section Name;` before them")
		p.curNodes = []ast.Node{&ast.Section{}}
		p.closeRegion(p.prevEnd, false, token.NoPos)
		p.parseMembers()
	case docLet:
		p.letPos = p.pos(p.start)
		p.curNodes = []ast.Node{&ast.LetExpr{Let: p.letPos}}
		p.next()
		p.closeRegion(p.prevEnd, false, token.NoPos)
		p.parseTopBindings()
	default:
		p.curKind = ast.TailRegion
		p.parseTail()
	}
}

type docKind int

const (
	docExpr docKind = iota
	docSection
	docBareMembers
	docLet
)

func (p *parser) documentKind() docKind {
	switch p.tok {
	case token.SECTION:
		return docSection
	case token.LET:
		return docLet
	case token.SHARED:
		return docBareMembers
	case token.IDENT, token.QUOTED_IDENT:
		if p.peek(1).tok == token.ASSIGN && p.semicolonAhead(2) {
			return docBareMembers
		}
	case token.LBRACK:
		// Literal attributes come before `section` or a member; a record
		// alone is an expression document.
		depth := 0
		for k := 0; k < 4096; k++ {
			l := lexeme{tok: p.tok}
			if k > 0 {
				l = p.peek(k)
			}
			switch l.tok {
			case token.LBRACK, token.LPAREN, token.LBRACE:
				depth++
			case token.RBRACK, token.RPAREN, token.RBRACE:
				depth--
			case token.EOF, token.SEMICOLON:
				return docExpr
			}
			if depth == 0 {
				after := p.peek(k + 1)
				switch after.tok {
				case token.SECTION:
					return docSection
				case token.SHARED:
					return docBareMembers
				case token.IDENT, token.QUOTED_IDENT:
					if p.peek(k+2).tok == token.ASSIGN && p.semicolonAhead(k+3) {
						return docBareMembers
					}
				}
				return docExpr
			}
		}
	}
	return docExpr
}

// semicolonAhead reports whether a ; comes at bracket depth zero within the
// next few thousand tokens from peek index k. Name = x alone is an equality
// expression, and an expression document has no ;, so section members
// without a header are told apart by the ; that ends the first one. A member
// too long to see its end is taken to be one.
func (p *parser) semicolonAhead(k int) bool {
	depth := 0
	for limit := k + 4096; k < limit; k++ {
		switch p.peek(k).tok {
		case token.LBRACK, token.LPAREN, token.LBRACE:
			depth++
		case token.RBRACK, token.RPAREN, token.RBRACE:
			depth--
		case token.SEMICOLON:
			if depth <= 0 {
				return true
			}
		case token.EOF:
			return false
		}
	}
	return true
}

func (p *parser) parseSectionHeader() *ast.Section {
	s := &ast.Section{}
	if p.tok == token.LBRACK {
		s.Attrs = p.parseAttributes()
	}
	s.Section = p.pos(p.start)
	p.next() // section
	if p.tok == token.IDENT || p.tok == token.QUOTED_IDENT {
		s.Name = p.ident(ast.Regular)
	} else {
		p.errorExpected("a section name after `section`")
	}
	if p.tok == token.SEMICOLON {
		s.Semi = p.pos(p.start)
		p.next()
	} else {
		p.errorExpected("`;` after the section name")
	}
	return s
}

// parseMembers parses the member regions of a section document, each
// ending after a `;`.
func (p *parser) parseMembers() {
	for p.tok != token.EOF {
		p.openRegion(ast.MemberRegion, p.prevEnd)
		for more := true; more; more = p.tok != token.EOF && p.crowded() {
			p.parseMemberRegion()
		}
		end := p.prevEnd
		if p.tok == token.EOF {
			end = len(p.src)
		}
		if p.closeRegion(end, false, token.NoPos) {
			return
		}
	}
	if n := len(p.regions); n == 0 || p.regions[n-1].Kind != ast.TailRegion {
		p.openRegion(ast.TailRegion, p.prevEnd)
		p.closeRegion(len(p.src), false, token.NoPos)
	}
}

// parseMemberRegion parses one member and the ; after it, or what recovery
// makes of the text up to the next ;.
func (p *parser) parseMemberRegion() {
	for {
		m := p.parseMember()
		if m != nil {
			p.curNodes = append(p.curNodes, m)
			if m.Semi.IsValid() {
				break
			}
		}
		if p.tok == token.EOF {
			break
		}
		if p.tok == token.SEMICOLON {
			p.next()
			break
		}
		if !p.atMemberStart() {
			p.skipTo(tokSet{})
			for p.tok != token.EOF && p.tok != token.SEMICOLON {
				p.next() // stray closing brackets
				p.skipTo(tokSet{})
			}
			if p.tok == token.SEMICOLON {
				p.next()
			}
			break
		}
	}
}

func (p *parser) atMemberStart() bool {
	switch p.tok {
	case token.SHARED, token.LBRACK:
		return true
	case token.IDENT, token.QUOTED_IDENT:
		return p.peek(1).tok == token.ASSIGN
	}
	return false
}

func (p *parser) parseMember() *ast.Member {
	m := &ast.Member{}
	if p.tok == token.LBRACK {
		m.Attrs = p.parseAttributes()
	}
	if p.tok == token.SHARED {
		m.Shared = p.pos(p.start)
		p.next()
	}
	if p.tok != token.IDENT && p.tok != token.QUOTED_IDENT {
		if p.tok != token.ILLEGAL {
			p.errorExpected("a section member (Name = expression;)")
		}
		p.skipTo(tokSet{})
		return nil
	}
	m.Name = p.ident(ast.Regular)
	if p.tok == token.ASSIGN {
		m.Assign = p.pos(p.start)
		p.next()
	} else {
		p.errorExpected(fmt.Sprintf("`=` after the member name %s", m.Name.Name))
	}
	m.Value = p.parseExpr()
	if p.tok == token.SEMICOLON {
		m.Semi = p.pos(p.start)
		p.next()
	} else if p.tok != token.EOF || len(p.errs) == 0 {
		// At the end of the file after another error in the member, such
		// as text left open, the missing ; is an echo of that error.
		p.errorAt(p.start, p.end, fmt.Sprintf("expected `;` to end member %s, found %s", m.Name.Name, p.describe()))
	}
	return m
}

// parseAttributes parses literal attributes and checks that they hold only
// literals.
func (p *parser) parseAttributes() *ast.RecordExpr {
	off := p.start
	x := p.parsePrimary()
	r, ok := x.(*ast.RecordExpr)
	if !ok {
		p.errorAt(off, p.prevEnd, "literal attributes must be a record, such as [Version = \"1.0.0\"]")
		return nil
	}
	for _, f := range r.Fields {
		p.checkLiteral(f.Value)
	}
	return r
}

func (p *parser) checkLiteral(x ast.Expr) {
	switch x := x.(type) {
	case nil, *ast.BadExpr:
	case *ast.Literal:
		if x.Kind == token.HASH_INFINITY || x.Kind == token.HASH_NAN {
			p.literalError(x)
		}
	case *ast.RecordExpr:
		for _, f := range x.Fields {
			p.checkLiteral(f.Value)
		}
	case *ast.ListExpr:
		for _, it := range x.Items {
			p.checkLiteral(it)
		}
	default:
		p.literalError(x)
	}
}

func (p *parser) literalError(x ast.Expr) {
	start, end := p.offsetOf(x.Pos()), p.offsetOf(x.End())
	p.errorAt(start, end, "an attribute value must be a literal: text, a number, true, false, null, or a list or record of literals")
}

// offsetOf turns a position made during this parse back into an offset.
func (p *parser) offsetOf(pos token.Pos) int { return p.chunks[pos.Chunk()] + pos.Rel() }

// parseTopBindings parses the bindings of a document-level let, one region
// per binding, then the body.
func (p *parser) parseTopBindings() {
	for {
		p.openRegion(ast.BindingRegion, p.prevEnd)
		endsList := false
		var sep token.Pos
		// Regions of a document-level let end after a , or an in (or at the
		// end of the file), so only the first follows the let itself.
		first := p.regions[len(p.regions)-1].Kind == ast.HeadRegion
		for more := true; more; more = p.tok != token.EOF && !endsList && p.crowded() {
			endsList, sep = p.parseBindingRegion(first)
			first = false
		}
		end := p.prevEnd
		if p.tok == token.EOF {
			if endsList {
				p.errorExpected("an expression after `in`")
			} else {
				end = len(p.src)
			}
		}
		if p.closeRegion(end, endsList, sep) || end == len(p.src) {
			return
		}
		if endsList {
			break
		}
	}
	p.openRegion(ast.TailRegion, p.prevEnd)
	p.parseTail()
}

// parseBindingRegion parses one binding of a document-level let and the ,
// or in after it, and reports whether it ended the list with in.
func (p *parser) parseBindingRegion(first bool) (endsList bool, sep token.Pos) {
	for {
		b := p.parseBinding(first)
		first = false
		if b != nil {
			p.curNodes = append(p.curNodes, b)
		}
		if p.tok != token.COMMA && p.tok != token.IN && p.tok != token.EOF {
			if !p.recoverBinding(true) && p.tok != token.EOF {
				break
			}
		}
		if p.tok == token.COMMA {
			p.next()
			break
		}
		if p.tok == token.IN {
			sep = p.pos(p.start)
			endsList = true
			p.next()
			break
		}
		if p.tok == token.EOF {
			p.errorRef(p.start, p.end, "`let` at %s has no `in`", p.offsetOf(p.letPos))
			break
		}
		// A missing comma: the next binding goes on in this region.
	}
	return endsList, sep
}

// parseTail parses the expression that ends a document, and the end of file.
func (p *parser) parseTail() {
	if p.tok == token.EOF {
		if p.curKind == ast.TailRegion && len(p.regions) == 0 {
			p.errorAt(p.start, p.end, "the document is empty: expected a section document or an expression")
		} else {
			p.errorExpected("an expression after `in`")
		}
	} else {
		x := p.parseExpr()
		p.curNodes = []ast.Node{x}
		if p.tok != token.EOF {
			if p.tok == token.ILLEGAL && p.msg != "" {
				p.errorAt(p.start, p.end, p.msg)
			} else {
				p.errorAt(p.start, p.end, fmt.Sprintf("unexpected %s after the end of the expression", p.describe()))
			}
			p.bailed = true // one message for the rest is enough
			for p.tok != token.EOF {
				p.next()
			}
			p.bailed = false
		}
	}
	p.closeRegion(len(p.src), false, token.NoPos)
}

// recoverBinding is called when a binding is not followed by , or in. It
// reports the problem and moves to the next binding; it returns false when
// the list cannot go on. In a document-level let, where nothing encloses the
// list, stray closing brackets and semicolons are skipped too.
func (p *parser) recoverBinding(top bool) bool {
	p.errorExpected("`,` or `in` after a let binding")
	if (p.tok == token.IDENT || p.tok == token.QUOTED_IDENT) && p.peek(1).tok == token.ASSIGN {
		return true // a missing comma
	}
	p.skipTo(setOf(token.COMMA, token.IN))
	switch p.tok {
	case token.COMMA, token.IN:
		return true
	case token.RPAREN, token.RBRACK, token.RBRACE, token.SEMICOLON:
		if top {
			p.next()
			return p.tok != token.EOF
		}
	}
	return false
}

// parseBinding parses Name = Value; first says whether it is the first
// binding of its let, which tells what an `in` in its place means.
func (p *parser) parseBinding(first bool) *ast.Binding {
	if p.tok != token.IDENT && p.tok != token.QUOTED_IDENT {
		switch {
		case p.tok == token.EOF:
			// The caller reports the let that has no in.
		case p.tok == token.IN && !first:
			p.errorAt(p.start, p.end, "expected a variable name after `,`, found `in`: the last binding of a let takes no comma")
		case p.tok == token.IN:
			// let in x: the specification asks for a binding; the engine
			// and Microsoft's parser take none.
		case p.tok.IsKeyword() && p.peek(1).tok == token.ASSIGN:
			// A keyword used as a name: say so, and parse the binding.
			name := p.lit()
			p.errorAt(p.start, p.end, fmt.Sprintf("`%s` is a keyword and cannot name a variable: write #\"%s\" instead", name, name))
			id := ast.NewIdent(p.pos(p.start), p.end-p.start, name, ast.Regular)
			p.next()
			b := &ast.Binding{Name: &id, Assign: p.pos(p.start)}
			p.next()
			b.Value = p.parseExpr()
			return b
		default:
			p.errorExpected("a variable name")
		}
		return nil
	}
	b := p.bindings.new()
	*b = ast.Binding{Name: p.ident(ast.Regular)}
	if p.tok == token.ASSIGN {
		b.Assign = p.pos(p.start)
		p.next()
	} else {
		p.errorExpected(fmt.Sprintf("`=` after %s", b.Name.Name))
	}
	b.Value = p.parseExpr()
	return b
}

// Expressions.

func (p *parser) ident(kind ast.IdentKind) *ast.Ident {
	id := p.idents.new()
	var name string
	switch p.tok {
	case token.QUOTED_IDENT:
		kind = ast.Quoted
		name = p.strs.intern(scanner.Unquote(string(p.src[p.start:p.end])))
	default:
		name = p.lit()
	}
	p.checkIdentSize(p.start, p.end)
	*id = ast.NewIdent(p.pos(p.start), p.end-p.start, name, kind)
	p.next()
	return id
}

// checkIdentSize reports an identifier too long for an Ident to record its
// extent: only hostile input has one.
func (p *parser) checkIdentSize(start, end int) {
	if end-start > ast.MaxIdentSize {
		p.errorAt(start, end, fmt.Sprintf("identifier of %d bytes: pqls reads identifiers of up to %d bytes", end-start, ast.MaxIdentSize))
	}
}

func (p *parser) bad(start int) *ast.BadExpr {
	end := max(p.prevEnd, start)
	return &ast.BadExpr{From: p.pos(start), To: p.pos(end)}
}

func (p *parser) parseExpr() ast.Expr {
	return p.parseBinary(1)
}

// parseBinary parses a chain of binary operators of at least minPrec.
//
// A chain is left-deep: `1+1+…+1` with n operators is a tree n levels
// deep, though the parser loops over it. Every walker of the tree recurses,
// so the chain counts against maxDepth like brackets do: 4 MB of `+1` made a
// tree two million levels deep, and the first walker to recurse through it
// ran out of stack (1 GB). height is the number of levels the tree built so
// far reaches below this call, measured through p.high.
func (p *parser) parseBinary(minPrec int) ast.Expr {
	start, entry, outerHigh := p.start, p.depth, p.high
	p.high = entry
	x := p.parseUnary()
	height := p.high - entry
	defer func() { p.high = max(outerHigh, entry+height) }()
	for {
		prec := p.tok.Precedence()
		if prec == 0 || prec < minPrec {
			return x
		}
		op, opOff := p.tok, p.start
		if entry+height+1 > maxDepth {
			return p.tooDeep(start)
		}
		p.next()
		p.high = entry
		var y ast.Expr
		if op == token.AS || op == token.IS {
			y = p.parsePrimitiveType(op.String())
		} else {
			y = p.parseBinary(prec + 1)
		}
		height = max(height, p.high-entry) + 1
		b := p.binaries.new()
		*b = ast.BinaryExpr{X: x, OpPos: p.pos(opOff), Op: op, Y: y}
		x = b
	}
}

// enter counts one level of nesting. Past the bound it reports the error
// once, skips to the end of the member and returns the BadExpr that stands
// for the rest.
func (p *parser) enter() (bad ast.Expr, ok bool) {
	start := p.start
	p.depth++
	if p.depth <= maxDepth {
		p.high = max(p.high, p.depth)
		return nil, true
	}
	p.depth--
	return p.tooDeep(start), false
}

// tooDeep reports the nesting bound once, skips to the end of the member
// and returns the BadExpr that stands for the rest, from start on.
func (p *parser) tooDeep(start int) ast.Expr {
	if !p.bailed {
		p.errorAt(p.start, p.end, fmt.Sprintf("expression nested too deeply: more than %d levels of brackets and operators", maxDepth))
		p.bailed = true
	}
	for p.tok != token.EOF && p.tok != token.SEMICOLON {
		p.next()
	}
	return p.bad(start)
}

func (p *parser) parseUnary() ast.Expr {
	start := p.start
	if bad, ok := p.enter(); !ok {
		return bad
	}
	defer func() { p.depth-- }()
	switch p.tok {
	case token.ADD, token.SUB, token.NOT:
		op := p.tok
		p.next()
		return &ast.UnaryExpr{OpPos: p.pos(start), Op: op, X: p.parseUnary()}
	case token.LET:
		return p.parseLet()
	case token.IF:
		return p.parseIf()
	case token.EACH:
		p.next()
		return &ast.EachExpr{Each: p.pos(start), Body: p.parseExpr()}
	case token.ERROR:
		p.next()
		return &ast.ErrorExpr{Error: p.pos(start), X: p.parseExpr()}
	case token.TRY:
		return p.parseTry()
	case token.TYPE:
		p.next()
		return &ast.TypeExpr{Type: p.pos(start), T: p.parseType()}
	case token.LPAREN:
		if p.isFunction() {
			return p.parseFunction()
		}
	}
	return p.parsePostfix()
}

func (p *parser) parseLet() ast.Expr {
	let := p.start
	x := &ast.LetExpr{Let: p.pos(let)}
	p.next()
	for first := true; ; first = false {
		b := p.parseBinding(first)
		if b != nil {
			x.Bindings = append(x.Bindings, b)
		}
		switch p.tok {
		case token.COMMA, token.IN, token.EOF, token.SEMICOLON, token.RPAREN, token.RBRACK, token.RBRACE:
		default:
			if !p.recoverBinding(false) {
				p.errorRef(p.start, p.end, "`let` at %s has no `in`", let)
				return x
			}
		}
		switch p.tok {
		case token.COMMA:
			p.next()
		case token.IN:
			x.In = p.pos(p.start)
			p.next()
			x.Body = p.parseExpr()
			return x
		case token.EOF, token.SEMICOLON, token.RPAREN, token.RBRACK, token.RBRACE:
			p.errorRef(p.start, p.end, "`let` at %s has no `in`", let)
			return x
		}
		// Otherwise a missing comma: the next binding follows.
	}
}

func (p *parser) parseIf() ast.Expr {
	start := p.start
	x := &ast.IfExpr{If: p.pos(start)}
	p.next()
	x.Cond = p.parseExpr()
	if p.tok == token.THEN {
		x.Then = p.pos(p.start)
		p.next()
	} else {
		p.errorRef(p.start, p.end, "`if` at %s has no `then`", start)
	}
	x.True = p.parseExpr()
	if p.tok == token.ELSE {
		x.Else = p.pos(p.start)
		p.next()
		x.False = p.parseExpr()
	} else {
		p.errorRef(p.start, p.end, "`if` at %s has no `else`", start)
		end := x.True.End() // an empty expression where else should be
		x.False = &ast.BadExpr{From: end, To: end}
	}
	return x
}

func (p *parser) parseTry() ast.Expr {
	x := &ast.TryExpr{Try: p.pos(p.start)}
	p.next()
	x.Body = p.parseExpr()
	switch {
	case p.tok == token.OTHERWISE:
		x.Otherwise = p.pos(p.start)
		p.next()
		x.Default = p.parseExpr()
	case p.tok == token.IDENT && p.is("catch"):
		x.Catch = p.pos(p.start)
		p.next()
		fn := &ast.FunctionExpr{Lparen: p.pos(p.start)}
		if p.tok != token.LPAREN {
			p.errorAt(p.start, p.end, fmt.Sprintf("expected `(` after `catch`, found %s: a catch function is written catch (e) => … or catch () => …", p.describe()))
			if (p.tok == token.IDENT || p.tok == token.QUOTED_IDENT) && p.peek(1).tok == token.ARROW {
				fn.Params = []*ast.Param{{Name: p.ident(ast.Regular)}}
				fn.Arrow = p.pos(p.start)
				p.next()
			}
			fn.Body = p.parseExpr()
			x.Handler = fn
			return x
		}
		p.next()
		if p.tok == token.IDENT || p.tok == token.QUOTED_IDENT {
			fn.Params = []*ast.Param{{Name: p.ident(ast.Regular)}}
		}
		if p.tok == token.RPAREN {
			fn.Rparen = p.pos(p.start)
			p.next()
		} else {
			p.errorExpectedWhy("`)`", "a catch function takes at most one parameter")
			p.skipTo(setOf(token.ARROW))
			if p.tok == token.RPAREN {
				p.next()
			}
		}
		if p.tok == token.ARROW {
			fn.Arrow = p.pos(p.start)
			p.next()
		} else {
			p.errorExpected("`=>` in the catch function")
		}
		fn.Body = p.parseExpr()
		x.Handler = fn
	}
	return x
}

// isFunction reports whether the ( at the current token starts a function
// expression, by checking the shape of a parameter list and the => after it.
// Any name is accepted after `as` here; the parse proper reports names that
// are not primitive types.
func (p *parser) isFunction() bool {
	k := 1
	if p.peek(k).tok != token.RPAREN {
		for {
			t := p.peek(k)
			if t.tok == token.IDENT && p.isOf(t, "optional") {
				if n := p.peek(k + 1).tok; n == token.IDENT || n == token.QUOTED_IDENT {
					k++
				}
			}
			if t := p.peek(k).tok; t != token.IDENT && t != token.QUOTED_IDENT {
				return false
			}
			k++
			if p.peek(k).tok == token.AS {
				k = p.skipTypeName(k + 1)
				if k < 0 {
					return false
				}
			}
			switch p.peek(k).tok {
			case token.COMMA:
				k++
				continue
			case token.RPAREN:
			default:
				return false
			}
			break
		}
	}
	k++ // past )
	if p.peek(k).tok == token.AS {
		if k = p.skipTypeName(k + 1); k < 0 {
			return false
		}
	}
	return p.peek(k).tok == token.ARROW
}

// skipTypeName skips `nullable`? and a type name at peek index k.
func (p *parser) skipTypeName(k int) int {
	t := p.peek(k)
	if t.tok == token.IDENT && p.isOf(t, "nullable") {
		k++
		t = p.peek(k)
	}
	switch t.tok {
	case token.IDENT, token.NULL, token.TYPE:
		return k + 1
	case token.COMMA, token.RPAREN, token.ARROW:
		return k // the type is missing: the parse proper reports it
	}
	return -1
}

func (p *parser) parseFunction() ast.Expr {
	open := p.start
	fn := &ast.FunctionExpr{Lparen: p.pos(open)}
	p.next()
	fn.Params = p.parseParams(false)
	fn.Rparen = p.closing(token.RPAREN, "`(` at %s has no matching `)`", open)
	if p.tok == token.AS {
		fn.As = p.pos(p.start)
		p.next()
		fn.Return = p.parsePrimitiveType("the return type")
	}
	if p.tok == token.ARROW {
		fn.Arrow = p.pos(p.start)
		p.next()
	} else {
		p.errorExpected("`=>` after the parameter list")
	}
	fn.Body = p.parseExpr()
	return fn
}

// parseParams parses a parameter list up to its ). Function types take any
// type after `as`; function expressions only primitive types.
func (p *parser) parseParams(anyType bool) []*ast.Param {
	var params []*ast.Param
	seenOptional := false
	for p.tok != token.RPAREN {
		par := &ast.Param{}
		if p.tok == token.IDENT && p.is("optional") {
			if n := p.peek(1).tok; n == token.IDENT || n == token.QUOTED_IDENT {
				par.Optional = p.pos(p.start)
				p.next()
			}
		}
		if p.tok != token.IDENT && p.tok != token.QUOTED_IDENT {
			p.errorExpected("a parameter name")
			p.skipTo(setOf(token.COMMA, token.ARROW))
			if p.tok != token.COMMA {
				return params
			}
			p.next()
			continue
		}
		par.Name = p.ident(ast.Regular)
		if par.Optional.IsValid() {
			seenOptional = true
		} else if seenOptional {
			start, end := p.offsetOf(par.Name.Pos()), p.offsetOf(par.Name.End())
			p.errorAt(start, end, fmt.Sprintf("required parameter %s comes after an optional one", par.Name.Name))
		}
		if p.tok == token.AS {
			par.As = p.pos(p.start)
			p.next()
			if anyType {
				par.Type = p.parseType()
			} else {
				par.Type = p.parsePrimitiveType("the parameter type")
			}
		}
		params = append(params, par)
		if p.tok == token.COMMA {
			p.next()
			continue
		}
		if p.tok != token.RPAREN {
			p.errorExpected("`,` or `)` in the parameter list")
			p.skipTo(setOf(token.COMMA, token.ARROW))
			if p.tok == token.COMMA {
				p.next()
				continue
			}
		}
		break
	}
	return params
}

// closing consumes the token that closes a bracket opened at offset open
// and returns its position. If the token is missing, it reports msg, which
// names the bracket's position with %s, and returns NoPos.
func (p *parser) closing(tok token.Token, msg string, open int) token.Pos {
	if p.tok != tok {
		p.errorRef(p.start, p.end, msg, open)
		return token.NoPos
	}
	pos := p.pos(p.start)
	p.next()
	return pos
}

// parsePrimitiveType parses `nullable`? primitive-type, the types that `as`,
// `is` and function parameters allow.
func (p *parser) parsePrimitiveType(what string) ast.Expr {
	start := p.start
	if p.tok == token.IDENT && p.is("nullable") {
		if n := p.peek(1); n.tok == token.IDENT || n.tok == token.NULL || n.tok == token.TYPE {
			p.next()
			return &ast.NullableType{Nullable: p.pos(start), T: p.parsePrimitiveType(what)}
		}
	}
	switch p.tok {
	case token.NULL, token.TYPE:
		t := &ast.PrimitiveType{NamePos: p.pos(p.start), Name: p.lit()}
		p.next()
		return t
	case token.IDENT:
		name := p.lit()
		if token.PrimitiveTypes[name] {
			t := &ast.PrimitiveType{NamePos: p.pos(p.start), Name: name}
			p.next()
			return t
		}
		p.errorAt(p.start, p.end, fmt.Sprintf("%s must be a primitive type such as number or nullable text; %s is not one (use Value.ReplaceType for other types)", typeSubject(what), name))
		return p.ident(ast.Regular)
	}
	if what == "as" || what == "is" {
		p.errorExpected(fmt.Sprintf("a primitive type after `%s`", what))
	} else {
		p.errorExpected("a primitive type as " + what)
	}
	return p.bad(start)
}

// typeSubject names the type being parsed: what is "as", "is", or a phrase
// such as "the parameter type".
func typeSubject(what string) string {
	if what == "as" || what == "is" {
		return "the type after `" + what + "`"
	}
	return what
}

// parseType parses a type in a type position: after `type`, in a list or
// record type, or after `as` in a function type.
func (p *parser) parseType() ast.Expr {
	start := p.start
	if bad, ok := p.enter(); !ok {
		return bad
	}
	defer func() { p.depth-- }()
	switch p.tok {
	case token.LBRACK:
		return p.parseRecordType()
	case token.LBRACE:
		x := &ast.ListType{Lbrace: p.pos(start)}
		p.next()
		x.Elem = p.parseType()
		x.Rbrace = p.closing(token.RBRACE, "list type `{` at %s has no matching `}`", start)
		return x
	case token.NULL, token.TYPE:
		t := &ast.PrimitiveType{NamePos: p.pos(start), Name: p.lit()}
		p.next()
		return t
	case token.IDENT:
		name := p.lit()
		next := p.peek(1).tok
		switch {
		case name == "nullable" && next != token.COMMA && next != token.RPAREN && next != token.RBRACK && next != token.RBRACE && next != token.EOF && next != token.SEMICOLON:
			p.next()
			return &ast.NullableType{Nullable: p.pos(start), T: p.parseType()}
		case name == "function" && next == token.LPAREN:
			return p.parseFunctionType()
		case name == "table" && (next == token.LBRACK || next == token.IDENT || next == token.QUOTED_IDENT || next == token.LPAREN || next == token.AT):
			p.next()
			x := &ast.TableType{Table: p.pos(start)}
			if p.tok == token.LBRACK {
				x.Row = p.parseRecordType()
			} else {
				x.Row = p.parsePostfix()
			}
			return x
		case token.PrimitiveTypes[name]:
			t := &ast.PrimitiveType{NamePos: p.pos(start), Name: name}
			p.next()
			return t
		}
	}
	return p.parsePostfix()
}

func (p *parser) parseFunctionType() ast.Expr {
	x := &ast.FunctionType{Function: p.pos(p.start)}
	p.next() // function
	open := p.start
	x.Lparen = p.pos(open)
	p.next()
	x.Params = p.parseParams(true)
	x.Rparen = p.closing(token.RPAREN, "`(` at %s has no matching `)`", open)
	if p.tok == token.AS {
		x.As = p.pos(p.start)
		p.next()
		x.Return = p.parseType()
	} else {
		p.errorExpected("`as` and a return type after the parameters of a function type")
		switch p.tok {
		case token.IDENT, token.LBRACK, token.LBRACE, token.NULL, token.TYPE:
			x.Return = p.parseType() // the type is there, only `as` is missing
		default:
			x.Return = p.bad(p.start)
		}
	}
	return x
}

func (p *parser) parseRecordType() ast.Expr {
	open := p.start
	x := &ast.RecordType{Lbrack: p.pos(open)}
	p.next()
	for p.tok != token.RBRACK {
		if p.tok == token.ELLIPSIS {
			x.Open = p.pos(p.start)
			p.next()
			if p.tok != token.RBRACK {
				p.errorExpectedWhy("`]`", "`...` must end a record type")
				p.skipTo(tokSet{})
			}
			break
		}
		f := &ast.FieldSpec{}
		if p.tok == token.IDENT && p.is("optional") {
			if n := p.peek(1).tok; n != token.ASSIGN && n != token.COMMA && n != token.RBRACK {
				f.Optional = p.pos(p.start)
				p.next()
			}
		}
		f.Name = p.fieldName()
		if f.Name == nil {
			p.errorExpected("a field name in the record type")
			p.skipTo(setOf(token.COMMA))
			if p.tok != token.COMMA {
				break
			}
			p.next()
			continue
		}
		if p.tok == token.ASSIGN {
			f.Assign = p.pos(p.start)
			p.next()
			f.Type = p.parseType()
		}
		x.Fields = append(x.Fields, f)
		if p.tok == token.COMMA {
			p.next()
			continue
		}
		if p.tok != token.RBRACK {
			p.errorExpected("`,` or `]` in the record type")
			p.skipTo(setOf(token.COMMA))
			if p.tok == token.COMMA {
				p.next()
				continue
			}
		}
		break
	}
	x.Rbrack = p.closing(token.RBRACK, "record type `[` at %s has no matching `]`", open)
	return x
}

// fieldName parses a field name: a quoted identifier or a generalized
// identifier such as Content Type. It returns nil if there is none.
func (p *parser) fieldName() *ast.Ident {
	switch {
	case p.tok == token.QUOTED_IDENT:
		return p.ident(ast.Quoted)
	case p.tok == token.IDENT || p.tok == token.NUMBER || p.tok.IsKeyword() && p.src[p.start] != '#':
		end := p.sc.ScanGeneralized(p.start)
		if end <= p.start {
			return nil
		}
		id := p.idents.new()
		p.checkIdentSize(p.start, end)
		*id = ast.NewIdent(p.pos(p.start), end-p.start, p.str(p.start, end), ast.Generalized)
		if end == p.end && p.tok == token.IDENT && p.msg == "" {
			p.next() // the common case: the name is the token
		} else {
			p.rescanFrom(end)
		}
		return id
	}
	return nil
}

// parsePostfix parses a primary expression and the accesses and calls that
// follow it. Like a chain of operators, a chain of them (`f()()()`,
// `x{0}{0}`) is a left-deep tree and counts against maxDepth (see
// parseBinary).
func (p *parser) parsePostfix() ast.Expr {
	start, entry, outerHigh := p.start, p.depth, p.high
	p.high = entry
	x := p.parsePrimary()
	height := p.high - entry
	defer func() { p.high = max(outerHigh, entry+height) }()
	for {
		switch p.tok {
		case token.LBRACK, token.LBRACE, token.LPAREN:
			if entry+height+1 > maxDepth {
				return p.tooDeep(start)
			}
			p.high = entry
		}
		switch p.tok {
		case token.LBRACK:
			if p.peek(1).tok == token.LBRACK {
				pr := p.parseProjection()
				pr.X = x
				x = pr
			} else {
				fa := p.parseFieldAccess()
				fa.X = x
				x = fa
			}
		case token.LBRACE:
			open := p.start
			ia := &ast.ItemAccess{X: x, Lbrace: p.pos(open)}
			p.next()
			ia.Index = p.parseExpr()
			if p.tok == token.RBRACE {
				ia.Rbrace = p.pos(p.start)
				p.next()
				if p.tok == token.QUESTION {
					ia.Optional = p.pos(p.start)
					p.next()
				}
			} else {
				p.errorRef(p.start, p.end, "item access `{` at %s has no matching `}`", open)
			}
			x = ia
		case token.LPAREN:
			x = p.parseInvoke(x)
		default:
			return x
		}
		height = max(height, p.high-entry) + 1
	}
}

func (p *parser) parseInvoke(fun ast.Expr) ast.Expr {
	open := p.start
	x := p.invokes.new()
	*x = ast.InvokeExpr{Fun: fun, Lparen: p.pos(open)}
	p.next()
	x.Args = p.parseList(token.RPAREN, false)
	x.Rparen = p.closing(token.RPAREN, "`(` at %s has no matching `)`", open)
	return x
}

// parseList parses comma-separated expressions up to close; in lists an item
// may be a range a..b.
func (p *parser) parseList(close token.Token, ranges bool) []ast.Expr {
	if p.tok == close {
		return nil
	}
	base := len(p.exprStack)
	for {
		start := p.start
		x := p.parseExpr()
		if ranges && p.tok == token.DOTDOT {
			dd := p.pos(p.start)
			p.next()
			x = &ast.RangeExpr{Lo: x, DotDot: dd, Hi: p.parseExpr()}
		}
		p.exprStack = append(p.exprStack, x)
		if p.tok == token.COMMA {
			p.next()
			if p.atOuterKeyword() {
				return p.popExprs(base) // the caller reports the missing close
			}
			if p.tok == close {
				what := "an item"
				if close == token.RPAREN {
					what = "an argument"
				}
				p.errorAt(p.start, p.end, fmt.Sprintf("expected %s after `,`, found `%s`: remove the trailing comma", what, close))
				return p.popExprs(base)
			}
			continue
		}
		if p.tok == close || p.tok == token.EOF || p.tok == token.SEMICOLON || p.atOuterKeyword() {
			return p.popExprs(base)
		}
		p.errorExpected(fmt.Sprintf("`,` or `%s`", close))
		p.skipTo(setOf(token.COMMA))
		if p.tok != token.COMMA || p.start == start {
			return p.popExprs(base)
		}
		p.next()
	}
}

// popExprs returns the expressions gathered on the stack from base on, in a
// slice of their own, and drops them from the stack.
func (p *parser) popExprs(base int) []ast.Expr {
	items := make([]ast.Expr, len(p.exprStack)-base)
	copy(items, p.exprStack[base:])
	clear(p.exprStack[base:])
	p.exprStack = p.exprStack[:base]
	return items
}

// parseFieldAccess parses [Name] or [Name]? with the target left to the
// caller.
func (p *parser) parseFieldAccess() *ast.FieldAccess {
	open := p.start
	fa := p.accesses.new()
	*fa = ast.FieldAccess{Lbrack: p.pos(open)}
	p.next()
	fa.Name = p.fieldName()
	if fa.Name == nil {
		p.errorExpected("a field name")
		fa.Name = &ast.Ident{NamePos: p.pos(p.start), Kind: ast.Generalized}
	}
	p.closeAccess(open, &fa.Rbrack, &fa.Optional, "field access")
	return fa
}

// closeAccess parses the ] and optional ? of a field access or projection.
func (p *parser) closeAccess(open int, rbrack, question *token.Pos, what string) {
	if p.tok == token.RBRACK {
		*rbrack = p.pos(p.start)
		p.next()
		if p.tok == token.QUESTION {
			*question = p.pos(p.start)
			p.next()
		}
		return
	}
	p.errorRef(p.start, p.end, what+" `[` at %s has no matching `]`", open)
	p.skipTo(tokSet{})
	if p.tok == token.RBRACK {
		*rbrack = p.pos(p.start)
		p.next()
	}
}

// parseProjection parses [[A],[B]] or [[A],[B]]?.
func (p *parser) parseProjection() *ast.Projection {
	open := p.start
	pr := &ast.Projection{Lbrack: p.pos(open)}
	p.next()
	for p.tok == token.LBRACK {
		pr.Fields = append(pr.Fields, p.parseFieldAccess())
		if p.tok != token.COMMA {
			break
		}
		p.next()
		if p.tok != token.LBRACK {
			p.errorExpected("`[` and a field name in the projection")
		}
	}
	p.closeAccess(open, &pr.Rbrack, &pr.Optional, "projection")
	return pr
}

func (p *parser) parsePrimary() ast.Expr {
	start := p.start
	switch p.tok {
	case token.IDENT:
		id := p.ident(ast.Regular)
		if p.tok == token.BANG {
			bang := p.pos(p.start)
			p.next()
			if p.tok != token.IDENT && p.tok != token.QUOTED_IDENT {
				p.errorExpected("a member name after `!`")
				return &ast.SectionAccess{Section: id, Bang: bang, Member: &ast.Ident{NamePos: p.pos(p.start)}}
			}
			return &ast.SectionAccess{Section: id, Bang: bang, Member: p.ident(ast.Regular)}
		}
		return id
	case token.QUOTED_IDENT:
		return p.ident(ast.Quoted)
	case token.NUMBER, token.TEXT, token.VERBATIM, token.TRUE, token.FALSE, token.NULL, token.HASH_INFINITY, token.HASH_NAN:
		x := p.literals.new()
		*x = ast.Literal{ValuePos: p.pos(start), Kind: p.tok, Value: p.lit()}
		p.next()
		return x
	case token.HASH_BINARY, token.HASH_DATE, token.HASH_DATETIME, token.HASH_DATETIMEZONE, token.HASH_DURATION,
		token.HASH_SECTIONS, token.HASH_SHARED, token.HASH_TABLE, token.HASH_TIME:
		return p.ident(ast.HashKeyword)
	case token.AT:
		p.next()
		if p.tok != token.IDENT && p.tok != token.QUOTED_IDENT {
			p.errorExpected("a name after `@`")
			return p.bad(start)
		}
		return &ast.InclusiveRef{At: p.pos(start), Ident: p.ident(ast.Regular)}
	case token.LPAREN:
		x := &ast.ParenExpr{Lparen: p.pos(start)}
		p.next()
		x.X = p.parseExpr()
		x.Rparen = p.closing(token.RPAREN, "`(` at %s has no matching `)`", start)
		return x
	case token.LBRACE:
		x := &ast.ListExpr{Lbrace: p.pos(start)}
		p.next()
		x.Items = p.parseList(token.RBRACE, true)
		x.Rbrace = p.closing(token.RBRACE, "list `{` at %s has no matching `}`", start)
		return x
	case token.LBRACK:
		return p.parseBracket()
	case token.ELLIPSIS:
		p.next()
		return &ast.NotImplemented{Ellipsis: p.pos(start)}
	case token.LET, token.IF, token.EACH, token.ERROR, token.TRY, token.TYPE, token.ADD, token.SUB, token.NOT:
		return p.parseUnary()
	case token.ILLEGAL:
		p.next() // the scanner's message says what is wrong
		return p.bad(start)
	}
	p.errorExpected("an expression")
	switch p.tok {
	case token.EOF, token.SEMICOLON, token.COMMA, token.RPAREN, token.RBRACK, token.RBRACE,
		token.IN, token.THEN, token.ELSE, token.OTHERWISE:
		return &ast.BadExpr{From: p.pos(start), To: p.pos(start)}
	}
	if p.tok.Precedence() > 0 && canStartExpr(p.peek(1).tok) {
		// Two operators in a row, as in 1 + * 2: skip the stray one.
		p.next()
		return p.parseUnary()
	}
	p.next()
	return p.bad(start)
}

// parseBracket parses what starts with [ in an expression: a record, or an
// implicit field access or projection (as in each [Name]).
func (p *parser) parseBracket() ast.Expr {
	open := p.start
	if p.peek(1).tok == token.LBRACK {
		return p.parseProjection()
	}
	r := &ast.RecordExpr{Lbrack: p.pos(open)}
	p.next()
	if p.tok == token.RBRACK {
		r.Rbrack = p.pos(p.start)
		p.next()
		return r
	}
	first := true
	base := len(p.fieldStack)
	for {
		name := p.fieldName()
		if name == nil && p.tok == token.RBRACK && !first {
			p.errorAt(p.start, p.end, "expected a field name after `,`, found `]`: remove the trailing comma")
			break
		}
		if name == nil {
			p.errorExpected("a field name")
			p.skipTo(setOf(token.COMMA))
			if p.tok == token.COMMA {
				p.next()
				first = false
				continue
			}
			break
		}
		if first && p.tok == token.RBRACK {
			// [Name]: an implicit field access.
			fa := &ast.FieldAccess{Lbrack: r.Lbrack, Name: name}
			p.closeAccess(open, &fa.Rbrack, &fa.Optional, "field access")
			return fa
		}
		first = false
		f := p.fields.new()
		*f = ast.Field{Name: name}
		if p.tok == token.ASSIGN {
			f.Assign = p.pos(p.start)
			p.next()
			f.Value = p.parseExpr()
		} else {
			p.errorExpected(fmt.Sprintf("`=` after the field name %s", name.Name))
			if p.tok != token.COMMA && p.tok != token.RBRACK {
				f.Value = p.parseExpr()
			}
		}
		p.fieldStack = append(p.fieldStack, f)
		if p.tok == token.COMMA {
			p.next()
			continue
		}
		if p.tok == token.RBRACK || p.tok == token.EOF || p.tok == token.SEMICOLON || p.atOuterKeyword() {
			break
		}
		p.errorExpected("`,` or `]` in the record")
		p.skipTo(setOf(token.COMMA))
		if p.tok != token.COMMA {
			break
		}
		p.next()
	}
	r.Fields = make([]*ast.Field, len(p.fieldStack)-base)
	copy(r.Fields, p.fieldStack[base:])
	clear(p.fieldStack[base:])
	p.fieldStack = p.fieldStack[:base]
	r.Rbrack = p.closing(token.RBRACK, "record `[` at %s has no matching `]`", open)
	return r
}
