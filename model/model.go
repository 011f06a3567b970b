// Package model is the semantic layer the certification rules share: the
// connector's section members, name resolution over every file of the
// project, the data source kinds with their functions and records, and
// helpers to follow aliases to the values behind them.
package model

import (
	"iter"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/scanner"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/project"
)

// File is one parsed M file of the project with its name resolution.
type File struct {
	Path string
	AST  *ast.File
	Role project.Role // Main, Module or Test

	prog *Program
	// refs and defs are the resolution of a file resolved as a whole:
	// modules, tests and expression documents. The main section
	// document's is kept per member instead (memberRes), so that an edit
	// resolves only the members it touched; see Ref and Defs.
	refs        map[*ast.Ident]*Def
	defs        []*Def
	libraryRefs map[string][]*ast.Ident // sorted by offset once resolved
	caches      *fileCaches
}

// perMember reports whether f's resolution is kept per member: f is the
// main section document of the model New made.
func (f *File) perMember() bool { return f.refs == nil && f.prog != nil }

// Ref returns what the identifier id of f refers to, or nil when it refers
// to nothing (or is not a reference).
func (f *File) Ref(id *ast.Ident) *Def {
	if !f.perMember() {
		return f.refs[id]
	}
	res := f.memberResOfPos(id.NamePos)
	if res == nil {
		return nil
	}
	d := res.refs[id]
	if d != nil && d.Kind == defFree {
		return f.prog.topDef(d.Name)
	}
	return d
}

// Refs returns every identifier of f that refers to something, with what
// it refers to. The order is unspecified.
func (f *File) Refs() iter.Seq2[*ast.Ident, *Def] {
	return func(yield func(*ast.Ident, *Def) bool) {
		if !f.perMember() {
			for id, d := range f.refs {
				if !yield(id, d) {
					return
				}
			}
			return
		}
		for _, m := range f.AST.Section.Members {
			for id, d := range memberResOf(m).refs {
				if d.Kind == defFree {
					if d = f.prog.topDef(d.Name); d == nil {
						continue
					}
				}
				if !yield(id, d) {
					return
				}
			}
		}
	}
}

// Defs returns the definitions made in f: in the main document its
// members first, then the names each member binds, member by member.
func (f *File) Defs() []*Def {
	if !f.perMember() {
		return f.defs
	}
	return f.caches.defs.get(func() []*Def {
		n := len(f.defs)
		for _, m := range f.AST.Section.Members {
			n += len(memberResOf(m).defs)
		}
		out := make([]*Def, 0, n)
		out = append(out, f.defs...)
		for _, m := range f.AST.Section.Members {
			out = append(out, memberResOf(m).defs...)
		}
		return out
	})
}

// DefKind says what kind of thing a name is bound to.
type DefKind int

const (
	DefMember  DefKind = iota // a section member
	DefBinding                // a let binding
	DefParam                  // a function parameter
	DefField                  // a record field, seen by its siblings
	DefEach                   // the _ of an each expression
	DefLibrary                // a standard-library name

	// defFree stands, in a member's own resolution (memberRes), for a
	// name the member does not bind: a section member or a library name,
	// looked up in the program at hand. File.Ref never returns it.
	defFree
)

// Def is what a name is bound to.
type Def struct {
	Kind  DefKind
	Name  string
	Ident *ast.Ident // the defining identifier; nil for library names and _
	Value ast.Expr   // the bound value for members, bindings and fields
	// file is the file it is defined in, for the Defs made anew with each
	// model; nil for library names and for the names a main-document
	// member binds, which are shared by every model of a version that
	// holds the member's node. Program.DefFile tells the file.
	file   *File
	Member *Member    // for DefMember
	Param  *ast.Param // for DefParam
	Func   ast.Expr   // the function or each expression a parameter belongs to
	// Scope is the node within which the name is visible: the let, function,
	// record or each expression that binds it; nil for members and library
	// names, which are visible in the whole document.
	Scope ast.Node
}

// Member is a section member of the main document. It holds only what
// its node says, so it is made once per node and shared by the models of
// every version that holds the node (see memberOf); nothing changes it.
type Member struct {
	Name   string
	Node   *ast.Member
	Shared bool
	Attrs  map[string]ast.Expr // literal attributes by field name
	Def    *Def

	shadowsLibrary bool // its name is a library function's
}

// memberOf returns the Member of section member m, which has a name, made
// once per node: a large document has thousands, which every version made
// anew with their Defs (a fifth of a keystroke's allocation in a 1 MB type
// module). Its Def names no file, which DefFile takes for the main
// document of the program asking.
func memberOf(m *ast.Member) *Member {
	mm := memoOf(m)
	if mem := mm.member.Load(); mem != nil {
		return mem
	}
	md := &struct {
		m Member
		d Def
	}{}
	md.m = Member{Name: m.Name.Name, Node: m, Shared: m.Shared.IsValid(), Attrs: attrs(m.Attrs), Def: &md.d,
		shadowsLibrary: libraryDef(m.Name.Name) != nil}
	md.d = Def{Kind: DefMember, Name: md.m.Name, Ident: m.Name, Value: m.Value, Member: &md.m}
	mm.member.CompareAndSwap(nil, &md.m)
	return mm.member.Load()
}

