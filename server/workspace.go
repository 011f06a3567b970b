package server

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
)

// A project is checked as a whole: analysis.Run reads every file of
// a connector project, so a change to any file of it (an open document, its
// resources.resx, its project file, a pqls.json above it) makes every open
// document of the project stale. Open documents are grouped by the root of
// the project they belong to; each group has a view that numbers its
// states (gen) and runs its checks. The names are gopls': the session is the
// server's state for one client (server.go), a view is one project in it,
// and a snapshot is a view at one gen, immutable once made.

// view is the checking state of one project of the session (gopls names a
// workspace folder's build a view; here the unit is a connector project).
// Its variables are named ps, for the project state they hold.
type view struct {
	root string

	mu      sync.Mutex
	gen     uint64 // the state of the project: bumped by every change to it
	timer   *time.Timer
	running bool // a push run is going on
	rerun   bool // and another was asked for meanwhile
	result  *checkResult
	sent    map[string]string // path → the diagnostics last queued for it
	delay   time.Duration     // diagnosticsDelay of the project's pqls.json
	// due is when the timer will start a check, zero once it has (or if
	// none is set): the idle garbage collection keeps clear of it.
	due time.Time

	checkMu     sync.Mutex         // one check at a time
	cancelCheck context.CancelFunc // cancels the running check; under mu

	snapshot *snapshot // the snapshot of the latest gen asked for; under mu
}

func (ps *view) stopTimer() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.timer != nil {
		ps.timer.Stop()
	}
}

// isLoose reports whether root names a buffer that is not a file (an
// untitled document), which makes a project of its own.
func isLoose(root string) bool { return !filepath.IsAbs(root) }

// overlayLocked returns the open documents over the disk, read up to the
// editor's size limit.
func (s *session) overlayLocked() project.Source {
	return project.Overlay(project.OSWithLimit(s.maxFileSizeLocked()), s.buffersLocked())
}

// buffersLocked returns the text of the open documents that are files, by
// path.
func (s *session) buffersLocked() map[string][]byte {
	bufs := make(map[string][]byte, len(s.docs))
	for key, d := range s.docs {
		if !isLoose(key) {
			bufs[key] = d.text.src
		}
	}
	return bufs
}

// maxFileSizeLocked is the largest file the session reads from disk
// outside a project that says otherwise: the editor's maxFileSizeMB
// setting, 32 MB by default. A project's pqls.json that sets maxFileSizeMB
// wins over it for the files of that project (snapshot.config), as the
// file's other settings win over the editor's.
func (s *session) maxFileSizeLocked() int64 {
	if s.settings.cfg != nil && s.settings.cfg.MaxFileSize > 0 {
		return s.settings.cfg.MaxFileSize
	}
	return project.DefaultMaxFileSize
}

// projectRoot returns the root of the project d belongs to, loading it
// from src. It reads the disk, so it never runs on the read loop or under
// s.mu: a slow disk (a FIFO named like a module, a network share) would
// freeze every request behind it.
func (s *session) projectRoot(src project.Source, d *document) string {
	if isLoose(d.path) {
		return d.path
	}
	p, err := s.loader.Load(src, d.path)
	if err != nil {
		s.log.Debug("no project for document", zap.String("path", d.path), zap.Error(err))
		return filepath.Dir(d.path)
	}
	return p.Root
}

// provisionalRoot is the project root of a newly opened document until
// its project is loaded: its folder, where a connector's project usually
// is.
func provisionalRoot(d *document) string {
	if isLoose(d.path) {
		return d.path
	}
	return filepath.Dir(d.path)
}

// rerootLocked asks for the project of every open document to be worked
// out again, after a change that may have moved files between projects (a
// document opened, a project file created or deleted, say). The loading
// runs on one background goroutine; a request made meanwhile runs again
// once it ends, so the last state of the documents always gets loaded.
func (s *session) rerootLocked() {
	if s.rerooting {
		s.rerootAgain = true
		return
	}
	s.rerooting = true
	s.goBackground("project loading", s.rerootLoop)
}

