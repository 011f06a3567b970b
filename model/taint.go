package model

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/project"
)

// Taint is a set of kinds of sensitive or untrusted data a value may carry.
type Taint uint16

const (
	// Credential marks secrets: the credential record of
	// Extension.CurrentCredential() and its secret fields, and the contents
	// of packaged secret files.
	Credential Taint = 1 << iota
	// KeyOrPassword marks the Key and Password fields of the credential,
	// which the engine would otherwise send itself (see ManualCredentials).
	KeyOrPassword
	// Identity marks personal but not secret credential fields (Username).
	Identity
	// SecretFile marks values read from a packaged secret file such as
	// client_secret.
	SecretFile
	// UserInput marks values the user enters: parameters of data-source
	// functions, and the data source path inside TestConnection.
	UserInput
	// UncheckedURL marks user input whose URL scheme no guard has checked
	// and no connector literal fixes.
	UncheckedURL
	// Web marks data received from the network.
	Web
	// Resource marks strings read from resources.resx.
	Resource

	numTaints = iota
)

// Origin is where a taint comes from: the source expression and its file.
type Origin struct {
	File *File
	Node ast.Node
}

// TaintSet is the taint of a value with, for each kind, one place it comes
// from.
type TaintSet struct {
	Kinds   Taint
	origins [numTaints]Origin
}

// Has reports whether t carries any of the kinds k.
func (t TaintSet) Has(k Taint) bool { return t.Kinds&k != 0 }

// Origin returns where the first of the kinds k that t carries comes from.
func (t TaintSet) Origin(k Taint) (Origin, bool) {
	for i := 0; i < numTaints; i++ {
		if k&t.Kinds&(1<<i) != 0 && t.origins[i].Node != nil {
			return t.origins[i], true
		}
	}
	return Origin{}, false
}

func (t *TaintSet) add(u TaintSet) {
	for i := 0; i < numTaints; i++ {
		if u.Kinds&(1<<i) != 0 && t.Kinds&(1<<i) == 0 {
			t.Kinds |= 1 << i
			t.origins[i] = u.origins[i]
		}
	}
}

// Union returns the taint of a value made of t and u.
func (t TaintSet) Union(u TaintSet) TaintSet {
	t.add(u)
	return t
}

// Without returns t without the kinds k.
func (t TaintSet) Without(k Taint) TaintSet {
	t.Kinds &^= k
	for i := 0; i < numTaints; i++ {
		if k&(1<<i) != 0 {
			t.origins[i] = Origin{}
		}
	}
	return t
}

func (t TaintSet) with(k Taint, o Origin) TaintSet {
	for i := 0; i < numTaints; i++ {
		if k&(1<<i) != 0 && t.Kinds&(1<<i) == 0 {
			t.Kinds |= 1 << i
			t.origins[i] = o
		}
	}
	return t
}

func source(k Taint, f *File, n ast.Node) TaintSet {
	return TaintSet{}.with(k, Origin{File: f, Node: n})
}

// Taint computes what sensitive or untrusted data the value of x, an
// expression of f, may carry. It follows names, record fields, text
// builders and calls of the connector's own functions (with the
// arguments of the call bound to their parameters); a parameter seen from
// inside its function carries what any call site passes it.
func (prog *Program) Taint(f *File, x ast.Expr) TaintSet {
	e := prog.engine()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.steps = 0
	return e.eval(f, x, e.global)
}

// ParamTaint is the taint of parameter d seen from inside its function.
func (prog *Program) ParamTaint(d *Def) TaintSet {
	e := prog.engine()
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.paramTaint(d)
}

// IsDSFFunc reports whether fn implements an exported data-source function.
func (prog *Program) IsDSFFunc(fn *ast.FunctionExpr) bool {
	e := prog.engine()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.index()
	return e.dsf[fn]
}

// CallSite is a call of a connector function.
type CallSite struct {
	File *File
	Call *ast.InvokeExpr
}

// CallSites returns the calls of the connector function fn found in the
// project.
func (prog *Program) CallSites(fn *ast.FunctionExpr) []CallSite {
	e := prog.engine()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.index()
	return e.sites[fn]
}

// engine returns the program's taint engine, made on first use.
func (prog *Program) engine() *taintEngine {
	prog.taintOnce.Do(func() {
		prog.taint = &taintEngine{prog: prog, global: &env{}, params: map[*Def]*TaintSet{}}
	})
	return prog.taint
}

type taintEngine struct {
	prog   *Program
	mu     sync.Mutex
	global *env
	params map[*Def]*TaintSet // nil entry while being computed

	indexed bool
	sites   map[*ast.FunctionExpr][]CallSite
	dsf     map[*ast.FunctionExpr]bool
	testFns map[*ast.FunctionExpr]bool
	guards  map[*ast.FunctionExpr]bool
	dsfType map[*ast.FunctionExpr]*ast.FunctionType
	authFns map[*ast.FunctionExpr]bool // OAuth Refresh and Logout handlers

	paramDefs map[*ast.Param]*Def
	busyParts map[*Def]bool // parameters whose parts are being computed

	steps int // evaluation steps of the current query
}

// maxSteps bounds the work of one query: past it, calls are no longer
// followed into their bodies.
const maxSteps = 200000

// env binds the parameters of the functions whose calls are being
// evaluated, and memoises the values of names in that context.
type env struct {
	parent *env
	fn     *ast.FunctionExpr
	bind   map[*Def]TaintSet
	args   map[*Def]argRef // the argument expressions bound to parameters
	memo   map[*Def]TaintSet
	busy   map[*Def]bool
	depth  int
}

func (e *env) active(fn *ast.FunctionExpr) bool {
	for ; e != nil; e = e.parent {
		if e.fn == fn {
			return true
		}
	}
	return false
}

// argRef is an argument expression of a call, with the file and the
// environment it is evaluated in.
type argRef struct {
	file *File
	x    ast.Expr
	env  *env
}

func (e *env) arg(d *Def) (argRef, bool) {
	for ; e != nil; e = e.parent {
		if a, ok := e.args[d]; ok {
			return a, true
		}
	}
	return argRef{}, false
}

func (e *env) lookup(d *Def) (TaintSet, bool) {
	for ; e != nil; e = e.parent {
		if t, ok := e.bind[d]; ok {
			return t, true
		}
	}
	return TaintSet{}, false
}

const maxCallDepth = 5

