package model

import (
	"sync"

	"github.com/pqls/pqls/grammar/ast"
)

// A Program is read by several goroutines at once — the check of a project
// and the editor's requests share one model — while some of what it knows
// is worked out only when first asked (a file's node index, its requests,
// the parents of a member's nodes). Each such cache is a lazy value.

// lazy is a value computed on first use. The computation runs without a
// lock held, because computing one cache may need another (the requests of
// a file need the taint engine, whose queries read the requests of other
// files); two goroutines may therefore both compute it, and every caller
// gets the value stored first, so that a pointer handed out stays the one
// every later caller sees.
type lazy[T any] struct {
	mu  sync.Mutex
	set bool
	v   T
}

func (l *lazy[T]) get(compute func() T) T {
	l.mu.Lock()
	if l.set {
		v := l.v
		l.mu.Unlock()
		return v
	}
	l.mu.Unlock()
	v := compute()
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.set {
		l.v, l.set = v, true
	}
	return l.v
}

// peek returns the value if it has been computed.
func (l *lazy[T]) peek() (T, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.v, l.set
}

// lazyByName is a lazy value per name, with lazy's rule: computed without
// the lock, and the value stored first is the one every caller gets.
type lazyByName[T any] struct {
	mu sync.Mutex
	m  map[string]T
}

func (l *lazyByName[T]) get(name string, compute func() T) T {
	l.mu.Lock()
	v, ok := l.m[name]
	l.mu.Unlock()
	if ok {
		return v
	}
	v = compute()
	l.mu.Lock()
	defer l.mu.Unlock()
	if first, ok := l.m[name]; ok {
		return first // another goroutine's, which its callers already hold
	}
	if l.m == nil {
		l.m = map[string]T{}
	}
	l.m[name] = v
	return v
}

// fileCaches are the lazily computed facts of one File in one Program.
type fileCaches struct {
	index       lazy[*Index]
	callsTo     lazyByName[[]*ast.InvokeExpr] // by library name, see CallsTo
	requests    lazy[[]*Request]
	traceGates  lazy[[]TraceGate]
	defs        lazy[[]*Def]             // the main document's, see File.Defs
	libraryRefs lazyByName[[]*ast.Ident] // the main document's, see LibraryRefs

	parentsMu sync.Mutex
	parents   map[ast.Node]map[ast.Node]ast.Node // per member, see Parent
}
