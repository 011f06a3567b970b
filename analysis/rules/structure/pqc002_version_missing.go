package structure

import (
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/model"
)

// PQC002 requires the version adornment above the section declaration.
var PQC002 = &analysis.Analyzer{
	ID:       "PQC002",
	Fix:      analysis.SafeFix,
	Title:    "Connector has no version adornment",
	Severity: analysis.Error,
	Doc: "A certified connector carries its version as a literal attribute record above the " +
		"section declaration, [Version = \"major.minor.patch\"]. The reviewer rejects a connector " +
		"without it, and Power Query uses it to tell releases apart. The fix adds Version = \"1.0.0\" " +
		"to an existing attribute record or inserts a new record on the line before `section`.",
	HelpURI: "https://learn.microsoft.com/power-query/handling-versioning",
	Bad:     "section Contoso;\n\nshared Contoso.Contents = () => ...;",
	Good:    "[Version = \"1.0.0\"]\nsection Contoso;\n\nshared Contoso.Contents = () => ...;",
	Scope:   analysis.ConnectorScope,
	Absence: true,
	Run:     runPQC002,
}

func runPQC002(p *analysis.Pass) {
	f := p.Prog.Main
	if f == nil || f.AST.Section == nil || !f.AST.Section.Section.IsValid() {
		return
	}
	sec := f.AST.Section
	if sec.Attrs != nil && model.Field(sec.Attrs, "Version") != nil {
		return
	}
	start := f.AST.Offset(sec.Section)
	end := start + len("section")
	if sec.Name != nil {
		_, end = analysis.Span(f, sec.Name)
	}
	if sec.Attrs != nil {
		// [version = "3.0.0"]: the version is there, in the wrong case.
		for _, fl := range sec.Attrs.Fields {
			if fl.Name != nil && strings.EqualFold(fl.Name.Name, "Version") {
				p.Report(analysis.Diagnostic{Path: f.Path, Start: start, End: end,
					Message: "the section's version attribute is spelt " + fl.Name.Name + ": Power Query reads only Version, with a capital V",
					Fixes: []analysis.Fix{{Title: "Spell it Version", Safe: true, Preferred: true,
						Edits: []analysis.TextEdit{analysis.Replace(f, fl.Name, "Version")}}}})
				return
			}
		}
	}
	var fix analysis.Fix
	if sec.Attrs != nil {
		open, _ := analysis.Span(f, sec.Attrs)
		sep := ", "
		if len(sec.Attrs.Fields) == 0 {
			sep = ""
		}
		fix = analysis.Fix{Title: "Add Version = \"1.0.0\" to the section attributes", Safe: true, Preferred: true,
			Edits: []analysis.TextEdit{analysis.Insert(f, open+1, "Version = \"1.0.0\""+sep)}}
	} else {
		line := f.AST.Lines.UTF8(start).Line
		at := f.AST.Lines.LineStart(line)
		if at == 0 && strings.HasPrefix(string(f.AST.Src), "\uFEFF") {
			at = len("\uFEFF") // the byte-order mark stays first
		}
		fix = analysis.Fix{Title: "Insert [Version = \"1.0.0\"] above the section", Safe: true, Preferred: true,
			Edits: []analysis.TextEdit{analysis.Insert(f, at, "[Version = \"1.0.0\"]"+analysis.Newline(f))}}
	}
	p.Report(analysis.Diagnostic{Path: f.Path, Start: start, End: end,
		Message: "the section has no version: add [Version = \"1.0.0\"] above it (certification requires a major.minor.patch version)",
		Fixes:   []analysis.Fix{fix}})
}
