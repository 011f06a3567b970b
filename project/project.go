// Package project models a Power Query connector project: its main section
// document, modules, test queries, resources and icons.
//
// A project is a folder and the files its project file names, if it has
// one: an MSBuild .proj of the Visual Studio Code SDK or a .mproj of the
// older Visual Studio SDK. The project file decides the main document and
// what is packaged into the .mez; without one, the folder's single section
// document is the main document. A built connector, a .mez archive, is
// opened as a folder too (see OpenMez). Loading is lenient: a malformed project or resource file does not
// stop the load but is recorded in Project.Problems, so that an editor can
// keep working while such a file is being typed.
package project

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Project is one connector project. Paths are clean and start with Root.
type Project struct {
	Root     string   // the project folder
	Name     string   // project name: the name of the built .mez without extension
	ProjFile string   // .proj or .mproj, or ""
	Main     string   // main section document, or ""
	Modules  []string // .pqm modules
	Tests    []string // *.query.pq and other test files
	// Listed says the main document is a connector's by declaration: the
	// project file packages it (or the caller says so, as rule fixtures
	// do). Otherwise only its content makes it one (a DataSource.Kind).
	Listed bool
	// Sibling marks a project that Discover made for a further connector
	// in a folder that has no project file: a section document declaring
	// a DataSource.Kind beside the folder's main document. Its other
	// files are the folder project's too, so only the findings in Main
	// are its own.
	Sibling   bool
	Resx      string            // resources.resx, or ""
	Resources map[string]string // resx data name → value
	Icons     []string          // icon files
	Packaged  []string          // files the project file packages, resolved to paths

	// ResourceSpans locates each key of Resources in the Resx file.
	ResourceSpans map[string]ResourceSpan
	// ResxText is the text of the Resx file as read, which ResourceSpans
	// refer to: fixes that add a string compute their edits on it. It is
	// shared and never modified.
	ResxText []byte

	// Problems are the faults found in the project and resource files while
	// loading, such as malformed XML. The rest of the project is still
	// loaded.
	Problems []Problem

	src Source // where the files were read from

	// projFileBroken is set when the project file could not be read or
	// parsed, so that what it packages is unknown.
	projFileBroken bool
}

// PackageKnown reports whether the project's project file says which files
// are packaged: there is one and it could be read. Without it, a rule
// cannot tell a file the project leaves out from one it packages.
func (p *Project) PackageKnown() bool { return p.ProjFile != "" && !p.projFileBroken }

// Problem is a fault in one of a project's files.
type Problem struct {
	Path   string
	Offset int // byte offset in the file where the fault was noticed
	Err    error
	// IO is set when the file could not be read at all — missing, not
	// permitted, not a regular file, above the size limit, or outside the
	// project through a link — and was therefore left out of the project.
	// A check that skipped such a file is incomplete; the command line
	// fails with an I/O error.
	IO bool
}

func (p Problem) Error() string { return p.Path + ": " + p.Err.Error() }
func (p Problem) Unwrap() error { return p.Err }

// Role is what a file is to its project. It is the one file-role type of
// pqls: the model's parsed files carry Main, Module or Test.
type Role int

const (
	Other       Role = iota // not part of the project
	Main                    // the connector's section document
	Module                  // a .pqm module
	Test                    // a *.query.pq test file
	Resx                    // resources.resx
	ProjectFile             // the .proj or .mproj file
	Icon                    // a packaged icon
)

var roleNames = [...]string{Other: "other", Main: "main", Module: "module", Test: "test", Resx: "resx", ProjectFile: "project file", Icon: "icon"}

func (r Role) String() string {
	if r >= 0 && int(r) < len(roleNames) {
		return roleNames[r]
	}
	return fmt.Sprintf("role(%d)", int(r))
}

// Role returns what the file at path is to p.
func (p *Project) Role(path string) Role {
	path = filepath.Clean(path)
	switch {
	case path == p.Main && p.Main != "":
		return Main
	case slices.Contains(p.Modules, path):
		return Module
	case slices.Contains(p.Tests, path):
		return Test
	case path == p.Resx && p.Resx != "":
		return Resx
	case path == p.ProjFile && p.ProjFile != "":
		return ProjectFile
	case slices.Contains(p.Icons, path):
		return Icon
	}
	return Other
}

