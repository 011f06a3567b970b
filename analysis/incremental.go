package analysis

import (
	"hash/fnv"
	"maps"
	"reflect"
	"slices"
	"sort"
	"weak"

	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
)

// Incremental is what a check keeps for the next check of the same project:
// the findings of the per-member analyzers (Analyzer.PerMember), member by
// member of the main document. The parser reuses the nodes of the members
// an edit did not touch (grammar/parser.Reparse), so the next check knows
// an unchanged member by its node (or, for the neighbours Reparse parsed
// again, by its text); when neither it nor any member connected to it by
// references changed, and the facts every member shares (member names and
// attributes, kinds, scheme guards, line endings, the other files, project,
// configuration) are equal, its findings are taken from here instead of
// computed again.
//
// An Incremental is immutable once returned; several checks may start from
// the same one.
type Incremental struct {
	// doc sums up the model the check read: the state does not keep the
	// model itself, which a server may drop to bound its memory.
	doc       *docSummary
	cfg       *config.Config
	analyzers []*Analyzer
	kind      model.ProjectKind
	// members holds the findings of the per-member analyzers in each
	// member of doc.members.
	members []*memberFindings
	// full is set when a per-member analyzer reported a finding in a
	// member whose findings were reused: it is not known which member it
	// came from, so the next check computes everything again.
	full   bool
	reused int // members whose findings came from the check before
}

// docSummary is what the next check compares with its own model: the
// main document's members, the references between them and the other
// files. A server keeps one per project, so it is kept small: the
// members' names and flags are read from their nodes.
type docSummary struct {
	project  *project.Project
	mainPath string
	// nodes, header and members are the current check's own; detach
	// drops them once it is done, so that the state kept for the next
	// check does not keep the syntax tree alive: a server lets the trees
	// of documents nobody uses go (server/trees.go).
	nodes   []*ast.Member   // every member of the section, named or not
	header  *ast.RecordExpr // the section's attributes, or nil
	members []*ast.Member   // the named members (model.Program.MemberList)
	// What the next check compares with, without holding the tree: how
	// many members the section had, and each named member's node (a weak
	// pointer, equal to weak.Make of the same node while it lives), name
	// and shared flag.
	nodeCount int
	weak      []weak.Pointer[ast.Member]
	names     []string
	shared    []bool
	// fact marks the members that decide facts of the whole model: kind
	// records, data-source functions, Publish records, and the members
	// the other files refer to.
	fact []bool
	// guard marks the members that are scheme guards (functions that
	// raise an error unless a URL uses HTTPS): rules look for one among
	// all members to build their fixes.
	guard []bool
	crlf  bool // the file uses CRLF line endings, which fixes follow
	// text holds a hash of each member's text: Reparse parses again the
	// members next to an edit too, and a member parsed again to the same
	// text is the same member.
	text []uint64
	// unparsed marks the members that hold a syntax error, where rules
	// report nothing; an error next to a member counts, so it changes
	// with the neighbours' edits.
	unparsed []bool
	// The members member i's value refers to are uses[useStart[i]:useStart[i+1]].
	useStart []int32
	uses     []int32
	attrs    map[int]string // the attribute records' text, by member
	others   []otherFile
}

type otherFile struct {
	path string
	ast  weak.Pointer[ast.File] // equal while the same tree lives
	role project.Role
}

