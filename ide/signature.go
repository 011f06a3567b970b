package ide

import (
	"strings"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// Signature is the signature of a function being called.
type Signature struct {
	Label  string      // name(param, …) as return
	Params []ParamSpan // the parameters, as byte ranges of Label
	Doc    string      // Markdown: what the function does
	URL    string      // reference page, for library functions
	Active int         // the argument the cursor is in (may exceed the parameters)
}

// ParamSpan is one parameter of a Signature.
type ParamSpan struct {
	Name       string
	Start, End int // in Signature.Label
	Optional   bool
	Doc        string // the caption and description its type's metadata gives, or ""
}

// SignatureHelp returns the signature of the call whose argument list holds
// off, with the argument the cursor is in. It works in half-typed code: the
// call need not be closed, nor the let or member around it.
func SignatureHelp(prog *model.Program, f *model.File, off int) (Signature, bool) {
	fr, ok := enclosingCall(scanContext(nil, f.AST.Src, unitStart(f.AST, off), off).frames)
	if !ok {
		return Signature{}, false
	}
	sig, ok := calleeSignature(prog, f, fr.callee, fr.calleeStart)
	if !ok {
		return Signature{}, false
	}
	sig.Active = fr.arg
	return sig, true
}

// calleeSignature returns the signature of the function that the name
// written at at (spelled name) refers to: a library function, a section
// member, a let-bound function, or a function a module defines.
func calleeSignature(prog *model.Program, f *model.File, name string, at int) (Signature, bool) {
	var d *model.Def
	if id := identAt(f, at); id != nil && id.Name == name {
		d = f.Ref(id)
	}
	if d == nil {
		// The parser dropped the name (or it resolves to nothing): look
		// it up by name among the names in scope there.
		d = lookupName(prog, f, name, at)
	}
	if d == nil || d.Kind == model.DefLibrary {
		fn, ok := libraryFunc(name)
		if !ok || fn.Signature == "" {
			return Signature{}, false
		}
		sig := librarySignature(fn)
		sig.Doc = Summary(name)
		return sig, true
	}
	return defSignature(prog, d)
}

// lookupName finds the definition of name visible at off: the innermost
// binding, parameter or field, else a section member.
func lookupName(prog *model.Program, f *model.File, name string, off int) *model.Def {
	var best *model.Def
	bestStart := -1
	for _, d := range f.Defs() {
		if d.Name != name || d.Scope == nil {
			continue
		}
		start, end := f.AST.Span(d.Scope)
		if start <= off && off <= end && start > bestStart {
			best, bestStart = d, start
		}
	}
	if best != nil {
		return best
	}
	if m := prog.Members[name]; m != nil && (f == prog.Main || m.Shared) {
		return m.Def
	}
	return nil
}

// defSignature returns the signature of a function bound by d, following
// aliases, Value.ReplaceType and module loads to it. The ascribed type, when
// there is one, gives the parameters: it is what the user of the function
// sees.
func defSignature(prog *model.Program, d *model.Def) (Signature, bool) {
	if d.Value == nil || prog.DefFile(d) == nil {
		return Signature{}, false
	}
	file := prog.DefFile(d)
	fn, typ, meta := prog.Function(file, d.Value)
	if fn == nil && typ == nil {
		v, vf := valueThroughModules(prog, file, d.Value)
		if v != nil && vf != nil {
			fn, typ, meta = prog.Function(vf, v)
			file = vf
		}
	}
	if fn == nil && typ == nil {
		return Signature{}, false
	}
	var params []*ast.Param
	var ret ast.Expr
	if typ != nil {
		params, ret = typ.Params, typ.Return
		// The type is written where the Value.ReplaceType is: find its file.
		file = fileOf(prog, typ, file)
	} else {
		params, ret = fn.Params, fn.Return
	}
	var b strings.Builder
	sig := Signature{Doc: docText(prog, meta)}
	b.WriteString(Spell(d.Name))
	b.WriteString("(")
	for i, p := range params {
		if i > 0 {
			b.WriteString(", ")
		}
		text := source(file, p)
		ps := ParamSpan{Start: b.Len(), End: b.Len() + len(text), Optional: p.Optional.IsValid()}
		if p.Name != nil {
			ps.Name = p.Name.Name
		}
		b.WriteString(text)
		if typ != nil {
			ps.Doc = paramDoc(prog, file, p)
		}
		sig.Params = append(sig.Params, ps)
	}
	b.WriteString(")")
	if ret != nil {
		b.WriteString(" as " + source(file, ret))
	}
	sig.Label = b.String()
	return sig, true
}

// fileOf returns the file of prog whose tree holds n, trying hint first.
func fileOf(prog *model.Program, n ast.Node, hint *model.File) *model.File {
	owns := func(f *model.File) bool {
		if f == nil || f.AST.Root() == nil {
			return false
		}
		found := false
		ast.Inspect(f.AST.Root(), func(x ast.Node) bool {
			if found || x == nil {
				return false
			}
			if x == n {
				found = true
			}
			return !found
		})
		return found
	}
	if owns(hint) {
		return hint
	}
	for _, f := range prog.Files {
		if f != hint && owns(f) {
			return f
		}
	}
	return hint
}

// librarySignature splits the signature the library table gives
// ("Web.Contents(url as text, optional options as nullable record) as
// binary") into its parameters.
func librarySignature(fn model.LibraryFunc) Signature {
	label := fn.Signature
	sig := Signature{Label: label, URL: fn.URL}
	open := strings.IndexByte(label, '(')
	if open < 0 {
		return sig
	}
	depth, start := 0, open+1
	flush := func(end int) {
		s, e := start, end
		for s < e && label[s] == ' ' {
			s++
		}
		for e > s && label[e-1] == ' ' {
			e--
		}
		if e > s {
			text := label[s:e]
			ps := ParamSpan{Start: s, End: e, Optional: strings.HasPrefix(text, "optional ")}
			name := strings.TrimPrefix(text, "optional ")
			if i := strings.Index(name, " as "); i >= 0 {
				name = name[:i]
			}
			ps.Name = strings.TrimSpace(name)
			sig.Params = append(sig.Params, ps)
		}
	}
	for i := open; i < len(label); i++ {
		switch label[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
			if depth == 0 {
				flush(i)
				return sig
			}
		case ',':
			if depth == 1 {
				flush(i)
				start = i + 1
			}
		}
	}
	return sig
}

// paramDoc returns what the metadata of a parameter's type says of it —
// `url as (type text meta [Documentation.FieldCaption = …,
// Documentation.FieldDescription = …])` — with the strings of
// Extension.LoadString looked up in resources.resx.
func paramDoc(prog *model.Program, f *model.File, p *ast.Param) string {
	if p.Type == nil {
		return ""
	}
	x := model.Unparen(p.Type)
	if t, ok := x.(*ast.TypeExpr); ok {
		x = model.Unparen(t.T)
	}
	bin, ok := x.(*ast.BinaryExpr)
	if !ok || bin.Op != token.META {
		return ""
	}
	meta, ok := prog.Value(f, bin.Y).(*ast.RecordExpr)
	if !ok {
		return ""
	}
	var parts []string
	for _, name := range []string{"Documentation.FieldCaption", "Documentation.FieldDescription"} {
		fl := model.Field(meta, name)
		if fl == nil {
			continue
		}
		if s, ok := textOrResource(prog, fl.Value); ok && s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " — ")
}

// textOrResource returns the value of a text literal or of
// Extension.LoadString("Key").
func textOrResource(prog *model.Program, x ast.Expr) (string, bool) {
	if s, ok := model.Text(x); ok {
		return s, true
	}
	c, ok := model.Unparen(x).(*ast.InvokeExpr)
	if !ok || calleeName(c) != "Extension.LoadString" || len(c.Args) == 0 || prog.Project == nil {
		return "", false
	}
	key, ok := model.Text(c.Args[0])
	if !ok {
		return "", false
	}
	s, ok := prog.Project.Resources[key]
	return s, ok
}
