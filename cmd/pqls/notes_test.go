package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckNotesOrder: the notes about folders that are not connectors
// come in the order of the folders, whichever check ends first, and once
// each, also when --fix checks the projects several times.
func TestCheckNotesOrder(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		// A connector with a safe fix (PQC002 adds the Version), so that
		// --fix runs more than one pass.
		"Fixable/Fixable.pq":   "section Fixable;\nshared Fixable.Contents = 1;\n",
		"Template/Template.pq": "section {{ProjectName}};\n",
	}
	var want []string
	for i := range 12 {
		name := fmt.Sprintf("Queries%02d", i)
		// Expression documents of different sizes, so that the checks
		// do not end in the order they started.
		files[name+"/query.pq"] = "let\n" + strings.Repeat("    a = 1,\n", 1+(11-i)*200) + "    b = 2\nin\n    b\n"
		want = append(want, filepath.Join(dir, name)+": no connector here")
	}
	writeTree(t, dir, files)
	template := filepath.Join(dir, "Template") + ": skipped as an SDK template"
	notes := func(stderr string) []string {
		var got []string
		for _, line := range strings.Split(stderr, "\n") {
			if rest, ok := strings.CutPrefix(line, "pqls check: "); ok && (strings.Contains(rest, "no connector here") || strings.Contains(rest, "SDK template")) {
				got = append(got, rest)
			}
		}
		return got
	}
	check := func(t *testing.T, got []string) {
		t.Helper()
		if len(got) != len(want)+1 {
			t.Fatalf("%d notes, want %d:\n%s", len(got), len(want)+1, strings.Join(got, "\n"))
		}
		for i, w := range want {
			if !strings.HasPrefix(got[i], w) {
				t.Fatalf("note %d = %q, want %q…; all:\n%s", i, got[i], w, strings.Join(got, "\n"))
			}
		}
		if !strings.HasPrefix(got[len(want)], template) {
			t.Fatalf("last note = %q, want %q…", got[len(want)], template)
		}
	}
	for range 10 {
		_, stderr, _ := pqls(t, "check", dir)
		check(t, notes(stderr))
	}
	_, stderr, _ := pqls(t, "check", "--fix", dir)
	if !strings.Contains(stderr, "applied") {
		t.Fatalf("--fix applied nothing: %q", stderr)
	}
	check(t, notes(stderr))
}

// TestCheckReportQueries: Power BI's query document, extracted to a file,
// gets no connector findings and a note that says what it was taken for.
func TestCheckReportQueries(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"Report/Section1.m": "section Section1;\n\nshared Sales = Web.Contents(\"http://example.com/sales\");\n"})
	stdout, stderr, status := pqls(t, "check", dir)
	if status != 0 || strings.Contains(stdout, "PQC") {
		t.Errorf("status %d, findings:\n%s", status, stdout)
	}
	want := filepath.Join(dir, "Report", "Section1.m") + ": the queries of a Power BI report or Excel workbook"
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q, want a note %q…", stderr, want)
	}
}

// TestCheckTwoConnectorsInAFolder: a folder without a project file that
// holds two connectors gets both checked, whether the folder or the two
// files are named, and the files they share are reported once.
func TestCheckTwoConnectorsInAFolder(t *testing.T) {
	dir := t.TempDir()
	const kinded = "section %[1]s;\n\n[DataSource.Kind = \"%[1]s\"]\nshared %[1]s.Contents = () => 1;\n"
	writeTree(t, dir, map[string]string{
		"Pair/Alder.pq":      fmt.Sprintf(kinded, "Alder"),
		"Pair/Birch.pq":      fmt.Sprintf(kinded, "Birch"),
		"Pair/Pair.query.pq": "Extension.Contents(\"x.json\")",
	})
	count := func(stdout, file, code string) int {
		n := 0
		for _, line := range strings.Split(stdout, "\n") {
			if strings.Contains(line, file+":") && strings.Contains(line, " "+code+" ") {
				n++
			}
		}
		return n
	}
	pair := filepath.Join(dir, "Pair")
	for _, args := range [][]string{
		{"check", pair},
		{"check", filepath.Join(pair, "Alder.pq"), filepath.Join(pair, "Birch.pq"), filepath.Join(pair, "Pair.query.pq")},
	} {
		stdout, _, _ := pqls(t, args...)
		for _, file := range []string{"Alder.pq", "Birch.pq"} {
			if n := count(stdout, file, "PQC002"); n != 1 {
				t.Errorf("%q: %d PQC002 in %s, want 1:\n%s", args, n, file, stdout)
			}
		}
		if n := count(stdout, "Pair.query.pq", "PQC061"); n != 1 {
			t.Errorf("%q: %d PQC061 in the shared test file, want 1:\n%s", args, n, stdout)
		}
	}
}
