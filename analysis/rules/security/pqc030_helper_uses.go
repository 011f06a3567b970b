package security

import (
	"fmt"
	"path/filepath"
	"slices"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
)

// A helper whose request the PQC030 fix changes may have callers the model
// does not see. A module loaded with Expression.Evaluate resolves only the
// shared members; when the connector hands it a helper in the environment
// record (#shared & [Fetch = Fetch]) or as an argument, the module's calls
// of the helper are calls of nothing to the model, so they are missing
// from CallSites. A shared member is exported: code outside the connector
// may call it too. Moving a query string into such a helper would change
// the requests of those callers (the parameter goes twice), and a fix
// made at the callers leaves theirs as they are.

// unseenUse tells how the helper fn, written in file ff, may be called
// other than at sites: where says so for a message, exported that the
// helper is a shared member and handed that connector code takes it as a
// value — both may be set. Both false means that every use of the helper
// the model can find is one of the calls at sites.
type unseenUse struct {
	where    string
	exported bool // a shared member: callable from outside the connector
	handed   bool // used as a value by the connector's own code
	// hidden are the calls of the helper in a module that gets it in the
	// environment record of the Expression.Evaluate that loads it, found
	// by name: the model does not resolve them (see evaluated).
	hidden []model.CallSite
}

// helperUses follows the helper fn from its definition to every use of
// it: through the names, record fields and aliases that hold it, up to
// the calls at sites. Any other use — the helper given as a value to
// code, a record holding it passed around, a definition it cannot name —
// is a use whose calls it cannot see.
func helperUses(p *analysis.Pass, fn *ast.FunctionExpr, ff *model.File, sites []model.CallSite) unseenUse {
	w := &useWalker{p: p, calls: map[*ast.InvokeExpr]bool{}, seen: map[*model.Def]bool{}}
	for _, s := range sites {
		w.calls[s.Call] = true
	}
	w.value(ff, fn, nil, 0)
	return w.out
}

type useWalker struct {
	p     *analysis.Pass
	calls map[*ast.InvokeExpr]bool
	seen  map[*model.Def]bool
	out   unseenUse

	seenFiles map[*model.File]bool // modules whose loaders were followed
}

const maxUseDepth = 24

