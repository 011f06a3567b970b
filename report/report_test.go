package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pqls/pqls/analysis"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// The sample: a connector with a CRLF line holding an emoji before a
// finding, so that UTF-16 columns differ from byte and rune columns, and a
// fix that edits a second file.
const (
	mainSrc = "[Version = \"1.0.0\"]\r\nsection Contoso;\r\n" +
		"Key = \"😀\" & Extension.CurrentCredential()[Key];\r\n" +
		"Url = \"http://contoso.example\";\r\n" +
		"Broken = ;\r\n"
	resxSrc = "<root>\n  <data name=\"Url\"><value>https://contoso.example</value></data>\n</root>\n"
)

func offset(t *testing.T, src, sub string) int {
	t.Helper()
	i := strings.Index(src, sub)
	if i < 0 {
		t.Fatalf("%q not in source", sub)
	}
	return i
}

func sample(t *testing.T) ([]File, []*analysis.Analyzer) {
	t.Helper()
	main, resx := "Contoso/Contoso.pq", "Contoso/resources.resx"
	cred := offset(t, mainSrc, "Extension.CurrentCredential()[Key]")
	url := offset(t, mainSrc, `"http://`)
	broken := offset(t, mainSrc, "Broken = ;") + len("Broken = ")
	value := offset(t, resxSrc, "https://")
	files := []File{
		{Path: main, Src: []byte(mainSrc), Diagnostics: []analysis.Diagnostic{
			{
				Path: main, Start: cred, End: cred + len("Extension.CurrentCredential()[Key]"),
				Severity: analysis.Error, Code: "PQC030",
				Message: "The key goes into a GET query string; pass it in CredentialQuery.",
				Related: []analysis.Related{{Path: main, Start: cred, End: cred + 29, Message: "the credential comes from here"}},
			},
			{
				Path: main, Start: url, End: url + len(`"http://contoso.example"`),
				Severity: analysis.Warning, Code: "PQC033",
				Message: "Data is fetched over plain HTTP.\nUse HTTPS.",
				Fixes: []analysis.Fix{{
					Title: "Use https://", Safe: true, Preferred: true,
					Edits: []analysis.TextEdit{
						{Path: main, Start: url + 1, End: url + 5, NewText: "https"},
						{Path: resx, Start: value, End: value, NewText: "<!-- checked -->"},
					},
				}},
			},
			{
				Path: main, Start: broken, End: broken + 1,
				Severity: analysis.Error, Code: analysis.SyntaxCode, Message: "expected an expression",
			},
		}},
		{Path: resx, Src: []byte(resxSrc), Diagnostics: []analysis.Diagnostic{
			{
				Path: resx, Start: value, End: value + len("https://contoso.example"),
				Severity: analysis.Information, Code: "PQC025",
				Message: "A URL is stored in resources.resx; keep it in the code.",
				Fixes:   []analysis.Fix{{Title: "Needs another file", Edits: []analysis.TextEdit{{Path: "elsewhere.pq", Start: 0, End: 0, NewText: "x"}}}},
			},
		}},
		{Path: "Contoso/Clean.pqm", Src: []byte("1\n")},
	}
	rules := []*analysis.Analyzer{
		{
			ID: "PQC025", Title: "URLs / values in resources.resx", Severity: analysis.Warning,
			Doc: "Strings for people belong in resources.resx; URLs do not.", HelpURI: "https://learn.microsoft.com/power-query/",
		},
		{
			ID: "PQC030", Title: "Credential in a GET query string", Severity: analysis.Error,
			Doc:     "A credential in a URL ends up in logs and caches.",
			HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
			Bad:     `Web.Contents(url, [Query = [key = Extension.CurrentCredential()[Key]]])`,
			Good:    `Web.Contents(url, [CredentialQuery = [key = Extension.CurrentCredential()[Key]]])`,
		},
		{ID: "PQC033", Title: "Hardcoded http:// data access", Severity: analysis.Warning, Doc: "Use HTTPS."},
	}
	return files, rules
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestGolden(t *testing.T) {
	files, rules := sample(t)
	for _, tt := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"text.golden", func(b *bytes.Buffer) error { return Text(b, files) }},
		{"json.golden", func(b *bytes.Buffer) error { return JSON(b, files) }},
		{"sarif.golden", func(b *bytes.Buffer) error { return SARIF(b, files, rules) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, b.Bytes())
		})
	}
}

