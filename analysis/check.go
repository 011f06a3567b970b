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
	diags, _ := CheckContext(context.Background(), prog, loaded, cfg, analyzers)
	return diags
}

// CheckContext is Check that stops between analyzers once ctx is done,
// returning ctx's error and no findings: the server abandons the check of
// a project state as soon as a newer state makes it stale.
func CheckContext(ctx context.Context, prog *model.Program, loaded []Diagnostic, cfg *config.Config, analyzers []*Analyzer) ([]Diagnostic, error) {
	if cfg == nil {
		cfg = config.Default()
	}
	diags := slices.Clone(loaded)
	kind := prog.Kind()
	if kind == model.Template {
		// {{…}} placeholders are not M: neither syntax errors nor findings.
		return nil, nil
	}
	if kind == model.NoConnector {
		// A folder of queries or a function library: only its syntax.
		Sort(diags)
		return diags, nil
	}
	broken := prog.Main != nil && prog.Main.HasUnparsed()
	for _, a := range analyzers {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rc, configured := cfg.Rules[a.ID]
		if rc.Off || a.Review && !cfg.Settings.ReviewMode && !(configured && rc.Severity != 0) {
			continue
		}
		if a.DataSource && kind != model.Connector || a.Absence && broken {
			continue
		}
		pass := &Pass{Analyzer: a, Prog: prog, Config: cfg, Files: scopeFiles(prog, a.Scope)}
		if len(pass.Files) == 0 || a.Run == nil {
			continue
		}
		a.Run(pass)
		pass.diags = dedup(dropUnparsed(prog, pass.diags))
		if rc.Severity != 0 {
			for i := range pass.diags {
				pass.diags[i].Severity = rc.Severity
			}
		}
		diags = append(diags, pass.diags...)
	}
	diags = suppress(prog, diags)
	Sort(diags)
	return diags, nil
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

// Sort orders diagnostics by path, offset and code.
func Sort(diags []Diagnostic) {
	slices.SortStableFunc(diags, func(a, b Diagnostic) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return strings.Compare(a.Code, b.Code)
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
