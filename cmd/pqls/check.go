package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
	"github.com/pqls/pqls/report"
)

// checkOptions are the flags of pqls check.
type checkOptions struct {
	format        string
	fix           bool
	failOn        string
	config        string
	baseline      string
	writeBaseline string
	verbose       bool
}

func checkFlags(fs *flag.FlagSet) *checkOptions {
	o := new(checkOptions)
	fs.StringVar(&o.format, "format", "text", "output `format`: text, json, sarif or html")
	fs.BoolVar(&o.fix, "fix", false, "apply the safe quick-fixes to the files, then report what remains")
	fs.StringVar(&o.failOn, "fail-on", "error", "exit with status 1 if a finding has this `severity` or a higher one: error, warning, information or hint")
	fs.StringVar(&o.config, "config", "", "read settings from this `file` instead of the pqls.json nearest each project")
	fs.StringVar(&o.baseline, "baseline", "", "hide the findings recorded in this baseline `file`")
	fs.StringVar(&o.writeBaseline, "write-baseline", "", "record every finding in this baseline `file` and exit with status 0")
	fs.BoolVar(&o.verbose, "v", false, "say on stderr which settings file applies to each project")
	return o
}

// runCheck implements pqls check.
//
// Each PATH is a folder (every project in it or below it is checked), a
// file (its project is checked and its own findings are reported; a .proj
// or .mproj file stands for its whole project) or a .mez archive (checked
// in place). Findings are printed on stdout; problems with configuration
// and project files, and I/O errors, on stderr.
func runCheck(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	o := checkFlags(fs)
	paths, status, ok := parseFlags(fs, "check", args, stderr)
	if !ok {
		return status
	}
	switch o.format {
	case "text", "json", "sarif", "html":
	default:
		return usageError(stderr, "check", "unknown format %q (want text, json, sarif or html)", o.format)
	}
	failOn, err := analysis.ParseSeverity(o.failOn)
	if err != nil {
		return usageError(stderr, "check", "--fail-on: %v", err)
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	if o.baseline != "" && o.writeBaseline != "" && o.baseline == o.writeBaseline {
		return usageError(stderr, "check", "--baseline and --write-baseline name the same file")
	}

	c, err := newChecker(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "pqls check: %v\n", err)
		return exitUsage
	}
	var base *report.Baseline
	if o.baseline != "" {
		if base, err = readBaseline(o.baseline); err != nil {
			fmt.Fprintf(stderr, "pqls check: %v\n", err)
			return exitUsage
		}
	}
	if o.config != "" {
		c.explicitConfig = c.loadConfig(project.OS(), o.config)
	}
	targets := c.targets(paths)
	if o.verbose {
		for _, t := range targets {
			fmt.Fprintf(stderr, "pqls check: project %s: settings from %s\n", t.project.Root, t.cfg.Origin(t.project.Root))
		}
	}
	if len(targets) == 0 {
		if !c.failed {
			noProject(stderr, paths)
		}
		return exitUsage
	}
	if o.fix {
		c.fixAll(targets)
	}
	files := c.checkAll(targets)

	if o.writeBaseline != "" {
		if err := writeBaseline(o.writeBaseline, files); err != nil {
			fmt.Fprintf(stderr, "pqls check: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(stderr, "pqls check: recorded %d findings in %s\n", countFindings(files), o.writeBaseline)
		return exitOK
	}
	if base != nil {
		files = filterBaseline(stderr, base, o.baseline, files)
	}

	shown := c.display(files)
	var out bytes.Buffer
	switch o.format {
	case "text":
		err = report.Text(&out, shown)
	case "json":
		err = report.JSON(&out, shown)
	case "sarif":
		err = report.SARIF(&out, shown, rules.All())
	case "html":
		err = writeHTML(&out, shown, paths)
	}
	if err == nil {
		_, err = stdout.Write(out.Bytes())
	}
	if err != nil {
		fmt.Fprintf(stderr, "pqls check: %v\n", err)
		return exitUsage
	}
	if c.failed {
		return exitUsage
	}
	for _, f := range files {
		for _, d := range f.Diagnostics {
			if d.Severity >= analysis.Error && d.Severity <= failOn {
				return exitFindings
			}
		}
	}
	return exitOK
}

// checker holds what one run of pqls check shares between projects.
type checker struct {
	stderr io.Writer
	cwd    string
	parser config.Parser
	// explicitConfig is the --config file's settings, if given.
	explicitConfig *config.Config
	configs        map[string]*config.Config // loaded pqls.json files by path
	failed         bool                      // an I/O error was reported: exit 2
	loader         project.Loader
}

func newChecker(stderr io.Writer) (*checker, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	c := &checker{stderr: stderr, cwd: cwd, configs: make(map[string]*config.Config)}
	if rules := rules.All(); len(rules) > 0 {
		known := make(map[string]bool, len(rules))
		for _, a := range rules {
			known[a.ID] = true
		}
		c.parser.KnownRule = func(id string) bool { return known[id] }
	}
	return c, nil
}

// ioError reports an error that makes the run fail with status 2 once it
// has checked everything else.
func (c *checker) ioError(err error) {
	fmt.Fprintf(c.stderr, "pqls check: %v\n", err)
	c.failed = true
}

// target is a project to check.
type target struct {
	project *project.Project
	// only, if not nil, limits the report to these files.
	only map[string]bool
	// readOnly projects come from a .mez archive and are never fixed.
	readOnly bool
	cfg      *config.Config
	// at is the path the project was loaded from.
	at string
}

// targets resolves the paths of the command line to projects. A project
// named twice is checked once. Two section documents of one folder may be
// two projects (a folder without a project file, see project.Sibling), so
// a project is known by its folder and its main document.
func (c *checker) targets(paths []string) []*target {
	var out []*target
	type key struct{ root, main string }
	byKey := make(map[key]*target)
	add := func(p *project.Project, at, file string, readOnly bool) {
		k := key{p.Root, p.Main}
		t, ok := byKey[k]
		if !ok {
			t = &target{project: p, readOnly: readOnly, only: map[string]bool{}, at: at}
			byKey[k] = t
			out = append(out, t)
		}
		switch {
		case file == "":
			t.only = nil // the whole project
		case t.only != nil:
			t.only[file] = true
		}
	}
	for _, arg := range paths {
		abs, err := filepath.Abs(arg)
		if err != nil {
			c.ioError(err)
			continue
		}
		info, err := os.Stat(abs)
		if err != nil {
			c.ioError(err)
			continue
		}
		switch {
		case info.IsDir():
			projects, err := c.loader.Discover(project.OS(), abs)
			if err != nil {
				c.ioError(err)
			}
			for _, p := range projects {
				if p.Sibling {
					// Its other files are the folder project's:
					// report them once, there.
					add(p, p.Main, p.Main, false)
				} else {
					add(p, p.Root, "", false)
				}
			}
		case strings.EqualFold(filepath.Ext(abs), ".mez"):
			src, root, err := project.OpenMez(abs)
			if err != nil {
				c.ioError(err)
				continue
			}
			p, err := c.loader.Load(src, root)
			if err != nil {
				c.ioError(err)
				continue
			}
			add(p, root, "", true)
		default:
			p, err := c.loader.Load(project.OS(), abs)
			if err != nil {
				c.ioError(err)
				continue
			}
			if p.Role(abs) == project.ProjectFile {
				add(p, abs, "", false)
			} else {
				add(p, abs, abs, false)
			}
		}
	}
	for _, t := range out {
		t.cfg = c.configFor(t.project)
		if t.cfg.MaxFileSize != project.DefaultMaxFileSize && !t.readOnly {
			// The settings allow another size: load again with it.
			if p, err := c.loader.Load(project.OSWithLimit(t.cfg.MaxFileSize), t.at); err == nil {
				t.project = p
			}
		}
		// A file of the project that cannot be read makes the check
		// incomplete: say so and fail, rather than pass on what was not
		// seen. The finding itself is reported with the others.
		for _, pr := range t.project.Problems {
			if pr.IO && (t.only == nil || t.only[pr.Path]) {
				c.ioError(fmt.Errorf("%s: %w", c.displayPath(pr.Path), pr.Err))
			}
		}
	}
	return out
}

// configFor returns the settings for a project: the --config file's, or
// those of the pqls.json nearest to the project, or the defaults.
func (c *checker) configFor(p *project.Project) *config.Config {
	if c.explicitConfig != nil {
		return c.explicitConfig
	}
	path, ok := config.Find(p.Source(), p.Root)
	if !ok {
		return config.Default()
	}
	return c.loadConfig(p.Source(), path)
}

// loadConfig loads a configuration file once. A faulty file is reported
// and the defaults are used instead, so that one mistake in a settings
// file does not stop the check.
func (c *checker) loadConfig(src project.Source, path string) *config.Config {
	if cfg, ok := c.configs[path]; ok {
		return cfg
	}
	cfg, err := c.parser.Load(src, path)
	if err != nil {
		var e *config.Error
		if errors.As(err, &e) {
			fmt.Fprintf(c.stderr, "%s:%d:%d: error config %s\n", c.displayPath(e.Path), e.Line, e.Column, e.Msg)
		} else {
			fmt.Fprintf(c.stderr, "%s: error config %v\n", c.displayPath(path), err)
		}
		cfg = config.Default()
	}
	c.configs[path] = cfg
	return cfg
}

// checkAll checks the targets and returns the findings by file, sorted by
// path, with the text of each file that a finding or fix refers to.
// Projects are checked in parallel, at most GOMAXPROCS at a time; the
// output does not depend on the order in which they finish, since files are
// sorted, and notes and I/O errors reported in the order of the targets.
func (c *checker) checkAll(targets []*target) []report.File {
	type result struct {
		files []report.File
		notes []string
		errs  []error
	}
	results := make([]result, len(targets))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(targets)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				results[i].files, results[i].notes, results[i].errs = c.check(targets[i])
			}
		}()
	}
	for i := range targets {
		work <- i
	}
	close(work)
	wg.Wait()
	var files []report.File
	for _, r := range results {
		for _, note := range r.notes {
			fmt.Fprintf(c.stderr, "pqls check: %s\n", note)
		}
		for _, err := range r.errs {
			c.ioError(err)
		}
		files = append(files, r.files...)
	}
	slices.SortStableFunc(files, func(a, b report.File) int { return strings.Compare(a.Path, b.Path) })
	return files
}

