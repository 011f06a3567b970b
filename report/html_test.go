package report

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pqls/pqls/analysis/rules"
)

func renderSample(t *testing.T) string {
	t.Helper()
	files, rules := sample(t)
	var b bytes.Buffer
	if err := HTML(&b, files, rules, "Contoso <demo>"); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The page must work offline and as a mail attachment: nothing it shows
// may come from elsewhere.
func TestHTMLSelfContained(t *testing.T) {
	page := renderSample(t)
	for _, bad := range []string{"<script", "<link", " src=", "@import", "url("} {
		if strings.Contains(page, bad) {
			t.Errorf("the page loads something (%q)", bad)
		}
	}
	if strings.Contains(page, "Contoso <demo>") || !strings.Contains(page, "Contoso &lt;demo&gt;") {
		t.Errorf("the title is not escaped")
	}
}

func TestHunk(t *testing.T) {
	tests := []struct {
		name, a, b string
		want       []string
	}{
		{"one line", "a\nb\nc\nd\ne\nf\n", "a\nb\nc\nD\ne\nf\n", []string{"@p:2", " b", " c", "-d", "+D", " e", " f"}},
		{"insert at start", "x\ny\n", "new\nx\ny\n", []string{"@p:1", "+new", " x", " y"}},
		{"crlf kept apart", "a\r\nb\r\n", "a\r\nB\r\n", []string{"@p:1", " a", "-b", "+B", " "}},
		{"same", "a\n", "a\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, l := range hunk("p", tt.a, tt.b) {
				got = append(got, l.Kind+l.Text)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("hunk = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReadiness(t *testing.T) {
	files, _ := sample(t)
	rules := rules.All()
	page := buildPage(files, rules, "x")
	status := make(map[string]htmlRequirement)
	for _, r := range page.Requirements {
		status[r.Text] = r
	}
	// PQC030 found: its requirement is violated and links the finding.
	var get = func(rule string) htmlRequirement {
		for _, r := range page.Requirements {
			for _, ref := range r.Rules {
				if ref.ID == rule {
					return r
				}
			}
		}
		t.Fatalf("no requirement checks %s", rule)
		return htmlRequirement{}
	}
	if r := get("PQC030"); r.Status != "violated" || len(r.Findings) != 1 || r.Findings[0].Label != "Contoso/Contoso.pq:3:14" {
		t.Errorf("PQC030's requirement: %+v", r)
	}
	if r := get("PQC001"); r.Status != "met" || len(r.Findings) != 0 {
		t.Errorf("PQC001's requirement: %+v", r)
	}
	if r := get("PQC011"); r.Status != "review" || r.Question == "" {
		t.Errorf("PQC011's requirement: %+v", r)
	}
	if r := page.Requirements[0]; r.Status != "violated" || !strings.Contains(r.Text, "valid M") {
		t.Errorf("the syntax error does not fail the first requirement: %+v", r)
	}
	// Every rule is counted somewhere in the summary.
	seen := map[string]bool{}
	for _, r := range page.Requirements {
		for _, ref := range r.Rules {
			seen[ref.ID] = true
		}
	}
	for _, a := range rules {
		if !seen[a.ID] {
			t.Errorf("%s is in no requirement of the readiness summary", a.ID)
		}
	}
	// Groups: errors first.
	var ids []string
	for _, g := range page.Groups {
		ids = append(ids, g.ID)
	}
	if want := "PQC030 syntax PQC033 PQC025"; strings.Join(ids, " ") != want {
		t.Errorf("groups %v, want %s", ids, want)
	}
}

// findChromium returns the Chromium binary, or skips the test when there is
// none and CI is unset.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "" {
		t.Skip("chromium is not installed (apt-get install chromium); CI unset")
	}
	t.Fatal("chromium is not installed; .ci/run installs it")
	return ""
}

// TestHTMLInChromium renders the page in headless Chromium and reads what
// the browser built from it.
func TestHTMLInChromium(t *testing.T) {
	chromium := findChromium(t)
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, []byte(renderSample(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--user-data-dir="+t.TempDir(), "--dump-dom", "file://"+filepath.ToSlash(path))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	dom := string(out)
	text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(dom, "")
	for _, want := range []string{
		"4 findings: 2 errors, 1 warning, 1 information; 1 fixable with --fix",
		"Certification readiness",
		"PQC030: Credential in a GET query string",
		"Contoso/Contoso.pq:4:7",
		`+Url = "https://contoso.example";`,
		`-Url = "http://contoso.example";`,
		"the credential comes from here",
		"safe: pqls check --fix applies it",
		"Reviewer: “Have you run the same queries in Import and in DirectQuery mode",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the rendered page lacks %q", want)
		}
	}
	// The finding's text is marked in its line of code.
	if !strings.Contains(dom, "<mark>Extension.CurrentCredential()[Key]</mark>") {
		t.Errorf("the flagged code is not marked:\n%s", dom)
	}
	// The readiness row of PQC030 is violated and links the finding, whose
	// anchor exists.
	row := regexp.MustCompile(`(?s)<tr class="req violated">(?:(?:[^<]|<[^/]|</[^t]|</t[^r])*?)href="#(f\d+)"(?:[^<]|<[^/]|</[^t]|</t[^r])*?PQC030`).FindStringSubmatch(dom)
	if row == nil {
		t.Fatalf("no violated requirement links PQC030's finding:\n%s", dom)
	}
	if !strings.Contains(dom, `<article class="finding" id="`+row[1]+`">`) {
		t.Errorf("the link #%s leads nowhere", row[1])
	}
}
