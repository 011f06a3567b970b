package report

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules"
)

// TestRuleDocsInSync fails when docs/rules differs from what the rules'
// definitions produce: run `go generate ./report` after changing a rule.
func TestRuleDocsInSync(t *testing.T) {
	dir := filepath.Join("..", "docs", "rules")
	want := RuleDocs(rules.All())
	for name, data := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%v: run go generate ./report", err)
			continue
		}
		if !bytes.Equal(got, data) {
			t.Errorf("docs/rules/%s is out of date: run go generate ./report", name)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := want[e.Name()]; !ok && strings.HasSuffix(e.Name(), ".md") {
			t.Errorf("docs/rules/%s documents no rule: run go generate ./report", e.Name())
		}
	}
}

func TestRulePage(t *testing.T) {
	a := &analysis.Analyzer{
		ID: "PQC999", Title: "Function not named <Kind>.<Name>", Severity: analysis.Warning, Fix: analysis.SafeFix,
		Doc: "Name it `<Kind>.<Name>` and not <Other>.", HelpURI: "https://learn.microsoft.com/power-query/handling-documentation",
		Bad: "shared F = 1;", Good: "shared Kind.F = 1;", Review: true,
	}
	page := string(RulePage(a))
	for _, want := range []string{
		"# PQC999: Function not named &lt;Kind&gt;.&lt;Name&gt;\n",
		"| Default severity | warning |",
		"`pqls check --fix`",
		"reviewMode",
		"[Microsoft Learn: power-query/handling-documentation](https://learn.microsoft.com/power-query/handling-documentation)",
		"Name it `<Kind>.<Name>` and not &lt;Other&gt;.",
		"```powerquery\nshared F = 1;\n```",
		"`// pqls-disable-next-line PQC999 -- reason`",
		`"PQC999": "off"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
	for _, k := range []analysis.FixKind{analysis.NoFix, analysis.ManualFix} {
		a.Fix = k
		if strings.Contains(string(RulePage(a)), "`pqls check --fix` and fix-on-save") {
			t.Errorf("Fix %q: page claims --fix applies it", k)
		}
	}
}

// Every rule page links its source, and the index links every page.
func TestRuleIndex(t *testing.T) {
	rules := rules.All()
	index := string(RuleIndex(rules))
	link := regexp.MustCompile(`\[(PQC\d{3})\]\((PQC\d{3})\.md\)`)
	links := link.FindAllStringSubmatch(index, -1)
	if len(links) != len(rules) {
		t.Fatalf("index links %d pages, want %d", len(links), len(rules))
	}
	for i, a := range rules {
		if links[i][1] != a.ID || links[i][2] != a.ID {
			t.Errorf("index row %d links %v, want %s", i, links[i][1:], a.ID)
		}
		if a.HelpURI != "" && !strings.Contains(string(RulePage(a)), "("+a.HelpURI+")") {
			t.Errorf("%s's page does not link %s", a.ID, a.HelpURI)
		}
	}
}
