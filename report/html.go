package report

import (
	"cmp"
	_ "embed"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/pqls/pqls/analysis"
)

// HTML writes one self-contained page for people: a certification
// readiness summary (each requirement of the certification page met,
// violated with links to its findings, or the question a reviewer will
// ask), then the findings grouped by rule, each with the code around it,
// its related places and its fixes as diffs. The page loads nothing:
// styles are inline and it has no scripts, so it works offline and as an
// attachment. rules describe the rules (rules.All()); title names what
// was checked.
func HTML(w io.Writer, files []File, rules []*analysis.Analyzer, title string) error {
	return htmlTemplate.Execute(w, buildPage(files, rules, title))
}

//go:embed html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Parse(htmlSource))

// The page's data.
type (
	htmlPage struct {
		Title        string
		Summary      string
		Counts       []htmlCount
		Requirements []htmlRequirement
		Groups       []htmlGroup
	}
	htmlCount struct {
		Label, Class string
		N            int
	}
	htmlRequirement struct {
		Area, Text string
		Status     string // met, violated or review
		Question   string
		Rules      []htmlRuleRef
		Findings   []htmlLink
	}
	htmlRuleRef struct{ ID, URL string }
	htmlLink    struct{ Anchor, Label string }
	htmlGroup   struct {
		ID, Title, Severity, URL, Source, Doc string
		Findings                              []htmlFinding
	}
	htmlFinding struct {
		Anchor, Location, Severity, Message string
		Fixable                             bool
		Code                                []htmlLine
		Related                             []htmlRelated
		Fixes                               []htmlFix
	}
	htmlLine struct {
		No              int
		Pre, Mark, Post string // the line, split around the flagged text
	}
	htmlRelated struct{ Location, Message string }
	htmlFix     struct {
		Title string
		Safe  bool
		Diff  []htmlDiffLine
	}
	htmlDiffLine struct {
		Kind string // "@" for a hunk header, " ", "-" or "+"
		Text string
	}
)

// contextLines is how many lines of code the page shows around a finding.
const contextLines = 2

// maxExcerpt bounds the lines of code shown for one finding.
const maxExcerpt = 14

func buildPage(files []File, rules []*analysis.Analyzer, title string) htmlPage {
	s := newSources(files)
	byID := make(map[string]*analysis.Analyzer, len(rules))
	for _, a := range rules {
		byID[a.ID] = a
	}
	sum := Summarize(files)
	page := htmlPage{Title: title, Summary: sum.String()}
	for _, c := range []struct {
		sev          analysis.Severity
		label, class string
	}{
		{analysis.Error, "errors", "error"}, {analysis.Warning, "warnings", "warning"},
		{analysis.Information, "information", "information"}, {analysis.Hint, "hints", "hint"},
	} {
		page.Counts = append(page.Counts, htmlCount{Label: c.label, Class: c.class, N: sum.BySeverity[c.sev]})
	}
	page.Counts = append(page.Counts, htmlCount{Label: "fixable with --fix", Class: "fixable", N: sum.Fixable})

	// Findings by rule, numbered in the order the page shows them.
	groups := make(map[string]*htmlGroup)
	worst := make(map[string]analysis.Severity)
	links := make(map[string][]htmlLink) // by rule
	n := 0
	for _, f := range files {
		for i := range f.Diagnostics {
			d := &f.Diagnostics[i]
			g, ok := groups[d.Code]
			if !ok {
				g = newGroup(d, byID[d.Code])
				groups[d.Code] = g
				worst[d.Code] = d.Severity
			}
			worst[d.Code] = min(worst[d.Code], d.Severity)
			n++
			hf := buildFinding(s, f, d, "f"+strconv.Itoa(n))
			g.Findings = append(g.Findings, hf)
			links[d.Code] = append(links[d.Code], htmlLink{Anchor: hf.Anchor, Label: hf.Location})
		}
	}
	for _, g := range groups {
		page.Groups = append(page.Groups, *g)
	}
	slices.SortFunc(page.Groups, func(a, b htmlGroup) int {
		return cmp.Or(cmp.Compare(worst[a.ID], worst[b.ID]), strings.Compare(a.ID, b.ID))
	})

	// The readiness summary: the certification page's requirements, then
	// whether the files parse and the other rules.
	reqs := slices.Clone(certificationRequirements)
	named := make(map[string]bool)
	for _, r := range reqs {
		for _, id := range r.Rules {
			named[id] = true
		}
	}
	var others []string
	for _, a := range rules {
		if !named[a.ID] {
			others = append(others, a.ID)
		}
	}
	reqs = append([]requirement{{Area: "Must", Text: "Every file is valid M.", Rules: []string{analysis.SyntaxCode}}}, reqs...)
	if len(others) > 0 {
		reqs = append(reqs, requirement{Area: "SDK", Text: "The connector follows the rest of the Power Query SDK's guidance.", Rules: others})
	}
	for _, r := range reqs {
		hr := htmlRequirement{Area: r.Area, Text: r.Text, Question: r.Question}
		violated, reviewOnly := false, true
		for _, id := range r.Rules {
			if a := byID[id]; a != nil {
				hr.Rules = append(hr.Rules, htmlRuleRef{ID: id, URL: RuleURL(id)})
			}
			if len(links[id]) == 0 {
				continue
			}
			hr.Findings = append(hr.Findings, links[id]...)
			violated = true
			if a := byID[id]; a == nil || !a.Review {
				reviewOnly = false
			}
		}
		switch {
		case violated && !reviewOnly:
			hr.Status = "violated"
		case violated || r.Question != "":
			hr.Status = "review"
		default:
			hr.Status = "met"
		}
		page.Requirements = append(page.Requirements, hr)
	}
	return page
}

