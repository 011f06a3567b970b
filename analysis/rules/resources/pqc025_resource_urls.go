package resources

import (
	"regexp"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC025 finds URLs and configuration values kept in resources.resx.
var PQC025 = &analysis.Analyzer{
	ID:       "PQC025",
	Fix:      analysis.SafeFix,
	Title:    "URL or configuration value read from resources.resx",
	Severity: analysis.Warning,
	Doc: "resources.resx is for text shown to people, which translators may change; certification asks " +
		"for URLs and other values the connector works with to be written in the code. The rule " +
		"reports Extension.LoadString calls whose resource is an address, a GUID such as " +
		"a client id, or a path, and resource strings that end up in a request (its URL, RelativePath, " +
		"Query or headers) or in an OAuth address. Strings only shown in ButtonText, Label or " +
		"documentation fields, and prose that merely mentions a link, are fine. The fix writes the " +
		"value into the code.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:     "Web.Contents(Extension.LoadString(\"ApiUrl\"))",
	Good:    "Web.Contents(\"https://api.contoso.com/\")",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC025,
}

var (
	resURL  = regexp.MustCompile(`(?i)^[a-z][a-z0-9+.-]*://\S+$`)
	resGUID = regexp.MustCompile(`(?i)^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$`)
	resPath = regexp.MustCompile(`^/\S*$`)
)

func looksConfig(v string) bool {
	v = strings.TrimSpace(v)
	// A bare host name is often a product name ("Contoso.io"): it is
	// reported only when it reaches a request.
	return resURL.MatchString(v) || resGUID.MatchString(v) || resPath.MatchString(v)
}

var displayFields = map[string]bool{"ButtonText": true, "Label": true, "Caption": true, "Description": true,
	"KeyLabel": true, "UsernameLabel": true, "PasswordLabel": true, "Name": true}

// displayOnly reports whether call sits in a field shown to people.
func displayOnly(f *model.File, call ast.Node) bool {
	for n := f.Parent(call); n != nil; n = f.Parent(n) {
		switch v := n.(type) {
		case *ast.Field:
			if v.Name == nil {
				return false
			}
			return displayFields[v.Name.Name] || strings.HasPrefix(v.Name.Name, "Documentation.")
		case *ast.ListExpr, *ast.ParenExpr:
			continue
		case *ast.InvokeExpr:
			continue
		default:
			return false
		}
	}
	return false
}

func runPQC025(p *analysis.Pass) {
	res := p.Prog.Project.Resources
	main := p.Prog.Main
	if main == nil || main.AST.Root() == nil || len(res) == 0 {
		return // every finding names a resource string
	}
	reported := map[ast.Node]bool{}
	report := func(f *model.File, c *ast.InvokeExpr, why string) {
		if reported[c] {
			return
		}
		reported[c] = true
		var fixes []analysis.Fix
		if len(c.Args) == 1 {
			if key, ok := model.Text(model.Unparen(c.Args[0])); ok {
				if v, ok := res[key]; ok {
					fixes = append(fixes, analysis.Fix{Title: "Write the value from resources.resx into the code", Preferred: true, Safe: true,
						Edits: []analysis.TextEdit{analysis.Replace(f, c, model.QuoteText(v))}})
				}
			}
		}
		p.ReportNode(f, c, why+": URLs and values belong in the connector code, resources.resx is for text shown to people", fixes...)
	}
	// Values that look like configuration.
	for _, f := range p.Files {
		for _, c := range p.Prog.CallsTo(f, "Extension.LoadString") {
			if len(c.Args) != 1 {
				continue
			}
			key, ok := model.Text(model.Unparen(c.Args[0]))
			if !ok {
				continue
			}
			if v, ok := res[key]; ok && looksConfig(v) && !displayOnly(f, c) {
				report(f, c, "the resource "+key+" holds a URL or configuration value")
			}
		}
	}
	// Resource strings that reach a request or an OAuth address.
	sink := func(f *model.File, x ast.Expr, what string) {
		t := p.Prog.Taint(f, x)
		if o, ok := t.Origin(model.Resource); ok {
			if c, ok := o.Node.(*ast.InvokeExpr); ok && o.File == main {
				report(o.File, c, "this resource string is used as "+what)
			}
		}
	}
	for _, r := range p.Requests() {
		sink(r.File, r.URL, "the address of "+r.Func)
		for _, name := range []string{"RelativePath", "Query", "Headers"} {
			if fl, ok := r.Fields.Get(name); ok {
				sink(fl.File, fl.Value, "the "+name+" of "+r.Func)
			}
		}
	}
	ast.Inspect(main.AST.Root(), func(n ast.Node) bool {
		if fl, ok := n.(*ast.Field); ok && fl.Name != nil && fl.Value != nil {
			switch fl.Name.Name {
			case "AuthorizationUri", "LoginUri", "Resource":
				sink(main, fl.Value, "the OAuth "+fl.Name.Name)
			}
		}
		return true
	})
}
