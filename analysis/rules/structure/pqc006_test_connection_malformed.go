package structure

import (
	"strconv"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC006 checks the shape of TestConnection handlers.
var PQC006 = &analysis.Analyzer{
	ID:       "PQC006",
	Fix:      analysis.SafeFix,
	Title:    "TestConnection handler is malformed",
	Severity: analysis.Error,
	Doc: "The gateway calls TestConnection with the data source path and expects back a list whose " +
		"first item is the name, as text, of a shared function of the connector and whose other items " +
		"are the arguments for it. If the handler is not a one-parameter function, does not return such " +
		"a list, names a function that is missing or not shared, or passes the wrong arguments — " +
		"the path is a JSON text unless the function's one required parameter is a Uri.Type — testing " +
		"the connection fails and the gateway does not keep the credential.",
	HelpURI: "https://learn.microsoft.com/power-query/handling-gateway-support",
	Bad:     "Contoso = [\n    TestConnection = (dataSourcePath) => { Contoso.Contents, dataSourcePath },\n    Authentication = [Anonymous = []]\n];",
	Good:    "Contoso = [\n    TestConnection = (dataSourcePath) => { \"Contoso.Contents\", dataSourcePath },\n    Authentication = [Anonymous = []]\n];",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC006,
}

func runPQC006(p *analysis.Pass) {
	done := map[*ast.Field]bool{}
	p.EachKindRecord(func(k *model.Kind, recs []model.RecordAt, _ bool) {
		fl, at := model.FieldIn(recs, "TestConnection")
		if fl == nil || fl.Value == nil || done[fl] {
			return
		}
		done[fl] = true
		stCheckTestConnection(p, k, at.File, fl)
	})
}

func stCheckTestConnection(p *analysis.Pass, k *model.Kind, rf *model.File, fl *ast.Field) {
	prog := p.Prog
	hf := prog.FileOf(rf, fl.Value)
	h := prog.Value(rf, fl.Value)
	switch v := h.(type) {
	case *ast.Literal, *ast.ListExpr, *ast.RecordExpr:
		p.ReportNode(rf, fl, "TestConnection must be a function of the data source path, such as (dataSourcePath) => { \"<shared function>\", dataSourcePath }")
		return
	case *ast.EachExpr:
		stCheckTestResults(p, k, hf, nil, v.Body)
	case *ast.FunctionExpr:
		required := 0
		for _, prm := range v.Params {
			if !prm.Optional.IsValid() {
				required++
			}
		}
		if len(v.Params) == 0 || required > 1 {
			p.ReportNode(hf, v, "TestConnection must take exactly one parameter, the data source path; this function takes "+strconv.Itoa(required)+" required parameters")
			return
		}
		stCheckTestResults(p, k, hf, v, v.Body)
	}
}

// stCheckTestResults checks every list the handler body can return.
func stCheckTestResults(p *analysis.Pass, k *model.Kind, f *model.File, fn *ast.FunctionExpr, body ast.Expr) {
	var results []ast.Expr
	var collect func(x ast.Expr, depth int)
	collect = func(x ast.Expr, depth int) {
		if depth > 16 || x == nil {
			return
		}
		x = model.Unparen(x)
		switch v := x.(type) {
		case *ast.LetExpr:
			collect(v.Body, depth+1)
		case *ast.IfExpr:
			collect(v.True, depth+1)
			collect(v.False, depth+1)
		case *ast.Ident:
			if d := f.Ref(v); d != nil && d.Value != nil && f.Program().DefFile(d) == f {
				collect(d.Value, depth+1)
			}
		default:
			results = append(results, x)
		}
	}
	collect(body, 0)
	for _, r := range results {
		switch v := r.(type) {
		case *ast.Literal, *ast.RecordExpr:
			p.ReportNode(f, v, "TestConnection must return a list: the name of a shared function as text, then its arguments")
		case *ast.ListExpr:
			stCheckTestList(p, k, f, fn, v)
		}
	}
}

func stCheckTestList(p *analysis.Pass, k *model.Kind, f *model.File, fn *ast.FunctionExpr, list *ast.ListExpr) {
	prog := p.Prog
	if len(list.Items) == 0 {
		p.ReportNode(f, list, "TestConnection returns an empty list: its first item must name the shared function to call")
		return
	}
	first := list.Items[0]
	v := prog.Value(f, first)
	name, ok := model.Text(v)
	if !ok {
		// A reference to the function itself instead of its name.
		if id, isID := model.Unparen(first).(*ast.Ident); isID {
			if d := f.Ref(id); d != nil && d.Kind == model.DefMember && d.Member != nil {
				p.ReportNode(f, first, "the first item of the TestConnection list must be the function's name as text, not the function: write "+model.QuoteText(d.Member.Name),
					analysis.Fix{Title: "Quote the function name", Safe: true, Preferred: true, Edits: []analysis.TextEdit{analysis.Replace(f, first, model.QuoteText(d.Member.Name))}})
				return
			}
		}
		if _, isLit := v.(*ast.Literal); isLit {
			p.ReportNode(f, first, "the first item of the TestConnection list must be the name of a shared function, as text")
		}
		return
	}
	target := prog.Members[name]
	if target == nil {
		var fixes []analysis.Fix
		if d := stClosestDSF(k, name); d != nil && connector.TextLiteral(first) != nil {
			switch fields := stPathFields(f, fn); {
			case len(fields) == 0:
				fixes = append(fixes, analysis.Fix{Title: "Call " + d.Member.Name + " instead", Preferred: true,
					Edits: []analysis.TextEdit{analysis.Replace(f, first, model.QuoteText(d.Member.Name))}})
			default:
				// The handler decodes fields of the path: renaming the
				// target is right only if they are its parameters (a
				// handler copied from another connector reads json[server]
				// where this one takes database, and would still fail).
				if all, ok := prog.DSFParams(d); ok {
					if stUnknownField(fields, all) == nil {
						fixes = append(fixes, analysis.Fix{Title: "Call " + d.Member.Name + " instead", Preferred: true,
							Edits: []analysis.TextEdit{analysis.Replace(f, first, model.QuoteText(d.Member.Name))}})
					} else if fix, ok := stRewriteHandler(prog, f, fn, d); ok {
						fixes = append(fixes, fix)
					}
				}
			}
		}
		p.ReportNode(f, first, "TestConnection names "+model.QuoteText(name)+", which is not a member of the section: name a shared data-source function", fixes...)
		return
	}
	if !target.Shared {
		nameStart, _ := analysis.Span(prog.Main, target.Node.Name)
		p.ReportNode(f, first, "TestConnection names "+name+", which is not shared: the gateway can only call shared functions",
			analysis.Fix{Title: "Mark " + name + " as shared", Preferred: true, Edits: []analysis.TextEdit{analysis.Insert(prog.Main, nameStart, "shared ")}})
		return
	}
	// The warnings need the target's parameters.
	var dsf *model.DSF
	for _, kk := range prog.Kinds {
		for _, d := range kk.DSFs {
			if d.Member == target {
				dsf = d
			}
		}
	}
	if dsf == nil {
		return // a dedicated shared test function is allowed
	}
	if dsf.Kind != k.Name {
		p.Report(analysis.Diagnostic{Path: f.Path, Severity: analysis.Warning, Start: f.AST.Offset(first.Pos()), End: f.AST.Offset(first.End()),
			Message: "TestConnection of kind " + k.Name + " calls " + name + ", which belongs to kind " + dsf.Kind + ": call a function of the same kind"})
		return
	}
	all, ok := prog.DSFParams(dsf)
	if !ok {
		return
	}
	var req []model.ParamInfo
	for _, prm := range all {
		if prm.Required() {
			req = append(req, prm)
		}
	}
	jsonPath := len(req) >= 2 || len(req) == 1 && stPlainType(req[0].Type)
	// The fix is written for the findings that offer it, not for every
	// handler checked: its line endings cost a scan of the whole file, at
	// every check of a handler that has nothing to report.
	fixes := func() []analysis.Fix {
		if fn == nil || !jsonPath || len(fn.Params) != 1 {
			return nil
		}
		indent := analysis.LineIndent(f, f.AST.Offset(fn.Pos()))
		text, ok := stTestConnectionText(prog, dsf, indent, analysis.Newline(f))
		if !ok {
			return nil
		}
		return []analysis.Fix{{Title: "Rewrite the handler to decode the path with Json.Document",
			Edits: []analysis.TextEdit{analysis.Replace(f, fn, strings.TrimPrefix(text, "TestConnection = "))}}}
	}
	if fa := stUnknownField(stPathFields(f, fn), all); fa != nil {
		var rewrite []analysis.Fix
		if fix, ok := stRewriteHandler(prog, f, fn, dsf); ok {
			rewrite = append(rewrite, fix)
		}
		p.Report(analysis.Diagnostic{Path: f.Path, Severity: analysis.Warning, Start: f.AST.Offset(fa.Pos()), End: f.AST.Offset(fa.End()), Fixes: rewrite,
			Message: "TestConnection reads the field " + fa.Name.Name + " of the data source path, but " + name + " has no parameter of that name, so the path has no such field and the test fails"})
		return
	}
	extra := len(list.Items) - 1
	if extra < len(req) || extra > len(all) {
		p.Report(analysis.Diagnostic{Path: f.Path, Severity: analysis.Warning, Start: f.AST.Offset(list.Pos()), End: f.AST.Offset(list.End()), Fixes: fixes(),
			Message: "TestConnection passes " + strconv.Itoa(extra) + " arguments to " + name + ", which has " + strconv.Itoa(len(req)) + " required parameters"})
		return
	}
	if !jsonPath || fn == nil || len(prog.Calls(f, fn, "Json.Document")) > 0 || stPassesPath(f, fn) {
		return
	}
	if len(req) >= 2 {
		p.Report(analysis.Diagnostic{Path: f.Path, Severity: analysis.Warning, Start: f.AST.Offset(list.Pos()), End: f.AST.Offset(list.End()), Fixes: fixes(),
			Message: name + " has several required parameters, so the data source path is a JSON text: decode it with Json.Document(dataSourcePath) and pass its fields"})
		return
	}
	// One parameter that is not a Uri.Type: the path is JSON too, and
	// handing it on as it is passes the JSON text as the value.
	for _, item := range list.Items[1:] {
		if id, ok := model.Unparen(item).(*ast.Ident); ok {
			if d := f.Ref(id); d != nil && d.Kind == model.DefParam && d.Func == fn {
				p.Report(analysis.Diagnostic{Path: f.Path, Severity: analysis.Warning, Start: f.AST.Offset(item.Pos()), End: f.AST.Offset(item.End()), Fixes: fixes(),
					Message: "the required parameter " + req[0].Name + " of " + name + " is not a Uri.Type, so the data source path is a JSON text: pass Json.Document(dataSourcePath)[" + req[0].Name + "] instead"})
				return
			}
		}
	}
}

// stPlainType reports whether a normalised parameter type is a primitive
// type or absent: not Uri.Type nor a type the analysis cannot see.
func stPlainType(t string) bool {
	switch strings.TrimPrefix(t, "nullable ") {
	case "", "any", "anynonnull", "text", "number", "logical", "date", "datetime", "datetimezone", "time", "duration", "binary", "record", "list", "table", "function", "type":
		return true
	}
	return false
}

// stPassesPath reports whether the handler hands its parameter to some
// function, which may decode it.
func stPassesPath(f *model.File, fn *ast.FunctionExpr) bool {
	if len(fn.Params) == 0 || fn.Params[0].Name == nil {
		return false
	}
	found := false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if call, ok := n.(*ast.InvokeExpr); ok {
			for _, a := range call.Args {
				if id, ok := model.Unparen(a).(*ast.Ident); ok {
					if d := f.Ref(id); d != nil && d.Kind == model.DefParam && d.Func == fn {
						found = true
					}
				}
			}
		}
		return !found
	})
	return found
}

