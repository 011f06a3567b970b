package security

import (
	"slices"
	"strconv"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
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
// their values. Every expression moved must be visible at node at. drop
// lists the let bindings that only the query string uses (a binding of
// Uri.BuildQueryString, the record given to it): once the query string
// goes, nothing reads them.
func splitQuery(p *analysis.Pass, f *model.File, pieces []ast.Expr, at ast.Node) (base []string, params []queryParam, drop []*model.Def, why noFix) {
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
		return nil, nil, nil, "the credential is part of the address path, not of a query string, and CredentialQuery only carries query parameters"
	}
	for _, x := range pieces[:q] {
		if taint(x).Has(model.Credential) {
			return nil, nil, nil, "the credential is part of the address path, not of its query string, and CredentialQuery only carries query parameters"
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
		return nil, nil, nil, cannot
	}
	for _, x := range pieces[q+1:] {
		if s, ok := model.Text(x); ok {
			if !lit(s) {
				return nil, nil, nil, cannot
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
				return nil, nil, nil, "a query value uses a name that is not in scope at the request"
			}
			t := taint(x)
			params = append(params, queryParam{name: pending, value: analysis.Source(f, v),
				secret: t.Has(model.Credential), key: t.Has(model.KeyOrPassword)})
			pending = ""
		case boundary:
			ps, ds, why := builtQuery(p, f, x, at)
			if why != "" {
				return nil, nil, nil, why
			}
			params = append(params, ps...)
			drop = append(drop, ds...)
		default:
			return nil, nil, nil, cannot
		}
		boundary = false
	}
	if pending != "" || len(params) == 0 {
		return nil, nil, nil, cannot
	}
	return base, params, drop, ""
}

// builtQuery reads the parameters of Uri.BuildQueryString(record), the
// call written at x or bound to a name x refers to. It also returns the let
// bindings that only this query string reads: the binding of the call, and
// the binding of its record when only the call reads it.
func builtQuery(p *analysis.Pass, f *model.File, x ast.Expr, at ast.Node) ([]queryParam, []*model.Def, noFix) {
	v, vf := p.Prog.ValueOf(f, x)
	c, ok := v.(*ast.InvokeExpr)
	if !ok || vf != f || p.Prog.CallName(f, c) != "Uri.BuildQueryString" || len(c.Args) != 1 {
		return nil, nil, "part of the query string is computed"
	}
	rec, rf := p.Prog.RecordOf(f, c.Args[0])
	if rec == nil || rf != f {
		return nil, nil, "the record given to Uri.BuildQueryString is computed"
	}
	var out []queryParam
	for _, fl := range rec.Fields {
		if fl.Name == nil || fl.Value == nil {
			return nil, nil, "the record given to Uri.BuildQueryString is incomplete"
		}
		if !visibleAt(f, fl.Value, at) {
			return nil, nil, "a query value uses a name that is not in scope at the request"
		}
		t := p.Prog.Taint(f, fl.Value)
		out = append(out, queryParam{name: fl.Name.Name, value: analysis.Source(f, fl.Value),
			secret: t.Has(model.Credential), key: t.Has(model.KeyOrPassword)})
	}
	var drop []*model.Def
	callGoes := true // the call's text goes with the query string
	if d := onlyReadBy(p, f, x); d != nil {
		drop = append(drop, d)
	} else if _, isName := model.Unparen(x).(*ast.Ident); isName {
		callGoes = false // the call stays for its other readers
	}
	if d := onlyReadBy(p, f, c.Args[0]); d != nil && callGoes {
		drop = append(drop, d)
	}
	return out, drop, ""
}

// onlyReadBy returns the let binding of f that x names, when x is its only
// reader.
func onlyReadBy(p *analysis.Pass, f *model.File, x ast.Expr) *model.Def {
	id, ok := model.Unparen(x).(*ast.Ident)
	if !ok {
		return nil
	}
	d := f.Ref(id)
	if d == nil || d.Kind != model.DefBinding || p.Prog.DefFile(d) != f || bindingOf(f, d) == nil {
		return nil
	}
	refs := p.Prog.RefsTo(d)
	if len(refs) != 1 || refs[0].Ident != id {
		return nil
	}
	return d
}

// deleteBindings returns the edits that remove the let bindings ds of f
// with their separating commas. Bindings next to each other go in one
// edit; a let keeps at least one binding.
func deleteBindings(f *model.File, ds []*model.Def) []analysis.TextEdit {
	gone := map[*ast.LetExpr]map[int]bool{}
	var lets []*ast.LetExpr
	for _, d := range ds {
		let, _ := d.Scope.(*ast.LetExpr)
		if let == nil {
			continue
		}
		i := slices.IndexFunc(let.Bindings, func(b *ast.Binding) bool { return b.Name == d.Ident })
		if i < 0 {
			continue
		}
		if gone[let] == nil {
			gone[let] = map[int]bool{}
			lets = append(lets, let)
		}
		gone[let][i] = true
	}
	var out []analysis.TextEdit
	for _, let := range lets {
		bs := let.Bindings
		if len(gone[let]) >= len(bs) {
			continue
		}
		for i := 0; i < len(bs); i++ {
			if !gone[let][i] {
				continue
			}
			j := i
			for j+1 < len(bs) && gone[let][j+1] {
				j++
			}
			out = append(out, deleteRun(f, bs, i, j)...)
			i = j
		}
	}
	return out
}

// deleteRun returns the edits that remove bindings i through j of bs,
// not all of them, with the comma that separates them from the rest. When
// they have their lines to themselves, the lines go, with any comment that
// ends them.
func deleteRun(f *model.File, bs []*ast.Binding, i, j int) []analysis.TextEdit {
	src := f.AST.Src
	start, _ := analysis.Span(f, bs[i])
	_, end := analysis.Span(f, bs[j])
	skip := func(k int) int {
		for k < len(src) && (src[k] == ' ' || src[k] == '\t') {
			k++
		}
		return k
	}
	// lineEnd returns the start of the next line when only white space
	// or a line comment follows k on its line, and -1 otherwise.
	lineEnd := func(k int) int {
		k = skip(k)
		if k+1 < len(src) && src[k] == '/' && src[k+1] == '/' || k < len(src) && (src[k] == '\r' || src[k] == '\n') {
			for k < len(src) && src[k] != '\n' {
				k++
			}
			return min(k+1, len(src))
		}
		return -1
	}
	own := firstOnLine(f, start)
	del := func(s, e int) analysis.TextEdit { return analysis.TextEdit{Path: f.Path, Start: s, End: e} }
	if j+1 < len(bs) {
		if c := skip(end); c < len(src) && src[c] == ',' && own {
			if e := lineEnd(c + 1); e >= 0 {
				return []analysis.TextEdit{del(lineStartOf(f, start), e)}
			}
		}
		next, _ := analysis.Span(f, bs[j+1])
		return []analysis.TextEdit{del(start, next)}
	}
	// The last bindings: the comma before them goes.
	_, prev := analysis.Span(f, bs[i-1])
	c := skip(prev)
	if c >= len(src) || src[c] != ',' {
		return []analysis.TextEdit{del(prev, end)}
	}
	if e := lineEnd(end); own && e >= 0 && lineEnd(c+1) >= 0 {
		// Keep the line break that ends the last binding's line.
		for e > end && (src[e-1] == '\n' || src[e-1] == '\r') {
			e--
		}
		return []analysis.TextEdit{del(c, c+1), del(lineStartOf(f, start)-len(analysis.Newline(f)), e)}
	}
	return []analysis.TextEdit{del(prev, end)}
}

// firstOnLine reports whether only white space precedes off on its line.
func firstOnLine(f *model.File, off int) bool {
	return strings.TrimSpace(string(f.AST.Src[lineStartOf(f, off):off])) == ""
}

// lineStartOf returns the offset of the start of the line containing off.
func lineStartOf(f *model.File, off int) int {
	return f.AST.Lines.LineStart(f.AST.Lines.UTF8(off).Line)
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
		d := f.Ref(id)
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
// there is none. A fix that leaves some of the credential's paths as they
// are is not safe, and partial says which.
func credentialFix(p *analysis.Pass, r *model.Request, rp *model.ReqField) (fix analysis.Fix, partial string, why noFix) {
	f := r.File
	if r.Func != "Web.Contents" {
		return analysis.Fix{}, "", noFix(r.Func + " has no CredentialQuery option")
	}
	if len(r.Call.Args) > 2 {
		return analysis.Fix{}, "", "the call has more arguments than Web.Contents takes"
	}
	title := "Move the query string into Query and " + credentialQueryName(p)
	if rp == nil {
		if d := urlParam(f, r.URL); d != nil {
			// The URL comes in through a parameter of the helper that
			// makes the request: fix where the callers build it.
			h := helperEdits(p, r, d)
			if h.why != "" {
				return analysis.Fix{}, "", h.why
			}
			return analysis.Fix{Title: title + " " + h.where, Preferred: h.partial == "", Safe: h.partial == "", Edits: h.edits}, h.partial, ""
		}
	}
	var opts *ast.RecordExpr
	if len(r.Call.Args) == 2 {
		o, ok := model.Unparen(r.Call.Args[1]).(*ast.RecordExpr)
		if !ok {
			return analysis.Fix{}, "", "the options record is built elsewhere, where other requests may share it"
		}
		opts = o
	}
	var edits []analysis.TextEdit
	var params []queryParam
	if rp != nil {
		if rp.Record != opts || rp.File != f {
			return analysis.Fix{}, "", "the RelativePath comes from an options record built elsewhere"
		}
		base, ps, drop, why := splitQuery(p, f, flattenConcat(rp.Value), r.Call)
		if why != "" {
			return analysis.Fix{}, "", why
		}
		params = ps
		edits = append(edits, analysis.Replace(f, rp.Value, strings.Join(base, " & ")))
		edits = append(edits, deleteBindings(f, drop)...)
	} else {
		var e []analysis.TextEdit
		var why noFix
		if e, params, why = urlEdits(p, r); why != "" {
			return analysis.Fix{}, "", why
		}
		edits = append(edits, e...)
	}
	oe, why := optionEdits(p, optionsAt{file: f, record: opts, after: r.Call.Args[0], manual: r.ManualCredentials()}, params)
	if why != "" {
		return analysis.Fix{}, "", why
	}
	return analysis.Fix{Title: title, Preferred: true, Safe: true, Edits: append(edits, oe...)}, "", ""
}

// urlParam returns the parameter the URL x of f is, or nil.
func urlParam(f *model.File, x ast.Expr) *model.Def {
	id, ok := model.Unparen(x).(*ast.Ident)
	if !ok {
		return nil
	}
	if d := f.Ref(id); d != nil && d.Kind == model.DefParam {
		return d
	}
	return nil
}

// helperFix is what helperEdits makes of a helper's request: the edits
// and where they are, for the fix's title, or why there are none. partial
// is set when the edits leave callers the model cannot see as they are.
type helperFix struct {
	edits   []analysis.TextEdit
	where   string
	partial string
	why     noFix
}

// helperEdits fixes a request of a helper function whose URL is the
// helper's parameter d. When every caller passes the URL in the same shape
// — the same query parameters with the same values, each of which the
// helper can see — the helper's request takes them as options and each
// caller passes only the address. Otherwise, when the helper passes an
// options parameter straight to the request, each caller that sends the
// credential moves its own query string into the options it passes.
//
// Callers the model cannot see (see helperUses) rule out the first: the
// helper's request would change for them. The second leaves them as they
// are, so it is offered, not as safe, with the message saying so — unless
// the only such callers are outside the connector (a shared helper). The
// calls of a module that gets the helper in the environment record of
// Expression.Evaluate are found by name and fixed like the others.
func helperEdits(p *analysis.Pass, r *model.Request, d *model.Def) helperFix {
	fn, _ := d.Func.(*ast.FunctionExpr)
	idx := -1
	if fn != nil {
		idx = slices.Index(fn.Params, d.Param)
	}
	from := "the URL comes in through the parameter " + d.Name
	if fn != nil && p.Prog.IsDSFFunc(fn) {
		return helperFix{why: noFix("the URL comes from outside the connector, through the parameter " + d.Name +
			" of a data-source function, so only the user can take the secret out of it")}
	}
	var sites []model.CallSite
	var uses unseenUse
	if fn != nil {
		sites = p.Prog.CallSites(fn)
		uses = helperUses(p, fn, p.Prog.DefFile(d), sites)
		// The calls of a module that gets the helper in its environment.
		sites = append(sites, uses.hidden...)
	}
	if idx < 0 || len(sites) == 0 {
		return helperFix{why: noFix(from + " and the connector does not call the function itself")}
	}
	if refs := p.Prog.RefsTo(d); len(refs) != 1 {
		return helperFix{why: noFix(from + ", which the function also uses for something else")}
	}
	var why noFix
	if uses.handed || uses.exported {
		why = noFix("the helper may have callers pqls cannot see (" + uses.where +
			"), whose requests would change if it took the query string over")
	} else {
		var e []analysis.TextEdit
		if e, why = sameShapeEdits(p, r, idx, sites); why == "" {
			return helperFix{edits: e, where: "in the helper"}
		}
	}
	e, why2 := callerEdits(p, r, fn, idx, sites)
	if why2 != "" {
		return helperFix{why: noFix(from + ": " + string(why) + ", and " + string(why2))}
	}
	if uses.handed {
		return helperFix{edits: e, where: "at the callers pqls sees",
			partial: "the helper may have callers pqls cannot see (" + uses.where + "): the fix leaves their URLs as they are; check them by hand"}
	}
	return helperFix{edits: e, where: "at the callers"}
}

// sameShapeEdits moves a query string every caller passes alike into the
// options of the helper's request r.
func sameShapeEdits(p *analysis.Pass, r *model.Request, idx int, sites []model.CallSite) ([]analysis.TextEdit, noFix) {
	f := r.File
	var opts *ast.RecordExpr
	if len(r.Call.Args) == 2 {
		o, ok := model.Unparen(r.Call.Args[1]).(*ast.RecordExpr)
		if !ok {
			return nil, "the helper's options are not a record written at its request"
		}
		opts = o
	}
	var edits []analysis.TextEdit
	var shared []queryParam
	for i, s := range sites {
		if s.File != f || idx >= len(s.Call.Args) {
			return nil, "not every caller passes the URL in this file"
		}
		arg := s.Call.Args[idx]
		if !p.Prog.Taint(f, arg).Has(model.Credential) {
			return nil, "some callers pass no credential, and the helper's request is theirs too"
		}
		if urlParam(f, arg) != nil {
			return nil, "a caller passes on a URL it receives itself"
		}
		// The values move into the helper: they must mean the same there.
		base, params, drop, why := splitQuery(p, f, flattenConcat(arg), r.Call)
		if why != "" {
			return nil, "the callers do not all pass a query string the helper can take over (" + why + ")"
		}
		if i > 0 && !slices.Equal(params, shared) {
			return nil, "the callers pass different query strings"
		}
		shared = params
		edits = append(edits, analysis.Replace(f, arg, strings.Join(base, " & ")))
		edits = append(edits, deleteBindings(f, drop)...)
	}
	oe, why := optionEdits(p, optionsAt{file: f, record: opts, after: r.Call.Args[0], manual: r.ManualCredentials()}, shared)
	if why != "" {
		return nil, why
	}
	return append(edits, oe...), ""
}

// callerEdits moves the query string of each caller that passes a
// credential into the options record the caller passes, when the helper's
// request takes its options straight from a parameter.
func callerEdits(p *analysis.Pass, r *model.Request, fn *ast.FunctionExpr, idx int, sites []model.CallSite) ([]analysis.TextEdit, noFix) {
	od := urlParam(r.File, r.Options)
	if od == nil || od.Func != ast.Expr(fn) || len(p.Prog.RefsTo(od)) != 1 {
		return nil, "the helper's options do not come from its callers"
	}
	oidx := slices.Index(fn.Params, od.Param)
	var edits []analysis.TextEdit
	for _, s := range sites {
		if idx >= len(s.Call.Args) {
			return nil, "a caller leaves the URL out"
		}
		arg := s.Call.Args[idx]
		if !p.Prog.Taint(s.File, arg).Has(model.Credential) {
			continue
		}
		base, params, drop, why := splitQuery(p, s.File, flattenConcat(arg), s.Call)
		if why != "" {
			return nil, "a caller's URL cannot be split (" + why + ")"
		}
		at := optionsAt{file: s.File, after: s.Call.Args[len(s.Call.Args)-1]}
		switch {
		case oidx < len(s.Call.Args):
			rec, ok := model.Unparen(s.Call.Args[oidx]).(*ast.RecordExpr)
			if !ok {
				return nil, "a caller passes options built elsewhere"
			}
			at.record = rec
			if fl := model.Field(rec, "ManualCredentials"); fl != nil {
				l, ok := model.Unparen(fl.Value).(*ast.Literal)
				at.manual = ok && l.Kind == token.TRUE
			}
		case oidx != len(s.Call.Args) || !od.Param.Optional.IsValid():
			return nil, "a caller leaves out arguments before the options"
		}
		oe, why := optionEdits(p, at, params)
		if why != "" {
			return nil, why
		}
		edits = append(edits, analysis.Replace(s.File, arg, strings.Join(base, " & ")))
		edits = append(edits, deleteBindings(s.File, drop)...)
		edits = append(edits, oe...)
	}
	if len(edits) == 0 {
		return nil, "no caller passes the credential in a query string"
	}
	return edits, ""
}

// urlEdits splits the URL of r, written at the call or bound to a name in
// the same file, and returns the edits that leave only its address.
func urlEdits(p *analysis.Pass, r *model.Request) ([]analysis.TextEdit, []queryParam, noFix) {
	f := r.File
	u := model.Unparen(r.URL)
	id, isName := u.(*ast.Ident)
	if !isName {
		if c, ok := u.(*ast.InvokeExpr); ok {
			return nil, nil, builtBy(p, f, c)
		}
		base, params, drop, why := splitQuery(p, f, flattenConcat(u), r.Call)
		if why != "" {
			return nil, nil, why
		}
		return append([]analysis.TextEdit{analysis.Replace(f, r.URL, strings.Join(base, " & "))}, deleteBindings(f, drop)...), params, ""
	}
	d := f.Ref(id)
	switch {
	case d == nil:
		return nil, nil, "the URL comes from outside the connector"
	case d.Kind != model.DefBinding && d.Kind != model.DefMember || p.Prog.DefFile(d) != f || d.Value == nil:
		return nil, nil, "the URL is computed elsewhere"
	}
	if c, ok := model.Unparen(d.Value).(*ast.InvokeExpr); ok {
		return nil, nil, builtBy(p, f, c)
	}
	base, params, drop, why := splitQuery(p, f, flattenConcat(d.Value), r.Call)
	if why != "" {
		return nil, nil, why
	}
	baseText := strings.Join(base, " & ")
	refs := p.Prog.RefsTo(d)
	if len(refs) == 1 && refs[0].Ident == id {
		// The request is the URL's only use: the name now holds the address.
		return append([]analysis.TextEdit{analysis.Replace(f, d.Value, baseText)}, deleteBindings(f, drop)...), params, ""
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

// builtBy says why a URL that a call returns is not split.
func builtBy(p *analysis.Pass, f *model.File, c *ast.InvokeExpr) noFix {
	if name := p.Prog.CallName(f, c); name != "" {
		return noFix("the URL is assembled by " + name + ", which the fix does not take apart")
	}
	return noFix("the URL is built by " + analysis.Source(f, c.Fun) + ", which other code may call")
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

// optionsAt is where the options of a request are written: the record
// literal, or nil when the call has none and a record goes after the
// node after; manual tells whether it sets ManualCredentials = true.
type optionsAt struct {
	file   *model.File
	record *ast.RecordExpr
	after  ast.Node
	manual bool
}

// optionEdits adds the parameters to the options at o: the credentials to
// CredentialQuery, the rest to Query, into the records already there when
// there are, and ManualCredentials = true when a key or password moves, so
// that Power Query does not send the key a second time (see PQC064).
func optionEdits(p *analysis.Pass, o optionsAt, params []queryParam) ([]analysis.TextEdit, noFix) {
	f, opts := o.file, o.record
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
	if manual && !o.manual {
		if opts != nil && model.Field(opts, "ManualCredentials") != nil {
			return nil, "ManualCredentials is set to something other than true"
		}
		fields = append(fields, "ManualCredentials = true")
	}
	switch {
	case len(fields) == 0:
	case opts == nil:
		_, end := analysis.Span(f, o.after)
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
	cq, hasCQ := r.Fields.Get("CredentialQuery")
	if !hasCQ {
		cq, hasCQ = r.Fields.Get("CredentialQueryString")
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
		if _, set := r.Fields.Get("ManualCredentials"); set {
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
