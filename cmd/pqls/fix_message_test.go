package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// odbcManyCredentials is a connector whose ODBC connection string holds n
// fields read from the credential. Each is a PQC043 finding whose safe fix
// moves the field into CredentialConnectionString, and all of them insert
// at the same place, so one pass can take only one of them: the project
// needs n passes to reach its fixpoint.
func odbcManyCredentials(n int) string {
	var fields strings.Builder
	for i := range n {
		fmt.Fprintf(&fields, "            Secret%d = credential[Password],\n", i)
	}
	return `[Version = "1.0.0"]
section Warehouse;

[DataSource.Kind = "Warehouse", Publish = "Warehouse.Publish"]
shared Warehouse.Database = (server as text) as table =>
    let
        credential = Extension.CurrentCredential(),
        connection = [
            Driver = "Warehouse ODBC Driver",
` + fields.String() + `            Server = server
        ],
        source = Odbc.DataSource(connection, [HierarchicalNavigation = true])
    in
        source;

Warehouse = [Authentication = [UsernamePassword = []]];
Warehouse.Publish = [Beta = true, Category = "Database", ButtonText = {"Warehouse", "Warehouse data"}];
`
}

// TestFixStopsWithFixesLeft: when --fix reaches its pass limit before the
// fixpoint, it says how many fixes it applied and how many are left, and
// the count is true: the next --fix applies exactly those and reaches the
// fixpoint, and a third applies nothing.
func TestFixStopsWithFixesLeft(t *testing.T) {
	const fields = maxFixPasses + 2
	dir := openTree(t, map[string]string{"Warehouse.pq": odbcManyCredentials(fields)})
	main := filepath.Join(dir, "Warehouse.pq")

	_, stderr, _ := pqlsWithin(t, "check", "--fix", dir)
	want := fmt.Sprintf("pqls check: applied %d fixes in 1 file\npqls check: stopped after %d passes with 2 fixes left; run pqls check --fix again\n", maxFixPasses, maxFixPasses)
	if stderr != want {
		t.Fatalf("first --fix said:\n%s\nwant:\n%s", stderr, want)
	}
	if got := strings.Count(readString(t, main), "= credential[Password]"); got != fields {
		t.Fatalf("after the first --fix the file has %d credential fields, want all %d (moved, not lost)", got, fields)
	}

	_, stderr, _ = pqlsWithin(t, "check", "--fix", dir)
	if want := "pqls check: applied 2 fixes in 1 file\n"; stderr != want {
		t.Errorf("second --fix said %q, want %q", stderr, want)
	}
	stdout, stderr, _ := pqlsWithin(t, "check", "--fix", dir)
	if stderr != "" || strings.Contains(stdout, "PQC043") {
		t.Errorf("third --fix: stderr %q, PQC043 left in:\n%s", stderr, stdout)
	}
	src := readString(t, main)
	if i := strings.Index(src, "CredentialConnectionString"); i < 0 || strings.Count(src[i:], "= credential[Password]") != fields {
		t.Errorf("the %d credential fields did not all end in CredentialConnectionString:\n%s", fields, src)
	}
}

// TestFixMessageCounts: one fix in one file is said in the singular.
func TestFixMessageCounts(t *testing.T) {
	dir := openTree(t, map[string]string{"Warehouse.pq": odbcManyCredentials(1)})
	if _, stderr, _ := pqlsWithin(t, "check", "--fix", dir); stderr != "pqls check: applied 1 fix in 1 file\n" {
		t.Errorf("--fix said %q", stderr)
	}
}
