package analysis

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
)

// Files gives the analysis the parsed M files of a project. The LSP server
// answers from its open documents, the command line from disk.
type Files interface {
	Parsed(path string) (*ast.File, error)
}

// Run runs the enabled analyzers over the project and returns the findings
// in all its files, syntax errors included, sorted by path and offset, with
// suppression comments and the configuration applied. Files that cannot be
// read are skipped; the caller reports I/O errors itself. The framework knows
// no rule: callers pass the set, usually rules.All().
func Run(p *project.Project, files Files, cfg *config.Config, analyzers []*Analyzer) []Diagnostic {
	prog, diags := Load(p, files)
	return Check(prog, diags, cfg, analyzers)
}

// Check is Run over a model already built by Load, whose diagnostics are
// loaded; it changes neither. The server builds one model per state of a
// project and both checks it and answers editor requests from it, at the
// same time: a model is safe for concurrent readers.
func Check(prog *model.Program, loaded []Diagnostic, cfg *config.Config, analyzers []*Analyzer) []Diagnostic {
	diags, _, _ := check(context.Background(), nil, prog, loaded, cfg, analyzers, false)
	return diags
}

// CheckContext is Check that stops between analyzers once ctx is done,
// returning ctx's error and no findings: the server abandons the check of
// a project state as soon as a newer state makes it stale.
func CheckContext(ctx context.Context, prog *model.Program, loaded []Diagnostic, cfg *config.Config, analyzers []*Analyzer) ([]Diagnostic, error) {
	diags, _, err := check(ctx, nil, prog, loaded, cfg, analyzers, false)
	return diags, err
}

// CheckIncremental is CheckContext that reuses what the check that
// returned prev found in the members of the main document an edit left
// alone (see Incremental); prev may be nil. It returns the findings, the
// same as Check's, and the state to pass to the next check of the project.
func CheckIncremental(ctx context.Context, prev *Incremental, prog *model.Program, loaded []Diagnostic, cfg *config.Config, analyzers []*Analyzer) ([]Diagnostic, *Incremental, error) {
	return check(ctx, prev, prog, loaded, cfg, analyzers, true)
}

// check is CheckContext, and CheckIncremental when keep is set.
func check(ctx context.Context, prev *Incremental, prog *model.Program, loaded []Diagnostic, cfg *config.Config, analyzers []*Analyzer, keep bool) ([]Diagnostic, *Incremental, error) {
	if cfg == nil {
		cfg = config.Default()
	}
	diags := slices.Clone(loaded)
	kind := prog.Kind()
	if kind == model.Template {
		// {{…}} placeholders are not M: neither syntax errors nor findings.
		return nil, nil, nil
	}
	if kind == model.NoConnector {
		// A folder of queries or a function library: only its syntax.
		Sort(diags)
		return diags, nil, nil
	}
	next := &Incremental{cfg: cfg, analyzers: analyzers, kind: kind}
	if keep && prog.Main != nil && prog.Main.AST.Section != nil {
		var before *docSummary
		if prev != nil {
			before = prev.doc
		}
		next.doc = summarize(prog, before)
	}
	reuse := plan(prev, next.doc, cfg, analyzers, kind)
	spans := newMemberSpans(prog)
	next.members = make([]*memberFindings, spans.len())
	for i := range spans.len() {
		if reuse != nil && reuse.reused[i] != nil {
			next.members[i] = reuse.reused[i]
			next.reused++
		} else {
			next.members[i] = noFindings
		}
	}
	broken := prog.Main != nil && prog.Main.HasUnparsed()
	for _, a := range analyzers {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		rc, configured := cfg.Rules[a.ID]
		if rc.Off || a.Review && !cfg.Settings.ReviewMode && !(configured && rc.Severity != 0) {
			continue
		}
		if a.DataSource && kind != model.Connector || a.Absence && broken || kind == model.TestQueries && a.Scope != TestScope {
			continue
		}
		perMember := a.PerMember && !a.Absence && a.Scope != TestScope && spans.len() > 0
		pass := &Pass{Analyzer: a, Prog: prog, Config: cfg, Files: scopeFiles(prog, a.Scope)}
		if len(pass.Files) == 0 || a.Run == nil {
			continue
		}
		if perMember && reuse != nil {
			if reuse.index == nil {
				reuse.index = model.IndexOf(reuse.nodes...)
				reuse.members = make([]*model.Member, len(reuse.recomputed))
				for j, i := range reuse.recomputed {
					reuse.members[j] = prog.MemberList[i]
				}
			}
			pass.restrict, pass.only, pass.onlyIndex, pass.onlyMembers = true, reuse.nodes, reuse.index, reuse.members
		}
		a.Run(pass)
		var reaching []int // members with a finding that reaches outside them
		if perMember && keep {
			reaching = reachingOut(prog.Main.Path, pass.diags, spans)
		}
		found := dropUnparsed(prog, pass.diags)
		if rc.Severity != 0 {
			for i := range found {
				found[i].Severity = rc.Severity
			}
		}
		if perMember && keep {
			found = next.file(prog.Main.Path, a, found, spans, reuse, reaching)
		}
		sortTotal(found)
		diags = append(diags, dedup(found)...)
	}
	diags = suppress(prog, diags)
	Sort(diags)
	if !keep {
		return diags, nil, nil
	}
	if next.doc != nil {
		next.doc.detach()
	}
	return diags, next, nil
}

