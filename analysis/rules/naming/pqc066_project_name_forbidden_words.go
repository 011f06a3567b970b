package naming

import (
	"path/filepath"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/model"
)

// PQC066 checks the project (.mez) name for forbidden words.
var PQC066 = &analysis.Analyzer{
	ID:       "PQC066",
	Title:    "Project or .mez name contains a forbidden word",
	Severity: analysis.Information,
	Doc: "The connector file submitted for certification should be named after the product, as " +
		"ProductName.mez, without words such as Power BI, Connector or API (the " +
		"certification.forbiddenWords setting). The .mez takes its name from the project file or its " +
		"ConnectorName or Name property. Renaming happens outside the editor, so there is no fix.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:     "ContosoConnector.proj  →  bin/ContosoConnector.mez",
	Good:    "Contoso.proj  →  bin/Contoso.mez",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC066,
}

func runPQC066(p *analysis.Pass) {
	f := p.Prog.Main
	proj := p.Prog.Project
	if f == nil || proj == nil || proj.ProjFile == "" {
		return
	}
	// Name is what the .mez is called: the project file's name, or its
	// ConnectorName or Name property.
	names := []string{proj.Name}
	start, end := 0, 0
	if sec := f.AST.Section; sec != nil {
		start = f.AST.Offset(sec.Section)
		end = start + len("section")
		if sec.Name != nil {
			_, end = analysis.Span(f, sec.Name)
		}
	}
	for _, n := range names {
		if n == "" || stNameAllowed(p, n) {
			continue
		}
		if ms := model.FindForbidden(n, p.Config.Settings.ForbiddenWords); len(ms) > 0 {
			p.Report(analysis.Diagnostic{Path: f.Path, Start: start, End: end,
				Message: "the connector is built as " + n + ".mez, a name with the word " + model.QuoteText(ms[0].Word) +
					": name the project (" + filepath.Base(proj.ProjFile) + ") after the product"})
			return
		}
	}
}
