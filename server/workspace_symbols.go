package server

import (
	"context"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/ide"
	"github.com/pqls/pqls/model"
)

// Bounds of the search for connector projects in the workspace folders,
// so that a folder holding a whole disk does not stall the request.
const (
	maxProjectDepth = 4
	maxProjectDirs  = 2000
	maxSymbols      = 1000
)

// workspaceSymbol answers workspace/symbol: the definitions (members, let
// bindings, record fields) whose names fuzzily match the query, in every
// connector project of the workspace — the projects of open documents as
// edited, and those found in the workspace folders as on disk.
func (s *session) workspaceSymbol(ctx context.Context, p *protocol.WorkspaceSymbolParams) ([]protocol.WorkspaceSymbol, error) {
	m := s.mapper()
	out := []protocol.WorkspaceSymbol{}
	for _, wp := range s.workspacePrograms(ctx) {
		syms, err := ide.WorkspaceSymbols(ctx, wp.prog, p.Query)
		if err != nil {
			return nil, err
		}
		for _, sym := range syms {
			c, d, ok := wp.snapshot.content(sym.Path)
			if !ok {
				continue
			}
			ws := protocol.WorkspaceSymbol{
				BaseSymbolInformation: protocol.BaseSymbolInformation{Name: symbolName(sym.Symbol), Kind: symbolKinds[sym.Kind]},
				Location:              &protocol.Location{URI: uriOf(sym.Path, d), Range: m.rangeOf(c, sym.SelStart, sym.SelEnd)},
			}
			if sym.Container != "" {
				ws.ContainerName = ptr(sym.Container)
			}
			out = append(out, ws)
			if len(out) >= maxSymbols {
				return out, nil
			}
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	return out, nil
}

// workspaceProgram is the model of one project for a workspace request.
type workspaceProgram struct {
	prog     *model.Program
	snapshot *snapshot
}

// workspacePrograms returns the models of the projects of the open
// documents and of the connector projects under the workspace folders.
func (s *session) workspacePrograms(ctx context.Context) []workspaceProgram {
	s.mu.Lock()
	states := make([]*view, 0, len(s.projects))
	for _, ps := range s.projects {
		states = append(states, ps)
	}
	folders := append([]string(nil), s.folders...)
	s.mu.Unlock()
	sort.Slice(states, func(i, j int) bool { return states[i].root < states[j].root })

	var out []workspaceProgram
	known := map[string]bool{}
	for _, ps := range states {
		v := s.snapshot(ps)
		_, prog, _ := v.model()
		out = append(out, workspaceProgram{prog: prog, snapshot: v})
		known[ps.root] = true
		if prog.Project != nil {
			known[prog.Project.Root] = true
		}
	}
	for _, dir := range projectDirs(folders) {
		if known[dir] || ctx.Err() != nil {
			continue
		}
		s.mu.Lock()
		v := s.snapshotLocked(&view{root: dir}, 0)
		s.mu.Unlock()
		p, err := v.loader.Load(v.source(), dir)
		if err != nil || known[p.Root] {
			continue
		}
		known[p.Root] = true
		prog, _ := analysis.Load(p, v)
		out = append(out, workspaceProgram{prog: prog, snapshot: v})
	}
	return out
}

// projectDirs returns the folders under roots that hold a connector
// project: a .proj or .mproj file, or a section document (.pq that is not
// a *.query.pq test).
func projectDirs(roots []string) []string {
	var out []string
	dirs := 0
	for _, root := range roots {
		filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				if e != nil && e.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if e.IsDir() {
				rel, _ := filepath.Rel(root, path)
				name := e.Name()
				if path != root && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "bin" || name == "obj") ||
					strings.Count(rel, string(filepath.Separator)) >= maxProjectDepth {
					return fs.SkipDir
				}
				if dirs++; dirs > maxProjectDirs {
					return fs.SkipAll
				}
				return nil
			}
			lower := strings.ToLower(e.Name())
			if strings.HasSuffix(lower, ".proj") || strings.HasSuffix(lower, ".mproj") ||
				strings.HasSuffix(lower, ".pq") && !strings.HasSuffix(lower, ".query.pq") {
				dir := filepath.Dir(path)
				if len(out) == 0 || out[len(out)-1] != dir {
					out = append(out, dir)
				}
			}
			return nil
		})
	}
	return out
}
