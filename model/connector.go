package model

import (
	"bytes"

	"github.com/pqls/pqls/grammar/ast"
)

// ProjectKind says what a project's main document is, which decides the
// rules that apply to it.
type ProjectKind int

const (
	// NoConnector is a folder of queries, a function library,
	// documentation snippets, or the query document of a Power BI report
	// (IsReportQueries): no connector rule applies.
	NoConnector ProjectKind = iota
	// Template is an SDK template whose {{…}} placeholders are not M.
	Template
	// Extension is a section document that declares no data source kind
	// (an extension, or a connector before its kind is written): the rules
	// about data sources do not apply.
	Extension
	// Connector is the main document of a connector: listed by a project
	// file, or a section document that declares a DataSource.Kind.
	Connector
	// TestQueries is a folder of test queries with no connector beside
	// them, as the SDK's test framework lays them out (tests/TestSuites/…
	// next to the connector's folder): the rules about test queries apply.
	TestQueries
)

var projectKindNames = [...]string{NoConnector: "no connector", Template: "template", Extension: "extension", Connector: "connector", TestQueries: "test queries"}

func (k ProjectKind) String() string { return projectKindNames[k] }

// IsTemplate reports whether src holds an SDK template placeholder such as
// {{ProjectName}} where M cannot have a list of lists: as a section name,
// or before a dot or semicolon ({{ProjectName}}.Contents). #table({"a"},
// {{x}}) is M.
//
// It looks at each "{{" rather than running a regular expression over
// the file: that ran at about 20 MB/s and took half the time of a folder
// check.
func IsTemplate(src []byte) bool {
	for i := 0; ; {
		j := bytes.Index(src[i:], []byte("{{"))
		if j < 0 {
			return false
		}
		at := i + j
		if templateAt(src, at) {
			return true
		}
		i = at + 1
	}
}

// isTemplateFile is IsTemplate(f.Src), without reading the text when no
// region of it holds "{{": reading the whole text of a large document at
// every keystroke for this took as long as checking the edited member.
func isTemplateFile(f *ast.File) bool {
	return f.TextMay(ast.TextBraces) && IsTemplate(f.Src)
}

// templateAt reports whether a placeholder that makes src a template
// starts at src[at:]: followed by . or ;, or the section's name.
func templateAt(src []byte, at int) bool {
	end, ok := placeholderAt(src, at)
	return ok && (end < len(src) && (src[end] == '.' || src[end] == ';') || afterSection(src, at))
}

// placeholderAt reports whether `{{ name }}` starts at src[at:] (spaces
// optional, name a letter or _ and then letters, digits or _), and where
// it ends.
func placeholderAt(src []byte, at int) (end int, ok bool) {
	k := skipSpace(src, at+2)
	if k >= len(src) || !(src[k] == '_' || 'A' <= src[k] && src[k] <= 'Z' || 'a' <= src[k] && src[k] <= 'z') {
		return 0, false
	}
	for k < len(src) && (src[k] == '_' || 'A' <= src[k] && src[k] <= 'Z' || 'a' <= src[k] && src[k] <= 'z' || '0' <= src[k] && src[k] <= '9') {
		k++
	}
	k = skipSpace(src, k)
	if k+1 >= len(src) || src[k] != '}' || src[k+1] != '}' {
		return 0, false
	}
	return k + 2, true
}

// afterSection reports whether `section` and at least one space come just
// before src[at].
func afterSection(src []byte, at int) bool {
	k := at
	for k > 0 && isSpace(src[k-1]) {
		k--
	}
	return k < at && bytes.HasSuffix(src[:k], []byte("section"))
}

func skipSpace(src []byte, k int) int {
	for k < len(src) && isSpace(src[k]) {
		k++
	}
	return k
}

// testPlaceholder opens the parameter query of the SDK test framework's
// generic configuration (ConnectorConfigs/generic/ParameterQueries), a
// line of prose for the author to replace with the query that connects to
// their data source. Connectors that adopt the framework copy it along
// with their own configuration and often leave it as it is.
const testPlaceholder = "Replace with the M query"

// IsTestPlaceholder reports whether src, a test file, is still the test
// framework's placeholder: prose, not M, so neither its syntax nor its
// content is checked (as with the SDK's {{…}} templates).
func IsTestPlaceholder(src []byte) bool {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	return bytes.HasPrefix(bytes.TrimLeft(src, " \t\r\n"), []byte(testPlaceholder))
}

// isSpace is \s of Go's regular expressions, which the placeholder test
// used to be.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// Kind classifies the program's main document.
func (prog *Program) Kind() ProjectKind {
	f := prog.Main
	listed := prog.Project != nil && prog.Project.Listed
	if f == nil {
		if listed {
			return Connector // modules and tests of a project file
		}
		if prog.Project != nil && len(prog.Project.Tests) > 0 {
			return TestQueries
		}
		return NoConnector
	}
	if isTemplateFile(f.AST) {
		return Template
	}
	if len(prog.Kinds) > 0 {
		return Connector
	}
	if f.AST.Section == nil {
		if listed {
			return Connector // an expression where a section document belongs
		}
		return NoConnector
	}
	if !listed && IsReportQueries(f) {
		return NoConnector
	}
	// A section document without a kind: an extension, or a connector
	// still being written. The rules that need no data source apply.
	return Extension
}

// ReportQueriesSection is the name Power BI and Excel give the section
// document that holds the queries of a report or workbook.
const ReportQueriesSection = "Section1"

// IsReportQueries reports whether f is the query document of a Power BI
// report or Excel workbook, as tools extract it to a file: `section
// Section1;` declaring no data source kind. Its queries are not a
// connector, and the rules about connectors do not apply; no connector is
// named Section1. A project file that builds the document makes it an
// extension again (Kind).
func IsReportQueries(f *File) bool {
	sec := f.AST.Section
	return sec != nil && sec.Name != nil && sec.Name.Name == ReportQueriesSection
}

// Unparsed reports whether the member holds a syntax error: recovery may
// have invented or dropped its names, so rules neither report in it nor
// conclude that something it would hold is missing.
func (f *File) Unparsed(m *ast.Member) bool {
	if m == nil || len(f.AST.Errors) == 0 {
		return false
	}
	start, end := f.AST.Span(m)
	for _, e := range f.AST.Errors {
		if off := f.AST.Offset(e.From); off >= start && off <= end {
			return true
		}
	}
	return false
}

// HasUnparsed reports whether the file has syntax errors, so that a rule
// that reports something missing cannot know it is missing.
func (f *File) HasUnparsed() bool { return len(f.AST.Errors) > 0 }
