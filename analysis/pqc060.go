package analysis

import (
	"fmt"
	"strings"

	"github.com/pqls/pqls/analysis/model"
	"github.com/pqls/pqls/grammar/ast"
)

// PQC060 checks the field names of NativeQueryProperties.
var PQC060 = &Analyzer{
	ID:       "PQC060",
	Fix:      SafeFix,
	Title:    "NativeQueryProperties field name is misspelled",
	Severity: Warning,
	Doc: "Native query support is declared with a NativeQueryProperties record in the Publish record: " +
		"NavigationSteps (records with Indices and FieldAccess; each index has FieldDisplayName or " +
		"ConstantValue, and IndexName) and DefaultOptions. Power Query matches these names exactly, " +
		"so a field spelled with other capitals, or an unknown field, silently disables the feature. " +
		"The rule checks every level of the record and the fix corrects the spelling.",
	HelpURI: "https://learn.microsoft.com/power-query/native-query-sdk",
	Bad:     "NativeQueryProperties = [navigationSteps = {[Indices = {[FieldDisplayName = \"Database\", IndexName = \"Name\"]}, FieldAccess = \"Data\"]}]",
	Good:    "NativeQueryProperties = [NavigationSteps = {[Indices = {[FieldDisplayName = \"Database\", IndexName = \"Name\"]}, FieldAccess = \"Data\"]}]",
	Scope:   ConnectorScope,
	Run:     runPQC060,
}

var (
	nqpTop     = []string{"NavigationSteps", "DefaultOptions"}
	nqpStep    = []string{"Indices", "FieldAccess"}
	nqpIndex   = []string{"FieldDisplayName", "IndexName", "ConstantValue"}
	nqpOptions = []string{"EnableFolding"}
)

func runPQC060(p *Pass) {
	for _, pub := range prjPublishRecords(p.Prog) {
		for _, fl := range pub.Rec.Fields {
			if fl.Name == nil || !strings.EqualFold(fl.Name.Name, "NativeQueryProperties") {
				continue
			}
			if fl.Name.Name != "NativeQueryProperties" {
				nqpReport(p, pub.File, fl, "NativeQueryProperties")
			}
			top, tf := prjRecordValue(p.Prog, pub.File, fl.Value)
			if top == nil {
				continue
			}
			nqpCheck(p, tf, top, nqpTop, false)
			for _, tfl := range top.Fields {
				name := tfl.Name.Name
				if best, ok := model.ClosestName(name, nqpTop, 2); ok {
					name = best
				}
				switch name {
				case "NavigationSteps":
					steps, sf := prjListValue(p.Prog, tf, tfl.Value)
					if steps == nil {
						continue
					}
					for _, it := range steps.Items {
						step, stf := prjRecordValue(p.Prog, sf, it)
						if step == nil {
							continue
						}
						nqpCheck(p, stf, step, nqpStep, false)
						for _, ifl := range step.Fields {
							if !strings.EqualFold(ifl.Name.Name, "Indices") {
								continue
							}
							if idx, xf := prjListValue(p.Prog, stf, ifl.Value); idx != nil {
								for _, it := range idx.Items {
									if r, rf := prjRecordValue(p.Prog, xf, it); r != nil {
										nqpCheck(p, rf, r, nqpIndex, false)
									}
								}
							}
						}
					}
				case "DefaultOptions":
					// Options are open ended: only the capitals of known ones are checked.
					if r, rf := prjRecordValue(p.Prog, tf, tfl.Value); r != nil {
						nqpCheck(p, rf, r, nqpOptions, true)
					}
				}
			}
		}
	}
}

// nqpCheck reports the fields of r that are not among known; with
// caseOnly, only those that differ from a known one in capitals.
func nqpCheck(p *Pass, f *model.File, r *ast.RecordExpr, known []string, caseOnly bool) {
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

func nqpReport(p *Pass, f *model.File, fl *ast.Field, best string) {
	what := "is misspelled"
	if strings.EqualFold(best, fl.Name.Name) {
		what = "has the wrong capitals"
	}
	p.ReportNode(f, fl.Name, fmt.Sprintf("%s %s: Power Query reads %s, spelled exactly so", fl.Name.Name, what, best),
		Fix{Title: "Rename to " + best, Preferred: true, Safe: strings.EqualFold(best, fl.Name.Name),
			Edits: []TextEdit{Replace(f, fl.Name, best)}})
}
