package auth

import (
	"fmt"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC056 checks that StartLogin passes the state parameter on.
var PQC056 = &analysis.Analyzer{
	ID:       "PQC056",
	Fix:      analysis.ManualFix,
	Title:    "OAuth StartLogin does not pass state to the login URL",
	Severity: analysis.Warning,
	Doc: "Power Query calls an OAuth StartLogin function with a state value that must come back " +
		"unchanged from the authorization server, so it has to be sent in the login URL, normally in the " +
		"Uri.BuildQueryString record. Power BI Desktop does not look at it, which hides the mistake, but " +
		"the Power BI service does and sign-in fails there. The rule reports a StartLogin whose state " +
		"parameter (second of three, or third of four) is never used; the fix adds state = state to " +
		"the query record, or, when the record sends a state of its own (a fixed text), sends the " +
		"parameter instead.",
	HelpURI: "https://learn.microsoft.com/power-query/custom-connector-development-faq",
	Bad:     "StartLogin = (resourceUrl, state, display) => [LoginUri = AuthorizeUrl & \"?\" & Uri.BuildQueryString([client_id = ClientId, response_type = \"code\"]), …]",
	Good:    "StartLogin = (resourceUrl, state, display) => [LoginUri = AuthorizeUrl & \"?\" & Uri.BuildQueryString([client_id = ClientId, response_type = \"code\", state = state]), …]",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC056,
}

func runPQC056(p *analysis.Pass) {
	for _, sl := range prjStartLogins(p.Prog) {
		fn, f := sl.Func, sl.File
		if fn == nil {
			continue
		}
		idx := -1
		switch len(fn.Params) {
		case 3:
			idx = 1
		case 4:
			idx = 2
		}
		if idx < 0 || fn.Params[idx].Name == nil {
			continue
		}
		prm := fn.Params[idx]
		used := false
		for id, d := range f.Refs() {
			if d.Kind == model.DefParam && d.Param == prm && id != prm.Name {
				used = true
				break
			}
		}
		if used {
			continue
		}
		var fixes []analysis.Fix
		for _, c := range p.Prog.Calls(f, fn.Body, "Uri.BuildQueryString") {
			arg := model.Arg(c, 0)
			r, ok := p.Prog.Value(f, arg).(*ast.RecordExpr)
			if !ok || p.Prog.FileOf(f, arg) != f || r.Pos() <= fn.Pos() || r.End() > fn.End() {
				continue
			}
			if fl := model.Field(r, "state"); fl != nil {
				// A state is sent, but not the one Power Query passed (a
				// fixed text, say): send that one instead.
				if fl.Value != nil {
					fixes = append(fixes, analysis.Fix{Title: "Send the state Power Query passes in the login URL query", Preferred: true,
						Edits: []analysis.TextEdit{analysis.Replace(f, fl.Value, model.IdentText(prm.Name.Name))}})
				}
				break
			}
			fixes = append(fixes, analysis.Fix{Title: "Add state to the login URL query", Preferred: true,
				Edits: []analysis.TextEdit{analysis.AppendField(f, r, "state = "+model.IdentText(prm.Name.Name))}})
			break
		}
		p.ReportNode(f, prm.Name, fmt.Sprintf("StartLogin never uses %s: pass it in the login URL (state = %s in the Uri.BuildQueryString record), or sign-in fails in the Power BI service",
			prm.Name.Name, prm.Name.Name), fixes...)
	}
}
