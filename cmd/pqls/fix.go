package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/report"
)

// maxFixPasses bounds how often --fix checks and fixes again. A pass can
// leave fixes out because they overlap others; the next pass, on the fixed
// text, picks them up.
const maxFixPasses = 8

// fixAll applies the safe fixes of the targets' findings to their files,
// pass after pass until none is left, and reports on stderr what it did.
func (c *checker) fixAll(targets []*target) {
	fixes, changed := 0, make(map[string]bool)
	for range maxFixPasses {
		applied := 0
		for _, t := range targets {
			if t.readOnly {
				continue
			}
			n, files := c.fixTarget(t)
			applied += n
			for _, f := range files {
				changed[f] = true
			}
		}
		if applied == 0 {
			break
		}
		fixes += applied
	}
	for _, t := range targets {
		if t.readOnly {
			fmt.Fprintf(c.stderr, "pqls check: %s is a built connector; its files are not fixed\n", c.displayPath(t.project.Root))
		}
	}
	if fixes > 0 {
		fmt.Fprintf(c.stderr, "pqls check: applied %d fixes in %d files\n", fixes, len(changed))
	}
}

// fixTarget applies one pass of fixes to a project. For each finding it
// takes the first fix, if that fix is safe, and leaves out fixes that
// overlap one already taken. It returns the number of fixes applied and the
// files it rewrote.
func (c *checker) fixTarget(t *target) (int, []string) {
	var taken []analysis.TextEdit
	var count int
	files, errs := c.check(t)
	for _, err := range errs {
		c.ioError(err)
	}
	for _, f := range files {
		for _, d := range f.Diagnostics {
			if len(d.Fixes) == 0 || !d.Fixes[0].Safe {
				continue
			}
			edits := make([]analysis.TextEdit, len(d.Fixes[0].Edits))
			for i, e := range d.Fixes[0].Edits {
				if e.Path == "" {
					e.Path = d.Path
				}
				edits[i] = e
			}
			if report.Overlaps(taken, edits) || !c.inProject(t, edits) {
				continue
			}
			taken = append(taken, edits...)
			count++
		}
	}
	if count == 0 {
		return 0, nil
	}
	byPath := make(map[string][]analysis.TextEdit)
	var paths []string
	for _, e := range taken {
		if _, ok := byPath[e.Path]; !ok {
			paths = append(paths, e.Path)
		}
		byPath[e.Path] = append(byPath[e.Path], e)
	}
	var written []string
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			c.ioError(err)
			return 0, written
		}
		out, err := report.ApplyFixes(src, byPath[path])
		if err != nil {
			c.ioError(fmt.Errorf("%s: %w", path, err))
			return 0, written
		}
		if bytes.Equal(out, src) {
			continue
		}
		if err := writeFileAtomic(path, out, 0); err != nil {
			c.ioError(err)
			return 0, written
		}
		written = append(written, path)
	}
	if len(written) == 0 {
		// Every fix left its file as it was: another pass would do the same.
		return 0, nil
	}
	return count, written
}

// inProject reports whether every edit changes a file inside the project;
// a fix is never allowed to write elsewhere.
func (c *checker) inProject(t *target, edits []analysis.TextEdit) bool {
	root := t.project.Root + string(filepath.Separator)
	for _, e := range edits {
		if !filepath.IsAbs(e.Path) || len(e.Path) <= len(root) || e.Path[:len(root)] != root {
			return false
		}
	}
	return true
}

// writeFileAtomic replaces the file at path with data: it writes a
// temporary file in the same folder and renames it over the old one, so
// that a crash leaves either the old or the new content, never a mix. An
// existing file keeps its permissions, and a symbolic link its target;
// perm is for a new file.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	if info, err := os.Stat(path); err == nil {
		perm = info.Mode().Perm()
	} else if perm == 0 {
		perm = 0o644
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".pqls-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