// check checks one target. It may run beside the checks of other targets,
// so it returns its notes (what was not checked as a connector, and why)
// and its I/O errors instead of printing them.
func (c *checker) check(t *target) ([]report.File, []string, []error) {
	var (
		notes []string
		errs  []error
	)
	cache := newFileCache(t.project.Source())
	// One model serves the check and the question of what the project is:
	// analysis.Kind would build a second one.
	prog, loaded := analysis.Load(t.project, cache)
	diags := analysis.Check(prog, loaded, t.cfg, rules.All())
	kind := prog.Kind()
	// The trees and the model are not needed past this point (prog is
	// dead to the collector); the report keeps only the texts of the files
	// with findings.
	cache.drop()
	switch kind {
	case model.NoConnector:
		if prog.Main != nil && model.IsReportQueries(prog.Main) {
			notes = append(notes, c.displayPath(prog.Main.Path)+": the queries of a Power BI report or Excel workbook (section "+model.ReportQueriesSection+", no data source kind), not a connector: checked for syntax only")
		} else {
			notes = append(notes, c.displayPath(t.project.Root)+": no connector here (no project file and no section document): checked for syntax only")
		}
	case model.Template:
		notes = append(notes, c.displayPath(t.project.Root)+": skipped as an SDK template ({{…}} placeholders are not M)")
	}
	byPath := make(map[string][]analysis.Diagnostic)
	var paths []string
	need := func(path string) {
		if _, ok := byPath[path]; !ok {
			byPath[path] = nil
			paths = append(paths, path)
		}
	}
	for _, d := range diags {
		if t.only != nil && !t.only[d.Path] {
			continue
		}
		need(d.Path)
		byPath[d.Path] = append(byPath[d.Path], d)
		// The report needs the text of every file a finding points into.
		for _, r := range d.Related {
			if r.Path != "" {
				need(r.Path)
			}
		}
		for _, f := range d.Fixes {
			for _, e := range f.Edits {
				if e.Path != "" {
					need(e.Path)
				}
			}
		}
	}
	slices.Sort(paths)
	files := make([]report.File, 0, len(paths))
	for _, p := range paths {
		src, err := cache.text(p)
		if err != nil && len(byPath[p]) > 0 && !refused(t.project, p) {
			errs = append(errs, err)
		}
		files = append(files, report.File{Path: p, Src: src, Diagnostics: byPath[p]})
	}
	return files, notes, errs
}