// rerootLoop loads the projects of the open documents until no new request
// for it came meanwhile.
func (s *session) rerootLoop() {
	for {
		s.mu.Lock()
		s.rerootAgain = false
		src := s.overlayLocked()
		docs := make([]*document, 0, len(s.docs))
		for _, d := range s.docs {
			docs = append(docs, d)
		}
		s.mu.Unlock()

		roots := make(map[string]string, len(docs)) // path → root
		for _, d := range docs {
			if s.ctx.Err() != nil {
				break
			}
			roots[d.path] = s.projectRoot(src, d)
		}

		s.mu.Lock()
		s.applyRootsLocked(roots)
		if !s.rerootAgain || s.ctx.Err() != nil {
			s.rerooting = false
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
	}
}

// applyRootsLocked moves the open documents whose project root changed.
func (s *session) applyRootsLocked(roots map[string]string) {
	for key, d := range s.docs {
		root, ok := roots[d.path]
		if !ok || root == d.project {
			continue
		}
		s.log.Debug("document moved to another project", zap.String("path", key), zap.String("from", d.project), zap.String("to", root))
		old := d.project
		nd := *d
		nd.project = root
		s.docs[key] = &nd
		s.touchLocked(old)
		s.touchLocked(root)
	}
	s.dropIdleProjectsLocked()
}

// dropIdleProjectsLocked forgets projects that have no open document.
func (s *session) dropIdleProjectsLocked() {
	used := make(map[string]bool)
	for _, d := range s.docs {
		used[d.project] = true
	}
	for root, ps := range s.projects {
		if !used[root] {
			ps.mu.Lock()
			ps.gen = s.nextGen()
			ps.cancelStaleLocked()
			if ps.timer != nil {
				ps.timer.Stop()
			}
			// Whatever still holds the view (its timer's function, a
			// check that is ending) must not keep its documents alive:
			// they may be tens of megabytes of text and tree.
			snap := ps.snapshot
			ps.snapshot, ps.result = nil, nil
			ps.mu.Unlock()
			s.models.forget(snap)
			delete(s.projects, root)
		}
	}
}

func (s *session) nextGen() uint64 {
	s.genSeq++
	return s.genSeq
}

// touchLocked records a change to the project at root and, when diagnostics
// are pushed, schedules a check.
func (s *session) touchLocked(root string) *view {
	ps := s.projects[root]
	if ps == nil {
		ps = &view{root: root, sent: make(map[string]string)}
		s.projects[root] = ps
	}
	ps.mu.Lock()
	ps.gen = s.nextGen()
	ps.cancelStaleLocked()
	delay := s.delayLocked(ps)
	if s.ctx.Err() == nil && !s.clientCaps().pull {
		if ps.timer == nil {
			ps.timer = time.AfterFunc(delay, func() { s.runProject(ps) })
		} else {
			ps.timer.Reset(delay)
		}
		ps.due = time.Now().Add(delay)
	}
	ps.mu.Unlock()
	s.idle.changed(time.Now())
	close(s.changed)
	s.changed = make(chan struct{})
	return ps
}

// touchAllLocked records a change to every project: a new configuration, a
// file changed on disk.
func (s *session) touchAllLocked() {
	for root := range s.projects {
		s.touchLocked(root)
	}
}

// defaultDelay is how long the server waits after a change before it
// checks, so that a burst of keystrokes is checked once.
const defaultDelay = 50 * time.Millisecond

// delayLocked returns the debounce delay for ps: the project's pqls.json,
// else the editor's settings, else defaultDelay.
func (s *session) delayLocked(ps *view) time.Duration {
	switch {
	case s.delayOverride != nil:
		return *s.delayOverride
	case ps.delay > 0:
		return ps.delay
	case s.settings.cfg.DiagnosticsDelay > 0:
		return s.settings.cfg.DiagnosticsDelay
	}
	return defaultDelay
}

func (s *session) didChangeWatchedFiles(ctx context.Context, p *protocol.DidChangeWatchedFilesParams) error {
	var paths []string
	for _, c := range p.Changes {
		if path, ok := filePath(c.URI); ok {
			paths = append(paths, path)
		}
	}
	s.fileChanged(paths)
	return nil
}

// fileChanged notes that files changed on disk: their cached parses go, the
// projects are worked out again, and every project is checked again, since
// any of them may read the file (a pqls.json above them, a module they
// list).
func (s *session) fileChanged(paths []string) {
	if len(paths) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range paths {
		s.disk.invalidate(p)
		if strings.EqualFold(filepath.Base(p), "pqls.json") {
			s.log.Debug("configuration file changed", zap.String("path", p))
		}
	}
	s.rerootLocked()
	s.touchAllLocked()
}

func (s *session) didChangeWorkspaceFolders(ctx context.Context, p *protocol.DidChangeWorkspaceFoldersParams) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range p.Event.Removed {
		if path, ok := filePath(f.URI); ok {
			for i, g := range s.folders {
				if g == path {
					s.folders = append(s.folders[:i:i], s.folders[i+1:]...)
					break
				}
			}
		}
	}
	for _, f := range p.Event.Added {
		if path, ok := filePath(f.URI); ok {
			s.folders = append(s.folders, path)
		}
	}
	s.log.Info("workspace folders", zap.Strings("folders", s.folders))
	s.rerootLocked()
	s.touchAllLocked()
	return nil
}

