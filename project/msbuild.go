package project

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// msbuild is what pqls reads from an MSBuild project file: its properties and
// the files its items name.
type msbuild struct {
	props map[string]string // by lower-case name
	items []item
}

// item is one item element, such as <MezContent Include="*.pqm" />.
type item struct {
	kind    string // element name: MezContent, Compile, Content, …
	include string
	exclude string
	remove  string
}

// The elements of a project file that matter here. MSBuild files carry a
// default namespace; matching on local names accepts them with or without.
type xmlProject struct {
	XMLName        xml.Name           `xml:"Project"`
	PropertyGroups []xmlPropertyGroup `xml:"PropertyGroup"`
	ItemGroups     []xmlItemGroup     `xml:"ItemGroup"`
}

type xmlPropertyGroup struct {
	Props []xmlProp `xml:",any"`
}

type xmlProp struct {
	XMLName   xml.Name
	Condition string `xml:"Condition,attr"`
	Value     string `xml:",chardata"`
}

type xmlItemGroup struct {
	Items []xmlItem `xml:",any"`
}

type xmlItem struct {
	XMLName xml.Name
	Include string `xml:"Include,attr"`
	Exclude string `xml:"Exclude,attr"`
	Remove  string `xml:"Remove,attr"`
}

// parseMSBuild reads a project file. On malformed XML it returns an
// *xmlError locating the problem.
func parseMSBuild(data []byte) (*msbuild, error) {
	var x xmlProject
	d := newXMLDecoder(data)
	if err := d.Decode(&x); err != nil {
		return nil, &xmlError{Offset: int(d.InputOffset()), Err: err}
	}
	m := &msbuild{props: make(map[string]string)}
	for _, g := range x.PropertyGroups {
		for _, p := range g.Props {
			name := strings.ToLower(p.XMLName.Local)
			// A conditional value is usually a default ("if not set"); take
			// it only when nothing unconditional came first.
			if _, set := m.props[name]; set && p.Condition != "" {
				continue
			}
			m.props[name] = strings.TrimSpace(p.Value)
		}
	}
	for _, g := range x.ItemGroups {
		for _, it := range g.Items {
			m.items = append(m.items, item{
				kind:    it.XMLName.Local,
				include: it.Include,
				exclude: it.Exclude,
				remove:  it.Remove,
			})
		}
	}
	return m, nil
}

// newXMLDecoder returns a decoder that accepts the encodings project files
// are saved in.
func newXMLDecoder(data []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		switch strings.ToLower(charset) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return input, nil
		}
		return nil, fmt.Errorf("unsupported encoding %q", charset)
	}
	return d
}

// xmlError is malformed XML at a byte offset.
type xmlError struct {
	Offset int
	Err    error
}

func (e *xmlError) Error() string { return e.Err.Error() }
func (e *xmlError) Unwrap() error { return e.Err }

// packagedKinds are the item kinds whose files go into the .mez: MezContent
// in projects of the Visual Studio Code SDK, Compile and Content in the
// .mproj files of the older Visual Studio SDK. Which of the last two holds
// the connector and which the test query varies between templates, so files
// are classified by name, not by kind.
var packagedKinds = []string{"mezcontent", "compile", "content"}

// files resolves the items of the project file in folder root to clean
// paths, expanding wildcards with src. It returns the packaged files and the
// test files, each sorted. Items that lead outside root, or wildcards that
// stop at a bound, are passed to problem, with the text of the item.
func (m *msbuild) files(src Source, root, file string, problem func(item string, err error)) (packaged, tests []string) {
	g := &globber{src: src, root: root}
	byKind := make(map[string][]string)
	for _, it := range m.items {
		kind := strings.ToLower(it.kind)
		if !slices.Contains(packagedKinds, kind) {
			continue
		}
		if it.remove != "" {
			remove := m.resolve(g, file, it.remove, "", problem)
			byKind[kind] = slices.DeleteFunc(byKind[kind], func(p string) bool { return slices.Contains(remove, p) })
			continue
		}
		byKind[kind] = append(byKind[kind], m.resolve(g, file, it.include, it.exclude, problem)...)
	}
	for _, kind := range packagedKinds {
		for _, p := range byKind[kind] {
			if isTestFile(p) {
				tests = append(tests, p)
			} else {
				packaged = append(packaged, p)
			}
		}
	}
	slices.Sort(packaged)
	slices.Sort(tests)
	return slices.Compact(packaged), slices.Compact(tests)
}

