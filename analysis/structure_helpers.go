package analysis

import (
	"sort"
	"strconv"
	"strings"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/scanner"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// Helpers shared by the structure rules (kinds, data-source functions,
// records, renames).

// stIdentEdit rewrites identifier id of f to name, keeping the quoted form.
func stIdentEdit(f *model.File, id *ast.Ident, name string) TextEdit {
	text := model.IdentText(name)
	if id.Kind == ast.Quoted {
		text = "#" + model.QuoteText(name)
	}
	return Replace(f, id, text)
}

// stTextLiteral returns x as a text literal, or nil.
func stTextLiteral(x ast.Expr) *ast.Literal {
	if l, ok := model.Unparen(x).(*ast.Literal); ok && (l.Kind == token.TEXT || l.Kind == token.VERBATIM) {
		return l
	}
	return nil
}

// stAttrLiteral returns the text literal of member attribute name, or nil.
func stAttrLiteral(m *model.Member, name string) *ast.Literal {
	return stTextLiteral(m.Attrs[name])
}

// stLineIndent returns the white space that starts the line containing off.
func stLineIndent(f *model.File, off int) string {
	src := f.AST.Src
	start := off
	for start > 0 && src[start-1] != '\n' {
		start--
	}
	end := start
	for end < len(src) && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	return string(src[start:end])
}

// stLineStartOf returns the offset of the start of the line containing off.
func stLineStartOf(f *model.File, off int) int {
	return f.AST.Lines.LineStart(f.AST.Lines.UTF8(off).Line)
}

// stFirstOnLine reports whether only white space precedes off on its line.
func stFirstOnLine(f *model.File, off int) bool {
	return strings.TrimSpace(string(f.AST.Src[stLineStartOf(f, off):off])) == ""
}

// stNewline returns the line ending the file uses.
func stNewline(f *model.File) string {
	if strings.Contains(string(f.AST.Src), "\r\n") {
		return "\r\n"
	}
	return "\n"
}

// stAddFieldEdit inserts the field text (Name = value, without separator)
// into record r of f, before its first field.
func stAddFieldEdit(f *model.File, r *ast.RecordExpr, field string) TextEdit {
	open, _ := Span(f, r)
	if len(r.Fields) == 0 {
		return Insert(f, open+1, field)
	}
	first, _ := Span(f, r.Fields[0])
	if stFirstOnLine(f, first) && stLineStartOf(f, first) > stLineStartOf(f, open) {
		return Insert(f, first, field+","+stNewline(f)+stLineIndent(f, first))
	}
	return Insert(f, first, field+", ")
}

// stMainDSF picks the function a kind's TestConnection should call: the
// first one that is published, else the first.
func stMainDSF(k *model.Kind) *model.DSF {
	for _, d := range k.DSFs {
		if d.Publish != "" {
			return d
		}
	}
	if len(k.DSFs) > 0 {
		return k.DSFs[0]
	}
	return nil
}

// stTestConnectionText builds a TestConnection handler that calls d with
// the values of its data source path: nothing for a singleton, the path for
// one Uri.Type parameter, the fields of the path decoded with Json.Document
// otherwise. indent is the indentation of the field.
func stTestConnectionText(prog *model.Program, d *model.DSF, indent, nl string) (string, bool) {
	req, ok := prog.RequiredParams(d)
	if !ok {
		return "", false
	}
	name := model.QuoteText(d.Member.Name)
	switch len(req) {
	case 0:
		return "TestConnection = (dataSourcePath) => { " + name + " }", true
	case 1:
		// A single Uri.Type parameter is the path itself; any other
		// parameters arrive as a JSON record of their values.
		if strings.TrimPrefix(req[0].Type, "nullable ") == "Uri.Type" {
			return "TestConnection = (dataSourcePath) => { " + name + ", dataSourcePath }", true
		}
	}
	items := []string{name}
	for _, p := range req {
		items = append(items, "json["+model.IdentText(p.Name)+"]")
	}
	in := indent + "    "
	return "TestConnection = (dataSourcePath) =>" + nl +
		in + "let" + nl +
		in + "    json = Json.Document(dataSourcePath)" + nl +
		in + "in" + nl +
		in + "    { " + strings.Join(items, ", ") + " }", true
}

// stRenameEdits renames section members (old name → new name) everywhere in
// the project: the member names, the identifiers that refer to them, the
// Publish attributes and the text literals of TestConnection handlers that
// name them. kinds renames data source kinds: the DataSource.Kind
// attribute values and the section name when it equals the kind.
func stRenameEdits(prog *model.Program, kinds, members map[string]string) []TextEdit {
	f := prog.Main
	var edits []TextEdit
	type key struct {
		path       string
		start, end int
	}
	seen := map[key]bool{}
	add := func(e TextEdit) {
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
		if l := stAttrLiteral(m, "DataSource.Kind"); l != nil {
			if nn, ok := kinds[scanner.Unquote(l.Value)]; ok {
				add(Replace(f, l, model.QuoteText(nn)))
			}
		}
		if l := stAttrLiteral(m, "Publish"); l != nil {
			if nn, ok := members[scanner.Unquote(l.Value)]; ok {
				add(Replace(f, l, model.QuoteText(nn)))
			}
		}
	}
	if sec := f.AST.Section; sec != nil && sec.Name != nil {
		if nn, ok := kinds[sec.Name.Name]; ok && model.IsRegularIdent(nn) {
			add(Replace(f, sec.Name, nn))
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
			if l := stTextLiteral(stAsExpr(n)); l != nil {
				if nn, ok := members[scanner.Unquote(l.Value)]; ok {
					add(Replace(tf, l, model.QuoteText(nn)))
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

func stAsExpr(n ast.Node) ast.Expr {
	x, _ := n.(ast.Expr)
	return x
}

// stFreeName returns base, or base with a number appended, so that it names
// no existing member other than those in except.
func stFreeName(prog *model.Program, base string, except map[string]bool) string {
	name := base
	for i := 2; ; i++ {
		if _, taken := prog.Members[name]; !taken || except[name] {
			return name
		}
		name = base + strconv.Itoa(i)
	}
}

// stWithoutWords removes the matched words from name and tidies what is
// left: "ContosoConnector" → "Contoso", "ContosoForPowerBI" → "Contoso".
func stWithoutWords(name string, ms []model.ForbiddenMatch) string {
	sort.Slice(ms, func(i, j int) bool { return ms[i].Start > ms[j].Start })
	out := name
	for _, m := range ms {
		if m.Start < 0 || m.End > len(out) {
			continue
		}
		head, tail := out[:m.Start], out[m.End:]
		if tail == "" || strings.HasPrefix(tail, ".") {
			// A joining word left dangling at the end: ContosoFor.
			for _, join := range []string{"For", "By", "Via", "To", "And", "On"} {
				if strings.HasSuffix(head, join) && len(head) > len(join) {
					head = head[:len(head)-len(join)]
					break
				}
			}
		}
		out = head + tail
	}
	for strings.Contains(out, "..") {
		out = strings.ReplaceAll(out, "..", ".")
	}
	out = strings.ReplaceAll(out, "__", "_")
	out = strings.ReplaceAll(out, "._", ".")
	out = strings.ReplaceAll(out, "_.", ".")
	return strings.Trim(out, "._ -")
}
