package connector

import (
	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// OriginRelated explains where the taint k of t comes from.
func OriginRelated(t model.TaintSet, k model.Taint, msg string) []analysis.Related {
	o, ok := t.Origin(k)
	if !ok || o.File == nil {
		return nil
	}
	start, end := o.File.AST.Span(o.Node)
	return []analysis.Related{{Path: o.File.Path, Start: start, End: end, Message: msg}}
}

// CalleeName is the name a call is written with, library or not.
func CalleeName(c *ast.InvokeExpr) string {
	if id, ok := model.Unparen(c.Fun).(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// CredentialLikeName reports whether an identifier names a secret:
// password, pwd, secret, client_secret, token, access_token, apiKey,
// private_key, sas — but not tokenType, keyColumn, pageToken, TraceToken,
// correlationToken or KeyVaultUrl. The taint engine uses the same test for
// data-source parameters, so it lives in the model.
func CredentialLikeName(name string) bool { return model.CredentialLikeName(name) }