// Documents returns the M documents of p: the main document, the modules
// and the test files, in that order.
func (p *Project) Documents() []string {
	var docs []string
	if p.Main != "" {
		docs = append(docs, p.Main)
	}
	docs = append(docs, p.Modules...)
	return append(docs, p.Tests...)
}

// Source returns the Source p was loaded from.
func (p *Project) Source() Source {
	if p.src == nil {
		return OS()
	}
	return p.src
}

// ErrNoProject is returned by Load for a folder that holds neither a project
// file nor M documents.
var ErrNoProject = errors.New("no connector project")

// Loader loads projects. Its zero value is ready to use. A Loader kept
// from one load to the next, as by the language server, which loads again
// after edits, remembers the resource files it parsed by path, size and
// modification time, so that a large resources.resx is read and parsed
// again only when it changes. A Loader is safe for use by several
// goroutines at once; the Sources given to it must be too (those of this
// package are).
type Loader struct {
	mu   sync.Mutex
	resx map[string]*resxEntry // by path
}

// resxEntry is a parsed resource file and the file it was parsed from.
type resxEntry struct {
	size int64
	mod  time.Time
	r    *resx
	err  error
}

// maxCachedResx bounds the resource files a Loader remembers; a session
// rarely sees more than a few projects.
const maxCachedResx = 16

// Load is Loader.Load with a Loader of its own.
func Load(src Source, path string) (*Project, error) { return new(Loader).Load(src, path) }

// Discover is Loader.Discover with a Loader of its own.
func Discover(src Source, root string) ([]*Project, error) {
	return new(Loader).Discover(src, root)
}

// Load returns the project that contains path, a file or a folder.
//
// For a folder, the project is that folder. For a file, it is the file's
// folder, unless that folder has no project file and a project file in a
// folder above lists the file (a module kept in a subfolder, say). A .pq or .m file that the folder's project does not use
// is made part of the result, so that what was asked for gets checked: a
// section document becomes the main document (in place of the folder's),
// an expression document a module.
func (l *Loader) Load(src Source, path string) (*Project, error) {
	path = filepath.Clean(path)
	info, err := src.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("load project: %w", err)
	}
	if info.IsDir() {
		p, err := l.loadDir(src, path)
		if err != nil {
			return nil, fmt.Errorf("load project %s: %w", path, err)
		}
		// A folder whose only document was refused is still a project:
		// its problem says why nothing was checked.
		if p.ProjFile == "" && p.Main == "" && len(p.Modules) == 0 && len(p.Tests) == 0 && len(p.Problems) == 0 {
			return nil, fmt.Errorf("load project %s: %w", path, ErrNoProject)
		}
		return p, nil
	}
	dir := filepath.Dir(path)
	p, err := l.loadDir(src, dir)
	if err != nil {
		return nil, fmt.Errorf("load project for %s: %w", path, err)
	}
	if p.ProjFile == "" {
		if up := l.claimingProject(src, path); up != nil {
			p = up
		}
	}
	// An M document the folder's project does not use is still checked
	// when asked for: a second section document as the main document of a
	// project of its own, an expression document as a module.
	if p.Role(path) == Other && (isMDocument(path) || hasExt(path, ".pqm")) && !p.refused(path) && p.readable(path) {
		switch {
		case isMDocument(path) && p.Main == "":
			p.Main = path
		case isMDocument(path) && isSectionDocument(src, path):
			p.Main = path
			p.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		case isMDocument(path) || hasExt(path, ".pqm"):
			p.Modules = sortedSet(append(p.Modules, path))
		}
	}
	return p, nil
}

// claimingProject looks in the folders above path for a project file whose
// items include path.
func (l *Loader) claimingProject(src Source, path string) *Project {
	for child, dir := filepath.Dir(path), filepath.Dir(filepath.Dir(path)); dir != child; child, dir = dir, filepath.Dir(dir) {
		if !hasProjectFile(src, dir) {
			continue
		}
		p, err := l.loadDir(src, dir)
		if err != nil {
			return nil
		}
		if p.Role(path) != Other || slices.Contains(p.Packaged, path) {
			return p
		}
		return nil
	}
	return nil
}

