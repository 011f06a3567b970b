package project

import (
	"bytes"
	"encoding/xml"
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
// test files, each sorted.
func (m *msbuild) files(src Source, root, file string) (packaged, tests []string) {
	byKind := make(map[string][]string)
	for _, it := range m.items {
		kind := strings.ToLower(it.kind)
		if !slices.Contains(packagedKinds, kind) {
			continue
		}
		if it.remove != "" {
			remove := m.resolve(src, root, file, it.remove, "")
			byKind[kind] = slices.DeleteFunc(byKind[kind], func(p string) bool { return slices.Contains(remove, p) })
			continue
		}
		byKind[kind] = append(byKind[kind], m.resolve(src, root, file, it.include, it.exclude)...)
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

// resolve turns an Include value (paths separated by ";", relative to
// root, with MSBuild wildcards) into clean paths. Literal paths are kept
// even when the file is missing, so that a rule can say so.
func (m *msbuild) resolve(src Source, root, file, include, exclude string) []string {
	excludes := splitItems(m.expand(exclude, root, file))
	var out []string
	for _, pat := range splitItems(m.expand(include, root, file)) {
		var found []string
		if strings.ContainsAny(pat, "*?") {
			found = glob(src, root, pat)
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

// glob returns the files below root matching an MSBuild wildcard pattern,
// written with forward slashes: * and ? match within one path segment, **
// matches any number of folders. Matching is case-insensitive, as on
// Windows, where these projects are built.
func glob(src Source, root, pattern string) []string {
	segs := strings.Split(filepath.ToSlash(joinItem(root, pattern)), "/")
	// Start the walk at the literal folders before the first wildcard.
	i := slices.IndexFunc(segs, func(s string) bool { return strings.ContainsAny(s, "*?") })
	dir := filepath.FromSlash(strings.Join(segs[:i], "/"))
	if dir == "" {
		dir = string(filepath.Separator)
	}
	var out []string
	walkGlob(src, dir, segs[i:], &out, 0)
	slices.Sort(out)
	return out
}

// maxGlobDepth bounds the folders a ** pattern descends into.
const maxGlobDepth = 32

func walkGlob(src Source, dir string, segs []string, out *[]string, depth int) {
	if len(segs) == 0 || depth > maxGlobDepth {
		return
	}
	entries, err := src.ReadDir(dir)
	if err != nil {
		return
	}
	seg := segs[0]
	if seg == "**" {
		// ** matches no folder at all…
		walkGlob(src, dir, segs[1:], out, depth+1)
		// …or any folder and then ** again.
		for _, e := range entries {
			if isDir(src, dir, e) && !skipDir(e.Name()) {
				walkGlob(src, filepath.Join(dir, e.Name()), segs, out, depth+1)
			}
		}
		return
	}
	last := len(segs) == 1
	for _, e := range entries {
		if !matchSegment(seg, e.Name()) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		switch {
		case last && !isDir(src, dir, e):
			*out = append(*out, p)
		case !last && isDir(src, dir, e):
			walkGlob(src, p, segs[1:], out, depth+1)
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
