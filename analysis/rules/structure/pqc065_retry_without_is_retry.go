package structure

import (
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// PQC065 finds polling and retry loops whose requests can be answered
// from the cache.
var PQC065 = &analysis.Analyzer{
	ID:       "PQC065",
	Fix:      analysis.ManualFix,
	Title:    "Retried request does not set IsRetry",
	Severity: analysis.Hint,
	Doc: "Power Query caches Web.Contents responses by URL and options, so a request repeated in a " +
		"polling or retry loop can get back the very response it is trying to get past. Setting the " +
		"IsRetry option makes Power Query ignore the cache for that request. The rule looks at the " +
		"producer function of Value.WaitFor when it can return null (only then does Value.WaitFor ask " +
		"again), and at the next function of List.Generate loops that retry requests with " +
		"ManualStatusHandling; the fix adds IsRetry = iteration > 0 with the producer's parameter.",
	HelpURI:   "https://learn.microsoft.com/power-query/wait-retry",
	Bad:       "Value.WaitFor((iteration) => let r = Web.Contents(url, [ManualStatusHandling = {500}]) in …, (iteration) => #duration(0, 0, 0, 2), 5)",
	Good:      "Value.WaitFor((iteration) => let r = Web.Contents(url, [ManualStatusHandling = {500}, IsRetry = iteration > 0]) in …, (iteration) => #duration(0, 0, 0, 2), 5)",
	Scope:     analysis.ExpressionScope,
	PerMember: true,
	Run:       runPQC065,
}

// runPQC065 starts from each Value.WaitFor and List.Generate call. The
// requests it reports lie in the producer function, written in the call or
// named by it — the call's member or one it refers to, in the same file —
// and what it says depends on those and on the options records they name;
// so the rule is checked member by member (PerMember). A request two loops
// repeat is met from both, which are then connected through it.
func runPQC065(p *analysis.Pass) {
	var seen map[*ast.InvokeExpr]bool // made at the first loop: most checks meet none
	p.EachCall(func(f *model.File, c *ast.InvokeExpr) {
		switch connector.CalleeName(c) {
		case "Value.WaitFor":
			if seen == nil {
				seen = map[*ast.InvokeExpr]bool{}
			}
			pqc065Producer(p, f, model.Arg(c, 0), false, seen)
		case "List.Generate":
			if !pqc065LooksLikeRetry(c) {
				return
			}
			if seen == nil {
				seen = map[*ast.InvokeExpr]bool{}
			}
			// Only the next function repeats a request; the initial
			// one runs once.
			pqc065Producer(p, f, model.Arg(c, 2), true, seen)
		}
	})
}

// pqc065LooksLikeRetry reports whether a List.Generate loop is about
// retrying rather than paging: some name in it speaks of retries or
// attempts.
func pqc065LooksLikeRetry(c *ast.InvokeExpr) bool {
	found := false
	ast.Inspect(c, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			l := strings.ToLower(id.Name)
			if strings.Contains(l, "retry") || strings.Contains(l, "retries") || strings.Contains(l, "attempt") {
				found = true
			}
		}
		return !found
	})
	return found
}

func pqc065Producer(p *analysis.Pass, f *model.File, x ast.Expr, needManual bool, seen map[*ast.InvokeExpr]bool) {
	var body ast.Expr
	var param string
	switch fn := model.Unparen(x).(type) {
	case *ast.FunctionExpr:
		body = fn.Body
		if len(fn.Params) > 0 && fn.Params[0].Name != nil {
			param = fn.Params[0].Name.Name
		}
	case *ast.EachExpr:
		body, param = fn.Body, "_"
	default:
		// A producer defined elsewhere: Value.WaitFor(Poll, …).
		g, _, _ := p.Prog.Function(f, x)
		if g == nil {
			return
		}
		f = connector.FuncFile(p.Prog, f, x)
		body = g.Body
		if len(g.Params) > 0 && g.Params[0].Name != nil {
			param = g.Params[0].Name.Name
		}
	}
	if !needManual && !pqc065MayReturnNull(f, body, 0) {
		// Value.WaitFor asks again only when the producer returns null.
		return
	}
	for _, wc := range p.Prog.Calls(f, body, "Web.Contents") {
		if seen[wc] {
			continue
		}
		seen[wc] = true
		opts := model.Arg(wc, 1)
		var recs []model.RecordAt
		complete := true
		if opts != nil {
			recs, complete = p.Prog.Records(f, opts)
			if !complete {
				continue // options built elsewhere: unknown
			}
		}
		if fl, _ := model.FieldIn(recs, "IsRetry"); fl != nil {
			continue
		}
		if fl, _ := model.FieldIn(recs, "ManualStatusHandling"); needManual && fl == nil {
			continue
		}
		var fixes []analysis.Fix
		if param != "" && param != "_" {
			field := "IsRetry = " + model.IdentText(param) + " > 0"
			if opts == nil && len(wc.Args) == 1 {
				_, end := analysis.Span(f, wc.Args[0])
				fixes = append(fixes, analysis.Fix{Title: "Add IsRetry", Preferred: true, Edits: []analysis.TextEdit{analysis.Insert(f, end, ", ["+field+"]")}})
			} else if r, ok := model.Unparen(opts).(*ast.RecordExpr); ok {
				fixes = append(fixes, analysis.Fix{Title: "Add IsRetry", Preferred: true, Edits: []analysis.TextEdit{analysis.AppendField(f, r, field)}})
			}
		}
		p.ReportNode(f, wc, "this request is repeated by a polling or retry loop but can be answered from the cache: add IsRetry = true to its options on repeated attempts", fixes...)
	}
}

// pqc065MayReturnNull reports whether the producer body x can return
// null, which makes Value.WaitFor call it again: a null literal reached
// through lets, names, if branches and try … otherwise.
func pqc065MayReturnNull(f *model.File, x ast.Expr, depth int) bool {
	if x == nil || depth > 16 {
		return false
	}
	switch v := model.Unparen(x).(type) {
	case *ast.Literal:
		return v.Kind == token.NULL
	case *ast.IfExpr:
		return pqc065MayReturnNull(f, v.True, depth+1) || pqc065MayReturnNull(f, v.False, depth+1)
	case *ast.LetExpr:
		return pqc065MayReturnNull(f, v.Body, depth+1)
	case *ast.TryExpr:
		return pqc065MayReturnNull(f, v.Body, depth+1) || pqc065MayReturnNull(f, v.Default, depth+1)
	case *ast.Ident:
		d := f.Ref(v)
		if d == nil || d.Value == nil || d.Kind == model.DefParam {
			return false
		}
		return pqc065MayReturnNull(f.Program().DefFile(d), d.Value, depth+1)
	}
	return false
}