// A snapshot is a consistent picture of one project at one gen: the open
// documents as they were, the disk for the rest. It implements
// analysis.Files.
type snapshot struct {
	gen  uint64
	root string
	docs []*document          // the project's open documents, by path
	open map[string]*document // every open document, by path
	// src is the open documents over the disk, read up to the editor's
	// size limit, maxFile. It finds and reads the project's pqls.json; the
	// project's files are read through source(), whose limit that file
	// may change.
	src       project.Source
	maxFile   int64
	bufs      map[string][]byte // the open documents' text, by path
	loader    *project.Loader   // the session's
	disk      *diskCache
	editorCfg *config.Config
	features  editorFeatures
	log       *zap.Logger
	hooks     *testHooks

	// The project's configuration, worked out once per snapshot (it reads
	// the disk) by config.
	cfgOnce sync.Once
	cfg     *config.Config
	cfgPath string         // the pqls.json in force, or ""
	cfgErr  error          // why that file was ignored
	projSrc project.Source // the open documents over the disk, up to projMax
	projMax int64          // largest file read from disk for the project

	mu        sync.Mutex
	diskFiles map[string]*ast.File // files the check parsed from disk
	contents  map[string]content   // files read from disk for this snapshot

	models    *modelCache
	modelMu   sync.Mutex // one build at a time; guards the fields below
	proj      *project.Project
	prog      *model.Program
	loaded    []analysis.Diagnostic // syntax and project-file faults found by Load
	modelSize int                   // bytes of M source in prog
}

// model returns the project the snapshot is about and its semantic model,
// built on first use, and again if the model cache let it go meanwhile.
func (v *snapshot) model() (*project.Project, *model.Program, []analysis.Diagnostic) {
	v.modelMu.Lock()
	if v.prog == nil {
		v.proj = v.loadProject()
		v.prog, v.loaded = analysis.Load(v.proj, v)
		v.modelSize = 0
		for _, f := range v.prog.Files {
			v.modelSize += len(f.AST.Src)
		}
		if v.hooks != nil && v.hooks.modelBuilt != nil {
			v.hooks.modelBuilt(v.root, v.gen)
		}
	}
	proj, prog, loaded, size := v.proj, v.prog, v.loaded, v.modelSize
	v.modelMu.Unlock()
	for _, w := range v.models.touch(v, size) {
		w.releaseModel()
	}
	return proj, prog, loaded
}

