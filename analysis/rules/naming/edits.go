package naming

import (
	"path/filepath"
	"sort"
	"strconv"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/scanner"
	"github.com/pqls/pqls/model"
)

// stIdentEdit rewrites identifier id of f to name, keeping the quoted form.
func stIdentEdit(f *model.File, id *ast.Ident, name string) analysis.TextEdit {
	text := model.IdentText(name)
	if id.Kind == ast.Quoted {
		text = "#" + model.QuoteText(name)
	}
	return analysis.Replace(f, id, text)
}

// stRenameEdits renames section members (old name → new name) everywhere in
// the project: the member names, the identifiers that refer to them, the
// Publish attributes and the text literals of TestConnection handlers that
// name them. kinds renames data source kinds: the DataSource.Kind
// attribute values and the section name when it equals the kind.
//
// A rename must reach every use, or the connector breaks where it did
// not: when some file of the project names an old name in a way the
// rename cannot follow — an identifier that does not resolve to the
// member, #shared[Name], or a text that is exactly the name (as given to
// Record.Field or Expression.Evaluate) — there are no edits and why says
// where.
func stRenameEdits(prog *model.Program, kinds, members map[string]string) (_ []analysis.TextEdit, why string) {
	f := prog.Main
	var edits []analysis.TextEdit
	type key struct {
		path       string
		start, end int
	}
	seen := map[key]bool{}
	add := func(e analysis.TextEdit) {
		k := key{e.Path, e.Start, e.End}
		if !seen[k] {
			seen[k] = true
			edits = append(edits, e)
		}
	}
	for _, m := range prog.MemberList {
		if nn, ok := members[m.Name]; ok {
			add(stIdentEdit(f, m.Node.Name, nn))
			for _, r := range prog.RefsTo(m.Def) {
				add(stIdentEdit(r.File, r.Ident, nn))
			}
		}
		if l := connector.AttrLiteral(m, "DataSource.Kind"); l != nil {
			if nn, ok := kinds[scanner.Unquote(l.Value)]; ok {
				add(analysis.Replace(f, l, model.QuoteText(nn)))
			}
		}
		if l := connector.AttrLiteral(m, "Publish"); l != nil {
			if nn, ok := members[scanner.Unquote(l.Value)]; ok {
				add(analysis.Replace(f, l, model.QuoteText(nn)))
			}
		}
	}
	if sec := f.AST.Section; sec != nil && sec.Name != nil {
		if nn, ok := kinds[sec.Name.Name]; ok && model.IsRegularIdent(nn) {
			add(analysis.Replace(f, sec.Name, nn))
		}
	}
	for _, k := range prog.Kinds {
		if k.Record == nil {
			continue
		}
		recs, _ := prog.Records(f, k.Record.Node.Value)
		fl, at := model.FieldIn(recs, "TestConnection")
		if fl == nil {
			continue
		}
		tf := prog.FileOf(at.File, fl.Value)
		ast.Inspect(prog.Value(at.File, fl.Value), func(n ast.Node) bool {
			if l := connector.TextLiteral(connector.AsExpr(n)); l != nil {
				if nn, ok := members[scanner.Unquote(l.Value)]; ok {
					add(analysis.Replace(tf, l, model.QuoteText(nn)))
				}
			}
			return true
		})
	}
	if why := stUnreached(prog, kinds, members, func(path string, n ast.Node, f *model.File) bool {
		start, end := analysis.Span(f, n)
		return seen[key{path, start, end}]
	}); why != "" {
		return nil, why
	}
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].Path != edits[j].Path {
			return edits[i].Path < edits[j].Path
		}
		return edits[i].Start < edits[j].Start
	})
	return edits, ""
}

// stUnreached returns where a file of the project names one of the old
// names in a way the rename's edits (edited tells which nodes they cover)
// do not follow, or "".
func stUnreached(prog *model.Program, kinds, members map[string]string, edited func(string, ast.Node, *model.File) bool) string {
	old := func(name string) bool {
		_, m := members[name]
		_, k := kinds[name]
		return m || k
	}
	var where string
	for _, f := range prog.Files {
		root := f.AST.Root()
		if root == nil {
			continue
		}
		ast.Inspect(root, func(n ast.Node) bool {
			if where != "" {
				return false
			}
			switch x := n.(type) {
			case *ast.Ident:
				if !old(x.Name) || edited(f.Path, x, f) {
					return true
				}
				switch pa := f.Parent(x).(type) {
				case *ast.Field, *ast.Binding, *ast.Param, *ast.Section:
					return true // a name of something else
				case *ast.Member:
					if pa.Name == x && f != prog.Main {
						return true
					}
				case *ast.FieldAccess:
					if pa.Name == x {
						where = "#shared-style field access " + analysis.Source(f, pa)
					}
					return true
				}
				if d := f.Ref(x); d == nil || d.Kind == model.DefMember {
					where = x.Name
				}
			case *ast.Literal:
				if s, ok := model.Text(x); ok && old(s) && !edited(f.Path, x, f) {
					where = "the text " + model.QuoteText(s)
				}
			}
			if where != "" {
				start, _ := analysis.Span(f, n)
				where += " in " + filepath.Base(f.Path) + " line " + strconv.Itoa(f.AST.Lines.UTF8(start).Line+1)
			}
			return where == ""
		})
	}
	if where == "" {
		return ""
	}
	return "the rename cannot follow " + where
}
