package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/project"
)

// maxFixPasses bounds how often --fix checks and fixes again. A pass can
// leave fixes out because they conflict with others; the next pass, on the
// fixed text, picks them up. Real connectors reach their fixpoint in two or
// three passes; a fix that keeps producing work for itself stops here.
const maxFixPasses = 8

// fixAll applies the safe fixes of the targets' findings to their files,
// pass after pass until a pass finds nothing to apply (the fixpoint), and
// reports on stderr what it did — and, if it stopped at maxFixPasses, how
// many fixes are left.
func (c *checker) fixAll(targets []*target) {
	fixes, changed := 0, make(map[string]bool)
	refused := make(map[string]bool) // files not to try again, already reported
	left := 0
	for pass := range maxFixPasses + 1 {
		applied := 0
		left = 0
		for _, t := range targets {
			if t.readOnly {
				continue
			}
			set, found := c.planFixes(t, refused)
			if pass == maxFixPasses {
				// Every fix still found, also those that conflict with
				// one taken and would wait for a later pass.
				left += found
				continue
			}
			n, files := c.applyFixes(set, refused)
			applied += n
			for _, f := range files {
				changed[f] = true
			}
		}
		fixes += applied
		if applied == 0 {
			break
		}
	}
	for _, t := range targets {
		if t.readOnly {
			fmt.Fprintf(c.stderr, "pqls check: %s is a built connector; its files are not fixed\n", c.displayPath(t.project.Root))
		}
	}
	if fixes > 0 {
		fmt.Fprintf(c.stderr, "pqls check: applied %s in %s\n", plural(fixes, "fix", "fixes"), plural(len(changed), "file", "files"))
	}
	if left > 0 {
		fmt.Fprintf(c.stderr, "pqls check: stopped after %s with %s left; run pqls check --fix again\n", plural(maxFixPasses, "pass", "passes"), plural(left, "fix", "fixes"))
	}
}

// plural writes n with the word for one or for several.
func plural(n int, one, several string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, several)
}

// planFixes checks a project and gathers the fixes one pass applies: for
// each finding its first fix, if that fix is safe, changes only files
// inside the project and does not conflict with a fix already taken (see
// analysis.EditSet). Edits carry the file's path. found counts the fixes
// that could be applied, also those left out for a conflict.
func (c *checker) planFixes(t *target, refused map[string]bool) (set *analysis.EditSet, found int) {
	set = new(analysis.EditSet)
	root := resolvedRoot(t.project.Root)
	// The notes are printed once, by the check that follows the fixes.
	files, _, errs := c.check(t)
	for _, err := range errs {
		c.ioError(err)
	}
	// A fix may edit several files (the code and resources.resx): each
	// must be writable before any is written, or the connector would be
	// left half fixed.
	writable := make(map[string]bool)
	canWrite := func(path string) bool {
		if refused[path] {
			return false
		}
		if ok, seen := writable[path]; seen {
			return ok
		}
		err := writeRefusal(path)
		if err != nil {
			c.ioError(err)
			refused[path] = true
		}
		writable[path] = err == nil
		return err == nil
	}
	for _, f := range files {
		for _, d := range f.Diagnostics {
			if len(d.Fixes) == 0 || !d.Fixes[0].Safe {
				continue
			}
			edits := make([]analysis.TextEdit, len(d.Fixes[0].Edits))
			inside := true
			for i, e := range d.Fixes[0].Edits {
				if e.Path == "" {
					e.Path = d.Path
				}
				if !insideRoot(root, e.Path) || !canWrite(e.Path) {
					inside = false
				}
				edits[i] = e
			}
			if inside {
				set.Add(edits)
				found++
			}
		}
	}
	return set, found
}

// applyFixes writes the edits of set to their files. It returns the number
// of fixes applied and the files it rewrote. A file that cannot be written
// is reported, added to refused and left as it was, with every fix that
// touches it.
func (c *checker) applyFixes(set *analysis.EditSet, refused map[string]bool) (int, []string) {
	if set.Fixes() == 0 {
		return 0, nil
	}
	byPath := make(map[string][]analysis.TextEdit)
	var paths []string
	for _, e := range set.Edits() {
		if _, ok := byPath[e.Path]; !ok {
			paths = append(paths, e.Path)
		}
		byPath[e.Path] = append(byPath[e.Path], e)
	}
	var written []string
	for _, path := range paths {
		err := c.fixFile(path, byPath[path])
		switch {
		case errors.Is(err, errUnchanged):
		case err != nil:
			c.ioError(err)
			refused[path] = true
		default:
			written = append(written, path)
		}
	}
	if len(written) == 0 {
		// Every fix left its file as it was: another pass would do the same.
		return 0, nil
	}
	return set.Fixes(), written
}