// Discover returns every project in root and the folders below it, skipping
// build output and tool folders. A fault in one project does not stop the
// others: the projects that loaded are returned with the errors joined.
func (l *Loader) Discover(src Source, root string) ([]*Project, error) {
	root = filepath.Clean(root)
	var (
		projects []*Project
		errs     []error
		// claimed holds the files that the project files above list, so
		// that a subfolder of packaged documents is not taken for a
		// project of its own.
		claimed = make(map[string]bool)
	)
	var walk func(dir string, depth int)
	walk = func(dir string, depth int) {
		entries, err := src.ReadDir(dir)
		if err != nil {
			errs = append(errs, fmt.Errorf("discover: %w", err))
			return
		}
		if isProjectDir(src, dir, entries, claimed) {
			p, err := l.loadDir(src, dir)
			if err != nil {
				errs = append(errs, fmt.Errorf("load project %s: %w", dir, err))
			} else {
				projects = append(projects, p)
				for _, f := range p.Packaged {
					claimed[f] = true
				}
				projects = append(projects, l.siblings(src, p, entries, &errs)...)
			}
		}
		if depth >= maxDiscoverDepth {
			return
		}
		for _, e := range entries {
			// Links to folders are not followed: they could loop.
			if e.IsDir() && !skipDir(e.Name()) {
				walk(filepath.Join(dir, e.Name()), depth+1)
			}
		}
	}
	walk(root, 0)
	return projects, errors.Join(errs...)
}

// siblings returns a project for each further connector in the folder of
// p when the folder has no project file: a section document that declares
// a DataSource.Kind and that p does not use. Without a project file
// nothing says which of several connectors is the folder's, and each is
// checked rather than all but one skipped. With one, the project file
// says what is built, and the rest are not the connector's.
func (l *Loader) siblings(src Source, p *Project, entries []fs.DirEntry, errs *[]error) []*Project {
	if p.ProjFile != "" {
		return nil
	}
	var out []*Project
	for _, e := range entries {
		f := filepath.Join(p.Root, e.Name())
		if isDir(src, p.Root, e) || !isMDocument(f) || p.Role(f) != Other || !p.inside(f) || !declaresKind(src, f) {
			continue
		}
		q, err := l.Load(src, f)
		if err != nil {
			*errs = append(*errs, fmt.Errorf("load project for %s: %w", f, err))
			continue
		}
		q.Sibling = true
		out = append(out, q)
	}
	return out
}

// declaresKind reports whether the file at path is a section document that
// mentions DataSource.Kind: a connector of its own, as far as the text
// tells without parsing it.
func declaresKind(src Source, path string) bool {
	data, err := src.ReadFile(path)
	return err == nil && hasSectionKeyword(data) && bytes.Contains(data, []byte("DataSource.Kind"))
}

// maxDiscoverDepth bounds how deep Discover looks.
const maxDiscoverDepth = 32

// skipDir reports whether a folder of this name holds build output, version
// control data or dependencies rather than projects.
func skipDir(name string) bool {
	switch strings.ToLower(name) {
	case "bin", "obj", ".git", "node_modules":
		return true
	}
	return false
}

// isProjectDir reports whether a folder holds a project file, or a main
// document candidate or a test query that no project above has claimed. A
// folder of test queries alone is the SDK test framework's layout
// (tests/TestSuites/…, beside the connector's folder): its queries are
// checked as tests of a connector that is not there.
func isProjectDir(src Source, dir string, entries []fs.DirEntry, claimed map[string]bool) bool {
	for _, e := range entries {
		if isDir(src, dir, e) {
			continue
		}
		n := e.Name()
		if isProjectFileName(n) || (isMDocument(n) || isTestQuery(n)) && !claimed[filepath.Join(dir, n)] {
			return true
		}
	}
	return false
}

