package resources

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
)

// PQC021 checks that the files the connector reads are in the package.
var PQC021 = &analysis.Analyzer{
	ID:       "PQC021",
	Fix:      analysis.ManualFix,
	Title:    "File read with Extension.Contents is missing or not packaged",
	Severity: analysis.Warning,
	Doc: "Extension.Contents reads files from the built .mez archive, and only the files the project " +
		"file lists (MezContent items of a .proj, Compile items of a .mproj) go into it. A name that " +
		"matches no file in the project, or a file the project file leaves out, fails at run time — " +
		"typically as a missing icon or a module that cannot be loaded. The rule checks literal names, in " +
		"the main document and in modules, " +
		"passed to Extension.Contents and to loader functions that hand their argument to it; without " +
		"a project file only the existence of the file is checked.",
	HelpURI: "https://learn.microsoft.com/power-query/handling-data-access",
	Bad:     "Icon16 = { Extension.Contents(\"Contoso16.png\") }  // Contoso16.png not in Contoso.proj",
	Good:    "<MezContent Include=\"Contoso16.png\" /> added to Contoso.proj",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC021,
}

func runPQC021(p *analysis.Pass) {
	proj := p.Prog.Project
	if proj == nil {
		return
	}
	for _, f := range prjCodeFiles(p.Prog) {
		for _, use := range prjContentsNames(p.Prog, f) {
			name := use.name
			path, ok := proj.ResolveContents(name)
			if !ok {
				msg := fmt.Sprintf("Extension.Contents(%s) finds no such file in the project folder: add the file or correct the name", model.QuoteText(name))
				var fixes []analysis.Fix
				if best, ok := model.ClosestName(name, pqc021Names(proj), 2); ok && pqc021Digits(best) == pqc021Digits(name) && !pqc021Reads(p.Prog, f, best) {
					msg += fmt.Sprintf(" (did you mean %s?)", model.QuoteText(best))
					fixes = append(fixes, analysis.Fix{Title: fmt.Sprintf("Read %s", model.QuoteText(best)), Preferred: true,
						Edits: []analysis.TextEdit{analysis.Replace(f, use.lit, model.QuoteText(best))}})
				}
				p.ReportNode(f, use.lit, msg, fixes...)
				continue
			}
			if !proj.PackageKnown() {
				continue // no project file, or one that does not parse
			}
			if !strings.EqualFold(filepath.Ext(proj.ProjFile), ".mproj") && strings.EqualFold(filepath.Dir(path), filepath.Clean(proj.Root)) {
				// The VS Code SDK builds a .proj project with MakePQX, which
				// packs every file of the project folder whatever the
				// MezContent items say: certified connectors load modules
				// their .proj never lists. Only a Visual Studio .mproj
				// packages exactly what it lists.
				continue
			}
			packaged := false
			for _, pk := range proj.Packaged {
				if strings.EqualFold(filepath.Clean(pk), path) {
					packaged = true
					break
				}
			}
			if !packaged {
				item := "MezContent"
				if strings.EqualFold(filepath.Ext(proj.ProjFile), ".mproj") {
					item = "Compile"
				}
				p.ReportNode(f, use.lit, fmt.Sprintf("%s exists but %s does not package it, so Extension.Contents(%s) fails in the built connector: add <%s Include=\"%s\" /> to the project file",
					filepath.Base(path), filepath.Base(proj.ProjFile), model.QuoteText(name), item, pqc021Rel(proj.Root, path)))
			}
		}
	}
}

// pqc021Names returns the names, relative to the project folder, of the
// files Extension.Contents could read: icons, modules and packaged files
// that exist.
func pqc021Names(proj *project.Project) []string {
	seen := map[string]bool{}
	var out []string
	for _, list := range [][]string{proj.Icons, proj.Modules, proj.Packaged} {
		for _, f := range list {
			if _, ok := proj.ResolveContents(pqc021Rel(proj.Root, f)); !ok {
				continue
			}
			name := filepath.ToSlash(pqc021Rel(proj.Root, f))
			name = strings.ReplaceAll(name, "/", `\`)
			if !seen[name] {
				seen[name] = true
				out = append(out, name)
			}
		}
	}
	return out
}

func pqc021Rel(root, path string) string {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return filepath.Base(path)
	}
	return strings.ReplaceAll(rel, "/", `\`)
}

// prjContentsUse is a literal file name that reaches Extension.Contents.
type prjContentsUse struct {
	lit  *ast.Literal
	name string
}

// prjContentsNames returns the literal names f passes to
// Extension.Contents, directly or through a loader function whose
// parameter is handed to it (Extension.LoadFunction("X.pqm")).
func prjContentsNames(prog *model.Program, f *model.File) []prjContentsUse {
	var out []prjContentsUse
	seen := map[*ast.Literal]bool{}
	add := func(ff *model.File, x ast.Expr) {
		if l, ok := model.Unparen(x).(*ast.Literal); ok && !seen[l] {
			if s, ok := model.Text(l); ok && ff == f {
				seen[l] = true
				out = append(out, prjContentsUse{l, s})
			}
		}
	}
	// loaders maps a function's Def to the index of the parameter it hands
	// to Extension.Contents.
	type loader struct {
		def   *model.Def
		index int
	}
	var loaders []loader
	for _, ff := range prog.Files {
		if ff.Role == project.Test {
			continue
		}
		for _, call := range prog.CallsTo(ff, "Extension.Contents") {
			arg := model.Arg(call, 0)
			if ff == f {
				add(ff, arg)
			}
			id, ok := model.Unparen(arg).(*ast.Ident)
			if !ok {
				continue
			}
			d := ff.Ref(id)
			if d == nil || d.Kind != model.DefParam {
				continue
			}
			fn, ok := d.Func.(*ast.FunctionExpr)
			if !ok {
				continue
			}
			idx := -1
			for i, prm := range fn.Params {
				if prm == d.Param {
					idx = i
				}
			}
			// The function is the value of a member or binding.
			for _, def := range ff.Defs() {
				if (def.Kind == model.DefMember || def.Kind == model.DefBinding) && def.Value != nil {
					if g, _, _ := prog.Function(ff, def.Value); g == fn && idx >= 0 {
						loaders = append(loaders, loader{def, idx})
					}
				}
			}
		}
	}
	if len(loaders) == 0 {
		return out
	}
	for call := range f.Calls() {
		id, ok := model.Unparen(call.Fun).(*ast.Ident)
		if !ok {
			continue
		}
		d := f.Ref(id)
		for _, l := range loaders {
			if d != nil && (d == l.def || d.Member != nil && d.Member == l.def.Member) {
				add(f, model.Arg(call, l.index))
			}
		}
	}
	return out
}

// pqc021Digits returns the digits of name: Contoso16.png is not a misspelt
// Contoso24.png.
func pqc021Digits(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// pqc021Reads reports whether f already reads the file name with
// Extension.Contents: correcting another name to it would list one icon
// twice.
func pqc021Reads(prog *model.Program, f *model.File, name string) bool {
	for _, use := range prjContentsNames(prog, f) {
		if strings.EqualFold(use.name, name) {
			return true
		}
	}
	return false
}