// ErrOutsideProject is returned, wrapped, for a file that a project file
// names or a link leads to outside the project folder. pqls never reads
// such a file: a project is checked from its own files only.
var ErrOutsideProject = errors.New("outside the project folder")

// resolve turns an Include value (paths separated by ";", relative to
// root, with MSBuild wildcards) into clean paths. Literal paths are kept
// even when the file is missing, so that a rule can say so. Paths that
// lead outside the project folder — absolute paths elsewhere, ".." — are
// reported and left out.
func (m *msbuild) resolve(g *globber, file, include, exclude string, problem func(string, error)) []string {
	root := g.root
	excludes := splitItems(m.expand(exclude, root, file))
	var out []string
	for _, pat := range splitItems(m.expand(include, root, file)) {
		if full := joinItem(root, pat); !within(root, full) {
			problem(pat, fmt.Errorf("the item %q is %w and is not read", pat, ErrOutsideProject))
			continue
		}
		var found []string
		if strings.ContainsAny(pat, "*?") {
			var err error
			if found, err = g.glob(pat); err != nil {
				problem(pat, err)
			}
		} else {
			found = []string{joinItem(root, pat)}
		}
		for _, p := range found {
			if !slices.ContainsFunc(excludes, func(ex string) bool { return matchItem(root, ex, p) }) {
				out = append(out, p)
			}
		}
	}
	return out
}

