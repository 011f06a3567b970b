package model

import (
	"strings"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/project"
)

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

// NavTableCallsIn returns the calls of Table.ToNavigationTable in f, from
// its node index.
func NavTableCallsIn(f *File) []*ast.InvokeExpr {
	var out []*ast.InvokeExpr
	for c := range f.Calls() {
		if id, ok := Unparen(c.Fun).(*ast.Ident); ok && id.Name == NavTableHelper {
			out = append(out, c)
		}
	}
	return out
}

// Arg returns argument i of call, or nil.
func Arg(call *ast.InvokeExpr, i int) ast.Expr {
	if i < len(call.Args) {
		return call.Args[i]
	}
	return nil
}

// navigatorFuncs are library functions (and prefixes) whose result is
// already a navigation table.
var navigatorFuncs = []string{"Odbc.DataSource", "Adbc.DataSource", "OData.Feed", "AdoDotNet.DataSource", "OleDb.DataSource",
	"Sql.", "AnalysisServices.", "Oracle.Database", "MySQL.Database", "PostgreSQL.Database", "DB2.Database",
	"Teradata.Database", "Sybase.Database", "Informix.Database", "Access.Database", "Excel.Workbook",
	"SharePoint.", "AzureStorage.", "Hdfs.", "Exchange.Contents", "ActiveDirectory.Domains", "Salesforce.",
	"Snowflake.", "GoogleBigQuery.", "Databricks.", "Spark.", "Impala.", "Cdm.", "Folder.", "Web.Page"}

// ProvidesNavigation reports whether n shows signs of a navigation table:
// a call of Table.ToNavigationTable or another *NavTable* helper, a
// NavigationTable.* metadata field or text, a library function that
// returns a navigator, or a call, in the main document, of a name like
// X.Contents or X.Databases that is neither a library function nor defined
// in the connector (another connector's function).
func (prog *Program) ProvidesNavigation(f *File, n ast.Node) bool {
	found := false
	if n == nil {
		return false
	}
	lib := Library()
	ast.Inspect(n, func(n ast.Node) bool {
		if found {
			return false
		}
		switch x := n.(type) {
		case *ast.Ident:
			l := strings.ToLower(x.Name)
			if strings.Contains(l, "navigationtable") || strings.Contains(l, "navtable") {
				found = true
			}
		case *ast.Literal:
			if s, ok := Text(x); ok && strings.Contains(s, "NavigationTable.") {
				found = true
			}
		case *ast.InvokeExpr:
			id, ok := Unparen(x.Fun).(*ast.Ident)
			if !ok {
				break
			}
			name := prog.CallName(f, x)
			if name == "" {
				name = sharedAlias(f.Ref(id), id.Name)
			}
			if name == "" {
				break
			}
			for _, nf := range navigatorFuncs {
				if name == nf || strings.HasSuffix(nf, ".") && strings.HasPrefix(name, nf) {
					found = true
				}
			}
			if _, ok := lib[name]; !ok && f.Ref(id) == nil && f.Role == project.Main && isDSFName(name) {
				found = true // another connector's data source function
			}
		}
		return !found
	})
	return found
}

// sharedAlias returns name when d is a section member that stands for the
// library function of that name: Adbc.DataSource = try #shared[Adbc.DataSource]
// otherwise …, as connectors write to guard against a function an older
// engine lacks. Otherwise it returns "".
func sharedAlias(d *Def, name string) string {
	if d == nil || d.Kind != DefMember || d.Value == nil {
		return ""
	}
	v := Unparen(d.Value)
	if t, ok := v.(*ast.TryExpr); ok {
		v = Unparen(t.Body)
	}
	fa, ok := v.(*ast.FieldAccess)
	if !ok || fa.Name == nil || fa.Name.Name != name {
		return ""
	}
	if x, ok := Unparen(fa.X).(*ast.Ident); ok && x.Kind == ast.HashKeyword && x.Name == "#shared" {
		return name
	}
	return ""
}

// dsfSuffixes end the names of data source functions that return a
// navigator.
var dsfSuffixes = []string{".Contents", ".Database", ".Databases", ".Tables", ".Feed", ".DataSource", ".Catalogs", ".Navigation"}

func isDSFName(name string) bool {
	if strings.HasPrefix(name, "Extension.") {
		return false
	}
	for _, s := range dsfSuffixes {
		if strings.HasSuffix(name, s) && len(name) > len(s) {
			return true
		}
	}
	return false
}
