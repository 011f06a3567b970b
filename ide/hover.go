package ide

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// Hover returns Markdown describing the name at off and the range it
// covers; ok is false where there is nothing to say.
func Hover(prog *model.Program, f *model.File, off int) (text string, loc Location, ok bool) {
	if text, loc, ok := stringHover(prog, f, off); ok {
		return text, loc, true
	}
	id, d := defAt(prog, f, off)
	if id == nil {
		return "", Location{}, false
	}
	start, end := f.AST.Span(id)
	loc = Location{f.Path, start, end}
	var b strings.Builder
	switch {
	case d == nil:
		if fn, ok := libraryFunc(id.Name); ok {
			libraryHover(&b, fn)
			return b.String(), loc, true
		}
		return "", Location{}, false
	case d.Kind == model.DefLibrary:
		fn, _ := libraryFunc(d.Name)
		fn.Name = d.Name
		libraryHover(&b, fn)
	default:
		defHover(&b, prog, d)
	}
	return b.String(), loc, true
}

func libraryHover(b *strings.Builder, fn model.LibraryFunc) {
	sig := fn.Signature
	if sig == "" {
		sig = fn.Name
	}
	fmt.Fprintf(b, "```powerquery\n%s\n```\n", sig)
	if sum := Summary(fn.Name); sum != "" {
		b.WriteString(sum + "\n\n")
	}
	b.WriteString("Standard library")
	if fn.URL != "" {
		fmt.Fprintf(b, " — [reference](%s)", fn.URL)
	}
	b.WriteString("\n")
}

var defKinds = map[model.DefKind]string{
	model.DefMember:  "section member",
	model.DefBinding: "let variable",
	model.DefParam:   "parameter",
	model.DefField:   "record field",
	model.DefEach:    "the each parameter",
}

func defHover(b *strings.Builder, prog *model.Program, d *model.Def) {
	head := d.Name
	if d.Kind == model.DefParam && d.Param != nil {
		head = source(prog.DefFile(d), d.Param)
	} else if d.Value != nil {
		head = d.Name + " = " + firstLine(source(prog.DefFile(d), d.Value))
	}
	if d.Kind == model.DefMember && d.Member != nil && d.Member.Shared {
		head = "shared " + head
	}
	fmt.Fprintf(b, "```powerquery\n%s\n```\n%s", head, defKinds[d.Kind])
	if d.Value != nil && prog.DefFile(d) != nil {
		fn, typ, meta := prog.Function(prog.DefFile(d), d.Value)
		file := prog.DefFile(d)
		if fn == nil && typ == nil {
			// A function loaded from a module.
			if v, vf := valueThroughModules(prog, prog.DefFile(d), d.Value); v != nil && vf != nil {
				fn, typ, meta = prog.Function(vf, v)
				file = vf
			}
		}
		if fn != nil || typ != nil {
			if fn != nil {
				fmt.Fprintf(b, "\n\nfunction %s", signature(file, fn))
				if file != prog.DefFile(d) {
					fmt.Fprintf(b, " — from %s", filepath.Base(file.Path))
				}
			}
			if doc := docText(prog, meta); doc != "" {
				fmt.Fprintf(b, "\n\n%s", doc)
			}
		}
	}
	if d.Kind == model.DefMember && d.Member != nil {
		if kind, ok := model.Text(d.Member.Attrs["DataSource.Kind"]); ok {
			fmt.Fprintf(b, "\n\nData source function of kind `%s`", kind)
		}
	}
	b.WriteString("\n")
}

func signature(f *model.File, fn *ast.FunctionExpr) string {
	var parts []string
	for _, p := range fn.Params {
		parts = append(parts, source(f, p))
	}
	sig := "(" + strings.Join(parts, ", ") + ")"
	if fn.Return != nil {
		sig += " as " + source(f, fn.Return)
	}
	return sig
}

// docText renders Documentation.Name and Documentation.LongDescription,
// looking up the strings of Extension.LoadString in resources.resx.
func docText(prog *model.Program, meta *ast.RecordExpr) string {
	var out []string
	for _, name := range []string{"Documentation.Name", "Documentation.LongDescription", "Documentation.Description"} {
		if fld := model.Field(meta, name); fld != nil {
			if s, ok := textOrResource(prog, fld.Value); ok {
				out = append(out, s)
			}
		}
	}
	return strings.Join(out, "\n\n")
}

func source(f *model.File, n ast.Node) string {
	start, end := f.AST.Span(n)
	return string(f.AST.Src[start:end])
}

func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return strings.TrimRight(s[:i], " \t") + " …"
	}
	if len(s) > 120 {
		return s[:117] + "…"
	}
	return s
}

// stringHover describes the text at off when it names something: the
// string of a resources.resx key, or a file of the project.
func stringHover(prog *model.Program, f *model.File, off int) (string, Location, bool) {
	call, lit, value := textArgAt(prog, f, off)
	if call == nil {
		return "", Location{}, false
	}
	s, e := f.AST.Span(lit)
	loc := Location{f.Path, s, e}
	if calleeName(call) == "Extension.LoadString" {
		if prog.Project == nil {
			return "", Location{}, false
		}
		str, ok := prog.Project.Resources[value]
		if !ok {
			return fmt.Sprintf("resources.resx has no string named `%s`", value), loc, true
		}
		return fmt.Sprintf("resources.resx: `%s`\n\n%s", value, str), loc, true
	}
	if path := ProjectFile(prog, value); path != "" {
		return fmt.Sprintf("Project file `%s`", relTo(prog.Project.Root, path)), loc, true
	}
	return "", Location{}, false
}