// Order returns m's index in the program's MemberList, or -1.
func (prog *Program) Order(m *Member) int {
	if prog.Main == nil {
		return -1
	}
	f := prog.Main.AST
	at := f.Offset(m.Node.Pos())
	i := sort.Search(len(prog.MemberList), func(i int) bool { return f.Offset(prog.MemberList[i].Node.Pos()) >= at })
	if i < len(prog.MemberList) && prog.MemberList[i] == m {
		return i
	}
	return -1
}

// Uses returns the members of the main document that m's value refers to,
// each once, in order of first reference: the edges the incremental check
// follows to find what an edit to a member may change. They are worked out
// at each call, not kept: that check asks once per version for the
// members an edit changed, and takes the others' from the version before.
func (prog *Program) Uses(m *Member) []*Member {
	var out []*Member
	for _, fr := range memberResOf(m.Node).free {
		if u := prog.Members[fr.name]; u != nil {
			out = append(out, u)
		}
	}
	return out
}

// UsedOutside reports whether a module or test file refers to m.
func (prog *Program) UsedOutside(m *Member) bool { return prog.usedOutside[m] }

// Program is the semantic model of one connector project.
type Program struct {
	Project *project.Project
	Main    *File   // the main section document, or nil
	Files   []*File // every parsed file: main, modules, tests
	ByPath  map[string]*File

	Members    map[string]*Member // members of the main document by name
	MemberList []*Member          // in source order
	Kinds      []*Kind            // data source kinds, in source order

	taintOnce sync.Once
	taint     *taintEngine // see engine

	// usedOutside holds the members a module or test file refers to.
	usedOutside map[*Member]bool
}

// Kind is a data source kind: the name in DataSource.Kind attributes, its
// kind record and its data-source functions.
type Kind struct {
	Name    string
	Record  *Member // the member named like the kind, or nil
	DSFs    []*DSF
	Publish []*Member // members named by Publish attributes of its functions
}

// DSF is an exported data-source function: a shared member with a
// DataSource.Kind attribute.
type DSF struct {
	Member  *Member
	Kind    string
	Publish string            // the Publish attribute, or ""
	Func    *ast.FunctionExpr // the implementation, after aliases; may be nil
	// Type is the function type ascribed with Value.ReplaceType, or nil,
	// and TypeMeta the metadata record on it (documentation), or nil.
	Type     *ast.FunctionType
	TypeMeta *ast.RecordExpr
}

// New builds the model of a project from its parsed files. main may be nil.
//
// The main section document's members are resolved each on its own, with
// the names a member does not bind left for the program to look up
// (memberRes); that resolution is kept with the member's node, so the
// model of an edited version resolves only the members the parser made
// anew. Other files are small and resolved as a whole.
func New(p *project.Project, main *File, others ...*File) *Program {
	prog := &Program{Project: p, Main: main, ByPath: map[string]*File{}, Members: map[string]*Member{}}
	if main != nil {
		prog.Files = append(prog.Files, main)
	}
	prog.Files = append(prog.Files, others...)
	for _, f := range prog.Files {
		prog.ByPath[f.Path] = f
		f.prog = prog
		f.refs, f.defs = nil, nil
		f.libraryRefs = nil
		f.caches = &fileCaches{}
		if f != main || f.AST.Section == nil {
			// Real connector code has one reference per 12 to 40 bytes:
			// sized for the sparse end, the map grows at most twice on
			// dense code, where sizing for the dense end left megabytes
			// of empty slots in every model a server keeps.
			f.refs = make(map[*ast.Ident]*Def, len(f.AST.Src)/40)
			f.libraryRefs = map[string][]*ast.Ident{}
		}
	}
	if main != nil && main.AST.Section != nil {
		n := len(main.AST.Section.Members)
		prog.Members = make(map[string]*Member, n)
		prog.MemberList = make([]*Member, 0, n)
		main.defs = make([]*Def, 0, n)
		for _, m := range main.AST.Section.Members {
			if m.Name == nil {
				continue
			}
			mem := memberOf(m)
			main.defs = append(main.defs, mem.Def)
			if _, dup := prog.Members[mem.Name]; !dup {
				prog.Members[mem.Name] = mem
			}
			prog.MemberList = append(prog.MemberList, mem)
		}
	}
	for _, f := range prog.Files {
		if f.refs == nil {
			continue
		}
		prog.resolve(f)
		for _, ids := range f.libraryRefs {
			slices.SortFunc(ids, func(a, b *ast.Ident) int { return f.AST.Offset(a.NamePos) - f.AST.Offset(b.NamePos) })
		}
	}
	prog.findKinds()
	return prog
}

