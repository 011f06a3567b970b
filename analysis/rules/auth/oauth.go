package auth

import (
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// prjOAuth is the StartLogin function of a kind's OAuth authentication.
type prjOAuth struct {
	Kind  connector.Record
	Field *ast.Field        // the StartLogin field of the OAuth record
	Func  *ast.FunctionExpr // its function, or nil
	File  *model.File       // the file the function is in
}

// prjStartLogins returns the StartLogin functions of the OAuth kinds.
func prjStartLogins(prog *model.Program) []prjOAuth {
	var out []prjOAuth
	for _, kr := range connector.KindRecords(prog) {
		auth, af := connector.RecordValue(prog, kr.File, connector.FieldValue(kr.Rec, "Authentication"))
		if auth == nil {
			continue
		}
		oauth, of := connector.RecordValue(prog, af, connector.FieldValue(auth, "OAuth"))
		if oauth == nil {
			continue
		}
		fl := model.Field(oauth, "StartLogin")
		if fl == nil || fl.Value == nil {
			continue
		}
		fn, _, _ := prog.Function(of, fl.Value)
		ff := of
		if fn != nil {
			ff = connector.FuncFile(prog, of, fl.Value)
		}
		out = append(out, prjOAuth{Kind: kr, Field: fl, Func: fn, File: ff})
	}
	return out
}
