package connector

import (
	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// EachRootCall calls fn for each call the pass looks at that match
// accepts, with the function its findings go through. It serves the
// per-member rules (analysis.Analyzer.PerMember) whose findings from a call
// of the main document may lie in another file of the project: a module
// the value is loaded from (Extension.LoadFunction), a test query or module
// that calls the connector's function.
//
// An incremental check computes the findings of the other files again at
// every check and keeps none, but runs a per-member rule only over the
// members of the main document an edit may have changed: what the calls of
// the other members find in other files would be lost. So when the project
// has other files and the pass leaves out members, the calls of the members
// left out are followed too, with a report function that keeps only what
// lies outside the main document. The calls are taken in the order a full
// check takes them — the main document's in source order, then the other
// files' — so that a rule that reports a place once, for the first call
// that reaches it, reports it for the same call.
func EachRootCall(p *analysis.Pass, match func(*ast.InvokeExpr) bool, fn func(f *model.File, c *ast.InvokeExpr, report func(analysis.Diagnostic))) {
	main := p.Prog.Main
	// Members says whether the pass leaves members out without building
	// anything when it does not; with no other file nothing is lost.
	if main == nil || len(p.Prog.Files) == 1 || len(p.Members()) == len(p.Prog.MemberList) {
		p.EachCall(func(f *model.File, c *ast.InvokeExpr) {
			if match(c) {
				fn(f, c, p.Report)
			}
		})
		return
	}
	var inPass map[*ast.InvokeExpr]bool
	for _, c := range p.Index(main).Calls {
		if match(c) {
			if inPass == nil {
				inPass = map[*ast.InvokeExpr]bool{}
			}
			inPass[c] = true
		}
	}
	outside := func(d analysis.Diagnostic) {
		if d.Path != main.Path {
			p.Report(d)
		}
	}
	for c := range main.Calls() {
		if !match(c) {
			continue
		}
		if inPass[c] {
			fn(main, c, p.Report)
		} else {
			fn(main, c, outside)
		}
	}
	p.EachCall(func(f *model.File, c *ast.InvokeExpr) {
		if f != main && match(c) {
			fn(f, c, p.Report)
		}
	})
}

// ReportNode reports a finding that spans node n of f through report.
func ReportNode(report func(analysis.Diagnostic), f *model.File, n ast.Node, msg string, fixes ...analysis.Fix) {
	start, end := analysis.Span(f, n)
	report(analysis.Diagnostic{Path: f.Path, Start: start, End: end, Message: msg, Fixes: fixes})
}