// loadDir loads the project in folder dir.
func (l *Loader) loadDir(src Source, dir string) (*Project, error) {
	entries, err := src.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	p := &Project{Root: dir, src: src}
	var local []string // the files of the folder
	isLocal := make(map[string]bool)
	for _, e := range entries {
		if !isDir(src, dir, e) {
			f := filepath.Join(dir, e.Name())
			local = append(local, f)
			isLocal[f] = true
		}
	}

	var candidates []string // main document candidates
	if p.ProjFile = pickProjectFile(local); p.ProjFile != "" {
		p.Name = strings.TrimSuffix(filepath.Base(p.ProjFile), filepath.Ext(p.ProjFile))
		if !p.readable(p.ProjFile) {
			p.projFileBroken = true
		} else if err := p.readProjectFile(); err != nil {
			p.projFileBroken = true
			var xe *xmlError
			if errors.As(err, &xe) {
				p.problem(p.ProjFile, err)
			} else {
				p.refuse(p.ProjFile, err)
			}
		}
		for _, f := range p.Packaged {
			if isMDocument(f) && isFile(src, f) {
				candidates = append(candidates, f)
			}
		}
	}
	if len(candidates) == 0 {
		// No project file, or one that names no document: take the folder.
		for _, f := range local {
			if isMDocument(f) {
				candidates = append(candidates, f)
			}
		}
	}
	p.Main = p.pickMain(candidates)
	p.Listed = p.ProjFile != "" && (p.Main == "" || slices.Contains(p.Packaged, p.Main))
	if p.Name == "" {
		switch {
		case hasExt(dir, ".mez"):
			p.Name = strings.TrimSuffix(filepath.Base(dir), filepath.Ext(dir))
		case p.Main != "":
			p.Name = strings.TrimSuffix(filepath.Base(p.Main), filepath.Ext(p.Main))
		default:
			p.Name = filepath.Base(dir)
		}
	}

	// The project file may name files that do not exist; those stay in
	// Packaged, for the rules that report them, and nowhere else.
	p.Tests = slices.DeleteFunc(p.Tests, func(f string) bool { return !isFile(src, f) })
	for _, f := range slices.Concat(local, p.Packaged) {
		if !isLocal[f] && !isFile(src, f) {
			continue
		}
		switch {
		case hasExt(f, ".pqm"):
			p.Modules = append(p.Modules, f)
		case isTestFile(f):
			p.Tests = append(p.Tests, f)
		case isImage(f):
			p.Icons = append(p.Icons, f)
		case p.Resx == "" && strings.EqualFold(filepath.Base(f), "resources.resx"):
			p.Resx = f
		}
	}
	p.Modules = sortedSet(p.Modules)
	p.Tests = sortedSet(p.Tests)
	p.Icons = sortedSet(p.Icons)
	p.refuseUnreadable()
	if p.Resx != "" {
		l.readResx(p)
	}
	return p, nil
}

// pickProjectFile returns the project file among a folder's files. A
// folder rarely has two; then the .proj of the newer SDK wins.
func pickProjectFile(files []string) string {
	var mproj string
	for _, f := range files {
		switch {
		case hasExt(f, ".proj"):
			return f
		case hasExt(f, ".mproj") && mproj == "":
			mproj = f
		}
	}
	return mproj
}

// hasProjectFile reports whether folder dir holds a project file.
func hasProjectFile(src Source, dir string) bool {
	entries, err := src.ReadDir(dir)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return !e.IsDir() && isProjectFileName(e.Name()) })
}

func isProjectFileName(name string) bool { return hasExt(name, ".proj") || hasExt(name, ".mproj") }

// readProjectFile fills in what p's project file says.
func (p *Project) readProjectFile() error {
	data, err := p.src.ReadFile(p.ProjFile)
	if err != nil {
		return err
	}
	m, err := parseMSBuild(data)
	if err != nil {
		return err
	}
	// The .mez takes its name from a property where the project sets one:
	// ConnectorName in TripPin-style .proj files, Name in .mproj files.
	for _, prop := range []string{"connectorname", "name"} {
		if v := m.expand(m.props[prop], p.Root, p.ProjFile); v != "" {
			p.Name = v
			break
		}
	}
	packaged, tests := m.files(p.src, p.Root, p.ProjFile, func(item string, err error) {
		off := max(bytes.Index(data, []byte(item)), 0)
		p.Problems = append(p.Problems, Problem{Path: p.ProjFile, Offset: off, Err: err})
	})
	p.Packaged, p.Tests = packaged, tests
	return nil
}