// DefFile returns the file in which d is defined, or nil for library
// names.
func (prog *Program) DefFile(d *Def) *File {
	switch {
	case d == nil || d.Kind == DefLibrary:
		return nil
	case d.file != nil:
		return d.file
	}
	// A name bound inside a main-document member: its Def is shared by the
	// models of every version that holds the member, each of which has
	// its own main File.
	return prog.Main
}

// topDef returns what a name that a main-document member does not bind
// refers to: the section member of that name (the first, if several) or
// the library's.
func (prog *Program) topDef(name string) *Def {
	if m := prog.Members[name]; m != nil {
		return m.Def
	}
	return libraryDef(name)
}

func attrs(r *ast.RecordExpr) map[string]ast.Expr {
	if r == nil {
		return nil
	}
	m := make(map[string]ast.Expr, len(r.Fields))
	for _, f := range r.Fields {
		m[f.Name.Name] = f.Value
	}
	return m
}

func (prog *Program) findKinds() {
	byName := map[string]*Kind{}
	kind := func(name string) *Kind {
		k := byName[name]
		if k == nil {
			k = &Kind{Name: name, Record: prog.Members[name]}
			byName[name] = k
			prog.Kinds = append(prog.Kinds, k)
		}
		return k
	}
	for _, m := range prog.MemberList {
		name, ok := Text(m.Attrs["DataSource.Kind"])
		if !ok {
			continue
		}
		k := kind(name)
		if !m.Shared {
			continue
		}
		d := &DSF{Member: m, Kind: name}
		d.Publish, _ = Text(m.Attrs["Publish"])
		if pm := prog.Members[d.Publish]; pm != nil {
			k.Publish = append(k.Publish, pm)
		}
		d.Func, d.Type, d.TypeMeta = prog.Function(prog.Main, m.Node.Value)
		k.DSFs = append(k.DSFs, d)
	}
}

// Text returns the value of a text literal.
func Text(x ast.Expr) (string, bool) {
	if l, ok := x.(*ast.Literal); ok && (l.Kind == token.TEXT || l.Kind == token.VERBATIM) {
		return scanner.Unquote(l.Value), true
	}
	return "", false
}

// Field returns the field of a record literal with the given name.
func Field(r *ast.RecordExpr, name string) *ast.Field {
	if r == nil {
		return nil
	}
	for _, f := range r.Fields {
		if f.Name != nil && f.Name.Name == name {
			return f
		}
	}
	return nil
}

// Unparen strips parentheses.
func Unparen(x ast.Expr) ast.Expr {
	for {
		p, ok := x.(*ast.ParenExpr)
		if !ok || p.X == nil {
			return x
		}
		x = p.X
	}
}

// Evaluated yields the nodes under x, x included, that evaluating x
// evaluates, in source order: the bodies of the function and each
// expressions written in x are left out, as they run only when the
// function is called (the function expression itself is yielded). The
// nodes a yield is given are descended into unless the loop stops.
func Evaluated(x ast.Expr) iter.Seq[ast.Node] {
	return func(yield func(ast.Node) bool) {
		if x == nil {
			return
		}
		stopped := false
		ast.Inspect(x, func(n ast.Node) bool {
			if stopped {
				return false
			}
			if !yield(n) {
				stopped = true
				return false
			}
			switch n.(type) {
			case *ast.FunctionExpr, *ast.EachExpr:
				return false
			}
			return true
		})
	}
}

// Value returns the expression that computes x: ValueOf without the file.
func (prog *Program) Value(f *File, x ast.Expr) ast.Expr {
	v, _ := prog.ValueOf(f, x)
	return v
}

// FileOf returns the file that defines the expression ValueOf arrives at
// when following x from f; rules use it to place findings.
func (prog *Program) FileOf(f *File, x ast.Expr) *File {
	_, vf := prog.ValueOf(f, x)
	return vf
}

// Function resolves x to a function expression and, when it is ascribed a
// type with Value.ReplaceType, that function type and its metadata record.
func (prog *Program) Function(f *File, x ast.Expr) (fn *ast.FunctionExpr, typ *ast.FunctionType, meta *ast.RecordExpr) {
	for i := 0; i < 32 && x != nil; i++ {
		x = Unparen(x)
		switch v := x.(type) {
		case *ast.FunctionExpr:
			return v, typ, meta
		case *ast.BinaryExpr:
			if v.Op != token.META {
				return nil, typ, meta
			}
			x = v.X
		case *ast.InvokeExpr:
			if prog.CallName(f, v) != "Value.ReplaceType" || len(v.Args) < 2 {
				return nil, typ, meta
			}
			if typ == nil {
				typ, meta = prog.FunctionType(f, v.Args[1])
			}
			x = v.Args[0]
		case *ast.Ident:
			d := f.Ref(v)
			if d == nil || d.Value == nil {
				return nil, typ, meta
			}
			x, f = d.Value, prog.DefFile(d)
		default:
			return nil, typ, meta
		}
	}
	return nil, typ, meta
}

