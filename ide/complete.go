package ide

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pqls/pqls/grammar/scanner"
	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// CompletionKind is what a completion item names.
type CompletionKind int

const (
	CompleteVariable CompletionKind = iota
	CompleteFunction
	CompleteParameter
	CompleteField
	CompleteKeyword
	CompleteLibrary
	CompleteResource // a key of resources.resx
	CompleteFile     // a file of the project
)

// Completion is one completion candidate.
type Completion struct {
	Label  string
	Kind   CompletionKind
	Detail string
	URL    string // reference page, for library names
	Doc    string // Markdown documentation, or ""
	Insert string // the text to insert, when it is not Label
}

var keywords = []string{"and", "as", "each", "else", "error", "false", "if", "in", "is", "let", "meta", "not",
	"null", "or", "otherwise", "section", "shared", "then", "true", "try", "type", "catch", "optional", "nullable",
	"#binary", "#date", "#datetime", "#datetimezone", "#duration", "#infinity", "#nan", "#sections", "#shared", "#table", "#time"}

// Prefix returns the start of the (possibly dotted or #) name that ends at
// off, and the name typed so far. Names are made of letters, digits, marks,
// connector punctuation, dots and #, as M identifiers are; other characters,
// such as an emoji or a quotation mark before the name, end it.
func Prefix(src []byte, off int) (start int, prefix string) {
	start = off
	for start > 0 {
		r, size := utf8.DecodeLastRune(src[:start])
		if r == '.' || r == '#' || r == '_' || r < utf8.RuneSelf && ('0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') ||
			r >= utf8.RuneSelf && r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nl, unicode.Pc, unicode.Cf)) {
			start -= size
			continue
		}
		break
	}
	return start, string(src[start:off])
}

// Complete returns the names that can be written at off: the bindings,
// parameters and fields in scope there, the section's members, the standard
// library and the keywords, filtered by the name typed so far. It stops
// with ctx's error, and no completions, when ctx is cancelled.
func Complete(ctx context.Context, prog *model.Program, f *model.File, off int) ([]Completion, error) {
	p := newPoller(ctx)
	if inTextOrComment(p, f.AST.Src, off) {
		return nil, p.err
	}
	_, prefix := Prefix(f.AST.Src, off)
	lower := strings.ToLower(prefix)
	match := func(name string) bool { return strings.HasPrefix(strings.ToLower(name), lower) }
	seen := map[string]bool{}
	var out []Completion
	add := func(c Completion) {
		if !seen[c.Label] && match(c.Label) {
			seen[c.Label] = true
			out = append(out, c)
		}
	}
	// Innermost scopes first, so that shadowing names win.
	var local []*model.Def
	for _, d := range f.Defs() {
		if p.canceled() {
			return nil, p.err
		}
		if d.Scope == nil {
			continue
		}
		start, end := f.AST.Span(d.Scope)
		if start <= off && off <= end {
			local = append(local, d)
		}
	}
	sort.SliceStable(local, func(i, j int) bool {
		si, _ := f.AST.Span(local[i].Scope)
		sj, _ := f.AST.Span(local[j].Scope)
		return si > sj
	})
	for _, d := range local {
		add(Completion{Label: Spell(d.Name), Kind: defCompletion(d), Detail: defKinds[d.Kind]})
	}
	for _, m := range prog.MemberList {
		if p.canceled() {
			return nil, p.err
		}
		if f == prog.Main || m.Shared {
			kind := CompleteVariable
			if fn, _, _ := prog.Function(prog.Main, m.Node.Value); fn != nil {
				kind = CompleteFunction
			}
			add(Completion{Label: Spell(m.Name), Kind: kind, Detail: "section member"})
		}
	}
	lib := model.Library()
	names := make([]string, 0, len(lib))
	for name := range lib {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fn, _ := libraryFunc(name)
		add(Completion{Label: name, Kind: CompleteLibrary, Detail: fn.Signature, URL: fn.URL, Doc: Summary(name)})
	}
	for _, k := range keywords {
		add(Completion{Label: k, Kind: CompleteKeyword})
	}
	return out, nil
}

// inTextOrComment reports whether off lies inside a text literal or a
// comment, where no name is being written. It answers true when p finds
// its context cancelled, so that the caller stops.
func inTextOrComment(p *poller, src []byte, off int) bool {
	in := false
	var s scanner.Scanner
	s.Comment = func(start, end int, msg string) {
		line := end-start >= 2 && src[start+1] == '/'
		if start < off && (off < end || off == end && (line || msg != "")) {
			in = true
		}
	}
	s.Init(src, 0)
	for !in {
		if p.canceled() {
			return true
		}
		tok, start, end, msg := s.Scan()
		if tok == token.EOF || start >= off {
			break
		}
		if (tok == token.TEXT || tok == token.VERBATIM) && (off < end || off == end && msg != "") {
			return true
		}
	}
	return in
}

