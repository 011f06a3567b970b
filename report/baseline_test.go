package report

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pqls/pqls/analysis"
)

// find returns a diagnostic with the code at the n-th occurrence of sub.
func find(t *testing.T, path, src, sub, code string, n int) analysis.Diagnostic {
	t.Helper()
	off := -1
	for i := 0; i <= n; i++ {
		j := strings.Index(src[off+1:], sub)
		if j < 0 {
			t.Fatalf("occurrence %d of %q not in source", n, sub)
		}
		off += 1 + j
	}
	return analysis.Diagnostic{Path: path, Start: off, End: off + len(sub), Code: code, Severity: analysis.Error, Message: code + " at " + sub}
}

func TestBaseline(t *testing.T) {
	dir := filepath.FromSlash("/work/repo")
	path := filepath.Join(dir, "Contoso", "Contoso.pq")
	old := "section Contoso;\n" +
		"A = Web.Contents(\"http://a\" & key & key);\n" +
		"B = 1;\n"
	oldFile := File{Path: path, Src: []byte(old), Diagnostics: []analysis.Diagnostic{
		find(t, path, old, "key", "PQC030", 0),
		find(t, path, old, "key", "PQC030", 1),
		find(t, path, old, `"http://a"`, "PQC033", 0),
	}}
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, dir, []File{oldFile}); err != nil {
		t.Fatal(err)
	}
	var written baselineFile
	if err := json.Unmarshal(buf.Bytes(), &written); err != nil {
		t.Fatal(err)
	}
	for _, f := range written.Findings {
		if f.Path != "Contoso/Contoso.pq" {
			t.Errorf("recorded path %q, want it relative to the baseline", f.Path)
		}
	}
	b, err := ReadBaseline(bytes.NewReader(buf.Bytes()), dir)
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 3 {
		t.Errorf("Len = %d, want 3", b.Len())
	}

	// Later: lines were added above, the line was re-indented, one more
	// credential was added to the same line, and a new line has a finding.
	now := "// header\nsection Contoso;\n\n" +
		"    A  =  Web.Contents(\"http://a\" & key & key & key);\n" +
		"B = 1;\nC = Web.Contents(\"http://c\");\n"
	nowFile := File{Path: path, Src: []byte(now), Diagnostics: []analysis.Diagnostic{
		find(t, path, now, "key", "PQC030", 0),
		find(t, path, now, "key", "PQC030", 1),
		find(t, path, now, "key", "PQC030", 2),
		find(t, path, now, `"http://a"`, "PQC033", 0),
		find(t, path, now, `"http://c"`, "PQC033", 0),
	}}
	got := b.Filter([]File{nowFile})
	if len(got) != 1 {
		t.Fatalf("Filter returned %d files", len(got))
	}
	var left []string
	for _, d := range got[0].Diagnostics {
		left = append(left, d.Code+"@"+now[d.Start:d.End])
	}
	// The line changed, so its findings are new: whitespace alone would not
	// have mattered, but the third key did. Only the untouched line's
	// finding would be hidden; here every finding on line A is new.
	want := []string{"PQC030@key", "PQC030@key", "PQC030@key", "PQC033@\"http://a\"", "PQC033@\"http://c\""}
	if strings.Join(left, " ") != strings.Join(want, " ") {
		t.Errorf("left %q, want %q", left, want)
	}
	if len(nowFile.Diagnostics) != 5 {
		t.Error("Filter modified its input")
	}
}

func TestBaselineSurvivesMovesAndWhitespace(t *testing.T) {
	dir := "repo"
	path := filepath.Join(dir, "X.pq")
	old := "section X;\nA = Web.Contents(\"http://a\" & key & key);\nB = 2;\n"
	now := "section X;\n\n\n// moved down\nB = 2;\n\tA = Web.Contents(\"http://a\"  &  key & key);\n"
	mk := func(src string) File {
		return File{Path: path, Src: []byte(src), Diagnostics: []analysis.Diagnostic{
			find(t, path, src, "key", "PQC030", 0),
			find(t, path, src, "key", "PQC030", 1),
		}}
	}
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, dir, []File{mk(old)}); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBaseline(&buf, dir)
	if err != nil {
		t.Fatal(err)
	}
	nowFile := mk(now)
	// A third finding on the same line is not hidden: each recorded
	// finding hides one.
	nowFile.Diagnostics = append(nowFile.Diagnostics, find(t, path, now, "Web", "PQC030", 0))
	got := b.Filter([]File{nowFile})
	if n := len(got[0].Diagnostics); n != 1 || got[0].Diagnostics[0].Start != strings.Index(now, "Web") {
		t.Errorf("left %+v, want only the new finding", got[0].Diagnostics)
	}
}

func TestReadBaselineErrors(t *testing.T) {
	tests := map[string]string{
		"not json":      "{",
		"wrong version": `{"version": 2, "findings": []}`,
		"unknown field": `{"version": 1, "findings": [], "extra": 1}`,
		"empty finding": `{"version": 1, "findings": [{"path": "a"}]}`,
	}
	for name, in := range tests {
		if _, err := ReadBaseline(strings.NewReader(in), "."); err == nil || !strings.HasPrefix(err.Error(), "read baseline") {
			t.Errorf("%s: error %v", name, err)
		}
	}
}
