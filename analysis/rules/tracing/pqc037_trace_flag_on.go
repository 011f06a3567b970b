package tracing

import (
	"fmt"

	"slices"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
)

// PQC037 finds a tracing feature flag that was left on.
var PQC037 = &analysis.Analyzer{
	ID:       "PQC037",
	Fix:      analysis.SafeFix,
	Title:    "Tracing flag is still turned on",
	Severity: analysis.Warning,
	Doc: "Connectors that trace heavily during development are asked to put the tracing behind a flag " +
		"and to ship with the flag off. The usual idiom is a member such as EnableTraceOutput = true " +
		"that decides whether Diagnostics.LogValue and friends trace or just pass their value through. " +
		"The rule reports such a flag (a name like EnableTrace*, *TraceOutput, *Debug*, *Logging* or " +
		"Verbose*) when it is the literal true and a condition uses it to switch tracing. Flags used for " +
		"other purposes are left alone; a flag read from an option the user passes is only mentioned, as " +
		"information. The certification.strictTracing setting makes a flag left on an error. The fix sets " +
		"the flag to false.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:     "EnableTraceOutput = true;\nDiagnostics.LogValue = if EnableTraceOutput then Diagnostics[LogValue] else (prefix, value) => value;",
	Good:    "EnableTraceOutput = false;\nDiagnostics.LogValue = if EnableTraceOutput then Diagnostics[LogValue] else (prefix, value) => value;",
	Scope:   analysis.ExpressionScope,
	Run:     runPQC037,
}

func runPQC037(p *analysis.Pass) {
	// The flags that gate a trace, each once, in the order of their
	// gates. The rule looks at these rather than at every name each file
	// defines: in a large document the list of every binding cost more
	// than the rest of the rule.
	var flags []*model.Def
	seen := map[*model.Def]bool{}
	for _, f := range p.Prog.Files {
		if f.Role == project.Test {
			continue
		}
		for _, g := range p.Prog.TraceGates(f) {
			if g.OnTraces() && !seen[g.Flag] {
				seen[g.Flag] = true
				flags = append(flags, g.Flag)
			}
		}
	}
	if len(flags) == 0 {
		return // no flag gates a trace: nothing to report
	}
	for _, d := range flags {
		switch d.Kind {
		case model.DefMember, model.DefBinding, model.DefField:
		default:
			continue
		}
		if d.Ident == nil || !model.IsTraceFlagName(d.Name) {
			continue
		}
		// Only the flags defined in the files the rule reads.
		f := p.Prog.DefFile(d)
		if f == nil || !slices.Contains(p.Files, f) {
			continue
		}
		if opt := pqc037Option(f, d.Value); opt != "" {
			start, _ := analysis.Span(f, d.Ident)
			_, end := analysis.Span(f, d.Value)
			p.Report(analysis.Diagnostic{Path: f.Path, Start: start, End: end, Severity: analysis.Information,
				Message: fmt.Sprintf("%s turns tracing on from the %s option the user supplies: make sure it is off unless asked for", d.Name, opt)})
			continue
		}
		if !prjIsTrue(d.Value) {
			continue
		}
		start, _ := analysis.Span(f, d.Ident)
		_, end := analysis.Span(f, d.Value)
		sev := analysis.Warning
		if p.Config.Settings.StrictTracing {
			sev = analysis.Error
		}
		p.Report(analysis.Diagnostic{Path: f.Path, Start: start, End: end, Severity: sev,
			Message: fmt.Sprintf("%s is true, so the connector ships with tracing on: set it to false before submitting for certification", d.Name),
			Fixes: []analysis.Fix{{Title: "Turn tracing off", Preferred: true, Safe: true,
				Edits: []analysis.TextEdit{analysis.Replace(f, model.Unparen(d.Value), "false")}}}})
	}
}

// pqc037Option returns the name of the option a flag is read from, as in
// options[EnableTracing]? ?? false, or "".
func pqc037Option(f *model.File, x ast.Expr) string {
	x = model.Unparen(x)
	if b, ok := x.(*ast.BinaryExpr); ok && b.Op == token.COALESCE {
		x = model.Unparen(b.X)
	}
	fa, ok := x.(*ast.FieldAccess)
	if !ok || fa.Name == nil {
		return ""
	}
	id, ok := model.Unparen(fa.X).(*ast.Ident)
	if !ok {
		return ""
	}
	if d := f.Ref(id); d != nil && d.Kind == model.DefParam {
		return fa.Name.Name
	}
	return ""
}
