package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules"
	"github.com/pqls/pqls/report"
)

// pqls runs the command line in-process.
func pqls(t *testing.T, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	var out, errOut bytes.Buffer
	status = run(args, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), status
}

// writeTree writes files, by slash-separated path relative to dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A connector with one syntax error, on line 3.
const brokenConnector = "[Version = \"1.0.0\"]\nsection Broken;\nshared Broken.Contents = ;\n"

func TestUsage(t *testing.T) {
	tests := []struct {
		args   []string
		status int
		stdout string // a part of stdout, or "" for none at all
		stderr string // a part of stderr
	}{
		{nil, 2, "", "Usage:"},
		{[]string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{[]string{"chekc"}, 2, "", "Did you mean 'pqls check'?"},
		{[]string{"rule"}, 2, "", "Did you mean 'pqls rules'?"},
		{[]string{"exp"}, 2, "", "Did you mean 'pqls explain'?"},
		{[]string{"version"}, 0, "go:     go1.", ""},
		{[]string{"help"}, 0, "pqls check", ""},
		{[]string{"--help"}, 0, "pqls serve", ""},
		{[]string{"help", "check"}, 0, "-fail-on", ""},
		{[]string{"help", "nope"}, 2, "", "unknown command"},
		{[]string{"version"}, 0, "pqls ", ""},
		{[]string{"--version"}, 0, "pqls ", ""},
		{[]string{"version", "extra"}, 2, "", "usage: pqls version"},
		{[]string{"check", "-h"}, 0, "", "usage: pqls check"},
		{[]string{"check", "--bogus", "."}, 2, "", "flag provided but not defined: -bogus"},
		{[]string{"check", "--format", "xml", "."}, 2, "", `unknown format "xml"`},
		{[]string{"check", "--fail-on", "fatal", "."}, 2, "", "--fail-on"},
		{[]string{"check", "--baseline", "b.json", "--write-baseline", "b.json", "."}, 2, "", "same file"},
		{[]string{"rules", "--format", "yaml"}, 2, "", `unknown format "yaml"`},
		{[]string{"rules", "extra"}, 2, "", "unexpected arguments"},
		{[]string{"explain"}, 2, "", "want one rule ID"},
		{[]string{"explain", "PQC999"}, 2, "", `unknown rule "PQC999"`},
		// Nothing but the protocol may reach stdout from serve, not even
		// usage errors.
		{[]string{"serve", "--log-level", "loud"}, 2, "", "unknown log level"},
		{[]string{"serve", "extra"}, 2, "", "unexpected arguments"},
		{[]string{"serve", "-h"}, 0, "", "usage: pqls serve"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			stdout, stderr, status := pqls(t, tt.args...)
			if status != tt.status {
				t.Errorf("status %d, want %d\nstderr: %s", status, tt.status, stderr)
			}
			if tt.stdout == "" && stdout != "" || !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout = %q, want %q", stdout, tt.stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr = %q, want %q", stderr, tt.stderr)
			}
		})
	}
}

func TestCheckMissingPath(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	_, stderr, status := pqls(t, "check", missing)
	if status != 2 || !strings.Contains(stderr, missing) {
		t.Errorf("status %d, stderr %q", status, stderr)
	}
	_, stderr, status = pqls(t, "check", t.TempDir())
	if status != 2 || !strings.Contains(stderr, "no connector project") || !strings.Contains(stderr, ".mproj") {
		t.Errorf("empty folder: status %d, stderr %q", status, stderr)
	}
}

