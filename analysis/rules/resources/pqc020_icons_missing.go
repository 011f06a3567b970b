package resources

import (
	"fmt"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC020 checks that the connector shows icons in Get Data.
var PQC020 = &analysis.Analyzer{
	ID:       "PQC020",
	Fix:      analysis.SafeFix,
	Title:    "Connector has no icons",
	Severity: analysis.Warning,
	Doc: "Certified connectors are expected to have icons. Power Query takes them from the Publish " +
		"record: SourceImage (shown in Get Data) and SourceTypeImage, each a record with an Icon16 and " +
		"an Icon32 list of PNG images read with Extension.Contents. Most connectors point both fields " +
		"at one icon record. A Publish record without SourceImage is reported as a warning, one without " +
		"SourceTypeImage as a hint; an icon record without Icon16 or Icon32, or with an empty list, is " +
		"reported too. Icons built elsewhere, such as in a module, are trusted.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:     "Contoso.Publish = [Beta = true, Category = \"Other\", ButtonText = {\"Contoso\", \"Contoso\"}];",
	Good: "Contoso.Publish = [Beta = true, Category = \"Other\", ButtonText = {\"Contoso\", \"Contoso\"},\n" +
		"    SourceImage = Contoso.Icons, SourceTypeImage = Contoso.Icons];\n" +
		"Contoso.Icons = [Icon16 = {Extension.Contents(\"Contoso16.png\"), …}, Icon32 = {Extension.Contents(\"Contoso32.png\"), …}];",
	Scope:      analysis.ConnectorScope,
	Absence:    true,
	DataSource: true,
	Run:        runPQC020,
}

func runPQC020(p *analysis.Pass) {
	main := p.Prog.Main
	if main == nil {
		return
	}
	for _, pub := range connector.PublishRecords(p.Prog) {
		src := model.Field(pub.Rec, "SourceImage")
		typ := model.Field(pub.Rec, "SourceTypeImage")
		switch {
		case src == nil:
			kind := pqc020Kind(p.Prog, pub.Member)
			icons := kind + ".Icons"
			msg := fmt.Sprintf("%s has no SourceImage, so the connector shows no icon in Get Data: add SourceImage and SourceTypeImage "+
				"records with Icon16 and Icon32 lists of PNGs", pub.Member.Name)
			var fixes []analysis.Fix
			if _, taken := p.Prog.Members[icons]; !taken && pub.File == main && pub.Member.Node.Semi.IsValid() {
				fields := []string{"SourceImage = " + model.IdentText(icons)}
				if typ == nil {
					fields = append(fields, "SourceTypeImage = "+model.IdentText(icons))
				}
				semi := main.AST.Offset(pub.Member.Node.Semi) + 1
				// Only icon files that exist: a reference to a missing one
				// breaks the build.
				small, ok16 := existingIconFiles(p.Prog, kind, nil, 16, 20, 24, 32)
				large, ok32 := existingIconFiles(p.Prog, kind, nil, 32, 40, 48, 64)
				if ok16 && ok32 {
					nl := analysis.Newline(main)
					member := fmt.Sprintf("%s%s%s = [%s    Icon16 = { %s },%s    Icon32 = { %s }%s];", nl, nl, model.IdentText(icons), nl,
						small, nl, large, nl)
					fixes = append(fixes, analysis.Fix{Title: "Add the icon set", Preferred: true,
						Edits: []analysis.TextEdit{analysis.AppendFields(main, pub.Rec, fields...), analysis.Insert(main, semi, member)}})
				}
			}
			p.ReportNode(main, pub.Member.Node.Name, msg, fixes...)
			continue
		case typ == nil:
			start, end := analysis.Span(main, pub.Member.Node.Name)
			p.Report(analysis.Diagnostic{Path: main.Path, Severity: analysis.Hint, Start: start, End: end,
				Message: fmt.Sprintf("%s has no SourceTypeImage: most connectors reuse the SourceImage icons for it", pub.Member.Name),
				Fixes: []analysis.Fix{{Title: "Reuse SourceImage for SourceTypeImage", Preferred: true, Safe: true,
					Edits: []analysis.TextEdit{analysis.AppendField(pub.File, pub.Rec, "SourceTypeImage = SourceImage")}}}})
		}
		seen := map[*ast.RecordExpr]bool{}
		for _, fl := range []*ast.Field{src, typ} {
			if fl == nil {
				continue
			}
			rec, rf := connector.RecordValue(p.Prog, pub.File, fl.Value)
			if rec == nil || seen[rec] {
				continue // built elsewhere: trusted
			}
			seen[rec] = true
			for _, size := range []string{"Icon16", "Icon32"} {
				ifl := model.Field(rec, size)
				if ifl == nil {
					p.ReportNode(rf, rec, fmt.Sprintf("the icon record of %s has no %s list of images", fl.Name.Name, size))
					continue
				}
				if l, lf := connector.ListValue(p.Prog, rf, ifl.Value); l != nil && len(l.Items) == 0 {
					p.ReportNode(lf, l, fmt.Sprintf("the %s list of %s is empty", size, fl.Name.Name))
				}
			}
		}
	}
}

// pqc020Kind returns the data source kind a Publish member belongs to.
func pqc020Kind(prog *model.Program, pub *model.Member) string {
	for _, k := range prog.Kinds {
		for _, m := range k.Publish {
			if m == pub {
				return k.Name
			}
		}
	}
	return prog.Project.Name
}
