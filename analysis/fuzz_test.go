package analysis_test

import (
	"strings"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/internal/testfiles"
	"github.com/pqls/pqls/project"
)

// checkParsedSeeds are the seeds of FuzzCheckParsed: a connector that
// reaches the data-source rules, chains nested past the parser's depth
// bound, NULs, half-typed code, and shapes that once made a rule's work
// grow exponentially (kept under testdata/fuzz/FuzzCheckParsed too).
func checkParsedSeeds() []string {
	return []string{
		"[Version = \"1.0.0\"]\nsection Fuzz;\n\n[DataSource.Kind = \"Fuzz\", Publish = \"Fuzz.Publish\"]\nshared Fuzz.Contents = (url as text) =>\n    let\n        source = Web.Contents(url, [Headers = [#\"Accept\" = \"application/json\"]]),\n        json = Json.Document(source)\n    in\n        json;\n\nFuzz = [Authentication = [Anonymous = []], Label = \"Fuzz\"];\nFuzz.Publish = [Beta = true, Category = \"Other\"];\n",
		"section Fuzz;\nshared A = 1" + strings.Repeat("+1", 1200) + ";\n",
		"section Fuzz;\nshared A = " + strings.Repeat("(", 1100) + "1" + strings.Repeat(")", 1100) + ";\n",
		"section Fuzz;\nshared A = f" + strings.Repeat("()", 1100) + ";\n",
		"section Fuzz;\n" + strings.Repeat("\x00", 300),
		"let x = each _ + 1, y = try x(1) otherwise null in if y is number then y else error \"no\"",
		"section Fuzz; shared T = type table [A = number, B = nullable text] meta [Documentation.Name = \"t\"]; shared F = (optional a as any) as any => a{0}?[b]?;",
		"section ;;; shared = ; [ = ] { , } let in",
		"\xEF\xBB\xBFsection Fuzz;\r\nshared X = \"unterminated\n/* open comment",
		// 2^30 evaluations before the base of Uri.Combine was evaluated once.
		"section Fuzz;\n[DataSource.Kind = \"Fuzz\"]\nshared Fuzz.Contents = (url as text) => Web.Contents(" + strings.Repeat("Uri.Combine(", 30) + "url" + strings.Repeat(", url)", 30) + ");\n",
	}
}

// FuzzCheckParsed parses arbitrary bytes as the main document of a one-file
// project and runs every rule over it: no rule may panic on any tree the
// parser can build (the rules run in the server and in CI on the user's
// half-typed or hostile code), and every finding must lie inside the file.
func FuzzCheckParsed(f *testing.F) {
	for _, s := range checkParsedSeeds() {
		f.Add([]byte(s))
	}
	cfg := config.Default()
	f.Fuzz(func(t *testing.T, src []byte) {
		defer testfiles.HangGuard("FuzzCheckParsed")()
		p := &project.Project{Root: "/nonexistent/fuzz", Name: "Fuzz", Main: "/nonexistent/fuzz/Fuzz.pq"}
		file := parser.Parse(p.Main, src)
		for _, d := range analysis.Run(p, parsedFiles{p.Main: file}, cfg, rules.All()) {
			if d.Path == p.Main && (d.Start < 0 || d.End < d.Start || d.End > len(src)) {
				t.Fatalf("%s finding [%d, %d) outside the %d-byte file: %s", d.Code, d.Start, d.End, len(src), d.Message)
			}
		}
	})
}
