package parser

import (
	"sort"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/token"
)

// Parse parses src, the content of the file called name, as a section
// document or an expression document. It never fails: the returned file has
// a tree for whatever could be parsed and every syntax error in Errors.
func Parse(name string, src []byte) *ast.File {
	p := newParser(src, 0)
	p.parseDocument()
	f := &ast.File{Name: name, Src: src, Lines: token.NewLines(src), Chunks: p.chunks}
	f.Regions = p.distributeComments(p.regions, len(src))
	assemble(f)
	return f
}

// distributeComments hands each comment scanned during the parse, and the
// error of an unterminated one, to the region it starts in. Comments at or
// past limit belong to regions that were not parsed again.
func (p *parser) distributeComments(regions []ast.Region, limit int) []ast.Region {
	j := 0
	for i := range regions {
		r := &regions[i]
		start := p.chunks[r.Chunk]
		end := start + r.Len
		var cs []ast.Comment
		for ; j < len(p.comments) && p.comments[j].start < end && p.comments[j].start < limit; j++ {
			c := p.comments[j]
			pos := token.MakePos(r.Chunk, c.start-start)
			cs = append(cs, ast.Comment{Slash: pos, Text: string(p.src[c.start:c.end])})
			if c.msg != "" {
				r.Errors = append(r.Errors, ast.Error{From: pos, To: token.MakePos(r.Chunk, c.end-start), Msg: c.msg})
			}
		}
		r.Comments = cs
	}
	return regions
}

// assemble builds the document's root, comment list and error list from its
// regions.
func assemble(f *ast.File) {
	var nc, ne int
	f.Text = 0
	for i := range f.Regions {
		nc += len(f.Regions[i].Comments)
		ne += len(f.Regions[i].Errors)
		f.Text |= f.Regions[i].Text
	}
	f.Comments = make([]ast.Comment, 0, nc)
	f.Errors = make([]ast.Error, 0, ne)
	for i := range f.Regions {
		f.Comments = append(f.Comments, f.Regions[i].Comments...)
		f.Errors = append(f.Errors, f.Regions[i].Errors...)
	}
	sort.SliceStable(f.Errors, func(i, j int) bool {
		return f.Offset(f.Errors[i].From) < f.Offset(f.Errors[j].From)
	})

	head := &f.Regions[0]
	if head.Kind != ast.HeadRegion {
		if len(head.Nodes) > 0 {
			f.Expr = head.Nodes[0].(ast.Expr)
		}
		return
	}
	switch h := head.Nodes[0].(type) {
	case *ast.Section:
		s := *h
		n := 0
		for _, r := range f.Regions[1:] {
			n += len(r.Nodes)
		}
		s.Members = make([]*ast.Member, 0, n)
		for _, r := range f.Regions[1:] {
			for _, m := range r.Nodes {
				s.Members = append(s.Members, m.(*ast.Member))
			}
		}
		f.Section = &s
	case *ast.LetExpr:
		l := *h
		for _, r := range f.Regions[1:] {
			switch r.Kind {
			case ast.BindingRegion:
				for _, b := range r.Nodes {
					l.Bindings = append(l.Bindings, b.(*ast.Binding))
				}
				if r.EndsList {
					l.In = r.Sep
				}
			case ast.TailRegion:
				for _, n := range r.Nodes {
					switch n := n.(type) {
					case *ast.Binding:
						l.Bindings = append(l.Bindings, n)
					case ast.Expr:
						l.Body = n
					}
				}
				if r.EndsList {
					l.In = r.Sep
				}
			}
		}
		f.Expr = &l
	}
}

// Reparse returns the parse of the text that results from applying e to
// old's text. It parses again only the regions the edit touched — a section
// member, a top-level let binding — and reuses the rest of old's tree,
// comments and errors; the result is the same as Parse of the new text.
// old is not modified.
func Reparse(old *ast.File, e Edit) *ast.File {
	if e.Start < 0 || e.End < e.Start || e.End > len(old.Src) {
		return Parse(old.Name, old.Src)
	}
	src := e.Apply(old.Src)
	regions := old.Regions
	// Chunk numbers are never reused, so the table grows with each edit;
	// a full parse now and then keeps it compact.
	live := 0
	for i := range regions {
		live += chunksOf(&regions[i])
	}
	if len(regions) < 3 || regions[0].Kind != ast.HeadRegion || len(old.Chunks) > 2*live+1024 ||
		len(old.Chunks)+len(src)>>token.ChunkBits+64 > token.MaxChunks/2 {
		return Parse(old.Name, src)
	}
	start := func(i int) int { return old.Chunks[regions[i].Chunk] }
	delta := len(e.Text) - (e.End - e.Start)

	// The first damaged region is the one the edit starts in, strictly after
	// its first byte, or any earlier one whose parse looked that far.
	i := sort.Search(len(regions), func(i int) bool { return start(i) >= e.Start }) - 1
	for i > 0 && start(i-1)+regions[i-1].Peek >= e.Start {
		i--
	}
	if i <= 0 {
		return Parse(old.Name, src)
	}

	p := newParser(src, start(i))
	p.chunks = make([]int, len(old.Chunks), len(old.Chunks)+4)
	copy(p.chunks, old.Chunks)
	p.regions = make([]ast.Region, i, len(regions)+4)
	copy(p.regions, regions[:i])
	if l, ok := regions[0].Nodes[0].(*ast.LetExpr); ok {
		p.letPos = l.Let
	}
	// Old region boundaries at or after the end of the edit are where the
	// new parse may rejoin the old one.
	p.landing = &landing{regions: regions, chunks: old.Chunks, from: i, editEnd: e.End, delta: delta}

	p.prevEnd = start(i)
	switch regions[i].Kind {
	case ast.MemberRegion:
		p.parseMembers()
	case ast.BindingRegion:
		p.parseTopBindings()
	case ast.TailRegion:
		switch {
		case !p.letPos.IsValid():
			p.parseMembers()
		case regions[i-1].EndsList:
			p.openRegion(ast.TailRegion, start(i))
			p.parseTail()
		default: // a binding list that runs to the end of the file
			p.parseTopBindings()
		}
	default:
		return Parse(old.Name, src)
	}

	limit := len(src)
	if p.landed >= 0 {
		limit = start(p.landed) + delta
	}
	newRegions := p.distributeComments(p.regions[i:], limit)
	out := p.regions[:i]
	out = append(out, newRegions...)
	if p.landed >= 0 {
		for _, r := range regions[p.landed:] {
			for c := range chunksOf(&r) {
				p.chunks[r.Chunk+c] += delta
			}
			out = append(out, r)
		}
	}
	f := &ast.File{
		Name:    old.Name,
		Src:     src,
		Lines:   old.Lines.Edit(src, e.Start, e.End, e.Start+len(e.Text)),
		Chunks:  p.chunks,
		Regions: out,
	}
	assemble(f)
	return f
}
