package model

import "github.com/pqls/pqls/grammar/ast"

// NavTableHelper is the name of the helper function from the SDK samples
// that turns a table into a navigation table.
const NavTableHelper = "Table.ToNavigationTable"

// NavTableArg is the position of each argument of Table.ToNavigationTable:
// (table, keyColumns, nameColumn, dataColumn, itemKindColumn,
// itemNameColumn, isLeafColumn).
const (
	NavArgTable = iota
	NavArgKeys
	NavArgName
	NavArgData
	NavArgItemKind
	NavArgItemName
	NavArgIsLeaf
)

// ItemKinds are the values Power Query accepts in the item kind column of
// a navigation table.
var ItemKinds = []string{"Feed", "Cube", "CubeDatabase", "CubeView", "CubeViewFolder", "Database", "DatabaseServer",
	"Dimension", "Table", "Folder", "Function", "View", "Sheet", "Subcube", "DefinedName", "Record"}

// NavTableCalls returns the calls of Table.ToNavigationTable in n. The
// helper is connector code (a member, or a module loaded under that name),
// so calls are recognised by the callee's name, whatever it resolves to.
func NavTableCalls(n ast.Node) []*ast.InvokeExpr {
	var out []*ast.InvokeExpr
	if n == nil {
		return nil
	}
	ast.Inspect(n, func(n ast.Node) bool {
		if c, ok := n.(*ast.InvokeExpr); ok {
			if id, ok := Unparen(c.Fun).(*ast.Ident); ok && id.Name == NavTableHelper {
				out = append(out, c)
			}
		}
		return true
	})
	return out
}

// Arg returns argument i of call, or nil.
func Arg(call *ast.InvokeExpr, i int) ast.Expr {
	if i < len(call.Args) {
		return call.Args[i]
	}
	return nil
}
