package model

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/scanner"
	"github.com/pqls/pqls/grammar/token"
)

// Sig is what is known about the signature of a function value: the
// implementation it resolves to and, when it passes through
// Value.ReplaceType, the ascribed function type.
type Sig struct {
	Fn     *ast.FunctionExpr // the implementation, or nil
	FnFile *File
	// ReplaceType says the value passes through Value.ReplaceType; Type is
	// the function type it ascribes when that could be resolved.
	ReplaceType bool
	Type        *ast.FunctionType
	TypeFile    *File
	// Metas are the metadata records attached to the function type (or to
	// the function value itself), outermost first. MetaUnknown says a meta
	// operand could not be resolved to a record literal.
	Metas       []*ast.RecordExpr
	MetaUnknown bool
	// TypeExpr is the `type function …` expression Type is written in, and
	// TypeMetas the metadata records on the ascribed type alone.
	TypeExpr  *ast.TypeExpr
	TypeMetas []RecordAt
}

// Signature follows x from f through parentheses, aliases, meta and
// Value.ReplaceType to the function it computes.
func (prog *Program) Signature(f *File, x ast.Expr) *Sig {
	s := &Sig{}
	for i := 0; i < 32 && x != nil; i++ {
		x = Unparen(x)
		switch v := x.(type) {
		case *ast.FunctionExpr:
			s.Fn, s.FnFile = v, f
			return s
		case *ast.BinaryExpr:
			if v.Op != token.META {
				return s
			}
			prog.sigAddMeta(s, f, v.Y)
			x = v.X
		case *ast.InvokeExpr:
			if prog.CallName(f, v) != "Value.ReplaceType" || len(v.Args) < 2 {
				return s
			}
			if !s.ReplaceType {
				s.ReplaceType = true
				prog.sigFunctionType(s, f, v.Args[1])
			}
			x = v.Args[0]
		case *ast.Ident:
			d := f.Ref(v)
			if d == nil || d.Value == nil {
				return s
			}
			x, f = d.Value, prog.DefFile(d)
		default:
			return s
		}
	}
	return s
}

func (prog *Program) sigAddMeta(s *Sig, f *File, y ast.Expr) {
	if r, ok := prog.Value(f, y).(*ast.RecordExpr); ok {
		s.Metas = append(s.Metas, r)
	} else {
		s.MetaUnknown = true
	}
}

func (prog *Program) sigFunctionType(s *Sig, f *File, x ast.Expr) {
	for i := 0; i < 32 && x != nil; i++ {
		x = Unparen(x)
		switch v := x.(type) {
		case *ast.BinaryExpr:
			if v.Op != token.META {
				return
			}
			prog.sigAddMeta(s, f, v.Y)
			if r, ok := prog.Value(f, v.Y).(*ast.RecordExpr); ok {
				s.TypeMetas = append(s.TypeMetas, RecordAt{r, prog.FileOf(f, v.Y)})
			}
			x = v.X
		case *ast.TypeExpr:
			if ft, ok := Unparen(v.T).(*ast.FunctionType); ok {
				s.Type, s.TypeFile, s.TypeExpr = ft, f, v
			}
			return
		case *ast.Ident:
			d := f.Ref(v)
			if d == nil || d.Value == nil {
				return
			}
			x, f = d.Value, prog.DefFile(d)
		default:
			return
		}
	}
}

// MetaField returns the field name of the signature's metadata, looking at
// every meta record.
func (s *Sig) MetaField(name string) *ast.Field {
	for _, r := range s.Metas {
		if fl := Field(r, name); fl != nil {
			return fl
		}
	}
	return nil
}

// Known reports whether the parameters of the signature can be read: the
// implementation was found and any ascribed type was resolved.
func (s *Sig) Known() bool {
	if s.ReplaceType {
		return s.Type != nil
	}
	return s.Fn != nil
}

