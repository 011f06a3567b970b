package analysis

import (
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/project"
)

// Files gives the analysis the parsed M files of a project. The LSP server
// answers from its open documents, the command line from disk.
type Files interface {
	Parsed(path string) (*ast.File, error)
}

// CheckProject runs every enabled rule over the project and returns the
// findings in all its files, syntax errors included, sorted by path and
// offset, with suppression comments and the configuration applied.
func CheckProject(p *project.Project, files Files, cfg *config.Config) []Diagnostic {
	// TODO(lead): implemented with the rules.
	return nil
}

// All returns every analyzer, ordered by ID.
func All() []*Analyzer { return nil }

// Analyzer describes one certification rule.
type Analyzer struct {
	ID       string   // PQC030
	Title    string   // one line
	Severity Severity // default severity
	Doc      string   // our explanation, one paragraph
	HelpURI  string   // the Microsoft page the rule comes from
	Bad      string   // an example that triggers the rule
	Good     string   // the same example, fixed
}