// summarize sums up prog, whose main document is a section document. The
// scheme guards of members whose nodes prev knew are taken from prev.
func summarize(prog *model.Program, prev *docSummary) *docSummary {
	n := len(prog.MemberList)
	d := &docSummary{
		project: prog.Project, mainPath: prog.Main.Path,
		nodes: prog.Main.AST.Section.Members, header: prog.Main.AST.Section.Attrs,
		members: make([]*ast.Member, n), fact: make([]bool, n), guard: make([]bool, n),
		text: make([]uint64, n), unparsed: make([]bool, n), useStart: make([]int32, n+1),
		weak:  make([]weak.Pointer[ast.Member], n),
		attrs: map[int]string{}, crlf: Newline(prog.Main) == "\r\n",
	}
	if prev != nil && len(prev.names) != n {
		prev = nil
	}
	// With the same member names in the same order, an unchanged member
	// refers to the same members as before: its edges are copied rather
	// than worked out from its names again.
	sameNames := prev != nil
	for i := 0; sameNames && i < n; i++ {
		sameNames = prev.names[i] == prog.MemberList[i].Name
	}
	if prev != nil {
		d.uses = make([]int32, 0, len(prev.uses)+8)
	}
	facts := factMembers(prog)
	for i, m := range prog.MemberList {
		d.members[i] = m.Node
		d.fact[i] = facts[m] || prog.UsedOutside(m)
		d.unparsed[i] = prog.Main.Unparsed(m.Node)
		d.weak[i] = model.WeakMember(m.Node)
		if prev != nil && prev.weak[i] == d.weak[i] {
			d.guard[i], d.text[i] = prev.guard[i], prev.text[i]
		} else {
			if fn, ff := prog.FuncOf(prog.Main, m.Node.Value); fn != nil {
				d.guard[i] = prog.IsSchemeGuard(ff, fn)
			}
			h := fnv.New64a()
			start, end := prog.Main.AST.Span(m.Node)
			h.Write(prog.Main.AST.Src[start:end])
			d.text[i] = h.Sum64()
		}
		if m.Node.Attrs != nil {
			d.attrs[i] = Source(prog.Main, m.Node.Attrs)
		}
		if sameNames && prev.weak[i] == d.weak[i] {
			d.uses = append(d.uses, prev.uses[prev.useStart[i]:prev.useStart[i+1]]...)
		} else {
			for _, u := range prog.Uses(m) {
				d.uses = append(d.uses, int32(prog.Order(u)))
			}
		}
		d.useStart[i+1] = int32(len(d.uses))
	}
	for _, f := range prog.Files[1:] {
		d.others = append(d.others, otherFile{f.Path, weak.Make(f.AST), f.Role})
	}
	return d
}

// detach keeps of d what the next check compares with and drops the
// pointers into the syntax tree.
func (d *docSummary) detach() {
	d.nodeCount = len(d.nodes)
	d.names = make([]string, len(d.members))
	d.shared = make([]bool, len(d.members))
	for i, m := range d.members {
		d.names[i] = m.Name.Name
		d.shared[i] = m.Shared.IsValid()
	}
	d.nodes, d.header, d.members = nil, nil, nil
}

// Reused returns how many members' findings the check that returned inc
// took from the check before.
func (inc *Incremental) Reused() int {
	if inc == nil {
		return 0
	}
	return inc.reused
}

// memberFindings are the findings of the per-member analyzers in one
// member, with offsets relative to the member's start so that they hold
// wherever the member moves. They are shared by the Incrementals of the
// checks that reuse them, and never changed once the check that made them
// returns. Which analyzers ran over the member needs no record: the plan
// reuses findings only under the same analyzers, configuration and kind.
type memberFindings struct {
	found []memberFinding
	// volatile is set when a finding reaches outside the member (a fix
	// that edits another member, a related place in another file): it
	// cannot be moved with the member, so the member is checked again.
	volatile bool
}

type memberFinding struct {
	a *Analyzer
	d Diagnostic
}

// noFindings stands for the findings of a member where the per-member
// analyzers found nothing: most members, which then cost no allocation.
var noFindings = &memberFindings{}

// reusePlan says which members of the main document a check recomputes:
// the per-member analyzers run over those only (and the other files in
// their scope), and the findings of the rest come from the previous check.
type reusePlan struct {
	// nodes are what per-member analyzers read of the main document: the
	// section's attributes, which they read every time, and the members
	// recomputed, in source order.
	nodes []ast.Node
	// reused holds the findings of each member not recomputed, by index
	// in MemberList; nil for those recomputed.
	reused []*memberFindings
	// index is the node index of nodes, made when the first per-member
	// analyzer asks.
	index *model.Index
	// recomputed are the indexes in MemberList of the members recomputed,
	// and members those members, made with index.
	recomputed []int
	members    []*model.Member
}