// ParamInfo is one parameter of a function as the engine sees it.
type ParamInfo struct {
	Name     string
	Param    *ast.Param
	Optional bool
	// Type is the parameter's type spelled in a normal form ("text",
	// "Uri.Type", "nullable number"), or "" when untyped or unknown.
	Type  string
	Metas []*ast.RecordExpr // metadata records on the parameter type
	// MetaUnknown says some metadata could not be resolved to a record.
	MetaUnknown bool
	// NoPath is DataSource.Path = false in the parameter metadata.
	NoPath bool
}

// Required reports whether the parameter is part of the data source path.
func (p ParamInfo) Required() bool { return !p.Optional && !p.NoPath }

// MetaField returns the field of the parameter metadata with that name.
func (p ParamInfo) MetaField(name string) *ast.Field {
	for _, r := range p.Metas {
		if fl := Field(r, name); fl != nil {
			return fl
		}
	}
	return nil
}

// Params returns the parameters of the signature, from the ascribed type
// when there is one. ok is false when they cannot be known.
func (prog *Program) Params(s *Sig) (params []ParamInfo, ok bool) {
	if !s.Known() {
		return nil, false
	}
	var ps []*ast.Param
	f := s.FnFile
	if s.Type != nil {
		ps, f = s.Type.Params, s.TypeFile
	} else {
		ps = s.Fn.Params
	}
	for _, p := range ps {
		if p.Name == nil {
			return nil, false
		}
		pi := ParamInfo{Name: p.Name.Name, Param: p, Optional: p.Optional.IsValid()}
		pi.Type = prog.paramType(f, p.Type, &pi)
		if fl := pi.MetaField("DataSource.Path"); fl != nil {
			if l, ok := Unparen(fl.Value).(*ast.Literal); ok && l.Kind == token.FALSE {
				pi.NoPath = true
			}
		}
		params = append(params, pi)
	}
	return params, true
}

// paramType normalises a parameter type and collects its metadata.
func (prog *Program) paramType(f *File, x ast.Expr, pi *ParamInfo) string {
	for i := 0; i < 16 && x != nil; i++ {
		x = Unparen(x)
		switch v := x.(type) {
		case *ast.BinaryExpr:
			if v.Op != token.META {
				return ""
			}
			if r, ok := prog.Value(f, v.Y).(*ast.RecordExpr); ok {
				pi.Metas = append(pi.Metas, r)
			} else {
				pi.MetaUnknown = true
			}
			x = v.X
		case *ast.TypeExpr:
			x = v.T
		case *ast.PrimitiveType:
			return v.Name
		case *ast.NullableType:
			if t := prog.paramType(f, v.T, pi); t != "" {
				return "nullable " + t
			}
			return ""
		case *ast.Ident:
			d := f.Ref(v)
			if d == nil || d.Value == nil {
				if d == nil && !strings.HasSuffix(v.Name, ".Type") || d != nil && d.Kind != DefLibrary {
					pi.MetaUnknown = true // a type from elsewhere may carry metadata
				}
				return v.Name
			}
			x, f = d.Value, prog.DefFile(d)
		default:
			pi.MetaUnknown = true
			return ""
		}
	}
	return ""
}

// DSFParams returns the parameters of a data-source function.
func (prog *Program) DSFParams(d *DSF) ([]ParamInfo, bool) {
	return prog.Params(prog.Signature(prog.Main, d.Member.Node.Value))
}

// RequiredParams returns the parameters of a data-source function that
// make up its data source path.
func (prog *Program) RequiredParams(d *DSF) ([]ParamInfo, bool) {
	ps, ok := prog.DSFParams(d)
	if !ok {
		return nil, false
	}
	var out []ParamInfo
	for _, p := range ps {
		if p.Required() {
			out = append(out, p)
		}
	}
	return out, true
}

// RecordAt is a record literal and the file it is written in.
type RecordAt struct {
	Rec  *ast.RecordExpr
	File *File
}