// paramDef returns the Def of a function parameter: in the main document
// among the names its member binds, elsewhere from the index.
func (e *taintEngine) paramDef(p *ast.Param) *Def {
	if p == nil || p.Name == nil {
		return nil
	}
	if main := e.prog.Main; main != nil && main.perMember() {
		if res := main.memberResOfPos(p.Name.NamePos); res != nil {
			for _, d := range res.defs {
				if d.Param == p {
					return d
				}
			}
		}
	}
	return e.paramDefs[p]
}

func (e *taintEngine) index() {
	if e.indexed {
		return
	}
	e.indexed = true
	e.sites = map[*ast.FunctionExpr][]CallSite{}
	e.dsf = map[*ast.FunctionExpr]bool{}
	e.testFns = map[*ast.FunctionExpr]bool{}
	e.dsfType = map[*ast.FunctionExpr]*ast.FunctionType{}
	e.authFns = map[*ast.FunctionExpr]bool{}
	if e.guards == nil {
		e.guards = map[*ast.FunctionExpr]bool{}
	}
	e.paramDefs = map[*ast.Param]*Def{}
	for _, f := range e.prog.Files {
		if !f.perMember() {
			// The main document's are found by member (paramDef).
			for _, d := range f.defs {
				if d.Kind == DefParam && d.Param != nil {
					e.paramDefs[d.Param] = d
				}
			}
		}
		if f.perMember() {
			// The main document, member by member: most calls are to the
			// library, which a glance at the member's own resolution
			// tells without looking the callee up.
			if attrs := f.AST.Section.Attrs; attrs != nil {
				for _, c := range IndexOf(attrs).Calls {
					if fn, _ := e.prog.FuncOf(f, c.Fun); fn != nil {
						e.sites[fn] = append(e.sites[fn], CallSite{f, c})
					}
				}
			}
			shadow := e.prog.shadowsLibrary()
			for _, m := range f.AST.Section.Members {
				res := memberResOf(m)
				for _, mc := range res.calls {
					if mc.free >= 0 {
						fr := &res.free[mc.free]
						if fr.lib && !shadow || e.prog.Members[fr.name] == nil {
							continue // the library's, or nothing
						}
					}
					if fn, _ := e.prog.FuncOf(f, mc.call.Fun); fn != nil {
						e.sites[fn] = append(e.sites[fn], CallSite{f, mc.call})
					}
				}
			}
			continue
		}
		for c := range f.Calls() {
			if fn, _ := e.prog.FuncOf(f, c.Fun); fn != nil {
				e.sites[fn] = append(e.sites[fn], CallSite{f, c})
			}
		}
	}
	for _, k := range e.prog.Kinds {
		for _, d := range k.DSFs {
			if d.Func != nil {
				e.dsf[d.Func] = true
				if d.Type != nil {
					e.dsfType[d.Func] = d.Type
				}
			}
		}
		if k.Record != nil && e.prog.Main != nil {
			if r, rf := e.prog.RecordOf(e.prog.Main, k.Record.Node.Value); r != nil {
				if tc := Field(r, "TestConnection"); tc != nil {
					if fn, _ := e.prog.FuncOf(rf, tc.Value); fn != nil {
						e.testFns[fn] = true
					}
				}
				if a := Field(r, "Authentication"); a != nil {
					if ar, af := e.prog.RecordOf(rf, a.Value); ar != nil {
						for _, kf := range ar.Fields {
							kr, kff := e.prog.RecordOf(af, kf.Value)
							if kr == nil {
								continue
							}
							for _, h := range []string{"Refresh", "Logout"} {
								if hf := Field(kr, h); hf != nil {
									if fn, _ := e.prog.FuncOf(kff, hf.Value); fn != nil {
										e.authFns[fn] = true
									}
								}
							}
						}
					}
				}
			}
		}
	}
}

// FuncOf resolves x to a function expression and the file it is written
// in, following names, parentheses, meta and Value.ReplaceType.
func (prog *Program) FuncOf(f *File, x ast.Expr) (*ast.FunctionExpr, *File) {
	for i := 0; i < 32 && x != nil; i++ {
		x = Unparen(x)
		switch v := x.(type) {
		case *ast.FunctionExpr:
			return v, f
		case *ast.BinaryExpr:
			if v.Op != token.META {
				return nil, nil
			}
			x = v.X
		case *ast.InvokeExpr:
			if mx, mf := prog.moduleValue(f, v); mx != nil {
				x, f = mx, mf
				continue
			}
			if prog.CallName(f, v) != "Value.ReplaceType" || len(v.Args) < 1 {
				return nil, nil
			}
			x = v.Args[0]
		case *ast.FieldAccess:
			if v.X == nil || v.Name == nil {
				return nil, nil
			}
			r, rf := prog.RecordOf(f, v.X)
			if r == nil {
				return nil, nil
			}
			fl := Field(r, v.Name.Name)
			if fl == nil {
				return nil, nil
			}
			x, f = fl.Value, rf
		case *ast.LetExpr:
			x = v.Body
		case *ast.Ident:
			d := f.Ref(v)
			if d == nil || d.Value == nil {
				return nil, nil
			}
			x, f = d.Value, prog.DefFile(d)
		default:
			return nil, nil
		}
	}
	return nil, nil
}

// moduleValue resolves a call that loads a .pqm module of the project —
// Extension.LoadFunction("File.pqm") through the connector's loader, or
// Expression.Evaluate(Text.FromBinary(Extension.Contents("File.pqm")), …)
// — to the module's expression.
func (prog *Program) moduleValue(f *File, c *ast.InvokeExpr) (ast.Expr, *File) {
	var name string
	switch prog.CallName(f, c) {
	case "Expression.Evaluate":
		if len(c.Args) == 0 {
			return nil, nil
		}
		v, vf := prog.ValueOf(f, c.Args[0])
		tb, ok := v.(*ast.InvokeExpr)
		if !ok || prog.CallName(vf, tb) != "Text.FromBinary" || len(tb.Args) == 0 {
			return nil, nil
		}
		v, vf = prog.ValueOf(vf, tb.Args[0])
		ec, ok := v.(*ast.InvokeExpr)
		if !ok || prog.CallName(vf, ec) != "Extension.Contents" || len(ec.Args) == 0 {
			return nil, nil
		}
		name, _ = prog.TextOf(vf, ec.Args[0])
	case "":
		id, ok := Unparen(c.Fun).(*ast.Ident)
		if !ok || id.Name != "Extension.LoadFunction" || len(c.Args) == 0 {
			return nil, nil
		}
		name, _ = prog.TextOf(f, c.Args[0])
	}
	if name == "" || !strings.HasSuffix(strings.ToLower(name), ".pqm") {
		return nil, nil
	}
	for _, m := range prog.Files {
		if m.Role == project.Module && strings.EqualFold(filepathBase(m.Path), name) {
			if root, ok := m.AST.Root().(ast.Expr); ok {
				return root, m
			}
		}
	}
	return nil, nil
}

