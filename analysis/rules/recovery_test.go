package rules_test

import (
	"strings"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/analysistest"
	"github.com/pqls/pqls/analysis/rules"
	"github.com/pqls/pqls/project"
)

// TestNoFindingsFromRecovery: in a member that does not parse, no rule
// reports on what error recovery made of the text — names it invented from
// a half-typed line (here one with forbidden words), or requests and traces
// it cut loose — while the members that parse are still checked.
func TestNoFindingsFromRecovery(t *testing.T) {
	src := `[Version = "1.0.0"]
section Contoso;

[DataSource.Kind = "Contoso", Publish = "Contoso.Publish"]
shared Contoso.Contents = (url as text) =>
    let
        source = Web.Contents(url, [Query = [api_key = Extension.CurrentCredential()[Key]]]
        getdata API Connector = Diagnostics.Trace(TraceLevel.Information, Extension.CurrentCredential()[Key], 1)
    in
        source;

Contoso = [TestConnection = (p) => {"Contoso.Contents", p}, Authentication = [Key = []], Label = "Contoso"];

Contoso.Publish = [Beta = true, Category = "Other", ButtonText = {"Contoso", "Contoso"}];
`
	p := &project.Project{Root: "/p", Name: "Contoso", Main: "/p/Contoso.pq", Listed: true}
	broken := strings.Index(src, "shared Contoso.Contents")
	brokenEnd := strings.Index(src, "source;") + len("source;")
	var syntax, elsewhere bool
	for _, d := range analysis.Run(p, analysistest.Files{p.Main: []byte(src)}, nil, rules.All()) {
		switch {
		case d.Code == analysis.SyntaxCode:
			syntax = true
		case d.Start >= broken && d.Start < brokenEnd:
			t.Errorf("%s inside the member that does not parse: %s", d.Code, d.Message)
		default:
			elsewhere = true
		}
	}
	if !syntax {
		t.Error("no syntax error reported")
	}
	if !elsewhere {
		t.Error("the members that parse were not checked")
	}
}
