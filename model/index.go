package model

import (
	"iter"
	"slices"
	"strings"
	"sync/atomic"
	"weak"

	"github.com/pqls/pqls/grammar/ast"
)

// Index lists the nodes of a file that rules look for, by kind, in source
// order. It is built in one walk the first time a rule asks, so that fifty
// rules do not walk a large file fifty times.
type Index struct {
	Calls     []*ast.InvokeExpr
	Records   []*ast.RecordExpr
	Literals  []*ast.Literal
	Functions []*ast.FunctionExpr
	Fields    []*ast.FieldAccess
	Binaries  []*ast.BinaryExpr
	Ifs       []*ast.IfExpr

	// callees has the bit calleeBit(name) set for each name that a call
	// of Calls has as its callee's identifier, and for the part of that
	// name up to its first dot ("Cube." of Cube.Dimensions): a summary
	// that lets CallsNamed and CallsIn pass over the members that call no
	// such name without reading their calls, in eight bytes per member
	// where a map of the calls by name cost hundreds. (A name never ends
	// in a dot, so a name and a namespace are never the same key.)
	callees uint64
}

// calleeBit returns the bit of name in Index.callees (FNV-1a, folded to
// six bits).
func calleeBit(name string) uint64 {
	h := uint32(2166136261)
	for i := 0; i < len(name); i++ {
		h ^= uint32(name[i])
		h *= 16777619
	}
	return 1 << ((h ^ h>>6 ^ h>>12 ^ h>>18 ^ h>>24) & 63)
}

// CallsNamed returns the calls of the file whose callee is the identifier
// name, in source order, whatever the name refers to (CallsTo keeps those
// that are the library's).
func (f *File) CallsNamed(name string) iter.Seq[*ast.InvokeExpr] {
	bit := calleeBit(name)
	return func(yield func(*ast.InvokeExpr) bool) {
		for ix := range f.indexes() {
			if ix.callees&bit == 0 {
				continue
			}
			for _, call := range ix.Calls {
				if id, ok := Unparen(call.Fun).(*ast.Ident); ok && id.Name == name && !yield(call) {
					return
				}
			}
		}
	}
}

// CallsIn returns the calls of the file whose callee is an identifier in
// the namespace ns, such as "Cube." (a name up to and including its first
// dot), in source order, whatever the names refer to. A prefix that does
// not end in a dot is no namespace, and has no calls.
func (f *File) CallsIn(ns string) iter.Seq[*ast.InvokeExpr] {
	bit := calleeBit(ns)
	return func(yield func(*ast.InvokeExpr) bool) {
		if !strings.HasSuffix(ns, ".") {
			return
		}
		for ix := range f.indexes() {
			if ix.callees&bit == 0 {
				continue
			}
			for _, call := range ix.Calls {
				if id, ok := Unparen(call.Fun).(*ast.Ident); ok && strings.HasPrefix(id.Name, ns) && !yield(call) {
					return
				}
			}
		}
	}
}

// indexes yields the parts of f's index in order: in a section document the
// attributes' and each member's own, kept with the member node; the whole
// file's otherwise.
func (f *File) indexes() iter.Seq[*Index] {
	return func(yield func(*Index) bool) {
		sec := f.AST.Section
		if sec == nil {
			yield(f.Index())
			return
		}
		if sec.Attrs != nil && !yield(walkIndex(sec.Attrs)) {
			return
		}
		for _, m := range sec.Members {
			if !yield(memberIndex(m)) {
				return
			}
		}
	}
}

// Index returns the file's node index.
func (f *File) Index() *Index {
	return f.caches.index.get(f.buildIndex)
}

func (f *File) buildIndex() *Index {
	if sec := f.AST.Section; sec != nil {
		// A section's index is its attributes' then each member's, in
		// order; each member's is kept with its node (ast.Member.Memo),
		// so that after an edit only the members the parser made anew
		// are walked.
		parts := make([]*Index, 0, len(sec.Members)+1)
		if sec.Attrs != nil {
			parts = append(parts, walkIndex(sec.Attrs))
		}
		for _, m := range sec.Members {
			parts = append(parts, memberIndex(m))
		}
		return joinIndexes(parts)
	}
	if root := f.AST.Root(); root != nil {
		return walkIndex(root)
	}
	return &Index{}
}

