package model

import (
	"sort"
	"sync"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
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

// libraryDefs holds one Def per standard-library name, shared by every
// model: a library name means the same everywhere, and the table is never
// changed once built.
var libraryDefs = sync.OnceValue(func() map[string]*Def {
	lib := Library()
	defs := make([]Def, 0, len(lib))
	out := make(map[string]*Def, len(lib))
	for name, fn := range lib {
		defs = append(defs, Def{Kind: DefLibrary, Name: fn.Name})
		out[name] = &defs[len(defs)-1]
	}
	return out
})

// libraryDef returns the Def of a library name, or nil if the library has
// no such name.
func libraryDef(name string) *Def { return libraryDefs()[name] }

// memberRes is the resolution of one main-document member made from its
// subtree alone: the names it binds and, for each reference, either one of
// those or, for a name it does not bind, a stand-in (defFree) that the
// program resolves against its members and the library when asked. It
// holds nothing of one version, so it is kept with the member's node and
// serves every version that holds the node.
type memberRes struct {
	refs map[*ast.Ident]*Def
	defs []*Def // the names it binds, in resolution order (each's _ aside)
	// free are the names it does not bind, in order of first reference,
	// with the identifiers that use each.
	free []freeName
	// calls are the member's calls that may call a function of the
	// connector, in source order: those whose callee is not a name, or a
	// name the member binds (free < 0), or a name it does not bind (the
	// index in free). The taint engine's call-site index reads these
	// rather than looking each callee up at every version.
	calls []memberCall
}

type freeName struct {
	name string
	ids  []*ast.Ident
	def  *Def // the stand-in its identifiers map to
	lib  bool // a library name, unless a member of the same name shadows it
}

type memberCall struct {
	call *ast.InvokeExpr
	free int32
}

// memberResOf returns m's resolution, made once per member node.
func memberResOf(m *ast.Member) *memberRes {
	mm := memoOf(m)
	if res := mm.res.Load(); res != nil {
		return res
	}
	r := &resolver{refs: make(map[*ast.Ident]*Def, 8), res: &memberRes{}}
	r.expr(m.Value, nil)
	r.res.refs = r.refs
	for i := range r.res.free {
		r.res.free[i].lib = libraryDef(r.res.free[i].name) != nil
	}
	for _, c := range memberIndex(m).Calls {
		mc := memberCall{call: c, free: -1}
		if id, ok := Unparen(c.Fun).(*ast.Ident); ok {
			d := r.refs[id]
			if d == nil {
				continue // nothing: an identifier the parser made up
			}
			if d.Kind == defFree {
				mc.free = int32(r.freeAt[id.Name])
			}
		}
		r.res.calls = append(r.res.calls, mc)
	}
	mm.res.CompareAndSwap(nil, r.res)
	return mm.res.Load()
}

// memberResAt returns the resolution of the main document's member that
// holds byte offset off, or nil.
func (f *File) memberResAt(off int) *memberRes {
	if i := f.memberAt(off); i >= 0 {
		return memberResOf(f.AST.Section.Members[i])
	}
	return nil
}

// memberResOfPos returns the resolution of the main document's member
// that holds position p, or nil. p may come from another file: a position
// beyond f's chunks holds no member, and a member found for a foreign
// position holds nothing of it, which its callers see by identity.
func (f *File) memberResOfPos(p token.Pos) *memberRes {
	if !p.IsValid() || p.Chunk() >= len(f.AST.Chunks) {
		return nil
	}
	return f.memberResAt(f.AST.Offset(p))
}

// memberAt returns the index in f's section of the member whose span holds
// off, or -1. It searches the members' nodes, whose offsets the chunk table
// gives in constant time: a table of every member's span, made at each
// version, cost more than the lookups an incremental check makes.
func (f *File) memberAt(off int) int {
	ms := f.AST.Section.Members
	i := sort.Search(len(ms), func(i int) bool { return f.AST.Offset(ms[i].Pos()) > off }) - 1
	if i < 0 || off >= f.AST.Offset(ms[i].End()) {
		return -1
	}
	return i
}

type resolver struct {
	prog *Program
	file *File
	refs map[*ast.Ident]*Def
	defs *[]*Def
	// res is set when resolving a main-document member on its own: names
	// not bound inside it become stand-ins (defFree) listed in res.free,
	// and the Defs it makes belong to no one version's file.
	res    *memberRes
	freeAt map[string]int // index in res.free by name
}

// resolve binds every identifier reference in f, a file resolved as a
// whole. A module is evaluated against #shared, so it sees only the
// shared members; a test file that is a section sees its own; both see the
// library last.
func (prog *Program) resolve(f *File) {
	top := &scope{names: make(map[string]*Def, len(prog.MemberList))}
	for _, m := range prog.MemberList {
		if f == prog.Main || m.Shared {
			if _, dup := top.names[m.Name]; !dup {
				top.names[m.Name] = m.Def
			}
		}
	}
	r := &resolver{prog: prog, file: f, refs: f.refs, defs: &f.defs}
	root := f.AST.Root()
	if root == nil {
		return
	}
	if sec, ok := root.(*ast.Section); ok {
		// A test file that is a section document has its own members.
		top = &scope{names: map[string]*Def{}}
		for _, m := range sec.Members {
			if m.Name != nil {
				d := &Def{Kind: DefMember, Name: m.Name.Name, Ident: m.Name, Value: m.Value, file: f}
				top.names[d.Name] = d
				f.defs = append(f.defs, d)
			}
		}
		for _, m := range sec.Members {
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
		*d = Def{Kind: kind, Name: id.Name, Ident: id, Value: value, file: r.file, Scope: in}
		inner.local = append(inner.local, d)
		r.addDef(d)
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

func (r *resolver) addDef(d *Def) {
	if r.res != nil {
		r.res.defs = append(r.res.defs, d)
		return
	}
	*r.defs = append(*r.defs, d)
}

// use records that the file being resolved, which is not the main
// document, refers to the member d defines (Member.UsedOutside). The main
// document's own uses come from its members' free names (New).
func (r *resolver) use(d *Def) {
	if m := d.Member; d.Kind == DefMember && m != nil && r.file != r.prog.Main {
		if r.prog.usedOutside == nil {
			r.prog.usedOutside = map[*Member]bool{}
		}
		r.prog.usedOutside[m] = true
	}
}

func (r *resolver) ref(id *ast.Ident, s *scope) {
	if d := s.lookup(id.Name); d != nil {
		r.bound(id, d)
		return
	}
	r.unbound(id)
}

// bound records that id refers to d, found in the scopes.
func (r *resolver) bound(id *ast.Ident, d *Def) {
	r.refs[id] = d
	if r.res == nil {
		r.use(d)
	}
}

// unbound handles an identifier no scope binds: inside a member resolved
// on its own, a stand-in for the program to look up; elsewhere a library
// name, or nothing.
func (r *resolver) unbound(id *ast.Ident) {
	if r.res != nil {
		i, ok := r.freeAt[id.Name]
		if !ok {
			if r.freeAt == nil {
				r.freeAt = map[string]int{}
			}
			i = len(r.res.free)
			r.freeAt[id.Name] = i
			r.res.free = append(r.res.free, freeName{name: id.Name, def: &Def{Kind: defFree, Name: id.Name}})
		}
		fr := &r.res.free[i]
		fr.ids = append(fr.ids, id)
		r.refs[id] = fr.def
		return
	}
	if d := libraryDef(id.Name); d != nil {
		r.refs[id] = d
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
			r.bound(x.Ident, d)
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
		}{def: Def{Kind: DefEach, Name: "_", file: r.file, Func: x, Scope: x}}
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
			*d = Def{Kind: DefParam, Name: p.Name.Name, Ident: p.Name, file: r.file, Scope: fn, Param: p, Func: fn}
			inner.local = append(inner.local, d)
			r.addDef(d)
		}
		r.expr(p.Type, s)
	}
	r.expr(fn.Return, s)
	r.expr(fn.Body, inner)
}
