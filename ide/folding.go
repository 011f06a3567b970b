package ide

import (
	"context"
	"sort"
	"strings"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// FoldKind is what a folding range holds.
type FoldKind int

const (
	FoldRegion  FoldKind = iota // code: a let, a record, a list, a member
	FoldComment                 // a block comment or a run of line comments
)

// Fold is a stretch the editor can fold, in byte offsets: the line of
// Start stays visible, the lines after it up to the line of End are hidden.
// Folds are candidates: the server drops those within one line and keeps
// one per start line, in its own line numbering.
type Fold struct {
	Start, End int
	Kind       FoldKind
}

// Folds returns the folding ranges of f: the section, its members, lets (up
// to their `in`), records, lists, argument lists, record types and ifs,
// block comments, and runs of two or more line comments each alone on its
// line. A closing bracket alone on its line stays visible, as in the
// editors' own folding. Wider ranges come first.
func Folds(f *model.File) []Fold {
	file := f.AST
	var out []Fold
	add := func(start, end int, kind FoldKind) {
		if end > start && hasBreak(file.Src[start:end]) {
			out = append(out, Fold{start, end, kind})
		}
	}
	// closeAt folds from start to the line before a closing token at
	// close, or to end when the node is not closed.
	closeAt := func(start int, close token.Pos, end int) {
		if close.IsValid() {
			c := file.Offset(close)
			if firstOnLine(file.Src, c) {
				add(start, lineStartBefore(file.Src, c), FoldRegion)
				return
			}
		}
		add(start, end, FoldRegion)
	}
	if root := file.Root(); root != nil {
		ast.Inspect(root, func(n ast.Node) bool {
			if n == nil {
				return false
			}
			start, end := file.Span(n)
			switch n := n.(type) {
			case *ast.Section:
				add(file.Offset(n.Section), end, FoldRegion)
			case *ast.Member:
				add(start, closingLine(file.Src, start, end), FoldRegion)
			case *ast.IfExpr:
				add(start, end, FoldRegion)
			case *ast.LetExpr:
				closeAt(start, n.In, end)
			case *ast.RecordExpr:
				closeAt(start, n.Rbrack, end)
			case *ast.ListExpr:
				closeAt(start, n.Rbrace, end)
			case *ast.RecordType:
				closeAt(start, n.Rbrack, end)
			case *ast.InvokeExpr:
				closeAt(file.Offset(n.Lparen), n.Rparen, end)
			}
			return true
		})
	}
	runStart, runEnd, runLen := -1, -1, 0
	flush := func() {
		if runLen >= 2 {
			add(runStart, runEnd, FoldComment)
		}
		runStart, runLen = -1, 0
	}
	for _, c := range file.Comments {
		start, end := file.Span(&c)
		if c.Block() {
			flush()
			add(start, end, FoldComment)
			continue
		}
		if runLen > 0 && nextLine(file.Src, runEnd, start) {
			runEnd, runLen = end, runLen+1
			continue
		}
		flush()
		if firstOnLine(file.Src, start) {
			runStart, runEnd, runLen = start, end, 1
		}
	}
	flush()
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Start != out[j].Start {
			return out[i].Start < out[j].Start
		}
		return out[i].End > out[j].End
	})
	return out
}

func hasBreak(b []byte) bool {
	for _, c := range b {
		if c == '\n' || c == '\r' {
			return true
		}
	}
	return false
}

// nextLine reports whether only blanks and a single line break stand
// between end and start.
func nextLine(src []byte, end, start int) bool {
	breaks := 0
	for i := end; i < start; i++ {
		switch src[i] {
		case ' ', '\t':
		case '\n':
			if i == 0 || src[i-1] != '\r' {
				breaks++
			}
		case '\r':
			breaks++
		default:
			return false
		}
	}
	return breaks == 1
}

// closingLine returns where a fold of [start, end) ends: before the line
// of a closing bracket that ends it (with a ; or , after it) and starts
// its line, else at end.
func closingLine(src []byte, start, end int) int {
	i := end - 1
	for i > start && strings.IndexByte(" \t\r\n;,", src[i]) >= 0 {
		i--
	}
	if i > start && strings.IndexByte(")]}", src[i]) >= 0 && firstOnLine(src, i) {
		return lineStartBefore(src, i)
	}
	return end
}

// firstOnLine reports whether only blanks stand before off on its line.
func firstOnLine(src []byte, off int) bool {
	for i := off - 1; i >= 0; i-- {
		switch src[i] {
		case ' ', '\t':
			continue
		case '\n', '\r':
			return true
		}
		return false
	}
	return true
}

// lineStartBefore returns an offset on the line before the one holding off.
func lineStartBefore(src []byte, off int) int {
	i := off
	for i > 0 && src[i-1] != '\n' && src[i-1] != '\r' {
		i--
	}
	if i > 0 {
		i-- // the line break
		if i > 0 && src[i] == '\n' && src[i-1] == '\r' {
			i--
		}
	}
	return i
}

// SelectionRanges returns, for off, the ranges an editor's "expand
// selection" steps through, innermost first: the name or literal at the
// cursor, then each enclosing expression, binding, member and the document.
func SelectionRanges(f *model.File, off int) [][2]int {
	file := f.AST
	chain := [][2]int{{0, len(file.Src)}} // outermost first
	if root := file.Root(); root != nil {
		ast.Inspect(root, func(n ast.Node) bool {
			if n == nil {
				return false
			}
			start, end := file.Span(n)
			if off < start || off > end {
				return false
			}
			chain = append(chain, [2]int{start, end})
			return true
		})
	}
	// Innermost first, each range strictly inside the next.
	var out [][2]int
	for i := len(chain) - 1; i >= 0; i-- {
		r := chain[i]
		if len(out) > 0 {
			last := out[len(out)-1]
			if r == last || r[0] > last[0] || r[1] < last[1] {
				continue
			}
		}
		out = append(out, r)
	}
	return out
}

// Highlight is a use or the definition of a name in one document.
type Highlight struct {
	Start, End int
	Write      bool // the definition
}

// Highlights returns the definition and uses of the name at off within f,
// or the Extension.LoadString calls of f naming the resources.resx key at
// off. It stops with ctx's error, and no highlights, when ctx is cancelled.
func Highlights(ctx context.Context, prog *model.Program, f *model.File, off int) ([]Highlight, error) {
	p := newPoller(ctx)
	if locs, ok := resourceReferences(p, prog, f, off, false); ok {
		if p.err != nil {
			return nil, p.err
		}
		// The same resources.resx key named again in this document.
		var out []Highlight
		for _, l := range locs {
			if l.Path == f.Path {
				out = append(out, Highlight{Start: l.Start, End: l.End})
			}
		}
		return out, nil
	}
	_, d := defAt(prog, f, off)
	if d == nil {
		return nil, nil
	}
	locs, err := References(ctx, prog, f, off, true)
	if err != nil {
		return nil, err
	}
	var out []Highlight
	for _, loc := range locs {
		if loc.Path != f.Path {
			continue
		}
		h := Highlight{Start: loc.Start, End: loc.End}
		if d.Ident != nil && prog.DefFile(d) == f {
			if s, _ := f.AST.Span(d.Ident); s == loc.Start {
				h.Write = true
			}
		}
		out = append(out, h)
	}
	return out, nil
}
