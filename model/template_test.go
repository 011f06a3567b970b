package model

import (
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
