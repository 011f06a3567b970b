package model

import (
	"bytes"
	"regexp"

	"github.com/pqls/pqls/grammar/ast"
)

// ProjectKind says what a project's main document is, which decides the
// rules that apply to it.
type ProjectKind int

const (
	// NoConnector is a folder of queries, a function library or
	// documentation snippets: no connector rule applies.
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
)

var projectKindNames = [...]string{NoConnector: "no connector", Template: "template", Extension: "extension", Connector: "connector"}

func (k ProjectKind) String() string { return projectKindNames[k] }

// placeholder matches an SDK template placeholder such as {{ProjectName}}
// where M cannot have a list of lists: as a section name, or before a dot
// or semicolon ({{ProjectName}}.Contents). #table({"a"}, {{x}}) is M.
var placeholder = regexp.MustCompile(`section\s+\{\{\s*[A-Za-z_]\w*\s*\}\}|\{\{\s*[A-Za-z_]\w*\s*\}\}[.;]`)

// IsTemplate reports whether src holds SDK template placeholders.
//
// Every placeholder holds "{{", which most documents lack: the regular
// expression runs only on a window around each occurrence, so that the
// check of a megabyte file does not spend its time here (it was half of a
// full check of a generated 1 MB connector).
func IsTemplate(src []byte) bool {
	for from := 0; ; {
		i := bytes.Index(src[from:], openPlaceholder)
		if i < 0 {
			return false
		}
		i += from
		// Back over the spaces and "section" that may come before the
		// braces, forward to the "}}" and the dot or semicolon after.
		start := i
		for start > 0 && isSpace(src[start-1]) {
			start--
		}
		start = max(0, start-len("section"))
		end := i + 2
		for end < len(src) && end-i < maxPlaceholder && src[end] != '}' {
			end++
		}
		end = min(len(src), end+3)
		if placeholder.Match(src[start:end]) {
			return true
		}
		from = i + 1
	}
}

var openPlaceholder = []byte("{{")

// maxPlaceholder bounds the bytes between "{{" and "}}" that the window
// looks at; longer runs of spaces around a name do not occur in templates.
const maxPlaceholder = 256

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// Kind classifies the program's main document.
func (prog *Program) Kind() ProjectKind {
	f := prog.Main
	listed := prog.Project != nil && prog.Project.Listed
	if f == nil {
		if listed {
			return Connector // modules and tests of a project file
		}
		return NoConnector
	}
	if IsTemplate(f.AST.Src) {
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
	// A section document without a kind: an extension, or a connector
	// still being written. The rules that need no data source apply.
	return Extension
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