func defCompletion(d *model.Def) CompletionKind {
	switch d.Kind {
	case model.DefParam, model.DefEach:
		return CompleteParameter
	case model.DefField:
		return CompleteField
	}
	return CompleteVariable
}

// TokenType is the semantic class of a token.
type TokenType int

const (
	TokKeyword TokenType = iota
	TokString
	TokNumber
	TokComment
	TokFunction
	TokVariable
	TokParameter
	TokProperty
	TokType
	TokOperator
)

// TokenTypeNames are the LSP names of the token types, in order.
var TokenTypeNames = []string{"keyword", "string", "number", "comment", "function", "variable", "parameter", "property", "type", "operator"}

// Modifiers of semantic tokens, as bits.
const (
	ModDefaultLibrary = 1 << iota
	ModDeclaration
	ModReadonly
)

// ModifierNames are the LSP names of the modifier bits, in order.
var ModifierNames = []string{"defaultLibrary", "declaration", "readonly"}

// SemanticToken is a classified range of a single line.
type SemanticToken struct {
	Start, End int
	Type       TokenType
	Modifiers  int
}

// SemanticTokens classifies the tokens of f in source order. It stops with
// ctx's error, and no tokens, when ctx is cancelled.
func SemanticTokens(ctx context.Context, prog *model.Program, f *model.File) ([]SemanticToken, error) {
	p := newPoller(ctx)
	// The classes of the names, by start: references, then definitions,
	// which win where both start alike. A sorted slice read in step with
	// the scan holds them in a tenth of the memory of a map (hundreds of
	// megabytes on a 20 MB file).
	class := make([]SemanticToken, 0, 2*len(f.Defs())) // about one reference per definition, on connector code
	for id, d := range f.Refs() {
		if p.canceled() {
			return nil, p.err
		}
		start, end := f.AST.Span(id)
		t := SemanticToken{Start: start, End: end, Type: TokVariable}
		switch d.Kind {
		case model.DefLibrary:
			t.Type, t.Modifiers = TokFunction, ModDefaultLibrary
		case model.DefParam, model.DefEach:
			t.Type = TokParameter
		case model.DefField:
			t.Type = TokProperty
		default:
			if d.Value != nil && prog.DefFile(d) != nil {
				if fn, _, _ := prog.Function(prog.DefFile(d), d.Value); fn != nil {
					t.Type = TokFunction
				}
			}
		}
		class = append(class, t)
	}
	for _, d := range f.Defs() {
		if p.canceled() {
			return nil, p.err
		}
		if d.Ident == nil {
			continue
		}
		start, end := f.AST.Span(d.Ident)
		t := SemanticToken{Start: start, End: end, Type: TokVariable, Modifiers: ModDeclaration}
		switch d.Kind {
		case model.DefParam:
			t.Type = TokParameter
		case model.DefField:
			t.Type = TokProperty
		}
		// A name bound to a function is one where it is defined as where it
		// is used.
		if (d.Kind == model.DefMember || d.Kind == model.DefBinding) && d.Value != nil {
			if fn, _, _ := prog.Function(f, d.Value); fn != nil {
				t.Type = TokFunction
			}
		}
		class = append(class, t)
	}
	// Stable: where names start alike, definitions stay after references.
	slices.SortStableFunc(class, func(a, b SemanticToken) int { return cmp.Compare(a.Start, b.Start) })
	next := 0 // the first class not before the current token
	src := f.AST.Src
	out := make([]SemanticToken, 0, len(class)+len(src)/32)
	var s scanner.Scanner
	s.Comment = func(start, end int, _ string) {
		out = append(out, SemanticToken{Start: start, End: end, Type: TokComment})
	}
	s.Init(src, 0)
	for !p.canceled() {
		tok, start, end, _ := s.Scan()
		if tok == token.EOF {
			break
		}
		switch {
		case tok.IsKeyword():
			t := TokKeyword
			if tok == token.TRUE || tok == token.FALSE || tok == token.NULL {
				t = TokKeyword
			}
			out = append(out, SemanticToken{Start: start, End: end, Type: t})
		case tok == token.TEXT || tok == token.VERBATIM:
			out = append(out, SemanticToken{Start: start, End: end, Type: TokString})
		case tok == token.NUMBER:
			out = append(out, SemanticToken{Start: start, End: end, Type: TokNumber})
		case tok == token.IDENT || tok == token.QUOTED_IDENT:
			for next < len(class) && class[next].Start < start {
				next++
			}
			// The last of the classes starting here: a definition if any.
			found := -1
			for ; next < len(class) && class[next].Start == start; next++ {
				found = next
			}
			if found >= 0 {
				out = append(out, class[found])
			} else if token.PrimitiveTypes[string(src[start:end])] {
				out = append(out, SemanticToken{Start: start, End: end, Type: TokType})
			}
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	slices.SortStableFunc(out, func(a, b SemanticToken) int { return cmp.Compare(a.Start, b.Start) })
	return out, nil
}
