package security

import (
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC040 finds Expression.Evaluate run on text from the web or the user.
var PQC040 = &analysis.Analyzer{
	ID:       "PQC040",
	Title:    "Expression.Evaluate on dynamic or user-provided text",
	Severity: analysis.Warning,
	Doc: "Expression.Evaluate runs M code with the connector's privileges, including access to the " +
		"user's credential. Certification forbids evaluating text that comes from a web response or " +
		"from the user (data-source function parameters, the TestConnection path, option records), and " +
		"text read from data rows: a field of the row a Table function hands an each or a function, or " +
		"the cell Table.TransformColumns hands a column's transform, also inside larger text such as " +
		"\"0x\" & [Hex]. " +
		"The usual module loader — Expression.Evaluate(Text.FromBinary(Extension.Contents(\"File.pqm\")), " +
		"#shared), called with file names the connector writes itself — is fine and is not reported, and so " +
		"is text built only from quote-escaped identifiers (#\"…\" with its quotes doubled, " +
		"Expression.Identifier, Expression.Constant): evaluating it looks a name up, it runs no code.",
	HelpURI:   "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:       "Expression.Evaluate(Text.FromBinary(Web.Contents(scriptUrl)), #shared)",
	Good:      "Expression.Evaluate(Text.FromBinary(Extension.Contents(\"Helpers.pqm\")), #shared)",
	Scope:     analysis.ExpressionScope,
	PerMember: true,
	Run:       runPQC040,
}

func runPQC040(p *analysis.Pass) {
	p.EachCall(func(f *model.File, c *ast.InvokeExpr) {
		if p.Prog.CallName(f, c) != "Expression.Evaluate" || len(c.Args) == 0 {
			return
		}
		if quotedNames(p, f, c.Args[0], 0) {
			return // only names: a lookup in the environment, not code
		}
		t := p.Prog.Taint(f, c.Args[0])
		var msg string
		var k model.Taint
		switch {
		case t.Has(model.Web):
			msg, k = "the evaluated text comes from a web response: never run code downloaded at run time; ship it in a .pqm module", model.Web
		case t.Has(model.UserInput):
			msg, k = "the evaluated text depends on what the user entered: evaluating user input lets it run code with the connector's privileges", model.UserInput
		case t.Has(model.Credential):
			msg, k = "the evaluated text is built from a credential: do not evaluate secrets", model.Credential
		case rowField(p, f, c.Args[0]):
			msg = "the evaluated text is read from data rows: data must not be run as code"
		default:
			return
		}
		start, end := analysis.Span(f, c.Args[0])
		p.Report(analysis.Diagnostic{Path: f.Path, Start: start, End: end, Message: msg,
			Related: connector.OriginRelated(t, k, "the text comes from here")})
	})
}

// rowField reports whether the text x of f is built from a value of a
// data row: a field of the current row ([name], _[name], or row[name]
// where row is the parameter of a function a Table function calls with
// its rows), or a cell that Table.TransformColumns hands its transform
// (_ or the function's parameter). It looks through the operators, calls
// and names the text is made of, so that "0x" & [Hex] counts as [Hex]
// does; functions written inside the text are not its value.
func rowField(p *analysis.Pass, f *model.File, x ast.Expr) bool {
	return rowRead(p, f, x, 0)
}

func rowRead(p *analysis.Pass, f *model.File, x ast.Expr, depth int) bool {
	if x == nil || depth > 8 {
		return false
	}
	for n := range model.Evaluated(x) {
		switch v := n.(type) {
		case *ast.FieldAccess:
			if v.X == nil {
				return true // [name]: a field of the row an each is given
			}
			if id, ok := model.Unparen(v.X).(*ast.Ident); ok {
				if d := f.Ref(id); d != nil && (d.Kind == model.DefEach || d.Kind == model.DefParam && rowsCall(p, d) == "row") {
					return true
				}
			}
		case *ast.Ident:
			d := f.Ref(v)
			if d == nil {
				continue
			}
			switch d.Kind {
			case model.DefEach, model.DefParam:
				if rowsCall(p, d) == "cell" {
					return true
				}
			case model.DefBinding, model.DefField:
				if d.Value != nil && rowRead(p, p.Prog.DefFile(d), d.Value, depth+1) {
					return true
				}
			}
		}
	}
	return false
}

// rowsCall tells what the parameter (or _) d of a function receives when
// the function is given to a Table library function: "row" for a function
// given directly (Table.AddColumn, Table.TransformRows…), "cell" for the
// transform of a column in Table.TransformColumns, "" otherwise.
func rowsCall(p *analysis.Pass, d *model.Def) string {
	if d.Func == nil {
		return ""
	}
	f := p.Prog.DefFile(d)
	inList := false
	var n ast.Node = d.Func
	for i := 0; i < 4; i++ {
		par := f.Parent(n)
		switch v := par.(type) {
		case *ast.ParenExpr:
		case *ast.ListExpr:
			inList = true
		case *ast.InvokeExpr:
			if v.Fun == n {
				return ""
			}
			name := p.Prog.CallName(f, v)
			switch {
			case inList && name == "Table.TransformColumns":
				return "cell"
			case !inList && strings.HasPrefix(name, "Table."):
				return "row"
			}
			return ""
		default:
			return ""
		}
		n = par
	}
	return ""
}

// quotedNames reports whether x is text made only of literals and
// quote-escaped names: Expression.Identifier(n), Expression.Constant(v), or
// "#""" & Text.Replace(n, """", """""") & """" (a generalized identifier
// whose quotes are doubled).
func quotedNames(p *analysis.Pass, f *model.File, x ast.Expr, depth int) bool {
	if depth > 8 {
		return false
	}
	pieces := flattenConcat(x)
	escaped := false
	for i, piece := range pieces {
		if s, ok := model.Text(piece); ok {
			if i > 0 && escaped && !strings.HasPrefix(s, `"`) {
				return false // the quoted name is not closed
			}
			escaped = false
			continue
		}
		switch v := piece.(type) {
		case *ast.InvokeExpr:
			switch p.Prog.CallName(f, v) {
			case "Expression.Identifier", "Expression.Constant":
				continue
			case "Text.Replace":
				prev := ""
				if i > 0 {
					prev, _ = model.Text(pieces[i-1])
				}
				from, _ := p.Prog.TextOf(f, model.Arg(v, 1))
				to, _ := p.Prog.TextOf(f, model.Arg(v, 2))
				if strings.HasSuffix(prev, `#"`) && from == `"` && to == `""` {
					escaped = true
					continue
				}
			}
			return false
		case *ast.Ident:
			d := f.Ref(v)
			if d == nil || d.Value == nil || d.Kind == model.DefParam {
				return false
			}
			if !quotedNames(p, p.Prog.DefFile(d), d.Value, depth+1) {
				return false
			}
			continue
		}
		return false
	}
	return !escaped
}
