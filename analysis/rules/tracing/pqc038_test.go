package tracing_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/analysistest"
	"github.com/pqls/pqls/analysis/rules/tracing"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/project"
)

// The message counts the calls in words a reader expects at any
// threshold, 1 included.
func TestPQC038Count(t *testing.T) {
	for _, tc := range []struct {
		calls int
		want  string
	}{
		{1, "traces in one place and"},
		{2, "traces in 2 places and"},
	} {
		var b strings.Builder
		b.WriteString("section S;\n")
		for i := range tc.calls {
			b.WriteString("T" + string(rune('a'+i)) + " = Diagnostics.Trace(TraceLevel.Information, \"x\", 1);\n")
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "S.pq")
		p := &project.Project{Root: dir, Name: "S", Main: path, Listed: true}
		cfg := config.Default()
		cfg.Settings.TraceCallThreshold = 1
		ds := analysis.Run(p, analysistest.Files{path: []byte(b.String())}, cfg, []*analysis.Analyzer{tracing.PQC038})
		if len(ds) != 1 || !strings.Contains(ds[0].Message, tc.want) {
			t.Errorf("%d calls: got %v, want one finding saying %q", tc.calls, ds, tc.want)
		}
	}
}
