package security

import (
	"slices"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// PQC032 finds user-entered URLs that reach a request without an HTTPS
// check.
var PQC032 = &analysis.Analyzer{
	ID:       "PQC032",
	Fix:      analysis.ManualFix,
	Title:    "User-entered URL used without an HTTPS check",
	Severity: analysis.Error,
	Doc: "When the user types the address a connector talks to, a certified connector must refuse " +
		"anything but HTTPS before it sends a request. The rule follows the parameters of the " +
		"data-source functions (and the path TestConnection receives) into the URL of Web.Contents and " +
		"OData.Feed. A value counts as checked after it passes a function that tests the scheme and " +
		"raises an error (such as the documented ValidateUrlScheme helper), inside an `if` that tests " +
		"Uri.Parts(url)[Scheme] or Text.StartsWith(url, \"https://\") and errors otherwise, or when the " +
		"URL starts with a fixed literal such as \"https://\" & host. The fix checks the parameter once, " +
		"at the entry of the function that receives it: an `if` around the whole body, evaluated before " +
		"anything else, so that a try … otherwise inside cannot swallow its error. A URL that comes from " +
		"elsewhere (a user name typed as an address) is wrapped with a ValidateUrl helper, except inside " +
		"try … otherwise, where no fix is offered.",
	HelpURI: "https://learn.microsoft.com/power-query/helper-functions",
	Bad:     "shared Contoso.Contents = (url as text) => Web.Contents(url);",
	Good: "shared Contoso.Contents = (url as text) => Web.Contents(ValidateUrlScheme(url));\n" +
		"ValidateUrlScheme = (url as text) as text =>\n" +
		"    if Uri.Parts(url)[Scheme] <> \"https\" then error \"The URL must use HTTPS.\" else url;",
	Scope:     analysis.ExpressionScope,
	PerMember: true,
	Run:       runPQC032,
}

const validateURLHelper = "ValidateUrl = (url as text) as text =>\n" +
	"    let\n" +
	"        parts = Uri.Parts(url)\n" +
	"    in\n" +
	"        if parts[Scheme] <> \"https\" then\n" +
	"            error Error.Record(\"Expression.Error\", \"The URL must use HTTPS.\", url)\n" +
	"        else\n" +
	"            url;"

func runPQC032(p *analysis.Pass) {
	for _, r := range p.Requests() {
		if r.URL == nil {
			continue
		}
		f := r.File
		t := p.Prog.Taint(f, r.URL)
		if !t.Has(model.UncheckedURL) || p.Prog.SchemeGuarded(f, r.Call) {
			continue
		}
		start, end := analysis.Span(f, r.URL)
		var fixes []analysis.Fix
		if fix, ok := validateFix(p, f, r.URL, t); ok {
			fixes = append(fixes, fix)
		}
		p.Report(analysis.Diagnostic{Path: f.Path, Start: start, End: end,
			Message: "this URL comes from the user and nothing checks that it uses HTTPS: " +
				"validate the scheme before the request (certification requires it for user-entered URLs)",
			Fixes:   fixes,
			Related: connector.OriginRelated(t, model.UncheckedURL, "the URL is entered by the user here")})
	}
}

// validateFix returns the fix that makes sure the user's URL, which url
// carries (its taint t), uses HTTPS before any request is made. When the
// URL comes from a parameter of a function (a data-source function, or the
// TestConnection handler), the check goes once at the function's entry: an
// `if` around its whole body, evaluated before anything else, so that no
// try … otherwise in the body can swallow its error and every request and
// helper the body reaches sees a checked URL. Otherwise (a user name typed
// as an address) the URL is wrapped with a scheme guard of the main
// document, unless the request sits inside try … otherwise.
func validateFix(p *analysis.Pass, f *model.File, url ast.Expr, t model.TaintSet) (analysis.Fix, bool) {
	if o, ok := t.Origin(model.UncheckedURL); ok && o.File != nil {
		if d := paramDef(o.File, o.Node); d != nil && wholeURL(p, d, 0) {
			return entryCheckFix(o.File, d)
		}
	}
	if insideTry(f, url) {
		return analysis.Fix{}, false // the guard's error would be swallowed
	}
	main := p.Prog.Main
	if f != main || main.AST.Section == nil || len(main.AST.Section.Members) == 0 {
		return analysis.Fix{}, false
	}
	guard := ""
	for _, m := range p.Prog.MemberList {
		if fn, ff := p.Prog.FuncOf(main, m.Node.Value); fn != nil && p.Prog.IsSchemeGuard(ff, fn) && len(fn.Params) >= 1 {
			guard = m.Name
			break
		}
	}
	var edits []analysis.TextEdit
	if guard == "" {
		if p.Prog.Members["ValidateUrl"] != nil {
			return analysis.Fix{}, false
		}
		guard = "ValidateUrl"
		nl := analysis.Newline(main)
		members := main.AST.Section.Members
		_, end := analysis.Span(main, members[len(members)-1])
		edits = append(edits, analysis.Insert(main, end, nl+nl+strings.ReplaceAll(validateURLHelper, "\n", nl)))
	}
	edits = append(edits, analysis.Replace(f, url, fieldName(guard)+"("+analysis.Source(f, url)+")"))
	return analysis.Fix{Title: "Check that the URL uses HTTPS with " + guard, Edits: edits, Preferred: true}, true
}

// insideTry reports whether n sits in a try expression of f.
func insideTry(f *model.File, n ast.Node) bool {
	for a := f.Parent(n); a != nil; a = f.Parent(a) {
		if _, ok := a.(*ast.TryExpr); ok {
			return true
		}
	}
	return false
}

// paramDef returns the parameter that ident defines in f, or nil.
func paramDef(f *model.File, n ast.Node) *model.Def {
	id, ok := n.(*ast.Ident)
	if !ok {
		return nil
	}
	for _, d := range f.Defs() {
		if d.Ident == id && d.Kind == model.DefParam {
			return d
		}
	}
	return nil
}

// wholeURL reports whether every use of the value of d (a parameter or
// binding) treats it as a whole address, not as a host or path to put after
// a scheme: then requiring https at the entry cannot refuse a value the
// code handles well. It follows bindings and the connector's own helpers.
func wholeURL(p *analysis.Pass, d *model.Def, depth int) bool {
	if depth > 4 {
		return false
	}
	for _, ref := range p.Prog.RefsTo(d) {
		f := ref.File
		var child ast.Node = ref.Ident
		parent := f.Parent(child)
		for {
			if pe, ok := parent.(*ast.ParenExpr); ok {
				child, parent = pe, f.Parent(pe)
				continue
			}
			break
		}
		switch x := parent.(type) {
		case *ast.BinaryExpr:
			if x.Op == token.AND_TEXT && child == ast.Node(x.Y) {
				return false // after other text: a host or a path
			}
		case *ast.ListExpr:
			if len(x.Items) == 0 || child != ast.Node(x.Items[0]) {
				return false // a part of a list of parts
			}
		case *ast.Field:
			return false // a named part (Text.Format)
		case *ast.Binding:
			if bd := bindingDef(f, x); bd == nil || !wholeURL(p, bd, depth+1) {
				return false
			}
		case *ast.InvokeExpr:
			i := slices.IndexFunc(x.Args, func(a ast.Expr) bool { return ast.Node(a) == child })
			if i < 0 {
				continue
			}
			switch name := p.Prog.CallName(f, x); name {
			case "Uri.Combine":
				if i > 0 {
					return false
				}
			case "":
				fn, _ := p.Prog.FuncOf(f, x.Fun)
				if fn == nil {
					return false
				}
				if i >= len(fn.Params) {
					continue
				}
				pd := paramOf(p, fn, i)
				if pd == nil || !wholeURL(p, pd, depth+1) {
					return false
				}
			}
		}
	}
	return true
}

// bindingDef returns the definition a let binding makes.
func bindingDef(f *model.File, b *ast.Binding) *model.Def {
	for _, d := range f.Defs() {
		if d.Ident == b.Name && d.Kind == model.DefBinding {
			return d
		}
	}
	return nil
}

// paramOf returns the definition of parameter i of fn.
func paramOf(p *analysis.Pass, fn *ast.FunctionExpr, i int) *model.Def {
	for _, f := range p.Prog.Files {
		for _, d := range f.Defs() {
			if d.Kind == model.DefParam && d.Param == fn.Params[i] {
				return d
			}
		}
	}
	return nil
}

// entryCheckFix puts a scheme check of parameter d at the entry of its
// function: the body becomes `if <not https> then error … else <body>`,
// re-indented one step when it starts a line of its own.
func entryCheckFix(f *model.File, d *model.Def) (analysis.Fix, bool) {
	fn, _ := d.Func.(*ast.FunctionExpr)
	if fn == nil || fn.Body == nil || insideTry(f, fn) {
		return analysis.Fix{}, false
	}
	name := model.IdentText(d.Name)
	cond := "Uri.Parts(" + name + ")[Scheme] <> \"https\""
	if d.Param.Optional.IsValid() {
		cond = name + " <> null and " + cond
	}
	raise := "error Error.Record(\"Expression.Error\", \"The URL must use HTTPS.\", " + name + ")"
	start, end := analysis.Span(f, fn.Body)
	title := "Check that " + d.Name + " uses HTTPS at the entry of the function"
	if !firstOnLine(f, start) {
		return analysis.Fix{Title: title, Preferred: true, Edits: []analysis.TextEdit{
			analysis.Insert(f, start, "if "+cond+" then "+raise+" else "),
		}}, true
	}
	nl := analysis.Newline(f)
	indent := analysis.LineIndent(f, start)
	step := "    "
	if strings.HasPrefix(indent, "\t") {
		step = "\t"
	}
	edits := []analysis.TextEdit{analysis.Insert(f, start,
		"if "+cond+" then"+nl+indent+step+raise+nl+indent+"else"+nl+indent+step)}
	// Every further line of the body moves one step right, except lines
	// that continue a multi-line text literal.
	var inText [][2]int
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if lit, ok := n.(*ast.Literal); ok {
			ls, le := analysis.Span(f, lit)
			inText = append(inText, [2]int{ls, le})
		}
		return true
	})
	src := f.AST.Src
	for i := start; i < end; i++ {
		if src[i] != '\n' || i+1 >= end || src[i+1] == '\n' || src[i+1] == '\r' {
			continue
		}
		if slices.ContainsFunc(inText, func(r [2]int) bool { return i > r[0] && i < r[1] }) {
			continue
		}
		edits = append(edits, analysis.Insert(f, i+1, step))
	}
	return analysis.Fix{Title: title, Preferred: true, Edits: edits}, true
}
