package naming

import (
	"sort"

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
func stRenameEdits(prog *model.Program, kinds, members map[string]string) []analysis.TextEdit {
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
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].Path != edits[j].Path {
			return edits[i].Path < edits[j].Path
		}
		return edits[i].Start < edits[j].Start
	})
	return edits
}
