package format

import (
	"strings"
	"unicode/utf8"
)

// The layout is computed with a small document algebra in the manner of
// Wadler's "prettier printer" (and of Prettier itself): the tree is turned
// into text pieces, line breaks that may or may not be taken, indentation
// and groups; a group is printed on one line when it fits in what is left
// of the line width, and otherwise every line of the group breaks. No Go
// library of this kind fits our needs (comments carried as line suffixes,
// blank lines kept, CRLF output), and the algebra is some two hundred lines.

// doc is one of the types below, or a []doc for a sequence.
type doc any

// text is written as is. A text with a line break in it (a multi-line
// string literal or block comment) forces its groups to break.
type text string

// space is one space, dropped when a line break follows it.
type space struct{}

// line is a break taken when its group breaks; otherwise a space, or
// nothing when soft.
type line struct {
	soft  bool
	hard  bool // always breaks, and so breaks every enclosing group
	blank bool // when it breaks, leaves one empty line
}

// freshLine breaks the line unless nothing has been written on it yet; it
// comes before a comment that stood on a line of its own.
type freshLine struct{ blank bool }

// lineSuffix is written just before the next line break: the place of a
// comment that ended a line.
type lineSuffix string

// indent prints its content one level deeper.
type indent struct{ d doc }

// group is printed flat if it fits, broken otherwise.
type group struct {
	d    doc
	hard bool // contains a forced break: never flat
}

var (
	softline = line{soft: true}
	anyline  = line{}
	hardline = line{hard: true}
)

// newGroup makes a group and notes whether it must break.
func newGroup(d doc) *group { return &group{d: d, hard: forcesBreak(d)} }

// forcesBreak reports whether d holds a forced break outside any group
// already known to hold one (that group's flag covers it).
func forcesBreak(d doc) bool {
	switch d := d.(type) {
	case []doc:
		for _, x := range d {
			if forcesBreak(x) {
				return true
			}
		}
	case text:
		return strings.ContainsAny(string(d), "\r\n")
	case line:
		return d.hard
	case freshLine, lineSuffix:
		return true
	case indent:
		return forcesBreak(d.d)
	case *group:
		return d.hard
	}
	return false
}

// renderer turns a doc into text.
type renderer struct {
	opt     Options
	base    string // written at the start of every new line, before the indentation
	out     []byte
	col     int // display column of the end of out
	pending int // line breaks owed before the next text
	pendInd int // indentation level of the owed line
	space   bool
	suffix  []string
}

type cmd struct {
	ind  int
	flat bool
	d    doc
}

// render prints d starting at indentation level ind, the output column
// being col.
func (r *renderer) render(d doc, ind int) {
	stack := []cmd{{ind: ind, d: d}}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch d := c.d.(type) {
		case nil:
		case []doc:
			for i := len(d) - 1; i >= 0; i-- {
				stack = append(stack, cmd{c.ind, c.flat, d[i]})
			}
		case text:
			r.write(string(d))
		case space:
			r.space = true
		case line:
			switch {
			case c.flat && !d.hard:
				if !d.soft {
					r.space = true
				}
			case d.blank:
				r.newline(c.ind, 2)
			default:
				r.newline(c.ind, 1)
			}
		case freshLine:
			if len(r.out) > 0 || r.pending > 0 {
				n := 1
				if d.blank {
					n = 2
				}
				r.newline(c.ind, n)
			}
		case lineSuffix:
			r.suffix = append(r.suffix, string(d))
		case indent:
			stack = append(stack, cmd{c.ind + 1, c.flat, d.d})
		case *group:
			flat := c.flat
			if !flat && !d.hard {
				flat = r.fits(cmd{c.ind, true, d.d}, stack)
			}
			stack = append(stack, cmd{c.ind, flat, d.d})
		}
	}
}

// fits reports whether next, printed flat, and what follows it up to the
// next possible line break fit in what is left of the line.
func (r *renderer) fits(next cmd, rest []cmd) bool {
	w := r.opt.LineWidth - r.col
	if r.pending > 0 {
		w = r.opt.LineWidth - r.indentWidth(r.pendInd) - r.baseWidth()
	} else if r.space {
		w--
	}
	stack := []cmd{next}
	for w >= 0 {
		if len(stack) == 0 {
			if len(rest) == 0 {
				return true
			}
			stack = append(stack, rest[len(rest)-1])
			rest = rest[:len(rest)-1]
		}
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch d := c.d.(type) {
		case []doc:
			for i := len(d) - 1; i >= 0; i-- {
				stack = append(stack, cmd{c.ind, c.flat, d[i]})
			}
		case text:
			if strings.ContainsAny(string(d), "\r\n") {
				return true
			}
			w -= utf8.RuneCountInString(string(d))
		case space:
			w--
		case line:
			if !c.flat || d.hard {
				return true
			}
			if !d.soft {
				w--
			}
		case freshLine:
			return true
		case indent:
			stack = append(stack, cmd{c.ind + 1, c.flat, d.d})
		case *group:
			stack = append(stack, cmd{c.ind, c.flat && !d.hard, d.d})
		}
	}
	return false
}

func (r *renderer) indentWidth(ind int) int {
	if r.opt.Tabs {
		return ind * r.opt.IndentWidth
	}
	return ind * r.opt.IndentWidth
}

// baseWidth is the display width of the base indentation.
func (r *renderer) baseWidth() int {
	w := 0
	for _, c := range r.base {
		if c == '\t' {
			w += r.opt.IndentWidth
		} else {
			w++
		}
	}
	return w
}

// newline owes n line breaks (n is 1, or 2 for an empty line between).
func (r *renderer) newline(ind, n int) {
	if len(r.out) == 0 && len(r.suffix) == 0 {
		return // nothing above: no empty lines at the top
	}
	r.pending = max(r.pending, n)
	r.pendInd = ind
	r.space = false
}

// write writes s after the line breaks and space owed.
func (r *renderer) write(s string) {
	if r.pending > 0 {
		r.flushLine(r.pending)
		r.out = append(r.out, r.base...)
		if r.opt.Tabs {
			r.out = append(r.out, strings.Repeat("\t", r.pendInd)...)
		} else {
			r.out = append(r.out, strings.Repeat(" ", r.pendInd*r.opt.IndentWidth)...)
		}
		r.col = r.indentWidth(r.pendInd) + r.baseWidth()
		r.pending = 0
	} else if r.space && len(r.out) > 0 {
		r.out = append(r.out, ' ')
		r.col++
	}
	r.space = false
	r.out = append(r.out, s...)
	if i := strings.LastIndexAny(s, "\r\n"); i >= 0 {
		r.col = utf8.RuneCountInString(s[i+1:])
	} else {
		r.col += utf8.RuneCountInString(s)
	}
}

// flushLine ends the current line: the comments waiting for its end, then
// n line breaks.
func (r *renderer) flushLine(n int) {
	for _, s := range r.suffix {
		if s != "" {
			r.out = append(r.out, ' ')
			r.out = append(r.out, s...)
		}
	}
	r.suffix = r.suffix[:0]
	for i := 0; i < n; i++ {
		r.out = append(r.out, r.opt.newline...)
	}
}

// finish ends the output with exactly one line break.
func (r *renderer) finish() []byte {
	if len(r.out) > 0 || len(r.suffix) > 0 {
		r.flushLine(1)
	}
	return r.out
}
