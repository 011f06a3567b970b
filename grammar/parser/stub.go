package parser

import "github.com/pqls/pqls/grammar/ast"

// Parse parses src, the content of the file called name. (Stub.)
func Parse(name string, src []byte) *ast.File { return nil }

// Reparse returns the parse of e applied to old's text. (Stub.)
func Reparse(old *ast.File, e Edit) *ast.File { return nil }