func TestTextColumns(t *testing.T) {
	files, _ := sample(t)
	var b bytes.Buffer
	if err := Text(&b, files); err != nil {
		t.Fatal(err)
	}
	// Line 3 is `Key = "😀" & Extension…`: the credential starts after 13
	// UTF-16 units (the emoji counts two; in runes it would be 12), so in
	// column 14.
	want := "Contoso/Contoso.pq:3:14: error PQC030 The key goes into a GET query string; pass it in CredentialQuery.\n" +
		"\tContoso/Contoso.pq:3:14: the credential comes from here\n" +
		"Contoso/Contoso.pq:4:7: warning PQC033 [*] Data is fetched over plain HTTP. Use HTTPS.\n"
	if !strings.HasPrefix(b.String(), want) {
		t.Errorf("Text =\n%s\nwant prefix\n%s", b.String(), want)
	}
}

func TestJSONShape(t *testing.T) {
	files, _ := sample(t)
	var b bytes.Buffer
	if err := JSON(&b, files); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Files []struct {
			Path        string
			Diagnostics []struct {
				Range    lsRange
				Severity string
				Code     string
				Message  string
				HelpURI  string
				Related  []struct {
					Path    string
					Range   lsRange
					Message string
				}
				Fixes []struct {
					Title string
					Safe  bool
					Edits []map[string]json.RawMessage
				}
			}
		}
	}
	dec := json.NewDecoder(&b)
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got.Files) != 2 {
		t.Fatalf("%d files, want 2 (a file without findings is left out)", len(got.Files))
	}
	d := got.Files[0].Diagnostics[0]
	if d.Range.Start != (lsPosition{2, 13}) || d.Severity != "error" || d.Code != "PQC030" {
		t.Errorf("first diagnostic = %+v", d)
	}
	if want := RuleURL("PQC030"); d.HelpURI != want {
		t.Errorf("helpUri %q, want the rule's page %q", d.HelpURI, want)
	}
	if len(d.Related) != 1 || d.Related[0].Path != "Contoso/Contoso.pq" || d.Related[0].Range.Start != (lsPosition{2, 13}) ||
		d.Related[0].Message != "the credential comes from here" {
		t.Errorf("related = %+v", d.Related)
	}
	fix := got.Files[0].Diagnostics[1].Fixes[0]
	if !fix.Safe {
		t.Errorf("the safe fix is not marked safe")
	}
	if _, ok := fix.Edits[0]["path"]; ok {
		t.Errorf("edit of the finding's own file has a path: %s", fix.Edits[0]["path"])
	}
	if p := string(fix.Edits[1]["path"]); p != `"Contoso/resources.resx"` {
		t.Errorf("edit of another file has path %s", p)
	}
	// The fix into a file whose text is unknown is dropped, not misplaced.
	if n := len(got.Files[1].Diagnostics[0].Fixes); n != 0 {
		t.Errorf("fix into an unknown file kept: %d fixes", n)
	}
}

func TestJSONEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, nil); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(strings.Fields(b.String()), ""); got != `{"files":[]}` {
		t.Errorf("JSON(nil) = %s", got)
	}
}