func filepathBase(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// ValueOf follows x through parentheses, `meta`, type ascription with
// Value.ReplaceType, let bodies, module loads and names bound in the section
// or in lets, to the expression that computes it, and returns the file that
// expression is written in. It stops at anything else, and after a bounded
// number of steps so that cycles end.
func (prog *Program) ValueOf(f *File, x ast.Expr) (ast.Expr, *File) {
	for i := 0; i < 32 && x != nil; i++ {
		x = Unparen(x)
		switch v := x.(type) {
		case *ast.BinaryExpr:
			if v.Op != token.META {
				return x, f
			}
			x = v.X
		case *ast.InvokeExpr:
			if prog.CallName(f, v) == "Value.ReplaceType" && len(v.Args) >= 1 {
				x = v.Args[0]
				continue
			}
			if mx, mf := prog.moduleValue(f, v); mx != nil {
				x, f = mx, mf
				continue
			}
			return x, f
		case *ast.LetExpr:
			if v.Body == nil {
				return x, f
			}
			x = v.Body
		case *ast.Ident:
			d := f.Ref(v)
			if d == nil || d.Value == nil {
				return x, f
			}
			x, f = d.Value, prog.DefFile(d)
		default:
			return x, f
		}
	}
	return x, f
}

// RecordOf resolves x to a record literal and its file, or nil.
func (prog *Program) RecordOf(f *File, x ast.Expr) (*ast.RecordExpr, *File) {
	v, vf := prog.ValueOf(f, x)
	if r, ok := v.(*ast.RecordExpr); ok {
		return r, vf
	}
	return nil, nil
}

// TextOf resolves x to a text literal, following names.
func (prog *Program) TextOf(f *File, x ast.Expr) (string, bool) {
	v, _ := prog.ValueOf(f, x)
	return Text(v)
}

var nonSecretCredFields = map[string]bool{"AuthenticationKind": true, "EncryptConnection": true}

// Library functions whose result reveals nothing of their arguments.
var taintFree = map[string]bool{
	"Text.Length": true, "List.Count": true, "Table.RowCount": true, "Binary.Length": true,
	"Value.Type": true, "Text.StartsWith": true, "Text.EndsWith": true, "Text.Contains": true,
	"List.Contains": true, "Record.HasFields": true, "Record.FieldNames": true, "Record.FieldCount": true,
	"Value.Is": true, "Value.Equals": true, "Type.Is": true, "Diagnostics.ActivityId": true,
	"Diagnostics.CorrelationId": true, "Table.ColumnNames": true, "Table.IsEmpty": true,
	"List.IsEmpty": true, "Text.PositionOf": true, "Value.NullableEquals": true,
	"Extension.CurrentApplication": true, "Error.Record": false,
	// A keyed hash or a digest does not reveal the key: request signing
	// (HMAC of the query with the secret) is the safe pattern.
	"Crypto.CreateHmac": true, "Crypto.CreateHash": true,
}

var webSources = map[string]bool{
	"Web.Contents": true, "OData.Feed": true, "Web.Page": true, "Web.BrowserContents": true,
	"Web.Headers": true, "OpenApi.Document": true,
}

func (e *taintEngine) eval(f *File, x ast.Expr, en *env) TaintSet {
	e.steps++
	switch x := x.(type) {
	case nil:
		return TaintSet{}
	case *ast.ParenExpr:
		return e.eval(f, x.X, en)
	case *ast.Ident:
		return e.ident(f, x, en)
	case *ast.InvokeExpr:
		return e.call(f, x, en)
	case *ast.FieldAccess:
		if x.X == nil {
			// [name] inside each: a field of the current item
			return e.eachItem(f, x, en)
		}
		return e.field(f, x, en)
	case *ast.Projection:
		return e.eval(f, x.X, en)
	case *ast.ItemAccess:
		// {a, b}{1} is b only: a list holding a token taints that element.
		if it, itf := e.prog.listItem(f, x); it != nil {
			return e.eval(itf, it, en)
		}
		if t, ok := e.paramPart(f, x.X, en, func(af *File, a ast.Expr, aen *env) (TaintSet, bool) {
			if it, itf := e.prog.listItem(af, &ast.ItemAccess{X: a, Index: x.Index}); it != nil {
				return e.eval(itf, it, aen), true
			}
			return TaintSet{}, false
		}); ok {
			return t
		}
		return e.eval(f, x.X, en)
	case *ast.UnaryExpr:
		if x.Op == token.NOT {
			return TaintSet{}
		}
		return e.eval(f, x.X, en)
	case *ast.BinaryExpr:
		switch x.Op {
		case token.META, token.AS:
			return e.eval(f, x.X, en)
		case token.AND_TEXT:
			// The scheme of a URL comes from its first part.
			l := e.eval(f, x.X, en)
			r := e.eval(f, x.Y, en).Without(UncheckedURL)
			if lit, ok := Text(Unparen(x.X)); ok && lit != "" {
				l = l.Without(UncheckedURL)
			}
			l.add(r)
			return l
		case token.ADD, token.SUB, token.MUL, token.QUO, token.COALESCE:
			l := e.eval(f, x.X, en)
			l.add(e.eval(f, x.Y, en))
			return l
		}
		return TaintSet{} // comparisons, and, or, is
	case *ast.IfExpr:
		if isSchemeCheck(e.prog, f, x.Cond) {
			if _, ok := Unparen(x.True).(*ast.ErrorExpr); ok {
				return e.eval(f, x.False, en).Without(UncheckedURL)
			}
			if _, ok := Unparen(x.False).(*ast.ErrorExpr); ok {
				return e.eval(f, x.True, en).Without(UncheckedURL)
			}
		}
		t := e.eval(f, x.True, en)
		t.add(e.eval(f, x.False, en))
		return t
	case *ast.TryExpr:
		t := e.eval(f, x.Body, en)
		t.add(e.eval(f, x.Default, en))
		return t
	case *ast.LetExpr:
		return e.eval(f, x.Body, en)
	case *ast.RecordExpr:
		var t TaintSet
		for _, fl := range x.Fields {
			t.add(e.eval(f, fl.Value, en))
		}
		return t
	case *ast.ListExpr:
		var t TaintSet
		for _, it := range x.Items {
			t.add(e.eval(f, it, en))
		}
		return t
	case *ast.RangeExpr:
		return TaintSet{}
	}
	return TaintSet{}
}

func (e *taintEngine) ident(f *File, id *ast.Ident, en *env) TaintSet {
	d := f.Ref(id)
	if d == nil {
		return TaintSet{}
	}
	switch d.Kind {
	case DefEach:
		return e.eachItem(f, id, en)
	case DefParam:
		if t, ok := en.lookup(d); ok {
			return t
		}
		return e.paramTaint(d)
	case DefMember, DefBinding, DefField:
		if d.Value == nil {
			return TaintSet{}
		}
		if d.Kind == DefMember {
			en = e.global
		}
		if t, ok := en.memo[d]; ok {
			return t
		}
		if en.busy[d] {
			return TaintSet{}
		}
		if en.busy == nil {
			en.busy = map[*Def]bool{}
			en.memo = map[*Def]TaintSet{}
		}
		en.busy[d] = true
		t := e.eval(e.prog.DefFile(d), d.Value, en)
		delete(en.busy, d)
		en.memo[d] = t
		return t
	}
	return TaintSet{}
}

// eachItem is the taint of the item an `each` expression around n
// receives: the collection that the library call taking the each
// iterates (its first argument), as in Table.AddColumn(rows, "x", each …).
func (e *taintEngine) eachItem(f *File, n ast.Node, en *env) TaintSet {
	var each ast.Node
	for p := f.Parent(n); p != nil; p = f.Parent(p) {
		if _, ok := p.(*ast.EachExpr); ok {
			each = p
			break
		}
	}
	if each == nil {
		return TaintSet{}
	}
	c, ok := f.Parent(each).(*ast.InvokeExpr)
	if !ok || len(c.Args) < 2 || c.Args[0] == each || e.prog.CallName(f, c) == "" {
		return TaintSet{}
	}
	// [name] on rows written as record literals: only that column.
	if fa, ok := n.(*ast.FieldAccess); ok && fa.X == nil && fa.Name != nil {
		if rows, rf := e.literalRows(f, c.Args[0]); rows != nil {
			var t TaintSet
			for _, r := range rows {
				if fl := Field(r, fa.Name.Name); fl != nil {
					t.add(e.eval(rf, fl.Value, en))
				}
			}
			return t
		}
	}
	// Display strings of other columns are not what the item is used for.
	return e.eval(f, c.Args[0], en).Without(Resource)
}

// literalRows resolves a list of record literals, or Table.FromRecords of
// one, to its records.
func (e *taintEngine) literalRows(f *File, x ast.Expr) ([]*ast.RecordExpr, *File) {
	v, vf := e.prog.ValueOf(f, x)
	if c, ok := v.(*ast.InvokeExpr); ok && e.prog.CallName(vf, c) == "Table.FromRecords" && len(c.Args) > 0 {
		v, vf = e.prog.ValueOf(vf, c.Args[0])
	}
	l, ok := v.(*ast.ListExpr)
	if !ok || len(l.Items) == 0 {
		return nil, nil
	}
	var out []*ast.RecordExpr
	for _, it := range l.Items {
		r, ok := Unparen(it).(*ast.RecordExpr)
		if !ok {
			return nil, nil
		}
		out = append(out, r)
	}
	return out, vf
}

func (e *taintEngine) paramTaint(d *Def) TaintSet {
	if t, ok := e.params[d]; ok {
		if t == nil {
			return TaintSet{} // being computed: a recursive function
		}
		return *t
	}
	e.params[d] = nil
	e.index()
	var t TaintSet
	fn, _ := d.Func.(*ast.FunctionExpr)
	idx := -1
	if fn != nil {
		idx = slices.Index(fn.Params, d.Param)
	}
	if fn != nil && (e.dsf[fn] || e.testFns[fn]) {
		k := UserInput
		if urlLikeParam(d.Param) && !e.httpsOnly(fn, idx) {
			k |= UncheckedURL
		}
		if e.dsf[fn] && CredentialLikeName(d.Name) {
			// apiKey as text: a secret, even if asked for the wrong way
			// (PQC051)
			k |= Credential
		}
		t = source(k, e.prog.DefFile(d), d.Ident)
	}
	if fn != nil && e.authFns[fn] && tokenParam.MatchString(d.Name) {
		t = source(Credential, e.prog.DefFile(d), d.Ident)
	}
	if fn != nil {
		for _, s := range e.sites[fn] {
			if idx >= 0 && idx < len(s.Call.Args) {
				a := e.eval(s.File, s.Call.Args[idx], e.global)
				if e.prog.SchemeGuarded(s.File, s.Call) {
					// called past a scheme check (as a fix puts at a
					// data-source function's entry): the URL is checked
					a = a.Without(UncheckedURL)
				}
				t.add(a)
			}
		}
	}
	e.params[d] = &t
	return t
}

var tokenParam = regexp.MustCompile(`(?i)token`)

// httpsOnly reports whether parameter idx of the data-source function fn
// is documented with allowed values that are all https:// addresses.
func (e *taintEngine) httpsOnly(fn *ast.FunctionExpr, idx int) bool {
	ft := e.dsfType[fn]
	if ft == nil || idx < 0 || idx >= len(ft.Params) {
		return false
	}
	found, ok := false, true
	ast.Inspect(ft.Params[idx].Type, func(n ast.Node) bool {
		fl, isField := n.(*ast.Field)
		if !isField || fl.Name == nil || fl.Name.Name != "Documentation.AllowedValues" {
			return true
		}
		l, isList := Unparen(fl.Value).(*ast.ListExpr)
		if !isList || len(l.Items) == 0 {
			ok = false
			return false
		}
		for _, it := range l.Items {
			s, isText := Text(Unparen(it))
			if !isText || !strings.HasPrefix(strings.ToLower(s), "https://") {
				ok = false
			}
		}
		found = true
		return false
	})
	return found && ok
}

// urlLikeParam reports whether a parameter may hold a URL: it is not typed
// as a number, logical, date or similar.
func urlLikeParam(p *ast.Param) bool {
	if p == nil {
		return true
	}
	t := p.Type
	if n, ok := t.(*ast.NullableType); ok {
		t = n.T
	}
	if pt, ok := t.(*ast.PrimitiveType); ok {
		switch pt.Name {
		case "number", "logical", "date", "datetime", "datetimezone", "time", "duration", "binary", "table", "list", "function", "type":
			return false
		}
	}
	return true
}

func (e *taintEngine) field(f *File, x *ast.FieldAccess, en *env) TaintSet {
	if x.X == nil || x.Name == nil {
		return TaintSet{}
	}
	if r, rf := e.prog.RecordOf(f, x.X); r != nil {
		if fl := Field(r, x.Name.Name); fl != nil {
			return e.eval(rf, fl.Value, en)
		}
		return TaintSet{}
	}
	if t, ok := e.callField(f, x, en); ok {
		return t
	}
	if t, ok := e.paramPart(f, x.X, en, func(af *File, a ast.Expr, aen *env) (TaintSet, bool) {
		r, rf := e.prog.RecordOf(af, a)
		if r == nil {
			return TaintSet{}, false
		}
		if fl := Field(r, x.Name.Name); fl != nil {
			return e.eval(rf, fl.Value, aen), true
		}
		return TaintSet{}, true
	}); ok {
		return t
	}
	t := e.eval(f, x.X, en)
	if !t.Has(Credential) {
		return t
	}
	name := x.Name.Name
	switch {
	case nonSecretCredFields[name], isPropertiesAccess(x.X) && !secretProperty(name),
		!secretProperty(name) && !strings.EqualFold(name, "Username") && !e.isCredentialRecord(f, x.X):
		// Properties holds what the token response returned besides the
		// token, such as the account's API host; only secret-looking
		// entries are credentials.
		return t.Without(Credential | KeyOrPassword | Identity | SecretFile)
	case strings.EqualFold(name, "Username"):
		// Personal, and typed by the user: some connectors take the
		// server address from it.
		o, _ := t.Origin(Credential)
		return t.Without(Credential|KeyOrPassword).with(Identity|UserInput|UncheckedURL, o)
	case name == "Key" || name == "Password":
		o, _ := t.Origin(Credential)
		return t.with(KeyOrPassword, o)
	}
	return t
}

// paramPart evaluates a part (a field, an item) of a parameter of a
// connector function from the arguments passed to it: the argument of the
// call being followed, or else those of every call site. part returns false
// when an argument is not a literal it can pick the part from.
func (e *taintEngine) paramPart(f *File, x ast.Expr, en *env, part func(*File, ast.Expr, *env) (TaintSet, bool)) (TaintSet, bool) {
	id, ok := Unparen(x).(*ast.Ident)
	if !ok {
		return TaintSet{}, false
	}
	d := f.Ref(id)
	if d == nil || d.Kind != DefParam {
		return TaintSet{}, false
	}
	if a, ok := en.arg(d); ok {
		return part(a.file, a.x, a.env)
	}
	if _, bound := en.lookup(d); bound {
		return TaintSet{}, false
	}
	e.index()
	fn, _ := d.Func.(*ast.FunctionExpr)
	if fn == nil || e.dsf[fn] || e.testFns[fn] || e.authFns[fn] {
		return TaintSet{}, false
	}
	idx := slices.Index(fn.Params, d.Param)
	sites := e.sites[fn]
	if idx < 0 || len(sites) == 0 || e.busyParts[d] {
		return TaintSet{}, false
	}
	if e.busyParts == nil {
		e.busyParts = map[*Def]bool{}
	}
	e.busyParts[d] = true
	defer delete(e.busyParts, d)
	var t TaintSet
	for _, s := range sites {
		if idx >= len(s.Call.Args) {
			continue
		}
		u, ok := part(s.File, s.Call.Args[idx], e.global)
		if !ok {
			return TaintSet{}, false
		}
		t.add(u)
	}
	return t, true
}

// callField evaluates F(args)[name] where the connector function F returns
// a record literal: only the named field counts.
func (e *taintEngine) callField(f *File, x *ast.FieldAccess, en *env) (TaintSet, bool) {
	v, vf := e.prog.ValueOf(f, x.X)
	c, ok := v.(*ast.InvokeExpr)
	if !ok || e.prog.CallName(vf, c) != "" {
		return TaintSet{}, false
	}
	fn, ff := e.prog.FuncOf(vf, c.Fun)
	if fn == nil || en.depth >= maxCallDepth || en.active(fn) {
		return TaintSet{}, false
	}
	r, rf := e.prog.RecordOf(ff, fn.Body)
	if r == nil {
		return TaintSet{}, false
	}
	fl := Field(r, x.Name.Name)
	if fl == nil {
		return TaintSet{}, true
	}
	e.index()
	inner := &env{parent: en, fn: fn, bind: map[*Def]TaintSet{}, depth: en.depth + 1}
	for i, p := range fn.Params {
		if d := e.paramDef(p); d != nil && i < len(c.Args) {
			inner.bind[d] = e.eval(vf, c.Args[i], en)
		}
	}
	return e.eval(rf, fl.Value, inner), true
}

var guardName = regexp.MustCompile(`(?i)(validate|check|ensure|require|enforce|verify).*(url|uri|scheme|https)`)

func (e *taintEngine) call(f *File, c *ast.InvokeExpr, en *env) TaintSet {
	args := func(from int) TaintSet {
		var t TaintSet
		for i := from; i < len(c.Args); i++ {
			t.add(e.eval(f, c.Args[i], en))
		}
		return t
	}
	name := e.prog.CallName(f, c)
	if name == "" {
		fn, ff := e.prog.FuncOf(f, c.Fun)
		e.index()
		if fn != nil && e.isGuard(fn, ff) || fn == nil && isGuardName(c.Fun) {
			return args(0).Without(UncheckedURL)
		}
		if fn == nil {
			// An unknown function: assume its result carries its arguments.
			return args(0)
		}
		if en.depth >= maxCallDepth || en.active(fn) || e.steps > maxSteps {
			return args(0)
		}
		inner := &env{parent: en, fn: fn, bind: map[*Def]TaintSet{}, depth: en.depth + 1}
		for i, p := range fn.Params {
			if p.Name == nil {
				continue
			}
			var t TaintSet
			if i < len(c.Args) {
				t = e.eval(f, c.Args[i], en)
			}
			if d := e.paramDef(p); d != nil {
				inner.bind[d] = t
				if i < len(c.Args) {
					if inner.args == nil {
						inner.args = map[*Def]argRef{}
					}
					inner.args[d] = argRef{f, c.Args[i], en}
				}
			}
		}
		return e.eval(ff, fn.Body, inner)
	}
	switch {
	case name == "Extension.CurrentCredential" || name == "Extension.CurrentCredentials":
		return source(Credential, f, c)
	case name == "Extension.Contents":
		if len(c.Args) > 0 {
			if s, ok := e.prog.TextOf(f, c.Args[0]); ok && IsSecretFileName(s) {
				return source(Credential|SecretFile, f, c)
			}
		}
		return TaintSet{}
	case name == "Extension.LoadString":
		return source(Resource, f, c)
	case webSources[name]:
		t := source(Web, f, c)
		if name == "Web.Contents" && e.logsIn(f, c, en) {
			// A token got by signing in with the credential (a POST to a
			// sign-in address) is a credential too.
			t = t.with(Credential, Origin{File: f, Node: c})
		}
		return t
	case name == "Record.Field" || name == "Record.FieldOrDefault":
		// Record.Field(r, "Password") reads the field as r[Password] does.
		if len(c.Args) >= 2 {
			if fname, ok := e.prog.TextOf(f, c.Args[1]); ok {
				return e.field(f, &ast.FieldAccess{X: c.Args[0], Name: &ast.Ident{Name: fname}}, en)
			}
		}
		return args(0)
	case taintFree[name]:
		return TaintSet{}
	case name == "Diagnostics.Trace":
		if len(c.Args) < 3 {
			return TaintSet{}
		}
		if fn, ok := Unparen(c.Args[2]).(*ast.FunctionExpr); ok {
			return e.eval(f, fn.Body, en)
		}
		return e.eval(f, c.Args[2], en)
	case name == "Value.ReplaceType" || name == "Value.ReplaceMetadata":
		if len(c.Args) > 0 {
			return e.eval(f, c.Args[0], en)
		}
		return TaintSet{}
	case name == "Uri.Combine":
		// The base is evaluated once: evaluating it again for its scheme
		// made nested Uri.Combine calls cost 2^depth.
		if len(c.Args) == 0 {
			return TaintSet{}
		}
		t := e.eval(f, c.Args[0], en)
		checked := !t.Has(UncheckedURL)
		t.add(args(1))
		if checked {
			t = t.Without(UncheckedURL)
		}
		return t
	case name == "Text.Combine", name == "Text.Format":
		// The scheme comes from the text's first part: a literal there
		// (Text.Combine({"https://", host}), Text.Format("#{0}/v1",
		// {"https://api…", x})) fixes it.
		t := args(0)
		if lit, _ := e.prog.Leftmost(f, c); lit != nil {
			if s, _ := Text(lit); s != "" {
				t = t.Without(UncheckedURL)
			}
		}
		return t
	}
	return args(0)
}

// listItem resolves x, an item access with a constant index into a list
// literal, to that item and its file.
func (prog *Program) listItem(f *File, x *ast.ItemAccess) (ast.Expr, *File) {
	lit, ok := Unparen(x.Index).(*ast.Literal)
	if !ok || lit.Kind != token.NUMBER {
		return nil, nil
	}
	n, err := strconv.Atoi(lit.Value)
	if err != nil {
		return nil, nil
	}
	v, vf := prog.ValueOf(f, x.X)
	l, ok := v.(*ast.ListExpr)
	if !ok || n < 0 || n >= len(l.Items) {
		return nil, nil
	}
	return l.Items[n], vf
}

// logsIn reports whether the Web.Contents call c sends a credential in its
// body: a sign-in that exchanges the user's password or key for a token.
func (e *taintEngine) logsIn(f *File, c *ast.InvokeExpr, en *env) bool {
	if len(c.Args) < 2 {
		return false
	}
	var fields ReqFields
	e.prog.recordFields(f, c.Args[1], &fields, 0, "")
	ct, ok := fields.Get("Content")
	if !ok || !e.signInAddress(f, c.Args[0], fields) {
		return false
	}
	return e.eval(ct.File, ct.Value, en).Has(Credential)
}

var signInWord = regexp.MustCompile(`(?i)token|log_?in|sign_?in|sign-in|auth|session`)

// signInAddress reports whether the address of a request names a sign-in
// endpoint (…/oauth2/token, …/login, …/auth/session): only its answer is a
// token, not the data of every API that takes the key in the body.
func (e *taintEngine) signInAddress(f *File, url ast.Expr, fields ReqFields) bool {
	if lit, _ := e.prog.Leftmost(f, url); lit != nil {
		if s, _ := Text(lit); signInWord.MatchString(s) {
			return true
		}
	}
	if s, ok := e.prog.TextOf(f, url); ok && signInWord.MatchString(s) {
		return true
	}
	if rp, ok := fields.Get("RelativePath"); ok {
		if s, ok := e.prog.TextOf(rp.File, rp.Value); ok && signInWord.MatchString(s) {
			return true
		}
	}
	return false
}

// IsSecretFileName reports whether a file name given to Extension.Contents
// names a secret, such as client_secret.
func IsSecretFileName(s string) bool {
	s = strings.ToLower(s)
	return strings.Contains(s, "secret") || strings.Contains(s, "private_key") || strings.Contains(s, "privatekey")
}

func isGuardName(fun ast.Expr) bool {
	id, ok := Unparen(fun).(*ast.Ident)
	return ok && guardName.MatchString(id.Name)
}

// IsSchemeGuard reports whether fn checks that a URL uses HTTPS and raises
// an error otherwise.
func (prog *Program) IsSchemeGuard(f *File, fn *ast.FunctionExpr) bool {
	e := prog.engine()
	e.mu.Lock()
	defer e.mu.Unlock()
	// Whether a function is a guard depends on its body alone: no need
	// for the engine's index of the whole program.
	if e.guards == nil {
		e.guards = map[*ast.FunctionExpr]bool{}
	}
	return e.isGuard(fn, f)
}

func (e *taintEngine) isGuard(fn *ast.FunctionExpr, f *File) bool {
	if g, ok := e.guards[fn]; ok {
		return g
	}
	var check, raise bool
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ErrorExpr:
			raise = true
		case *ast.IfExpr:
			if isSchemeCheck(e.prog, f, n.Cond) {
				check = true
			}
		}
		return true
	})
	g := check && raise
	e.guards[fn] = g
	return g
}

