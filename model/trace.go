package model

import (
	"slices"
	"strings"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
)

// IsTraceFlagName reports whether name looks like a feature flag that turns
// tracing on: EnableTrace*, *TraceOutput, Enable*Diagnostics*, *Debug*,
// *Logging*, Verbose*, and other names with Trace or Tracing in them.
func IsTraceFlagName(name string) bool {
	n := strings.ToLower(name)
	switch {
	case strings.HasPrefix(n, "enabletrace"), strings.HasSuffix(n, "traceoutput"),
		strings.HasPrefix(n, "enable") && strings.Contains(n, "diagnostics"),
		strings.Contains(n, "debug"), strings.Contains(n, "logging"), strings.HasPrefix(n, "verbose"),
		strings.Contains(n, "trace") && !strings.Contains(n, "level"), strings.Contains(n, "tracing"):
		return true
	}
	return false
}

// IsDiagnosticsName reports whether name is a Diagnostics.* function, the
// library's or a helper module's, or the helper module record Diagnostics.
func IsDiagnosticsName(name string) bool {
	return name == "Diagnostics" || strings.HasPrefix(name, "Diagnostics.") &&
		name != "Diagnostics.ActivityId" && name != "Diagnostics.CorrelationId"
}

// MentionsDiagnostics reports whether n refers to a tracing function.
func MentionsDiagnostics(n ast.Node) bool {
	found := false
	if n == nil {
		return false
	}
	ast.Inspect(n, func(n ast.Node) bool {
		if found {
			return false
		}
		if id, ok := n.(*ast.Ident); ok && IsDiagnosticsName(id.Name) {
			found = true
		}
		return !found
	})
	return found
}

// TraceGate is a condition that switches tracing: an if whose condition
// reads a flag and one of whose branches selects or calls a Diagnostics.*
// function.
type TraceGate struct {
	If   *ast.IfExpr
	File *File
	Flag *Def // the member or binding the condition reads
	// On is the branch taken when the flag is true, when that can be told
	// from the condition (Flag, not Flag, Flag = true, Flag and …); nil
	// otherwise.
	On ast.Expr
}

// OnTraces reports whether the flag being true selects tracing: the branch
// it selects mentions a Diagnostics function, or, when that branch is not
// known, either does.
func (g TraceGate) OnTraces() bool {
	if g.On != nil {
		return MentionsDiagnostics(g.On)
	}
	return true
}

// gateBranch returns the branch of x that a true flag selects, or nil.
func gateBranch(f *File, x *ast.IfExpr, flag *Def) ast.Expr {
	var pol func(c ast.Expr) int // 1: flag true makes c true; -1: false; 0: unknown
	pol = func(c ast.Expr) int {
		switch v := Unparen(c).(type) {
		case *ast.Ident:
			if f.Ref(v) == flag {
				return 1
			}
		case *ast.UnaryExpr:
			if v.Op == token.NOT {
				return -pol(v.X)
			}
		case *ast.BinaryExpr:
			switch v.Op {
			case token.AND:
				if p := pol(v.X); p == 1 {
					return 1
				}
				if p := pol(v.Y); p == 1 {
					return 1
				}
			case token.ASSIGN, token.NE:
				p := pol(v.X)
				lit, ok := Unparen(v.Y).(*ast.Literal)
				if p == 0 || !ok || lit.Kind != token.TRUE && lit.Kind != token.FALSE {
					return 0
				}
				if lit.Kind == token.FALSE {
					p = -p
				}
				if v.Op == token.NE {
					p = -p
				}
				return p
			}
		}
		return 0
	}
	switch pol(x.Cond) {
	case 1:
		return x.True
	case -1:
		return x.False
	}
	return nil
}

// TraceGates returns the conditions in f that gate tracing on a member,
// let binding or record field.
func (prog *Program) TraceGates(f *File) []TraceGate {
	return f.caches.traceGates.get(func() []TraceGate { return prog.traceGates(f) })
}

func (prog *Program) traceGates(f *File) []TraceGate {
	var out []TraceGate
	for x := range f.Ifs() {
		if !(MentionsDiagnostics(x.True) || MentionsDiagnostics(x.False)) {
			continue
		}
		ast.Inspect(x.Cond, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if d := f.Ref(id); d != nil && (d.Kind == DefMember || d.Kind == DefBinding || d.Kind == DefField) {
					out = append(out, TraceGate{If: x, File: f, Flag: d, On: gateBranch(f, x, d)})
				}
			}
			return true
		})
	}
	return out
}

// ConstBool evaluates x as a constant condition, the way the engine would
// for a feature flag: true and false literals, names bound to them (section
// members, let bindings), not, and, or, and = or <> against true or false.
// ok is false when the value is not known before evaluation.
func (prog *Program) ConstBool(f *File, x ast.Expr) (v, ok bool) {
	return prog.constBool(f, x, 0)
}