// Calls returns the calls of the file, in source order.
func (f *File) Calls() iter.Seq[*ast.InvokeExpr] {
	return eachIndexed(f, func(ix *Index) []*ast.InvokeExpr { return ix.Calls })
}

// Records returns the record literals of the file, in source order.
func (f *File) Records() iter.Seq[*ast.RecordExpr] {
	return eachIndexed(f, func(ix *Index) []*ast.RecordExpr { return ix.Records })
}

// Ifs returns the if expressions of the file, in source order.
func (f *File) Ifs() iter.Seq[*ast.IfExpr] {
	return eachIndexed(f, func(ix *Index) []*ast.IfExpr { return ix.Ifs })
}

// eachIndexed yields the nodes of one kind of f's index. In a section
// document it reads each member's own index in turn rather than the
// joined one (Index): rules that walk every call of a 1 MB document at
// each keystroke then allocate nothing, where joining the members' indexes
// copied the whole index at every version.
func eachIndexed[T ast.Node](f *File, kind func(*Index) []T) iter.Seq[T] {
	return func(yield func(T) bool) {
		for ix := range f.indexes() {
			for _, n := range kind(ix) {
				if !yield(n) {
					return
				}
			}
		}
	}
}

// memberMemo is what the model derives from a section member's subtree
// alone, kept with the member's node (ast.Member.Memo): a member node never
// changes once parsed, and Reparse hands the untouched ones to the next
// version, whose model finds here what it would otherwise work out again.
// Each part is made when first asked; two goroutines may both make one,
// and the first stored is the one every caller gets.
type memberMemo struct {
	index  atomic.Pointer[Index]
	res    atomic.Pointer[memberRes]
	weak   atomic.Pointer[weak.Pointer[ast.Member]]
	member atomic.Pointer[Member] // see memberOf
}

// WeakMember returns a weak pointer to m, made once per node: the
// incremental check compares a member's with the one it kept to know the
// node is the same, and weak.Make on thousands of members at every version
// cost more than the comparison.
func WeakMember(m *ast.Member) weak.Pointer[ast.Member] {
	mm := memoOf(m)
	if w := mm.weak.Load(); w != nil {
		return *w
	}
	w := weak.Make(m)
	mm.weak.CompareAndSwap(nil, &w)
	return *mm.weak.Load()
}

func memoOf(m *ast.Member) *memberMemo {
	if mm, ok := m.Memo().(*memberMemo); ok {
		return mm
	}
	mm, _ := m.StoreMemo(&memberMemo{}).(*memberMemo)
	return mm
}

// memberIndex returns the index of the nodes of a section member, made
// once per member node.
func memberIndex(m *ast.Member) *Index {
	mm := memoOf(m)
	if ix := mm.index.Load(); ix != nil {
		return ix
	}
	mm.index.CompareAndSwap(nil, walkIndex(m))
	return mm.index.Load()
}

// joinIndexes returns the index of the nodes of parts, in order. The
// parts are not changed: they are shared by every version of the file
// that holds their member.
func joinIndexes(parts []*Index) *Index {
	var calls, records, literals, functions, fields, binaries, ifs int
	for _, p := range parts {
		calls += len(p.Calls)
		records += len(p.Records)
		literals += len(p.Literals)
		functions += len(p.Functions)
		fields += len(p.Fields)
		binaries += len(p.Binaries)
		ifs += len(p.Ifs)
	}
	ix := &Index{
		Calls: make([]*ast.InvokeExpr, 0, calls), Records: make([]*ast.RecordExpr, 0, records),
		Literals: make([]*ast.Literal, 0, literals), Functions: make([]*ast.FunctionExpr, 0, functions),
		Fields: make([]*ast.FieldAccess, 0, fields), Binaries: make([]*ast.BinaryExpr, 0, binaries),
		Ifs: make([]*ast.IfExpr, 0, ifs),
	}
	for _, p := range parts {
		ix.callees |= p.callees
		ix.Calls = append(ix.Calls, p.Calls...)
		ix.Records = append(ix.Records, p.Records...)
		ix.Literals = append(ix.Literals, p.Literals...)
		ix.Functions = append(ix.Functions, p.Functions...)
		ix.Fields = append(ix.Fields, p.Fields...)
		ix.Binaries = append(ix.Binaries, p.Binaries...)
		ix.Ifs = append(ix.Ifs, p.Ifs...)
	}
	return ix
}