// splitItems splits an item list at ";" and turns the separators of its
// paths into forward slashes, whatever system wrote it.
func splitItems(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, strings.ReplaceAll(p, `\`, "/"))
		}
	}
	return out
}

// joinItem resolves an item path, written with forward slashes, against root.
func joinItem(root, p string) string {
	if path.IsAbs(p) || filepath.IsAbs(filepath.FromSlash(p)) {
		return filepath.Clean(filepath.FromSlash(p))
	}
	return filepath.Join(root, filepath.FromSlash(p))
}

// expand replaces $(Property) references. MSBuild expands an undefined
// property to the empty string, and so does this. Nested references are
// followed a few levels deep; that is all real connector projects use.
func (m *msbuild) expand(s, root, file string) string {
	builtin := map[string]string{
		"msbuildprojectname":       strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)),
		"msbuildprojectfile":       filepath.Base(file),
		"msbuildprojectextension":  filepath.Ext(file),
		"msbuildprojectdirectory":  root,
		"msbuildthisfiledirectory": root + string(filepath.Separator),
	}
	for range 4 {
		if !strings.Contains(s, "$(") {
			break
		}
		var b strings.Builder
		for {
			i := strings.Index(s, "$(")
			if i < 0 {
				b.WriteString(s)
				break
			}
			j := strings.IndexByte(s[i:], ')')
			if j < 0 {
				b.WriteString(s)
				break
			}
			b.WriteString(s[:i])
			name := strings.ToLower(strings.TrimSpace(s[i+2 : i+j]))
			if v, ok := builtin[name]; ok {
				b.WriteString(v)
			} else {
				b.WriteString(m.props[name])
			}
			s = s[i+j+1:]
		}
		s = b.String()
	}
	return s
}

// Bounds of wildcard expansion, far above real projects, which list a few
// dozen files: a pattern never makes pqls walk more of the disk than this.
const (
	maxGlobDepth   = 32      // folders a ** pattern descends into
	maxGlobEntries = 100_000 // folder entries looked at, for one project file
)

// globber expands the wildcards of one project file.
type globber struct {
	src     Source
	root    string
	entries int // folder entries looked at so far
	limit   int // of entries; 0 means maxGlobEntries

	realRoot string // root with links resolved, once known
}

// inside reports whether folder dir, with links resolved, lies inside the
// project folder, with links resolved.
func (g *globber) inside(dir string) bool {
	l, ok := g.src.(linkEvaluator)
	if !ok {
		return within(g.root, dir)
	}
	if g.realRoot == "" {
		real, err := l.EvalSymlinks(g.root)
		if err != nil {
			return false
		}
		g.realRoot = real
	}
	real, err := l.EvalSymlinks(dir)
	return err == nil && within(g.realRoot, real)
}

// errGlobBound is returned when a wildcard would look at more than
// maxGlobEntries entries.
var errGlobBound = fmt.Errorf("wildcard expansion stopped after looking at %d folder entries; list the files or narrow the pattern", maxGlobEntries)

// glob returns the files below root matching an MSBuild wildcard pattern,
// written with forward slashes: * and ? match within one path segment, **
// matches any number of folders. Matching is case-insensitive, as on
// Windows, where these projects are built.
//
// ** descends only into real folders, never through a symbolic link to a
// folder, which could lead out of the project or around in a loop; a
// literal or single-segment part of the pattern may name a link. Each
// folder is looked at once per part of the pattern, however many ways the
// pattern reaches it, and the walk stops at maxGlobDepth folders deep and
// after maxGlobEntries entries, with an error saying so.
func (g *globber) glob(pattern string) ([]string, error) {
	segs := strings.Split(filepath.ToSlash(joinItem(g.root, pattern)), "/")
	// Start the walk at the literal folders before the first wildcard.
	i := slices.IndexFunc(segs, func(s string) bool { return strings.ContainsAny(s, "*?") })
	if i < 0 {
		// The wildcards went when the path was cleaned, with the ".."
		// after them ("*/..", "*/../A.pqm"): the pattern names one path,
		// which it matches if that is a file.
		p := filepath.FromSlash(strings.Join(segs, "/"))
		if info, err := g.src.Stat(p); err == nil && !info.IsDir() && g.inside(filepath.Dir(p)) {
			return []string{p}, nil
		}
		return nil, nil
	}
	dir := filepath.FromSlash(strings.Join(segs[:i], "/"))
	if dir == "" {
		dir = string(filepath.Separator)
	}
	w := &globWalk{globber: g, segs: segs[i:], seen: make(map[globState]bool)}
	w.walk(dir, 0, 0)
	slices.Sort(w.out)
	return slices.Compact(w.out), w.err
}

// globWalk is one expansion of a pattern.
type globWalk struct {
	*globber
	segs []string // the pattern from its first wildcard on
	seen map[globState]bool
	out  []string
	err  error
}

// globState is a folder reached with the pattern part at index seg left
// to match.
type globState struct {
	dir string
	seg int
}

func (w *globWalk) walk(dir string, seg, depth int) {
	if seg == len(w.segs) || depth > maxGlobDepth || w.err != nil {
		return
	}
	if st := (globState{dir, seg}); w.seen[st] {
		return
	} else {
		w.seen[st] = true
	}
	if !w.inside(dir) {
		return // a link named by the pattern leads out of the project
	}
	entries, err := w.src.ReadDir(dir)
	if err != nil {
		return
	}
	limit := w.limit
	if limit == 0 {
		limit = maxGlobEntries
	}
	if w.entries += len(entries); w.entries > limit {
		w.err = errGlobBound
		return
	}
	pat := w.segs[seg]
	if pat == "**" {
		// ** matches no folder at all…
		w.walk(dir, seg+1, depth)
		// …or any real folder and then ** again.
		for _, e := range entries {
			if e.IsDir() && !skipDir(e.Name()) {
				w.walk(filepath.Join(dir, e.Name()), seg, depth+1)
			}
		}
		return
	}
	last := seg == len(w.segs)-1
	for _, e := range entries {
		if !matchSegment(pat, e.Name()) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		switch {
		case last && !isDir(w.src, dir, e):
			w.out = append(w.out, p)
		case !last && isDir(w.src, dir, e):
			w.walk(p, seg+1, depth+1)
		}
	}
}

// isDir reports whether a folder entry is a folder, following links.
func isDir(src Source, dir string, e fs.DirEntry) bool {
	if e.IsDir() {
		return true
	}
	if e.Type()&fs.ModeSymlink == 0 {
		return false
	}
	info, err := src.Stat(filepath.Join(dir, e.Name()))
	return err == nil && info.IsDir()
}

// matchSegment matches one path segment against a pattern segment.
func matchSegment(pattern, name string) bool {
	ok, err := path.Match(strings.ToLower(pattern), strings.ToLower(name))
	return err == nil && ok
}

// matchItem reports whether the file p is named by the item pattern pat,
// which may hold wildcards.
func matchItem(root, pat, p string) bool {
	full := joinItem(root, pat)
	if !strings.ContainsAny(pat, "*?") {
		return strings.EqualFold(full, p)
	}
	return matchPath(strings.Split(filepath.ToSlash(full), "/"), strings.Split(filepath.ToSlash(p), "/"))
}

func matchPath(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchPath(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 || !matchSegment(pat[0], name[0]) {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}
