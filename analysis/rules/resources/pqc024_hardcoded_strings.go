package resources

import (
	"fmt"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC024 points out user-visible text written into the code.
var PQC024 = &analysis.Analyzer{
	ID:       "PQC024",
	Title:    "User-visible text is hardcoded instead of read from resources.resx",
	Severity: analysis.Information,
	Doc: "Certification asks for the text users see to live in resources.resx, read with " +
		"Extension.LoadString, so it can be reviewed and translated in one place. The rule lists text " +
		"literals in the places Power Query shows: the Publish record's ButtonText, the kind's Label, " +
		"the labels of authentication kinds, and the Documentation.Name, LongDescription, FieldCaption, " +
		"FieldDescription and example Description metadata (these only with the " +
		"certification.documentationStrings setting: certified connectors commonly keep them in the code). " +
		"It reports once per record or function type, on the first such text. URLs, sample and allowed " +
		"values, example code, categories and error or trace messages are not user interface text and are left alone.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:     "ButtonText = { \"Contoso\", \"Connect to Contoso\" }",
	Good:    "ButtonText = { Extension.LoadString(\"ButtonTitle\"), Extension.LoadString(\"ButtonHelp\") }",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC024,
}

var authLabels = []string{"Label", "UsernameLabel", "PasswordLabel", "KeyLabel"}

var docTextFields = []string{"Documentation.Name", "Documentation.LongDescription", "Documentation.FieldCaption", "Documentation.FieldDescription"}

func runPQC024(p *analysis.Pass) {
	prog := p.Prog
	// One finding per record or function type: the first literal of it
	// that a user sees, with the count of the others, so that a project
	// never gets dozens.
	type group struct {
		f         *model.File
		lit       *ast.Literal
		what, key string
		more      int
	}
	var groups []*group
	byNode := map[ast.Node]*group{}
	seen := map[*ast.Literal]bool{}
	report := func(owner ast.Node, f *model.File, x ast.Expr, what, key string) {
		l, ok := model.Unparen(x).(*ast.Literal)
		if !ok || seen[l] {
			return
		}
		s, ok := model.Text(l)
		if !ok || strings.TrimSpace(s) == "" || pqc024IsURL(s) {
			return
		}
		seen[l] = true
		if g := byNode[owner]; g != nil {
			g.more++
			return
		}
		g := &group{f: f, lit: l, what: what, key: key}
		byNode[owner] = g
		groups = append(groups, g)
	}
	defer func() {
		for _, g := range groups {
			msg := fmt.Sprintf("the %s is written in the code: put it in resources.resx (as %s, say) and read it with Extension.LoadString(%q)", g.what, g.key, g.key)
			if g.more > 0 {
				msg += fmt.Sprintf("; %d more text(s) of this record are written in the code too", g.more)
			}
			p.ReportNode(g.f, g.lit, msg)
		}
	}()
	for _, pub := range connector.PublishRecords(prog) {
		if fl := model.Field(pub.Rec, "ButtonText"); fl != nil {
			if l, lf := connector.ListValue(prog, pub.File, fl.Value); l != nil {
				for i, it := range l.Items {
					what, key := "button title", "ButtonTitle"
					if i == 1 {
						what, key = "button help text", "ButtonHelp"
					}
					report(pub.Rec, lf, it, what, key)
				}
			}
		}
	}
	for _, kr := range connector.KindRecords(prog) {
		if fl := model.Field(kr.Rec, "Label"); fl != nil {
			report(kr.Rec, kr.File, fl.Value, "data source label", "DataSourceLabel")
		}
		auth, af := connector.RecordValue(prog, kr.File, connector.FieldValue(kr.Rec, "Authentication"))
		if auth == nil {
			continue
		}
		for _, kind := range auth.Fields {
			r, rf := connector.RecordValue(prog, af, kind.Value)
			if r == nil {
				continue
			}
			for _, name := range authLabels {
				if fl := model.Field(r, name); fl != nil {
					key := name
					if name == "Label" {
						key = kind.Name.Name + "Label"
					}
					report(kr.Rec, rf, fl.Value, kind.Name.Name+" "+name, key)
				}
			}
		}
	}
	f := prog.Main
	if f == nil || !p.Config.Settings.DocumentationStrings {
		// Documentation text is shown in the function dialog but often
		// kept in the code by certified connectors: opt-in.
		return
	}
	for _, r := range f.Index().Records {
		// The function type the documentation belongs to: its member.
		var owner ast.Node = r
		if m := f.EnclosingMember(r); m != nil {
			owner = m
		}
		for _, name := range docTextFields {
			if fl := model.Field(r, name); fl != nil {
				report(owner, f, fl.Value, strings.TrimPrefix(name, "Documentation.")+" documentation", pqc024Key(f, r, name))
			}
		}
		if fl := model.Field(r, "Documentation.Examples"); fl != nil {
			if l, lf := connector.ListValue(prog, f, fl.Value); l != nil {
				for _, it := range l.Items {
					if ex, ef := connector.RecordValue(prog, lf, it); ex != nil {
						if d := model.Field(ex, "Description"); d != nil {
							report(owner, ef, d.Value, "example description", "Example.Description")
						}
					}
				}
			}
		}
	}
}

// pqc024Key suggests a resource key for a documentation field: the member
// the record belongs to, and the field.
func pqc024Key(f *model.File, r *ast.RecordExpr, field string) string {
	if m := f.EnclosingMember(r); m != nil && m.Name != nil {
		return m.Name.Name + "." + strings.TrimPrefix(field, "Documentation.")
	}
	return strings.TrimPrefix(field, "Documentation.")
}

func pqc024IsURL(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}
