package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pqls/pqls/project"
)

// A connector whose button text is written in the code, with a
// resources.resx (CRLF, as Visual Studio writes it) and a German variant.
var resxProject = map[string]string{
	"Tailspin.pq": "[Version = \"1.0.0\"]\nsection Tailspin;\n\n" +
		"[DataSource.Kind = \"Tailspin\", Publish = \"Tailspin.Publish\"]\n" +
		"shared Tailspin.Contents = () => #table({\"a\"}, {{1}});\n\n" +
		"Tailspin = [Authentication = [Anonymous = []], Label = Extension.LoadString(\"DataSourceLabel\")];\n\n" +
		"Tailspin.Publish = [\n    Beta = true,\n    Category = \"Other\",\n" +
		"    ButtonText = {\"Tailspin & Co\", \"Connect to <Tailspin>\"}\n];\n",
	"resources.resx": "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<root>\r\n" +
		"  <data name=\"DataSourceLabel\" xml:space=\"preserve\">\r\n    <value>Tailspin</value>\r\n  </data>\r\n</root>\r\n",
	"resources.de-DE.resx": "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<root>\n" +
		"  <data name=\"DataSourceLabel\" xml:space=\"preserve\">\n    <value>Tailspin DE</value>\n  </data>\n</root>\n",
}

// --fix moves hard-coded text into resources.resx: the code reads the new
// keys, the resx holds the same text and stays well-formed, the culture
// variant is left alone, and a second check has nothing left to say.
func TestFixMovesTextToResx(t *testing.T) {
	dir := openTree(t, resxProject)
	_, stderr, _ := pqlsWithin(t, "check", "--fix", dir)
	if !strings.Contains(stderr, "applied") {
		t.Fatalf("nothing applied: %s", stderr)
	}
	code := readString(t, filepath.Join(dir, "Tailspin.pq"))
	if !strings.Contains(code, `ButtonText = {Extension.LoadString("ButtonTitle"), Extension.LoadString("ButtonHelp")}`) {
		t.Errorf("the code does not read the new keys:\n%s", code)
	}
	if got := readString(t, filepath.Join(dir, "resources.de-DE.resx")); got != resxProject["resources.de-DE.resx"] {
		t.Errorf("the culture variant was changed:\n%s", got)
	}
	p, err := project.Load(project.OS(), dir)
	must(t, err)
	if len(p.Problems) > 0 {
		t.Fatalf("resources.resx after --fix: %v\n%s", p.Problems[0].Err, p.ResxText)
	}
	if p.Resources["ButtonTitle"] != "Tailspin & Co" || p.Resources["ButtonHelp"] != "Connect to <Tailspin>" {
		t.Errorf("resx strings after --fix: %q", p.Resources)
	}
	if n := strings.Count(string(p.ResxText), "\n"); n != strings.Count(string(p.ResxText), "\r\n") {
		t.Errorf("resources.resx has mixed line endings:\n%q", p.ResxText)
	}
	if stdout, _, _ := pqlsWithin(t, "check", dir); strings.Contains(stdout, "PQC024") || strings.Contains(stdout, "PQC026") {
		t.Errorf("findings left after --fix:\n%s", stdout)
	}
}

// A fix that edits two files is applied whole or not at all: with
// resources.resx read-only, the code is not changed either (it would read
// keys that do not exist).
func TestFixNeedsEveryFileWritable(t *testing.T) {
	dir := openTree(t, resxProject)
	must(t, os.Chmod(filepath.Join(dir, "resources.resx"), 0o444))
	_, stderr, _ := pqlsWithin(t, "check", "--fix", dir)
	if !strings.Contains(stderr, "read-only; not written") {
		t.Errorf("the read-only resx is not reported: %s", stderr)
	}
	if got := readString(t, filepath.Join(dir, "Tailspin.pq")); got != resxProject["Tailspin.pq"] {
		t.Errorf("the code was changed without its resx:\n%s", got)
	}
}