// isSchemeCheck reports whether cond tests the scheme of a URL:
// Uri.Parts(u)[Scheme] compared with a literal, or Text.StartsWith(u,
// "https://") and the like.
func isSchemeCheck(prog *Program, f *File, cond ast.Expr) bool {
	found := false
	ast.Inspect(cond, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FieldAccess:
			if n.Name != nil && strings.EqualFold(n.Name.Name, "Scheme") {
				found = true
			}
		case *ast.InvokeExpr:
			switch prog.CallName(f, n) {
			case "Text.StartsWith", "Text.Start", "Text.BeforeDelimiter":
				for _, a := range n.Args {
					if s, ok := Text(Unparen(a)); ok && strings.HasPrefix(strings.ToLower(s), "http") {
						found = true
					}
				}
			}
		}
		return !found
	})
	return found
}

// SchemeGuarded reports whether node n of f sits in the branch of an `if`
// that a URL scheme check guards, the other branch raising an error.
func (prog *Program) SchemeGuarded(f *File, n ast.Node) bool {
	for child, p := n, f.Parent(n); p != nil; child, p = p, f.Parent(p) {
		ie, ok := p.(*ast.IfExpr)
		if !ok || !isSchemeCheck(prog, f, ie.Cond) {
			continue
		}
		if child == ast.Node(ie.False) {
			if _, ok := Unparen(ie.True).(*ast.ErrorExpr); ok {
				return true
			}
		}
		if child == ast.Node(ie.True) {
			if _, ok := Unparen(ie.False).(*ast.ErrorExpr); ok {
				return true
			}
		}
	}
	return false
}