func (prog *Program) constBool(f *File, x ast.Expr, depth int) (bool, bool) {
	if x == nil || depth > 16 {
		return false, false
	}
	switch v := Unparen(x).(type) {
	case *ast.Literal:
		switch v.Kind {
		case token.TRUE:
			return true, true
		case token.FALSE:
			return false, true
		}
	case *ast.Ident:
		d := f.Ref(v)
		if d == nil || d.Value == nil || d.Kind == DefParam {
			return false, false
		}
		return prog.constBool(prog.DefFile(d), d.Value, depth+1)
	case *ast.UnaryExpr:
		if v.Op == token.NOT {
			b, ok := prog.constBool(f, v.X, depth+1)
			return !b, ok
		}
	case *ast.BinaryExpr:
		switch v.Op {
		case token.AND, token.OR:
			a, aok := prog.constBool(f, v.X, depth+1)
			b, bok := prog.constBool(f, v.Y, depth+1)
			isAnd := v.Op == token.AND
			switch {
			case aok && bok:
				if isAnd {
					return a && b, true
				}
				return a || b, true
			case aok && a != isAnd, bok && b != isAnd:
				// false and …, … or true
				return !isAnd, true
			}
		case token.ASSIGN, token.NE:
			a, aok := prog.constBool(f, v.X, depth+1)
			b, bok := prog.constBool(f, v.Y, depth+1)
			if aok && bok {
				return (a == b) == (v.Op == token.ASSIGN), true
			}
		}
	}
	return false, false
}

// Dead reports whether node n of f can never be evaluated: it lies in the
// branch of an `if` whose condition is a constant that selects the other
// branch (`if EnableTraceOutput then … else …` with the flag false).
func (prog *Program) Dead(f *File, n ast.Node) bool {
	for child, p := n, f.Parent(n); p != nil; child, p = p, f.Parent(p) {
		ie, ok := p.(*ast.IfExpr)
		if !ok || (child != ast.Node(ie.True) && child != ast.Node(ie.False)) {
			continue
		}
		if v, ok := prog.ConstBool(f, ie.Cond); ok && v != (child == ast.Node(ie.True)) {
			return true
		}
	}
	return false
}

// TraceGated reports whether node n of f lies in a branch of an `if`
// whose condition reads a tracing feature flag: development tracing that
// the flag switches off.
func (prog *Program) TraceGated(f *File, n ast.Node) bool {
	for child, p := n, f.Parent(n); p != nil; child, p = p, f.Parent(p) {
		ie, ok := p.(*ast.IfExpr)
		if !ok || (child != ast.Node(ie.True) && child != ast.Node(ie.False)) {
			continue
		}
		gated := false
		ast.Inspect(ie.Cond, func(m ast.Node) bool {
			if id, ok := m.(*ast.Ident); ok && IsTraceFlagName(id.Name) {
				if d := f.Ref(id); d != nil && d.Kind != DefParam {
					gated = true
				}
			}
			return !gated
		})
		if gated {
			return true
		}
	}
	return false
}

// Traces reports whether the call c of f can write to the trace log: it
// is not in dead code, and its callee is the library's Diagnostics.*
// function or a connector function that traces. A helper rebound to a
// pass-through — Diagnostics.LogValue = if EnableTraceOutput then
// Diagnostics[LogValue] else (prefix, value) => value with the flag false —
// does not trace.
func (prog *Program) Traces(f *File, c *ast.InvokeExpr) bool {
	if prog.Dead(f, c) {
		return false
	}
	id, ok := Unparen(c.Fun).(*ast.Ident)
	if !ok {
		return true
	}
	d := f.Ref(id)
	if d == nil || d.Value == nil || d.Kind == DefParam {
		return true // the library's function, or unknown
	}
	x, xf := d.Value, prog.DefFile(d)
	for i := 0; i < 16; i++ {
		x = Unparen(x)
		switch v := x.(type) {
		case *ast.IfExpr:
			b, ok := prog.ConstBool(xf, v.Cond)
			if !ok {
				return true
			}
			if b {
				x = v.True
			} else {
				x = v.False
			}
			continue
		case *ast.Ident:
			dd := xf.Ref(v)
			if dd == nil || dd.Value == nil || dd.Kind == DefParam {
				return true
			}
			x, xf = dd.Value, prog.DefFile(dd)
			continue
		case *ast.FunctionExpr:
			return !passThrough(xf, v)
		}
		return true
	}
	return true
}

// passThrough reports whether fn returns one of its parameters unchanged
// and traces nothing: (prefix, value) => value.
func passThrough(f *File, fn *ast.FunctionExpr) bool {
	id, ok := Unparen(fn.Body).(*ast.Ident)
	if !ok {
		return false
	}
	d := f.Ref(id)
	return d != nil && d.Kind == DefParam && slices.Contains(fn.Params, d.Param)
}
