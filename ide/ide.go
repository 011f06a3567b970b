// Package ide answers the editor questions that are not certification
// findings — hover, go to definition, references, rename, document symbols,
// completion and semantic tokens — over the semantic model, in byte offsets.
// The LSP server converts its positions at the edge.
package ide

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/scanner"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// Location is a range in a file.
type Location struct {
	Path       string
	Start, End int
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
	if d := f.Ref(id); d != nil {
		return id, d
	}
	for _, d := range f.Defs() {
		if d.Ident == id {
			return id, d
		}
	}
	return id, nil
}

// Definition returns where the name at off is defined. A name bound to a
// function loaded from a .pqm module leads into the module, past the
// loader; the key of Extension.LoadString("…") leads to its string in
// resources.resx, and a file name given to Extension.Contents to the file.
func Definition(prog *model.Program, f *model.File, off int) []Location {
	if locs, ok := stringDefinition(prog, f, off); ok {
		return locs
	}
	_, d := defAt(prog, f, off)
	if d == nil || d.Ident == nil || prog.DefFile(d) == nil {
		return nil
	}
	if loc, ok := moduleDefinition(prog, d); ok {
		return []Location{loc}
	}
	start, end := prog.DefFile(d).AST.Span(d.Ident)
	return []Location{{Path: prog.DefFile(d).Path, Start: start, End: end}}
}

// References returns every use of the name at off across the project's
// files, and its definition when includeDecl is set. For the key of an
// Extension.LoadString, they are the calls naming it and its string in
// resources.resx. It stops with ctx's error, and no locations, when ctx is
// cancelled.
func References(ctx context.Context, prog *model.Program, f *model.File, off int, includeDecl bool) ([]Location, error) {
	p := newPoller(ctx)
	if locs, ok := resourceReferences(p, prog, f, off, includeDecl); ok {
		return locs, p.err
	}
	_, d := defAt(prog, f, off)
	if d == nil {
		return nil, nil
	}
	var out []Location
	if includeDecl && d.Ident != nil && prog.DefFile(d) != nil {
		start, end := prog.DefFile(d).AST.Span(d.Ident)
		out = append(out, Location{prog.DefFile(d).Path, start, end})
	}
	for _, file := range prog.Files {
		for id, ref := range file.Refs() {
			if p.canceled() {
				return nil, p.err
			}
			if ref == d || d.Kind == model.DefLibrary && ref.Kind == model.DefLibrary && ref.Name == d.Name {
				start, end := file.AST.Span(id)
				out = append(out, Location{file.Path, start, end})
			}
		}
	}
	sortLocations(out)
	return out, nil
}

// sortLocations orders locations by file, then by position.
func sortLocations(out []Location) {
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Start < out[j].Start
	})
}

// PrepareRename returns the range of the renamable name at off, or ok false
// if there is none there (library names cannot be renamed). The key of an
// Extension.LoadString that resources.resx defines is renamable too: the
// range is the text between the quotes.
func PrepareRename(prog *model.Program, f *model.File, off int) (Location, bool) {
	if key, lit, ok := resourceKeyAt(prog, f, off); ok {
		if _, defined := resourceDef(prog, key); defined && !strings.Contains(lit.Value, `""`) {
			s, e := f.AST.Span(lit)
			return Location{f.Path, s + 1, e - 1}, true
		}
		return Location{}, false
	}
	id, d := defAt(prog, f, off)
	if id == nil || d == nil || d.Kind == model.DefLibrary || d.Ident == nil {
		return Location{}, false
	}
	start, end := f.AST.Span(id)
	return Location{f.Path, start, end}, true
}

// ErrNoName is the error of Rename where there is no name to rename.
var ErrNoName = errors.New("there is no name to rename here")

// Rename returns the edits that rename the name at off to newName
// everywhere in the project; for a resources.resx key, in resources.resx and
// every Extension.LoadString naming it. newName is checked with CheckName, so it may be
// typed plain or as a quoted identifier; a name that is not a plain
// identifier is written as a quoted identifier. A new name that another
// definition of the same scope already has is refused: the rename would
// merge the two. Field names in field accesses are not renamed, as they need
// not name this binding. It stops with ctx's error, and no edits, when ctx
// is cancelled.
func Rename(ctx context.Context, prog *model.Program, f *model.File, off int, newName string) ([]analysis.TextEdit, error) {
	p := newPoller(ctx)
	if edits, ok, err := renameResource(p, prog, f, off, newName); ok {
		return edits, err
	}
	_, d := defAt(prog, f, off)
	if _, ok := PrepareRename(prog, f, off); !ok {
		if d != nil && d.Kind == model.DefLibrary {
			return nil, fmt.Errorf("%s is a standard library name and cannot be renamed", d.Name)
		}
		return nil, ErrNoName
	}
	name, err := CheckName(newName)
	if err != nil {
		return nil, err
	}
	if name != d.Name {
		if other := sameScope(prog, d, name); other != nil {
			return nil, fmt.Errorf("%s is already defined here; renaming %s to it would merge the two", Spell(name), Spell(d.Name))
		}
	}
	text := Spell(name)
	locs, err := References(ctx, prog, f, off, true)
	if err != nil {
		return nil, err
	}
	edits := make([]analysis.TextEdit, 0, len(locs))
	for _, loc := range locs {
		edits = append(edits, analysis.TextEdit{Path: loc.Path, Start: loc.Start, End: loc.End, NewText: text})
	}
	if err := checkRename(p, prog, edits); err != nil {
		return nil, err
	}
	return edits, nil
}

// sameScope returns the definition named name that d's scope already has.
func sameScope(prog *model.Program, d *model.Def, name string) *model.Def {
	if d.Kind == model.DefMember && prog.DefFile(d) == prog.Main {
		if m := prog.Members[name]; m != nil {
			return m.Def
		}
		return nil
	}
	if prog.DefFile(d) == nil {
		return nil
	}
	for _, o := range prog.DefFile(d).Defs() {
		if o != d && o.Name == name && o.Scope == d.Scope && o.Kind == d.Kind {
			return o
		}
	}
	return nil
}

// CheckName checks a name typed for a rename and returns the name it
// stands for: the text itself, or, for a quoted identifier (#"…"), the name
// it spells. Names are refused when empty, when they hold line breaks or
// other control characters, or when they are not valid UTF-8.
func CheckName(newName string) (string, error) {
	name := newName
	if strings.HasPrefix(newName, `#"`) {
		var s scanner.Scanner
		s.Init([]byte(newName), 0)
		tok, start, end, msg := s.Scan()
		if tok != token.QUOTED_IDENT || start != 0 || end != len(newName) || msg != "" {
			return "", fmt.Errorf("%s is not a well-formed quoted identifier", newName)
		}
		name = scanner.Unquote(newName)
	}
	switch {
	case strings.TrimSpace(name) == "":
		return "", fmt.Errorf("the new name is empty")
	case !utf8.ValidString(name):
		return "", fmt.Errorf("the new name is not valid UTF-8")
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "", fmt.Errorf("the new name %q holds a line break or another control character", name)
	case strings.TrimSpace(name) != name:
		return "", fmt.Errorf("the new name %q starts or ends with a space", name)
	}
	return name, nil
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
