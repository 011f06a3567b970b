package model

import (
	"math/rand/v2"
	"testing"
)

// TestIsTemplateMatchesExpression checks the windowed search against the
// regular expression over whole documents, on fixed cases and on random
// text built from the pieces placeholders are made of.
func TestIsTemplateMatchesExpression(t *testing.T) {
	cases := []string{
		"section {{ProjectName}};",
		"section\n\t {{ ProjectName }} ;",
		"shared {{ProjectName}}.Contents = 1;",
		"x = #table({\"a\"}, {{x}});",
		"x = {{1}};",
		"{{{x}}.",
		"",
		"{{",
		"sectionx{{a}}",
	}
	pieces := []string{"section", " ", "\n", "{{", "}}", "{", "}", "Name", "_1", ".", ";", "x", "1", "#table"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		var s []byte
		for range r.IntN(12) {
			s = append(s, pieces[r.IntN(len(pieces))]...)
		}
		cases = append(cases, string(s))
	}
	for _, c := range cases {
		if got, want := IsTemplate([]byte(c)), placeholder.MatchString(c); got != want {
			t.Errorf("IsTemplate(%q) = %v, want %v", c, got, want)
		}
	}
}