// Request is a call that fetches data over the web: Web.Contents or
// OData.Feed, with its options resolved.
type Request struct {
	File *File
	Call *ast.InvokeExpr
	Func string   // Web.Contents, OData.Feed
	URL  ast.Expr // the first argument, or nil
	// Options is the options argument as written, or nil.
	Options ast.Expr
	// Fields are the options fields, resolved through names and & merges;
	// the last definition of a field wins.
	Fields ReqFields
	// Known is false when some of the options could not be resolved (a
	// parameter, a function result).
	Known bool

	prog *Program
}

// ReqField is one field of a request's options.
type ReqField struct {
	Name   string
	Value  ast.Expr
	Field  *ast.Field      // nil for a synthesized field (OData.Feed headers)
	Record *ast.RecordExpr // the record literal the field is in
	File   *File
}

// ReqFields are the fields of a request's options, each name once, in the
// order first set. A request has a handful: a slice, where a map per
// request was most of the cost of a file's requests.
type ReqFields []ReqField

// Get returns the field called name.
func (fs ReqFields) Get(name string) (ReqField, bool) {
	for _, f := range fs {
		if f.Name == name {
			return f, true
		}
	}
	return ReqField{}, false
}

// set adds f, or replaces the field of the same name.
func (fs *ReqFields) set(f ReqField) {
	for i := range *fs {
		if (*fs)[i].Name == f.Name {
			(*fs)[i] = f
			return
		}
	}
	*fs = append(*fs, f)
}