// maxRecomputeShare is the share of members above which a check computes
// everything again: running a per-member analyzer over most members costs
// as much as running it over the file.
const maxRecomputeShare = 0.5

// plan works out what a check of prog (summed up in doc) may reuse from
// prev, or returns nil when it must compute everything.
func plan(prev *Incremental, doc *docSummary, cfg *config.Config, analyzers []*Analyzer, kind model.ProjectKind) *reusePlan {
	if prev == nil || prev.full || prev.kind != kind || prev.doc == nil || doc == nil {
		return nil
	}
	old := prev.doc
	if old.mainPath != doc.mainPath || old.crlf != doc.crlf || !sameProject(old.project, doc.project) || !slices.Equal(old.others, doc.others) {
		return nil
	}
	if !slices.Equal(prev.analyzers, analyzers) || prev.cfg != cfg && !reflect.DeepEqual(prev.cfg, cfg) {
		return nil
	}
	if old.nodeCount != len(doc.nodes) || len(old.names) != len(doc.members) {
		return nil
	}
	if len(doc.nodes) != len(doc.members) {
		return nil // a member without a name, which no pass restricted to members sees
	}
	var changed []int
	for i, m := range doc.members {
		if (old.weak[i] == doc.weak[i] || doc.text[i] == old.text[i]) && doc.unparsed[i] == old.unparsed[i] {
			continue
		}
		if m.Name.Name != old.names[i] || m.Shared.IsValid() != old.shared[i] || doc.attrs[i] != old.attrs[i] ||
			doc.fact[i] || old.fact[i] || doc.guard[i] || old.guard[i] {
			return nil
		}
		changed = append(changed, i)
	}
	// A member whose findings could not be kept is computed again, with
	// what it is connected to: its findings may lie in those members.
	for i, mf := range prev.members {
		if mf.volatile {
			changed = append(changed, i)
		}
	}
	recompute := make([]bool, len(doc.members))
	count := 0
	for _, c := range [][]int{component(old, changed), component(doc, changed)} {
		for _, i := range c {
			if !recompute[i] {
				recompute[i] = true
				count++
			}
		}
	}
	if float64(count) > maxRecomputeShare*float64(len(doc.members)) {
		return nil
	}
	p := &reusePlan{reused: make([]*memberFindings, len(doc.members))}
	if doc.header != nil {
		p.nodes = append(p.nodes, doc.header)
	}
	for i, m := range doc.members {
		if recompute[i] {
			p.nodes = append(p.nodes, m)
			p.recomputed = append(p.recomputed, i)
		} else {
			p.reused[i] = prev.members[i]
		}
	}
	return p
}

// component returns the indexes of the members connected to the members
// at the given indexes by references in either direction: what a member's
// findings depend on reaches it through the names it uses (the values it
// reads, the functions it calls) and the names that use it (the arguments
// its parameters receive).
func component(doc *docSummary, from []int) []int {
	n := len(doc.useStart) - 1
	// The members that use member j are users[userStart[j]:userStart[j+1]],
	// counted first so that the reverse edges take two slices, not one
	// per member: a check of a large document makes this at every edit.
	userStart := make([]int32, n+1)
	for _, j := range doc.uses {
		userStart[j+1]++
	}
	for j := range n {
		userStart[j+1] += userStart[j]
	}
	users := make([]int32, len(doc.uses))
	fill := slices.Clone(userStart[:n])
	for i := range n {
		for _, j := range doc.uses[doc.useStart[i]:doc.useStart[i+1]] {
			users[fill[j]] = int32(i)
			fill[j]++
		}
	}
	seen := make([]bool, n)
	stack := slices.Clone(from)
	var out []int
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[i] {
			continue
		}
		seen[i] = true
		out = append(out, i)
		for _, j := range doc.uses[doc.useStart[i]:doc.useStart[i+1]] {
			stack = append(stack, int(j))
		}
		for _, j := range users[userStart[i]:userStart[i+1]] {
			stack = append(stack, int(j))
		}
	}
	return out
}

