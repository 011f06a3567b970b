package auth

import (
	"slices"
	"strconv"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC064 finds a key or password sent by hand without ManualCredentials.
var PQC064 = &analysis.Analyzer{
	ID:       "PQC064",
	Fix:      analysis.SafeFix,
	Title:    "Key sent in a header without ManualCredentials = true",
	Severity: analysis.Warning,
	Doc: "For Key and UsernamePassword authentication Power Query adds its own Authorization header " +
		"(the key as a basic-auth password) to every Web.Contents call unless the options say " +
		"ManualCredentials = true. A connector that sends the key itself, in a header or in " +
		"CredentialQuery, must set that option, or the service receives both. OAuth access tokens are " +
		"not concerned. The fix adds ManualCredentials = true to the options record of every request " +
		"that sends the key: headers held in a binding or member and shared by several requests are " +
		"reported once, and fixed on all of them.",
	HelpURI:   "https://learn.microsoft.com/power-query/handling-authentication",
	Bad:       "Web.Contents(url, [Headers = [#\"X-Api-Key\" = Extension.CurrentCredential()[Key]]])",
	Good:      "Web.Contents(url, [Headers = [#\"X-Api-Key\" = Extension.CurrentCredential()[Key]], ManualCredentials = true])",
	Scope:     analysis.ExpressionScope,
	PerMember: true,
	Run:       runPQC064,
}

// keySent is one place where a key or password is written into the
// headers or CredentialQuery of requests, with every request that sends
// it: headers bound to a name or member may be shared by several.
type keySent struct {
	file     *model.File
	node     ast.Node
	what     string
	taint    model.TaintSet
	requests []*model.Request
}

func runPQC064(p *analysis.Pass) {
	var order []*keySent
	byNode := map[ast.Node]*keySent{}
	for _, r := range p.Requests() {
		if r.ManualCredentials() {
			continue
		}
		if _, set := r.Fields.Get("ManualCredentials"); set {
			continue // computed: cannot tell
		}
		for _, name := range []string{"Headers", "CredentialQuery", "CredentialQueryString"} {
			fl, ok := r.Fields.Get(name)
			if !ok {
				continue
			}
			check := func(f *model.File, n ast.Node, x ast.Expr) {
				if k := byNode[n]; k != nil {
					if !slices.Contains(k.requests, r) {
						k.requests = append(k.requests, r)
					}
					return
				}
				t := p.Prog.Taint(f, x)
				if !t.Has(model.KeyOrPassword) {
					return
				}
				k := &keySent{file: f, node: n, what: name, taint: t, requests: []*model.Request{r}}
				byNode[n] = k
				order = append(order, k)
			}
			if rec, rf := p.Prog.RecordOf(fl.File, fl.Value); rec != nil {
				for _, h := range rec.Fields {
					check(rf, h, h.Value)
				}
			} else {
				check(fl.File, fl.Value, fl.Value)
			}
		}
	}
	for _, k := range order {
		fixes := manualCredentialsFix(p, k.requests)
		msg := "the key or password is sent by hand in " + k.what + " but the options lack ManualCredentials = true, " +
			"so Power Query also adds its own Authorization header: set ManualCredentials = true"
		if n := len(k.requests); n > 1 {
			msg += " on the " + strconv.Itoa(n) + " requests that send it"
		}
		start, end := analysis.Span(k.file, k.node)
		p.Report(analysis.Diagnostic{Path: k.file.Path, Start: start, End: end, Fixes: fixes, Message: msg,
			Related: connector.OriginRelated(k.taint, model.KeyOrPassword, "the credential comes from here")})
	}
}

// manualCredentialsFix adds ManualCredentials = true to the options of
// every request in rs, each options record once; there is no fix when the
// options of one of them are not a record the fix can edit.
func manualCredentialsFix(p *analysis.Pass, rs []*model.Request) []analysis.Fix {
	var edits []analysis.TextEdit
	seen := map[*ast.RecordExpr]bool{}
	for _, r := range rs {
		if r.Options == nil {
			return nil
		}
		rec, rf := p.Prog.RecordOf(r.File, r.Options)
		if rec == nil {
			return nil
		}
		if seen[rec] {
			continue
		}
		seen[rec] = true
		edits = append(edits, analysis.AppendField(rf, rec, "ManualCredentials = true"))
	}
	title := "Add ManualCredentials = true"
	if len(rs) > 1 {
		title += " to the " + strconv.Itoa(len(rs)) + " requests that send it"
	}
	return []analysis.Fix{{Title: title, Preferred: true, Safe: true, Edits: edits}}
}