// readResx fills in p's Resources and ResourceSpans.
func (l *Loader) readResx(p *Project) {
	r, err := l.parsedResx(p.src, p.Resx)
	if r == nil {
		p.refuse(p.Resx, err)
		return
	}
	p.Resources, p.ResourceSpans, p.ResxText = r.values, r.spans, r.src
	if err != nil {
		p.problem(p.Resx, err)
	}
	for _, key := range r.dups {
		p.Problems = append(p.Problems, Problem{
			Path:   p.Resx,
			Offset: r.spans[key].Name.Start,
			Err:    fmt.Errorf("resource %q defined more than once; the last definition wins", key),
		})
	}
}

// parsedResx returns the parsed resource file at path, from the cache if
// the file has not changed since. Only files with a modification time are
// cached: editor buffers have none and change without notice. The cached
// maps are shared between projects and never modified. A nil *resx means
// the file could not be read.
func (l *Loader) parsedResx(src Source, path string) (*resx, error) {
	info, err := src.Stat(path)
	if err != nil {
		return nil, err
	}
	cacheable := !info.ModTime().IsZero()
	if cacheable {
		l.mu.Lock()
		e := l.resx[path]
		l.mu.Unlock()
		if e != nil && e.size == info.Size() && e.mod.Equal(info.ModTime()) {
			return e.r, e.err
		}
	}
	data, err := src.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r, err := parseResx(data)
	// A file that changed while it was read is not remembered under the
	// old time.
	if after, serr := src.Stat(path); cacheable && serr == nil && after.Size() == info.Size() && after.ModTime().Equal(info.ModTime()) {
		l.mu.Lock()
		if l.resx == nil || len(l.resx) >= maxCachedResx {
			l.resx = make(map[string]*resxEntry)
		}
		l.resx[path] = &resxEntry{size: info.Size(), mod: info.ModTime(), r: r, err: err}
		l.mu.Unlock()
	}
	return r, err
}

// problem records a fault in file.
func (p *Project) problem(file string, err error) {
	off := 0
	var xe *xmlError
	if errors.As(err, &xe) {
		off = xe.Offset
	}
	p.Problems = append(p.Problems, Problem{Path: file, Offset: off, Err: err})
}

// refuse records that file cannot be read, with the reason.
func (p *Project) refuse(file string, err error) {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the problem names the file already
	}
	p.Problems = append(p.Problems, Problem{Path: file, Err: fmt.Errorf("cannot be read: %w", err), IO: true})
}

// refused reports whether file was found unreadable.
func (p *Project) refused(file string) bool {
	return slices.ContainsFunc(p.Problems, func(pr Problem) bool { return pr.IO && pr.Path == file })
}

// readable reports whether file can be read safely, and records a problem
// if not: the file must exist, be permitted, be a regular file within the
// source's size limit and lie, with symbolic links resolved, inside the
// project folder.
func (p *Project) readable(file string) bool {
	err := CheckFile(p.src, file)
	if err == nil && !p.inside(file) {
		err = fmt.Errorf("it leads, through a symbolic link, %w", ErrOutsideProject)
	}
	if err != nil {
		p.refuse(file, err)
		return false
	}
	return true
}

// refuseUnreadable takes out of the project the documents that cannot be
// read (see readable), recording a problem for each, so that nothing reads
// them later and a check never passes on files it did not see.
func (p *Project) refuseUnreadable() {
	if p.Main != "" && !p.readable(p.Main) {
		p.Main = ""
	}
	keep := func(f string) bool { return !p.readable(f) }
	p.Modules = slices.DeleteFunc(p.Modules, keep)
	p.Tests = slices.DeleteFunc(p.Tests, keep)
	if p.Resx != "" && !p.readable(p.Resx) {
		p.Resx = ""
	}
}

// pickMain chooses the main document among candidates: a section document
// if there is one, and among several the one named like the project.
func (p *Project) pickMain(candidates []string) string {
	candidates = sortedSet(candidates)
	if len(candidates) <= 1 {
		if len(candidates) == 1 {
			return candidates[0]
		}
		return ""
	}
	var sections []string
	for _, c := range candidates {
		if !p.inside(c) {
			continue // refused later, never read
		}
		if data, err := p.src.ReadFile(c); err == nil && hasSectionKeyword(data) {
			sections = append(sections, c)
		}
	}
	if len(sections) > 0 {
		candidates = sections
	}
	for _, c := range candidates {
		base := strings.TrimSuffix(filepath.Base(c), filepath.Ext(c))
		if strings.EqualFold(base, p.Name) || p.Name == "" && strings.EqualFold(base, filepath.Base(p.Root)) {
			return c
		}
	}
	return candidates[0]
}

