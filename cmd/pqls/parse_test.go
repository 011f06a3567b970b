package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runParseIn runs `pqls parse` in-process.
func runParseIn(args ...string) (stdout, stderr string, status int) {
	var out, errOut bytes.Buffer
	status = runParse(args, &out, &errOut)
	return out.String(), errOut.String(), status
}

func writeFile(t *testing.T, dir, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParseCommandClean(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.pq", []byte("section S;\nshared A = 1;\n"))
	out, errOut, status := runParseIn(good)
	if status != 0 || out != "" || errOut != "" {
		t.Errorf("clean file: status %d, stdout %q, stderr %q", status, out, errOut)
	}
	// Through the subcommand dispatch too.
	if _, _, status := pqls(t, "parse", good); status != 0 {
		t.Errorf("pqls parse good.pq: status %d", status)
	}
}

func TestParseCommandErrors(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.pq", []byte("section S;\nA = let x = 1;\nB = {1, 2;\n"))
	good := writeFile(t, dir, "good.pqm", []byte("let x = 1 in x"))
	out, errOut, status := runParseIn(good, bad)
	if status != 1 {
		t.Errorf("status %d, want 1", status)
	}
	want := bad + ":2:14: `let` at 2:5 has no `in`\n" +
		bad + ":3:10: list `{` at 3:5 has no matching `}`\n"
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	if errOut != "" {
		t.Errorf("stderr %q", errOut)
	}
}

// TestParseCommandColumns checks the columns of a file with a byte order
// mark, CR LF line ends and non-ASCII text before the error: 1-based UTF-16
// columns in text, 0-based in JSON.
func TestParseCommandColumns(t *testing.T) {
	dir := t.TempDir()
	// Line 2: G r ü ß e ␠ = ␠ " 😀(2 units) " ␠ + ␠ ; -> the ; is unit 15, column 16.
	src := []byte("\ufeffsection Bad;\r\nGrüße = \"😀\" + ;\r\nNext = 1;\r\n")
	p := writeFile(t, dir, "bom.pq", src)
	out, _, status := runParseIn(p)
	if want := p + ":2:16: expected an expression, found `;`\n"; out != want || status != 1 {
		t.Errorf("got %q status %d, want %q", out, status, want)
	}

	out, _, status = runParseIn("--json", p)
	if status != 1 {
		t.Errorf("--json status %d", status)
	}
	var got parseJSONOutput
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("invalid JSON %q: %v", out, err)
	}
	if len(got.Files) != 1 || len(got.Files[0].Errors) != 1 {
		t.Fatalf("JSON %s", out)
	}
	e := got.Files[0].Errors[0]
	if e.Range.Start != (parseJSONPosition{Line: 1, Character: 15}) || e.Range.End != (parseJSONPosition{Line: 1, Character: 16}) {
		t.Errorf("range %+v, want 1:15-1:16", e.Range)
	}
	if !strings.Contains(e.Message, "expected an expression") {
		t.Errorf("message %q", e.Message)
	}
}

// TestParseCommandNonASCII checks a line with astral characters before the
// error, where byte, rune and UTF-16 columns all differ.
func TestParseCommandNonASCII(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "emoji.pq", []byte("let\n\ttext = \"😀😀\" & $\nin text"))
	out, _, status := runParseIn(p)
	// tab(1) text(2-5) ␠(6) =(7) ␠(8) "(9) 😀(10-11) 😀(12-13) "(14) ␠(15) &(16) ␠(17) $(18)
	if want := p + ":2:18: unexpected character '$'\n"; out != want || status != 1 {
		t.Errorf("got %q status %d, want %q", out, status, want)
	}
}

func TestParseCommandJSON(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.pq", []byte("1 + 1"))
	bad := writeFile(t, dir, "bad.pq", []byte("1 +"))
	out, errOut, status := runParseIn("--json", good, bad)
	if status != 1 || errOut != "" {
		t.Errorf("status %d, stderr %q", status, errOut)
	}
	// "errors":[] for a clean file, never null.
	if !strings.Contains(out, `"errors":[]`) {
		t.Errorf("want \"errors\":[] for the clean file in %s", out)
	}
	var raw map[string][]map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, out)
	}
	files := raw["files"]
	if len(files) != 2 || files[0]["path"] != good || files[1]["path"] != bad {
		t.Fatalf("files %v", files)
	}
	errs := files[1]["errors"].([]any)
	if len(errs) != 1 {
		t.Fatalf("errors %v", errs)
	}
	e := errs[0].(map[string]any)
	start := e["range"].(map[string]any)["start"].(map[string]any)
	if start["line"] != 0.0 || start["character"] != 3.0 {
		t.Errorf("start %v, want line 0 character 3", start)
	}
	if _, ok := files[0]["ast"]; ok {
		t.Errorf("no ast without --ast")
	}

	// Flags may follow the files; --ast adds the tree.
	out, _, status = runParseIn(good, "--json", "--ast")
	var withAST parseJSONOutput
	if err := json.Unmarshal([]byte(out), &withAST); err != nil || status != 0 {
		t.Fatalf("status %d, %v: %s", status, err, out)
	}
	if withAST.Files[0].AST == nil || !strings.Contains(*withAST.Files[0].AST, "BinaryExpr") {
		t.Errorf("ast missing: %s", out)
	}
}

func TestParseCommandAST(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "a.pq", []byte("f(1,"))
	out, _, status := runParseIn("--ast", p)
	if status != 1 {
		t.Errorf("status %d", status)
	}
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], p+":1:5: ") {
		t.Errorf("errors come first: %q", out)
	}
	if !strings.Contains(out, "InvokeExpr [0,4)") || !strings.Contains(out, "Literal [2,3)") {
		t.Errorf("tree missing:\n%s", out)
	}
}

func TestParseCommandUsage(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.pq", []byte("1"))
	for _, tc := range []struct {
		args   []string
		status int
		stderr string
	}{
		{nil, 2, "no files given"},
		{[]string{"--bogus", good}, 2, "flag provided but not defined"},
		{[]string{filepath.Join(dir, "missing.pq")}, 2, "missing.pq"},
		{[]string{good, filepath.Join(dir, "missing.pq")}, 2, "no such file"},
		{[]string{dir}, 2, "is a directory"},
	} {
		_, errOut, status := runParseIn(tc.args...)
		if status != tc.status || !strings.Contains(errOut, tc.stderr) {
			t.Errorf("%q: status %d stderr %q, want %d and %q", tc.args, status, errOut, tc.status, tc.stderr)
		}
	}
	_, help, status := runParseIn("-h")
	if status != 0 || !strings.Contains(help, "UTF-16") || !strings.Contains(help, "-json") || !strings.Contains(help, "-ast") {
		t.Errorf("-h: status %d\n%s", status, help)
	}
}
