package security

import (
	"regexp"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC030 finds credentials sent in the URL of a GET request.
var PQC030 = &analysis.Analyzer{
	ID:       "PQC030",
	Fix:      analysis.SafeFix,
	Title:    "Credential sent in a GET URL, Query or RelativePath",
	Severity: analysis.Error,
	Doc: "A secret placed in the address of a GET request (the URL itself, the Query option or " +
		"RelativePath) travels in clear in server logs, proxies and the Power Query request cache. " +
		"Certification requires such values to go through the CredentialQuery option of Web.Contents " +
		"(the certification page calls it CredentialQueryString; both are accepted), which keeps them " +
		"out of the cache key and the logs — or better, in a header or a POST body. The rule follows " +
		"credentials from Extension.CurrentCredential() and packaged secret files through variables, " +
		"records, text builders and the connector's own helper functions. Fixes move the field from " +
		"Query into CredentialQuery, or split the query string of the URL or RelativePath (written at " +
		"the call, in a binding or member, or built with Uri.BuildQueryString) into Query and " +
		"CredentialQuery, adding ManualCredentials = true for a key, and drop a query-string binding " +
		"nothing else reads. A URL that a helper function receives as a parameter and requests is fixed " +
		"in the helper when every caller passes the same query string, else at the callers when the " +
		"helper passes their options on; the calls of a module that gets the helper in the environment " +
		"record of the Expression.Evaluate that loads it count as callers. A helper may also have callers " +
		"pqls cannot see: one the connector hands to other code as a value (an argument, say) or one " +
		"that is shared, and so exported. The fix then does not move the query string into the helper, " +
		"whose request would change for those callers; a fix at the callers pqls sees is offered for a " +
		"helper handed to the connector's own code, but not as safe, and the message says which use it " +
		"leaves. When no fix can be made the message says why.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad: "key = Extension.CurrentCredential()[Key],\n" +
		"source = Web.Contents(\"https://api.contoso.com/v1/items?api_key=\" & key)",
	Good: "key = Extension.CurrentCredential()[Key],\n" +
		"source = Web.Contents(\"https://api.contoso.com/v1/items\",\n" +
		"    [CredentialQuery = [api_key = key], ManualCredentials = true])",
	Scope:     analysis.ExpressionScope,
	PerMember: true,
	Run:       runPQC030,
}

// secretInURL matches a hardcoded secret-looking query parameter.
var secretInURL = regexp.MustCompile(`(?i)[?&](api_?key|apikey|access_token|auth_?token|token|sig|signature|client_secret|secret|password|pwd|key|code)=([A-Za-z0-9%_\-.~+/=]{8,})`)

func runPQC030(p *analysis.Pass) {
	for _, r := range p.Requests() {
		if r.Post() && !emptyContent(p, r) {
			continue
		}
		sev := analysis.Error
		how := "this GET request"
		if !r.Known {
			sev, how = analysis.Information, "this request (its options are not known statically; if it is a GET)"
		}
		f := r.File
		if r.URL != nil {
			t := p.Prog.Taint(f, r.URL)
			if t.Has(model.Credential) {
				start, end := analysis.Span(f, r.URL)
				fixes, why := pqc030Fix(p, r, nil)
				p.Report(analysis.Diagnostic{Path: f.Path, Start: start, End: end, Severity: sev,
					Message: "a credential is part of the URL of " + how + ": URLs end up in logs and caches; " +
						"pass the secret in the " + credentialQueryName(p) + " option of Web.Contents, a header or a POST body instead" + why,
					Fixes: fixes, Related: connector.OriginRelated(t, model.Credential, "the credential comes from here")})
			} else {
				hardcodedSecret(p, f, r.URL)
			}
		}
		if q, ok := r.Fields.Get("Query"); ok {
			queryFields(p, r, q, sev, how)
		}
		if rp, ok := r.Fields.Get("RelativePath"); ok {
			if t := p.Prog.Taint(rp.File, rp.Value); t.Has(model.Credential) {
				start, end := analysis.Span(rp.File, rp.Value)
				fixes, why := pqc030Fix(p, r, &rp)
				p.Report(analysis.Diagnostic{Path: rp.File.Path, Start: start, End: end, Severity: sev,
					Message: "a credential is part of the RelativePath of " + how + ": pass it in the " +
						credentialQueryName(p) + " option or a header instead" + why,
					Fixes: fixes, Related: connector.OriginRelated(t, model.Credential, "the credential comes from here")})
			}
		}
	}
}

// emptyContent reports whether the body of a request is empty text or an
// empty binary: a POST made only to get past the cache, whose Query and URL
// still travel in the address.
func emptyContent(p *analysis.Pass, r *model.Request) bool {
	c, ok := r.Fields.Get("Content")
	if !ok {
		return false
	}
	v, vf := p.Prog.ValueOf(c.File, c.Value)
	if s, ok := model.Text(v); ok {
		return s == ""
	}
	call, ok := v.(*ast.InvokeExpr)
	if !ok {
		return false
	}
	switch p.Prog.CallName(vf, call) {
	case "Text.ToBinary", "Binary.FromText":
		s, ok := p.Prog.TextOf(vf, model.Arg(call, 0))
		return ok && s == ""
	}
	return false
}

// pqc030Fix returns the fix for a credential in the URL (or RelativePath,
// with rp set) of r, and, when there is none or it is partial, the words
// that tell why.
func pqc030Fix(p *analysis.Pass, r *model.Request, rp *model.ReqField) ([]analysis.Fix, string) {
	fix, partial, why := credentialFix(p, r, rp)
	if why != "" {
		return nil, " (no automatic fix: " + string(why) + ")"
	}
	if partial != "" {
		return []analysis.Fix{fix}, " (the fix is partial: " + partial + ")"
	}
	return []analysis.Fix{fix}, ""
}

func hardcodedSecret(p *analysis.Pass, f *model.File, url ast.Expr) {
	ast.Inspect(url, func(n ast.Node) bool {
		lit, ok := n.(*ast.Literal)
		if !ok {
			return true
		}
		if s, ok := model.Text(lit); ok && secretInURL.MatchString(s) && !strings.Contains(s, "#{") {
			start, end := analysis.Span(f, lit)
			p.Report(analysis.Diagnostic{Path: f.Path, Start: start, End: end, Severity: analysis.Information,
				Message: "this URL carries what looks like a hardcoded secret in its query string: " +
					"a connector must not ship secrets; take it from the user's credential and pass it in " +
					credentialQueryName(p)})
		}
		return true
	})
}

func queryFields(p *analysis.Pass, r *model.Request, q model.ReqField, sev analysis.Severity, how string) {
	rec, rf := p.Prog.RecordOf(q.File, q.Value)
	if rec == nil {
		if t := p.Prog.Taint(q.File, q.Value); t.Has(model.Credential) {
			start, end := analysis.Span(q.File, q.Value)
			p.Report(analysis.Diagnostic{Path: q.File.Path, Start: start, End: end, Severity: sev,
				Message: "the Query of " + how + " carries a credential: move the secret into the " +
					credentialQueryName(p) + " option",
				Related: connector.OriginRelated(t, model.Credential, "the credential comes from here")})
		}
		return
	}
	for i, fl := range rec.Fields {
		if fl.Name == nil {
			continue
		}
		t := p.Prog.Taint(rf, fl.Value)
		if !t.Has(model.Credential) {
			continue
		}
		name := credentialQueryName(p)
		var fixes []analysis.Fix
		if fix, ok := moveQueryField(p, r, q, rec, rf, i, t); ok {
			fixes = append(fixes, fix)
		}
		start, end := analysis.Span(rf, fl)
		p.Report(analysis.Diagnostic{Path: rf.Path, Start: start, End: end, Severity: sev,
			Message: "the Query field " + fl.Name.Name + " of " + how + " carries a credential: move it into the " +
				name + " option, which keeps it out of logs and caches",
			Fixes: fixes, Related: connector.OriginRelated(t, model.Credential, "the credential comes from here")})
	}
}
