package connector

import (
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// FuncFile returns the file that defines the function x resolves to.
func FuncFile(prog *model.Program, f *model.File, x ast.Expr) *model.File {
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
		d := f.Ref(id)
		if d == nil || d.Value == nil {
			return f
		}
		x, f = d.Value, prog.DefFile(d)
	}
	return f
}
