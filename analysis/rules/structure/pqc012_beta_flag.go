package structure

import (
	"strconv"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// PQC012 asks for Beta = true in the Publish record of a first release.
var PQC012 = &analysis.Analyzer{
	ID:       "PQC012",
	Fix:      analysis.SafeFix,
	Title:    "Publish record lacks Beta = true on the initial release",
	Severity: analysis.Warning,
	Doc: "A connector's first certified release is shipped as a preview: its Publish record sets " +
		"Beta = true, which makes Get Data mark it as Beta and warn that it may still change in " +
		"breaking ways. Once the connector has been released, Beta is usually turned off. Unless " +
		"certification.initialRelease is set, pqls infers the release from the code: a connector " +
		"whose Version is later than 1.0.0, or whose Publish record says Beta = false in so many " +
		"words, is taken to be past its first release, and only a Publish record with no Beta field " +
		"in a connector at version 1.0.0 or below (or with no version) is reported. Set " +
		"certification.initialRelease to true to report Beta = false and any version too, or to " +
		"false to silence the rule.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:     "Contoso.Publish = [\n    Category = \"Other\",\n    ButtonText = { \"Contoso\", \"Contoso data\" }\n];",
	Good:    "Contoso.Publish = [\n    Beta = true,\n    Category = \"Other\",\n    ButtonText = { \"Contoso\", \"Contoso data\" }\n];",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC012,
}

// initialReleaseSetting is the flat name of the setting PQC012 honours.
const initialReleaseSetting = "certification.initialRelease"

func runPQC012(p *analysis.Pass) {
	f := p.Prog.Main
	if f == nil || f.AST.Section == nil {
		return
	}
	// An explicit setting wins. Without one, infer: real connectors past
	// their first release raise the version above 1.0.0 and often say
	// Beta = false outright (the catalogue counts 58 of 124 shipped ones).
	explicit := p.Config.Explicit(initialReleaseSetting)
	if explicit && !p.Config.Settings.InitialRelease {
		return
	}
	if _, later := stLaterThanFirst(f); later && !explicit {
		return
	}
	for _, pm := range stPublishMembers(p.Prog) {
		recs, complete := p.Prog.Records(f, pm.Node.Value)
		if len(recs) == 0 {
			continue
		}
		fl, at := model.FieldIn(recs, "Beta")
		if fl == nil {
			if !complete {
				continue
			}
			why := "a first release must set Beta = true"
			if !explicit {
				why += " (pqls takes a connector at version 1.0.0 or below for a first release; set certification.initialRelease to false if it has shipped)"
			}
			p.ReportNode(f, pm.Node.Name, "the Publish record "+pm.Name+" has no Beta field: "+why,
				analysis.Fix{Title: "Add Beta = true", Safe: true, Preferred: true, Edits: []analysis.TextEdit{analysis.PrependField(recs[0].File, recs[0].Rec, "Beta = true")}})
			continue
		}
		l, ok := p.Prog.Value(at.File, fl.Value).(*ast.Literal)
		if !ok || l.Kind != token.FALSE || !explicit {
			// Beta = false written out is the author's word that the
			// connector is past its preview; only an explicit
			// certification.initialRelease = true overrides it.
			continue
		}
		var fixes []analysis.Fix
		if direct, ok := model.Unparen(fl.Value).(*ast.Literal); ok {
			fixes = append(fixes, analysis.Fix{Title: "Set Beta = true", Safe: true, Preferred: true, Edits: []analysis.TextEdit{analysis.Replace(at.File, direct, "true")}})
		}
		p.ReportNode(at.File, fl, "Beta is false in the Publish record "+pm.Name+": a first release must set Beta = true (certification.initialRelease is true; set it to false after the first release)", fixes...)
	}
}

// stLaterThanFirst returns the section's Version when it is later than
// 1.0.0 ("1.1.1", "2.0", the number 1.1): a version a connector reaches only
// after its first release.
func stLaterThanFirst(f *model.File) (string, bool) {
	if f.AST.Section.Attrs == nil {
		return "", false
	}
	fl := model.Field(f.AST.Section.Attrs, "Version")
	if fl == nil || fl.Value == nil {
		return "", false
	}
	var text string
	switch v := model.Unparen(fl.Value).(type) {
	case *ast.Literal:
		if v.Kind == token.NUMBER {
			text = v.Value
		} else if s, ok := model.Text(v); ok {
			text = s
		}
	}
	norm, ok := stNormalizeVersion(text)
	if !ok {
		return "", false
	}
	for i, part := range strings.Split(norm, ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			return "", false
		}
		first := 0
		if i == 0 {
			first = 1
		}
		if n != first {
			return norm, n > first
		}
	}
	return "", false
}

// stPublishMembers returns the members named by Publish attributes, once
// each, in source order.
func stPublishMembers(prog *model.Program) []*model.Member {
	seen := map[*model.Member]bool{}
	var out []*model.Member
	for _, k := range prog.Kinds {
		for _, m := range k.Publish {
			if !seen[m] && m.Node.Value != nil {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	return out
}
