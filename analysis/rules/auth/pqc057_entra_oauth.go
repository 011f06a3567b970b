package auth

import (
	"fmt"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC057 suggests the Aad kind for OAuth flows against Entra ID.
var PQC057 = &analysis.Analyzer{
	ID:       "PQC057",
	Title:    "Custom OAuth flow against Microsoft Entra ID",
	Severity: analysis.Hint,
	Doc: "A connector that signs in to Microsoft Entra ID (login.microsoftonline.com) with its own OAuth " +
		"StartLogin and FinishLogin can fail to refresh in the Power BI service for tenants that use " +
		"Conditional Access, and cannot take part in single sign-on. The built-in Aad authentication " +
		"kind handles both: declare Aad = [AuthorizationUri = …, Resource = …] instead of OAuth.",
	HelpURI: "https://learn.microsoft.com/power-query/handling-authentication",
	Bad:     "Authentication = [OAuth = [StartLogin = StartLogin, FinishLogin = FinishLogin]]  // StartLogin uses login.microsoftonline.com",
	Good:    "Authentication = [Aad = [AuthorizationUri = \"https://login.microsoftonline.com/common/oauth2/authorize\", Resource = \"https://contoso.com\"]]",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC057,
}

var entraHosts = []string{"login.microsoftonline.com", "login.windows.net", "login.microsoft.com"}

func runPQC057(p *analysis.Pass) {
	for _, sl := range prjStartLogins(p.Prog) {
		if sl.Func == nil {
			continue
		}
		if host := pqc057Host(p.Prog, sl.File, sl.Func.Body, 0); host != "" {
			p.ReportNode(sl.Kind.File, sl.Field.Name, fmt.Sprintf("this OAuth flow signs in at %s (Microsoft Entra ID): use the Aad authentication kind, "+
				"which keeps refresh working under Conditional Access", host))
		}
	}
}

// pqc057Host returns the Entra ID host a text literal in n, or in a member
// or binding n refers to, names.
func pqc057Host(prog *model.Program, f *model.File, n ast.Node, depth int) string {
	host := ""
	if n == nil || depth > 3 {
		return ""
	}
	ast.Inspect(n, func(n ast.Node) bool {
		if host != "" {
			return false
		}
		switch x := n.(type) {
		case *ast.Literal:
			if s, ok := model.Text(x); ok {
				l := strings.ToLower(s)
				for _, h := range entraHosts {
					if strings.Contains(l, h) {
						host = h
					}
				}
			}
		case *ast.Ident:
			if d := f.Ref(x); d != nil && (d.Kind == model.DefMember || d.Kind == model.DefBinding) && d.Value != nil {
				if _, isFn := model.Unparen(d.Value).(*ast.FunctionExpr); !isFn && prog.DefFile(d) != nil {
					host = pqc057Host(prog, prog.DefFile(d), d.Value, depth+1)
				}
			}
		}
		return host == ""
	})
	return host
}
