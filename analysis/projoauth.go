package analysis

import (
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// prjOAuth is the StartLogin function of a kind's OAuth authentication.
type prjOAuth struct {
	Kind  prjRecord
	Field *ast.Field        // the StartLogin field of the OAuth record
	Func  *ast.FunctionExpr // its function, or nil
	File  *model.File       // the file the function is in
}

// prjStartLogins returns the StartLogin functions of the OAuth kinds.
func prjStartLogins(prog *model.Program) []prjOAuth {
	var out []prjOAuth
	for _, kr := range prjKindRecords(prog) {
		auth, af := prjRecordValue(prog, kr.File, pqc024FieldValue(kr.Rec, "Authentication"))
		if auth == nil {
			continue
		}
		oauth, of := prjRecordValue(prog, af, pqc024FieldValue(auth, "OAuth"))
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
			ff = prjFuncFile(prog, of, fl.Value)
		}
		out = append(out, prjOAuth{Kind: kr, Field: fl, Func: fn, File: ff})
	}
	return out
}

// prjFuncFile returns the file that defines the function x resolves to.
func prjFuncFile(prog *model.Program, f *model.File, x ast.Expr) *model.File {
	for i := 0; i < 32; i++ {
		x = model.Unparen(x)
		id, ok := x.(*ast.Ident)
		if !ok {
			if c, ok := x.(*ast.InvokeExpr); ok && prog.CallName(f, c) == "Value.ReplaceType" && len(c.Args) > 0 {
				x = c.Args[0]
				continue
			}
			if b, ok := x.(*ast.BinaryExpr); ok {
				x = b.X
				continue
			}
			return f
		}
		d := f.Refs[id]
		if d == nil || d.Value == nil {
			return f
		}
		x, f = d.Value, d.File
	}
	return f
}
