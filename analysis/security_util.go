package analysis

import (
	"regexp"
	"strings"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// Helpers shared by the security rules (PQC030–PQC043, PQC051, PQC055,
// PQC064, PQC068, PQC025).

// requests returns the web requests made in the pass's files.
func requests(p *Pass) []*model.Request {
	var out []*model.Request
	for _, f := range p.Files {
		out = append(out, p.Prog.Requests(f, nil)...)
	}
	return out
}

// originRelated explains where the taint k of t comes from.
func originRelated(t model.TaintSet, k model.Taint, msg string) []Related {
	o, ok := t.Origin(k)
	if !ok || o.File == nil {
		return nil
	}
	start, end := o.File.AST.Span(o.Node)
	return []Related{{Path: o.File.Path, Start: start, End: end, Message: msg}}
}

// credentialQueryName is the option name the fixes emit.
func credentialQueryName(p *Pass) string {
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

// textLiteral spells s as an M text literal.
func textLiteral(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// deleteField returns the edit that removes field i of record r in f,
// with its separating comma.
func deleteField(f *model.File, r *ast.RecordExpr, i int) TextEdit {
	fl := r.Fields[i]
	start, end := Span(f, fl)
	switch {
	case i > 0:
		_, start = Span(f, r.Fields[i-1])
	case len(r.Fields) > 1:
		end, _ = Span(f, r.Fields[1])
	}
	return TextEdit{Path: f.Path, Start: start, End: end}
}

// addFieldEdit returns the edit that appends the field text to record r.
func addFieldEdit(f *model.File, r *ast.RecordExpr, text string) TextEdit {
	if len(r.Fields) == 0 {
		return Insert(f, f.AST.Offset(r.Lbrack)+1, text)
	}
	_, end := Span(f, r.Fields[len(r.Fields)-1])
	return Insert(f, end, ", "+text)
}

// flattenConcat lists the operands of a chain of & operators.
func flattenConcat(x ast.Expr) []ast.Expr {
	x = model.Unparen(x)
	if b, ok := x.(*ast.BinaryExpr); ok && b.Op == token.AND_TEXT {
		return append(flattenConcat(b.X), flattenConcat(b.Y)...)
	}
	return []ast.Expr{x}
}

// calleeName is the name a call is written with, library or not.
func calleeName(c *ast.InvokeExpr) string {
	if id, ok := model.Unparen(c.Fun).(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// eachCall calls fn for every invocation in the pass's files.
func eachCall(p *Pass, fn func(f *model.File, c *ast.InvokeExpr)) {
	for _, f := range p.Files {
		for _, c := range f.Index().Calls {
			fn(f, c)
		}
	}
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
func httpsFix(f *model.File, lit *ast.Literal, safe bool) Fix {
	start, _ := Span(f, lit)
	// The literal starts with a quote (or #!" for verbatim text).
	off := start + strings.Index(lit.Value, "://")
	return Fix{Title: "Use https://", Preferred: true, Safe: safe,
		Edits: []TextEdit{{Path: f.Path, Start: off - 4, End: off, NewText: "https"}}}
}

// credentialBearing reports whether request r carries credentials: a
// credential in its URL, headers, query or body, or the engine's own
// credentials when a kind of the connector authenticates and the request
// does not take over with ManualCredentials.
func credentialBearing(p *Pass, r *model.Request) (explicit, implicit bool) {
	if p.Prog.Taint(r.File, r.URL).Has(model.Credential) {
		explicit = true
	}
	for _, name := range []string{"Headers", "Query", "CredentialQuery", "CredentialQueryString", "Content", "RelativePath"} {
		if fl, ok := r.Fields[name]; ok && p.Prog.Taint(fl.File, fl.Value).Has(model.Credential) {
			explicit = true
		}
	}
	if !r.ManualCredentials() && authenticates(p.Prog) {
		implicit = true
	}
	return
}

// authenticates reports whether a kind of the connector declares an
// authentication kind other than Anonymous and Implicit.
func authenticates(prog *model.Program) bool {
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
			if fl.Name != nil && fl.Name.Name != "Anonymous" && fl.Name.Name != "Implicit" {
				return true
			}
		}
	}
	return false
}

var nameWord = regexp.MustCompile(`[A-Z]+[a-z0-9]*|[a-z0-9]+`)

// nameWords splits an identifier into lower-case words: apiKey, API_KEY
// and api-key all give [api key].
func nameWords(name string) []string {
	var out []string
	for _, w := range nameWord.FindAllString(name, -1) {
		// split ACRONYMWord runs: "APIKey" → "API", "Key"
		for len(w) > 1 && strings.ToUpper(w) != w && strings.ToUpper(w[:2]) == w[:2] {
			i := 1
			for i+1 < len(w) && strings.ToUpper(w[:i+2]) == w[:i+2] {
				i++
			}
			out = append(out, strings.ToLower(w[:i]))
			w = w[i:]
		}
		out = append(out, strings.ToLower(w))
	}
	return out
}

// Words after which a secret-sounding word names something else: a
// column, a type, an address, a page marker.
var notSecretSuffix = map[string]bool{"type": true, "types": true, "column": true, "columns": true, "field": true,
	"name": true, "names": true, "url": true, "uri": true, "endpoint": true, "path": true, "label": true,
	"kind": true, "id": true, "expiry": true, "expires": true, "expiration": true, "length": true, "header": true,
	"location": true, "vault": true, "parameter": true, "param": true, "count": true}

var notSecretPrefix = map[string]bool{"page": true, "next": true, "continuation": true, "skip": true, "cancel": true,
	"cancellation": true, "resume": true, "sync": true, "delta": true, "paging": true}

// credentialLikeName reports whether an identifier names a secret:
// password, pwd, secret, client_secret, token, access_token, apiKey,
// private_key, sas — but not tokenType, keyColumn, pageToken or
// KeyVaultUrl.
func credentialLikeName(name string) bool {
	ws := nameWords(name)
	if len(ws) == 0 {
		return false
	}
	if notSecretSuffix[ws[len(ws)-1]] && len(ws) > 1 {
		return false
	}
	for i, w := range ws {
		prev := ""
		if i > 0 {
			prev = ws[i-1]
		}
		switch w {
		case "password", "passwd", "pwd", "secret", "passphrase", "apikey", "sas":
			return true
		case "token":
			if !notSecretPrefix[prev] {
				return true
			}
		case "key":
			if prev == "api" || prev == "private" || prev == "access" || prev == "secret" || prev == "subscription" {
				return true
			}
		}
	}
	return false
}
