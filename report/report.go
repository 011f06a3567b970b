// Package report writes findings for people and for tools: plain text, JSON,
// SARIF for code-scanning services, and baselines that hide known findings.
// It also applies quick-fixes to file contents.
//
// Findings carry byte offsets; the writers turn them into lines and columns.
// Every format counts columns in UTF-16 code units, the unit of LSP and the
// default of SARIF, so that the same finding has the same column everywhere;
// for text without characters outside the Basic Multilingual Plane this is
// also the character count an editor shows.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/token"
)

// File is a file and the findings in it. Paths are written as given; the
// caller chooses absolute or relative ones. A file without findings may
// still be listed, to supply the text of a file that a fix edits.
type File struct {
	Path        string
	Src         []byte
	Diagnostics []analysis.Diagnostic
}

// sources maps offsets in the files to lines and columns, building each
// file's line table once.
type sources struct {
	files map[string]*File
	lines map[string]*token.Lines
}

func newSources(files []File) *sources {
	s := &sources{files: make(map[string]*File, len(files)), lines: make(map[string]*token.Lines)}
	for i := range files {
		if _, ok := s.files[files[i].Path]; !ok {
			s.files[files[i].Path] = &files[i]
		}
	}
	return s
}

// pos returns the 0-based line and UTF-16 column of offset off in the file
// at path, and false if the file's text is not among the files.
func (s *sources) pos(path string, off int) (token.Position, bool) {
	l, ok := s.lines[path]
	if !ok {
		f, found := s.files[path]
		if !found {
			return token.Position{}, false
		}
		l = token.NewLSPLines(f.Src)
		s.lines[path] = l
	}
	return l.UTF16(off), true
}

// span returns the range [start, end) of the file at path.
func (s *sources) span(path string, start, end int) (lsRange, bool) {
	a, ok := s.pos(path, start)
	if !ok {
		return lsRange{}, false
	}
	b, _ := s.pos(path, end)
	return lsRange{Start: lsPosition{a.Line, a.Column}, End: lsPosition{b.Line, b.Column}}, true
}

// lineText returns the text of the line holding off, without its break.
func (s *sources) lineText(path string, off int) string {
	p, ok := s.pos(path, off)
	if !ok {
		return ""
	}
	l, src := s.lines[path], s.files[path].Src
	start := l.LineStart(p.Line)
	end := len(src)
	if p.Line+1 < l.Count() {
		end = l.LineStart(p.Line + 1)
	}
	return strings.TrimRight(string(src[start:end]), "\r\n\u0085\u2028\u2029")
}

// relatedPath returns the file a related place is in.
func relatedPath(d *analysis.Diagnostic, filePath string, r analysis.Related) string {
	if r.Path == "" || r.Path == d.Path {
		return filePath
	}
	return r.Path
}

// editPath returns the file an edit applies to.
func editPath(d *analysis.Diagnostic, filePath string, e analysis.TextEdit) string {
	if e.Path == "" || e.Path == d.Path {
		return filePath
	}
	return e.Path
}

// oneLine keeps a message on one line of text output.
func oneLine(s string) string { return collapse(s) }

// Fixable reports whether pqls check --fix (and an editor's fix-all)
// applies a fix to the finding: its first fix is safe.
func Fixable(d *analysis.Diagnostic) bool {
	return len(d.Fixes) > 0 && d.Fixes[0].Safe
}

// FixableMark is what Text writes after the code of a finding that
// --fix repairs, as ruff does.
const FixableMark = "[*]"

