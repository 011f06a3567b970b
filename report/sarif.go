package report

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/pqls/pqls/analysis"
)

// SARIF 2.1.0, the subset pqls writes. Field names follow the standard.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool       sarifTool     `json:"tool"`
		ColumnKind string        `json:"columnKind"`
		Results    []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string        `json:"id"`
		Name                 string        `json:"name"`
		ShortDescription     sarifText     `json:"shortDescription"`
		FullDescription      sarifText     `json:"fullDescription"`
		Help                 *sarifHelp    `json:"help,omitempty"`
		HelpURI              string        `json:"helpUri,omitempty"`
		DefaultConfiguration sarifRuleConf `json:"defaultConfiguration"`
	}
	sarifHelp struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown"`
	}
	sarifRuleConf struct {
		Level string `json:"level"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifText         `json:"message"`
		Locations           []sarifLocation   `json:"locations"`
		RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		Fixes               []sarifFix        `json:"fixes,omitempty"`
	}
	sarifLocation struct {
		ID               *int          `json:"id,omitempty"`
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
		Message          *sarifText    `json:"message,omitempty"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           *sarifRegion  `json:"region,omitempty"`
	}
	sarifArtifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
		EndLine     int `json:"endLine"`
		EndColumn   int `json:"endColumn"`
	}
	sarifFix struct {
		Description     sarifText             `json:"description"`
		ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
	}
	sarifArtifactChange struct {
		ArtifactLocation sarifArtifact      `json:"artifactLocation"`
		Replacements     []sarifReplacement `json:"replacements"`
	}
	sarifReplacement struct {
		DeletedRegion   sarifRegion `json:"deletedRegion"`
		InsertedContent sarifText   `json:"insertedContent"`
	}
)

const (
	sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json"
	// InformationURI is where people learn about pqls.
	InformationURI = "https://github.com/pqls/pqls"
	// srcRoot is the base that relative paths are relative to; code
	// scanning services set it to the checkout.
	srcRoot = "%SRCROOT%"
	// FingerprintKey names pqls's fingerprint among a result's
	// partialFingerprints.
	FingerprintKey = "pqls/v1"
)

// SARIF writes the findings as a SARIF 2.1.0 log with one run, in the form
// code-scanning services such as GitHub's accept. rules describe the rules
// (rules.All()); findings with codes not among them, syntax errors for
// one, get a rule entry of their own.
//
// Relative paths become URIs relative to %SRCROOT%, so the caller should
// pass paths relative to the folder the service treats as the root
// (normally the working folder); absolute paths become file URIs. Regions
// are 1-based, with UTF-16 columns, as the run's columnKind says. Each result
// has a fingerprint that depends on its rule, its file and the text of its
// line, not on the line number, so that it survives edits elsewhere.
func SARIF(w io.Writer, files []File, rules []*analysis.Analyzer) error {
	s := newSources(files)
	run := sarifRun{
		Tool:       sarifTool{Driver: sarifDriver{Name: "pqls", InformationURI: InformationURI, Rules: []sarifRule{}}},
		ColumnKind: "utf16CodeUnits",
		Results:    []sarifResult{},
	}
	index := make(map[string]int)
	for _, a := range rules {
		if _, dup := index[a.ID]; dup {
			continue
		}
		index[a.ID] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, ruleDescriptor(a))
	}
	for _, f := range files {
		fps := fingerprints(s, f, f.Path)
		for i := range f.Diagnostics {
			d := &f.Diagnostics[i]
			ri, ok := index[d.Code]
			if !ok {
				ri = len(run.Tool.Driver.Rules)
				index[d.Code] = ri
				run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, ruleDescriptor(adHocRule(d)))
			}
			res := sarifResult{
				RuleID:              d.Code,
				RuleIndex:           ri,
				Level:               sarifLevel(d.Severity),
				Message:             sarifText{Text: d.Message},
				Locations:           []sarifLocation{location(s, f.Path, d.Start, d.End)},
				PartialFingerprints: map[string]string{FingerprintKey: fps[i]},
			}
			for j, r := range d.Related {
				path := relatedPath(d, f.Path, r)
				loc := location(s, path, r.Start, r.End)
				loc.ID = &j
				loc.Message = &sarifText{Text: r.Message}
				res.RelatedLocations = append(res.RelatedLocations, loc)
			}
			for _, fix := range d.Fixes {
				if sf, ok := sarifFixOf(s, d, f.Path, fix); ok {
					res.Fixes = append(res.Fixes, sf)
				}
			}
			run.Results = append(run.Results, res)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

// adHocRule describes a code that no analyzer has.
func adHocRule(d *analysis.Diagnostic) *analysis.Analyzer {
	if d.Code == analysis.SyntaxCode {
		return &analysis.Analyzer{
			ID:       d.Code,
			Title:    "Syntax error",
			Severity: analysis.Error,
			Doc:      "The file is not valid M. Power Query cannot load a connector whose documents do not parse.",
		}
	}
	return &analysis.Analyzer{ID: d.Code, Title: d.Code, Severity: d.Severity, HelpURI: d.HelpURI}
}

func ruleDescriptor(a *analysis.Analyzer) sarifRule {
	full := a.Doc
	if full == "" {
		full = a.Title
	}
	r := sarifRule{
		ID:                   a.ID,
		Name:                 ruleName(a),
		ShortDescription:     sarifText{Text: a.Title},
		FullDescription:      sarifText{Text: full},
		HelpURI:              ruleHelpURI(a),
		DefaultConfiguration: sarifRuleConf{Level: sarifLevel(a.Severity)},
	}
	if a.Doc != "" {
		h := &sarifHelp{Text: a.Doc, Markdown: a.Doc}
		if a.Bad != "" {
			h.Text += "\n\nBad:\n" + a.Bad
			h.Markdown += "\n\nBad:\n\n```powerquery\n" + a.Bad + "\n```"
		}
		if a.Good != "" {
			h.Text += "\n\nGood:\n" + a.Good
			h.Markdown += "\n\nGood:\n\n```powerquery\n" + a.Good + "\n```"
		}
		if a.HelpURI != "" {
			h.Text += "\n\n" + a.HelpURI
			h.Markdown += "\n\n[Microsoft documentation](" + a.HelpURI + ")"
		}
		r.Help = h
	}
	return r
}

// ruleHelpURI returns the page of a rule: its page among pqls's rule docs
// for a known rule, or else the link it carries.
func ruleHelpURI(a *analysis.Analyzer) string {
	if ruleIDs()[a.ID] {
		return RuleURL(a.ID)
	}
	return a.HelpURI
}

// ruleName turns a rule's title into the identifier-like name SARIF wants:
// "Trace flag left on" becomes "TraceFlagLeftOn".
func ruleName(a *analysis.Analyzer) string {
	var b strings.Builder
	for _, word := range strings.FieldsFunc(a.Title, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		r := []rune(word)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	if b.Len() == 0 {
		return a.ID
	}
	return b.String()
}

// sarifLevel maps a severity to a SARIF level; SARIF has no level below
// note.
func sarifLevel(s analysis.Severity) string {
	switch s {
	case analysis.Error:
		return "error"
	case analysis.Warning:
		return "warning"
	}
	return "note"
}

func location(s *sources, path string, start, end int) sarifLocation {
	loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: artifact(path)}}
	if r, ok := s.span(path, start, end); ok {
		loc.PhysicalLocation.Region = region(r)
	}
	return loc
}

