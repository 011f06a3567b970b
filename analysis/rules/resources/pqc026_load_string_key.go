package resources

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
)

// PQC026 checks Extension.LoadString keys against resources.resx.
var PQC026 = &analysis.Analyzer{
	ID:       "PQC026",
	Fix:      analysis.ManualFix,
	Title:    "Extension.LoadString key is not in resources.resx",
	Severity: analysis.Warning,
	Doc: "Extension.LoadString looks its key up among the <data name=\"…\"> entries of the " +
		"resources.resx file packaged with the connector; the match is exact, capitals included. A key " +
		"that is not there leaves a blank button title or label, or fails at run time. The rule checks " +
		"literal keys; when the project has no resources.resx at all it says so once. When a key " +
		"differs only slightly from an existing one, the fix uses the existing key. Modules are checked " +
		"too. A second fix adds the missing key to resources.resx (the neutral file, never a culture " +
		"variant such as resources.de-DE.resx) with a placeholder text, in the file's own layout. It is not " +
		"applied by pqls check --fix: the placeholder would be shipped to users in place of the real text, so " +
		"a person must choose it and then write the text. When the project has no resources.resx, no fix is " +
		"offered: pqls does not create the file, which the project must also package. " +
		"pqls reads resources.resx from the project folder only, where the SDKs package it from; " +
		"when the project file takes one from outside the folder, its keys are not checked.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:     "ButtonText = { Extension.LoadString(\"ButtonTitel\"), Extension.LoadString(\"ButtonHelp\") }",
	Good:    "ButtonText = { Extension.LoadString(\"ButtonTitle\"), Extension.LoadString(\"ButtonHelp\") }",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC026,
}

func runPQC026(p *analysis.Pass) {
	proj := p.Prog.Project
	if proj == nil {
		return
	}
	for _, pr := range proj.Problems {
		if pr.Path == proj.Resx && proj.Resx != "" && !strings.Contains(pr.Err.Error(), "defined more than once") {
			return // a broken resx: its keys are not reliably known
		}
		if pr.Path == proj.ProjFile && errors.Is(pr.Err, project.ErrOutsideProject) &&
			strings.Contains(strings.ToLower(pr.Err.Error()), "resources.resx") {
			// The project file packages a resources.resx from outside the
			// folder, which pqls does not read: the keys are unknown, and
			// the project finding on the item already says why.
			return
		}
	}
	keys := make([]string, 0, len(proj.Resources))
	for k := range proj.Resources {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	saidNoResx := false
	resx, _ := openResx(p.Prog)
	for _, f := range prjCodeFiles(p.Prog) {
		calls := p.Prog.CallsTo(f, "Extension.LoadString")
		if proj.Resx == "" {
			if saidNoResx {
				continue
			}
			var first *ast.Literal
			n := 0
			for _, c := range calls {
				if l, ok := model.Unparen(model.Arg(c, 0)).(*ast.Literal); ok {
					if _, ok := model.Text(l); ok {
						if first == nil {
							first = l
						}
						n++
					}
				}
			}
			if first != nil {
				key, _ := model.Text(first)
				more := ""
				if n > 1 {
					more = fmt.Sprintf(" (nor the %d other keys)", n-1)
				}
				p.ReportNode(f, first, fmt.Sprintf("the project has no resources.resx, so Extension.LoadString finds no string for %q%s: add a resources.resx next to the connector and package it (no fix is offered: pqls does not create the file)",
					key, more))
				saidNoResx = true
			}
			continue
		}
		for _, c := range calls {
			l, ok := model.Unparen(model.Arg(c, 0)).(*ast.Literal)
			if !ok {
				continue
			}
			key, ok := model.Text(l)
			if !ok {
				continue
			}
			if _, ok := proj.Resources[key]; ok {
				continue
			}
			msg := fmt.Sprintf("%s has no string named %q, so Extension.LoadString returns nothing for it: add the key to %s",
				filepath.Base(proj.Resx), key, filepath.Base(proj.Resx))
			var fixes []analysis.Fix
			related := []analysis.Related{{Path: proj.Resx, Message: "the strings of the connector"}}
			if best, ok := model.ClosestName(key, keys, 2); ok {
				if sp, ok := proj.ResourceSpans[best]; ok {
					related = []analysis.Related{{Path: proj.Resx, Start: sp.Name.Start, End: sp.Name.End, Message: fmt.Sprintf("the existing key %q", best)}}
				}
				msg += fmt.Sprintf(", or use the existing key %q", best)
				fixes = append(fixes, analysis.Fix{Title: fmt.Sprintf("Use the existing key %q", best), Preferred: true,
					Edits: []analysis.TextEdit{analysis.Replace(f, l, model.QuoteText(best))}})
			}
			if resx != nil {
				if e, ok := resx.add([]newString{{key, pqc026Placeholder(key)}}); ok {
					fixes = append(fixes, analysis.Fix{
						Title: fmt.Sprintf("Add %q to %s with a placeholder text", key, filepath.Base(proj.Resx)),
						Edits: []analysis.TextEdit{e},
					})
				}
			}
			start, end := analysis.Span(f, l)
			p.Report(analysis.Diagnostic{Path: f.Path, Start: start, End: end, Message: msg, Fixes: fixes,
				Related: related})
		}
	}
}

// pqc026Placeholder is the text a new key gets: plainly unfinished, so that
// whoever sees it on a button or in a dialog knows it is to be written.
func pqc026Placeholder(key string) string {
	return "TODO: write the text of " + key
}
