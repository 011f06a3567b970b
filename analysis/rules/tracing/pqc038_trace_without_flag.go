package tracing

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
)

// PQC038 asks for a flag around heavy tracing.
var PQC038 = &analysis.Analyzer{
	ID:       "PQC038",
	Fix:      analysis.ManualFix,
	Title:    "Tracing is not behind a feature flag",
	Severity: analysis.Information,
	Doc: "A connector that traces a lot should let one switch turn the tracing off, so that it can be " +
		"shipped quiet and turned back on for diagnosis. The rule counts the Diagnostics.Trace and " +
		"Diagnostics.LogValue calls of the main document, leaving out error and critical traces and the " +
		"identifier functions ActivityId and CorrelationId, and reports when they reach the " +
		"certification.traceCallThreshold setting and no condition on a flag switches tracing anywhere " +
		"in the connector. A flag is a name that says so (EnableTraceOutput, Debug, …), a constant true " +
		"or false, or an option the user passes; a condition such as the failure check in the " +
		"Diagnostics.pqm module of the SDK samples (if result[HasError] then trace …) is not one.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:     "GetOrders = () => Diagnostics.Trace(TraceLevel.Information, \"orders\", () => …, true); // and many more",
	Good:    "EnableTraceOutput = false;\nTrace = (msg, value) => if EnableTraceOutput then Diagnostics.Trace(TraceLevel.Information, msg, value) else value;",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC038,
}

func runPQC038(p *analysis.Pass) {
	f := p.Prog.Main
	if f == nil {
		return
	}
	for _, ff := range p.Prog.Files {
		if ff.Role == project.Test {
			continue
		}
		for _, g := range p.Prog.TraceGates(ff) {
			if pqc038Switch(p.Prog, g) {
				return
			}
		}
	}
	threshold := p.Config.Settings.TraceCallThreshold
	if threshold <= 0 {
		threshold = config.Default().Settings.TraceCallThreshold
	}
	// The trace calls by their callee's name, which members that call no
	// such name are passed over for (File.CallsNamed), in source order.
	var calls []*ast.InvokeExpr
	for c := range f.CallsNamed("Diagnostics.Trace") {
		if p.Prog.CallName(f, c) == "Diagnostics.Trace" && !pqc038ErrorLevel(c) && p.Prog.Traces(f, c) {
			calls = append(calls, c)
		}
	}
	for _, name := range []string{"Diagnostics.LogValue", "Diagnostics.LogValue2"} {
		for c := range f.CallsNamed(name) {
			if p.Prog.Traces(f, c) {
				calls = append(calls, c)
			}
		}
	}
	slices.SortFunc(calls, func(a, b *ast.InvokeExpr) int { return cmp.Compare(a.Pos(), b.Pos()) })
	if len(calls) < threshold {
		return
	}
	var fixes []analysis.Fix
	logValues := 0
	for _, c := range calls {
		if connector.CalleeName(c) != "Diagnostics.Trace" {
			logValues++
		}
	}
	lv := p.Prog.Members["Diagnostics.LogValue"]
	if _, taken := p.Prog.Members["EnableTraceOutput"]; !taken && lv != nil && lv.Node.Value != nil && 2*logValues >= len(calls) {
		line := f.AST.Lines.UTF8(f.AST.Offset(lv.Node.Pos())).Line
		fixes = append(fixes, analysis.Fix{Title: "Put Diagnostics.LogValue behind an EnableTraceOutput flag", Preferred: true,
			Edits: []analysis.TextEdit{
				analysis.Insert(f, f.AST.Lines.LineStart(line), "// Set to true to trace while developing; keep false in releases.\nEnableTraceOutput = false;\n"),
				analysis.Replace(f, lv.Node.Value, "if EnableTraceOutput then "+analysis.Source(f, lv.Node.Value)+" else (prefix, value) => value"),
			}})
	}
	places := fmt.Sprintf("%d places", len(calls))
	if len(calls) == 1 {
		places = "one place" // a threshold of 1 is allowed
	}
	p.ReportNode(f, calls[0].Fun, "the connector traces in "+places+" and no flag turns the tracing off: add a flag such as "+
		"EnableTraceOutput = false and make the trace helpers pass their value through when it is off", fixes...)
}

// pqc038Switch reports whether the condition g reads a switch for
// tracing: a name that says so (EnableTraceOutput, Debug, …), a constant
// true or false, or an option the user passes. Other conditions that
// happen to pick between a trace and something else are not one: the
// Diagnostics.pqm module most connectors copy from Microsoft's samples
// traces in LogFailure only when the call failed (if result[HasError]
// then …), and took for a flag it hid every connector that ships the
// module.
func pqc038Switch(prog *model.Program, g model.TraceGate) bool {
	d := g.Flag
	if model.IsTraceFlagName(d.Name) {
		return true
	}
	if d.Value == nil {
		return false
	}
	df := prog.DefFile(d)
	if df == nil {
		return false
	}
	if _, ok := prog.ConstBool(df, d.Value); ok {
		return true
	}
	return pqc037Option(df, d.Value) != ""
}

// pqc038ErrorLevel reports whether a Diagnostics.Trace call traces an
// error or critical event.
func pqc038ErrorLevel(c *ast.InvokeExpr) bool {
	id, ok := model.Unparen(model.Arg(c, 0)).(*ast.Ident)
	return ok && (id.Name == "TraceLevel.Error" || id.Name == "TraceLevel.Critical")
}
