package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFmtCommand(t *testing.T) {
	const messy = "section S;\nshared A=[x=1,y=2];\n"
	const tidy = "section S;\n\nshared A = [x = 1, y = 2];\n"
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"S.pq":                messy,
		"sub/Done.pqm":        "let\n    a = 1\nin\n    a\n",
		"node_modules/x/N.pq": "a=1",
	})
	file := filepath.Join(dir, "S.pq")

	// One file: the text on stdout, the file untouched.
	out, errOut, status := pqls(t, "fmt", file)
	if status != 0 || out != tidy || errOut != "" {
		t.Errorf("pqls fmt S.pq: status %d, stdout %q, stderr %q", status, out, errOut)
	}

	// --check lists what would change (node_modules skipped) and exits 1.
	out, _, status = pqls(t, "fmt", "--check", dir)
	if status != 1 || strings.TrimSpace(out) != file {
		t.Errorf("--check: status %d, stdout %q; want 1 and %s", status, out, file)
	}

	// --diff: a unified diff.
	out, _, status = pqls(t, "fmt", "--diff", file)
	if status != 0 || !strings.Contains(out, "-shared A=[x=1,y=2];") || !strings.Contains(out, "+shared A = [x = 1, y = 2];") {
		t.Errorf("--diff: status %d, stdout:\n%s", status, out)
	}

	// pqls.json sets the layout.
	writeTree(t, dir, map[string]string{"pqls.json": `{"format": {"lineWidth": 20, "indent": "tab"}}`})
	out, _, _ = pqls(t, "fmt", file)
	if want := "section S;\n\nshared A = [\n\tx = 1,\n\ty = 2\n];\n"; out != want {
		t.Errorf("with pqls.json: %q, want %q", out, want)
	}
	os.Remove(filepath.Join(dir, "pqls.json"))

	// -w writes; then --check is content.
	if _, errOut, status := pqls(t, "fmt", "-w", dir); status != 0 {
		t.Fatalf("-w: status %d, %s", status, errOut)
	}
	if b, _ := os.ReadFile(file); string(b) != tidy {
		t.Errorf("after -w: %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "node_modules/x/N.pq")); string(b) != "a=1" {
		t.Errorf("node_modules was formatted: %q", b)
	}
	if out, _, status := pqls(t, "fmt", "--check", dir); status != 0 || out != "" {
		t.Errorf("--check after -w: status %d, %q", status, out)
	}

	// Usage and I/O errors: 2.
	if _, _, status := pqls(t, "fmt"); status != 2 {
		t.Errorf("no paths: status %d, want 2", status)
	}
	if _, errOut, status := pqls(t, "fmt", filepath.Join(dir, "missing.pq")); status != 2 || errOut == "" {
		t.Errorf("missing file: status %d, stderr %q", status, errOut)
	}
}
