package security

import (
	"regexp"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// credentialQueryName is the option name the fixes emit.
func credentialQueryName(p *analysis.Pass) string {
	if n := p.Config.Settings.CredentialQueryOptionName; n == "CredentialQueryString" {
		return n
	}
	return "CredentialQuery"
}

var plainName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

var mKeywords = map[string]bool{"and": true, "as": true, "each": true, "else": true, "error": true, "false": true,
	"if": true, "in": true, "is": true, "let": true, "meta": true, "not": true, "null": true, "or": true,
	"otherwise": true, "section": true, "shared": true, "then": true, "true": true, "try": true, "type": true}

// fieldName spells a record field name, quoting it when needed.
func fieldName(s string) string {
	if plainName.MatchString(s) && !mKeywords[s] {
		return s
	}
	return `#"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// flattenConcat lists the operands of a chain of & operators.
func flattenConcat(x ast.Expr) []ast.Expr {
	x = model.Unparen(x)
	if b, ok := x.(*ast.BinaryExpr); ok && b.Op == token.AND_TEXT {
		return append(flattenConcat(b.X), flattenConcat(b.Y)...)
	}
	return []ast.Expr{x}
}

// hostOf returns the host of a URL literal, or "".
func hostOf(url string) string {
	i := strings.Index(url, "://")
	if i < 0 {
		return ""
	}
	h := url[i+3:]
	if j := strings.IndexAny(h, "/?#"); j >= 0 {
		h = h[:j]
	}
	return h
}

// isLoopback reports whether a URL names the local machine.
func isLoopback(url string) bool {
	h := strings.ToLower(hostOf(url))
	if j := strings.LastIndex(h, ":"); j >= 0 && !strings.HasSuffix(h, "]") {
		h = h[:j]
	}
	return h == "localhost" || strings.HasPrefix(h, "127.") || h == "[::1]"
}

// httpLiteral reports whether a text literal starts with http:// and does
// not name the local machine.
func httpLiteral(lit *ast.Literal) bool {
	s, ok := model.Text(lit)
	return ok && len(s) > 7 && strings.EqualFold(s[:7], "http://") && !isLoopback(s)
}

// httpsFix returns the fix that turns http:// into https:// in lit.
func httpsFix(f *model.File, lit *ast.Literal, safe bool) analysis.Fix {
	start, _ := analysis.Span(f, lit)
	// The literal starts with a quote (or #!" for verbatim text).
	off := start + strings.Index(lit.Value, "://")
	return analysis.Fix{Title: "Use https://", Preferred: true, Safe: safe,
		Edits: []analysis.TextEdit{{Path: f.Path, Start: off - 4, End: off, NewText: "https"}}}
}

// credentialBearing reports whether request r carries credentials: a
// credential in its URL, headers, query or body, or the engine's own
// credentials when a kind of the connector authenticates and the request
// does not take over with ManualCredentials.
func credentialBearing(p *analysis.Pass, r *model.Request) (explicit, implicit bool) {
	if p.Prog.Taint(r.File, r.URL).Has(model.Credential) {
		explicit = true
	}
	for _, name := range []string{"Headers", "Query", "CredentialQuery", "CredentialQueryString", "Content", "RelativePath"} {
		if fl, ok := r.Fields.Get(name); ok && p.Prog.Taint(fl.File, fl.Value).Has(model.Credential) {
			explicit = true
		}
	}
	if !r.ManualCredentials() && authenticates(p.Prog) {
		implicit = true
	}
	return
}

// sendsSecret reports whether a kind of the connector has Power Query
// attach a secret to its requests: a token (OAuth, Aad) or a password or
// key sent as basic authentication (UsernamePassword, Key).
func sendsSecret(prog *model.Program) bool {
	found := false
	authKinds(prog, func(name string) {
		switch name {
		case "OAuth", "Aad", "UsernamePassword", "Key":
			found = true
		}
	})
	return found
}

// authKinds calls fn with the name of each authentication kind the
// connector's kinds declare.
func authKinds(prog *model.Program, fn func(name string)) {
	for _, k := range prog.Kinds {
		if k.Record == nil || prog.Main == nil {
			continue
		}
		r, rf := prog.RecordOf(prog.Main, k.Record.Node.Value)
		if r == nil {
			continue
		}
		a := model.Field(r, "Authentication")
		if a == nil {
			continue
		}
		ar, _ := prog.RecordOf(rf, a.Value)
		if ar == nil {
			continue
		}
		for _, fl := range ar.Fields {
			if fl.Name != nil {
				fn(fl.Name.Name)
			}
		}
	}
}

// authenticates reports whether a kind of the connector declares an
// authentication kind other than Anonymous and Implicit.
func authenticates(prog *model.Program) bool {
	found := false
	authKinds(prog, func(name string) {
		if name != "Anonymous" && name != "Implicit" {
			found = true
		}
	})
	return found
}
