package tracing

import (
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// prjIsTrue reports whether x is the literal true.
func prjIsTrue(x ast.Expr) bool {
	l, ok := model.Unparen(x).(*ast.Literal)
	return ok && l.Kind == token.TRUE
}
