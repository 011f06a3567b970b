package naming

import (
	"strconv"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC007 forbids words such as "Connector" and "API" in connector names.
var PQC007 = &analysis.Analyzer{
	ID:       "PQC007",
	Fix:      analysis.SafeFix,
	Title:    "Forbidden word in a kind, function or section name",
	Severity: analysis.Error,
	Doc: "Certified connectors are named after the product they reach, so the names users see — the " +
		"data source kind, the shared functions, and by convention the section — must not contain " +
		"the words Fabric, Power BI, Connector or API (the list is the certification.forbiddenWords " +
		"setting). Words are compared whole, after splitting names at dots, underscores and CamelCase " +
		"boundaries, so Rapid or Connectivity are fine. Names in certification.nameAllowlist are " +
		"skipped. The fix renames the kind or function throughout the project (attributes, Publish names, " +
		"the TestConnection list, modules and test queries); when a file names it in a way a rename " +
		"cannot follow, such as a text given to Record.Field(#shared, …), no fix is offered and the " +
		"message says where. Renaming a released kind changes the identity its stored credentials " +
		"are kept under.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:     "[DataSource.Kind = \"ContosoConnector\"]\nshared ContosoConnector.Contents = () => ...;",
	Good:    "[DataSource.Kind = \"Contoso\"]\nshared Contoso.Contents = () => ...;",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC007,
}

func runPQC007(p *analysis.Pass) {
	f := p.Prog.Main
	if f == nil || f.AST.Section == nil {
		return
	}
	prog := p.Prog
	words := model.NewForbidden(p.Config.Settings.ForbiddenWords)
	allowed := func(name string) bool { return stNameAllowed(p, name) }
	flagged := map[string]bool{} // kinds reported
	for _, k := range prog.Kinds {
		ms := words.Find(k.Name)
		if len(ms) == 0 || allowed(k.Name) {
			continue
		}
		flagged[k.Name] = true
		var start, end int
		if k.Record != nil {
			start, end = analysis.Span(f, k.Record.Node.Name)
		} else {
			for _, m := range prog.MemberList {
				if l := connector.AttrLiteral(m, "DataSource.Kind"); l != nil {
					if v, _ := model.Text(l); v == k.Name {
						start, end = analysis.Span(f, l)
						break
					}
				}
			}
		}
		var fixes []analysis.Fix
		fix, why := stRenameKindFix(prog, k.Name, ms)
		if why == "" {
			fixes = append(fixes, fix)
		} else {
			why = " (no automatic rename: " + why + ")"
		}
		p.Report(analysis.Diagnostic{Path: f.Path, Start: start, End: end, Fixes: fixes,
			Message: "the data source kind " + k.Name + " contains the word " + model.QuoteText(ms[0].Word) + ": name the kind after the product, without it" + why})
	}
	// Shared members, except for the part of their name that is a
	// reported kind.
	for _, m := range prog.MemberList {
		if !m.Shared || allowed(m.Name) {
			continue
		}
		skip := 0
		for k := range flagged {
			if m.Name == k || strings.HasPrefix(m.Name, k+".") {
				skip = max(skip, len(k))
			}
		}
		var ms []model.ForbiddenMatch
		for _, x := range words.Find(m.Name) {
			if x.Start >= skip {
				ms = append(ms, x)
			}
		}
		if len(ms) == 0 {
			continue
		}
		var fixes []analysis.Fix
		why := ""
		if nn := connector.WithoutWords(m.Name, ms); nn != "" && nn != m.Name && !strings.HasSuffix(nn, ".") {
			nn = connector.FreeName(prog, nn, nil)
			var edits []analysis.TextEdit
			if edits, why = stRenameEdits(prog, nil, map[string]string{m.Name: nn}); why == "" {
				fixes = append(fixes, analysis.Fix{Title: "Rename " + m.Name + " to " + nn + " everywhere", Edits: edits})
			} else {
				why = " (no automatic rename: " + why + ")"
			}
		}
		p.ReportNode(f, m.Node.Name, "the shared function "+m.Name+" contains the word "+model.QuoteText(ms[0].Word)+": shared names are shown to users, rename it"+why, fixes...)
	}
	// The section name is not shown, but is conventionally the kind's.
	if sec := f.AST.Section; sec.Name != nil && !flagged[sec.Name.Name] && !allowed(sec.Name.Name) {
		if ms := words.Find(sec.Name.Name); len(ms) > 0 {
			var fixes []analysis.Fix
			if nn := connector.WithoutWords(sec.Name.Name, ms); nn != "" && model.IsRegularIdent(nn) {
				fixes = append(fixes, analysis.Fix{Title: "Rename the section to " + nn, Safe: true, Preferred: true,
					Edits: []analysis.TextEdit{analysis.Replace(f, sec.Name, nn)}})
			}
			p.Report(analysis.Diagnostic{Path: f.Path, Severity: analysis.Warning, Start: f.AST.Offset(sec.Name.Pos()), End: f.AST.Offset(sec.Name.End()), Fixes: fixes,
				Message: "the section name " + sec.Name.Name + " contains the word " + model.QuoteText(ms[0].Word) + ": by convention it matches the product name"})
		}
	}
	// The button text is the display name in Get Data.
	seen := map[*model.Member]bool{}
	for _, k := range prog.Kinds {
		for _, pm := range k.Publish {
			if seen[pm] {
				continue
			}
			seen[pm] = true
			recs, _ := prog.Records(f, pm.Node.Value)
			fl, at := model.FieldIn(recs, "ButtonText")
			if fl == nil {
				continue
			}
			list, ok := prog.Value(at.File, fl.Value).(*ast.ListExpr)
			if !ok || len(list.Items) == 0 {
				continue
			}
			lf := prog.FileOf(at.File, fl.Value)
			item := list.Items[0]
			text, ok := stDisplayText(prog, lf, item)
			if !ok || allowed(text) {
				continue
			}
			if ms := words.Find(text); len(ms) > 0 {
				p.Report(analysis.Diagnostic{Path: lf.Path, Severity: analysis.Information, Start: lf.AST.Offset(item.Pos()), End: lf.AST.Offset(item.End()),
					Message: "the name shown in Get Data, " + model.QuoteText(text) + ", contains the word " + model.QuoteText(ms[0].Word)})
			}
		}
	}
}

// stDisplayText returns the text of a literal or of Extension.LoadString("key")
// looked up in resources.resx.
func stDisplayText(prog *model.Program, f *model.File, x ast.Expr) (string, bool) {
	v := prog.Value(f, x)
	if s, ok := model.Text(v); ok {
		return s, true
	}
	if call, ok := v.(*ast.InvokeExpr); ok && prog.CallName(prog.FileOf(f, x), call) == "Extension.LoadString" && len(call.Args) == 1 {
		if key, ok := model.Text(model.Unparen(call.Args[0])); ok && prog.Project != nil {
			s, ok := prog.Project.Resources[key]
			return s, ok
		}
	}
	return "", false
}

// stRenameKindFix renames kind and every member named after it, or says
// why it cannot ("" and no fix when there is no name to give).
func stRenameKindFix(prog *model.Program, kind string, ms []model.ForbiddenMatch) (analysis.Fix, string) {
	base := connector.WithoutWords(kind, ms)
	if base == "" {
		return analysis.Fix{}, "no name is left without the word"
	}
	old := map[string]bool{}
	for _, m := range prog.MemberList {
		if m.Name == kind || strings.HasPrefix(m.Name, kind+".") {
			old[m.Name] = true
		}
	}
	kindNames := map[string]bool{}
	for _, k := range prog.Kinds {
		kindNames[k.Name] = true
	}
	for i := 1; i < 100; i++ {
		nk := base
		if i > 1 {
			nk = base + strconv.Itoa(i)
		}
		if kindNames[nk] {
			continue
		}
		members := map[string]string{}
		ok := true
		for name := range old {
			nn := nk + name[len(kind):]
			if _, taken := prog.Members[nn]; taken && !old[nn] {
				ok = false
				break
			}
			members[name] = nn
		}
		if !ok {
			continue
		}
		edits, why := stRenameEdits(prog, map[string]string{kind: nk}, members)
		if why != "" {
			return analysis.Fix{}, why
		}
		return analysis.Fix{Title: "Rename kind " + kind + " to " + nk + " everywhere (stored credentials are kept per kind: this changes a released connector's identity)",
			Edits: edits}, ""
	}
	return analysis.Fix{}, "every name without the word is taken"
}