// IndexOf returns the index of the nodes under the given ones, in order:
// the part of a file's index that lies in some of its members. A section
// member's part is the one kept with its node, so that an incremental
// check, which asks for the members an edit may have changed once per
// rule, walks each of them once.
func IndexOf(nodes ...ast.Node) *Index {
	if len(nodes) == 1 {
		if m, ok := nodes[0].(*ast.Member); ok {
			return memberIndex(m)
		}
	}
	parts := make([]*Index, 0, len(nodes))
	for _, n := range nodes {
		if m, ok := n.(*ast.Member); ok {
			parts = append(parts, memberIndex(m))
		} else {
			parts = append(parts, walkIndex(n))
		}
	}
	return joinIndexes(parts)
}

// walkIndex returns the index of the nodes under root, in order.
func walkIndex(nodes ...ast.Node) *Index {
	ix := &Index{}
	for _, root := range nodes {
		ast.Inspect(root, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.InvokeExpr:
				ix.Calls = append(ix.Calls, n)
				if id, ok := Unparen(n.Fun).(*ast.Ident); ok {
					ix.callees |= calleeBit(id.Name)
					if dot := strings.IndexByte(id.Name, '.'); dot > 0 {
						ix.callees |= calleeBit(id.Name[:dot+1])
					}
				}
			case *ast.RecordExpr:
				ix.Records = append(ix.Records, n)
			case *ast.Literal:
				ix.Literals = append(ix.Literals, n)
			case *ast.FunctionExpr:
				ix.Functions = append(ix.Functions, n)
			case *ast.FieldAccess:
				ix.Fields = append(ix.Fields, n)
			case *ast.BinaryExpr:
				ix.Binaries = append(ix.Binaries, n)
			case *ast.IfExpr:
				ix.Ifs = append(ix.Ifs, n)
			}
			return true
		})
	}
	return ix
}

// CallsTo returns the calls in f of the library function name, in source
// order.
//
// Rules ask for a handful of names, so each is looked for on its own, and
// kept: a call's name is its callee's identifier, so comparing that first
// leaves the resolution lookup (CallName) to the few calls that match,
// where a table of every call by name made one for each call of the file.
func (prog *Program) CallsTo(f *File, name string) []*ast.InvokeExpr {
	if name == "" {
		return nil
	}
	return f.caches.callsTo.get(name, func() []*ast.InvokeExpr {
		var calls []*ast.InvokeExpr
		for call := range f.CallsNamed(name) {
			if prog.CallName(f, call) == name {
				calls = append(calls, call)
			}
		}
		return calls
	})
}

// LibraryRefs returns the identifiers of f that refer to the library name,
// in source order. Names shadowed by the connector are not included. The
// resolver collects them.
func (prog *Program) LibraryRefs(f *File, name string) []*ast.Ident {
	if !f.perMember() {
		return f.libraryRefs[name]
	}
	// The main document keeps its references per member: the library's
	// are the free names the connector does not define.
	if prog.Members[name] != nil || libraryDef(name) == nil {
		return nil
	}
	return f.caches.libraryRefs.get(name, func() []*ast.Ident {
		var ids []*ast.Ident
		for _, m := range f.AST.Section.Members {
			res := memberResOf(m)
			for i := range res.free {
				if res.free[i].name == name {
					ids = append(ids, res.free[i].ids...)
				}
			}
		}
		slices.SortFunc(ids, func(a, b *ast.Ident) int { return f.AST.Offset(a.NamePos) - f.AST.Offset(b.NamePos) })
		return ids
	})
}

// shadowsLibrary reports whether a member of the main document has the
// name of a library function, which the references to that name then mean:
// almost never, which lets the taint engine skip calls of library names
// without looking each up among the members.
func (prog *Program) shadowsLibrary() bool {
	for _, m := range prog.MemberList {
		if m.shadowsLibrary {
			return true
		}
	}
	return false
}
