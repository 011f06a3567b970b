package security

import (
	"strconv"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// The PQC030 fix moves the query string of a request's URL (or of its
// RelativePath) into the Query and CredentialQuery options of Web.Contents,
// which Power Query appends to the address itself, escaped, and keeps out of
// its logs and cache keys. What is requested stays the same.

// queryParam is one name=value pair of a query string, as M source.
type queryParam struct {
	name, value string
	secret      bool // a credential: goes into CredentialQuery
	key         bool // a key or password, which Power Query would also send itself
}

// noFix is why a finding comes without a fix; it completes the message.
type noFix string

// splitQuery splits the operands of a text concatenation in file f at the
// first '?' of a literal: the source of the address before it, and the
// parameters after it. Parameter values are expressions or literal text;
// a Uri.BuildQueryString of a record literal gives one parameter per field;
// Uri.EscapeDataString around a value is dropped, since the options escape
// their values. Every expression moved must be visible at node at.
func splitQuery(p *analysis.Pass, f *model.File, pieces []ast.Expr, at ast.Node) (base []string, params []queryParam, why noFix) {
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
	taint := func(x ast.Expr) model.TaintSet { return p.Prog.Taint(f, x) }
	if q < 0 {
		return nil, nil, "the credential is part of the address path, not of a query string, and CredentialQuery only carries query parameters"
	}
	for _, x := range pieces[:q] {
		if taint(x).Has(model.Credential) {
			return nil, nil, "the credential is part of the address path, not of its query string, and CredentialQuery only carries query parameters"
		}
		base = append(base, analysis.Source(f, x))
	}
	if prefix != "" || len(base) == 0 {
		base = append(base, model.QuoteText(prefix))
	}
	const cannot = "the query string is not a plain sequence of name=value pairs"
	pending := ""    // a parameter name whose value comes next
	boundary := true // at the start of a parameter
	lit := func(s string) bool {
		if !boundary && pending == "" {
			// after an expression value: only more parameters may follow
			if s != "" && s[0] != '&' {
				return false
			}
		}
		segs := strings.Split(s, "&")
		for j, seg := range segs {
			last := j == len(segs)-1
			if j == 0 && pending != "" {
				if seg == "" && last {
					continue // the value is an expression after all
				}
				if strings.ContainsAny(seg, "=%#+") {
					return false
				}
				params = append(params, queryParam{name: pending, value: model.QuoteText(seg)})
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
			if !ok || k == "" || strings.ContainsAny(k+v, "%#+") {
				return false
			}
			if last && v == "" {
				pending = k
				continue
			}
			params = append(params, queryParam{name: k, value: model.QuoteText(v)})
		}
		boundary = pending == "" && (s == "" && boundary || strings.HasSuffix(s, "&"))
		return true
	}
	if !lit(rest) {
		return nil, nil, cannot
	}
	for _, x := range pieces[q+1:] {
		if s, ok := model.Text(x); ok {
			if !lit(s) {
				return nil, nil, cannot
			}
			continue
		}
		switch {
		case pending != "":
			v := x
			if c, ok := model.Unparen(x).(*ast.InvokeExpr); ok && p.Prog.CallName(f, c) == "Uri.EscapeDataString" && len(c.Args) == 1 {
				v = c.Args[0]
			}
			if !visibleAt(f, v, at) {
				return nil, nil, "a query value uses a name that is not in scope at the request"
			}
			t := taint(x)
			params = append(params, queryParam{name: pending, value: analysis.Source(f, v),
				secret: t.Has(model.Credential), key: t.Has(model.KeyOrPassword)})
			pending = ""
		case boundary:
			ps, why := builtQuery(p, f, x, at)
			if why != "" {
				return nil, nil, why
			}
			params = append(params, ps...)
		default:
			return nil, nil, cannot
		}
		boundary = false
	}
	if pending != "" || len(params) == 0 {
		return nil, nil, cannot
	}
	return base, params, ""
}

// builtQuery reads the parameters of Uri.BuildQueryString(record), the
// call written at x or bound to a name x refers to.
func builtQuery(p *analysis.Pass, f *model.File, x ast.Expr, at ast.Node) ([]queryParam, noFix) {
	v, vf := p.Prog.ValueOf(f, x)
	c, ok := v.(*ast.InvokeExpr)
	if !ok || vf != f || p.Prog.CallName(f, c) != "Uri.BuildQueryString" || len(c.Args) != 1 {
		return nil, "part of the query string is computed"
	}
	rec, rf := p.Prog.RecordOf(f, c.Args[0])
	if rec == nil || rf != f {
		return nil, "the record given to Uri.BuildQueryString is computed"
	}
	var out []queryParam
	for _, fl := range rec.Fields {
		if fl.Name == nil || fl.Value == nil {
			return nil, "the record given to Uri.BuildQueryString is incomplete"
		}
		if !visibleAt(f, fl.Value, at) {
			return nil, "a query value uses a name that is not in scope at the request"
		}
		t := p.Prog.Taint(f, fl.Value)
		out = append(out, queryParam{name: fl.Name.Name, value: analysis.Source(f, fl.Value),
			secret: t.Has(model.Credential), key: t.Has(model.KeyOrPassword)})
	}
	return out, ""
}

// visibleAt reports whether every name x refers to is visible at node at
// of the same file: a member, a library name, or a name bound by a let,
// function or record that encloses at.
func visibleAt(f *model.File, x ast.Expr, at ast.Node) bool {
	ok := true
	ast.Inspect(x, func(n ast.Node) bool {
		id, isID := n.(*ast.Ident)
		if !ok || !isID {
			return ok
		}
		d := f.Refs[id]
		if d == nil || d.Scope == nil {
			return true
		}
		for a := at; ; a = f.Parent(a) {
			if a == nil {
				ok = false
				return false
			}
			if a == d.Scope {
				return true
			}
		}
	})
	return ok
}

// credentialFix builds the fix for a request whose URL (or, with rp set,
// RelativePath) carries a credential in its query string, or says why
// there is none.
func credentialFix(p *analysis.Pass, r *model.Request, rp *model.ReqField) (analysis.Fix, noFix) {
	f := r.File
	if r.Func != "Web.Contents" {
		return analysis.Fix{}, noFix(r.Func + " has no CredentialQuery option")
	}
	if len(r.Call.Args) > 2 {
		return analysis.Fix{}, "the call has more arguments than Web.Contents takes"
	}
	var opts *ast.RecordExpr
	if len(r.Call.Args) == 2 {
		o, ok := model.Unparen(r.Call.Args[1]).(*ast.RecordExpr)
		if !ok {
			return analysis.Fix{}, "the options record is built elsewhere, where other requests may share it"
		}
		opts = o
	}
	var edits []analysis.TextEdit
	var base []string
	var params []queryParam
	var why noFix
	if rp != nil {
		if rp.Record != opts || rp.File != f {
			return analysis.Fix{}, "the RelativePath comes from an options record built elsewhere"
		}
		base, params, why = splitQuery(p, f, flattenConcat(rp.Value), r.Call)
		if why != "" {
			return analysis.Fix{}, why
		}
		edits = append(edits, analysis.Replace(f, rp.Value, strings.Join(base, " & ")))
	} else {
		var e []analysis.TextEdit
		if e, params, why = urlEdits(p, r); why != "" {
			return analysis.Fix{}, why
		}
		edits = append(edits, e...)
	}
	oe, why := optionEdits(p, r, opts, params)
	if why != "" {
		return analysis.Fix{}, why
	}
	return analysis.Fix{Title: "Move the query string into Query and " + credentialQueryName(p), Preferred: true, Safe: true,
		Edits: append(edits, oe...)}, ""
}

// urlEdits splits the URL of r, written at the call or bound to a name in
// the same file, and returns the edits that leave only its address.
func urlEdits(p *analysis.Pass, r *model.Request) ([]analysis.TextEdit, []queryParam, noFix) {
	f := r.File
	u := model.Unparen(r.URL)
	id, isName := u.(*ast.Ident)
	if !isName {
		if c, ok := u.(*ast.InvokeExpr); ok {
			return nil, nil, noFix("the URL is built by " + analysis.Source(f, c.Fun) + ", which other code may call")
		}
		base, params, why := splitQuery(p, f, flattenConcat(u), r.Call)
		if why != "" {
			return nil, nil, why
		}
		return []analysis.TextEdit{analysis.Replace(f, r.URL, strings.Join(base, " & "))}, params, ""
	}
	d := f.Refs[id]
	switch {
	case d == nil:
		return nil, nil, "the URL comes from outside the connector"
	case d.Kind == model.DefParam:
		return nil, nil, noFix("the URL comes in through the parameter " + d.Name + ": fix the query string where the callers build it")
	case d.Kind != model.DefBinding && d.Kind != model.DefMember || d.File != f || d.Value == nil:
		return nil, nil, "the URL is computed elsewhere"
	}
	if c, ok := model.Unparen(d.Value).(*ast.InvokeExpr); ok {
		return nil, nil, noFix("the URL is built by " + analysis.Source(f, c.Fun) + ", which other code may call")
	}
	base, params, why := splitQuery(p, f, flattenConcat(d.Value), r.Call)
	if why != "" {
		return nil, nil, why
	}
	baseText := strings.Join(base, " & ")
	refs := p.Prog.RefsTo(d)
	if len(refs) == 1 && refs[0].Ident == id {
		// The request is the URL's only use: the name now holds the address.
		return []analysis.TextEdit{analysis.Replace(f, d.Value, baseText)}, params, ""
	}
	// Other code uses the URL as it is: bind the address to a new name
	// beside it and request that.
	name := freeLocalName(p, f, d, d.Name+"Base")
	var def ast.Node
	text := model.IdentText(name) + " = " + baseText
	if d.Kind == model.DefMember {
		def, text = d.Member.Node, text+";"
	} else {
		def, text = bindingOf(f, d), text+","
	}
	if def == nil {
		return nil, nil, "the URL is computed elsewhere"
	}
	return []analysis.TextEdit{
		analysis.InsertBefore(f, def, text),
		analysis.Replace(f, r.URL, model.IdentText(name)),
	}, params, ""
}

// bindingOf returns the let binding that defines d.
func bindingOf(f *model.File, d *model.Def) ast.Node {
	let, ok := d.Scope.(*ast.LetExpr)
	if !ok {
		return nil
	}
	for _, b := range let.Bindings {
		if b.Name == d.Ident {
			return b
		}
	}
	return nil
}

// freeLocalName returns base, or base with a number, that names nothing
// in the section nor in the scope d is defined in.
func freeLocalName(p *analysis.Pass, f *model.File, d *model.Def, base string) string {
	taken := func(n string) bool {
		if _, ok := p.Prog.Members[n]; ok {
			return true
		}
		if let, ok := d.Scope.(*ast.LetExpr); ok {
			for _, b := range let.Bindings {
				if b.Name != nil && b.Name.Name == n {
					return true
				}
			}
		}
		return false
	}
	name := base
	for i := 2; taken(name); i++ {
		name = base + strconv.Itoa(i)
	}
	return name
}

// optionEdits adds the parameters to the options of r: the credentials to
// CredentialQuery, the rest to Query, into the records already there when
// there are, and ManualCredentials = true when a key or password moves, so
// that Power Query does not send the key a second time (see PQC064).
func optionEdits(p *analysis.Pass, r *model.Request, opts *ast.RecordExpr, params []queryParam) ([]analysis.TextEdit, noFix) {
	f := r.File
	var query, cred []string
	manual := false
	for _, pr := range params {
		fl := fieldName(pr.name) + " = " + pr.value
		if pr.secret {
			cred = append(cred, fl)
			manual = manual || pr.key
		} else {
			query = append(query, fl)
		}
	}
	if len(cred) == 0 {
		return nil, "no parameter of the query string holds the credential itself"
	}
	var fields []string
	var out []analysis.TextEdit
	into := func(names []string, values []string) noFix {
		if len(values) == 0 {
			return ""
		}
		for _, n := range names {
			if opts == nil {
				continue
			}
			fl := model.Field(opts, n)
			if fl == nil {
				continue
			}
			rec, ok := model.Unparen(fl.Value).(*ast.RecordExpr)
			if !ok {
				return noFix("the " + n + " option is computed")
			}
			out = append(out, analysis.AppendFields(f, rec, values...))
			return ""
		}
		fields = append(fields, names[0]+" = ["+strings.Join(values, ", ")+"]")
		return ""
	}
	if why := into([]string{"Query"}, query); why != "" {
		return nil, why
	}
	if why := into([]string{credentialQueryName(p), "CredentialQuery", "CredentialQueryString"}, cred); why != "" {
		return nil, why
	}
	if manual && !r.ManualCredentials() {
		if opts != nil && model.Field(opts, "ManualCredentials") != nil {
			return nil, "ManualCredentials is set to something other than true"
		}
		fields = append(fields, "ManualCredentials = true")
	}
	switch {
	case len(fields) == 0:
	case opts == nil:
		_, end := analysis.Span(f, r.Call.Args[0])
		out = append(out, analysis.Insert(f, end, ", ["+strings.Join(fields, ", ")+"]"))
	default:
		out = append(out, analysis.AppendFields(f, opts, fields...))
	}
	return out, ""
}

// moveQueryField moves field i of the Query record rec (in file rf) of
// request r into CredentialQuery. An emptied Query goes; a key or
// password brings ManualCredentials = true, as in credentialFix.
func moveQueryField(p *analysis.Pass, r *model.Request, q model.ReqField, rec *ast.RecordExpr, rf *model.File, i int, t model.TaintSet) (analysis.Fix, bool) {
	if q.Field == nil || q.Record == nil || q.File != rf {
		return analysis.Fix{}, false
	}
	fl := rec.Fields[i]
	name := credentialQueryName(p)
	value := fl.Value
	if c, ok := model.Unparen(value).(*ast.InvokeExpr); ok && p.Prog.CallName(rf, c) == "Uri.EscapeDataString" && len(c.Args) == 1 {
		value = c.Args[0] // the option escapes its values
	}
	text := analysis.Source(rf, fl.Name) + " = " + analysis.Source(rf, value)
	var edits []analysis.TextEdit
	var add []string
	cq, hasCQ := r.Fields["CredentialQuery"]
	if !hasCQ {
		cq, hasCQ = r.Fields["CredentialQueryString"]
	}
	if hasCQ {
		cr, cf := p.Prog.RecordOf(cq.File, cq.Value)
		if cr == nil {
			return analysis.Fix{}, false
		}
		edits = append(edits, analysis.AppendFields(cf, cr, text))
	}
	switch {
	case len(rec.Fields) > 1 || model.Unparen(q.Field.Value) != rec:
		edits = append(edits, analysis.DeleteField(rf, rec, i))
		if !hasCQ {
			add = append(add, name+" = ["+text+"]")
		}
	case hasCQ:
		// The Query holds nothing else: the whole field goes.
		for j, x := range q.Record.Fields {
			if x == q.Field {
				edits = append(edits, analysis.DeleteField(rf, q.Record, j))
			}
		}
	default:
		// The Query holds nothing else: it becomes the CredentialQuery.
		edits = append(edits, analysis.Replace(rf, q.Field, name+" = ["+text+"]"))
	}
	if t.Has(model.KeyOrPassword) && !r.ManualCredentials() {
		if _, set := r.Fields["ManualCredentials"]; set {
			return analysis.Fix{}, false
		}
		add = append(add, "ManualCredentials = true")
	}
	if len(add) > 0 {
		edits = append(edits, analysis.AppendFields(rf, q.Record, add...))
	}
	return analysis.Fix{Title: "Move " + fl.Name.Name + " from Query to " + name,
		Edits: edits, Preferred: true, Safe: true}, true
}
