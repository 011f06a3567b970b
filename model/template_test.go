package model

import (
	"github.com/pqls/pqls/grammar/parser"
	"math/rand"
	"regexp"
	"testing"
)

// templateRE is the regular expression IsTemplate stands for.
var templateRE = regexp.MustCompile(`section\s+\{\{\s*[A-Za-z_]\w*\s*\}\}|\{\{\s*[A-Za-z_]\w*\s*\}\}[.;]`)

func TestIsTemplate(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want bool
	}{
		{"section {{ProjectName}};", true},
		{"section\t\n{{ ProjectName }}\n;", true},
		{"shared {{ProjectName}}.Contents = 1;", true},
		{"x = {{a_1}};", true},
		{"#table({\"a\"}, {{x}})", false},
		{"{{1a}}.", false},
		{"section{{A}}", false},
		{"{{A}}", false},
		{"{{A}", false},
		{"{{", false},
		{"", false},
		{"{{{A}}.", true},
		{"x = {{ A B }};", false},
	} {
		if got := IsTemplate([]byte(tc.src)); got != tc.want || got != templateRE.MatchString(tc.src) {
			t.Errorf("IsTemplate(%q) = %v, want %v", tc.src, got, tc.want)
		}
	}
	// Random texts built from the pieces that matter agree with the
	// regular expression.
	pieces := []string{"{", "}", "{{", "}}", " ", "\t", "section", "sect", "ion", "a", "_", "9", ".", ";", "x", "\n"}
	rng := rand.New(rand.NewSource(1))
	for range 20000 {
		var b []byte
		for n := rng.Intn(12); n > 0; n-- {
			b = append(b, pieces[rng.Intn(len(pieces))]...)
		}
		if got, want := IsTemplate(b), templateRE.Match(b); got != want {
			t.Fatalf("IsTemplate(%q) = %v, the regular expression says %v", b, got, want)
		}
	}
}

// TestTemplateFileMatchesText checks isTemplateFile, which skips the
// members that hold nothing like a placeholder, against IsTemplate over
// the whole text, on random documents edited again and again, so that
// member nodes and what they record are reused across versions.
func TestTemplateFileMatchesText(t *testing.T) {
	pieces := []string{"section S;\n", "A = 1;\n", "B = {{1}, {2}};\n", "{{Name}}", "{{ Name }}", ".", ";", "\n", " ",
		"// {{x}}.\n", "section ", "shared ", "C = \"{{y}}\";\n", "{{", "}}", "{", "D = [x = {{z}}];\n", "x", "{{_n}}", "E = {{ \n"}
	for _, src := range []string{
		"section S;\nA = {{_n}}.x;\n",
		"section S;\nA = 1 + {{ Name }}.Contents;\n",
		"section S;\nA = {{1}};\n// {{Name}};\nB = 2;\n",
		"section S;\nA = {{1}};\nB = 2;\n",
	} {
		file := parser.Parse("/t.pq", []byte(src))
		if got, want := isTemplateFile(file), IsTemplate(file.Src); got != want {
			t.Errorf("isTemplateFile = %v, IsTemplate = %v, on\n%s", got, want, src)
		}
	}
	rng := rand.New(rand.NewSource(3))
	file := parser.Parse("/t.pq", []byte("section S;\nA = 1;\n"))
	matches := 0
	for step := range 3000 {
		at := rng.Intn(len(file.Src) + 1)
		end := min(at+rng.Intn(4), len(file.Src))
		file = parser.Reparse(file, parser.Edit{Start: at, End: end, Text: []byte(pieces[rng.Intn(len(pieces))])})
		if step%50 == 0 {
			file = parser.Parse("/t.pq", append([]byte("section S;\n"), file.Src...)) // keep it a section
		}
		want := IsTemplate(file.Src)
		if got := isTemplateFile(file); got != want {
			t.Fatalf("step %d: isTemplateFile = %v, IsTemplate = %v, on\n%s", step, got, want, file.Src)
		}
		if want && file.Section != nil && len(file.Section.Members) > 0 {
			matches++
		}
	}
	if matches == 0 {
		t.Error("no edited section document was a template: the test does not test the member path")
	}
}
