package connector

import (
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// FieldValue returns the value of field name of record r, or nil.
func FieldValue(r *ast.RecordExpr, name string) ast.Expr {
	if fl := model.Field(r, name); fl != nil {
		return fl.Value
	}
	return nil
}
