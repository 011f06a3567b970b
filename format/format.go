// Package format prints Power Query M documents in one canonical layout.
//
// The layout: let bindings one per line with the body after `in` indented;
// records, lists, calls and parameter lists on one line when they fit in
// the line width and otherwise one item a line; operators and `=` spaced;
// the body of `each` and `=>` on the same line when it opens brackets of its
// own, indented on the next otherwise; a section's members one after the
// other with an empty line between. Comments stay with the code they were
// next to; one empty line between items is kept, more are folded to one.
//
// Formatting never changes what a document means: Source parses its
// output again and returns an error, with the input untouched, if the tree
// is not the same as the input's (see Equal). Members of a file with syntax
// errors — section members, the bindings of a top-level let — are
// formatted one by one when they parse cleanly and left byte for byte when
// they do not.
package format

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/parser"
)

// Options control the layout.
type Options struct {
	Tabs        bool // indent with tabs rather than spaces
	IndentWidth int  // spaces a level, or the width a tab counts for
	LineWidth   int  // the width the formatter keeps lines to where it can

	newline string // "\n" or "\r\n", taken from the input
}

// Default line width and indentation (as Microsoft's formatter).
const (
	DefaultIndentWidth = 4
	DefaultLineWidth   = 120
)

// DefaultOptions returns four spaces an indentation level and lines of 120.
func DefaultOptions() Options {
	return Options{IndentWidth: DefaultIndentWidth, LineWidth: DefaultLineWidth}
}

func (o Options) normalized() Options {
	if o.IndentWidth <= 0 {
		o.IndentWidth = DefaultIndentWidth
	}
	if o.LineWidth <= 0 {
		o.LineWidth = DefaultLineWidth
	}
	if o.newline == "" {
		o.newline = "\n"
	}
	return o
}

var bom = []byte("\xEF\xBB\xBF")

// ErrChanged is wrapped by the error returned when a formatted document
// would not parse to the same tree as its input; it means a bug in the
// formatter, and the input is left as it is.
var ErrChanged = errors.New("formatting would change the syntax tree")

// Source returns src, the content of the file name, formatted. A byte
// order mark is kept, and the line breaks the formatter writes are CR LF if
// the first line of src ends in CR LF.
func Source(name string, src []byte, opt Options) ([]byte, error) {
	return format(name, src, opt, nil)
}

// Range returns src with the members (section members, top-level let
// bindings or the body after `in`) that overlap or touch the byte range
// [start, end) formatted, and everything else as it was: a cursor at the
// start or end of a member formats that member.
func Range(name string, src []byte, start, end int, opt Options) ([]byte, error) {
	return format(name, src, opt, func(s, e int) bool { return s <= end && start <= e })
}

func format(name string, src []byte, opt Options, pick func(start, end int) bool) ([]byte, error) {
	opt = opt.normalized()
	body, hasBOM := src, bytes.HasPrefix(src, bom)
	if hasBOM {
		body = src[len(bom):]
	}
	opt.newline = lineBreak(body)
	f := parser.Parse(name, body)
	same := func(out []byte) bool {
		g := parser.Parse(name, out)
		return len(g.Errors) == len(f.Errors) && Equal(f.Root(), g.Root())
	}
	var out []byte
	if len(f.Errors) == 0 && pick == nil {
		out = formatFile(f, opt)
		if !same(out) {
			// A tree the whole-file printer cannot reproduce (the parser
			// accepts `let a = 1,` at the end of a file without an error,
			// and the tree does not say there was a comma): format member
			// by member, keeping the text between members as it is.
			out = formatUnits(f, opt, nil)
		}
	} else {
		out = formatUnits(f, opt, pick)
	}
	if !same(out) {
		return src, fmt.Errorf("%s: %w (please report it)", name, ErrChanged)
	}
	if hasBOM {
		out = append(append([]byte{}, bom...), out...)
	}
	return out, nil
}

