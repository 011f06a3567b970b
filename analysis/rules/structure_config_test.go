package rules_test

import (
	"path/filepath"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/analysistest"
	"github.com/pqls/pqls/analysis/rules/naming"
	"github.com/pqls/pqls/analysis/rules/structure"
	"github.com/pqls/pqls/config"
)

// TestStructureSettings runs the structure rules with settings other than
// the defaults, given as a pqls.json would give them (so that a setting
// counts as set explicitly, as PQC012 needs).
func TestStructureSettings(t *testing.T) {
	dir := filepath.Join("testdata", "structure_config")
	cases := []struct {
		name     string
		rule     *analysis.Analyzer
		settings string
	}{
		{"PQC007_allowlist", naming.PQC007, `{"certification.nameAllowlist": ["FabricSql", "PowerBI"]}`},
		{"PQC007_words", naming.PQC007, `{"certification.forbiddenWords": ["Gateway"]}`},
		{"PQC008_allowlist", naming.PQC008, `{"certification.nameAllowlist": ["Sql.Database"]}`},
		{"PQC012_released", structure.PQC012, `{"certification.initialRelease": false}`},
		{"PQC012_initial", structure.PQC012, `{"certification.initialRelease": true}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := config.Parse([]byte(`{"settings": ` + c.settings + `}`))
			if err != nil {
				t.Fatal(err)
			}
			analysistest.Run(t, filepath.Join(dir, c.name), c.rule, cfg)
		})
	}
}