// file files the findings of the per-member analyzer a: those in a member
// of the main document computed now go to that member's findings. It
// returns them with the findings of a in the members reused from the
// previous check.
func (inc *Incremental) file(main string, a *Analyzer, found []Diagnostic, spans *memberSpans, reuse *reusePlan, reaching []int) []Diagnostic {
	fresh := func(i int) bool { return reuse == nil || reuse.reused[i] == nil }
	for _, i := range reaching {
		if !fresh(i) {
			inc.full = true
			continue
		}
		if inc.members[i] == noFindings {
			inc.members[i] = &memberFindings{}
		}
		inc.members[i].volatile = true
	}
	for _, d := range found {
		i := -1
		if d.Path == main {
			i = spans.at(d.Start)
		}
		switch {
		case d.Path != main:
			// The other files are checked again every time.
		case i < 0:
			// In the section's attributes, which per-member analyzers
			// read at every check.
		case !fresh(i):
			// In a member whose findings were reused: which member it
			// came from is not known, so the next check computes
			// everything again.
			inc.full = true
		default:
			mf := inc.members[i]
			if mf == noFindings {
				mf = &memberFindings{}
				inc.members[i] = mf
			}
			if inside(d, main, spans.start(i), spans.end(i)) {
				mf.found = append(mf.found, memberFinding{a, moved(d, -spans.start(i))})
			} else {
				mf.volatile = true
			}
		}
	}
	for i := range spans.len() {
		if !fresh(i) {
			for _, f := range inc.members[i].found {
				if f.a == a {
					found = append(found, moved(f.d, spans.start(i)))
				}
			}
		}
	}
	return found
}

// reachingOut returns the members of the main document holding a finding
// whose fixes or related places lie outside the member. It looks at the
// findings as reported, before fixes into members with syntax errors are
// dropped: such a finding, whatever is dropped now, depends on another
// member.
func reachingOut(main string, diags []Diagnostic, spans *memberSpans) []int {
	var out []int
	for _, d := range diags {
		if d.Path != main {
			continue
		}
		if i := spans.at(d.Start); i >= 0 && !inside(d, main, spans.start(i), spans.end(i)) {
			out = append(out, i)
		}
	}
	return out
}

// Kind says what the project's main document is: a connector, an extension,
// an SDK template, or no connector (queries, a function library). Only
// connectors and extensions get findings beyond syntax errors.
func Kind(p *project.Project, files Files) model.ProjectKind {
	prog, _ := Load(p, files)
	return prog.Kind()
}

// Load parses the project's M files and builds their model. It returns the
// syntax errors of every file as diagnostics.
func Load(p *project.Project, files Files) (*model.Program, []Diagnostic) {
	var diags []Diagnostic
	parse := func(path string, role project.Role) *model.File {
		f, err := files.Parsed(path)
		if err != nil || f == nil {
			return nil
		}
		if role == project.Test && model.IsTestPlaceholder(f.Src) {
			return nil // prose for the author to replace, not M: see IsTestPlaceholder
		}
		for _, e := range f.Errors {
			start, end := f.ErrorSpan(e)
			diags = append(diags, Diagnostic{Path: path, Start: start, End: end, Severity: Error, Code: SyntaxCode, Message: f.Message(e)})
		}
		return &model.File{Path: path, AST: f, Role: role}
	}
	// Faults in the project and resource files (malformed XML, say) are
	// findings too, so that an editor shows them where they are.
	for _, pr := range p.Problems {
		diags = append(diags, Diagnostic{Path: pr.Path, Start: pr.Offset, End: pr.Offset, Severity: Error, Code: ProjectCode,
			Message: pr.Err.Error()})
	}
	var main *model.File
	if p.Main != "" {
		main = parse(p.Main, project.Main)
	}
	var others []*model.File
	for _, m := range p.Modules {
		if f := parse(m, project.Module); f != nil {
			others = append(others, f)
		}
	}
	for _, t := range p.Tests {
		if f := parse(t, project.Test); f != nil {
			others = append(others, f)
		}
	}
	return model.New(p, main, others...), diags
}

