package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/aymanbagabas/go-udiff"

	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/format"
	"github.com/pqls/pqls/project"
)

// fmtDoc is the help of pqls fmt after its summary.
const fmtDoc = `Each PATH is an M file (.pq, .pqm, .m) or a folder, whose M files are
formatted (folders named node_modules or starting with a dot are skipped).
Without flags the formatted text is printed on standard output. The layout
is described in docs/formatting.md; the indentation and line width come from
the "format" section of the pqls.json that applies to each file.

Members with syntax errors (a section member, a binding of a top-level let)
are left as they are; the others are formatted. Formatting never changes a
file's syntax tree: if it would, the file is left alone and the error
reported.

Exit status: 0 on success; with --check, 1 if a file is not formatted; 2
for usage and I/O errors.
`

type fmtOptions struct {
	write, check, diff bool
}

func fmtFlags(fs *flag.FlagSet) *fmtOptions {
	o := new(fmtOptions)
	fs.BoolVar(&o.write, "w", false, "write the result to the file instead of standard output")
	fs.BoolVar(&o.check, "check", false, "list the files whose formatting differs, and exit with 1 if any does")
	fs.BoolVar(&o.diff, "diff", false, "print a unified diff of the changes instead of the text")
	return o
}

// runFmt implements `pqls fmt`.
func runFmt(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fmt", flag.ContinueOnError)
	o := fmtFlags(fs)
	paths, status, ok := parseFlags(fs, "fmt", args, stderr)
	if !ok {
		return status
	}
	if len(paths) == 0 {
		return usageError(stderr, "fmt", "no files given")
	}
	files, err := mFilesIn(paths)
	if err != nil {
		fmt.Fprintf(stderr, "pqls fmt: %v\n", err)
		return exitUsage
	}
	status = exitOK
	fail := func(err error) {
		fmt.Fprintf(stderr, "pqls fmt: %v\n", err)
		status = exitUsage
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			fail(err)
			continue
		}
		out, err := format.Source(path, src, formatOptionsFor(path, stderr))
		if err != nil {
			fail(err)
			continue
		}
		changed := !bytes.Equal(src, out)
		if o.check && changed {
			fmt.Fprintln(stdout, path)
			if status == exitOK {
				status = exitFindings
			}
		}
		if o.diff && changed {
			fmt.Fprint(stdout, udiff.Unified(filepath.ToSlash(path)+".orig", filepath.ToSlash(path), string(src), string(out)))
		}
		if o.write && changed {
			if err := writeFileAtomic(path, out, 0); err != nil {
				fail(err)
			}
		}
		if !o.write && !o.check && !o.diff {
			stdout.Write(out)
		}
	}
	return status
}

// formatOptionsFor returns the layout for the file at path from the
// pqls.json that applies to it; a faulty pqls.json is reported and the
// defaults used.
func formatOptionsFor(path string, stderr io.Writer) format.Options {
	opt := format.DefaultOptions()
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return opt
	}
	src := project.OS()
	cfgPath, ok := config.Find(src, dir)
	if !ok {
		return opt
	}
	c, err := config.Load(src, cfgPath)
	if err != nil {
		fmt.Fprintf(stderr, "pqls fmt: %v (using the default layout)\n", err)
		return opt
	}
	return formatOptions(c.Format, opt)
}

// formatOptions lays the format section of a configuration over opt.
func formatOptions(f config.Format, opt format.Options) format.Options {
	if f.Tabs {
		opt.Tabs = true
	} else if f.IndentWidth > 0 {
		opt.Tabs, opt.IndentWidth = false, f.IndentWidth
	}
	if f.LineWidth > 0 {
		opt.LineWidth = f.LineWidth
	}
	return opt
}

// mFilesIn returns the files named and the M files in the folders named.
func mFilesIn(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path != p && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) {
					return filepath.SkipDir
				}
				return nil
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".pq", ".pqm", ".m":
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(files) == 0 {
		return nil, errors.New("no M files (.pq, .pqm, .m) in " + strings.Join(paths, ", "))
	}
	return files, nil
}