// Needs the parser: the finding is a syntax error.
func TestCheckFormats(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"Broken/Broken.pq": brokenConnector})
	t.Chdir(dir)

	stdout, stderr, status := pqls(t, "check", "Broken")
	if status != 1 {
		t.Errorf("text: status %d, want 1; stderr %s", status, stderr)
	}
	textLine := regexp.MustCompile(`(?m)^Broken/Broken\.pq:(\d+):(\d+): error syntax \S.*$`)
	m := textLine.FindStringSubmatch(stdout)
	if m == nil || m[1] != "3" {
		t.Fatalf("text output lacks the syntax error on line 3:\n%s", stdout)
	}

	// Flags may follow the paths.
	stdout, _, status = pqls(t, "check", "Broken", "--format", "json")
	if status != 1 {
		t.Errorf("json: status %d, want 1", status)
	}
	var js struct {
		Files []struct {
			Path        string
			Diagnostics []struct {
				Range struct {
					Start struct{ Line, Character int }
				}
				Severity, Code string
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &js); err != nil {
		t.Fatalf("json output: %v\n%s", err, stdout)
	}
	found := false
	for _, f := range js.Files {
		for _, d := range f.Diagnostics {
			if d.Code == analysis.SyntaxCode && f.Path == filepath.Join("Broken", "Broken.pq") {
				found = true
				// JSON is 0-based where text is 1-based.
				if got := []string{strconv.Itoa(d.Range.Start.Line + 1), strconv.Itoa(d.Range.Start.Character + 1)}; got[0] != m[1] || got[1] != m[2] {
					t.Errorf("json position %v, text position %v", got, m[1:])
				}
			}
		}
	}
	if !found {
		t.Errorf("json output lacks the syntax error:\n%s", stdout)
	}

	stdout, _, status = pqls(t, "check", "--format=sarif", "Broken")
	if status != 1 {
		t.Errorf("sarif: status %d, want 1", status)
	}
	var sarif struct {
		Version string
		Runs    []struct {
			Results []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &sarif); err != nil || sarif.Version != "2.1.0" || len(sarif.Runs) != 1 {
		t.Fatalf("sarif output (%v):\n%s", err, stdout)
	}
	for _, r := range sarif.Runs[0].Results {
		if r.RuleID == analysis.SyntaxCode {
			if loc := r.Locations[0].PhysicalLocation.ArtifactLocation; loc.URI != "Broken/Broken.pq" || loc.URIBaseID != "%SRCROOT%" {
				t.Errorf("sarif location %+v", loc)
			}
		}
	}
}

// TestFailOn checks that the exit status follows --fail-on for whatever the
// rules find in a sample connector: 1 exactly when a finding is at least as
// severe as the flag.
func TestFailOn(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"Contoso/Contoso.pq": "section Contoso;\n\nshared Contoso.Contents = () => Web.Contents(\"http://contoso.example\");\n",
	})
	stdout, _, _ := pqls(t, "check", "--format", "json", dir)
	var js struct {
		Files []struct {
			Diagnostics []struct{ Severity string }
		}
	}
	if err := json.Unmarshal([]byte(stdout), &js); err != nil {
		t.Fatal(err)
	}
	worst := analysis.Severity(99)
	for _, f := range js.Files {
		for _, d := range f.Diagnostics {
			s, err := analysis.ParseSeverity(d.Severity)
			if err != nil {
				t.Fatal(err)
			}
			worst = min(worst, s)
		}
	}
	for _, level := range []analysis.Severity{analysis.Error, analysis.Warning, analysis.Information, analysis.Hint} {
		want := 0
		if worst <= level {
			want = 1
		}
		if _, _, status := pqls(t, "check", "--fail-on", level.String(), dir); status != want {
			t.Errorf("--fail-on %s: status %d, want %d (worst finding %v)", level, status, want, worst)
		}
	}
}