// Records resolves x to the record literals it is built from: a literal,
// an alias of one, or a merge with &. complete is false when some part
// could not be resolved to a record literal.
func (prog *Program) Records(f *File, x ast.Expr) (recs []RecordAt, complete bool) {
	complete = true
	var walk func(f *File, x ast.Expr, depth int)
	walk = func(f *File, x ast.Expr, depth int) {
		if depth > 16 {
			complete = false
			return
		}
		ff := prog.FileOf(f, x)
		v := prog.Value(f, x)
		switch v := v.(type) {
		case *ast.RecordExpr:
			recs = append(recs, RecordAt{v, ff})
		case *ast.BinaryExpr:
			if v.Op != token.AND_TEXT {
				complete = false
				return
			}
			walk(ff, v.X, depth+1)
			walk(ff, v.Y, depth+1)
		default:
			complete = false
		}
	}
	walk(f, x, 0)
	return recs, complete
}

// FieldIn returns the last field with the given name among records (the
// one a merge keeps) and the record it is in.
func FieldIn(recs []RecordAt, name string) (*ast.Field, RecordAt) {
	for i := len(recs) - 1; i >= 0; i-- {
		if fl := Field(recs[i].Rec, name); fl != nil {
			return fl, recs[i]
		}
	}
	return nil, RecordAt{}
}

// Word is a segment of a name, with its byte range in the name.
type Word struct {
	Text       string
	Start, End int
}

// SplitWords splits a name into words at '.', '_', '-', spaces, digits and
// CamelCase boundaries, keeping runs of capitals together as one word
// ("BIConnector" is BI, Connector; "HexagonSmartApi" is Hexagon, Smart, Api).
func SplitWords(name string) []Word {
	var words []Word
	type class int
	const (
		sep class = iota
		upper
		lower
		digit
	)
	cls := func(r rune) class {
		switch {
		case unicode.IsUpper(r):
			return upper
		case unicode.IsLetter(r):
			return lower
		case unicode.IsDigit(r):
			return digit
		}
		return sep
	}
	start := -1
	var prev class = sep
	for i, r := range name {
		c := cls(r)
		boundary := false
		switch {
		case c == sep:
			boundary = true
		case prev == sep:
			boundary = true
		case c == upper && prev == lower, c == digit && prev != digit, c != digit && prev == digit:
			boundary = true
		case c == lower && prev == upper:
			// ACRONYMWord: the last capital starts the new word.
			j := i - 1
			for j > 0 && !utf8.RuneStart(name[j]) {
				j--
			}
			if start >= 0 && j > start {
				words = append(words, Word{name[start:j], start, j})
				start = j
			}
		}
		if boundary {
			if start >= 0 {
				words = append(words, Word{name[start:i], start, i})
			}
			start = -1
			if c != sep {
				start = i
			}
		}
		prev = c
	}
	if start >= 0 {
		words = append(words, Word{name[start:], start, len(name)})
	}
	return words
}

// ForbiddenMatch is a forbidden word found in a name.
type ForbiddenMatch struct {
	Word       string // the forbidden word as configured
	Start, End int    // byte range in the name
}

// FindForbidden returns the forbidden words that occur in name as whole
// words (case-insensitive). A forbidden word of several words ("Power BI")
// matches the same words in a row, fused into one ("PowerBI"), or as its
// initials ("PBI"). To test many names, compile the list once with
// NewForbidden.
func FindForbidden(name string, forbidden []string) []ForbiddenMatch {
	return NewForbidden(forbidden).Find(name)
}

// Forbidden is a list of forbidden words prepared for matching.
type Forbidden struct {
	words    []forbiddenWord
	nonASCII bool // some word is not ASCII: mayOccur cannot tell
	// needles are the words' lower texts, each once: a name holds one of
	// them when a forbidden word occurs in it.
	needles []string
}

