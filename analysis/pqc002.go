package analysis

import (
	"github.com/pqls/pqls/analysis/model"
)

// PQC002 requires the version adornment above the section declaration.
var PQC002 = &Analyzer{
	ID:       "PQC002",
	Fix:      SafeFix,
	Title:    "Connector has no version adornment",
	Severity: Error,
	Doc: "A certified connector carries its version as a literal attribute record above the " +
		"section declaration, [Version = \"major.minor.patch\"]. The reviewer rejects a connector " +
		"without it, and Power Query uses it to tell releases apart. The fix adds Version = \"1.0.0\" " +
		"to an existing attribute record or inserts a new record on the line before `section`.",
	HelpURI: "https://learn.microsoft.com/power-query/handling-versioning",
	Bad:     "section Contoso;\n\nshared Contoso.Contents = () => ...;",
	Good:    "[Version = \"1.0.0\"]\nsection Contoso;\n\nshared Contoso.Contents = () => ...;",
	Scope:   ConnectorScope,
	Run:     runPQC002,
}

func runPQC002(p *Pass) {
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
		_, end = Span(f, sec.Name)
	}
	var fix Fix
	if sec.Attrs != nil {
		open, _ := Span(f, sec.Attrs)
		sep := ", "
		if len(sec.Attrs.Fields) == 0 {
			sep = ""
		}
		fix = Fix{Title: "Add Version = \"1.0.0\" to the section attributes", Safe: true, Preferred: true,
			Edits: []TextEdit{Insert(f, open+1, "Version = \"1.0.0\""+sep)}}
	} else {
		line := f.AST.Lines.UTF8(start).Line
		fix = Fix{Title: "Insert [Version = \"1.0.0\"] above the section", Safe: true, Preferred: true,
			Edits: []TextEdit{Insert(f, f.AST.Lines.LineStart(line), "[Version = \"1.0.0\"]\n")}}
	}
	p.Report(Diagnostic{Path: f.Path, Start: start, End: end,
		Message: "the section has no version: add [Version = \"1.0.0\"] above it (certification requires a major.minor.patch version)",
		Fixes:   []Fix{fix}})
}