// Post reports whether the request sends a body (which makes it a POST).
func (r *Request) Post() bool {
	_, ok := r.Fields.Get("Content")
	return ok
}

// Get reports whether the request is known to be a GET.
func (r *Request) Get() bool { return r.Known && !r.Post() }

// ManualCredentials reports whether the options set ManualCredentials =
// true.
func (r *Request) ManualCredentials() bool {
	fl, ok := r.Fields.Get("ManualCredentials")
	if !ok {
		return false
	}
	v, _ := r.prog.ValueOf(fl.File, fl.Value)
	l, ok := v.(*ast.Literal)
	return ok && l.Kind == token.TRUE
}

// Requests returns the web requests made in node n of f (the whole file
// when n is nil).
func (prog *Program) Requests(f *File, n ast.Node) []*Request {
	if n != nil {
		if _, done := f.caches.requests.peek(); !done {
			// A few members asked about (an incremental check): build
			// their requests only, not the file's.
			var out []*Request
			for _, c := range IndexOf(n).Calls {
				out = prog.appendRequest(out, f, c)
			}
			return out
		}
	}
	requests := f.caches.requests.get(func() []*Request {
		out := []*Request{}
		for c := range f.Calls() {
			out = prog.appendRequest(out, f, c)
		}
		return out
	})
	if n == nil {
		return requests
	}
	start, end := f.AST.Span(n)
	var out []*Request
	for _, r := range requests {
		if s, e := f.AST.Span(r.Call); s >= start && e <= end {
			out = append(out, r)
		}
	}
	return out
}