type forbiddenWord struct {
	word          string // as configured
	parts         []Word
	fused, abbrev string
	// lower are the lowercase texts one of which a name holds when the
	// word occurs in it: fused, abbrev and the first part.
	lower [3]string
}

// NewForbidden prepares the forbidden words for Find.
func NewForbidden(forbidden []string) *Forbidden {
	fb := &Forbidden{}
	for _, fw := range forbidden {
		parts := SplitWords(fw)
		if len(parts) == 0 {
			continue
		}
		fused, abbrev := "", ""
		for _, p := range parts {
			fused += p.Text
			if strings.ToUpper(p.Text) == p.Text {
				abbrev += p.Text
			} else {
				abbrev += p.Text[:1]
			}
		}
		if len(parts) < 2 || len(abbrev) < 3 {
			abbrev = fused
		}
		for i := 0; i < len(fw); i++ {
			fb.nonASCII = fb.nonASCII || fw[i] >= utf8.RuneSelf
		}
		lower := [3]string{strings.ToLower(fused), strings.ToLower(abbrev), strings.ToLower(parts[0].Text)}
		fb.words = append(fb.words, forbiddenWord{fw, parts, fused, abbrev, lower})
		for _, l := range lower {
			if l != "" && !slices.Contains(fb.needles, l) {
				fb.needles = append(fb.needles, l)
			}
		}
	}
	return fb
}

// mayOccur reports whether some forbidden word may occur in name: a
// substring test that lets most names of a large document skip splitting
// into words. Only ASCII names are tested, where lowercasing agrees with
// the case folding Find compares with.
func (fb *Forbidden) mayOccur(name string) bool {
	if fb.nonASCII {
		return true
	}
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			return true
		}
	}
	for _, l := range fb.needles {
		if containsLowerASCII(name, l) {
			return true
		}
	}
	return false
}

// containsLowerASCII reports whether the ASCII text s, lowercased, holds
// the lowercase ASCII text sub. It lowercases as it compares: the names
// of a large document are tested at every check, and a lowercased copy of
// each was most of the test's cost.
func containsLowerASCII(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for j < len(sub) {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
			j++
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}

// Find returns the forbidden words that occur in name; see FindForbidden.
func (fb *Forbidden) Find(name string) []ForbiddenMatch {
	if len(fb.words) == 0 || !fb.mayOccur(name) {
		return nil
	}
	words := SplitWords(name)
	var out []ForbiddenMatch
	for _, fw := range fb.words {
		for i := range words {
			if strings.EqualFold(words[i].Text, fw.fused) || strings.EqualFold(words[i].Text, fw.abbrev) {
				out = append(out, ForbiddenMatch{fw.word, words[i].Start, words[i].End})
				continue
			}
			if i+len(fw.parts) > len(words) {
				continue
			}
			match := true
			for j, p := range fw.parts {
				if !strings.EqualFold(words[i+j].Text, p.Text) {
					match = false
					break
				}
			}
			if match && len(fw.parts) > 1 {
				out = append(out, ForbiddenMatch{fw.word, words[i].Start, words[i+len(fw.parts)-1].End})
			}
		}
	}
	return out
}

// IdentText spells name as an M identifier: as is when it is a regular
// identifier (dotted names included), quoted as #"…" otherwise.
func IdentText(name string) string {
	if IsRegularIdent(name) {
		return name
	}
	return "#" + QuoteText(name)
}

// IsRegularIdent reports whether name can be written without #"…".
func IsRegularIdent(name string) bool {
	if name == "" {
		return false
	}
	for _, part := range strings.Split(name, ".") {
		if part == "" {
			return false
		}
		for i, r := range part {
			if i == 0 && !scanner.IsIdentStart(r) || i > 0 && !scanner.IsIdentPart(r) {
				return false
			}
		}
	}
	return token.Lookup(name) == token.IDENT
}

// QuoteText spells s as an M text literal.
func QuoteText(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
