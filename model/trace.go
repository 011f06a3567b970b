package model

import (
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
			if f.Refs[v] == flag {
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
	for _, x := range f.Index().Ifs {
		if !(MentionsDiagnostics(x.True) || MentionsDiagnostics(x.False)) {
			continue
		}
		ast.Inspect(x.Cond, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if d := f.Refs[id]; d != nil && (d.Kind == DefMember || d.Kind == DefBinding || d.Kind == DefField) {
					out = append(out, TraceGate{If: x, File: f, Flag: d, On: gateBranch(f, x, d)})
				}
			}
			return true
		})
	}
	return out
}