// FunctionType resolves x to a `type function (…) as …` and the metadata
// record attached to it with meta.
func (prog *Program) FunctionType(f *File, x ast.Expr) (*ast.FunctionType, *ast.RecordExpr) {
	var meta *ast.RecordExpr
	for i := 0; i < 32 && x != nil; i++ {
		x = Unparen(x)
		switch v := x.(type) {
		case *ast.BinaryExpr:
			if v.Op != token.META {
				return nil, meta
			}
			if r, ok := prog.Value(f, v.Y).(*ast.RecordExpr); ok && meta == nil {
				meta = r
			}
			x = v.X
		case *ast.TypeExpr:
			ft, ok := Unparen(v.T).(*ast.FunctionType)
			if !ok {
				return nil, meta
			}
			return ft, meta
		case *ast.Ident:
			d := f.Ref(v)
			if d == nil || d.Value == nil {
				return nil, meta
			}
			x, f = d.Value, prog.DefFile(d)
		default:
			return nil, meta
		}
	}
	return nil, meta
}

// CallName returns the name of the library function that call invokes, such
// as "Web.Contents", or "" when the callee is something else — including a
// section member or local binding that shadows a library name.
func (prog *Program) CallName(f *File, call *ast.InvokeExpr) string {
	id, ok := Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return ""
	}
	d := f.Ref(id)
	if d == nil {
		// Unresolved names are treated as the library's when they look like
		// one: the table does not list every function.
		if strings.Contains(id.Name, ".") || id.Kind == ast.HashKeyword {
			return id.Name
		}
		return ""
	}
	if d.Kind == DefLibrary {
		return d.Name
	}
	return ""
}

// Calls returns every invocation in n whose callee is the library function
// name.
func (prog *Program) Calls(f *File, n ast.Node, name string) []*ast.InvokeExpr {
	var out []*ast.InvokeExpr
	ast.Inspect(n, func(n ast.Node) bool {
		if c, ok := n.(*ast.InvokeExpr); ok && prog.CallName(f, c) == name {
			out = append(out, c)
		}
		return true
	})
	return out
}

// Parent returns the node that contains n in f's tree, or nil at the root.
// Parent links are built for one section member (or top-level binding) at a
// time, when a node inside it is first asked about, so that a rule asking
// about a few nodes of a large file does not pay for the whole file.
func (f *File) Parent(n ast.Node) ast.Node {
	root := f.AST.Root()
	if root == nil || n == root {
		return nil
	}
	unit := f.unitOf(n)
	c := f.caches
	c.parentsMu.Lock()
	defer c.parentsMu.Unlock()
	if c.parents == nil {
		c.parents = map[ast.Node]map[ast.Node]ast.Node{}
	}
	links, ok := c.parents[unit]
	if !ok {
		links = map[ast.Node]ast.Node{}
		stack := []ast.Node{root}
		ast.Inspect(unit, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return false
			}
			links[n] = stack[len(stack)-1]
			stack = append(stack, n)
			return true
		})
		c.parents[unit] = links
	}
	return links[n]
}

// unitOf returns the section member or top-level let binding (or body)
// that holds n, or the root.
func (f *File) unitOf(n ast.Node) ast.Node {
	off, _ := f.AST.Span(n)
	switch root := f.AST.Root().(type) {
	case *ast.Section:
		if i := f.memberAt(off); i >= 0 {
			return root.Members[i]
		}
	case *ast.LetExpr:
		units := make([]ast.Node, 0, len(root.Bindings)+1)
		for _, b := range root.Bindings {
			units = append(units, b)
		}
		if root.Body != nil {
			units = append(units, root.Body)
		}
		i := sort.Search(len(units), func(i int) bool {
			_, end := f.AST.Span(units[i])
			return end > off
		})
		if i < len(units) {
			if start, _ := f.AST.Span(units[i]); start <= off {
				return units[i]
			}
		}
	}
	return f.AST.Root()
}

// EnclosingMember returns the section member that holds n, or nil.
func (f *File) EnclosingMember(n ast.Node) *ast.Member {
	if _, ok := f.AST.Root().(*ast.Section); !ok {
		return nil
	}
	m, _ := f.unitOf(n).(*ast.Member)
	return m
}

// Program returns the model f belongs to, or nil before New has seen it.
func (f *File) Program() *Program { return f.prog }
