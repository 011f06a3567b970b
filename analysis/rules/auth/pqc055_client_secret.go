package auth

import (
	"regexp"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC055 finds OAuth client secrets shipped with the connector.
var PQC055 = &analysis.Analyzer{
	ID:       "PQC055",
	Title:    "Confidential OAuth client secret shipped in the connector",
	Severity: analysis.Warning,
	Doc: "Anyone can unpack a connector or watch its traffic, so a client secret packaged with it is " +
		"not secret: connectors should not use confidential OAuth flows. Use a public client with PKCE " +
		"(code_verifier and code_challenge) instead. The rule reports reading a client_secret file " +
		"with Extension.Contents, a member named client_secret or ClientSecret bound to text — a literal, a " +
		"resource string, or a field of configuration parsed or evaluated from the connector's own files — and a " +
		"client_secret written into a token request body. The client_id is public and is not reported.",
	HelpURI:   "https://learn.microsoft.com/power-query/handling-authentication",
	Bad:       "client_secret = Text.FromBinary(Extension.Contents(\"client_secret\"));",
	Good:      "// OAuth with PKCE: no client secret\ncode_verifier = Text.NewGuid() & Text.NewGuid();",
	Scope:     analysis.ConnectorScope,
	PerMember: true,
	Run:       runPQC055,
}

var clientSecretInBody = regexp.MustCompile(`(?i)client_?secret=[^&\s"]`)

func normalizeName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func runPQC055(p *analysis.Pass) {
	const msg = "a client secret shipped with the connector is not secret — anyone can unpack the .mez or watch its traffic: use OAuth with PKCE instead"
	p.EachCall(func(f *model.File, c *ast.InvokeExpr) {
		if p.Prog.CallName(f, c) != "Extension.Contents" || len(c.Args) == 0 {
			return
		}
		if s, ok := p.Prog.TextOf(f, c.Args[0]); ok && strings.Contains(normalizeName(s), "clientsecret") {
			p.ReportNode(f, c, msg)
		}
	})
	for _, m := range p.Members() {
		if normalizeName(m.Name) != "clientsecret" || m.Node.Value == nil {
			continue
		}
		if shippedText(p, p.Prog.Main, m.Node.Value, 0) {
			p.ReportNode(p.Prog.Main, m.Node.Name, msg)
		}
	}
	for _, r := range p.Requests() {
		c, ok := r.Fields.Get("Content")
		if !ok {
			continue
		}
		ast.Inspect(c.Value, func(n ast.Node) bool {
			switch v := n.(type) {
			case *ast.Literal:
				if s, ok := model.Text(v); ok && clientSecretInBody.MatchString(s) {
					p.ReportNode(c.File, v, msg)
				}
			case *ast.Field:
				if v.Name != nil && normalizeName(v.Name.Name) == "clientsecret" {
					if s, ok := model.Text(model.Unparen(v.Value)); ok && s != "" || pqc055Read(p, c.File, v.Value) {
						p.ReportNode(c.File, v, msg)
					}
				}
			}
			return true
		})
	}
}

// shippedText reports whether x is text the connector ships: a non-empty
// literal, a resource string, or a field of configuration the connector
// evaluates or parses from its own files.
func shippedText(p *analysis.Pass, f *model.File, x ast.Expr, depth int) bool {
	if s, ok := p.Prog.TextOf(f, x); ok {
		return s != ""
	}
	return pqc055Read(p, f, x)
}

// pqc055Read reports whether x reads packaged text: Extension.LoadString,
// or a field of a record parsed or evaluated from the connector's files
// (Json.Document(Extension.Contents("config.json"))[client_secret]).
func pqc055Read(p *analysis.Pass, f *model.File, x ast.Expr) bool {
	v, vf := p.Prog.ValueOf(f, x)
	switch v := v.(type) {
	case *ast.InvokeExpr:
		return p.Prog.CallName(vf, v) == "Extension.LoadString"
	case *ast.FieldAccess:
		if v.X == nil {
			return false
		}
		base, bf := p.Prog.ValueOf(vf, v.X)
		c, ok := base.(*ast.InvokeExpr)
		if !ok {
			return false
		}
		switch p.Prog.CallName(bf, c) {
		case "Json.Document", "Expression.Evaluate", "Xml.Document":
		default:
			return false
		}
		t := p.Prog.Taint(bf, c)
		if t.Has(model.Credential | model.UserInput | model.Web) {
			return false
		}
		packaged := false
		ast.Inspect(c, func(n ast.Node) bool {
			if call, ok := n.(*ast.InvokeExpr); ok && p.Prog.CallName(bf, call) == "Extension.Contents" {
				packaged = true
			}
			return !packaged
		})
		return packaged
	}
	return false
}
