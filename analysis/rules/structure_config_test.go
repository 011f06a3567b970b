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
// the defaults.
func TestStructureSettings(t *testing.T) {
	dir := filepath.Join("testdata", "structure_config")
	cases := []struct {
		name string
		rule *analysis.Analyzer
		set  func(*config.Settings)
	}{
		{"PQC007_allowlist", naming.PQC007, func(s *config.Settings) { s.NameAllowlist = []string{"FabricSql", "PowerBI"} }},
		{"PQC007_words", naming.PQC007, func(s *config.Settings) { s.ForbiddenWords = []string{"Gateway"} }},
		{"PQC008_allowlist", naming.PQC008, func(s *config.Settings) { s.NameAllowlist = []string{"Sql.Database"} }},
		{"PQC012_released", structure.PQC012, func(s *config.Settings) { s.InitialRelease = false }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := config.Default()
			c.set(&cfg.Settings)
			analysistest.Run(t, filepath.Join(dir, c.name), c.rule, cfg)
		})
	}
}