// TestSARIFStructure checks what GitHub code scanning requires of an
// upload, property by property.
func TestSARIFStructure(t *testing.T) {
	files, rules := sample(t)
	var b bytes.Buffer
	if err := SARIF(&b, files, rules); err != nil {
		t.Fatal(err)
	}
	var log map[string]any
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	get := func(v any, path ...string) any {
		for _, k := range path {
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		}
		return v
	}
	str := func(v any, path ...string) string { s, _ := get(v, path...).(string); return s }
	num := func(v any, path ...string) float64 { n, _ := get(v, path...).(float64); return n }
	list := func(v any, path ...string) []any { l, _ := get(v, path...).([]any); return l }
	levels := map[string]bool{"error": true, "warning": true, "note": true, "none": true}

	if str(log, "version") != "2.1.0" || !strings.Contains(str(log, "$schema"), "sarif") {
		t.Errorf("version %q, $schema %q", str(log, "version"), str(log, "$schema"))
	}
	runs := list(log, "runs")
	if len(runs) != 1 {
		t.Fatalf("%d runs, want 1", len(runs))
	}
	run := runs[0]
	if str(run, "tool", "driver", "name") != "pqls" || str(run, "tool", "driver", "informationUri") == "" {
		t.Errorf("driver = %v", get(run, "tool", "driver"))
	}
	ruleList := list(run, "tool", "driver", "rules")
	ids := map[string]int{}
	for i, r := range ruleList {
		id := str(r, "id")
		if _, dup := ids[id]; dup || id == "" {
			t.Errorf("rule %d: id %q missing or repeated", i, id)
		}
		ids[id] = i
		if str(r, "name") == "" || strings.ContainsAny(str(r, "name"), " /") {
			t.Errorf("rule %s: name %q", id, str(r, "name"))
		}
		if str(r, "shortDescription", "text") == "" || str(r, "fullDescription", "text") == "" {
			t.Errorf("rule %s: descriptions missing", id)
		}
		if !levels[str(r, "defaultConfiguration", "level")] {
			t.Errorf("rule %s: level %q", id, str(r, "defaultConfiguration", "level"))
		}
	}
	if _, ok := ids[analysis.SyntaxCode]; !ok {
		t.Error("no rule entry for syntax errors")
	}
	results := list(run, "results")
	if len(results) != 4 {
		t.Errorf("%d results, want 4", len(results))
	}
	fingerprints := map[string]bool{}
	for i, r := range results {
		id := str(r, "ruleId")
		if idx, ok := ids[id]; !ok || int(num(r, "ruleIndex")) != idx {
			t.Errorf("result %d: ruleId %q, ruleIndex %v", i, id, get(r, "ruleIndex"))
		}
		if !levels[str(r, "level")] || str(r, "message", "text") == "" {
			t.Errorf("result %d: level %q, message %q", i, str(r, "level"), str(r, "message", "text"))
		}
		locs := list(r, "locations")
		if len(locs) != 1 {
			t.Fatalf("result %d: %d locations", i, len(locs))
		}
		pl := get(locs[0], "physicalLocation")
		if uri := str(pl, "artifactLocation", "uri"); uri == "" || strings.HasPrefix(uri, "/") || str(pl, "artifactLocation", "uriBaseId") != "%SRCROOT%" {
			t.Errorf("result %d: artifactLocation %v", i, get(pl, "artifactLocation"))
		}
		sl, sc, el, ec := num(pl, "region", "startLine"), num(pl, "region", "startColumn"), num(pl, "region", "endLine"), num(pl, "region", "endColumn")
		if sl < 1 || sc < 1 || el < sl || el == sl && ec < sc {
			t.Errorf("result %d: region %v", i, get(pl, "region"))
		}
		fp := str(r, "partialFingerprints", FingerprintKey)
		if fp == "" || fingerprints[fp] {
			t.Errorf("result %d: fingerprint %q missing or repeated", i, fp)
		}
		fingerprints[fp] = true
		for _, fix := range list(r, "fixes") {
			if str(fix, "description", "text") == "" {
				t.Errorf("result %d: fix without description", i)
			}
			for _, ch := range list(fix, "artifactChanges") {
				if str(ch, "artifactLocation", "uri") == "" || len(list(ch, "replacements")) == 0 {
					t.Errorf("result %d: artifact change %v", i, ch)
				}
				for _, rep := range list(ch, "replacements") {
					if num(rep, "deletedRegion", "startLine") < 1 || get(rep, "insertedContent", "text") == nil {
						t.Errorf("result %d: replacement %v", i, rep)
					}
				}
			}
		}
	}
	if l := str(results[3], "level"); l != "note" {
		t.Errorf("information finding has level %q, want note", l)
	}
}

func TestArtifact(t *testing.T) {
	tests := []struct {
		path string
		want sarifArtifact
	}{
		{"Contoso/Contoso.pq", sarifArtifact{"Contoso/Contoso.pq", "%SRCROOT%"}},
		{"My Connector/a#b.pq", sarifArtifact{"My%20Connector/a%23b.pq", "%SRCROOT%"}},
		{"bin/Foo.mez/Foo.m", sarifArtifact{"bin/Foo.mez/Foo.m", "%SRCROOT%"}},
		{"/abs/x y.pq", sarifArtifact{"file:///abs/x%20y.pq", ""}},
	}
	for _, tt := range tests {
		if got := artifact(filepath.FromSlash(tt.path)); got != tt.want {
			t.Errorf("artifact(%q) = %+v, want %+v", tt.path, got, tt.want)
		}
	}
}

func TestSummary(t *testing.T) {
	d := func(sev analysis.Severity, fixes ...analysis.Fix) analysis.Diagnostic {
		return analysis.Diagnostic{Severity: sev, Code: "PQC001", Fixes: fixes}
	}
	safe := analysis.Fix{Title: "safe", Safe: true}
	unsafe := analysis.Fix{Title: "unsafe"}
	tests := []struct {
		name  string
		diags []analysis.Diagnostic
		want  string
	}{
		{"none", nil, "no findings"},
		{"one", []analysis.Diagnostic{d(analysis.Error)}, "1 finding: 1 error"},
		{"mixed", []analysis.Diagnostic{d(analysis.Error), d(analysis.Warning, safe), d(analysis.Warning, unsafe, safe), d(analysis.Hint, safe), d(analysis.Information)},
			"5 findings: 1 error, 2 warnings, 1 information, 1 hint; 2 fixable with --fix"},
		// Only a safe first fix counts: --fix applies nothing else.
		{"unsafe only", []analysis.Diagnostic{d(analysis.Warning, unsafe)}, "1 finding: 1 warning"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summarize([]File{{Path: "a.pq", Diagnostics: tt.diags}}).String()
			if got != tt.want {
				t.Errorf("summary %q, want %q", got, tt.want)
			}
		})
	}
}
