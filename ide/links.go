package ide

import (
	"context"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
)

// Link is a range of a document that leads elsewhere: to a file of the
// project (Path) or to a web page (URL).
type Link struct {
	Start, End int
	Path       string
	URL        string
}

// Links returns the links of f: the file names given to Extension.Contents
// and to module loaders (any call whose first argument names a file of the
// project), and the http(s) addresses of fields whose name ends in Url, as
// LearnMoreUrl and SupportUrl of the Publish record do.
func Links(prog *model.Program, f *model.File) []Link {
	root := f.AST.Root()
	if root == nil {
		return nil
	}
	var out []Link
	text := func(x ast.Expr) (*ast.Literal, string, bool) {
		l, ok := x.(*ast.Literal)
		if !ok {
			return nil, "", false
		}
		s, ok := model.Text(l)
		return l, s, ok
	}
	// The quotes are no part of the link.
	span := func(l *ast.Literal) (int, int) {
		s, e := f.AST.Span(l)
		return s + 1, e - 1
	}
	ast.Inspect(root, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.InvokeExpr:
			if len(n.Args) == 0 {
				break
			}
			if l, name, ok := text(n.Args[0]); ok {
				if path := ProjectFile(prog, name); path != "" {
					s, e := span(l)
					out = append(out, Link{Start: s, End: e, Path: path})
				}
			}
		case *ast.Field:
			if n.Name == nil || !strings.HasSuffix(strings.ToLower(n.Name.Name), "url") {
				break
			}
			if l, u, ok := text(n.Value); ok && isWebURL(u) && l.Value[0] == '"' && !strings.Contains(l.Value[1:len(l.Value)-1], `""`) {
				s, e := span(l)
				out = append(out, Link{Start: s, End: e, URL: u})
			}
		}
		return true
	})
	return out
}

func isWebURL(s string) bool {
	lower := strings.ToLower(s)
	return (strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://")) && !strings.ContainsAny(s, " \t\r\n")
}

// ProjectFile returns the path of the project file that name (as given to
// Extension.Contents) stands for, or "". Names are matched as the SDK
// packages them: by file name, case-insensitively, or as a path relative to
// the project folder.
func ProjectFile(prog *model.Program, name string) string {
	if name == "" || prog.Project == nil {
		return ""
	}
	for _, p := range projectFiles(prog) {
		if strings.EqualFold(filepath.Base(p), name) || strings.EqualFold(filepath.ToSlash(relTo(prog.Project.Root, p)), filepath.ToSlash(name)) {
			return p
		}
	}
	return ""
}

// projectFiles lists the files a connector can read with
// Extension.Contents: its modules, packaged files, icons and resources.
func projectFiles(prog *model.Program) []string {
	p := prog.Project
	seen := map[string]bool{}
	var out []string
	add := func(paths ...string) {
		for _, x := range paths {
			if x != "" && !seen[x] {
				seen[x] = true
				out = append(out, x)
			}
		}
	}
	add(p.Modules...)
	add(p.Packaged...)
	add(p.Icons...)
	add(p.Resx)
	for _, f := range prog.Files {
		if f.Role == project.Module {
			add(f.Path)
		}
	}
	return out
}

func relTo(root, p string) string {
	if r, err := filepath.Rel(root, p); err == nil {
		return r
	}
	return p
}

// InlayHint is a label shown before an argument: the parameter it is for.
type InlayHint struct {
	Offset int
	Label  string
}

// ParameterHints returns parameter-name hints for the arguments of the
// calls in [start, end) of f whose function has two parameters or more. An
// argument that is a name equal to its parameter's gets none.
func ParameterHints(prog *model.Program, f *model.File, start, end int) []InlayHint {
	root := f.AST.Root()
	if root == nil {
		return nil
	}
	var out []InlayHint
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		s, e := f.AST.Span(n)
		if e < start || s > end {
			return false
		}
		call, ok := n.(*ast.InvokeExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		id, ok := model.Unparen(call.Fun).(*ast.Ident)
		if !ok {
			return true
		}
		cs, _ := f.AST.Span(id)
		sig, ok := calleeSignature(prog, f, id.Name, cs)
		if !ok || len(sig.Params) < 2 {
			return true
		}
		for i, arg := range call.Args {
			if i >= len(sig.Params) {
				break
			}
			name := sig.Params[i].Name
			if name == "" {
				continue
			}
			if _, bad := arg.(*ast.BadExpr); bad {
				continue
			}
			if a, ok := arg.(*ast.Ident); ok && strings.EqualFold(a.Name, name) {
				continue
			}
			as, _ := f.AST.Span(arg)
			if as < start || as > end {
				continue
			}
			out = append(out, InlayHint{Offset: as, Label: name + ":"})
		}
		return true
	})
	return out
}

// WorkspaceSymbol is a definition found by a workspace symbol search.
type WorkspaceSymbol struct {
	Symbol
	Path      string
	Container string
}

// WorkspaceSymbols returns the definitions of every file of prog (members,
// let bindings, record fields) whose name matches query: its characters
// appear in order, ignoring case, as editors' fuzzy pickers expect. An
// empty query matches everything. It stops with ctx's error, and no
// symbols, when ctx is cancelled.
func WorkspaceSymbols(ctx context.Context, prog *model.Program, query string) ([]WorkspaceSymbol, error) {
	p := newPoller(ctx)
	var out []WorkspaceSymbol
	var walk func(path, container string, syms []Symbol)
	walk = func(path, container string, syms []Symbol) {
		for _, s := range syms {
			if p.canceled() {
				return
			}
			if s.Name != "" && fuzzy(query, s.Name) {
				out = append(out, WorkspaceSymbol{Symbol: s, Path: path, Container: container})
			}
			walk(path, s.Name, s.Children)
		}
	}
	for _, f := range prog.Files {
		if p.now() {
			return nil, p.err
		}
		walk(f.Path, "", Symbols(f))
	}
	if p.err != nil {
		return nil, p.err
	}
	return out, nil
}

// fuzzy reports whether the runes of query appear in name in order,
// ignoring case.
func fuzzy(query, name string) bool {
	for _, q := range query {
		q = unicode.ToLower(q)
		found := false
		for name != "" {
			r, size := utf8.DecodeRuneInString(name)
			name = name[size:]
			if unicode.ToLower(r) == q {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