// factMembers returns the members whose content decides facts the whole
// model shares: kind records, data-source functions, Publish records.
func factMembers(prog *model.Program) map[*model.Member]bool {
	out := map[*model.Member]bool{}
	for _, k := range prog.Kinds {
		if k.Record != nil {
			out[k.Record] = true
		}
		for _, d := range k.DSFs {
			out[d.Member] = true
		}
		for _, p := range k.Publish {
			out[p] = true
		}
	}
	return out
}

// sameProject reports whether two loads of a project have the same
// content, as far as rules can see.
func sameProject(a, b *project.Project) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil {
		return false
	}
	return a.Root == b.Root && a.Name == b.Name && a.ProjFile == b.ProjFile && a.Main == b.Main &&
		slices.Equal(a.Modules, b.Modules) && slices.Equal(a.Tests, b.Tests) && a.Listed == b.Listed &&
		a.Resx == b.Resx && maps.Equal(a.Resources, b.Resources) && slices.Equal(a.Icons, b.Icons) &&
		slices.Equal(a.Packaged, b.Packaged) && reflect.DeepEqual(a.ResourceSpans, b.ResourceSpans) &&
		reflect.DeepEqual(a.Problems, b.Problems)
}

// memberSpans finds the member of the main document that holds an offset.
// The offsets come from the members' nodes through the chunk table, in
// constant time, rather than from a table made at every check.
type memberSpans struct {
	file    *ast.File
	members []*model.Member // the named members (model.Program.MemberList)
}

func newMemberSpans(prog *model.Program) *memberSpans {
	if prog.Main == nil || prog.Main.AST.Section == nil {
		return &memberSpans{}
	}
	return &memberSpans{file: prog.Main.AST, members: prog.MemberList}
}

// len returns the number of members.
func (ms *memberSpans) len() int { return len(ms.members) }

// start returns the offset where member i starts.
func (ms *memberSpans) start(i int) int { return ms.file.Offset(ms.members[i].Node.Pos()) }

// end returns the offset where member i ends.
func (ms *memberSpans) end(i int) int { return ms.file.Offset(ms.members[i].Node.End()) }

// at returns the index of the member whose span holds off, or -1. An
// offset at the end of a member belongs to it unless the next one starts
// there.
func (ms *memberSpans) at(off int) int {
	n := ms.len()
	i := sort.Search(n, func(i int) bool { return ms.end(i) > off })
	if i < n && ms.start(i) <= off {
		return i
	}
	if i > 0 && ms.end(i-1) == off {
		return i - 1
	}
	return -1
}

// inside reports whether every place d names — its span, its fixes' edits,
// its related places — lies in the main document between start and end.
func inside(d Diagnostic, path string, start, end int) bool {
	in := func(p string, s, e int) bool { return p == path && s >= start && e <= end }
	if !in(d.Path, d.Start, d.End) {
		return false
	}
	for _, r := range d.Related {
		if !in(r.Path, r.Start, r.End) {
			return false
		}
	}
	for _, fx := range d.Fixes {
		for _, e := range fx.Edits {
			if !in(e.Path, e.Start, e.End) {
				return false
			}
		}
	}
	return true
}

// moved returns d shifted by delta bytes; every place it names is in the
// main document (see inside). d is not changed.
func moved(d Diagnostic, delta int) Diagnostic {
	if delta == 0 {
		return d
	}
	d.Start += delta
	d.End += delta
	if d.Related != nil {
		d.Related = slices.Clone(d.Related)
		for i := range d.Related {
			d.Related[i].Start += delta
			d.Related[i].End += delta
		}
	}
	if d.Fixes != nil {
		fixes := make([]Fix, len(d.Fixes))
		for i, fx := range d.Fixes {
			fx.Edits = slices.Clone(fx.Edits)
			for j := range fx.Edits {
				fx.Edits[j].Start += delta
				fx.Edits[j].End += delta
			}
			fixes[i] = fx
		}
		d.Fixes = fixes
	}
	return d
}
