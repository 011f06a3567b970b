package project

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Source reads the files of projects: the disk, a .mez archive, or editor
// buffers over the disk. Paths are operating-system paths as accepted by
// package path/filepath.
type Source interface {
	ReadFile(path string) ([]byte, error)
	// ReadDir returns the entries of a folder sorted by name.
	ReadDir(dir string) ([]fs.DirEntry, error)
	// Stat describes a file or folder, following symbolic links.
	Stat(path string) (fs.FileInfo, error)
}

// linkEvaluator is implemented by sources whose paths may be symbolic links.
// ResolveContents uses it to refuse links that lead out of a project.
type linkEvaluator interface {
	EvalSymlinks(path string) (string, error)
}

// OS returns the Source that reads the local file system.
func OS() Source { return osSource{} }

type osSource struct{}

func (osSource) ReadFile(path string) ([]byte, error)      { return os.ReadFile(path) }
func (osSource) ReadDir(dir string) ([]fs.DirEntry, error) { return os.ReadDir(dir) }
func (osSource) Stat(path string) (fs.FileInfo, error)     { return os.Stat(path) }
func (osSource) EvalSymlinks(path string) (string, error)  { return filepath.EvalSymlinks(path) }

// Overlay returns a Source that reads files from the map, keyed by path, and
// everything else from base. The language server uses it so that unsaved
// editor buffers take the place of the files on disk; a buffer whose file
// does not exist yet still shows up in the listing of its folder.
//
// Overlay copies the map, so later changes to it do not affect the Source;
// the contents themselves are shared and must not be modified.
func Overlay(base Source, files map[string][]byte) Source {
	o := &overlay{base: base, files: make(map[string][]byte, len(files)), dirs: make(map[string][]string)}
	for p, data := range files {
		p = filepath.Clean(p)
		o.files[p] = data
		// Record every folder above the buffer, so that a buffer in a folder
		// that exists only in the editor can still be listed.
		for child, dir := p, filepath.Dir(p); dir != child; child, dir = dir, filepath.Dir(dir) {
			name := filepath.Base(child)
			if slices.Contains(o.dirs[dir], name) {
				break
			}
			o.dirs[dir] = append(o.dirs[dir], name)
		}
	}
	return o
}

type overlay struct {
	base  Source
	files map[string][]byte   // buffers by clean path
	dirs  map[string][]string // folder → names of its overlaid children
}

func (o *overlay) ReadFile(path string) ([]byte, error) {
	if data, ok := o.files[filepath.Clean(path)]; ok {
		return data, nil
	}
	return o.base.ReadFile(path)
}

func (o *overlay) Stat(path string) (fs.FileInfo, error) {
	p := filepath.Clean(path)
	if data, ok := o.files[p]; ok {
		return fileInfo{name: filepath.Base(p), size: int64(len(data)), mode: 0o644}, nil
	}
	info, err := o.base.Stat(path)
	if err != nil && len(o.dirs[p]) > 0 {
		return fileInfo{name: filepath.Base(p), mode: fs.ModeDir | 0o755}, nil
	}
	return info, err
}

func (o *overlay) ReadDir(dir string) ([]fs.DirEntry, error) {
	d := filepath.Clean(dir)
	entries, err := o.base.ReadDir(dir)
	extra := o.dirs[d]
	if err != nil {
		if len(extra) == 0 {
			return nil, err
		}
		entries = nil
	}
	if len(extra) == 0 {
		return entries, nil
	}
	byName := make(map[string]int, len(entries))
	for i, e := range entries {
		byName[e.Name()] = i
	}
	entries = slices.Clone(entries)
	for _, name := range extra {
		info, err := o.Stat(filepath.Join(d, name))
		if err != nil {
			continue
		}
		e := fs.FileInfoToDirEntry(info)
		if i, ok := byName[name]; ok {
			entries[i] = e
		} else {
			entries = append(entries, e)
		}
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}

func (o *overlay) EvalSymlinks(path string) (string, error) {
	if l, ok := o.base.(linkEvaluator); ok {
		real, err := l.EvalSymlinks(path)
		if err == nil {
			return real, nil
		}
		if _, buffered := o.files[filepath.Clean(path)]; !buffered {
			return "", err
		}
		// A new buffer has no file yet; its folder may still be a link.
		if dir, err := l.EvalSymlinks(filepath.Dir(path)); err == nil {
			return filepath.Join(dir, filepath.Base(path)), nil
		}
	}
	return filepath.Clean(path), nil
}

// fileInfo describes files that exist only in memory: buffers and the
// entries of a .mez archive.
type fileInfo struct {
	name    string
	size    int64
	mode    fs.FileMode
	modTime time.Time
}

func (fi fileInfo) Name() string       { return fi.name }
func (fi fileInfo) Size() int64        { return fi.size }
func (fi fileInfo) Mode() fs.FileMode  { return fi.mode }
func (fi fileInfo) ModTime() time.Time { return fi.modTime }
func (fi fileInfo) IsDir() bool        { return fi.mode.IsDir() }
func (fi fileInfo) Sys() any           { return nil }

// within reports whether path is dir or lies below it. Both must be clean.
func within(dir, path string) bool {
	if path == dir {
		return true
	}
	if !strings.HasSuffix(dir, string(filepath.Separator)) {
		dir += string(filepath.Separator)
	}
	return strings.HasPrefix(path, dir)
}
