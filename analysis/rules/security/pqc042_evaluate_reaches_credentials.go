package security

import (
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC042 finds evaluated code that can reach the credential functions.
var PQC042 = &analysis.Analyzer{
	ID:       "PQC042",
	Title:    "Evaluated code can reach credential functions",
	Severity: analysis.Warning,
	Doc: "Code run with Expression.Evaluate must not be able to call the functions that read or use " +
		"the credential. The rule reports evaluated text that spells out Extension.CurrentCredential or " +
		"Extension.InvokeWithCredentials (or builds a Web.Contents call from pieces computed at run " +
		"time), and environment records that hand those functions explicitly to text that is not fixed " +
		"by the connector. The usual #shared environment of the module loader is not reported: the " +
		"modules it loads are the connector's own code and are checked like the rest.",
	HelpURI:   "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:       "Expression.Evaluate(script, [Extension.CurrentCredential = Extension.CurrentCredential])",
	Good:      "Expression.Evaluate(Text.FromBinary(Extension.Contents(\"Helpers.pqm\")), #shared)",
	Scope:     analysis.ExpressionScope,
	PerMember: true,
	Run:       runPQC042,
}

var credentialFuncs = []string{"Extension.CurrentCredential", "Extension.InvokeWithCredentials"}

var credentialFuncNames = map[string]bool{"Extension.CurrentCredential": true, "Extension.CurrentCredentials": true,
	"Extension.InvokeWithCredentials": true}

func runPQC042(p *analysis.Pass) {
	p.EachCall(func(f *model.File, c *ast.InvokeExpr) {
		if p.Prog.CallName(f, c) != "Expression.Evaluate" || len(c.Args) == 0 {
			return
		}
		static := staticText(p, f, c.Args[0])
		// Packaged module text is connector code: checked as such.
		for _, s := range literalLeaves(p, f, c.Args[0]) {
			for _, fn := range credentialFuncs {
				if strings.Contains(s, fn) {
					p.ReportNode(f, c.Args[0], "the evaluated text calls "+fn+": do not reach the credential through Expression.Evaluate; call it directly in the connector")
					return
				}
			}
			if !static && strings.Contains(s, "Web.Contents") {
				p.ReportNode(f, c.Args[0], "the evaluated text builds a Web.Contents call from pieces computed at run time: write the request in the connector instead")
				return
			}
		}
		if len(c.Args) < 2 || static {
			return
		}
		var bad ast.Node
		seen := map[ast.Node]bool{}
		var walk func(f *model.File, x ast.Expr, depth int)
		walk = func(f *model.File, x ast.Expr, depth int) {
			if x == nil || depth > 8 || seen[x] || bad != nil {
				return
			}
			seen[x] = true
			ast.Inspect(x, func(n ast.Node) bool {
				switch v := n.(type) {
				case *ast.Field:
					if v.Name != nil && credentialFuncNames[v.Name.Name] {
						bad = v
					}
				case *ast.Ident:
					if d := f.Ref(v); d != nil && d.Value != nil && d.Kind != model.DefParam {
						walk(p.Prog.DefFile(d), d.Value, depth+1)
					}
				}
				return bad == nil
			})
		}
		walk(f, c.Args[1], 0)
		if bad != nil {
			p.ReportNode(f, c.Args[1], "this environment hands the credential functions to evaluated text the connector does not fix: "+
				"remove them from the environment or evaluate only the connector's own modules")
		}
	})
}
