package model

import (
	"sort"

	"github.com/pqls/pqls/grammar/ast"
)

// IdentRef is an identifier in a file of the project.
type IdentRef struct {
	File  *File
	Ident *ast.Ident
}

// RefsTo returns every identifier in the project that refers to d, in
// file and source order. The defining identifier is not included.
func (prog *Program) RefsTo(d *Def) []IdentRef {
	var out []IdentRef
	for _, f := range prog.Files {
		start := len(out)
		for id, to := range f.Refs() {
			if to == d || d.Member != nil && to.Member == d.Member {
				out = append(out, IdentRef{f, id})
			}
		}
		part := out[start:]
		sort.Slice(part, func(i, j int) bool { return f.AST.Offset(part[i].Ident.NamePos) < f.AST.Offset(part[j].Ident.NamePos) })
	}
	return out
}