// A test query alone, checked as a file, has nothing to report.
func TestCheckClean(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"Q/Q.query.pq": "let\n    x = 1\nin\n    x\n"})
	stdout, stderr, status := pqls(t, "check", filepath.Join(dir, "Q", "Q.query.pq"))
	if status != 0 || stdout != "" {
		t.Errorf("status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
	stdout, _, _ = pqls(t, "check", "--format", "json", filepath.Join(dir, "Q", "Q.query.pq"))
	if strings.Join(strings.Fields(stdout), "") != `{"files":[]}` {
		t.Errorf("json of nothing = %q", stdout)
	}
}

// A file argument reports that file's findings only.
func TestCheckFileArgument(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"Broken/Broken.pq":       brokenConnector,
		"Broken/Broken.query.pq": "let x = in x\n",
	})
	stdout, _, _ := pqls(t, "check", filepath.Join(dir, "Broken", "Broken.query.pq"))
	if strings.Contains(stdout, "Broken.pq:") || !strings.Contains(stdout, "Broken.query.pq:1:") {
		t.Errorf("output:\n%s", stdout)
	}
	// Both named, each once.
	stdout, _, _ = pqls(t, "check", filepath.Join(dir, "Broken", "Broken.query.pq"), filepath.Join(dir, "Broken", "Broken.pq"), filepath.Join(dir, "Broken", "Broken.pq"))
	if n := strings.Count(stdout, "Broken.pq:3:"); n != 1 {
		t.Errorf("main's syntax error reported %d times:\n%s", n, stdout)
	}
}

