// Package analysis runs the certification rules over a connector project.
//
// It follows golang.org/x/tools/go/analysis: each rule is an Analyzer with an
// ID, a severity, a doc string and a Run function; Run reports Diagnostics
// through a Pass, and a Diagnostic carries its quick-fixes as text edits.
// Positions here are byte offsets into files; conversion to lines and
// columns happens at the edges (the command line and the LSP server).
package analysis

import (
	"github.com/pqls/pqls/severity"
)

// Severity is how serious a finding is: the one severity type of pqls,
// severity.Level, named here for the rules and the code that reads findings.
type Severity = severity.Level

const (
	Error       = severity.Error
	Warning     = severity.Warning
	Information = severity.Information
	Hint        = severity.Hint
)

// ParseSeverity parses a severity name: error, warning, information (or
// info) and hint.
func ParseSeverity(s string) (Severity, error) { return severity.Parse(s) }

// SyntaxCode is the code of diagnostics that report syntax errors.
const SyntaxCode = "syntax"

// ProjectCode is the code of diagnostics that report faults in a project's
// own files: a project file or resources.resx that cannot be read.
const ProjectCode = "project"

// TextEdit replaces the bytes [Start, End) of the file at Path with NewText.
type TextEdit struct {
	Path       string
	Start, End int
	NewText    string
}

// Fix is a quick-fix: a titled set of edits, possibly across files.
type Fix struct {
	Title     string
	Edits     []TextEdit
	Preferred bool // the obvious fix for the finding
	// Safe fixes are applied by `pqls check --fix` and source.fixAll; the
	// others only on request.
	Safe bool
}

// Related is another place that explains a finding, such as where a
// credential comes from.
type Related struct {
	Path       string
	Start, End int
	Message    string
}

// Diagnostic is one finding in one file.
type Diagnostic struct {
	Path       string
	Start, End int // byte offsets
	Severity   Severity
	Code       string // rule ID, or SyntaxCode
	Message    string
	HelpURI    string // the Microsoft page the rule comes from
	Fixes      []Fix
	Related    []Related
}