func newGroup(d *analysis.Diagnostic, a *analysis.Analyzer) *htmlGroup {
	g := &htmlGroup{ID: d.Code, Title: d.Code, Severity: d.Severity.String(), Source: d.HelpURI}
	switch {
	case a != nil:
		g.Title, g.Severity, g.URL, g.Source, g.Doc = a.Title, a.Severity.String(), RuleURL(a.ID), a.HelpURI, a.Doc
	case d.Code == analysis.SyntaxCode:
		g.Title, g.Severity = "Syntax error", analysis.Error.String()
		g.Doc = "The file is not valid M. Power Query cannot load a connector whose documents do not parse."
	}
	return g
}

func buildFinding(s *sources, f File, d *analysis.Diagnostic, anchor string) htmlFinding {
	hf := htmlFinding{
		Anchor: anchor, Location: s.location(f.Path, d.Start), Severity: d.Severity.String(),
		Message: d.Message, Fixable: Fixable(d), Code: s.excerpt(f.Path, d.Start, d.End),
	}
	for _, r := range d.Related {
		path := relatedPath(d, f.Path, r)
		hf.Related = append(hf.Related, htmlRelated{Location: s.location(path, r.Start), Message: r.Message})
	}
	for _, fix := range d.Fixes {
		if diff, ok := s.fixDiff(d, f.Path, fix); ok {
			hf.Fixes = append(hf.Fixes, htmlFix{Title: fix.Title, Safe: fix.Safe, Diff: diff})
		}
	}
	return hf
}

// location writes path:line:col with 1-based numbers, or the path alone
// when its text is unknown.
func (s *sources) location(path string, off int) string {
	p, ok := s.pos(path, off)
	if !ok {
		return path
	}
	return path + ":" + strconv.Itoa(p.Line+1) + ":" + strconv.Itoa(p.Column+1)
}

// excerpt returns the lines holding [start, end) with a few lines around
// them, the flagged text marked.
func (s *sources) excerpt(path string, start, end int) []htmlLine {
	a, ok := s.pos(path, start)
	if !ok {
		return nil
	}
	b, _ := s.pos(path, end)
	l, src := s.lines[path], s.files[path].Src
	first := max(0, a.Line-contextLines)
	last := min(l.Count()-1, b.Line+contextLines, first+maxExcerpt-1)
	var out []htmlLine
	for line := first; line <= last; line++ {
		ls := l.LineStart(line)
		le := len(src)
		if line+1 < l.Count() {
			le = l.LineStart(line + 1)
		}
		text := string(src[ls:le])
		text = strings.TrimRight(text, "\r\n\u0085\u2028\u2029")
		le = ls + len(text)
		// The flagged part of this line, as byte offsets into text.
		ms, me := clamp(start-ls, 0, len(text)), clamp(end-ls, 0, len(text))
		if start == end && start >= ls && start <= le {
			me = ms // an empty span: a caret position, nothing to mark
		}
		out = append(out, htmlLine{No: line + 1, Pre: text[:ms], Mark: text[ms:me], Post: text[me:]})
	}
	return out
}

func clamp(x, lo, hi int) int { return max(lo, min(x, hi)) }

// fixDiff returns a fix as a unified diff, one hunk per file it edits, or
// false when it edits a file whose text is unknown. A fix is local, so one
// hunk spanning the changed lines reads well; a general diff algorithm
// would buy nothing here.
func (s *sources) fixDiff(d *analysis.Diagnostic, filePath string, fix analysis.Fix) ([]htmlDiffLine, bool) {
	byPath := make(map[string][]analysis.TextEdit)
	var paths []string
	for _, e := range fix.Edits {
		p := editPath(d, filePath, e)
		if _, ok := s.files[p]; !ok {
			return nil, false
		}
		if _, seen := byPath[p]; !seen {
			paths = append(paths, p)
		}
		byPath[p] = append(byPath[p], e)
	}
	var out []htmlDiffLine
	for _, p := range paths {
		old := s.files[p].Src
		fixed, err := analysis.ApplyEdits(old, byPath[p])
		if err != nil {
			return nil, false
		}
		out = append(out, hunk(p, string(old), string(fixed))...)
	}
	return out, len(out) > 0
}

// hunk returns the lines that differ between a and b, with contextLines
// of unchanged lines around them, under a header naming the file and line.
func hunk(path, a, b string) []htmlDiffLine {
	al, bl := splitLines(a), splitLines(b)
	pre := 0
	for pre < len(al) && pre < len(bl) && al[pre] == bl[pre] {
		pre++
	}
	suf := 0
	for suf < len(al)-pre && suf < len(bl)-pre && al[len(al)-1-suf] == bl[len(bl)-1-suf] {
		suf++
	}
	if pre == len(al) && pre == len(bl) {
		return nil
	}
	from := max(0, pre-contextLines)
	out := []htmlDiffLine{{Kind: "@", Text: path + ":" + strconv.Itoa(from+1)}}
	for _, l := range al[from:pre] {
		out = append(out, htmlDiffLine{Kind: " ", Text: l})
	}
	for _, l := range al[pre : len(al)-suf] {
		out = append(out, htmlDiffLine{Kind: "-", Text: l})
	}
	for _, l := range bl[pre : len(bl)-suf] {
		out = append(out, htmlDiffLine{Kind: "+", Text: l})
	}
	for _, l := range al[len(al)-suf : min(len(al), len(al)-suf+contextLines)] {
		out = append(out, htmlDiffLine{Kind: " ", Text: l})
	}
	return out
}

// splitLines splits text at line feeds, dropping carriage returns.
func splitLines(s string) []string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}
