package navigation

import (
	"fmt"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC060 checks the field names of NativeQueryProperties.
var PQC060 = &analysis.Analyzer{
	ID:       "PQC060",
	Fix:      analysis.SafeFix,
	Title:    "NativeQueryProperties field name is misspelled",
	Severity: analysis.Warning,
	Doc: "Native query support is declared with a NativeQueryProperties record in the Publish record: " +
		"NavigationSteps (records with Indices and FieldAccess; each index has FieldDisplayName or " +
		"ConstantValue, and IndexName) and DefaultOptions, as Microsoft's page documents them, or " +
		"navigationSteps, indices, access, displayName, value, indexName and nativeQueryOptions, as " +
		"Microsoft's own samples and certified connectors write them. Either spelling works; a record " +
		"that mixes the two, or a field in neither, is reported. The rule checks every level of the " +
		"record; the fix corrects a misspelling within the spelling in use and never switches spelling.",
	HelpURI: "https://learn.microsoft.com/power-query/native-query-sdk",
	Bad:     "NativeQueryProperties = [navigationSteps = {[Indices = {[FieldDisplayName = \"Database\", IndexName = \"Name\"]}, FieldAccess = \"Data\"]}]",
	Good:    "NativeQueryProperties = [NavigationSteps = {[Indices = {[FieldDisplayName = \"Database\", IndexName = \"Name\"]}, FieldAccess = \"Data\"]}]",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC060,
}

// Two spellings of the field names are in use: the PascalCase ones
// Microsoft's page documents, and the lower-camel ones its own samples and
// certified connectors ship. Power Query reads both; a record that mixes
// them, or a name in neither, is what this rule reports.
var (
	nqpTop     = [2][]string{{"NavigationSteps", "DefaultOptions"}, {"navigationSteps", "nativeQueryOptions"}}
	nqpStep    = [2][]string{{"Indices", "FieldAccess"}, {"indices", "access"}}
	nqpIndex   = [2][]string{{"FieldDisplayName", "IndexName", "ConstantValue"}, {"displayName", "indexName", "value"}}
	nqpOptions = []string{"EnableFolding"}
)

// nqpField is a field of the NativeQueryProperties tree and the names
// known at its level.
type nqpField struct {
	file  *model.File
	field *ast.Field
	known [2][]string
}

func runPQC060(p *analysis.Pass) {
	for _, pub := range connector.PublishRecords(p.Prog) {
		for _, fl := range pub.Rec.Fields {
			if fl.Name == nil || !strings.EqualFold(fl.Name.Name, "NativeQueryProperties") {
				continue
			}
			if fl.Name.Name != "NativeQueryProperties" {
				nqpReport(p, pub.File, fl, "NativeQueryProperties")
			}
			top, tf := connector.RecordValue(p.Prog, pub.File, fl.Value)
			if top == nil {
				continue
			}
			var fields []nqpField
			add := func(f *model.File, r *ast.RecordExpr, known [2][]string) {
				for _, fl := range r.Fields {
					if fl.Name != nil {
						fields = append(fields, nqpField{f, fl, known})
					}
				}
			}
			add(tf, top, nqpTop)
			for _, tfl := range top.Fields {
				if tfl.Name == nil {
					continue
				}
				switch nqpLevelName(tfl.Name.Name, nqpTop) {
				case 0:
					steps, sf := connector.ListValue(p.Prog, tf, tfl.Value)
					if steps == nil {
						continue
					}
					for _, it := range steps.Items {
						step, stf := connector.RecordValue(p.Prog, sf, it)
						if step == nil {
							continue
						}
						add(stf, step, nqpStep)
						for _, ifl := range step.Fields {
							if ifl.Name == nil || nqpLevelName(ifl.Name.Name, nqpStep) != 0 {
								continue
							}
							if idx, xf := connector.ListValue(p.Prog, stf, ifl.Value); idx != nil {
								for _, it := range idx.Items {
									if r, rf := connector.RecordValue(p.Prog, xf, it); r != nil {
										add(rf, r, nqpIndex)
									}
								}
							}
						}
					}
				case 1:
					// Options are open ended: only the capitals of known ones are checked.
					if r, rf := connector.RecordValue(p.Prog, tf, tfl.Value); r != nil {
						nqpCheck(p, rf, r, nqpOptions, true)
					}
				}
			}
			nqpJudge(p, fields)
		}
	}
}

// nqpLevelName returns the index of name among the level's names, in
// either spelling and whatever its capitals or small typos, or -1.
func nqpLevelName(name string, known [2][]string) int {
	for _, style := range known {
		best, ok := model.ClosestName(name, style, 2)
		if !ok && nqpKnown(name, style) {
			best, ok = name, true
		}
		if ok {
			for i, k := range style {
				if k == best {
					return i
				}
			}
		}
	}
	return -1
}

// nqpJudge reports the fields whose names are in neither spelling, and
// those written in the spelling the rest of the tree does not use.
func nqpJudge(p *analysis.Pass, fields []nqpField) {
	var count [2]int
	for _, f := range fields {
		for s := range 2 {
			if nqpKnown(f.field.Name.Name, f.known[s]) {
				count[s]++
			}
		}
	}
	style := 0
	if count[1] > count[0] {
		style = 1
	}
	other := 1 - style
	for _, f := range fields {
		name := f.field.Name.Name
		switch {
		case nqpKnown(name, f.known[style]):
		case nqpKnown(name, f.known[other]):
			p.ReportNode(f.file, f.field.Name, fmt.Sprintf("%s mixes the two spellings of NativeQueryProperties: the other fields use %s; write all in one (%s)",
				name, nqpStyleName(style), strings.Join(f.known[style], ", ")))
		default:
			best, ok := model.ClosestName(name, f.known[style], 2)
			if !ok {
				best, ok = model.ClosestName(name, f.known[other], 2)
			}
			if ok {
				nqpReport(p, f.file, f.field, best)
				continue
			}
			p.ReportNode(f.file, f.field.Name, fmt.Sprintf("%s is not a field Power Query reads here (expected %s)",
				name, strings.Join(f.known[style], " or ")))
		}
	}
}

func nqpStyleName(style int) string {
	if style == 0 {
		return "the documented PascalCase names"
	}
	return "the lower-camel names of Microsoft's samples"
}

// nqpCheck reports the fields of r that are not among known; with
// caseOnly, only those that differ from a known one in capitals.
func nqpCheck(p *analysis.Pass, f *model.File, r *ast.RecordExpr, known []string, caseOnly bool) {
	for _, fl := range r.Fields {
		if fl.Name == nil {
			continue
		}
		best, ok := model.ClosestName(fl.Name.Name, known, 2)
		if !ok {
			if !caseOnly && !nqpKnown(fl.Name.Name, known) {
				p.ReportNode(f, fl.Name, fmt.Sprintf("%s is not a field Power Query reads here (expected %s)",
					fl.Name.Name, strings.Join(known, " or ")))
			}
			continue
		}
		if caseOnly && !strings.EqualFold(best, fl.Name.Name) {
			continue
		}
		nqpReport(p, f, fl, best)
	}
}

func nqpKnown(name string, known []string) bool {
	for _, k := range known {
		if k == name {
			return true
		}
	}
	return false
}

func nqpReport(p *analysis.Pass, f *model.File, fl *ast.Field, best string) {
	what := "is misspelled"
	if strings.EqualFold(best, fl.Name.Name) {
		what = "has the wrong capitals"
	}
	p.ReportNode(f, fl.Name, fmt.Sprintf("%s %s: Power Query reads %s, spelled exactly so", fl.Name.Name, what, best),
		analysis.Fix{Title: "Rename to " + best, Preferred: true, Safe: strings.EqualFold(best, fl.Name.Name),
			Edits: []analysis.TextEdit{analysis.Replace(f, fl.Name, best)}})
}
