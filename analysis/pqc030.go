package analysis

import (
	"regexp"
	"strings"

	"github.com/pqls/pqls/analysis/model"
	"github.com/pqls/pqls/grammar/ast"
)

// PQC030 finds credentials sent in the URL of a GET request.
var PQC030 = &Analyzer{
	ID:       "PQC030",
	Fix:      SafeFix,
	Title:    "Credential sent in a GET URL, Query or RelativePath",
	Severity: Error,
	Doc: "A secret placed in the address of a GET request (the URL itself, the Query option or " +
		"RelativePath) travels in clear in server logs, proxies and the Power Query request cache. " +
		"Certification requires such values to go through the CredentialQuery option of Web.Contents " +
		"(the certification page calls it CredentialQueryString; both are accepted), which keeps them " +
		"out of the cache key and the logs — or better, in a header or a POST body. The rule follows " +
		"credentials from Extension.CurrentCredential() and packaged secret files through variables, " +
		"records, text builders and the connector's own helper functions. Fixes move the field from " +
		"Query into CredentialQuery, or split a `?name=` concatenation into Query and CredentialQuery.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad: "key = Extension.CurrentCredential()[Key],\n" +
		"source = Web.Contents(\"https://api.contoso.com/v1/items?api_key=\" & key)",
	Good: "key = Extension.CurrentCredential()[Key],\n" +
		"source = Web.Contents(\"https://api.contoso.com/v1/items\",\n" +
		"    [CredentialQuery = [api_key = key], ManualCredentials = true])",
	Scope: ExpressionScope,
	Run:   runPQC030,
}

// secretInURL matches a hardcoded secret-looking query parameter.
var secretInURL = regexp.MustCompile(`(?i)[?&](api_?key|apikey|access_token|auth_?token|token|sig|signature|client_secret|secret|password|pwd|key|code)=([A-Za-z0-9%_\-.~+/=]{8,})`)

func runPQC030(p *Pass) {
	for _, r := range requests(p) {
		if r.Post() {
			continue
		}
		sev := Error
		how := "this GET request"
		if !r.Known {
			sev, how = Information, "this request (its options are not known statically; if it is a GET)"
		}
		f := r.File
		if r.URL != nil {
			t := p.Prog.Taint(f, r.URL)
			if t.Has(model.Credential) {
				start, end := Span(f, r.URL)
				var fixes []Fix
				if fix, ok := splitQueryFix(p, r); ok {
					fixes = append(fixes, fix)
				}
				p.Report(Diagnostic{Path: f.Path, Start: start, End: end, Severity: sev,
					Message: "a credential is part of the URL of " + how + ": URLs end up in logs and caches; " +
						"pass the secret in the " + credentialQueryName(p) + " option of Web.Contents, a header or a POST body instead",
					Fixes: fixes, Related: originRelated(t, model.Credential, "the credential comes from here")})
			} else {
				hardcodedSecret(p, f, r.URL)
			}
		}
		if q, ok := r.Fields["Query"]; ok {
			queryFields(p, r, q, sev, how)
		}
		if rp, ok := r.Fields["RelativePath"]; ok {
			if t := p.Prog.Taint(rp.File, rp.Value); t.Has(model.Credential) {
				start, end := Span(rp.File, rp.Value)
				p.Report(Diagnostic{Path: rp.File.Path, Start: start, End: end, Severity: sev,
					Message: "a credential is part of the RelativePath of " + how + ": pass it in the " +
						credentialQueryName(p) + " option or a header instead",
					Related: originRelated(t, model.Credential, "the credential comes from here")})
			}
		}
	}
}

func hardcodedSecret(p *Pass, f *model.File, url ast.Expr) {
	ast.Inspect(url, func(n ast.Node) bool {
		lit, ok := n.(*ast.Literal)
		if !ok {
			return true
		}
		if s, ok := model.Text(lit); ok && secretInURL.MatchString(s) && !strings.Contains(s, "#{") {
			start, end := Span(f, lit)
			p.Report(Diagnostic{Path: f.Path, Start: start, End: end, Severity: Information,
				Message: "this URL carries what looks like a hardcoded secret in its query string: " +
					"a connector must not ship secrets; take it from the user's credential and pass it in " +
					credentialQueryName(p)})
		}
		return true
	})
}

