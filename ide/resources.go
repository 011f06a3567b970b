package ide

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
)

// Navigation through the strings that name other files: the key of
// Extension.LoadString("Key") leads to its <data name="Key"> in
// resources.resx, and a file name given to Extension.Contents (or a module
// loader) leads to the file.

// textArgAt returns the call whose first argument is the plain text literal
// at off, with the literal's value.
func textArgAt(prog *model.Program, f *model.File, off int) (call *ast.InvokeExpr, lit *ast.Literal, value string) {
	root := f.AST.Root()
	if root == nil {
		return nil, nil, ""
	}
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil || lit != nil {
			return false
		}
		s, e := f.AST.Span(n)
		if off < s || off > e {
			return false
		}
		if c, ok := n.(*ast.InvokeExpr); ok && len(c.Args) > 0 {
			if l, ok := c.Args[0].(*ast.Literal); ok && l.Kind == token.TEXT {
				ls, le := f.AST.Span(l)
				if ls < off && off < le || off == le && le > ls+1 && l.Value[len(l.Value)-1] != '"' {
					call, lit = c, l
					value, _ = model.Text(l)
					return false
				}
			}
		}
		return true
	})
	return call, lit, value
}

// calleeName returns the name a call's function is written as, or "".
func calleeName(c *ast.InvokeExpr) string {
	if id, ok := model.Unparen(c.Fun).(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// resourceKeyAt returns the resources.resx key at off: the text given to
// Extension.LoadString there.
func resourceKeyAt(prog *model.Program, f *model.File, off int) (key string, lit *ast.Literal, ok bool) {
	call, lit, value := textArgAt(prog, f, off)
	if call == nil || calleeName(call) != "Extension.LoadString" {
		return "", nil, false
	}
	return value, lit, true
}

// resourceDef returns where key is defined in resources.resx.
func resourceDef(prog *model.Program, key string) (Location, bool) {
	p := prog.Project
	if p == nil || p.Resx == "" {
		return Location{}, false
	}
	sp, ok := p.ResourceSpans[key]
	if !ok {
		return Location{}, false
	}
	return Location{Path: p.Resx, Start: sp.Name.Start, End: sp.Name.End}, true
}

// resourceUses returns the text of every Extension.LoadString(key) of the
// project, without the quotes; nil when p finds its context cancelled.
func resourceUses(p *poller, prog *model.Program, key string) []Location {
	var out []Location
	for _, f := range prog.Files {
		root := f.AST.Root()
		if root == nil {
			continue
		}
		ast.Inspect(root, func(n ast.Node) bool {
			if p.canceled() {
				return false
			}
			c, ok := n.(*ast.InvokeExpr)
			if !ok || len(c.Args) == 0 || calleeName(c) != "Extension.LoadString" {
				return true
			}
			if l, ok := c.Args[0].(*ast.Literal); ok && l.Kind == token.TEXT {
				if v, _ := model.Text(l); v == key && !strings.Contains(l.Value[1:len(l.Value)-1], `""`) {
					s, e := f.AST.Span(l)
					out = append(out, Location{f.Path, s + 1, e - 1})
				}
			}
			return true
		})
	}
	if p.err != nil {
		return nil
	}
	sortLocations(out)
	return out
}

// resourceReferences returns the uses of the resources.resx key named
// at off, with its definition if includeDecl; ok is false if no key is
// named there. The locations are nil when p finds its context cancelled.
func resourceReferences(p *poller, prog *model.Program, f *model.File, off int, includeDecl bool) ([]Location, bool) {
	key, _, ok := resourceKeyAt(prog, f, off)
	if !ok {
		return nil, false
	}
	return keyReferences(p, prog, key, includeDecl), true
}

// keyReferences returns the uses of key, and its definition if
// includeDecl; nil when p finds its context cancelled.
func keyReferences(p *poller, prog *model.Program, key string, includeDecl bool) []Location {
	uses := resourceUses(p, prog, key)
	if p.err != nil {
		return nil
	}
	var out []Location
	if includeDecl {
		if d, ok := resourceDef(prog, key); ok {
			out = append(out, d)
		}
	}
	return append(out, uses...)
}

// renameResource returns the edits that rename the resources.resx key at
// off in the resx file and in every Extension.LoadString naming it.
func renameResource(p *poller, prog *model.Program, f *model.File, off int, newName string) ([]analysis.TextEdit, bool, error) {
	key, _, ok := resourceKeyAt(prog, f, off)
	if !ok {
		return nil, false, nil
	}
	edits, err := renameKey(p, prog, key, newName)
	return edits, true, err
}

// renameKey returns the edits that rename the resources.resx key, or p's
// error when p finds its context cancelled.
func renameKey(p *poller, prog *model.Program, key, newName string) ([]analysis.TextEdit, error) {
	if _, ok := resourceDef(prog, key); !ok {
		return nil, fmt.Errorf("resources.resx has no string named %q", key)
	}
	if strings.TrimSpace(newName) == "" || strings.ContainsAny(newName, "\"<>&'") || strings.IndexFunc(newName, unicode.IsControl) >= 0 {
		return nil, fmt.Errorf("%q cannot name a string of resources.resx: use letters, digits, dots and underscores", newName)
	}
	if _, taken := prog.Project.Resources[newName]; taken && newName != key {
		return nil, fmt.Errorf("resources.resx already has a string named %q", newName)
	}
	locs := keyReferences(p, prog, key, true)
	if p.err != nil {
		return nil, p.err
	}
	edits := make([]analysis.TextEdit, 0, len(locs))
	for _, l := range locs {
		edits = append(edits, analysis.TextEdit{Path: l.Path, Start: l.Start, End: l.End, NewText: newName})
	}
	return edits, nil
}

// The same, asked from resources.resx itself: the cursor on the name of a
// <data name="…"> element.

// ResxKeyAt returns the key whose name in the project's resources.resx, at
// path, holds off, with the name's location.
func ResxKeyAt(prog *model.Program, path string, off int) (string, Location, bool) {
	p := prog.Project
	if p == nil || p.Resx == "" || p.Resx != path {
		return "", Location{}, false
	}
	for key, sp := range p.ResourceSpans {
		if sp.Name.Start <= off && off <= sp.Name.End {
			return key, Location{path, sp.Name.Start, sp.Name.End}, true
		}
	}
	return "", Location{}, false
}

// ResxReferences returns the uses of the key named at off in
// resources.resx, and its own name if includeDecl. It stops with ctx's
// error, and no locations, when ctx is cancelled.
func ResxReferences(ctx context.Context, prog *model.Program, path string, off int, includeDecl bool) ([]Location, error) {
	key, _, ok := ResxKeyAt(prog, path, off)
	if !ok {
		return nil, nil
	}
	p := newPoller(ctx)
	locs := keyReferences(p, prog, key, includeDecl)
	return locs, p.err
}

// ResxRename renames the key named at off in resources.resx, there and in
// every Extension.LoadString naming it. It stops with ctx's error, and no
// edits, when ctx is cancelled.
func ResxRename(ctx context.Context, prog *model.Program, path string, off int, newName string) ([]analysis.TextEdit, error) {
	key, _, ok := ResxKeyAt(prog, path, off)
	if !ok {
		return nil, ErrNoName
	}
	return renameKey(newPoller(ctx), prog, key, newName)
}

// stringDefinition returns where the text at off leads: a resources.resx
// key, or a file of the project.
func stringDefinition(prog *model.Program, f *model.File, off int) ([]Location, bool) {
	call, lit, value := textArgAt(prog, f, off)
	if call == nil {
		return nil, false
	}
	if calleeName(call) == "Extension.LoadString" {
		if d, ok := resourceDef(prog, value); ok {
			return []Location{d}, true
		}
		return nil, true
	}
	_ = lit
	if path := ProjectFile(prog, value); path != "" {
		return []Location{{Path: path}}, true
	}
	return nil, false
}

// moduleDefinition returns where the function or value that d's value
// loads from a .pqm module is written, if it loads one.
func moduleDefinition(prog *model.Program, d *model.Def) (Location, bool) {
	if d.Value == nil || prog.DefFile(d) == nil {
		return Location{}, false
	}
	v, vf := valueThroughModules(prog, prog.DefFile(d), d.Value)
	if v == nil || vf == nil || vf == prog.DefFile(d) || vf.Role != project.Module {
		return Location{}, false
	}
	for _, def := range vf.Defs() {
		if def.Value == v && def.Ident != nil {
			s, e := vf.AST.Span(def.Ident)
			return Location{vf.Path, s, e}, true
		}
	}
	s, _ := vf.AST.Span(v)
	return Location{vf.Path, s, s}, true
}

// valueThroughModules is prog.ValueOf, and where that stops at a call whose
// first argument names a .pqm module of the project — a loader the model
// does not see, as when an unfinished edit above swallowed the loader's
// definition — it goes on into the module.
func valueThroughModules(prog *model.Program, f *model.File, x ast.Expr) (ast.Expr, *model.File) {
	v, vf := prog.ValueOf(f, x)
	call, ok := v.(*ast.InvokeExpr)
	if !ok || vf == nil || len(call.Args) == 0 {
		return v, vf
	}
	name, ok := model.Text(call.Args[0])
	if !ok || !strings.HasSuffix(strings.ToLower(name), ".pqm") {
		return v, vf
	}
	path := ProjectFile(prog, name)
	mf := prog.ByPath[path]
	if mf == nil || mf.Role != project.Module {
		return v, vf
	}
	root, ok := mf.AST.Root().(ast.Expr)
	if !ok {
		return v, vf
	}
	return prog.ValueOf(mf, root)
}