func scopeFiles(prog *model.Program, s Scope) []*model.File {
	var out []*model.File
	for _, f := range prog.Files {
		var in bool
		switch f.Role {
		case project.Main:
			in = s != TestScope
		case project.Module:
			in = s == ExpressionScope
		case project.Test:
			in = s == TestScope
		}
		if in {
			out = append(out, f)
		}
	}
	return out
}

// dropUnparsed drops the findings inside members that hold a syntax error,
// where recovery may have invented names, and the fixes that would edit
// such members.
func dropUnparsed(prog *model.Program, diags []Diagnostic) []Diagnostic {
	inUnparsed := func(path string, off int) bool {
		f := prog.ByPath[path]
		if f == nil || !f.HasUnparsed() {
			return false
		}
		if f.AST.Section == nil {
			return true // one expression: the whole file is the member
		}
		for _, m := range f.AST.Section.Members {
			if start, end := f.AST.Span(m); off >= start && off <= end {
				return f.Unparsed(m)
			}
		}
		return false
	}
	out := diags[:0]
	for _, d := range diags {
		if inUnparsed(d.Path, d.Start) && !(prog.ByPath[d.Path].AST.Section == nil && d.Start == 0) {
			continue
		}
		fixes := d.Fixes[:0:0]
		for _, fx := range d.Fixes {
			if !slices.ContainsFunc(fx.Edits, func(e TextEdit) bool { return inUnparsed(e.Path, e.Start) }) {
				fixes = append(fixes, fx)
			}
		}
		d.Fixes = fixes
		out = append(out, d)
	}
	return out
}

// dedup drops repeated findings: a rule that meets one piece of code
// through several paths — an options record shared by two requests, say —
// reports it once.
func dedup(diags []Diagnostic) []Diagnostic {
	type key struct {
		path       string
		start, end int
		code, msg  string
	}
	seen := make(map[key]bool, len(diags))
	out := diags[:0]
	for _, d := range diags {
		k := key{d.Path, d.Start, d.End, d.Code, d.Message}
		if !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	return out
}

// Sort orders diagnostics by path, offset and code, then end and message,
// so that the order does not depend on the order rules reported in.
func Sort(diags []Diagnostic) { sortTotal(diags) }

func sortTotal(diags []Diagnostic) {
	slices.SortStableFunc(diags, func(a, b Diagnostic) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		if c := strings.Compare(a.Code, b.Code); c != 0 {
			return c
		}
		if a.End != b.End {
			return a.End - b.End
		}
		return strings.Compare(a.Message, b.Message)
	})
}

// directive matches suppression comments:
//
//	// pqls-disable-next-line PQC030 -- reason
//	// pqls-disable PQC007, PQC008 -- reason
//
// The catalogue's pqc- spelling is accepted too.
var directive = regexp.MustCompile(`^(?://|/\*)\s*(?:pqls|pqc)-disable(-next-line)?((?:[\s,]+PQC\d{3})+)`)

var ruleID = regexp.MustCompile(`PQC\d{3}`)

// suppress drops the findings that suppression comments silence.
func suppress(prog *model.Program, diags []Diagnostic) []Diagnostic {
	type key struct {
		code string
		line int
	}
	type rules struct {
		file  map[string]bool
		lines map[key]bool
	}
	byPath := map[string]*rules{}
	for _, f := range prog.Files {
		var r *rules
		for _, c := range f.AST.Comments {
			if !strings.Contains(c.Text, "-disable") {
				continue // not a directive; the regular expression costs more than this test, for every comment at every check
			}
			m := directive.FindStringSubmatch(c.Text)
			if m == nil {
				continue
			}
			if r == nil {
				r = &rules{file: map[string]bool{}, lines: map[key]bool{}}
				byPath[f.Path] = r
			}
			_, end := f.AST.Span(&c)
			line := f.AST.Lines.UTF8(end).Line + 1
			for _, id := range ruleID.FindAllString(m[2], -1) {
				if m[1] != "" {
					r.lines[key{id, line}] = true
				} else {
					r.file[id] = true
				}
			}
		}
	}
	if len(byPath) == 0 {
		return diags
	}
	out := diags[:0]
	for _, d := range diags {
		if r := byPath[d.Path]; r != nil && d.Code != SyntaxCode {
			f := prog.ByPath[d.Path]
			line := f.AST.Lines.UTF8(d.Start).Line
			if r.file[d.Code] || r.lines[key{d.Code, line}] {
				continue
			}
		}
		out = append(out, d)
	}
	return out
}
