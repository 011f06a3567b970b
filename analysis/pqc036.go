package analysis

import (
	"regexp"
	"strings"

	"github.com/pqls/pqls/analysis/model"
	"github.com/pqls/pqls/grammar/ast"
)

// PQC036 finds credentials and personal data written to the trace log.
var PQC036 = &Analyzer{
	ID:       "PQC036",
	Fix:      SafeFix,
	Title:    "Credential or personal data traced",
	Severity: Error,
	Doc: "Trace logs are collected and shared for support, so certification forbids writing secrets " +
		"or personal data to them. The rule follows credentials and packaged secrets into the " +
		"arguments of Diagnostics.Trace and of the Diagnostics.* helpers connectors copy from the SDK " +
		"samples (LogValue, LogFailure, ValueToText, …). For Diagnostics.Trace only the message is " +
		"written, so the returned value is not checked; a structured message's SafeData and Name are " +
		"taken as safe. Values whose names suggest secrets or personal data (password, token, email, …) " +
		"and the user name are reported as warnings. Fixes drop the logging or redact the message.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:     "token = Diagnostics.LogValue(\"Token\", Extension.CurrentCredential()[access_token])",
	Good:    "token = Extension.CurrentCredential()[access_token]",
	Scope:   ExpressionScope,
	Run:     runPQC036,
}

var piiName = regexp.MustCompile(`(?i)^(e-?mail|email_?address|ssn|social_?security_?number|authorization|auth_?header)$`)

func runPQC036(p *Pass) {
	eachCall(p, func(f *model.File, c *ast.InvokeExpr) {
		name := calleeName(c)
		if !strings.HasPrefix(name, "Diagnostics.") || name == "Diagnostics.ActivityId" || name == "Diagnostics.CorrelationId" {
			return
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
			t := messageTaint(p, f, a)
			start, end := Span(f, a)
			var fixes []Fix
			if name == "Diagnostics.LogValue" && len(c.Args) == 2 && i == 1 {
				fixes = append(fixes, Fix{Title: "Stop logging the value", Preferred: true, Safe: true,
					Edits: []TextEdit{Replace(f, c, Source(f, c.Args[1]))}})
			} else if i == 0 || lib && name == "Diagnostics.Trace" {
				fixes = append(fixes, Fix{Title: "Redact the traced text", Preferred: true, Safe: true,
					Edits: []TextEdit{Replace(f, a, `"<redacted>"`)}})
			}
			switch {
			case t.Has(model.Credential | model.SecretFile):
				p.Report(Diagnostic{Path: f.Path, Start: start, End: end, Fixes: fixes,
					Message: "a credential is written to the trace log here: traces must not contain secrets; log something else or nothing",
					Related: originRelated(t, model.Credential|model.SecretFile, "the credential comes from here")})
			case t.Has(model.Identity):
				p.Report(Diagnostic{Path: f.Path, Start: start, End: end, Fixes: fixes, Severity: Warning,
					Message: "the user name is written to the trace log here: traces must not contain personal data",
					Related: originRelated(t, model.Identity, "the user name comes from here")})
			default:
				if n := tracedName(p, f, a); n != "" {
					p.Report(Diagnostic{Path: f.Path, Start: start, End: end, Fixes: fixes, Severity: Warning,
						Message: "the traced value " + n + " looks like a secret or personal data: traces must not contain them"})
				}
			}
		}
	})
}

// messageTaint is the taint of a traced argument; the SafeData and Name of
// a structured message record are safe.
func messageTaint(p *Pass, f *model.File, a ast.Expr) model.TaintSet {
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
func tracedName(p *Pass, f *model.File, a ast.Expr) string {
	var n string
	switch x := model.Unparen(a).(type) {
	case *ast.Ident:
		n = x.Name
	case *ast.FieldAccess:
		if x.Name != nil {
			n = x.Name.Name
		}
	}
	if n != "" && (credentialLikeName(n) || piiName.MatchString(n)) {
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
			if strings.EqualFold(fl.Name.Name, "Authorization") || credentialLikeName(fl.Name.Name) {
				return "with the header " + fl.Name.Name
			}
		}
	}
	return ""
}
