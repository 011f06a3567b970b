// Package analysis runs the certification rules over a connector project.
//
// It follows golang.org/x/tools/go/analysis: each rule is an Analyzer with an
// ID, a severity, a doc string and a Run function; Run reports Diagnostics
// through a Pass, and a Diagnostic carries its quick-fixes as text edits.
// Positions here are byte offsets into files; conversion to lines and
// columns happens at the edges (the command line and the LSP server).
package analysis

import (
	"fmt"
	"strings"
)

// Severity is how serious a finding is. The values match LSP's
// DiagnosticSeverity.
type Severity int

const (
	Error       Severity = 1
	Warning     Severity = 2
	Information Severity = 3
	Hint        Severity = 4
)

var severityNames = [...]string{Error: "error", Warning: "warning", Information: "information", Hint: "hint"}

func (s Severity) String() string {
	if s >= Error && s <= Hint {
		return severityNames[s]
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity parses a severity name: error, warning, information (or
// info) and hint.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "error":
		return Error, nil
	case "warning", "warn":
		return Warning, nil
	case "information", "info":
		return Information, nil
	case "hint":
		return Hint, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning, information or hint)", s)
}

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
