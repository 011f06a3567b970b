// Package ide answers the editor questions that are not certification
// findings — hover, go to definition, references, rename, document symbols,
// completion and semantic tokens — over the semantic model, in byte offsets.
// The LSP server converts its positions at the edge.
package ide

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pqls/pqls/analysis/model"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/scanner"
	"github.com/pqls/pqls/grammar/token"
)

// Location is a range in a file.
type Location struct {
	Path       string
	Start, End int
}

// Edit replaces [Start, End) of the file at Path with NewText.
type Edit struct {
	Path       string
	Start, End int
	NewText    string
}

// identAt returns the innermost identifier of f that contains offset off
// (its end included, so the cursor just after a name still finds it).
func identAt(f *model.File, off int) *ast.Ident {
	root := f.AST.Root()
	if root == nil {
		return nil
	}
	var found *ast.Ident
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		start, end := f.AST.Span(n)
		if off < start || off > end {
			return false
		}
		if id, ok := n.(*ast.Ident); ok {
			found = id
		}
		return true
	})
	return found
}

// defAt returns the definition of the name at off: the definition the
// identifier there refers to, or the one it defines.
func defAt(prog *model.Program, f *model.File, off int) (*ast.Ident, *model.Def) {
	id := identAt(f, off)
	if id == nil {
		return nil, nil
	}
	if d := f.Refs[id]; d != nil {
		return id, d
	}
	for _, d := range f.Defs {
		if d.Ident == id {
			return id, d
		}
	}
	return id, nil
}

// Definition returns where the name at off is defined.
func Definition(prog *model.Program, f *model.File, off int) []Location {
	_, d := defAt(prog, f, off)
	if d == nil || d.Ident == nil || d.File == nil {
		return nil
	}
	start, end := d.File.AST.Span(d.Ident)
	return []Location{{Path: d.File.Path, Start: start, End: end}}
}

// References returns every use of the name at off across the project's
// files, and its definition when includeDecl is set.
func References(prog *model.Program, f *model.File, off int, includeDecl bool) []Location {
	_, d := defAt(prog, f, off)
	if d == nil {
		return nil
	}
	var out []Location
	if includeDecl && d.Ident != nil && d.File != nil {
		start, end := d.File.AST.Span(d.Ident)
		out = append(out, Location{d.File.Path, start, end})
	}
	for _, file := range prog.Files {
		for id, ref := range file.Refs {
			if ref == d || d.Kind == model.DefLibrary && ref.Kind == model.DefLibrary && ref.Name == d.Name {
				start, end := file.AST.Span(id)
				out = append(out, Location{file.Path, start, end})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Start < out[j].Start
	})
	return out
}

// PrepareRename returns the range of the renamable name at off, or ok false
// if there is none there (library names cannot be renamed).
func PrepareRename(prog *model.Program, f *model.File, off int) (Location, bool) {
	id, d := defAt(prog, f, off)
	if id == nil || d == nil || d.Kind == model.DefLibrary || d.Ident == nil {
		return Location{}, false
	}
	start, end := f.AST.Span(id)
	return Location{f.Path, start, end}, true
}

// Rename returns the edits that rename the name at off to newName
// everywhere in the project. A name that is not a plain identifier is
// written as a quoted identifier; field names in field accesses are not
// renamed, as they need not name this binding.
func Rename(prog *model.Program, f *model.File, off int, newName string) ([]Edit, error) {
	if _, ok := PrepareRename(prog, f, off); !ok {
		return nil, fmt.Errorf("there is no name to rename here")
	}
	if newName == "" {
		return nil, fmt.Errorf("the new name is empty")
	}
	text := Spell(newName)
	var edits []Edit
	for _, loc := range References(prog, f, off, true) {
		edits = append(edits, Edit{Path: loc.Path, Start: loc.Start, End: loc.End, NewText: text})
	}
	return edits, nil
}

// Spell returns name as M source: itself if it is a regular identifier,
// otherwise a quoted identifier.
func Spell(name string) string {
	if isRegular(name) {
		return name
	}
	return `#"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

func isRegular(name string) bool {
	if name == "" || token.Lookup(name) != token.IDENT {
		return false
	}
	var s scanner.Scanner
	s.Init([]byte(name), 0)
	tok, start, end, msg := s.Scan()
	return tok == token.IDENT && start == 0 && end == len(name) && msg == ""
}