// releaseModel lets the snapshot's model go; whoever still reads it keeps it
// alive until done.
func (v *snapshot) releaseModel() {
	v.modelMu.Lock()
	defer v.modelMu.Unlock()
	v.prog, v.loaded = nil, nil
}

// snapshot returns the snapshot of the view ps at its current gen, made
// once per gen, so that the check and every editor request of a gen share
// it and its model.
func (s *session) snapshot(ps *view) *snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	ps.mu.Lock()
	gen, v := ps.gen, ps.snapshot
	ps.mu.Unlock()
	if v != nil && v.gen == gen {
		return v
	}
	v = s.snapshotLocked(ps, gen)
	ps.mu.Lock()
	if ps.snapshot == nil || ps.snapshot.gen < v.gen {
		ps.snapshot = v
	}
	ps.mu.Unlock()
	return v
}

func (s *session) snapshotLocked(ps *view, gen uint64) *snapshot {
	bufs := s.buffersLocked()
	max := s.maxFileSizeLocked()
	v := &snapshot{
		gen:       gen,
		root:      ps.root,
		open:      make(map[string]*document, len(s.docs)),
		src:       project.Overlay(project.OSWithLimit(max), bufs),
		maxFile:   max,
		bufs:      bufs,
		loader:    s.loader,
		disk:      s.disk,
		editorCfg: s.settings.cfg,
		features:  s.settings.features,
		log:       s.log,
		hooks:     s.hooks,
		models:    s.models,
		diskFiles: make(map[string]*ast.File),
		contents:  make(map[string]content),
	}
	for key, d := range s.docs {
		v.open[key] = d
		if d.project == ps.root {
			v.docs = append(v.docs, d)
		}
	}
	slices.SortFunc(v.docs, func(a, b *document) int { return strings.Compare(a.path, b.path) })
	return v
}

// config returns the configuration of the snapshot's project — the
// editor's settings with the project's pqls.json laid over them —, the
// path of that file ("" if none applies) and why it was ignored, if it
// was. The file decides too how large a file of the project may be
// (maxFileSizeMB), as it does for `pqls check`: its setting wins over the
// editor's, which applies when the file does not set it. The file itself
// is read up to the editor's limit.
func (v *snapshot) config() (cfg *config.Config, path string, err error) {
	v.cfgOnce.Do(func() {
		v.cfg = v.editorCfg
		v.projSrc, v.projMax = v.src, v.maxFile
		if isLoose(v.root) {
			return
		}
		p, ok := config.Find(v.src, v.root)
		if !ok {
			return
		}
		v.cfgPath = p
		fc, err := configParser().Load(v.src, p)
		if err != nil {
			v.cfgErr = err
			return
		}
		v.cfg = config.Merge(v.cfg, fc)
		if m := fc.MaxFileSize; fc.Explicit(maxFileSizeName) && m > 0 && m != v.maxFile {
			v.projSrc, v.projMax = project.Overlay(project.OSWithLimit(m), v.bufs), m
		}
	})
	return v.cfg, v.cfgPath, v.cfgErr
}

// maxFileSizeName is the name of the size limit in pqls.json.
const maxFileSizeName = "maxFileSizeMB"

// source returns the open documents over the disk, read up to the
// project's size limit.
func (v *snapshot) source() project.Source {
	v.config()
	return v.projSrc
}

// limit returns the largest file read from disk for the project.
func (v *snapshot) limit() int64 {
	v.config()
	return v.projMax
}

// Parsed returns the syntax tree of the file at path: the open document's,
// or the file on disk's.
func (v *snapshot) Parsed(path string) (*ast.File, error) {
	key := cleanKey(path)
	if d := v.open[key]; d != nil {
		return d.parsed(v.log)
	}
	f, err := v.disk.parsed(v.log, key, v.limit())
	if err == nil {
		v.mu.Lock()
		v.diskFiles[key] = f
		v.mu.Unlock()
	}
	return f, err
}

