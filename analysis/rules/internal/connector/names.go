package connector

import (
	"sort"
	"strconv"
	"strings"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// TextLiteral returns x as a text literal, or nil.
func TextLiteral(x ast.Expr) *ast.Literal {
	if l, ok := model.Unparen(x).(*ast.Literal); ok && (l.Kind == token.TEXT || l.Kind == token.VERBATIM) {
		return l
	}
	return nil
}

// AttrLiteral returns the text literal of member attribute name, or nil.
func AttrLiteral(m *model.Member, name string) *ast.Literal {
	return TextLiteral(m.Attrs[name])
}

// AsExpr returns n as an expression, or nil when it is not one.
func AsExpr(n ast.Node) ast.Expr {
	x, _ := n.(ast.Expr)
	return x
}

// FreeName returns base, or base with a number appended, so that it names
// no existing member other than those in except.
func FreeName(prog *model.Program, base string, except map[string]bool) string {
	name := base
	for i := 2; ; i++ {
		if _, taken := prog.Members[name]; !taken || except[name] {
			return name
		}
		name = base + strconv.Itoa(i)
	}
}

// WithoutWords removes the matched words from name and tidies what is
// left: "ContosoConnector" → "Contoso", "ContosoForPowerBI" → "Contoso".
func WithoutWords(name string, ms []model.ForbiddenMatch) string {
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
