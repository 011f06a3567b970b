package project

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Limits that keep a hostile archive from exhausting memory. Real .mez
// files are a few megabytes at most.
const (
	maxMezEntry = 64 << 20  // bytes of one decompressed entry
	maxMezTotal = 256 << 20 // bytes of all decompressed entries
)

// OpenMez opens a built connector, a .mez archive, so that the files inside
// can be checked where they are, without unpacking them.
//
// The archive appears as a folder at its own path: the entry Foo.m of
// /work/bin/Foo.mez is the file /work/bin/Foo.mez/Foo.m, and root is
// /work/bin/Foo.mez (made absolute). Diagnostics therefore name the archive
// and the entry together. Paths outside the archive are read from the disk,
// so that configuration files beside it are still found.
//
// Entries whose names would lead outside the archive folder (absolute names,
// "..") are left out. The archive is read into memory once.
func OpenMez(mezPath string) (src Source, root string, err error) {
	root, err = filepath.Abs(mezPath)
	if err != nil {
		return nil, "", fmt.Errorf("open mez %s: %w", mezPath, err)
	}
	info, err := os.Stat(root)
	if err != nil {
		return nil, "", fmt.Errorf("open mez: %w", err)
	}
	// The compressed archive is no larger than its content may be.
	data, err := ReadRegular(root, maxMezTotal)
	if err != nil {
		return nil, "", fmt.Errorf("open mez: %w", err)
	}
	m, err := readMez(root, data)
	if err != nil {
		return nil, "", fmt.Errorf("open mez %s: %w", mezPath, err)
	}
	m.modTime = info.ModTime()
	return m, root, nil
}

// readMez builds the Source for the archive data found at root.
func readMez(root string, data []byte) (*mezSource, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	m := &mezSource{
		root:  root,
		base:  OS(),
		files: make(map[string]mezFile),
		dirs:  map[string][]string{root: nil},
	}
	total := 0
	// listed holds the paths already entered in dirs, so that each entry
	// is added in constant time: a list search made archives of many
	// entries load in quadratic time.
	listed := make(map[string]bool)
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		name, ok := entryName(f.Name)
		if !ok {
			continue
		}
		p := filepath.Join(root, filepath.FromSlash(name))
		if _, dup := m.files[p]; dup {
			continue
		}
		if f.UncompressedSize64 > maxMezEntry {
			return nil, fmt.Errorf("entry %s: larger than %d bytes", f.Name, maxMezEntry)
		}
		content, err := readEntry(f)
		if err != nil {
			return nil, fmt.Errorf("entry %s: %w", f.Name, err)
		}
		if total += len(content); total > maxMezTotal {
			return nil, fmt.Errorf("content larger than %d bytes", maxMezTotal)
		}
		m.files[p] = mezFile{data: content, info: fileInfo{
			name: filepath.Base(p), size: int64(len(content)), mode: 0o444, modTime: f.Modified,
		}}
		for child, dir := p, filepath.Dir(p); within(root, dir); child, dir = dir, filepath.Dir(dir) {
			if listed[child] {
				break
			}
			listed[child] = true
			m.dirs[dir] = append(m.dirs[dir], filepath.Base(child))
			if dir == root {
				break
			}
		}
	}
	for _, names := range m.dirs {
		slices.Sort(names)
	}
	return m, nil
}

// entryName cleans the name of an archive entry, with forward slashes, and
// reports whether it stays inside the archive: no absolute names, drive
// letters or ".." elements. Backslashes separate folders, as on Windows.
func entryName(name string) (string, bool) {
	name = strings.ReplaceAll(name, `\`, "/")
	if name == "" || strings.HasPrefix(name, "/") || strings.ContainsAny(name, ":\x00") {
		return "", false
	}
	for _, elem := range strings.Split(name, "/") {
		if elem == ".." {
			return "", false
		}
	}
	name = path.Clean(name)
	return name, name != "."
}

// readEntry decompresses one entry, refusing to read more than it declares
// or more than maxMezEntry.
func readEntry(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxMezEntry+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxMezEntry {
		return nil, fmt.Errorf("larger than %d bytes", maxMezEntry)
	}
	return data, nil
}

type mezFile struct {
	data []byte
	info fileInfo
}

// mezSource serves the entries of an archive below root and passes every
// other path to base.
type mezSource struct {
	root    string
	base    Source
	files   map[string]mezFile  // entries by virtual path
	dirs    map[string][]string // virtual folders → names of their children
	modTime time.Time
}

func (m *mezSource) ReadFile(name string) ([]byte, error) {
	p := filepath.Clean(name)
	if !within(m.root, p) {
		return m.base.ReadFile(name)
	}
	if f, ok := m.files[p]; ok {
		return f.data, nil
	}
	return nil, m.notExist("open", name)
}

func (m *mezSource) Stat(name string) (fs.FileInfo, error) {
	p := filepath.Clean(name)
	if !within(m.root, p) {
		return m.base.Stat(name)
	}
	if f, ok := m.files[p]; ok {
		return f.info, nil
	}
	if _, ok := m.dirs[p]; ok {
		return fileInfo{name: filepath.Base(p), mode: fs.ModeDir | 0o555, modTime: m.modTime}, nil
	}
	return nil, m.notExist("stat", name)
}

func (m *mezSource) CheckFile(name string) error {
	p := filepath.Clean(name)
	if !within(m.root, p) {
		return CheckFile(m.base, name)
	}
	if _, ok := m.files[p]; ok {
		return nil // entries were read, within limits, when the archive was opened
	}
	return m.notExist("open", name)
}

func (m *mezSource) ReadDir(dir string) ([]fs.DirEntry, error) {
	p := filepath.Clean(dir)
	if !within(m.root, p) {
		return m.base.ReadDir(dir)
	}
	names, ok := m.dirs[p]
	if !ok {
		return nil, m.notExist("readdir", dir)
	}
	entries := make([]fs.DirEntry, 0, len(names))
	for _, name := range names {
		info, err := m.Stat(filepath.Join(p, name))
		if err != nil {
			return nil, err
		}
		entries = append(entries, fs.FileInfoToDirEntry(info))
	}
	return entries, nil
}

func (m *mezSource) notExist(op, name string) error {
	return &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
}
