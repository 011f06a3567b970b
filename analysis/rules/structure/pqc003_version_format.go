package structure

import (
	"regexp"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// PQC003 checks that the version adornment is major.minor.patch.
var PQC003 = &analysis.Analyzer{
	ID:       "PQC003",
	Fix:      analysis.SafeFix,
	Title:    "Version is not major.minor.patch",
	Severity: analysis.Warning,
	Doc: "The version above the section is read as three numbers: major for breaking changes, " +
		"minor for new features, patch for small fixes. A version such as \"1.0\", \"v1.2.3\" or the " +
		"number 1 does not follow that scheme. The fix rewrites it as three dot-separated numbers.",
	HelpURI: "https://learn.microsoft.com/power-query/handling-versioning",
	Bad:     "[Version = \"1.0\"]\nsection Contoso;",
	Good:    "[Version = \"1.0.0\"]\nsection Contoso;",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC003,
}

var stSemver = regexp.MustCompile(`^\d+\.\d+\.\d+$`)

func runPQC003(p *analysis.Pass) {
	f := p.Prog.Main
	if f == nil || f.AST.Section == nil || f.AST.Section.Attrs == nil {
		return
	}
	fl := model.Field(f.AST.Section.Attrs, "Version")
	if fl == nil || fl.Value == nil {
		return
	}
	v := model.Unparen(fl.Value)
	var text string
	if s, ok := model.Text(v); ok {
		if stSemver.MatchString(s) {
			return
		}
		text = s
	} else if l, ok := v.(*ast.Literal); ok && l.Kind == token.NUMBER {
		text = l.Value
	}
	var fixes []analysis.Fix
	if norm, ok := stNormalizeVersion(text); ok {
		fixes = append(fixes, analysis.Fix{Title: "Change the version to \"" + norm + "\"", Safe: true, Preferred: true,
			Edits: []analysis.TextEdit{analysis.Replace(f, v, `"`+norm+`"`)}})
	}
	p.ReportNode(f, v, "the version "+analysis.Source(f, v)+" is not three numbers major.minor.patch, such as \"1.0.0\"", fixes...)
}

var stVersionPrefix = regexp.MustCompile(`^\s*[vV]?\s*(\d+(?:\.\d+){0,2})\s*$`)

// stNormalizeVersion turns "1", "1.0", "v1.2.3" into a three-part version.
func stNormalizeVersion(s string) (string, bool) {
	m := stVersionPrefix.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	parts := strings.Split(m[1], ".")
	for len(parts) < 3 {
		parts = append(parts, "0")
	}
	for i, p := range parts {
		p = strings.TrimLeft(p, "0")
		if p == "" {
			p = "0"
		}
		parts[i] = p
	}
	return strings.Join(parts, "."), true
}
