package analysis_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/analysistest"
	"github.com/pqls/pqls/analysis/rules"
	"github.com/pqls/pqls/analysis/rules/structure"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/project"
)

// PQC002 fires on every section without a version; the tests below use it
// to see what suppression and configuration do to a finding.
const unversioned = "section Contoso;\n\nshared Contoso.Contents = () => 1;\n"

func checkText(t *testing.T, src string, cfg *config.Config) []analysis.Diagnostic {
	t.Helper()
	p := &project.Project{Root: "/p", Name: "Contoso", Main: "/p/Contoso.pq"}
	var out []analysis.Diagnostic
	for _, d := range analysis.Run(p, analysistest.Files{p.Main: []byte(src)}, cfg, []*analysis.Analyzer{structure.PQC002}) {
		if d.Code == "PQC002" {
			out = append(out, d)
		}
	}
	return out
}

func TestSuppression(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want int
	}{
		{"no directive", unversioned, 1},
		{"next line", "// pqls-disable-next-line PQC002 -- versioned by the build\n" + unversioned, 0},
		{"next line, catalogue spelling", "// pqc-disable-next-line PQC002\n" + unversioned, 0},
		{"whole file", unversioned + "// pqls-disable PQC002 -- reason\n", 0},
		{"whole file, list of rules", "/* pqls-disable PQC007, PQC002 */\n" + unversioned, 0},
		{"other rule", "// pqls-disable-next-line PQC030\n" + unversioned, 1},
		{"not the next line", "// pqls-disable-next-line PQC002\n\n" + unversioned, 1},
		{"mentioned in prose", "// we do not pqls-disable PQC002 here: see the docs\n" + unversioned, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := len(checkText(t, tt.src, nil)); got != tt.want {
				t.Errorf("%d findings, want %d", got, tt.want)
			}
		})
	}
}

func TestRuleConfiguration(t *testing.T) {
	off := config.Default()
	off.Rules = map[string]config.RuleConfig{"PQC002": {Off: true}}
	if got := checkText(t, unversioned, off); len(got) != 0 {
		t.Errorf("rule turned off still reports %d findings", len(got))
	}
	warn := config.Default()
	warn.Rules = map[string]config.RuleConfig{"PQC002": {Severity: analysis.Warning}}
	got := checkText(t, unversioned, warn)
	if len(got) != 1 || got[0].Severity != analysis.Warning {
		t.Errorf("severity override: got %+v", got)
	}
	if got := checkText(t, unversioned, nil); len(got) != 1 || got[0].Severity != analysis.Error || got[0].HelpURI == "" {
		t.Errorf("default: got %+v", got)
	}
}

// TestReviewRules checks that review reminders run only in review mode.
func TestReviewRules(t *testing.T) {
	var review *analysis.Analyzer
	for _, a := range rules.All() {
		if a.Review {
			review = a
			break
		}
	}
	if review == nil {
		t.Fatal("no review rule")
	}
	p := &project.Project{Root: "/p", Name: "Contoso", Main: "/p/Contoso.pq"}
	files := analysistest.Files{p.Main: []byte(unversioned)}
	ran := func(cfg *config.Config) bool {
		called := false
		a := *review
		a.Run = func(*analysis.Pass) { called = true }
		analysis.Run(p, files, cfg, []*analysis.Analyzer{&a})
		return called
	}
	if ran(config.Default()) {
		t.Errorf("%s ran outside review mode", review.ID)
	}
	on := config.Default()
	on.Settings.ReviewMode = true
	if !ran(on) {
		t.Errorf("%s did not run in review mode", review.ID)
	}
}

// TestProjectProblems checks that faults in a project's own files are
// reported as findings where they are.
func TestProjectProblems(t *testing.T) {
	p := &project.Project{Root: "/p", Name: "Contoso", Main: "/p/Contoso.pq",
		Problems: []project.Problem{{Path: "/p/resources.resx", Offset: 42, Err: errors.New("XML syntax error on line 3")}}}
	var got []analysis.Diagnostic
	for _, d := range analysis.Run(p, analysistest.Files{p.Main: []byte("[Version = \"1.0.0\"]\nsection Contoso;\n")}, nil, nil) {
		if d.Code == analysis.ProjectCode {
			got = append(got, d)
		}
	}
	if len(got) != 1 || got[0].Path != "/p/resources.resx" || got[0].Start != 42 || got[0].Severity != analysis.Error {
		t.Errorf("project problems = %+v", got)
	}
}

