package model

import (
	"slices"

	"github.com/pqls/pqls/grammar/ast"
)

// scope is one level of name bindings.
type scope struct {
	names map[string]*Def // the section's members, which can be many
	local []*Def          // let bindings, parameters, fields: few, so a slice
	outer *scope
	// self is the field or let binding whose initializer this (otherwise
	// empty) scope encloses: an exclusive reference — a name without @ —
	// does not see the variable being initialized, so `[StartLogin =
	// StartLogin]` refers to the StartLogin outside the record.
	self *Def
}

// find returns the binding of name at this level; the last one wins.
func (s *scope) find(name string) *Def {
	for i := len(s.local) - 1; i >= 0; i-- {
		if s.local[i].Name == name {
			return s.local[i]
		}
	}
	if s.names != nil {
		return s.names[name]
	}
	return nil
}

func (s *scope) lookup(name string) *Def {
	var self *Def
	for ; s != nil; s = s.outer {
		if d := s.find(name); d != nil && d != self {
			return d
		}
		if s.self != nil {
			self = s.self
		}
	}
	return nil
}

// lookupInclusive finds name for an @ reference, which sees the variable
// being initialized.
func (s *scope) lookupInclusive(name string) *Def {
	for ; s != nil; s = s.outer {
		if d := s.find(name); d != nil {
			return d
		}
	}
	return nil
}

// libraryDef returns the one Def of the program for a library name, or nil
// if the library has no such name.
func (prog *Program) libraryDef(name string) *Def {
	if d, ok := prog.library[name]; ok {
		return d
	}
	var d *Def
	if fn, ok := Library()[name]; ok {
		d = &Def{Kind: DefLibrary, Name: fn.Name}
	}
	prog.library[name] = d
	return d
}

type resolver struct {
	prog *Program
	file *File
	// member is the main document's member being resolved, or nil in
	// other files and outside members; see Member.Uses.
	member *Member
}

// resolve binds every identifier reference in f. In the main document the
// section's members are in scope; a module is evaluated against #shared, so
// it sees only the shared members; both see the library last.
func (prog *Program) resolve(f *File) {
	top := &scope{names: make(map[string]*Def, len(prog.MemberList))}
	for _, m := range prog.MemberList {
		if f == prog.Main || m.Shared {
			if _, dup := top.names[m.Name]; !dup {
				top.names[m.Name] = m.Def
			}
		}
	}
	r := &resolver{prog: prog, file: f}
	root := f.AST.Root()
	if root == nil {
		return
	}
	if sec, ok := root.(*ast.Section); ok {
		if f != prog.Main {
			// A test file that is a section document has its own members.
			top = &scope{names: map[string]*Def{}}
			for _, m := range sec.Members {
				if m.Name != nil {
					d := &Def{Kind: DefMember, Name: m.Name.Name, Ident: m.Name, Value: m.Value, File: f}
					top.names[d.Name] = d
					f.Defs = append(f.Defs, d)
				}
			}
		}
		next := 0 // the main document's named members are MemberList, in order
		for _, m := range sec.Members {
			r.member = nil
			if f == prog.Main && next < len(prog.MemberList) && prog.MemberList[next].Node == m {
				r.member = prog.MemberList[next]
				next++
			}
			r.expr(m.Value, top)
		}
		return
	}
	r.expr(root.(ast.Expr), top)
}

// bind defines n names — record fields or let bindings, named and valued
// by at — in a new scope inside s. It returns that scope and, for each name,
// its Def (nil for a missing name), which initializers hides from the
// exclusive references in the name's own initializer. Defs are allocated a
// batch at a time.
func (r *resolver) bind(s *scope, kind DefKind, n int, at func(i int) (*ast.Ident, ast.Expr), in ast.Node) (inner *scope, selves []*Def) {
	inner = &scope{local: make([]*Def, 0, n), outer: s}
	defs := make([]Def, n)
	selves = make([]*Def, n)
	for i := range selves {
		id, value := at(i)
		if id == nil || id.Name == "" {
			continue
		}
		d := &defs[i]
		*d = Def{Kind: kind, Name: id.Name, Ident: id, Value: value, File: r.file, Scope: in}
		inner.local = append(inner.local, d)
		r.file.Defs = append(r.file.Defs, d)
		selves[i] = d
	}
	return inner, selves
}

// initializers resolves the initializers of the names bind defined in
// inner, each in a scope that hides its own name from exclusive
// references. One such scope serves them all, changed between them: no
// scope outlives the resolution of the expressions inside it.
func (r *resolver) initializers(inner *scope, selves []*Def, value func(i int) ast.Expr) {
	self := &scope{outer: inner}
	for i, d := range selves {
		self.self = d
		r.expr(value(i), self)
	}
}

