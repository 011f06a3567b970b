package structure

import (
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/model"
)

// PQC052 requires the functions of one kind to share required parameters.
var PQC052 = &analysis.Analyzer{
	ID:       "PQC052",
	Title:    "Functions of one kind have different required parameters",
	Severity: analysis.Error,
	Doc: "Power Query keeps credentials per data source kind and path, and the path is made of the " +
		"required parameters of the data-source functions. Every function of one kind must therefore " +
		"have the same required parameters, with the same names, types and order. Optional parameters " +
		"and those whose type metadata sets DataSource.Path = false do not count.",
	HelpURI: "https://learn.microsoft.com/power-query/handling-data-access",
	Bad:     "[DataSource.Kind = \"Contoso\"]\nshared Contoso.Contents = (server as text) => ...;\n\n[DataSource.Kind = \"Contoso\"]\nshared Contoso.Tables = (url as text) => ...;",
	Good:    "[DataSource.Kind = \"Contoso\"]\nshared Contoso.Contents = (server as text) => ...;\n\n[DataSource.Kind = \"Contoso\"]\nshared Contoso.Tables = (server as text, optional options as record) => ...;",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC052,
}

func runPQC052(p *analysis.Pass) {
	f := p.Prog.Main
	if f == nil || f.AST.Section == nil {
		return
	}
	for _, k := range p.Prog.Kinds {
		var first *model.DSF
		var firstReq []model.ParamInfo
		for _, d := range k.DSFs {
			req, ok := p.Prog.RequiredParams(d)
			if !ok {
				continue
			}
			if first == nil {
				first, firstReq = d, req
				continue
			}
			if stSameParams(firstReq, req) {
				continue
			}
			s, e := analysis.Span(f, first.Member.Node.Name)
			p.Report(analysis.Diagnostic{Path: f.Path, Start: f.AST.Offset(d.Member.Node.Name.Pos()), End: f.AST.Offset(d.Member.Node.Name.End()),
				Message: "the required parameters of " + d.Member.Name + " (" + stParamList(req) + ") differ from those of " + first.Member.Name +
					" (" + stParamList(firstReq) + "), of the same kind " + k.Name + ": functions of one kind must have the same required parameters",
				Related: []analysis.Related{{Path: f.Path, Start: s, End: e, Message: first.Member.Name + " is declared here"}}})
		}
	}
}

func stSameParams(a, b []model.ParamInfo) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name {
			return false
		}
		ta, tb := strings.TrimPrefix(a[i].Type, "nullable "), strings.TrimPrefix(b[i].Type, "nullable ")
		if ta != "" && tb != "" && ta != "any" && tb != "any" && ta != tb {
			return false
		}
	}
	return true
}

func stParamList(ps []model.ParamInfo) string {
	if len(ps) == 0 {
		return "none"
	}
	var out []string
	for _, p := range ps {
		s := p.Name
		if p.Type != "" {
			s += " as " + p.Type
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}
