package project

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
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

// DefaultMaxFileSize is the largest file a Source from OS reads: 32 MB, far
// above any real connector file, far below what would exhaust memory.
const DefaultMaxFileSize = 32 << 20

// ErrNotRegular is returned, wrapped, for a file that is not a regular
// file: a named pipe, a device, a socket. Reading one could block forever
// (a pipe with no writer) or never end (/dev/zero), so pqls never does.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is returned, wrapped, for a file larger than the limit of
// its Source.
var ErrTooLarge = errors.New("file too large")

// OS returns the Source that reads the local file system, refusing files
// that are not regular files and files larger than DefaultMaxFileSize.
func OS() Source { return osSource{max: DefaultMaxFileSize} }

// OSWithLimit is OS with another size limit, in bytes; zero or less means
// DefaultMaxFileSize.
func OSWithLimit(max int64) Source {
	if max <= 0 {
		max = DefaultMaxFileSize
	}
	return osSource{max: max}
}

type osSource struct {
	max int64 // largest file ReadFile reads
}

func (s osSource) ReadFile(path string) ([]byte, error)    { return ReadRegular(path, s.max) }
func (osSource) ReadDir(dir string) ([]fs.DirEntry, error) { return os.ReadDir(dir) }
func (osSource) Stat(path string) (fs.FileInfo, error)     { return os.Stat(path) }
func (osSource) EvalSymlinks(path string) (string, error)  { return filepath.EvalSymlinks(path) }
func (s osSource) MaxFileSize() int64                      { return s.max }

// CheckFile opens the file and closes it again, so that a file that
// cannot be read is found before the analysis needs it.
func (s osSource) CheckFile(path string) error {
	f, err := openRegular(path, s.max)
	if err != nil {
		return err
	}
	return f.Close()
}

// ReadRegular reads the file at path, following symbolic links, provided
// it is a regular file of at most max bytes. The file is opened without
// blocking, so that a named pipe put in place of the file after the check
// cannot hang the caller, and is read through a limit, so that a file that
// grows while it is read cannot exhaust memory.
func ReadRegular(path string, max int64) ([]byte, error) {
	f, err := openRegular(path, max)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	// Read into a buffer of the file's size plus a little, as os.ReadFile
	// does: a bytes.Buffer would double its capacity to look for the end,
	// and the text is kept for the whole check.
	r := io.LimitReader(f, max+1)
	data := make([]byte, 0, min(info.Size(), max)+512)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // the file grew: let append pick a size
		}
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if int64(len(data)) > max {
		return nil, tooLarge(path, int64(len(data)), max)
	}
	return data, nil
}

// openRegular opens path for reading if it is a regular file of at most max
// bytes. It looks before it opens, so that no device is ever opened, and
// looks again at what it opened.
func openRegular(path string, max int64) (*os.File, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := regular(path, info, max); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	info, err = f.Stat()
	if err == nil {
		err = regular(path, info, max)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// regular checks that info describes a regular file of at most max bytes.
func regular(path string, info fs.FileInfo, max int64) error {
	if !info.Mode().IsRegular() {
		return &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w: %s", ErrNotRegular, describeMode(info.Mode()))}
	}
	if info.Size() > max {
		return tooLarge(path, info.Size(), max)
	}
	return nil
}

func tooLarge(path string, size, max int64) error {
	return &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w: %s, above the limit of %s (setting maxFileSizeMB)", ErrTooLarge, FormatSize(size), FormatSize(max))}
}

// describeMode names the kind of a file that is not a regular file.
func describeMode(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file (" + m.Type().String() + ")"
}

// FormatSize writes a byte count for people: 512 bytes, 3.2 MB.
func FormatSize(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
}

// fileChecker is implemented by sources that can tell, short of reading
// it, whether a file can be read.
type fileChecker interface {
	CheckFile(path string) error
}

// sizeLimiter is implemented by sources that refuse files above a size.
type sizeLimiter interface {
	MaxFileSize() int64
}

// CheckFile reports why the file at path cannot be read from src, or nil
// if it can: it does not exist, is not permitted, is not a regular file or
// is larger than the source's limit. It reads nothing and never blocks.
func CheckFile(src Source, path string) error {
	if c, ok := src.(fileChecker); ok {
		return c.CheckFile(path)
	}
	info, err := src.Stat(path)
	if err != nil {
		return err
	}
	max := int64(DefaultMaxFileSize)
	if l, ok := src.(sizeLimiter); ok {
		max = l.MaxFileSize()
	}
	return regular(path, info, max)
}

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

func (o *overlay) CheckFile(path string) error {
	if _, ok := o.files[filepath.Clean(path)]; ok {
		return nil // a buffer the editor holds is always readable
	}
	return CheckFile(o.base, path)
}

func (o *overlay) MaxFileSize() int64 {
	if l, ok := o.base.(sizeLimiter); ok {
		return l.MaxFileSize()
	}
	return DefaultMaxFileSize
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
