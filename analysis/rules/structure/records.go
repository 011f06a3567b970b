package structure

import (
	"github.com/pqls/pqls/grammar/ast"
)

// prjRefIdents returns the identifiers of n that are references, leaving
// out names being defined: record fields, let bindings, parameters, field
// access names and member names.
func prjRefIdents(n ast.Node) []*ast.Ident {
	if n == nil {
		return nil
	}
	names := map[*ast.Ident]bool{}
	ast.Inspect(n, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.Field:
			names[x.Name] = true
		case *ast.Binding:
			names[x.Name] = true
		case *ast.Param:
			names[x.Name] = true
		case *ast.FieldAccess:
			names[x.Name] = true
		case *ast.FieldSpec:
			names[x.Name] = true
		case *ast.Member:
			names[x.Name] = true
			return false // attributes and values are walked by the caller
		case *ast.SectionAccess:
			names[x.Section] = true
			names[x.Member] = true
		}
		return true
	})
	var out []*ast.Ident
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && !names[id] && (id.Kind == ast.Regular || id.Kind == ast.Quoted || id.Kind == ast.HashKeyword) {
			out = append(out, id)
		}
		return true
	})
	return out
}