// ResolveContents returns the file that Extension.Contents(name) reads in
// the built connector, and whether it exists.
//
// The name is looked up relative to Root. As the SDK copies packaged files
// into the flat .mez whatever folder they come from, a packaged file with
// that base name is found too; and, because connectors are written on
// Windows, a name that differs from the file only in case. The result is
// never outside Root: absolute names, names with "..", and symbolic links
// leading out of the project are refused.
func (p *Project) ResolveContents(name string) (path string, ok bool) {
	rel, ok := contentsName(name)
	if !ok {
		return "", false
	}
	src := p.Source()
	if f, ok := p.existingFile(filepath.Join(p.Root, rel)); ok {
		return f, true
	}
	if !strings.ContainsRune(rel, filepath.Separator) {
		for _, f := range p.Packaged {
			if strings.EqualFold(filepath.Base(f), rel) && within(p.Root, f) {
				if info, err := src.Stat(f); err == nil && !info.IsDir() && p.inside(f) {
					return f, true
				}
			}
		}
	}
	return "", false
}

// contentsName checks a name given to Extension.Contents and returns it as
// a relative path. The rules are those for the entries of a .mez archive,
// which is what the name refers to at run time.
func contentsName(name string) (string, bool) {
	rel, ok := entryName(name)
	return filepath.FromSlash(rel), ok
}

// existingFile returns the file at path, or one whose name differs only in
// case in the same folder, provided it lies inside the project.
func (p *Project) existingFile(path string) (string, bool) {
	src := p.Source()
	if info, err := src.Stat(path); err == nil {
		return path, !info.IsDir() && p.inside(path)
	}
	entries, err := src.ReadDir(filepath.Dir(path))
	if err != nil {
		return "", false
	}
	for _, e := range entries {
		if strings.EqualFold(e.Name(), filepath.Base(path)) {
			f := filepath.Join(filepath.Dir(path), e.Name())
			if info, err := src.Stat(f); err == nil && !info.IsDir() && p.inside(f) {
				return f, true
			}
		}
	}
	return "", false
}

// inside reports whether path, with symbolic links resolved, lies inside
// the project folder with its links resolved.
func (p *Project) inside(path string) bool {
	if !within(p.Root, path) {
		return false
	}
	l, ok := p.Source().(linkEvaluator)
	if !ok {
		return true
	}
	root, err := l.EvalSymlinks(p.Root)
	if err != nil {
		return false
	}
	real, err := l.EvalSymlinks(path)
	if err != nil {
		return false
	}
	return within(root, real)
}

// isSectionDocument reports whether the file at path reads as a section
// document.
func isSectionDocument(src Source, path string) bool {
	data, err := src.ReadFile(path)
	return err == nil && hasSectionKeyword(data)
}

// File names and their kinds.

// isFile reports whether path names an existing file rather than a folder.
func isFile(src Source, path string) bool {
	info, err := src.Stat(path)
	return err == nil && !info.IsDir()
}

func hasExt(name, ext string) bool { return strings.EqualFold(filepath.Ext(name), ext) }

// isTestFile reports whether name is a file of the SDK test framework. Such
// files are never the main document.
func isTestFile(name string) bool {
	n := strings.ToLower(filepath.Base(name))
	return strings.HasSuffix(n, ".query.pq") || strings.HasSuffix(n, ".test.pq") || strings.HasSuffix(n, ".parameterquery.pq") || strings.HasSuffix(n, ".query.pqout")
}

// isTestQuery reports whether name is a test file written in M (a test
// framework's output, .query.pqout, is not).
func isTestQuery(name string) bool {
	return isTestFile(name) && hasExt(name, ".pq")
}

// isMDocument reports whether name is a .pq or .m document that could be a
// connector's main document.
func isMDocument(name string) bool {
	return (hasExt(name, ".pq") || hasExt(name, ".m")) && !isTestFile(name)
}

func isImage(name string) bool { return hasExt(name, ".png") }

func sortedSet(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}
