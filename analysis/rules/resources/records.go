package resources

import (
	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
)

// prjCodeFiles returns the connector's own code: the main document and the
// modules, not the test queries. Rules about packaged files and resources
// look at modules too, since modules read them the same way.
func prjCodeFiles(prog *model.Program) []*model.File {
	var out []*model.File
	for _, f := range prog.Files {
		if f.Role != project.Test {
			out = append(out, f)
		}
	}
	return out
}

// eachRecord calls fn for each record literal of the connector's code
// (prjCodeFiles) that the pass looks at, in source order, file by file,
// with the function its findings go through.
//
// It serves per-member rules that start from records: in the main document
// a pass restricted to some members (an incremental check) looks at those
// members' records only. What a record of the main document leads to may
// lie in a module it loads, whose findings the incremental check computes
// again every time and keeps none of; so when the connector has modules,
// the records of the members left out are followed too, in their place,
// reporting only what lies outside the main document — as
// connector.EachRootCall does for calls.
func eachRecord(p *analysis.Pass, fn func(f *model.File, r *ast.RecordExpr, report func(analysis.Diagnostic))) {
	main := p.Prog.Main
	files := prjCodeFiles(p.Prog)
	restricted := main != nil && main.AST.Section != nil && len(p.Members()) < len(p.Prog.MemberList)
	for _, f := range files {
		switch {
		case f != main || !restricted:
			for r := range f.Records() {
				fn(f, r, p.Report)
			}
		case len(files) == 1:
			for _, r := range p.Index(f).Records {
				fn(f, r, p.Report)
			}
		default:
			inPass := make(map[*ast.RecordExpr]bool, len(p.Index(f).Records))
			for _, r := range p.Index(f).Records {
				inPass[r] = true
			}
			outside := func(d analysis.Diagnostic) {
				if d.Path != main.Path {
					p.Report(d)
				}
			}
			for r := range f.Records() {
				if inPass[r] {
					fn(f, r, p.Report)
				} else {
					fn(f, r, outside)
				}
			}
		}
	}
}