// appendRequest appends the request c makes, if it is one.
func (prog *Program) appendRequest(out []*Request, f *File, c *ast.InvokeExpr) []*Request {
	// A call's name is its callee's identifier: looked at before resolving
	// it, which most calls of a file need not be.
	if id, ok := Unparen(c.Fun).(*ast.Ident); !ok || id.Name != "Web.Contents" && id.Name != "OData.Feed" {
		return out
	}
	switch name := prog.CallName(f, c); name {
	case "Web.Contents", "OData.Feed":
		out = append(out, prog.request(f, c, name))
	}
	return out
}

// request builds the model of one Web.Contents or OData.Feed call.
func (prog *Program) request(f *File, c *ast.InvokeExpr, name string) *Request {
	r := &Request{File: f, Call: c, Func: name, Fields: make(ReqFields, 0, 4), Known: true, prog: prog}
	if len(c.Args) > 0 {
		r.URL = c.Args[0]
	}
	opt := 1
	if name == "OData.Feed" {
		opt = 2
		if len(c.Args) > 1 {
			if !prog.recordFields(f, c.Args[1], &r.Fields, 0, "Headers") {
				r.Known = false
			}
		}
	}
	if len(c.Args) > opt {
		r.Options = c.Args[opt]
		if !prog.recordFields(f, r.Options, &r.Fields, 0, "") {
			r.Known = false
			prog.postFromCallers(f, r)
		}
	}
	return r
}

// postFromCallers marks a request whose options are a parameter as a POST
// when every call of the function passes options with Content.
func (prog *Program) postFromCallers(f *File, r *Request) {
	id, ok := Unparen(r.Options).(*ast.Ident)
	if !ok {
		return
	}
	d := f.Ref(id)
	if d == nil || d.Kind != DefParam {
		return
	}
	fn, _ := d.Func.(*ast.FunctionExpr)
	if fn == nil {
		return
	}
	idx := slices.Index(fn.Params, d.Param)
	sites := prog.CallSites(fn)
	if idx < 0 || len(sites) == 0 {
		return
	}
	var content ReqField
	for _, s := range sites {
		if idx >= len(s.Call.Args) {
			return
		}
		var fields ReqFields
		if !prog.recordFields(s.File, s.Call.Args[idx], &fields, 0, "") {
			return
		}
		c, ok := fields.Get("Content")
		if !ok {
			return
		}
		content = c
	}
	r.Fields.set(content)
}

