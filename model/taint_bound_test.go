package model_test

import (
	"strings"
	"testing"

	"github.com/pqls/pqls/model"
)

// TestTaintWorkGrowsWithSize nests each expression shape the taint engine
// follows 20 deep and bounds the evaluation steps of one query by the
// nesting: a shape whose parts are evaluated twice costs 2^20 steps, as
// nested Uri.Combine calls did (FuzzCheckParsed stalled on such input). The
// bound is on work counted, not on time.
func TestTaintWorkGrowsWithSize(t *testing.T) {
	const depth = 20
	nest := func(open, inner, close string) string {
		return strings.Repeat(open, depth) + inner + strings.Repeat(close, depth)
	}
	shapes := []struct{ name, expr string }{
		{"Uri.Combine", nest("Uri.Combine(", "url", ", url)")},
		{"Uri.Combine relative", nest("Uri.Combine(url, ", "url", ")")},
		{"Text.Combine", nest("Text.Combine({", "url", "})")},
		{"Text.Format", nest(`Text.Format("#{0}", {`, "url", "})")},
		{"Record.Field", nest("Record.Field(", "url", `, "a")`)},
		{"Value.ReplaceType", nest("Value.ReplaceType(", "url", ", type text)")},
		{"Diagnostics.Trace", nest(`Diagnostics.Trace(1, "m", `, "url", ")")},
		{"unknown call", nest("f(url, ", "url", ")")},
		{"&", nest("(url & ", "url", ")")},
		{"+", nest("(url + ", "url", ")")},
		{"??", nest("(url ?? ", "url", ")")},
		{"if", nest(`if url = "" then url else (`, "url", ")")},
		{"scheme check", nest(`if Text.StartsWith(url, "https://") then (`, "url", `) else error "x"`)},
		{"try", nest("try (", "url", ") otherwise url")},
		{"record field", nest("[a = ", "url", ", b = url][a]")},
		{"list item", nest("{", "url", ", url}{0}")},
		{"meta", nest("(", "url", " meta [a = url])")},
		{"let", nest("let a = url, b = ", "url", " in b")},
	}
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			src := "section C;\nshared C.Contents = (url as text) =>\n    let\n        probe = " + s.expr + "\n    in\n        probe;\n"
			prog, f := load(t, src)
			var probe *model.Def
			for _, d := range f.Defs() {
				if d.Name == "probe" {
					probe = d
				}
			}
			prog.Taint(f, probe.Value)
			if steps, limit := model.TaintSteps(prog), 40*depth; steps > limit {
				t.Errorf("%d steps for a %d-deep %s; want at most %d", steps, depth, s.name, limit)
			}
		})
	}
}
