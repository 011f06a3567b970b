package analysis

import (
	"iter"

	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// Scope says which files of a project a rule looks at.
type Scope int

const (
	// ConnectorScope rules read the main section document (and may consult
	// the rest of the project).
	ConnectorScope Scope = iota
	// ExpressionScope rules also read the .pqm modules, with the main
	// document's members as context.
	ExpressionScope
	// TestScope rules read the *.query.pq test files.
	TestScope
)

// Analyzer describes one certification rule.
type Analyzer struct {
	ID       string   // PQC030
	Title    string   // one line, used by `pqls rules`
	Severity Severity // default severity
	Doc      string   // our explanation, one paragraph
	HelpURI  string   // the Microsoft page the rule comes from
	Bad      string   // an example that triggers the rule
	Good     string   // the same example, fixed
	// Fix says whether the rule's findings come with quick-fixes and
	// whether pqls check --fix applies them; rule pages and pqls explain
	// show it.
	Fix   FixKind
	Scope Scope
	// Review rules are reminders for a human reviewer; they run only when
	// the certification.reviewMode setting is on.
	Review bool
	// DataSource rules are about data source kinds and their functions:
	// they do not run on an extension (a section document that declares no
	// DataSource.Kind).
	DataSource bool
	// Absence rules report something missing (a kind record, a Publish
	// record, TestConnection): they do not run on a main document with
	// syntax errors, whose unparsed members may hold it.
	Absence bool
	// PerMember analyzers are checked member by member: an incremental
	// check (CheckIncremental) runs them only over the members of the
	// main document an edit may have changed, and reuses their findings
	// in the others. A per-member analyzer promises that
	//   - it reads the main document only through Pass.EachCall,
	//     Pass.Requests, Pass.Index, Pass.CallsTo and Pass.Members, and the
	//     model from the nodes those give;
	//   - each finding it reports in the main document lies in the member
	//     of the call or request it came from, or in a member that one
	//     refers to (PQC064 reports headers held in a member once, where
	//     the key is written), and depends only on that
	//     member and the members connected to it by references (the names
	//     it uses, the names that use it) and on facts of the whole
	//     project: member names and attributes, kinds, scheme guards, line
	//     endings, the other files.
	// Fixes and related places may lie in other members (the member is
	// then checked again at every check). The other analyzers look at the
	// whole document and run in full at every check. The property test
	// TestIncrementalMatchesFullCheck holds analyzers to this.
	PerMember bool
	Run       func(*Pass)
}

// FixKind says what quick-fixes a rule offers.
type FixKind string

const (
	// NoFix: the findings come without a fix.
	NoFix FixKind = ""
	// ManualFix: fixes are offered in the editor, to be chosen by a
	// person; pqls check --fix and source.fixAll leave them alone.
	ManualFix FixKind = "manual"
	// SafeFix: pqls check --fix and source.fixAll apply the fix of the
	// findings whose fix cannot change what the connector means; the
	// other findings' fixes, if any, are offered in the editor.
	SafeFix FixKind = "safe"
)

// Pass is what an analyzer's Run works with.
type Pass struct {
	Analyzer *Analyzer
	Prog     *model.Program
	Config   *config.Config
	// Files are the files in the rule's scope: the main document first.
	Files []*model.File

	diags []Diagnostic
	// restrict says the pass reads of the main document only the nodes
	// in only, in source order: the section's attributes and the members
	// an incremental check computes again.
	restrict bool
	only     []ast.Node
	// onlyIndex is the node index of only, and onlyMembers its members,
	// made once per check for all the per-member analyzers.
	onlyIndex   *model.Index
	onlyMembers []*model.Member
}

// Report records a finding. Code, severity and help link default to the
// analyzer's.
func (p *Pass) Report(d Diagnostic) {
	if d.Code == "" {
		d.Code = p.Analyzer.ID
	}
	if d.Severity == 0 {
		d.Severity = p.Analyzer.Severity
	}
	if d.HelpURI == "" {
		d.HelpURI = p.Analyzer.HelpURI
	}
	p.diags = append(p.diags, d)
}

// ReportNode records a finding that spans node n of file f.
func (p *Pass) ReportNode(f *model.File, n ast.Node, msg string, fixes ...Fix) {
	start, end := f.AST.Span(n)
	p.Report(Diagnostic{Path: f.Path, Start: start, End: end, Message: msg, Fixes: fixes})
}

// DataSources yields the data-source functions of the main document: the
// shared members with a DataSource.Kind attribute, kind by kind.
func (p *Pass) DataSources() iter.Seq2[*model.Kind, *model.DSF] {
	return func(yield func(*model.Kind, *model.DSF) bool) {
		for _, k := range p.Prog.Kinds {
			for _, d := range k.DSFs {
				if !yield(k, d) {
					return
				}
			}
		}
	}
}

// EachKindRecord calls fn for each kind of the main document whose kind
// record has a value, with the record literals that value resolves to and
// whether they are all of it (see model.Program.Records): the rules about
// the kind record's fields all start there.
func (p *Pass) EachKindRecord(fn func(k *model.Kind, recs []model.RecordAt, complete bool)) {
	f := p.Prog.Main
	if f == nil || f.AST.Section == nil {
		return
	}
	for _, k := range p.Prog.Kinds {
		if k.Record == nil || k.Record.Node.Value == nil {
			continue
		}
		recs, complete := p.Prog.Records(f, k.Record.Node.Value)
		fn(k, recs, complete)
	}
}

// Requests returns the web requests made in the pass's files.
func (p *Pass) Requests() []*model.Request {
	var out []*model.Request
	for _, f := range p.Files {
		if p.restricted(f) {
			for _, n := range p.only {
				out = append(out, p.Prog.Requests(f, n)...)
			}
			continue
		}
		out = append(out, p.Prog.Requests(f, nil)...)
	}
	return out
}

// EachCall calls fn for every invocation in the pass's files.
func (p *Pass) EachCall(fn func(f *model.File, c *ast.InvokeExpr)) {
	for _, f := range p.Files {
		if p.restricted(f) {
			for _, c := range p.Index(f).Calls {
				fn(f, c)
			}
			continue
		}
		for c := range f.Calls() {
			fn(f, c)
		}
	}
}

// Index returns the node index of f: of the members the pass looks at
// (all of them but in an incremental check of a per-member analyzer).
func (p *Pass) Index(f *model.File) *model.Index {
	if p.restricted(f) {
		return p.onlyIndex
	}
	return f.Index()
}

// CallsTo returns the calls of the library function name in the members
// of f the pass looks at, in source order.
func (p *Pass) CallsTo(f *model.File, name string) []*ast.InvokeExpr {
	if !p.restricted(f) {
		return p.Prog.CallsTo(f, name)
	}
	var out []*ast.InvokeExpr
	for _, c := range p.Index(f).Calls {
		if p.Prog.CallName(f, c) == name {
			out = append(out, c)
		}
	}
	return out
}

// Members returns the members of the main document the pass looks at, in
// source order: all of them but in an incremental check of a per-member
// analyzer.
func (p *Pass) Members() []*model.Member {
	if !p.restrict {
		return p.Prog.MemberList
	}
	return p.onlyMembers
}

// restricted reports whether the pass looks at only some members of f.
func (p *Pass) restricted(f *model.File) bool {
	return p.restrict && f == p.Prog.Main
}

// Span returns the byte offsets of n in f.
func Span(f *model.File, n ast.Node) (start, end int) { return f.AST.Span(n) }

// Replace returns an edit that replaces node n of f with text.
func Replace(f *model.File, n ast.Node, text string) TextEdit {
	start, end := f.AST.Span(n)
	return TextEdit{Path: f.Path, Start: start, End: end, NewText: text}
}

// Insert returns an edit that inserts text at byte offset off of f.
func Insert(f *model.File, off int, text string) TextEdit {
	return TextEdit{Path: f.Path, Start: off, End: off, NewText: text}
}

// Source returns the text of node n in f.
func Source(f *model.File, n ast.Node) string {
	start, end := f.AST.Span(n)
	return string(f.AST.Src[start:end])
}
