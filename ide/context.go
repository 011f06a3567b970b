package ide

import (
	"sort"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/scanner"
	"github.com/pqls/pqls/grammar/token"
)

// The cursor's context — which call's argument list and which record the
// cursor is in — comes from the tokens before it rather than from the
// syntax tree: in half-typed code (`Web.Contents(url, [Hea` with nothing
// closed) the parser's recovery ends the call or the record before the
// cursor, while the brackets still say where the cursor is.

// frame is a bracket opened before the cursor and not yet closed.
type frame struct {
	open token.Token // LPAREN, LBRACK or LBRACE
	pos  int         // offset of the bracket

	// For a parenthesis right after a name: the name called, and its range.
	callee           string
	calleeStart, end int

	arg int // the commas seen at this level: the index of the current argument or field

	// For a bracket that opens a record literal (not a field access):
	record      bool
	afterAssign bool // an = seen since the last comma: the cursor is in a value
	fieldName   string
	fieldStart  int      // offset of the current field's name, or -1
	fields      []string // the names of the fields written before the cursor
	// owner is the name the bracket's value is assigned to (Contoso in
	// `Contoso = [`, Authentication in `Authentication = [`), or "meta"
	// for a record after `meta`.
	owner string
}

// cursorContext is what the tokens before the cursor say about it.
type cursorContext struct {
	frames    []frame // the brackets open at the cursor, outermost first
	textStart int     // the start of the text literal the cursor is in, or -1
}

// recordOpeners are the tokens after which a [ opens a record literal; after
// anything else (a name, a closing bracket, each) it is a field access.
var recordOpeners = map[token.Token]bool{
	token.ILLEGAL: true, token.ASSIGN: true, token.COMMA: true, token.LPAREN: true, token.LBRACE: true,
	token.LBRACK: true, token.META: true, token.SEMICOLON: true, token.ARROW: true, token.AND_TEXT: true,
	token.IN: true, token.THEN: true, token.ELSE: true, token.OTHERWISE: true, token.COALESCE: true,
}

// isCallee reports whether tok, spelled text, can name the function of a
// call written right before a parenthesis.
func isCallee(tok token.Token, text string) bool {
	switch {
	case tok == token.IDENT:
		return text != "function" && !token.PrimitiveTypes[text]
	case tok == token.QUOTED_IDENT:
		return true
	case tok >= token.HASH_BINARY && tok <= token.HASH_TIME:
		return tok != token.HASH_INFINITY && tok != token.HASH_NAN && tok != token.HASH_SECTIONS && tok != token.HASH_SHARED
	}
	return false
}

// unitStart returns where the section member holding off starts, so that
// the context scan need not read the members before it; 0 for an
// expression document.
func unitStart(f *ast.File, off int) int {
	sec := f.Section
	if sec == nil || len(sec.Members) == 0 {
		return 0
	}
	i := sort.Search(len(sec.Members), func(i int) bool { return f.Offset(sec.Members[i].Pos()) > off }) - 1
	if i < 0 {
		return 0
	}
	return f.Offset(sec.Members[i].Pos())
}

// scanContext reads the tokens in [from, off), from the start of a member.
// A `;` ends a section member and with it whatever it left open. It stops
// early when p (nil for a scan that cannot be cancelled) finds its context
// cancelled.
func scanContext(p *poller, src []byte, from, off int) cursorContext {
	var (
		stack      []frame
		s          scanner.Scanner
		prev       = token.ILLEGAL
		prevText   string
		prevAt     int
		assignName string // the name before the last =
	)
	ctx := cursorContext{textStart: -1}
	s.Init(src, from)
	for !p.canceled() {
		tok, start, end, msg := s.Scan()
		if tok == token.EOF || start >= off {
			break
		}
		if (tok == token.TEXT || tok == token.VERBATIM) && (end > off || end == off && msg != "") {
			ctx.textStart = start // the cursor is inside this text
			break
		}
		top := len(stack) - 1
		switch tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			fr := frame{open: tok, pos: start, fieldStart: -1}
			if tok == token.LPAREN && isCallee(prev, prevText) {
				fr.callee, fr.calleeStart, fr.end = prevText, prevAt, prevAt+len(prevText)
				if prev == token.QUOTED_IDENT {
					fr.callee = scanner.Unquote(prevText)
				}
			}
			fr.record = tok == token.LBRACK && recordOpeners[prev]
			switch {
			case !fr.record:
			case prev == token.ASSIGN:
				fr.owner = assignName
			case prev == token.META:
				fr.owner = "meta"
			}
			stack = append(stack, fr)
		case token.RPAREN, token.RBRACK, token.RBRACE:
			// Pop to the matching bracket; a stray closer is ignored.
			want := map[token.Token]token.Token{token.RPAREN: token.LPAREN, token.RBRACK: token.LBRACK, token.RBRACE: token.LBRACE}[tok]
			for i := top; i >= 0; i-- {
				if stack[i].open == want {
					stack = stack[:i]
					break
				}
			}
		case token.COMMA:
			if top >= 0 {
				stack[top].arg++
				stack[top].afterAssign = false
				stack[top].fieldName, stack[top].fieldStart = "", -1
			}
		case token.ASSIGN:
			assignName = ""
			if prev == token.IDENT || prev == token.QUOTED_IDENT {
				assignName = prevText
				if prev == token.QUOTED_IDENT {
					assignName = scanner.Unquote(prevText)
				}
			}
			if top >= 0 && stack[top].record {
				if !stack[top].afterAssign && stack[top].fieldName != "" {
					stack[top].fields = append(stack[top].fields, stack[top].fieldName)
					assignName = stack[top].fieldName
				}
				stack[top].afterAssign = true
			}
		case token.SEMICOLON:
			stack = stack[:0]
		case token.IDENT, token.QUOTED_IDENT:
			if top >= 0 && stack[top].record && !stack[top].afterAssign {
				name := string(src[start:end])
				if tok == token.QUOTED_IDENT {
					name = scanner.Unquote(name)
				}
				if stack[top].fieldStart < 0 {
					stack[top].fieldName, stack[top].fieldStart = name, start
				} else { // a generalized identifier of several words
					stack[top].fieldName += " " + name
				}
			}
		}
		prev, prevText, prevAt = tok, string(src[start:end]), start
	}
	ctx.frames = stack
	return ctx
}

// enclosingCall returns the innermost call whose argument list holds off,
// and the index of the argument the cursor is in.
func enclosingCall(stack []frame) (frame, bool) {
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i].open == token.LPAREN && stack[i].callee != "" {
			return stack[i], true
		}
	}
	return frame{}, false
}