// stClosestDSF returns the shared data-source function of k whose name is
// closest to name.
func stClosestDSF(k *model.Kind, name string) *model.DSF {
	var best *model.DSF
	bestDist := 0
	for _, d := range k.DSFs {
		if dist := model.EditDistance(strings.ToLower(name), strings.ToLower(d.Member.Name)); best == nil || dist < bestDist {
			best, bestDist = d, dist
		}
	}
	return best
}

// stPathFields returns the fields the handler reads from the data source
// path it decodes: json[server] where json is bound to Json.Document(…), or
// Json.Document(…)[server] itself.
func stPathFields(f *model.File, fn *ast.FunctionExpr) []*ast.FieldAccess {
	if fn == nil {
		return nil
	}
	decoded := func(x ast.Expr) bool {
		for depth := 0; depth < 8 && x != nil; depth++ {
			switch v := model.Unparen(x).(type) {
			case *ast.InvokeExpr:
				return connector.CalleeName(v) == "Json.Document"
			case *ast.Ident:
				d := f.Ref(v)
				if d == nil || d.Kind != model.DefBinding || f.Program().DefFile(d) != f {
					return false
				}
				x = d.Value
			default:
				return false
			}
		}
		return false
	}
	var out []*ast.FieldAccess
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if fa, ok := n.(*ast.FieldAccess); ok && fa.X != nil && fa.Name != nil && decoded(fa.X) {
			out = append(out, fa)
		}
		return true
	})
	return out
}

// stUnknownField returns the first of fields that names none of params.
func stUnknownField(fields []*ast.FieldAccess, params []model.ParamInfo) *ast.FieldAccess {
	for _, fa := range fields {
		known := false
		for _, prm := range params {
			known = known || prm.Name == fa.Name.Name
		}
		if !known {
			return fa
		}
	}
	return nil
}

// stRewriteHandler replaces the handler fn with one built from d's
// required parameters, as PQC005's fix writes it.
func stRewriteHandler(prog *model.Program, f *model.File, fn *ast.FunctionExpr, d *model.DSF) (analysis.Fix, bool) {
	if fn == nil {
		return analysis.Fix{}, false
	}
	indent := analysis.LineIndent(f, f.AST.Offset(fn.Pos()))
	text, ok := stTestConnectionText(prog, d, indent, analysis.Newline(f))
	if !ok {
		return analysis.Fix{}, false
	}
	return analysis.Fix{Title: "Rewrite the handler to call " + d.Member.Name + " with its parameters",
		Edits: []analysis.TextEdit{analysis.Replace(f, fn, strings.TrimPrefix(text, "TestConnection = "))}}, true
}