// use records that the value being resolved refers to the member d
// defines.
func (r *resolver) use(d *Def) {
	m := d.Member
	if d.Kind != DefMember || m == nil {
		return
	}
	if r.file != r.prog.Main {
		m.usedOutside = true
		return
	}
	if r.member != nil && !slices.Contains(r.member.uses, m) {
		r.member.uses = append(r.member.uses, m)
	}
}

func (r *resolver) ref(id *ast.Ident, s *scope) {
	if d := s.lookup(id.Name); d != nil {
		r.file.Refs[id] = d
		r.use(d)
		return
	}
	if d := r.prog.libraryDef(id.Name); d != nil {
		r.file.Refs[id] = d
		r.file.libraryRefs[d.Name] = append(r.file.libraryRefs[d.Name], id)
	}
}

// expr resolves the names in x.
func (r *resolver) expr(x ast.Expr, s *scope) {
	switch x := x.(type) {
	case nil:
	case *ast.Ident:
		if x.Kind == ast.Regular || x.Kind == ast.Quoted || x.Kind == ast.HashKeyword {
			r.ref(x, s)
		}
	case *ast.InclusiveRef:
		if d := s.lookupInclusive(x.Ident.Name); d != nil {
			r.file.Refs[x.Ident] = d
			r.use(d)
		} else {
			r.ref(x.Ident, s)
		}
	case *ast.SectionAccess:
		// Section!Member names another section's member; nothing to bind
		// unless it is this document's own section.
	case *ast.ParenExpr:
		r.expr(x.X, s)
	case *ast.InvokeExpr:
		r.expr(x.Fun, s)
		for _, a := range x.Args {
			r.expr(a, s)
		}
	case *ast.ListExpr:
		for _, it := range x.Items {
			r.expr(it, s)
		}
	case *ast.RangeExpr:
		r.expr(x.Lo, s)
		r.expr(x.Hi, s)
	case *ast.RecordExpr:
		// Field initializers see their sibling fields.
		inner, selves := r.bind(s, DefField, len(x.Fields), func(i int) (*ast.Ident, ast.Expr) { return x.Fields[i].Name, x.Fields[i].Value }, x)
		r.initializers(inner, selves, func(i int) ast.Expr { return x.Fields[i].Value })
	case *ast.FieldAccess:
		r.expr(x.X, s)
	case *ast.Projection:
		r.expr(x.X, s)
	case *ast.ItemAccess:
		r.expr(x.X, s)
		r.expr(x.Index, s)
	case *ast.UnaryExpr:
		r.expr(x.X, s)
	case *ast.BinaryExpr:
		r.expr(x.X, s)
		r.expr(x.Y, s)
	case *ast.LetExpr:
		inner, selves := r.bind(s, DefBinding, len(x.Bindings), func(i int) (*ast.Ident, ast.Expr) { return x.Bindings[i].Name, x.Bindings[i].Value }, x)
		r.initializers(inner, selves, func(i int) ast.Expr { return x.Bindings[i].Value })
		r.expr(x.Body, inner)
	case *ast.IfExpr:
		r.expr(x.Cond, s)
		r.expr(x.True, s)
		r.expr(x.False, s)
	case *ast.EachExpr:
		// The scope, its one Def and the slice that lists it, in one
		// allocation.
		each := &struct {
			scope
			def   Def
			local [1]*Def
		}{def: Def{Kind: DefEach, Name: "_", File: r.file, Func: x, Scope: x}}
		each.local[0] = &each.def
		each.scope = scope{local: each.local[:], outer: s}
		r.expr(x.Body, &each.scope)
	case *ast.FunctionExpr:
		r.function(x, s)
	case *ast.ErrorExpr:
		r.expr(x.X, s)
	case *ast.TryExpr:
		r.expr(x.Body, s)
		r.expr(x.Default, s)
		if x.Handler != nil {
			r.function(x.Handler, s)
		}
	case *ast.TypeExpr:
		r.expr(x.T, s)
	case *ast.NullableType:
		r.expr(x.T, s)
	case *ast.RecordType:
		for _, f := range x.Fields {
			r.expr(f.Type, s)
		}
	case *ast.ListType:
		r.expr(x.Elem, s)
	case *ast.FunctionType:
		for _, p := range x.Params {
			r.expr(p.Type, s)
		}
		r.expr(x.Return, s)
	case *ast.TableType:
		r.expr(x.Row, s)
	}
}

func (r *resolver) function(fn *ast.FunctionExpr, s *scope) {
	inner := &scope{local: make([]*Def, 0, len(fn.Params)), outer: s}
	defs := make([]Def, len(fn.Params)) // a batch, as in bind
	for i, p := range fn.Params {
		if p.Name != nil {
			d := &defs[i]
			*d = Def{Kind: DefParam, Name: p.Name.Name, Ident: p.Name, File: r.file, Scope: fn, Param: p, Func: fn}
			inner.local = append(inner.local, d)
			r.file.Defs = append(r.file.Defs, d)
		}
		r.expr(p.Type, s)
	}
	r.expr(fn.Return, s)
	r.expr(fn.Body, inner)
}