// refused reports whether the loader found path unreadable and said so.
func refused(p *project.Project, path string) bool {
	return slices.ContainsFunc(p.Problems, func(pr project.Problem) bool { return pr.IO && pr.Path == path })
}

// display returns files with every path made relative to the working
// folder where it lies below it, as people and code-scanning services
// expect.
func (c *checker) display(files []report.File) []report.File {
	out := make([]report.File, len(files))
	for i, f := range files {
		f.Path = c.displayPath(f.Path)
		diags := make([]analysis.Diagnostic, len(f.Diagnostics))
		for j, d := range f.Diagnostics {
			d.Path = c.displayPath(d.Path)
			d.Related = slices.Clone(d.Related)
			for k := range d.Related {
				d.Related[k].Path = c.displayPath(d.Related[k].Path)
			}
			d.Fixes = slices.Clone(d.Fixes)
			for k := range d.Fixes {
				edits := slices.Clone(d.Fixes[k].Edits)
				for m := range edits {
					edits[m].Path = c.displayPath(edits[m].Path)
				}
				d.Fixes[k].Edits = edits
			}
			diags[j] = d
		}
		f.Diagnostics = diags
		out[i] = f
	}
	return out
}

func (c *checker) displayPath(path string) string {
	if path == "" || !filepath.IsAbs(path) {
		return path
	}
	rel, err := filepath.Rel(c.cwd, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	return rel
}

func countFindings(files []report.File) int {
	n := 0
	for _, f := range files {
		n += len(f.Diagnostics)
	}
	return n
}

func readBaseline(path string) (*report.Baseline, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(abs)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := report.ReadBaseline(f, filepath.Dir(abs))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

func writeBaseline(path string, files []report.File) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.WriteBaseline(&buf, filepath.Dir(abs), files); err != nil {
		return err
	}
	return writeFileAtomic(abs, buf.Bytes(), 0o644)
}
