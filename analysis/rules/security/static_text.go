package security

import (
	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// staticText reports whether the text x evaluates to is fixed by the
// connector: text literals, packaged files read with Extension.Contents,
// Expression.Constant and Expression.Identifier, connector constants, and
// text functions of those. This is the safe provenance for
// Expression.Evaluate.
func staticText(p *analysis.Pass, f *model.File, x ast.Expr) bool {
	return (&staticChecker{p: p, busy: map[ast.Node]bool{}}).text(f, x, 0)
}

type staticChecker struct {
	p    *analysis.Pass
	busy map[ast.Node]bool
}

var staticTextFuncs = map[string]bool{
	"Text.FromBinary": true, "Text.Replace": true, "Text.Combine": true, "Text.Format": true,
	"Text.Lower": true, "Text.Upper": true, "Text.Trim": true, "Text.Clean": true, "Text.Middle": true,
	"Text.Start": true, "Text.End": true, "Text.From": true, "Text.ToBinary": true, "Binary.ToText": true,
	"Binary.FromText": true, "Text.Insert": true, "Text.Remove": true, "Text.Split": true,
	"Text.BeforeDelimiter": true, "Text.AfterDelimiter": true, "Text.Range": true, "List.Transform": true,
	"Binary.Decompress": true, "Json.Document": true, "Lines.FromBinary": true, "Lines.ToText": true,
	"Text.Replace.Range": true,
}

func (s *staticChecker) text(f *model.File, x ast.Expr, depth int) bool {
	if x == nil || depth > 40 {
		return false
	}
	if s.busy[x] {
		return false // recursion: unknown
	}
	s.busy[x] = true
	defer delete(s.busy, x)
	p := s.p
	switch v := model.Unparen(x).(type) {
	case *ast.Literal:
		return true
	case *ast.Ident:
		d := f.Ref(v)
		if d == nil {
			return false
		}
		switch d.Kind {
		case model.DefLibrary:
			return true
		case model.DefMember, model.DefBinding, model.DefField:
			return s.text(s.p.Prog.DefFile(d), d.Value, depth+1)
		case model.DefParam:
			fn, _ := d.Func.(*ast.FunctionExpr)
			if fn == nil || p.Prog.IsDSFFunc(fn) {
				return false
			}
			idx := -1
			for i, q := range fn.Params {
				if q == d.Param {
					idx = i
				}
			}
			sites := p.Prog.CallSites(fn)
			if idx < 0 {
				return false
			}
			if len(sites) == 0 {
				// A function nothing calls nor holds as a value — a loader
				// the connector defines and never uses — evaluates nothing.
				u := helperUses(p, fn, p.Prog.DefFile(d), nil)
				return !u.handed && !u.exported && len(u.hidden) == 0
			}
			for _, site := range sites {
				if idx >= len(site.Call.Args) {
					if d.Param.Optional.IsValid() {
						continue
					}
					return false
				}
				if !s.text(site.File, site.Call.Args[idx], depth+1) {
					return false
				}
			}
			return true
		}
		return false
	case *ast.BinaryExpr:
		switch v.Op {
		case token.META, token.AS:
			return s.text(f, v.X, depth+1)
		}
		return s.text(f, v.X, depth+1) && s.text(f, v.Y, depth+1)
	case *ast.InvokeExpr:
		name := p.Prog.CallName(f, v)
		switch {
		case name == "Expression.Constant" || name == "Expression.Identifier":
			return true
		case name == "Extension.Contents":
			return len(v.Args) > 0 && s.text(f, v.Args[0], depth+1)
		case staticTextFuncs[name]:
			for _, a := range v.Args {
				if _, ok := model.Unparen(a).(*ast.EachExpr); ok {
					continue
				}
				if !s.text(f, a, depth+1) {
					return false
				}
			}
			return true
		case name == "":
			fn, ff := p.Prog.FuncOf(f, v.Fun)
			if fn == nil {
				return false
			}
			for _, a := range v.Args {
				if !s.text(f, a, depth+1) {
					return false
				}
			}
			return s.text(ff, fn.Body, depth+1)
		}
		return false
	case *ast.FieldAccess:
		if v.X == nil || v.Name == nil {
			return false
		}
		rx := v.X
		rf := f
		if c, ok := model.Unparen(rx).(*ast.InvokeExpr); ok {
			if fn, ff := p.Prog.FuncOf(f, c.Fun); fn != nil {
				rx, rf = fn.Body, ff
			}
		}
		if r, rrf := p.Prog.RecordOf(rf, rx); r != nil {
			if fl := model.Field(r, v.Name.Name); fl != nil {
				return s.text(rrf, fl.Value, depth+1)
			}
		}
		return false
	case *ast.ItemAccess:
		return s.text(f, v.X, depth+1)
	case *ast.ListExpr:
		for _, it := range v.Items {
			if !s.text(f, it, depth+1) {
				return false
			}
		}
		return true
	case *ast.RecordExpr:
		for _, fl := range v.Fields {
			if !s.text(f, fl.Value, depth+1) {
				return false
			}
		}
		return true
	case *ast.IfExpr:
		return s.text(f, v.True, depth+1) && s.text(f, v.False, depth+1)
	case *ast.TryExpr:
		return s.text(f, v.Body, depth+1) && (v.Default == nil || s.text(f, v.Default, depth+1))
	case *ast.LetExpr:
		return s.text(f, v.Body, depth+1)
	case *ast.ErrorExpr:
		return true
	case *ast.FunctionExpr:
		return s.text(f, v.Body, depth+1)
	case *ast.EachExpr:
		return true
	}
	return false
}

// literalLeaves collects the text literals x is built from, following
// names.
func literalLeaves(p *analysis.Pass, f *model.File, x ast.Expr) []string {
	var out []string
	seen := map[ast.Node]bool{}
	var walk func(f *model.File, x ast.Expr, depth int)
	walk = func(f *model.File, x ast.Expr, depth int) {
		if x == nil || depth > 16 || seen[x] {
			return
		}
		seen[x] = true
		ast.Inspect(x, func(n ast.Node) bool {
			switch v := n.(type) {
			case *ast.Literal:
				if s, ok := model.Text(v); ok {
					out = append(out, s)
				}
			case *ast.Ident:
				if d := f.Ref(v); d != nil && d.Value != nil && d.Kind != model.DefParam {
					walk(p.Prog.DefFile(d), d.Value, depth+1)
				}
			}
			return true
		})
	}
	walk(f, x, 0)
	return out
}
