package ide

import (
	"fmt"
	"path/filepath"
	"sort"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/model"
)

// checkRename verifies that edits, a rename, change the meaning of no name
// in the project: the project is parsed and resolved again with the edits
// applied, and every identifier must refer to the same definition as
// before (the renamed one under its new name), and no identifier that
// referred to nothing may now refer to something. A rename that a binding
// of an enclosing or inner scope would capture is refused this way. It
// returns p's error when p finds its context cancelled.
func checkRename(p *poller, prog *model.Program, edits []analysis.TextEdit) error {
	byPath := map[string][]analysis.TextEdit{}
	for _, e := range edits {
		byPath[e.Path] = append(byPath[e.Path], e)
	}
	// growth[path][i] is how much the first i edits of path lengthen it.
	growth := map[string][]int{}
	for path, es := range byPath {
		sort.Slice(es, func(i, j int) bool { return es[i].Start < es[j].Start })
		g := make([]int, len(es)+1)
		for i, e := range es {
			g[i+1] = g[i] + len(e.NewText) - (e.End - e.Start)
		}
		growth[path] = g
	}
	// shift maps an offset of the old text of path, outside the edits or at
	// the start of one, to the new text. It searches the edits (summing
	// them for every reference made a rename of a name used n times cost n²).
	shift := func(path string, off int) int {
		es := byPath[path]
		if len(es) == 0 {
			return off
		}
		i := sort.Search(len(es), func(i int) bool { return es[i].End > off })
		return off + growth[path][i]
	}
	if p.now() {
		return p.err
	}
	var (
		main   *model.File
		others []*model.File
	)
	for _, f := range prog.Files {
		nf := f
		if es := byPath[f.Path]; len(es) > 0 {
			src, err := analysis.ApplyEdits(f.AST.Src, es)
			if err != nil {
				return fmt.Errorf("rename of %s: %w", f.Path, err)
			}
			nf = &model.File{Path: f.Path, AST: parser.Parse(f.AST.Name, src), Role: f.Role}
		} else {
			// model.New resets the files it is given: a copy keeps prog's.
			nf = &model.File{Path: f.Path, AST: f.AST, Role: f.Role}
		}
		if f == prog.Main {
			main = nf
		} else {
			others = append(others, nf)
		}
	}
	after := model.New(prog.Project, main, others...)
	if p.now() {
		return p.err
	}

	// The meaning of a reference: what it refers to, by the place of the
	// defining name in the new texts.
	meaning := func(in *model.Program, d *model.Def, mapped bool) string {
		place := func(f *model.File, n ast.Node) string {
			start, _ := f.AST.Span(n)
			if mapped {
				start = shift(f.Path, start)
			}
			return fmt.Sprintf("%s:%d", f.Path, start)
		}
		switch {
		case d.Kind == model.DefLibrary:
			return "library " + d.Name
		case in.DefFile(d) == nil:
			return "?"
		case d.Ident != nil:
			return place(in.DefFile(d), d.Ident)
		case d.Scope != nil:
			return fmt.Sprintf("%d %s", d.Kind, place(in.DefFile(d), d.Scope))
		}
		return "?"
	}
	for _, f := range prog.Files {
		nf := after.ByPath[f.Path]
		before := map[int]string{}
		for id, d := range f.Refs() {
			if p.canceled() {
				return p.err
			}
			start, _ := f.AST.Span(id)
			before[shift(f.Path, start)] = meaning(prog, d, true)
		}
		now := map[int]string{}
		for id, d := range nf.Refs() {
			if p.canceled() {
				return p.err
			}
			start, _ := nf.AST.Span(id)
			now[start] = meaning(after, d, false)
		}
		for off, m := range now {
			if before[off] != m {
				return captured(nf, off)
			}
		}
		for off := range before {
			if _, ok := now[off]; !ok {
				return captured(nf, off)
			}
		}
	}
	return nil
}

// captured describes the reference at off of the renamed text f (line
// numbers are those of the text before: a rename adds no line).
func captured(f *model.File, off int) error {
	name := "a name"
	if id := identAt(f, off); id != nil {
		name = Spell(id.Name)
	}
	return fmt.Errorf("the rename would change what %s on line %d of %s refers to", name, f.AST.Lines.UTF8(off).Line+1, filepath.Base(f.Path))
}