// handed records a use at node x of f whose calls the walker cannot see.
func (w *useWalker) handed(f *model.File, x ast.Node, what string) {
	if w.out.handed {
		return
	}
	w.out.handed = true
	start, _ := analysis.Span(f, x)
	line := f.AST.Lines.UTF8(start).Line + 1
	w.out.where = join(w.out.where, fmt.Sprintf("%s at %s:%d", what, filepath.Base(f.Path), line))
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// value follows x, an expression of f whose value is the helper — or,
// with path, a record that holds the helper at that path of field names —
// to what uses it.
func (w *useWalker) value(f *model.File, x ast.Node, path []string, depth int) {
	if depth > maxUseDepth {
		w.handed(f, x, "it goes through more names than pqls follows")
		return
	}
	par := f.Parent(x)
	switch v := par.(type) {
	case *ast.ParenExpr, *ast.InclusiveRef:
		w.value(f, par, path, depth+1)
		return
	case *ast.BinaryExpr:
		if v.X == x && (v.Op == token.META || v.Op == token.AS) {
			w.value(f, par, path, depth+1)
			return
		}
	case *ast.LetExpr:
		if v.Body == x {
			w.value(f, par, path, depth+1)
			return
		}
	case *ast.InvokeExpr:
		if v.Fun == x && len(path) == 0 {
			if !w.calls[v] {
				if _, self := x.(*ast.InclusiveRef); self {
					w.handed(f, v, "it calls itself with @ and a URL of its own")
				} else {
					w.handed(f, v, "it is called where pqls cannot tell the call's arguments")
				}
			}
			return // a call
		}
		if len(v.Args) > 0 && v.Args[0] == x && w.p.Prog.CallName(f, v) == "Value.ReplaceType" {
			w.value(f, par, path, depth+1)
			return
		}
	case *ast.FieldAccess:
		if v.X == x && v.Name != nil && len(path) > 0 {
			if v.Name.Name == path[0] {
				w.value(f, par, path[1:], depth+1)
			}
			return // another field of the record
		}
	case *ast.Binding:
		if v.Value == x {
			w.name(f, v, v.Name, path, depth)
			return
		}
	case *ast.Member:
		if v.Value == x {
			if v.Shared.IsValid() && !w.out.exported {
				w.out.exported = true
				w.out.where = join(w.out.where, "it is the shared member "+v.Name.Name+", which code outside the connector can call")
			}
			w.name(f, v, v.Name, path, depth)
			return
		}
	case *ast.Field:
		if v.Value == x {
			if rec, ok := f.Parent(v).(*ast.RecordExpr); ok {
				// Its siblings may name it; the record may be read.
				w.name(f, v, v.Name, path, depth)
				w.value(f, rec, append([]string{v.Name.Name}, path...), depth+1)
				return
			}
		}
	case nil:
		if f.Role == project.Module {
			w.module(f, x, path, depth)
			return
		}
	}
	if len(path) == 1 && w.evaluated(f, x, path[0]) {
		return
	}
	what := "it " + describeUse(w.p, f, x)
	if len(path) > 0 {
		what = "a record holding it " + describeUse(w.p, f, x)
	}
	w.handed(f, x, what)
}

// name follows the uses of the name id that the binding, member or
// field def of f defines.
func (w *useWalker) name(f *model.File, def ast.Node, id *ast.Ident, path []string, depth int) {
	if id == nil {
		w.handed(f, def, "it is bound without a name")
		return
	}
	var d *model.Def
	for _, x := range f.Defs() {
		if x.Ident == id {
			d = x
			break
		}
	}
	if d == nil {
		w.handed(f, id, "it is bound to a name pqls cannot follow")
		return
	}
	if w.seen[d] {
		return
	}
	w.seen[d] = true
	for _, r := range w.p.Prog.RefsTo(d) {
		w.value(r.File, r.Ident, path, depth+1)
	}
}

// describeUse says what a use of the helper as a value at x does, for a
// message.
func describeUse(p *analysis.Pass, f *model.File, x ast.Node) string {
	for n, i := f.Parent(x), 0; n != nil && i < 8; n, i = f.Parent(n), i+1 {
		if c, ok := n.(*ast.InvokeExpr); ok && p.Prog.CallName(f, c) == "Expression.Evaluate" {
			return "is handed to the code Expression.Evaluate runs"
		}
	}
	return "is used as a value"
}

// module follows the uses of the module f, whose value root holds the
// helper, from the calls that load it as the model sees them: a call of
// Extension.LoadFunction or of Expression.Evaluate whose value is root.
// A module nothing loads that way is taken as used where pqls cannot see.
func (w *useWalker) module(f *model.File, root ast.Node, path []string, depth int) {
	if w.seenFiles[f] {
		return
	}
	if w.seenFiles == nil {
		w.seenFiles = map[*model.File]bool{}
	}
	w.seenFiles[f] = true
	// ValueOf goes through the module's let to its body, as it does from
	// a loader.
	rootX, _ := root.(ast.Expr)
	target, _ := w.p.Prog.ValueOf(f, rootX)
	found := false
	for _, g := range w.p.Prog.Files {
		for c := range g.Calls() {
			id, ok := model.Unparen(c.Fun).(*ast.Ident)
			if !ok || id.Name != "Extension.LoadFunction" && id.Name != "Expression.Evaluate" {
				continue
			}
			if v, vf := w.p.Prog.ValueOf(g, c); vf == f && v != nil && v == target {
				found = true
				w.value(g, c, path, depth+1)
			}
		}
	}
	if !found {
		w.handed(f, root, "it is the value of a module that pqls sees no loader of")
	}
}

// evaluated handles rec, a record of f that holds the helper as its field
// name, when rec is the environment of an Expression.Evaluate that loads a
// module — alone or as the right operand of the & that makes it, so that
// no later field takes the name over. The module's names that it does not
// bind itself come from that environment: its calls of name are calls of
// the helper, which go to w.out.hidden. It reports false, leaving the use
// unseen, for any other shape, or when the module uses name other than by
// calling it.
func (w *useWalker) evaluated(f *model.File, rec ast.Node, name string) bool {
	n := rec
	var call *ast.InvokeExpr
	for call == nil {
		switch v := f.Parent(n).(type) {
		case *ast.ParenExpr:
			n = v
		case *ast.BinaryExpr:
			if v.Op != token.AND_TEXT || v.Y != n {
				return false
			}
			n = v
		case *ast.InvokeExpr:
			if len(v.Args) != 2 || v.Args[1] != n || w.p.Prog.CallName(f, v) != "Expression.Evaluate" {
				return false
			}
			call = v
		default:
			return false
		}
	}
	_, mf := w.p.Prog.ValueOf(f, call)
	if mf == nil || mf.Role != project.Module {
		return false
	}
	root, ok := mf.AST.Root().(ast.Expr)
	if !ok {
		return false
	}
	var sites []model.CallSite
	ok = true
	ast.Inspect(root, func(n ast.Node) bool {
		id, isID := n.(*ast.Ident)
		if !ok || !isID || id.Name != name || mf.Ref(id) != nil || !freeRef(mf, id) {
			return ok
		}
		if c, isCall := mf.Parent(id).(*ast.InvokeExpr); isCall && c.Fun == ast.Expr(id) {
			sites = append(sites, model.CallSite{File: mf, Call: c})
			return true
		}
		ok = false // the module passes the helper on
		return false
	})
	if !ok {
		return false
	}
	// The same module may be loaded more than once.
	for _, site := range sites {
		if !slices.Contains(w.out.hidden, site) {
			w.out.hidden = append(w.out.hidden, site)
		}
	}
	return true
}

// freeRef reports whether the identifier id of f, which resolves to
// nothing, stands for a value: not the name a field, binding, parameter
// or field access spells.
func freeRef(f *model.File, id *ast.Ident) bool {
	if id.Kind != ast.Regular && id.Kind != ast.Quoted {
		return false
	}
	switch v := f.Parent(id).(type) {
	case *ast.Field:
		return v.Name != id
	case *ast.FieldAccess:
		return v.Name != id
	case *ast.Binding:
		return v.Name != id
	case *ast.Param, *ast.FieldSpec:
		return false
	}
	return true
}
