package tracing

import (
	"regexp"
	"slices"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// PQC036 finds credentials and personal data written to the trace log.
var PQC036 = &analysis.Analyzer{
	ID:       "PQC036",
	Fix:      analysis.SafeFix,
	Title:    "Credential or personal data traced",
	Severity: analysis.Error,
	Doc: "Trace logs are collected and shared for support, so certification forbids writing secrets " +
		"or personal data to them. The rule follows credentials and packaged secrets into the " +
		"arguments of Diagnostics.Trace and of the Diagnostics.* helpers connectors copy from the SDK " +
		"samples (LogValue, LogFailure, ValueToText, …). For Diagnostics.Trace only the message is " +
		"written, so the returned value is not checked; a structured message's SafeData and Name are " +
		"taken as safe. A generic logging helper of the connector is judged at its calls: the finding is " +
		"where a credential is passed to it, with the trace inside the helper as related information. " +
		"Calls in dead code and helpers rebound to pass their value through are not tracing. Values whose names suggest secrets or personal data (password, token, email, …) " +
		"and the user name are reported as warnings. Fixes drop the logging or redact the message.",
	HelpURI:   "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:       "token = Diagnostics.LogValue(\"Token\", Extension.CurrentCredential()[access_token])",
	Good:      "token = Extension.CurrentCredential()[access_token]",
	Scope:     analysis.ExpressionScope,
	PerMember: true,
	Run:       runPQC036,
}

var piiName = regexp.MustCompile(`(?i)^(e-?mail|email_?address|ssn|social_?security_?number|authorization|auth_?header)$`)

// runPQC036 starts from each call of a Diagnostics.* function. What it
// reports lies in the call's arguments, or, for a logging helper of the
// connector, at the helper's calls — the members that use the helper's —,
// and depends on the taint of those values, which flows through the
// members they name and the facts of the whole project. So the rule is
// checked member by member (PerMember); a helper's calls may lie in other
// files, which connector.EachRootCall minds.
func runPQC036(p *analysis.Pass) {
	reported := map[ast.Expr]bool{}
	connector.EachRootCall(p, pqc036Traces, func(f *model.File, c *ast.InvokeExpr, report func(analysis.Diagnostic)) {
		name := connector.CalleeName(c)
		if !p.Prog.Traces(f, c) {
			return // dead code, or a helper rebound to pass its value through
		}
		lib := p.Prog.CallName(f, c) == name
		for i, a := range c.Args {
			if lib && name == "Diagnostics.Trace" && i != 1 {
				continue // only the message is written
			}
			switch model.Unparen(a).(type) {
			case *ast.FunctionExpr, *ast.EachExpr:
				continue
			}
			helper := loggingHelper(p, f, c, a)
			var t model.TaintSet
			if helper != nil {
				// a generic helper: judge what it adds itself here, and
				// what its callers pass at their calls
				t = messageTaintInside(p, f, a, helper)
				pqc036Callers(p, report, f, a, helper, reported)
			} else {
				t = messageTaint(p, f, a)
			}
			if reported[a] {
				continue
			}
			reported[a] = true
			start, end := analysis.Span(f, a)
			var fixes []analysis.Fix
			if name == "Diagnostics.LogValue" && len(c.Args) == 2 && i == 1 {
				fixes = append(fixes, analysis.Fix{Title: "Stop logging the value", Preferred: true, Safe: true,
					Edits: []analysis.TextEdit{analysis.Replace(f, c, analysis.Source(f, c.Args[1]))}})
			} else if i == 0 || lib && name == "Diagnostics.Trace" {
				if edits := redact(p, f, a, true); len(edits) > 0 {
					fixes = append(fixes, analysis.Fix{Title: "Redact the credential in the traced text", Preferred: true, Safe: true,
						Edits: edits})
				}
			}
			switch {
			case t.Has(model.Credential | model.SecretFile):
				report(analysis.Diagnostic{Path: f.Path, Start: start, End: end, Fixes: fixes,
					Message: "a credential is written to the trace log here: traces must not contain secrets; log something else or nothing",
					Related: connector.OriginRelated(t, model.Credential|model.SecretFile, "the credential comes from here")})
			case t.Has(model.Identity):
				report(analysis.Diagnostic{Path: f.Path, Start: start, End: end, Fixes: fixes, Severity: analysis.Warning,
					Message: "the user name is written to the trace log here: traces must not contain personal data",
					Related: connector.OriginRelated(t, model.Identity, "the user name comes from here")})
			default:
				if n := tracedName(p, f, a); n != "" {
					report(analysis.Diagnostic{Path: f.Path, Start: start, End: end, Fixes: fixes, Severity: analysis.Warning,
						Message: "the traced value " + n + " looks like a secret or personal data: traces must not contain them"})
				}
			}
		}
	})
}

// pqc036Traces reports whether c calls a Diagnostics.* function that may
// write what it is given to the trace log.
func pqc036Traces(c *ast.InvokeExpr) bool {
	name := connector.CalleeName(c)
	return strings.HasPrefix(name, "Diagnostics.") && name != "Diagnostics.ActivityId" && name != "Diagnostics.CorrelationId"
}

// loggingHelper returns the connector function whose body holds the
// trace call c when the traced argument a depends on its parameters: a
// generic logging helper, judged at its calls. Functions Power Query calls
// itself (data-source functions, handlers) are not helpers.
func loggingHelper(p *analysis.Pass, f *model.File, c *ast.InvokeExpr, a ast.Expr) *ast.FunctionExpr {
	var fn *ast.FunctionExpr
	for n := f.Parent(c); n != nil; n = f.Parent(n) {
		if x, ok := n.(*ast.FunctionExpr); ok {
			fn = x
			break
		}
	}
	if fn == nil || p.Prog.IsHandler(fn) || len(p.Prog.CallSites(fn)) == 0 || len(helperParams(f, a, fn)) == 0 {
		return nil
	}
	return fn
}

// helperParams returns the indexes of the parameters of fn that x reads.
func helperParams(f *model.File, x ast.Expr, fn *ast.FunctionExpr) []int {
	var out []int
	ast.Inspect(x, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if d := f.Ref(id); d != nil && d.Kind == model.DefParam && d.Func == ast.Node(fn) {
				for i, q := range fn.Params {
					if q == d.Param && !slices.Contains(out, i) {
						out = append(out, i)
					}
				}
			}
		}
		return true
	})
	return out
}

