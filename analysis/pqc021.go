package analysis

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/pqls/pqls/analysis/model"
	"github.com/pqls/pqls/grammar/ast"
)

// PQC021 checks that the files the connector reads are in the package.
var PQC021 = &Analyzer{
	ID:       "PQC021",
	Title:    "File read with Extension.Contents is missing or not packaged",
	Severity: Warning,
	Doc: "Extension.Contents reads files from the built .mez archive, and only the files the project " +
		"file lists (MezContent items of a .proj, Compile items of a .mproj) go into it. A name that " +
		"matches no file in the project, or a file the project file leaves out, fails at run time — " +
		"typically as a missing icon or a module that cannot be loaded. The rule checks literal names " +
		"passed to Extension.Contents and to loader functions that hand their argument to it; without " +
		"a project file only the existence of the file is checked.",
	HelpURI: "https://learn.microsoft.com/power-query/handling-data-access",
	Bad:     "Icon16 = { Extension.Contents(\"Contoso16.png\") }  // Contoso16.png not in Contoso.proj",
	Good:    "<MezContent Include=\"Contoso16.png\" /> added to Contoso.proj",
	Scope:   ConnectorScope,
	Run:     runPQC021,
}

func runPQC021(p *Pass) {
	proj := p.Prog.Project
	if proj == nil {
		return
	}
	for _, f := range p.Files {
		for _, use := range prjContentsNames(p.Prog, f) {
			name := use.name
			path, ok := proj.ResolveContents(name)
			if !ok {
				p.ReportNode(f, use.lit, fmt.Sprintf("Extension.Contents(%q) finds no such file in the project folder: add the file or correct the name", name))
				continue
			}
			if proj.ProjFile == "" {
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
				p.ReportNode(f, use.lit, fmt.Sprintf("%s exists but %s does not package it, so Extension.Contents(%q) fails in the built connector: add <MezContent Include=%q /> to the project file",
					filepath.Base(path), filepath.Base(proj.ProjFile), name, pqc021Rel(proj.Root, path)))
			}
		}
	}
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
		if ff.Role == model.TestDoc {
			continue
		}
		for _, r := range prjRoots(ff) {
			for _, call := range prog.Calls(ff, r, "Extension.Contents") {
				arg := model.Arg(call, 0)
				if ff == f {
					add(ff, arg)
				}
				id, ok := model.Unparen(arg).(*ast.Ident)
				if !ok {
					continue
				}
				d := ff.Refs[id]
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
				for _, def := range ff.Defs {
					if (def.Kind == model.DefMember || def.Kind == model.DefBinding) && def.Value != nil {
						if g, _, _ := prog.Function(ff, def.Value); g == fn && idx >= 0 {
							loaders = append(loaders, loader{def, idx})
						}
					}
				}
			}
		}
	}
	if len(loaders) == 0 {
		return out
	}
	for _, r := range prjRoots(f) {
		ast.Inspect(r, func(n ast.Node) bool {
			call, ok := n.(*ast.InvokeExpr)
			if !ok {
				return true
			}
			id, ok := model.Unparen(call.Fun).(*ast.Ident)
			if !ok {
				return true
			}
			d := f.Refs[id]
			for _, l := range loaders {
				if d != nil && (d == l.def || d.Member != nil && d.Member == l.def.Member) {
					add(f, model.Arg(call, l.index))
				}
			}
			return true
		})
	}
	return out
}
