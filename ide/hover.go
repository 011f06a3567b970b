package ide

import (
	"fmt"
	"strings"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// Hover returns Markdown describing the name at off and the range it
// covers; ok is false where there is nothing to say.
func Hover(prog *model.Program, f *model.File, off int) (text string, loc Location, ok bool) {
	id, d := defAt(prog, f, off)
	if id == nil {
		return "", Location{}, false
	}
	start, end := f.AST.Span(id)
	loc = Location{f.Path, start, end}
	var b strings.Builder
	switch {
	case d == nil:
		if fn, ok := model.Library()[id.Name]; ok {
			libraryHover(&b, fn)
			return b.String(), loc, true
		}
		return "", Location{}, false
	case d.Kind == model.DefLibrary:
		libraryHover(&b, model.Library()[d.Name])
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
		head = source(d.File, d.Param)
	} else if d.Value != nil {
		head = d.Name + " = " + firstLine(source(d.File, d.Value))
	}
	if d.Kind == model.DefMember && d.Member != nil && d.Member.Shared {
		head = "shared " + head
	}
	fmt.Fprintf(b, "```powerquery\n%s\n```\n%s", head, defKinds[d.Kind])
	if d.Value != nil && d.File != nil {
		if fn, typ, meta := prog.Function(d.File, d.Value); fn != nil || typ != nil {
			if fn != nil {
				fmt.Fprintf(b, "\n\nfunction %s", signature(d.File, fn))
			}
			if doc := docText(meta); doc != "" {
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

// docText renders Documentation.Name and Documentation.LongDescription.
func docText(meta *ast.RecordExpr) string {
	var out []string
	for _, name := range []string{"Documentation.Name", "Documentation.LongDescription", "Documentation.Description"} {
		if fld := model.Field(meta, name); fld != nil {
			if s, ok := model.Text(fld.Value); ok {
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