// Text writes one line per finding,
//
//	path:line:col: severity CODE [*] message
//
// with 1-based line and column, the mark [*] only on findings that
// pqls check --fix repairs, followed by an indented line for each related
// place. When there are findings, a last line sums them up (see Summary).
func Text(w io.Writer, files []File) error {
	s := newSources(files)
	var b strings.Builder
	for _, f := range files {
		for i := range f.Diagnostics {
			d := &f.Diagnostics[i]
			p, _ := s.pos(f.Path, d.Start)
			mark := ""
			if Fixable(d) {
				mark = FixableMark + " "
			}
			fmt.Fprintf(&b, "%s:%d:%d: %s %s %s%s\n", f.Path, p.Line+1, p.Column+1, d.Severity, d.Code, mark, oneLine(d.Message))
			for _, r := range d.Related {
				path := relatedPath(d, f.Path, r)
				if rp, ok := s.pos(path, r.Start); ok {
					fmt.Fprintf(&b, "\t%s:%d:%d: %s\n", path, rp.Line+1, rp.Column+1, oneLine(r.Message))
				} else {
					fmt.Fprintf(&b, "\t%s: %s\n", path, oneLine(r.Message))
				}
			}
		}
	}
	if sum := Summarize(files); sum.Findings > 0 {
		b.WriteString(sum.String() + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Summary counts findings by severity and how many --fix repairs.
type Summary struct {
	Findings int
	// BySeverity counts findings by severity; index with a Severity.
	BySeverity [analysis.Hint + 1]int
	Fixable    int
}

// Summarize counts the findings of files.
func Summarize(files []File) Summary {
	var s Summary
	for _, f := range files {
		for i := range f.Diagnostics {
			d := &f.Diagnostics[i]
			s.Findings++
			if d.Severity >= analysis.Error && d.Severity <= analysis.Hint {
				s.BySeverity[d.Severity]++
			}
			if Fixable(d) {
				s.Fixable++
			}
		}
	}
	return s
}

// String writes the summary as one line, such as
//
//	12 findings: 3 errors, 7 warnings, 2 hints; 5 fixable with --fix
//
// leaving out severities without findings.
func (s Summary) String() string {
	if s.Findings == 0 {
		return "no findings"
	}
	var parts []string
	for _, c := range []struct {
		sev            analysis.Severity
		single, plural string
	}{
		{analysis.Error, "error", "errors"},
		{analysis.Warning, "warning", "warnings"},
		{analysis.Information, "information", "information"},
		{analysis.Hint, "hint", "hints"},
	} {
		if n := s.BySeverity[c.sev]; n > 0 {
			parts = append(parts, plural(n, c.single, c.plural))
		}
	}
	line := plural(s.Findings, "finding", "findings")
	if len(parts) > 0 {
		line += ": " + strings.Join(parts, ", ")
	}
	if s.Fixable > 0 {
		line += fmt.Sprintf("; %d fixable with --fix", s.Fixable)
	}
	return line
}

// plural writes n and the noun in the number n asks for.
func plural(n int, single, plural string) string {
	if n == 1 {
		return "1 " + single
	}
	return fmt.Sprintf("%d %s", n, plural)
}

// The JSON format, in LSP terms: 0-based lines, UTF-16 columns.
type (
	jsonReport struct {
		Files []jsonFile `json:"files"`
	}
	jsonFile struct {
		Path        string           `json:"path"`
		Diagnostics []jsonDiagnostic `json:"diagnostics"`
	}
	jsonDiagnostic struct {
		Range    lsRange       `json:"range"`
		Severity string        `json:"severity"`
		Code     string        `json:"code"`
		Message  string        `json:"message"`
		HelpURI  string        `json:"helpUri,omitempty"`
		Related  []jsonRelated `json:"related"`
		Fixes    []jsonFix     `json:"fixes"`
	}
	jsonRelated struct {
		Path    string  `json:"path"`
		Range   lsRange `json:"range"`
		Message string  `json:"message"`
	}
	jsonFix struct {
		Title string `json:"title"`
		// Safe fixes are the ones pqls check --fix applies, when they are a
		// finding's first.
		Safe  bool       `json:"safe"`
		Edits []jsonEdit `json:"edits"`
	}
	jsonEdit struct {
		Path    string  `json:"path,omitempty"` // only when not the diagnostic's file
		Range   lsRange `json:"range"`
		NewText string  `json:"newText"`
	}
	lsRange struct {
		Start lsPosition `json:"start"`
		End   lsPosition `json:"end"`
	}
	lsPosition struct {
		Line      int `json:"line"`
		Character int `json:"character"`
	}
)

// JSON writes the findings as
//
//	{"files": [{"path": …, "diagnostics": [{"range": …, "severity": …,
//	  "code": …, "message": …, "helpUri": …, "related": [{"path": …,
//	  "range": …, "message": …}], "fixes": [{"title": …, "safe": …,
//	  "edits": [{"range": …, "newText": …}]}]}]}]}]}
//
// with LSP ranges: 0-based lines, UTF-16 columns. An edit carries "path"
// only when it changes another file than the finding's. Files without
// findings are left out; a fix editing a file whose text is not among files
// is left out too, as its positions cannot be computed.
func JSON(w io.Writer, files []File) error {
	s := newSources(files)
	out := jsonReport{Files: []jsonFile{}}
	for _, f := range files {
		if len(f.Diagnostics) == 0 {
			continue
		}
		jf := jsonFile{Path: f.Path, Diagnostics: make([]jsonDiagnostic, 0, len(f.Diagnostics))}
		for i := range f.Diagnostics {
			d := &f.Diagnostics[i]
			r, _ := s.span(f.Path, d.Start, d.End)
			jd := jsonDiagnostic{Range: r, Severity: d.Severity.String(), Code: d.Code, Message: d.Message,
				HelpURI: HelpURI(d), Related: []jsonRelated{}, Fixes: []jsonFix{}}
			for _, rel := range d.Related {
				path := relatedPath(d, f.Path, rel)
				rr, ok := s.span(path, rel.Start, rel.End)
				if !ok {
					continue // a file whose text is unknown: no range to give
				}
				jd.Related = append(jd.Related, jsonRelated{Path: path, Range: rr, Message: rel.Message})
			}
			for _, fix := range d.Fixes {
				jfix, ok := jsonFixOf(s, d, f.Path, fix)
				if ok {
					jd.Fixes = append(jd.Fixes, jfix)
				}
			}
			jf.Diagnostics = append(jf.Diagnostics, jd)
		}
		out.Files = append(out.Files, jf)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func jsonFixOf(s *sources, d *analysis.Diagnostic, filePath string, fix analysis.Fix) (jsonFix, bool) {
	jfix := jsonFix{Title: fix.Title, Safe: fix.Safe, Edits: make([]jsonEdit, 0, len(fix.Edits))}
	for _, e := range fix.Edits {
		path := editPath(d, filePath, e)
		r, ok := s.span(path, e.Start, e.End)
		if !ok {
			return jsonFix{}, false
		}
		je := jsonEdit{Range: r, NewText: e.NewText}
		if path != filePath {
			je.Path = path
		}
		jfix.Edits = append(jfix.Edits, je)
	}
	return jfix, true
}