// lineBreak returns the line break the first line of src ends with.
func lineBreak(src []byte) string {
	if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// formatFile prints a whole file that has no syntax error.
func formatFile(f *ast.File, opt Options) []byte {
	p := newPrinter(f, append([]ast.Comment(nil), f.Comments...), 0)
	switch {
	case f.Section != nil:
		p.section(f.Section)
	case f.Expr != nil:
		p.expr(f.Expr)
	}
	p.rest()
	r := &renderer{opt: opt}
	r.render(p.out, 0)
	return r.finish()
}

// unit is a stretch of a file formatted on its own: a section member, a
// top-level let binding, or the body of a top-level let.
type unit struct {
	node       ast.Node
	start, end int
}

func units(f *ast.File) []unit {
	var us []unit
	addNode := func(n ast.Node) {
		s, e := f.Span(n)
		us = append(us, unit{n, s, e})
	}
	switch {
	case f.Section != nil:
		for _, m := range f.Section.Members {
			addNode(m)
		}
	case f.Expr != nil:
		if l, ok := f.Expr.(*ast.LetExpr); ok {
			for _, b := range l.Bindings {
				addNode(b)
			}
			if l.Body != nil {
				addNode(l.Body)
			}
		} else {
			addNode(f.Expr)
		}
	}
	return us
}

// formatUnits formats the units that pick accepts (every one if pick is
// nil) and that have no syntax error, and keeps the rest of f as it is.
func formatUnits(f *ast.File, opt Options, pick func(start, end int) bool) []byte {
	var out []byte
	prev := 0
	for _, u := range units(f) {
		if pick != nil && !pick(u.start, u.end) || hasError(f, u.start, u.end) {
			continue
		}
		out = append(out, f.Src[prev:u.start]...)
		out = append(out, formatUnit(f, u, opt, out[bytes.LastIndexAny(out, "\r\n")+1:])...)
		prev = u.end
	}
	return append(out, f.Src[prev:]...)
}

// hasError reports whether a syntax error touches [start, end], or is
// about a construct in it (an unclosed bracket is reported where the
// parser gave up looking for its partner).
func hasError(f *ast.File, start, end int) bool {
	for _, e := range f.Errors {
		s, t := f.ErrorSpan(e)
		if s <= end && t >= start {
			return true
		}
		if e.Ref.IsValid() {
			if r := f.Offset(e.Ref); r >= start && r <= end {
				return true
			}
		}
	}
	return false
}

// formatUnit prints one unit, its continuation lines indented as the line
// it starts on; lineHead is the output of that line before the unit.
func formatUnit(f *ast.File, u unit, opt Options, lineHead []byte) []byte {
	var cs []ast.Comment
	for _, c := range f.Comments {
		if s := f.Offset(c.Slash); s >= u.start && s < u.end {
			cs = append(cs, c)
		}
	}
	p := newPrinter(f, cs, u.start)
	p.started = true
	switch n := u.node.(type) {
	case *ast.Member:
		p.member(n)
	case *ast.Binding:
		p.assignment(n.Name, n.Assign, n.Value)
	case ast.Expr:
		p.expr(n)
	}
	p.rest()
	r := &renderer{opt: opt, base: leadingBlanks(lineHead)}
	r.out = append(r.out, lineHead...) // for the column, removed below
	r.col = r.baseWidth() + utf8.RuneCount(lineHead[len(r.base):])
	r.render(p.out, 0)
	comment := false // a comment waits for the end of the line
	for _, s := range r.suffix {
		if s != "" {
			r.out = append(append(r.out, ' '), s...)
			comment = true
		}
	}
	out := r.out[len(lineHead):]
	if comment && !newlineAfter(f.Src, u.end) {
		out = append(out, opt.newline...)
	}
	return out
}

// leadingBlanks returns the spaces and tabs b starts with.
func leadingBlanks(b []byte) string {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return string(b[:i])
}