// TestCheckFix uses PQC002 and its safe fix.
func TestCheckFix(t *testing.T) {
	if rules.Lookup("PQC002") == nil {
		t.Fatal("PQC002 is not registered")
	}
	dir := t.TempDir()
	fixable := "section Fixable;\nshared Fixable.Contents = 1;\n"
	clean := "[Version = \"1.0.0\"]\nsection Clean;\nshared Clean.Contents = 1;\n"
	writeTree(t, dir, map[string]string{
		"Fixable/Fixable.pq": fixable,
		"Clean/Clean.pq":     clean,
	})
	fixPath := filepath.Join(dir, "Fixable", "Fixable.pq")
	cleanPath := filepath.Join(dir, "Clean", "Clean.pq")
	if err := os.Chmod(fixPath, 0o600); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(fixPath)
	if err != nil {
		t.Fatal(err)
	}
	cleanBefore, err := os.Stat(cleanPath)
	if err != nil {
		t.Fatal(err)
	}

	stdout, stderr, _ := pqls(t, "check", "--fix", dir)
	if strings.Contains(stdout, "PQC002") {
		t.Errorf("PQC002 still reported after --fix:\n%s", stdout)
	}
	if !strings.Contains(stderr, "applied") {
		t.Errorf("stderr does not tell what was fixed: %q", stderr)
	}
	got, err := os.ReadFile(fixPath)
	if err != nil {
		t.Fatal(err)
	}
	if want := "[Version = \"1.0.0\"]\n" + fixable; string(got) != want {
		t.Errorf("fixed file =\n%s\nwant\n%s", got, want)
	}
	after, err := os.Stat(fixPath)
	if err != nil {
		t.Fatal(err)
	}
	if os.SameFile(before, after) {
		t.Error("the fixed file was rewritten in place, not replaced by a rename")
	}
	if after.Mode().Perm() != 0o600 {
		t.Errorf("fixed file mode %v, want 0600", after.Mode().Perm())
	}
	cleanAfter, err := os.Stat(cleanPath)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(cleanBefore, cleanAfter) || !cleanAfter.ModTime().Equal(cleanBefore.ModTime()) {
		t.Error("a file without fixes was rewritten")
	}
	entries, err := os.ReadDir(filepath.Join(dir, "Fixable"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	// A second run has nothing left to fix.
	if _, stderr, _ := pqls(t, "check", "--fix", dir); strings.Contains(stderr, "applied") {
		t.Errorf("second --fix applied more: %q", stderr)
	}
}

// Needs the parser: the findings are syntax errors.
func TestBaselineRoundTrip(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"Broken/Broken.pq": brokenConnector})
	baseline := filepath.Join(dir, "pqls-baseline.json")

	stdout, stderr, status := pqls(t, "check", "--write-baseline", baseline, dir)
	if status != 0 || stdout != "" || !strings.Contains(stderr, "recorded") {
		t.Fatalf("write-baseline: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
	data, err := os.ReadFile(baseline)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"path": "Broken/Broken.pq"`) {
		t.Errorf("baseline paths are not relative to it:\n%s", data)
	}
	stdout, _, status = pqls(t, "check", "--baseline", baseline, dir)
	if status != 0 || stdout != "" {
		t.Errorf("with the baseline: status %d, stdout %q", status, stdout)
	}

	// Lines added above move the old error; a new error is reported alone.
	moved := "// a comment\n\n" + strings.Replace(brokenConnector, "section Broken;\n", "section Broken;\nshared Broken.Other = ;\n", 1)
	writeTree(t, dir, map[string]string{"Broken/Broken.pq": moved})
	stdout, stderr, status = pqls(t, "check", "--baseline", baseline, dir)
	if status != 1 || strings.Count(stdout, "\n") != 2 || !strings.Contains(stdout, "Broken.pq:5:") ||
		!strings.HasSuffix(stdout, "\n1 finding: 1 error\n") || !strings.Contains(stderr, "hid 1 finding") {
		t.Errorf("after the edit: status %d, output:\n%s\nstderr: %s", status, stdout, stderr)
	}

	if _, stderr, status := pqls(t, "check", "--baseline", filepath.Join(dir, "none.json"), dir); status != 2 || stderr == "" {
		t.Errorf("missing baseline: status %d, stderr %q", status, stderr)
	}
}

// Needs the parser: the finding is a syntax error.
func TestCheckMez(t *testing.T) {
	dir := t.TempDir()
	mez := filepath.Join(dir, "bin", "Broken.mez")
	if err := os.MkdirAll(filepath.Dir(mez), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(mez)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, content := range map[string]string{"Broken.m": brokenConnector, "[Content_Types].xml": "<Types/>"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(mez)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)

	stdout, stderr, status := pqls(t, "check", "--fix", filepath.Join("bin", "Broken.mez"))
	if status != 1 || !strings.Contains(stdout, filepath.Join("bin", "Broken.mez", "Broken.m")+":3:") {
		t.Errorf("status %d, output:\n%s\nstderr: %s", status, stdout, stderr)
	}
	if !strings.Contains(stderr, "not fixed") {
		t.Errorf("stderr does not say the archive is left alone: %q", stderr)
	}
	if after, _ := os.ReadFile(mez); !bytes.Equal(before, after) {
		t.Error("--fix changed the archive")
	}

	garbage := filepath.Join(dir, "garbage.mez")
	if err := os.WriteFile(garbage, []byte("not a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, status := pqls(t, "check", garbage); status != 2 || !strings.Contains(stderr, "garbage.mez") {
		t.Errorf("malformed archive: status %d, stderr %q", status, stderr)
	}
}

// Needs the parser: the finding is a syntax error.
func TestCheckConfigErrors(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"Broken/Broken.pq": brokenConnector,
		"pqls.json":        "{\n  \"settings\": {\"certification.reviewMode\": \"yes\"}\n}\n",
	})
	t.Chdir(dir)
	stdout, stderr, status := pqls(t, "check", "Broken")
	if !strings.Contains(stderr, "pqls.json:2:44: error config certification.reviewMode must be true or false") {
		t.Errorf("stderr = %q", stderr)
	}
	// The check goes on with the defaults.
	if status != 1 || !strings.Contains(stdout, "error syntax") {
		t.Errorf("status %d, stdout %q", status, stdout)
	}

	_, stderr, status = pqls(t, "check", "--config", "missing.json", "Broken")
	if !strings.Contains(stderr, "missing.json: error config") || status != 1 {
		t.Errorf("missing --config file: status %d, stderr %q", status, stderr)
	}

	// A malformed project file is a finding, and the folder is still checked.
	writeTree(t, dir, map[string]string{"Broken/Broken.proj": "<Project><ItemGroup>"})
	stdout, stderr, _ = pqls(t, "check", "--config", "missing.json", "Broken")
	if !strings.Contains(stdout, filepath.Join("Broken", "Broken.proj")+":1:21: error project") || !strings.Contains(stdout, "error syntax") {
		t.Errorf("malformed project file: stdout %q, stderr %q", stdout, stderr)
	}
}

func TestRulesAndExplain(t *testing.T) {
	all := rules.All()
	if len(all) == 0 {
		t.Fatal("no analyzers registered")
	}
	stdout, _, status := pqls(t, "rules")
	if status != 0 {
		t.Fatalf("rules: status %d", status)
	}
	for _, a := range all {
		if !strings.Contains(stdout, a.ID) {
			t.Errorf("rules lacks %s", a.ID)
		}
	}
	stdout, _, status = pqls(t, "rules", "--format", "json")
	var js struct {
		Rules []struct{ ID, Severity, Title, HelpURI string }
	}
	if err := json.Unmarshal([]byte(stdout), &js); err != nil || status != 0 || len(js.Rules) != len(all) {
		t.Fatalf("rules --format json: status %d, %v\n%s", status, err, stdout)
	}
	for i, a := range all {
		if r := js.Rules[i]; r.ID != a.ID || r.Severity != a.Severity.String() || r.Title != a.Title || r.HelpURI != a.HelpURI {
			t.Errorf("rule %d = %+v, want %s", i, r, a.ID)
		}
	}
	for _, a := range all {
		stdout, _, status := pqls(t, "explain", strings.ToLower(a.ID))
		if status != 0 || !strings.HasPrefix(stdout, a.ID+": "+a.Title+"\n") {
			t.Errorf("explain %s: status %d\n%s", a.ID, status, stdout)
		}
		for _, part := range []struct{ field, heading string }{{a.Bad, "\nBad:\n"}, {a.Good, "\nGood:\n"}, {a.HelpURI, a.HelpURI},
			{a.ID, "pqls-disable-next-line " + a.ID}, {a.ID, "\nFix: "}, {a.ID, report.RuleURL(a.ID)}} {
			if part.field != "" && !strings.Contains(stdout, part.heading) {
				t.Errorf("explain %s lacks %q", a.ID, part.heading)
			}
		}
	}
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args     []string
		operands []string
		format   string
	}{
		{[]string{"a", "b"}, []string{"a", "b"}, "text"},
		{[]string{"--format", "json", "a"}, []string{"a"}, "json"},
		{[]string{"a", "--format=json", "b"}, []string{"a", "b"}, "json"},
		{[]string{"a", "--", "--format=json"}, []string{"a", "--format=json"}, "text"},
		{[]string{"--", "-x"}, []string{"-x"}, "text"},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("check", flag.ContinueOnError)
		format := fs.String("format", "text", "")
		got, _, ok := parseFlags(fs, "check", tt.args, &bytes.Buffer{})
		if !ok || strings.Join(got, "|") != strings.Join(tt.operands, "|") || *format != tt.format {
			t.Errorf("parseFlags(%q) = %q, format %q, ok %v; want %q, %q", tt.args, got, *format, ok, tt.operands, tt.format)
		}
	}
}

func TestWrap(t *testing.T) {
	got := wrap("one two three four five\n\nsix seven", 9)
	want := "one two\nthree\nfour five\n\nsix seven"
	if got != want {
		t.Errorf("wrap = %q, want %q", got, want)
	}
}

// pqls check without a path checks the working folder, marks the findings
// --fix repairs and sums the findings up on the last line.
func TestCheckDefaultPathAndSummary(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"Contoso/Contoso.pq": "section Contoso;\n\nshared Contoso.Contents = () => Web.Contents(\"http://contoso.example\");\n",
	})
	t.Chdir(dir)
	stdout, stderr, _ := pqls(t, "check")
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) < 2 {
		t.Fatalf("pqls check in a project folder printed:\n%s\nstderr: %s", stdout, stderr)
	}
	summary := regexp.MustCompile(`^(\d+) findings?: .*$`).FindStringSubmatch(lines[len(lines)-1])
	if summary == nil {
		t.Fatalf("last line %q is no summary", lines[len(lines)-1])
	}
	var findings, marked int
	for _, l := range lines[:len(lines)-1] {
		if strings.HasPrefix(l, "\t") {
			continue // a related place
		}
		findings++
		if strings.Contains(l, " [*] ") {
			marked++
		}
		if !strings.HasPrefix(l, filepath.Join("Contoso", "Contoso.pq")+":") {
			t.Errorf("finding outside the project, or with an absolute path: %s", l)
		}
	}
	if strconv.Itoa(findings) != summary[1] {
		t.Errorf("summary counts %s findings, the output has %d:\n%s", summary[1], findings, stdout)
	}
	fixable := regexp.MustCompile(`; (\d+) fixable with --fix$`).FindStringSubmatch(lines[len(lines)-1])
	switch {
	case marked == 0 && fixable != nil, marked > 0 && (fixable == nil || fixable[1] != strconv.Itoa(marked)):
		t.Errorf("%d findings marked [*], summary %q", marked, lines[len(lines)-1])
	}

	// The JSON of the same findings says which fixes --fix applies.
	stdout, _, _ = pqls(t, "check", "--format", "json")
	var js struct {
		Files []struct {
			Diagnostics []struct {
				Fixes []struct{ Safe *bool }
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &js); err != nil {
		t.Fatal(err)
	}
	safeFirst := 0
	for _, f := range js.Files {
		for _, d := range f.Diagnostics {
			for i, fix := range d.Fixes {
				if fix.Safe == nil {
					t.Fatalf("a fix without \"safe\":\n%s", stdout)
				}
				if i == 0 && *fix.Safe {
					safeFirst++
				}
			}
		}
	}
	if safeFirst != marked {
		t.Errorf("%d findings have a safe first fix in JSON, %d are marked in text", safeFirst, marked)
	}
}

func TestNearestCommand(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"chek", "check"},
		{"chekc", "check"},
		{"serv", "serve"},
		{"exlpain", "explain"},
		{"versoin", "version"},
		{"lint", ""},
		{"x", ""},
		{"frobnicate", ""},
	} {
		if got := nearestCommand(tt.in); got != tt.want {
			t.Errorf("nearestCommand(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestVersionStamped(t *testing.T) {
	defer func(v, c, d string) { version, commit, date = v, c, d }(version, commit, date)
	version, commit, date = "v1.2.3", "0123abcd", "2026-12-05T09:00:00Z"
	stdout, _, status := pqls(t, "version")
	want := "pqls v1.2.3\ncommit: 0123abcd (2026-12-05T09:00:00Z)\ngo:     " + runtime.Version()
	if status != 0 || !strings.HasPrefix(stdout, want) {
		t.Errorf("version printed %q, want prefix %q", stdout, want)
	}
	// Placeholders are not shown as if they were a commit.
	commit, date = "none", "0001-01-01T00:00:00Z"
	if stdout, _, _ := pqls(t, "version"); strings.Contains(stdout, "none") || strings.Contains(stdout, "0001-01-01") {
		t.Errorf("version shows placeholders:\n%s", stdout)
	}
}

// --format html writes one page that names the findings and the readiness
// summary; the page's rendering is tested in report.
func TestCheckHTML(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"Broken/Broken.pq": brokenConnector})
	t.Chdir(dir)
	stdout, stderr, status := pqls(t, "check", "--format", "html")
	if status != 1 {
		t.Errorf("status %d, want 1; stderr %s", status, stderr)
	}
	for _, want := range []string{"<!DOCTYPE html>", "Certification readiness", "Broken/Broken.pq:3:", "1 finding: 1 error"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}
