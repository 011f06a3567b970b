package rules_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/analysistest"
	"github.com/pqls/pqls/analysis/rules/navigation"
	"github.com/pqls/pqls/analysis/rules/resources"
	"github.com/pqls/pqls/analysis/rules/tracing"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/project"
)

// runOn runs one analyzer over a single source file written to a
// temporary folder and returns its findings.
func runOn(t *testing.T, a *analysis.Analyzer, name, src string, cfg *config.Config) []analysis.Diagnostic {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, name)
	p := &project.Project{Root: dir, Name: strings.TrimSuffix(name, filepath.Ext(name)), Main: path, Listed: true}
	return analysis.Run(p, analysistest.Files{path: []byte(src)}, cfg, []*analysis.Analyzer{a})
}

func TestStrictTracing(t *testing.T) {
	src := "section S;\nEnableTraceOutput = true;\nLog = if EnableTraceOutput then Diagnostics.Trace else (l, m, v) => v;\n"
	for _, strict := range []bool{false, true} {
		cfg := config.Default()
		cfg.Settings.StrictTracing = strict
		ds := runOn(t, tracing.PQC037, "S.pq", src, cfg)
		want := analysis.Warning
		if strict {
			want = analysis.Error
		}
		if len(ds) != 1 || ds[0].Severity != want {
			t.Errorf("strictTracing=%v: got %v, want one finding of severity %v", strict, ds, want)
		}
	}
}

func TestTraceCallThreshold(t *testing.T) {
	var b strings.Builder
	b.WriteString("section S;\n")
	for i := range 6 {
		b.WriteString("T" + string(rune('a'+i)) + " = Diagnostics.Trace(TraceLevel.Information, \"x\", 1);\n")
	}
	for _, c := range []struct {
		threshold, want int
	}{{5, 1}, {6, 1}, {7, 0}} {
		cfg := config.Default()
		cfg.Settings.TraceCallThreshold = c.threshold
		if ds := runOn(t, tracing.PQC038, "S.pq", b.String(), cfg); len(ds) != c.want {
			t.Errorf("threshold %d: got %d findings, want %d", c.threshold, len(ds), c.want)
		}
	}
}

func TestSeverityTiers(t *testing.T) {
	query := "section C;\n[DataSource.Kind = \"C\", Publish = \"C.Publish\"]\nshared C.Query = (server as text, query as text) => 1;\nC.Publish = [Beta = true];\n"
	if ds := runOn(t, navigation.PQC023, "C.pq", query, nil); len(ds) != 1 || ds[0].Severity != analysis.Hint {
		t.Errorf("PQC023 on a query-only connector: got %v, want one hint", ds)
	}
	plain := strings.Replace(query, "(server as text, query as text)", "(server as text)", 1)
	if ds := runOn(t, navigation.PQC023, "C.pq", plain, nil); len(ds) != 1 || ds[0].Severity != analysis.Warning {
		t.Errorf("PQC023: got %v, want one warning", ds)
	}
	icons := "section C;\n[DataSource.Kind = \"C\", Publish = \"C.Publish\"]\nshared C.Contents = () => 1;\n" +
		"C.Publish = [SourceImage = [Icon16 = {1}, Icon32 = {2}]];\n"
	if ds := runOn(t, resources.PQC020, "C.pq", icons, nil); len(ds) != 1 || ds[0].Severity != analysis.Hint {
		t.Errorf("PQC020 without SourceTypeImage: got %v, want one hint", ds)
	}
}

// TestDocumentationStrings: PQC024 reads Documentation.* text only when
// asked, and then once per function type.
func TestDocumentationStrings(t *testing.T) {
	src := "[Version = \"1.0.0\"]\nsection S;\n\n[DataSource.Kind = \"S\"]\nshared S.Contents = Value.ReplaceType(() => 1, SType);\n\n" +
		"SType = type function () as number meta [Documentation.Name = \"Sample\", Documentation.LongDescription = \"Returns one.\"];\n\n" +
		"OtherType = type function () as number meta [Documentation.Name = \"Other\"];\n"
	for _, on := range []bool{false, true} {
		cfg := config.Default()
		cfg.Settings.DocumentationStrings = on
		want := 0
		if on {
			want = 2 // one per function type
		}
		if ds := runOn(t, resources.PQC024, "S.pq", src, cfg); len(ds) != want {
			t.Errorf("documentationStrings=%v: got %d findings %v, want %d", on, len(ds), ds, want)
		}
	}
}