// recordFields collects the fields of the record x evaluates to into out.
// With wrap set, x itself is stored as the field named wrap. It returns
// false when the record is not statically known.
func (prog *Program) recordFields(f *File, x ast.Expr, out *ReqFields, depth int, wrap string) bool {
	if depth > 16 {
		return false
	}
	x = Unparen(x)
	switch v := x.(type) {
	case *ast.RecordExpr:
		if wrap != "" {
			out.set(ReqField{Name: wrap, Value: v, File: f})
			return true
		}
		for _, fl := range v.Fields {
			if fl.Name != nil {
				out.set(ReqField{Name: fl.Name.Name, Value: fl.Value, Field: fl, Record: v, File: f})
			}
		}
		return true
	case *ast.Literal:
		return v.Kind == token.NULL
	case *ast.BinaryExpr:
		switch v.Op {
		case token.AND_TEXT:
			if wrap != "" {
				out.set(ReqField{Name: wrap, Value: v, File: f})
				return true
			}
			a := prog.recordFields(f, v.X, out, depth+1, "")
			b := prog.recordFields(f, v.Y, out, depth+1, "")
			return a && b
		case token.META:
			return prog.recordFields(f, v.X, out, depth+1, wrap)
		}
	case *ast.Ident:
		d := f.Ref(v)
		if d != nil && d.Value != nil && d.Kind != DefParam {
			return prog.recordFields(prog.DefFile(d), d.Value, out, depth+1, wrap)
		}
	case *ast.LetExpr:
		return prog.recordFields(f, v.Body, out, depth+1, wrap)
	case *ast.InvokeExpr:
		// options built by a small helper: KeyOptions(key) => [Query = …]
		if fn, ff := prog.FuncOf(f, v.Fun); fn != nil && prog.CallName(f, v) == "" {
			return prog.recordFields(ff, fn.Body, out, depth+1, wrap)
		}
	}
	return false
}

// Leftmost returns the text literal a text expression starts with, if
// any, following names, & chains, Text.Combine, Text.Format and
// Uri.Combine; and the file it is in.
func (prog *Program) Leftmost(f *File, x ast.Expr) (*ast.Literal, *File) {
	for i := 0; i < 32 && x != nil; i++ {
		x = Unparen(x)
		switch v := x.(type) {
		case *ast.Literal:
			if _, ok := Text(v); ok {
				return v, f
			}
			return nil, nil
		case *ast.BinaryExpr:
			if v.Op != token.AND_TEXT && v.Op != token.META {
				return nil, nil
			}
			x = v.X
		case *ast.Ident:
			d := f.Ref(v)
			if d == nil || d.Value == nil {
				return nil, nil
			}
			x, f = d.Value, prog.DefFile(d)
		case *ast.InvokeExpr:
			switch prog.CallName(f, v) {
			case "Text.Combine":
				if len(v.Args) == 0 {
					return nil, nil
				}
				lv, lf := prog.ValueOf(f, v.Args[0])
				f = lf
				l, ok := lv.(*ast.ListExpr)
				if !ok || len(l.Items) == 0 {
					return nil, nil
				}
				x = l.Items[0]
			case "Text.Format":
				if len(v.Args) == 0 {
					return nil, nil
				}
				fs, ok := prog.TextOf(f, v.Args[0])
				if !ok {
					return nil, nil
				}
				if !strings.HasPrefix(fs, "#{") {
					x = v.Args[0]
					continue
				}
				// "#{0}…" or "#{name}…": the first placeholder's value
				end := strings.IndexByte(fs, '}')
				if end < 0 || len(v.Args) < 2 {
					return nil, nil
				}
				key := fs[2:end]
				arg, af := prog.ValueOf(f, v.Args[1])
				switch a := arg.(type) {
				case *ast.ListExpr:
					n, err := strconv.Atoi(key)
					if err != nil || n < 0 || n >= len(a.Items) {
						return nil, nil
					}
					x, f = a.Items[n], af
				case *ast.RecordExpr:
					fl := Field(a, key)
					if fl == nil {
						return nil, nil
					}
					x, f = fl.Value, af
				default:
					return nil, nil
				}
			case "Uri.Combine", "Value.ReplaceType":
				if len(v.Args) == 0 {
					return nil, nil
				}
				x = v.Args[0]
			default:
				return nil, nil
			}
		case *ast.IfExpr:
			// Both branches: report the first that starts with a literal.
			if l, lf := prog.Leftmost(f, v.True); l != nil {
				return l, lf
			}
			x = v.False
		default:
			return nil, nil
		}
	}
	return nil, nil
}

// isCredentialRecord reports whether x is the credential record itself,
// Extension.CurrentCredential(), possibly through names. Fields of records
// merely derived from a credential — the claims decoded from a token, say —
// are secret only when their names say so.
func (e *taintEngine) isCredentialRecord(f *File, x ast.Expr) bool {
	v, vf := e.prog.ValueOf(f, x)
	call, ok := v.(*ast.InvokeExpr)
	if !ok {
		return false
	}
	switch e.prog.CallName(vf, call) {
	case "Extension.CurrentCredential", "Extension.CurrentCredentials":
		return true
	}
	return false
}

// isPropertiesAccess reports whether x is a [Properties] field access, as
// in Extension.CurrentCredential()[Properties].
func isPropertiesAccess(x ast.Expr) bool {
	fa, ok := Unparen(x).(*ast.FieldAccess)
	return ok && fa.Name != nil && fa.Name.Name == "Properties"
}

// secretProperty reports whether a Properties entry looks like a secret.
func secretProperty(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"token", "secret", "password", "key", "signature", "credential"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// TaintInside computes what x, an expression in the body of fn, carries
// of its own: the parameters of fn are bound to clean values, so what the
// callers pass is left out. A generic helper is judged this way, and its
// calls on what they pass.
func (prog *Program) TaintInside(f *File, x ast.Expr, fn *ast.FunctionExpr) TaintSet {
	e := prog.engine()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.steps = 0
	e.index()
	en := &env{parent: e.global, fn: fn, bind: map[*Def]TaintSet{}, depth: 1}
	for _, p := range fn.Params {
		if d := e.paramDef(p); d != nil {
			en.bind[d] = TaintSet{}
		}
	}
	return e.eval(f, x, en)
}

// IsHandler reports whether fn is a data-source function, a TestConnection
// handler or an OAuth handler: functions Power Query calls, whose
// parameters come from the user or the engine rather than from the
// connector's own calls.
func (prog *Program) IsHandler(fn *ast.FunctionExpr) bool {
	e := prog.engine()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.index()
	return e.dsf[fn] || e.testFns[fn] || e.authFns[fn]
}