func cleanKey(path string) string {
	if isLoose(path) {
		return path
	}
	return filepath.Clean(path)
}

// content returns the text of the file at path as the check saw it, and
// whether it could be read.
func (v *snapshot) content(path string) (content, *document, bool) {
	key := cleanKey(path)
	if d := v.open[key]; d != nil {
		return d.text, d, true
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if c, ok := v.contents[key]; ok {
		return c, nil, true
	}
	var src []byte
	if f := v.diskFiles[key]; f != nil {
		src = f.Src
	} else {
		data, err := v.source().ReadFile(key)
		if err != nil {
			return content{}, nil, false
		}
		src = data
	}
	c := newContent(src, false)
	v.contents[key] = c
	return c, nil, true
}

// loadProject loads the project the snapshot is about.
func (v *snapshot) loadProject() *project.Project {
	if !isLoose(v.root) {
		// Load through an open document where there is one, so that a lone
		// file of a kind the folder scan skips still belongs to the project.
		at := v.root
		for _, d := range v.docs {
			if isM(d.path, d.lang) {
				at = d.path
				break
			}
		}
		if p, err := v.loader.Load(v.source(), at); err == nil {
			return p
		} else {
			v.log.Debug("project did not load", zap.String("root", v.root), zap.Error(err))
		}
	}
	// A buffer that is not a file, or a folder that is no project: the
	// open documents make the project.
	p := &project.Project{Root: v.root, Name: strings.TrimSuffix(filepath.Base(v.root), filepath.Ext(v.root))}
	if isLoose(v.root) {
		p.Root = ""
	}
	for _, d := range v.docs {
		switch {
		case strings.EqualFold(filepath.Base(d.path), "resources.resx"):
			p.Resx = d.path
		case strings.EqualFold(filepath.Ext(d.path), ".pqm"):
			p.Modules = append(p.Modules, d.path)
		case isM(d.path, d.lang) && p.Main == "":
			p.Main = d.path
		case isM(d.path, d.lang):
			p.Modules = append(p.Modules, d.path)
		}
	}
	return p
}

// loadProjectAt loads the project as seen from the file at path.
func (v *snapshot) loadProjectAt(path string) (*project.Project, error) {
	return v.loader.Load(v.source(), path)
}

// diskCache holds the parses of files that are not open, checked against
// the file's size and modification time on each use. Files are read as the
// rest of pqls reads them (project.ReadRegular): regular files only, so a
// FIFO or a device named like a module never blocks or floods the server,
// and up to the size limit.
type diskCache struct {
	mu sync.Mutex
	m  map[string]*diskEntry
}

type diskEntry struct {
	size int64
	mod  time.Time
	file *ast.File
}

func newDiskCache() *diskCache { return &diskCache{m: make(map[string]*diskEntry)} }

func (c *diskCache) parsed(log *zap.Logger, path string, max int64) (*ast.File, error) {
	path = filepath.Clean(path)
	if max <= 0 {
		max = project.DefaultMaxFileSize
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s is a folder", path)
	}
	c.mu.Lock()
	e := c.m[path]
	c.mu.Unlock()
	if e != nil && e.size == info.Size() && e.mod.Equal(info.ModTime()) && e.size <= max {
		return e.file, nil
	}
	data, err := project.ReadRegular(path, max)
	if err != nil {
		return nil, err
	}
	f := safeParse(log, path, data)
	if f == nil {
		return nil, fmt.Errorf("%s: could not be parsed", path)
	}
	c.mu.Lock()
	c.m[path] = &diskEntry{size: info.Size(), mod: info.ModTime(), file: f}
	c.mu.Unlock()
	return f, nil
}

func (c *diskCache) invalidate(path string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, filepath.Clean(path))
}

var _ analysis.Files = (*snapshot)(nil)