// pqc036Callers reports the calls of the logging helper fn that pass it a
// credential which reaches the traced argument a, with the trace as related
// information.
func pqc036Callers(p *analysis.Pass, report func(analysis.Diagnostic), f *model.File, a ast.Expr, fn *ast.FunctionExpr, reported map[ast.Expr]bool) {
	ts, te := analysis.Span(f, a)
	related := analysis.Related{Path: f.Path, Start: ts, End: te, Message: "the helper writes it to the trace log here"}
	for _, idx := range helperParams(f, a, fn) {
		for _, s := range p.Prog.CallSites(fn) {
			if idx >= len(s.Call.Args) || reported[s.Call.Args[idx]] {
				continue
			}
			arg := s.Call.Args[idx]
			t := p.Prog.Taint(s.File, arg)
			if !t.Has(model.Credential|model.SecretFile) || !p.Prog.Traces(s.File, s.Call) {
				continue
			}
			reported[arg] = true
			start, end := analysis.Span(s.File, arg)
			report(analysis.Diagnostic{Path: s.File.Path, Start: start, End: end,
				Message: "a credential is passed to a logging helper that writes it to the trace log: traces must not contain secrets; log something else or nothing",
				Related: append([]analysis.Related{related}, connector.OriginRelated(t, model.Credential|model.SecretFile, "the credential comes from here")...)})
		}
	}
}

// messageTaintInside is messageTaint for an argument of a trace inside the
// logging helper fn, leaving out what its callers pass.
func messageTaintInside(p *analysis.Pass, f *model.File, a ast.Expr, fn *ast.FunctionExpr) model.TaintSet {
	if r, rf := p.Prog.RecordOf(f, a); r != nil && model.Field(r, "SafeData") != nil {
		var t model.TaintSet
		for _, fl := range r.Fields {
			if fl.Name != nil && fl.Name.Name != "SafeData" && fl.Name.Name != "Name" {
				t = t.Union(p.Prog.TaintInside(rf, fl.Value, fn))
			}
		}
		return t
	}
	return p.Prog.TaintInside(f, a, fn)
}

// messageTaint is the taint of a traced argument; the SafeData and Name of
// a structured message record are safe.
func messageTaint(p *analysis.Pass, f *model.File, a ast.Expr) model.TaintSet {
	if r, rf := p.Prog.RecordOf(f, a); r != nil && model.Field(r, "SafeData") != nil {
		var t model.TaintSet
		for _, fl := range r.Fields {
			if fl.Name != nil && fl.Name.Name != "SafeData" && fl.Name.Name != "Name" {
				t = t.Union(p.Prog.Taint(rf, fl.Value))
			}
		}
		return t
	}
	return p.Prog.Taint(f, a)
}

// tracedName returns the name of a traced value when it suggests a secret
// or personal data, or a headers record with an Authorization, key or token
// field computed at run time.
func tracedName(p *analysis.Pass, f *model.File, a ast.Expr) string {
	var n string
	switch x := model.Unparen(a).(type) {
	case *ast.Ident:
		n = x.Name
	case *ast.FieldAccess:
		if x.Name != nil {
			n = x.Name.Name
		}
	}
	if n != "" && (connector.CredentialLikeName(n) || piiName.MatchString(n)) {
		return n
	}
	if r, _ := p.Prog.RecordOf(f, a); r != nil {
		for _, fl := range r.Fields {
			if fl.Name == nil {
				continue
			}
			if _, lit := model.Text(model.Unparen(fl.Value)); lit {
				continue
			}
			if strings.EqualFold(fl.Name.Name, "Authorization") || connector.CredentialLikeName(fl.Name.Name) {
				return "with the header " + fl.Name.Name
			}
		}
	}
	return ""
}

// redact returns the edits that replace the parts of the traced value x
// that carry a credential with "<redacted>", and only those: the operands
// of a & chain, the fields of a structured trace record. A value that
// comes in through a parameter of the enclosing function is left alone:
// the secret is its callers', and a shared logging helper must keep
// working for them.
func redact(p *analysis.Pass, f *model.File, x ast.Expr, top bool) []analysis.TextEdit {
	tainted := messageTaint(p, f, x).Has(model.Credential | model.SecretFile | model.Identity)
	if !tainted && !top {
		return nil
	}
	switch v := model.Unparen(x).(type) {
	case *ast.RecordExpr:
		if !tainted {
			break
		}
		var out []analysis.TextEdit
		for _, fl := range v.Fields {
			if fl.Value != nil {
				out = append(out, redact(p, f, fl.Value, false)...)
			}
		}
		return out
	case *ast.BinaryExpr:
		if v.Op == token.AND_TEXT {
			if tainted {
				return append(redact(p, f, v.X, false), redact(p, f, v.Y, false)...)
			}
		}
	case *ast.Ident:
		if d := f.Ref(v); d != nil && d.Kind == model.DefParam {
			return nil
		}
	}
	return []analysis.TextEdit{analysis.Replace(f, x, `"<redacted>"`)}
}