var errUnchanged = errors.New("unchanged")

// fixFile applies edits to the file at path.
func (c *checker) fixFile(path string, edits []analysis.TextEdit) error {
	src, err := project.ReadRegular(path, project.DefaultMaxFileSize<<4)
	if err != nil {
		return err
	}
	out, err := analysis.ApplyEdits(src, edits)
	if err != nil {
		return fmt.Errorf("%s: %w", c.displayPath(path), err)
	}
	if bytes.Equal(out, src) {
		return errUnchanged
	}
	return writeFileAtomic(path, out, 0)
}

// resolvedRoot returns the project folder with symbolic links resolved.
func resolvedRoot(root string) string {
	if real, err := filepath.EvalSymlinks(root); err == nil {
		return real
	}
	return root
}

// insideRoot reports whether the file at path, with symbolic links
// resolved, lies inside root, itself resolved: a fix never writes outside
// its project, whatever link leads there. Comparing the text of the paths
// would let a link inside the project lead the write elsewhere.
func insideRoot(root, path string) bool {
	if !filepath.IsAbs(path) {
		return false
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return false
	}
	return real != root && strings.HasPrefix(real, strings.TrimSuffix(root, string(filepath.Separator))+string(filepath.Separator))
}

// writeFileAtomic replaces the content of the file at path with data, or
// creates the file with permissions perm (0o644 if zero).
//
// A symbolic link is followed: its target is written and the link stays.
// The write goes to a temporary file in the same folder, which is synced,
// given the old file's mode and owner, and renamed over it, so that a crash
// leaves either the old or the new content, never a mix. Files are refused,
// with the reason, when they are not regular files, when no one may write
// them (no write permission bit: pqls does not override a read-only file,
// even as root), or when their owner cannot be kept. A file with several
// hard links is written in place instead, as a rename would split it from
// its other names: its old content is first copied to a synced backup
// beside it, removed once the new content is synced.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	if err := writeRefusal(path); err != nil {
		return err
	}
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if perm == 0 {
			perm = 0o644
		}
		return replaceFile(path, data, perm, nil)
	case err != nil:
		return fmt.Errorf("write %s: %w", path, err)
	case links(info) > 1:
		return writeInPlace(path, data)
	}
	return replaceFile(path, data, info.Mode()&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky), info)
}

// writeRefusal returns why writeFileAtomic refuses to write the file at
// path, or nil: --fix asks before it writes any file of a fix.
func writeRefusal(path string) error {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("write %s: %w", path, err)
	case !info.Mode().IsRegular():
		return fmt.Errorf("write %s: not a regular file; not written", path)
	case info.Mode().Perm()&0o222 == 0:
		return fmt.Errorf("write %s: the file is read-only; not written (make it writable to let pqls change it)", path)
	case !writable(path):
		return fmt.Errorf("write %s: permission denied; not written", path)
	}
	return nil
}

// replaceFile writes data to a synced temporary file in path's folder and
// renames it over path. If old is not nil, the new file takes its owner.
func replaceFile(path string, data []byte, mode os.FileMode, old fs.FileInfo) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".pqls-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	fail := func(err error) error {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(err)
	}
	if err := tmp.Chmod(mode); err != nil {
		return fail(err)
	}
	if old != nil {
		if err := keepOwner(tmp, old); err != nil {
			return fail(fmt.Errorf("cannot keep the file's owner (%w); not written", err))
		}
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// writeInPlace overwrites the file at path, which has other hard links,
// keeping a synced backup of its content until the new content is synced.
func writeInPlace(path string, data []byte) error {
	old, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	backup, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".pqls-backup-*")
	if err != nil {
		return fmt.Errorf("write %s: backup: %w", path, err)
	}
	if err := writeSynced(backup, old); err != nil {
		os.Remove(backup.Name())
		return fmt.Errorf("write %s: backup: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		os.Remove(backup.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := writeSynced(f, data); err != nil {
		return fmt.Errorf("write %s: %w (the old content is in %s)", path, err, backup.Name())
	}
	os.Remove(backup.Name())
	return nil
}

// writeSynced writes data to f, syncs and closes it.
func writeSynced(f *os.File, data []byte) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir syncs a folder, so that a rename in it survives a crash. Not
// every system can; the write itself has succeeded either way.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