func region(r lsRange) *sarifRegion {
	return &sarifRegion{
		StartLine: r.Start.Line + 1, StartColumn: r.Start.Character + 1,
		EndLine: r.End.Line + 1, EndColumn: r.End.Character + 1,
	}
}

// artifact returns the SARIF location of a file: a URI relative to
// %SRCROOT% for a relative path, a file URI for an absolute one.
func artifact(path string) sarifArtifact {
	slash := filepath.ToSlash(path)
	if filepath.IsAbs(path) {
		if !strings.HasPrefix(slash, "/") {
			slash = "/" + slash // a Windows drive: file:///C:/…
		}
		return sarifArtifact{URI: (&url.URL{Scheme: "file", Path: slash}).String()}
	}
	segs := strings.Split(slash, "/")
	for i, seg := range segs {
		segs[i] = url.PathEscape(seg)
	}
	return sarifArtifact{URI: strings.Join(segs, "/"), URIBaseID: srcRoot}
}

func sarifFixOf(s *sources, d *analysis.Diagnostic, filePath string, fix analysis.Fix) (sarifFix, bool) {
	sf := sarifFix{Description: sarifText{Text: fix.Title}}
	byPath := make(map[string]int)
	for _, e := range fix.Edits {
		path := editPath(d, filePath, e)
		r, ok := s.span(path, e.Start, e.End)
		if !ok {
			return sarifFix{}, false
		}
		i, ok := byPath[path]
		if !ok {
			i = len(sf.ArtifactChanges)
			byPath[path] = i
			sf.ArtifactChanges = append(sf.ArtifactChanges, sarifArtifactChange{ArtifactLocation: artifact(path)})
		}
		sf.ArtifactChanges[i].Replacements = append(sf.ArtifactChanges[i].Replacements,
			sarifReplacement{DeletedRegion: *region(r), InsertedContent: sarifText{Text: e.NewText}})
	}
	return sf, len(sf.ArtifactChanges) > 0
}

// fingerprints returns a fingerprint for each diagnostic of f: a hash of
// its code, the path given, the text of its line and the text it flags,
// both with white space collapsed, and how many findings alike in all that
// come before it. Moving the line does not change it; editing the line
// does.
func fingerprints(s *sources, f File, path string) []string {
	order := make([]int, len(f.Diagnostics))
	for i := range order {
		order[i] = i
	}
	// Count occurrences in text order, whatever order the caller used.
	slices.SortStableFunc(order, func(a, b int) int {
		da, db := &f.Diagnostics[a], &f.Diagnostics[b]
		return cmp.Or(cmp.Compare(da.Start, db.Start), cmp.Compare(da.End, db.End))
	})
	seen := make(map[string]int)
	out := make([]string, len(f.Diagnostics))
	for _, i := range order {
		d := &f.Diagnostics[i]
		line := collapse(s.lineText(f.Path, d.Start))
		flagged := ""
		if d.Start >= 0 && d.Start <= d.End && d.End <= len(f.Src) {
			flagged = collapse(string(f.Src[d.Start:min(d.End, d.Start+maxFlagged)]))
		}
		key := strings.Join([]string{d.Code, path, line, flagged}, "\x00")
		n := seen[key]
		seen[key]++
		sum := sha256.Sum256([]byte(key + "\x00" + strconv.Itoa(n)))
		out[i] = hex.EncodeToString(sum[:16])
	}
	return out
}

// maxFlagged bounds how much of the flagged text a fingerprint covers.
const maxFlagged = 256

// collapse turns each run of white space into one space and trims the ends.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
