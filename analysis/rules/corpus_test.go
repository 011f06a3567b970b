package rules_test

import (
	"path/filepath"
	"testing"

	"github.com/pqls/pqls/analysis/analysistest"
	"github.com/pqls/pqls/analysis/rules"
)

// TestCorpus runs every rule at once over testdata/corpus: connector
// projects written to look like shipped ones. Most are clean — the legitimate
// patterns real connectors use must not trigger anything — and a few carry the
// violations that real connectors do ship, marked with want comments. The
// configuration is the default one, so review reminders are off.
func TestCorpus(t *testing.T) {
	analysistest.RunAll(t, filepath.Join("testdata", "corpus"), rules.All(), nil)
}
