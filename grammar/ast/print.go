package ast

import (
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/pqls/pqls/grammar/token"
)

// Fprint writes a readable dump of the tree rooted at n to w, one node per
// line, indented by depth, with each node's byte range and each position
// shown as a byte offset. It is what `pqls parse --ast` prints and what the
// golden tests compare.
func Fprint(w io.Writer, f *File, n Node) error {
	pr := &printer{w: w, f: f}
	pr.node(n, 0, "")
	return pr.err
}

type printer struct {
	w   io.Writer
	f   *File
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

var posType = reflect.TypeOf(token.NoPos)

func (p *printer) node(n Node, depth int, label string) {
	indent := strings.Repeat("  ", depth)
	if n == nil || reflect.ValueOf(n).IsNil() {
		return
	}
	v := reflect.ValueOf(n).Elem()
	t := v.Type()
	start, end := p.f.Span(n)
	p.printf("%s%s%s [%d,%d)", indent, label, t.Name(), start, end)
	// Scalars on the node's own line.
	for i := 0; i < t.NumField(); i++ {
		fv, ft := v.Field(i), t.Field(i)
		switch {
		case ft.Type == posType:
			if pos := fv.Interface().(token.Pos); pos.IsValid() {
				p.printf(" %s=%d", ft.Name, p.f.Offset(pos))
			}
		case fv.Kind() == reflect.String:
			p.printf(" %s=%q", ft.Name, fv.String())
		case ft.Type == reflect.TypeOf(token.ILLEGAL):
			p.printf(" %s=%s", ft.Name, fv.Interface())
		case ft.Type == reflect.TypeOf(Regular):
			p.printf(" %s=%d", ft.Name, fv.Uint())
		}
	}
	p.printf("\n")
	for i := 0; i < t.NumField(); i++ {
		fv, ft := v.Field(i), t.Field(i)
		switch fv.Kind() {
		case reflect.Interface, reflect.Pointer:
			if fv.IsNil() {
				continue
			}
			if child, ok := fv.Interface().(Node); ok {
				p.node(child, depth+1, ft.Name+": ")
			}
		case reflect.Slice:
			for j := 0; j < fv.Len(); j++ {
				if child, ok := fv.Index(j).Interface().(Node); ok {
					p.node(child, depth+1, fmt.Sprintf("%s[%d]: ", ft.Name, j))
				}
			}
		}
	}
}
