package resources

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
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
		"values, example code, categories and error or trace messages are not user interface text and are left alone. " +
		"The fix moves every such text of the record into resources.resx (the neutral file; culture variants " +
		"such as resources.de-DE.resx fall back to it) under a key named for its place (ButtonTitle, " +
		"DataSourceLabel, prefixed with the record's name when the connector has several; a number added " +
		"when the key is taken; an existing key holding the same text is reused) and reads it with " +
		"Extension.LoadString. The value is the text itself: M escapes such as \"\" and #(lf) become the " +
		"characters they stand for, XML markup characters are escaped, and the entry follows the file's " +
		"indentation and line endings. The text users see does not change, so pqls check " +
		"--fix applies it, except in a .pqm module, whose evaluation environment may lack " +
		"Extension.LoadString. When the project has no resources.resx, or it has errors, no fix is offered.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:     "ButtonText = { \"Contoso\", \"Connect to Contoso\" }",
	Good:    "ButtonText = { Extension.LoadString(\"ButtonTitle\"), Extension.LoadString(\"ButtonHelp\") }",
	Scope:   analysis.ConnectorScope,
	Fix:     analysis.SafeFix,
	Run:     runPQC024,
}

var authLabels = []string{"Label", "UsernameLabel", "PasswordLabel", "KeyLabel"}

var docTextFields = []string{"Documentation.Name", "Documentation.LongDescription", "Documentation.FieldCaption", "Documentation.FieldDescription"}

func runPQC024(p *analysis.Pass) {
	prog := p.Prog
	// One finding per record or function type: the first literal of it
	// that a user sees, with the count of the others, so that a project
	// never gets dozens.
	type text struct {
		f         *model.File
		lit       *ast.Literal
		value     string
		what, key string
	}
	type group []text
	var groups []*group
	byNode := map[ast.Node]*group{}
	seen := map[*ast.Literal]bool{}
	report := func(owner ast.Node, f *model.File, x ast.Expr, what, key string) {
		l, ok := model.Unparen(x).(*ast.Literal)
		if !ok || seen[l] || l.Kind != token.TEXT {
			return
		}
		s, ok := model.Text(l)
		if !ok || strings.TrimSpace(s) == "" || pqc024IsURL(s) {
			return
		}
		seen[l] = true
		g := byNode[owner]
		if g == nil {
			g = new(group)
			byNode[owner] = g
			groups = append(groups, g)
		}
		*g = append(*g, text{f: f, lit: l, value: s, what: what, key: key})
	}
	defer func() {
		resx, why := openResx(prog)
		for _, g := range groups {
			first := (*g)[0]
			key := first.key
			var fixes []analysis.Fix
			if resx != nil {
				texts := make([]pqc024Text, len(*g))
				for i, t := range *g {
					texts[i] = pqc024Text{f: t.f, lit: t.lit, value: t.value, key: t.key}
				}
				if fix, keys, ok := pqc024Fix(prog, resx, texts); ok {
					fixes, key = []analysis.Fix{fix}, keys[0]
				} else {
					why = "a text holds a character resources.resx cannot carry"
				}
			}
			msg := fmt.Sprintf("the %s is written in the code: put it in resources.resx (as %s, say) and read it with Extension.LoadString(%q)", first.what, key, key)
			if more := len(*g) - 1; more > 0 {
				msg += fmt.Sprintf("; %d more text(s) of this record are written in the code too", more)
			}
			if len(fixes) == 0 {
				msg += "; no fix is offered: " + why
			}
			p.ReportNode(first.f, first.lit, msg, fixes...)
		}
	}()
	pubs := connector.PublishRecords(prog)
	for _, pub := range pubs {
		if fl := model.Field(pub.Rec, "ButtonText"); fl != nil {
			if l, lf := connector.ListValue(prog, pub.File, fl.Value); l != nil {
				for i, it := range l.Items {
					what, key := "button title", "ButtonTitle"
					if i == 1 {
						what, key = "button help text", "ButtonHelp"
					}
					report(pub.Rec, lf, it, what, pqc024Qualified(pub.Member, len(pubs), key))
				}
			}
		}
	}
	kinds := connector.KindRecords(prog)
	for _, kr := range kinds {
		if fl := model.Field(kr.Rec, "Label"); fl != nil {
			report(kr.Rec, kr.File, fl.Value, "data source label", pqc024Qualified(kr.Member, len(kinds), "DataSourceLabel"))
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
					report(kr.Rec, rf, fl.Value, kind.Name.Name+" "+name, pqc024Qualified(kr.Member, len(kinds), key))
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
	for r := range f.Records() {
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
							report(owner, ef, d.Value, "example description", pqc024Key(f, r, "Example.Description"))
						}
					}
				}
			}
		}
	}
}

// pqc024Qualified returns key, prefixed with the name of the record's
// member (without a .Publish ending) when the connector has several such
// records, so that each gets keys of its own: NavigationTable.ButtonTitle.
func pqc024Qualified(m *model.Member, records int, key string) string {
	if records < 2 || m == nil {
		return key
	}
	return strings.TrimSuffix(m.Name, ".Publish") + "." + key
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

// pqc024Text is a hard-coded text and the key it would get.
type pqc024Text struct {
	f     *model.File
	lit   *ast.Literal
	value string
	key   string
}

// pqc024Fix moves the texts into resources.resx: each literal becomes
// Extension.LoadString of a key free in the file (or of an existing key
// holding the same text), and the new keys are added in one edit. It
// returns the keys used, in the order of texts, and false when a text
// cannot be written in XML.
func pqc024Fix(prog *model.Program, resx *resxStrings, texts []pqc024Text) (analysis.Fix, []string, bool) {
	taken := map[string]string{}
	var (
		edits []analysis.TextEdit
		add   []newString
		keys  []string
		safe  = true
	)
	for _, t := range texts {
		key, exists := resx.freeKey(t.key, t.value, taken)
		if !exists {
			taken[key] = t.value
			add = append(add, newString{key, t.value})
		}
		keys = append(keys, key)
		edits = append(edits, analysis.Replace(t.f, t.lit, "Extension.LoadString("+model.QuoteText(key)+")"))
		if t.f != prog.Main {
			safe = false
		}
	}
	if len(add) > 0 {
		e, ok := resx.add(add)
		if !ok {
			return analysis.Fix{}, nil, false
		}
		// The resx first: were the code edited and the resx not, the
		// connector would read keys that do not exist.
		edits = append([]analysis.TextEdit{e}, edits...)
	}
	title := fmt.Sprintf("Move the text to %s as %q", filepath.Base(resx.path), keys[0])
	if len(texts) > 1 {
		title = fmt.Sprintf("Move the %d texts of this record to %s", len(texts), filepath.Base(resx.path))
	}
	return analysis.Fix{Title: title, Edits: edits, Preferred: true, Safe: safe}, keys, true
}