// TestTestQueriesAlone: a folder of test queries with no connector (the
// SDK test framework's tests/TestSuites/…) gets its syntax and the rules
// about test queries checked, and nothing else; the framework's
// placeholder parameter query is prose and is left alone.
func TestTestQueriesAlone(t *testing.T) {
	p := &project.Project{Root: "/t", Name: "Suite", Tests: []string{"/t/Broken.query.pq", "/t/Generic.parameterquery.pq", "/t/Rows.query.pq"}}
	files := analysistest.Files{
		"/t/Rows.query.pq":             []byte("(parameter) =>\nlet\n    rows = Table.RowCount(parameter[taxi_table]),\n    schema = Extension.Contents(\"schema.json\")\nin\n    if rows = 0 then error \"no rows\" else Web.Contents(\"http://example.com\")\n"),
		"/t/Broken.query.pq":           []byte("let x = in x\n"),
		"/t/Generic.parameterquery.pq": []byte("\ufeffReplace with the M query that connects to your source\n\n// let\n//     Source = Sql.Database(\"server\", \"db\")\n// in\n//     Source\n"),
	}
	var got []string
	for _, d := range analysis.Run(p, files, nil, rules.All()) {
		got = append(got, d.Path+" "+d.Code)
	}
	want := []string{"/t/Broken.query.pq syntax", "/t/Rows.query.pq PQC061"}
	if !slices.Equal(got, want) {
		t.Errorf("findings %q, want %q", got, want)
	}
}

// TestWhatIsAConnector runs every rule over documents that are and are not
// a connector's main document.
func TestWhatIsAConnector(t *testing.T) {
	const kinded = "[Version = \"1.0.0\"]\nsection Contoso;\n\n[DataSource.Kind = \"Contoso\"]\nshared Contoso.Contents = () => 1;\n"
	tests := []struct {
		name   string
		src    string
		listed bool // the project file packages it
		want   []string
		absent []string
	}{
		{name: "query folder", src: "let\n    Source = Web.Contents(\"https://example.com/api\")\nin\n    Source\n", absent: []string{"PQC001", "syntax"}},
		{name: "listed expression", src: "let\n    Source = 1\nin\n    Source\n", listed: true, want: []string{"PQC001"}},
		{name: "template", src: "section {{ProjectName}};\n\n[DataSource.Kind=\"{{ProjectName}}\"]\nshared {{ProjectName}}.Contents = () => 1;\n", absent: []string{"syntax", "PQC002", "PQC005"}},
		{name: "list of lists is not a template", src: "section Lists;\n\nshared Lists.Rows = #table({\"a\"}, {{1}});\n", want: []string{"PQC002"}},
		{name: "extension without a kind", src: "section Helpers;\n\nshared Helpers.Text = Extension.LoadString(\"Greeting\");\n", want: []string{"PQC002"}, absent: []string{"PQC005", "PQC053"}},
		// Power BI's query document, extracted to a file: queries, not a
		// connector; only its syntax is checked.
		{name: "report queries", src: "section Section1;\n\nshared Orders = let\n    Source = Web.Contents(\"http://example.com/orders\")\nin\n    Source;\nshared Broken = ;\n",
			want: []string{"syntax"}, absent: []string{"PQC002", "PQC033"}},
		// A project file that builds it makes it an extension again.
		{name: "listed Section1", src: "section Section1;\n\nshared Helpers.Text = \"x\";\n", listed: true, want: []string{"PQC002"}},
		{name: "connector", src: kinded, want: []string{"PQC004", "PQC053"}},
		// The kind record is there, in a member that does not parse: no
		// finding says it is missing, and none reports in that member.
		{name: "kind record in a broken member", src: kinded + "\nContoso = [ TestConnection = (p) => {\"Contoso.Contents\"}, Authentication = [Anonymous = []] Label = \"Contoso\" ];\n",
			want: []string{"syntax"}, absent: []string{"PQC005", "PQC053", "PQC054"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &project.Project{Root: "/p", Name: "Contoso", Main: "/p/Contoso.pq", Listed: tt.listed}
			got := map[string]bool{}
			for _, d := range analysis.Run(p, analysistest.Files{p.Main: []byte(tt.src)}, nil, rules.All()) {
				got[d.Code] = true
			}
			for _, c := range tt.want {
				if !got[c] {
					t.Errorf("no %s; got %v", c, got)
				}
			}
			for _, c := range tt.absent {
				if got[c] {
					t.Errorf("unexpected %s", c)
				}
			}
		})
	}
}

// TestCheckContextStops checks that a check stops between analyzers once
// its context is done: the server abandons a check made stale by an edit.
func TestCheckContextStops(t *testing.T) {
	p := &project.Project{Root: "/p", Name: "Contoso", Main: "/p/Contoso.pq"}
	prog, loaded := analysis.Load(p, analysistest.Files{p.Main: []byte(unversioned)})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var ran []string
	mk := func(id string, f func()) *analysis.Analyzer {
		return &analysis.Analyzer{ID: id, Run: func(*analysis.Pass) { ran = append(ran, id); f() }}
	}
	as := []*analysis.Analyzer{mk("A", func() {}), mk("B", cancel), mk("C", func() {})}
	diags, err := analysis.CheckContext(ctx, prog, loaded, nil, as)
	if !errors.Is(err, context.Canceled) || diags != nil {
		t.Errorf("CheckContext after cancel = %v, %v; want no findings and context.Canceled", diags, err)
	}
	if want := []string{"A", "B"}; !slices.Equal(ran, want) {
		t.Errorf("analyzers run = %v, want %v (none after the cancel)", ran, want)
	}
	ran = nil
	if _, err := analysis.CheckContext(context.Background(), prog, loaded, nil, as[:1]); err != nil || len(ran) != 1 {
		t.Errorf("CheckContext with a live context: err %v, ran %v", err, ran)
	}
}
