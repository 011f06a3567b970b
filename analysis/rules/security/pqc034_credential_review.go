package security

import (
	"sort"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC034 is the reviewer's reminder at each use of the credential.
var PQC034 = &analysis.Analyzer{
	ID:       "PQC034",
	Fix:      analysis.SafeFix,
	Title:    "Review: where is the credential used and sent?",
	Severity: analysis.Information,
	Doc: "For every place a connector reads the user's credential, the certification reviewer asks " +
		"whether it is really needed and where it is sent. This review reminder marks each call of " +
		"Extension.CurrentCredential() and names the hosts of the requests the credential reaches when " +
		"they are known. It also warns about Extension.CurrentCredentials() — the plural spelling of the " +
		"certification page, which does not exist — and offers to correct it.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:     "token = Extension.CurrentCredentials()[access_token]",
	Good:    "token = Extension.CurrentCredential()[access_token]",
	Scope:   analysis.ExpressionScope,
	Review:  true,
	Run:     runPQC034,
}

func runPQC034(p *analysis.Pass) {
	// Hosts each credential call reaches, by the call.
	sinks := map[ast.Node]map[string]bool{}
	for _, f := range p.Prog.Files {
		for _, r := range p.Prog.Requests(f, nil) {
			parts := []model.TaintSet{p.Prog.Taint(f, r.URL)}
			for _, fl := range r.Fields {
				parts = append(parts, p.Prog.Taint(fl.File, fl.Value))
			}
			host := "a request to a URL computed at run time"
			if lit, _ := p.Prog.Leftmost(f, r.URL); lit != nil {
				if s, _ := model.Text(lit); hostOf(s) != "" {
					host = "requests to " + hostOf(s)
				}
			}
			for _, t := range parts {
				if o, ok := t.Origin(model.Credential); ok {
					if sinks[o.Node] == nil {
						sinks[o.Node] = map[string]bool{}
					}
					sinks[o.Node][host] = true
				}
			}
		}
	}
	// ... and the drivers of ODBC-style data sources.
	for _, f := range p.Prog.Files {
		root := f.AST.Root()
		if root == nil {
			continue
		}
		ast.Inspect(root, func(n ast.Node) bool {
			c, ok := n.(*ast.InvokeExpr)
			if !ok {
				return true
			}
			name := p.Prog.CallName(f, c)
			if _, ok := odbcArgs[name]; !ok {
				return true
			}
			for _, a := range c.Args {
				if o, ok := p.Prog.Taint(f, a).Origin(model.Credential | model.Identity); ok {
					if sinks[o.Node] == nil {
						sinks[o.Node] = map[string]bool{}
					}
					sinks[o.Node]["the driver of "+name] = true
				}
			}
			return true
		})
	}
	p.EachCall(func(f *model.File, c *ast.InvokeExpr) {
		name := p.Prog.CallName(f, c)
		if name != "Extension.CurrentCredential" && name != "Extension.CurrentCredentials" {
			return
		}
		msg := "review: the credential is read here — is it needed, and where is it sent?"
		if hosts := sinks[c]; len(hosts) > 0 {
			var hs []string
			for h := range hosts {
				hs = append(hs, h)
			}
			sort.Strings(hs)
			msg += " It reaches " + strings.Join(hs, ", ") + "."
		}
		start, end := analysis.Span(f, c)
		p.Report(analysis.Diagnostic{Path: f.Path, Start: start, End: end, Message: msg})
		if name == "Extension.CurrentCredentials" {
			fs, fe := analysis.Span(f, c.Fun)
			p.Report(analysis.Diagnostic{Path: f.Path, Start: fs, End: fe, Severity: analysis.Warning,
				Message: "Extension.CurrentCredentials does not exist (the certification page misspells it): call Extension.CurrentCredential()",
				Fixes: []analysis.Fix{{Title: "Use Extension.CurrentCredential", Preferred: true, Safe: true,
					Edits: []analysis.TextEdit{{Path: f.Path, Start: fs, End: fe, NewText: "Extension.CurrentCredential"}}}}})
		}
	})
}