func queryFields(p *Pass, r *model.Request, q model.ReqField, sev Severity, how string) {
	rec, rf := p.Prog.RecordOf(q.File, q.Value)
	if rec == nil {
		if t := p.Prog.Taint(q.File, q.Value); t.Has(model.Credential) {
			start, end := Span(q.File, q.Value)
			p.Report(Diagnostic{Path: q.File.Path, Start: start, End: end, Severity: sev,
				Message: "the Query of " + how + " carries a credential: move the secret into the " +
					credentialQueryName(p) + " option",
				Related: originRelated(t, model.Credential, "the credential comes from here")})
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
		var fixes []Fix
		if q.Field != nil {
			text := Source(rf, fl)
			edits := []TextEdit{deleteField(rf, rec, i)}
			cq, ok := r.Fields["CredentialQuery"]
			if !ok {
				cq, ok = r.Fields["CredentialQueryString"]
			}
			if ok {
				if cr, cf := p.Prog.RecordOf(cq.File, cq.Value); cr != nil {
					edits = append(edits, addFieldEdit(cf, cr, text))
				} else {
					edits = nil
				}
			} else {
				_, end := Span(q.File, q.Field)
				edits = append(edits, Insert(q.File, end, ", "+name+" = ["+text+"]"))
			}
			if edits != nil {
				fixes = append(fixes, Fix{Title: "Move " + fl.Name.Name + " from Query to " + name,
					Edits: edits, Preferred: true, Safe: true})
			}
		}
		start, end := Span(rf, fl)
		p.Report(Diagnostic{Path: rf.Path, Start: start, End: end, Severity: sev,
			Message: "the Query field " + fl.Name.Name + " of " + how + " carries a credential: move it into the " +
				name + " option, which keeps it out of logs and caches",
			Fixes: fixes, Related: originRelated(t, model.Credential, "the credential comes from here")})
	}
}

// splitQueryFix rewrites Web.Contents(base & "?a=" & x & "&k=" & key) as
// Web.Contents(base, [Query = [a = x], CredentialQuery = [k = key]]).
func splitQueryFix(p *Pass, r *model.Request) (Fix, bool) {
	f := r.File
	if r.Func != "Web.Contents" || len(r.Call.Args) > 2 {
		return Fix{}, false
	}
	var opts *ast.RecordExpr
	if len(r.Call.Args) == 2 {
		o, ok := model.Unparen(r.Call.Args[1]).(*ast.RecordExpr)
		if !ok {
			return Fix{}, false
		}
		for _, n := range []string{"Query", "CredentialQuery", "CredentialQueryString"} {
			if model.Field(o, n) != nil {
				return Fix{}, false
			}
		}
		opts = o
	}
	pieces := flattenConcat(r.URL)
	for _, x := range pieces {
		if x == nil {
			return Fix{}, false
		}
	}
	q := -1
	var prefix, rest string
	for i, x := range pieces {
		if s, ok := model.Text(x); ok {
			if j := strings.IndexByte(s, '?'); j >= 0 {
				q, prefix, rest = i, s[:j], s[j+1:]
				break
			}
		}
	}
	if q < 0 {
		return Fix{}, false
	}
	var base []string
	for _, x := range pieces[:q] {
		if p.Prog.Taint(f, x).Has(model.Credential) {
			return Fix{}, false // the secret is in the address itself
		}
		base = append(base, Source(f, x))
	}
	if prefix != "" {
		base = append(base, textLiteral(prefix))
	}
	if len(base) == 0 {
		return Fix{}, false
	}
	type param struct {
		name, value string
		secret      bool
	}
	var params []param
	pending, afterExpr := "", false
	lit := func(s string) bool {
		if afterExpr {
			if s != "" && s[0] != '&' {
				return false
			}
			afterExpr = false
		}
		segs := strings.Split(s, "&")
		for j, seg := range segs {
			if j == 0 && pending != "" && seg != "" {
				// the literal value of the pending parameter
				if strings.ContainsAny(seg, "=%#") {
					return false
				}
				params = append(params, param{name: pending, value: textLiteral(seg)})
				pending = ""
				continue
			}
			if seg == "" {
				continue
			}
			if pending != "" {
				return false
			}
			k, v, ok := strings.Cut(seg, "=")
			if !ok || k == "" || strings.ContainsAny(k+v, "%#") {
				return false
			}
			if j == len(segs)-1 && v == "" {
				pending = k
				continue
			}
			params = append(params, param{name: k, value: textLiteral(v)})
		}
		return true
	}
	if !lit(rest) {
		return Fix{}, false
	}
	for _, x := range pieces[q+1:] {
		if s, ok := model.Text(x); ok {
			if !lit(s) {
				return Fix{}, false
			}
			continue
		}
		if pending == "" {
			return Fix{}, false
		}
		v := x
		if c, ok := x.(*ast.InvokeExpr); ok && p.Prog.CallName(f, c) == "Uri.EscapeDataString" && len(c.Args) == 1 {
			v = c.Args[0]
		}
		params = append(params, param{name: pending, value: Source(f, v), secret: p.Prog.Taint(f, x).Has(model.Credential)})
		pending, afterExpr = "", true
	}
	if pending != "" || len(params) == 0 {
		return Fix{}, false
	}
	var query, cred []string
	for _, pr := range params {
		fl := fieldName(pr.name) + " = " + pr.value
		if pr.secret {
			cred = append(cred, fl)
		} else {
			query = append(query, fl)
		}
	}
	if len(cred) == 0 {
		return Fix{}, false
	}
	var fields []string
	if len(query) > 0 {
		fields = append(fields, "Query = ["+strings.Join(query, ", ")+"]")
	}
	fields = append(fields, credentialQueryName(p)+" = ["+strings.Join(cred, ", ")+"]")
	edits := []TextEdit{Replace(f, r.URL, strings.Join(base, " & "))}
	if opts == nil {
		_, end := Span(f, r.URL)
		edits = append(edits, Insert(f, end, ", ["+strings.Join(fields, ", ")+"]"))
	} else {
		edits = append(edits, addFieldEdit(f, opts, strings.Join(fields, ", ")))
	}
	return Fix{Title: "Move the query string into Query and " + credentialQueryName(p), Edits: edits, Preferred: true}, true
}
