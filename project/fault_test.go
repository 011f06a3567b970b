package project

// The fault suite of the loader: hostile and broken project folders
// (docs/reliability.md). Each test builds its folder in a temporary
// directory; permissions that root ignores are tested in cmd/pqls, where
// the command runs as an unprivileged user.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const faultProj = `<Project>
  <ItemGroup>
    <MezContent Include="Fault.pq" />
    <MezContent Include="*.pqm" />
    <MezContent Include="resources.resx" />
  </ItemGroup>
</Project>
`

// faultProject writes a small project: Fault.proj, Fault.pq, A.pqm,
// Fault.query.pq and resources.resx, with files added or replaced by extra.
func faultProject(t *testing.T, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"Fault.proj":     faultProj,
		"Fault.pq":       "section Fault;\nshared Fault.Contents = 1;\n",
		"A.pqm":          "let a = 1 in a\n",
		"Fault.query.pq": "Fault.Contents()\n",
		"resources.resx": `<root><data name="K"><value>v</value></data></root>`,
	}
	for k, v := range extra {
		files[k] = v
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// loadWithin loads dir and fails the test, rather than hanging it, if the
// load does not end within a minute: a blocked read is the fault looked for.
func loadWithin(t *testing.T, src Source, dir string) *Project {
	t.Helper()
	type result struct {
		p   *Project
		err error
	}
	done := make(chan result, 1)
	go func() {
		p, err := Load(src, dir)
		done <- result{p, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("Load(%s): %v", dir, r.err)
		}
		return r.p
	case <-time.After(time.Minute):
		t.Fatalf("Load(%s) did not return: blocked on a file", dir)
	}
	return nil
}

// ioProblem returns the I/O problem recorded for the file name of p's
// folder, or nil.
func ioProblem(p *Project, name string) *Problem {
	for i, pr := range p.Problems {
		if pr.IO && pr.Path == filepath.Join(p.Root, name) {
			return &p.Problems[i]
		}
	}
	return nil
}

// Item 1: every kind of project document that cannot be read is an I/O
// problem and is taken out of the project, so nothing reads it later.
func TestFaultUnreadableDocuments(t *testing.T) {
	for _, name := range []string{"Fault.pq", "A.pqm", "Fault.query.pq", "resources.resx", "Fault.proj"} {
		t.Run(name, func(t *testing.T) {
			dir := faultProject(t, nil)
			p := filepath.Join(dir, name)
			// A dangling link: the file is listed but cannot be read.
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Join(dir, "gone", name), p); err != nil {
				t.Fatal(err)
			}
			proj := loadWithin(t, OS(), dir)
			pr := ioProblem(proj, name)
			if pr == nil {
				t.Fatalf("no I/O problem for %s: %v", name, proj.Problems)
			}
			if !strings.Contains(pr.Error(), "cannot be read") || !errors.Is(pr.Err, os.ErrNotExist) {
				t.Errorf("problem %q does not say the file cannot be read", pr.Error())
			}
			if slices.Contains(proj.Documents(), p) || proj.Resx == p {
				t.Errorf("%s is still a document of the project", name)
			}
			if name == "Fault.proj" && proj.PackageKnown() {
				t.Error("PackageKnown with an unreadable project file")
			}
		})
	}
}

// Item 2: only regular files are read. A named pipe, a link to /dev/zero
// and a file above the size limit are refused without blocking or reading;
// a link to a regular file inside the project is an ordinary module, a
// link to one outside is refused.
func TestFaultSpecialFiles(t *testing.T) {
	dir := faultProject(t, map[string]string{"lib/Real.pqm": "let b = 2 in b\n"})
	outside := filepath.Join(t.TempDir(), "Secret.pqm")
	if err := os.WriteFile(outside, []byte("let secret = 1 in secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	must(t, syscall.Mkfifo(filepath.Join(dir, "Pipe.pqm"), 0o644))
	must(t, os.Symlink("/dev/zero", filepath.Join(dir, "Zero.pqm")))
	must(t, os.Symlink(filepath.Join("lib", "Real.pqm"), filepath.Join(dir, "Linked.pqm")))
	must(t, os.Symlink(outside, filepath.Join(dir, "Outside.pqm")))
	// A sparse file just above the default limit costs no disk.
	must(t, os.WriteFile(filepath.Join(dir, "Huge.pqm"), nil, 0o644))
	must(t, os.Truncate(filepath.Join(dir, "Huge.pqm"), DefaultMaxFileSize+1))

	p := loadWithin(t, OS(), dir)
	for name, want := range map[string]error{
		"Pipe.pqm":    ErrNotRegular,
		"Zero.pqm":    ErrNotRegular,
		"Huge.pqm":    ErrTooLarge,
		"Outside.pqm": ErrOutsideProject,
	} {
		pr := ioProblem(p, name)
		if pr == nil {
			t.Errorf("%s: not refused; problems %v", name, p.Problems)
			continue
		}
		if !errors.Is(pr.Err, want) {
			t.Errorf("%s: problem %q, want %v", name, pr.Error(), want)
		}
		if slices.Contains(p.Modules, filepath.Join(dir, name)) {
			t.Errorf("%s is still a module", name)
		}
	}
	if pr := ioProblem(p, "Huge.pqm"); pr != nil && !strings.Contains(pr.Error(), "maxFileSizeMB") {
		t.Errorf("the size problem does not name the setting: %q", pr.Error())
	}
	if !slices.Contains(p.Modules, filepath.Join(dir, "Linked.pqm")) || ioProblem(p, "Linked.pqm") != nil {
		t.Errorf("a link to a module inside the project was refused: %v", p.Problems)
	}

	// A higher limit admits the large file; ReadRegular refuses the pipe
	// and the device itself, whoever calls it.
	p = loadWithin(t, OSWithLimit(DefaultMaxFileSize+1), dir)
	if ioProblem(p, "Huge.pqm") != nil {
		t.Errorf("Huge.pqm refused under a limit it fits: %v", p.Problems)
	}
	for _, name := range []string{"Pipe.pqm", "Zero.pqm"} {
		if _, err := ReadRegular(filepath.Join(dir, name), 1<<20); !errors.Is(err, ErrNotRegular) {
			t.Errorf("ReadRegular(%s) = %v, want ErrNotRegular", name, err)
		}
	}
	// Asking for the pipe itself does not add it back.
	pipe := filepath.Join(dir, "Pipe.pqm")
	p, err := Load(OS(), pipe)
	if err != nil {
		t.Fatal(err)
	}
	if p.Role(pipe) != Other || ioProblem(p, "Pipe.pqm") == nil {
		t.Errorf("Load(pipe) made it part of the project: role %v, problems %v", p.Role(pipe), p.Problems)
	}
}

// Item 3: ** does not follow links to folders, so two links to "." make
// no loop; absolute and ".." includes are reported and never read; a
// wildcard stops at its bound with a problem.
func TestFaultWildcards(t *testing.T) {
	secretDir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(secretDir, "Secret.pqm"), []byte("1"), 0o644))
	proj := fmt.Sprintf(`<Project><ItemGroup>
  <MezContent Include="Fault.pq" />
  <MezContent Include="**/*.pqm" />
  <MezContent Include="/**/*.pqm" />
  <MezContent Include="%s" />
  <MezContent Include="..\..\Secret.pqm" />
  <MezContent Include="sub/../A.pqm" />
  <MezContent Include="$(MSBuildProjectDirectory)\sub\B.pqm" />
  <MezContent Include="**/**/**/**/**/**/**/**/*.pqm" />
</ItemGroup></Project>`, filepath.Join(secretDir, "Secret.pqm"))
	dir := faultProject(t, map[string]string{"Fault.proj": proj, "sub/B.pqm": "2"})
	must(t, os.Symlink(".", filepath.Join(dir, "loop1")))
	must(t, os.Symlink(".", filepath.Join(dir, "sub", "loop2")))
	must(t, os.Symlink(secretDir, filepath.Join(dir, "away")))

	p := loadWithin(t, OS(), dir)
	want := []string{filepath.Join(dir, "A.pqm"), filepath.Join(dir, "sub", "B.pqm")}
	if !slices.Equal(p.Modules, want) {
		t.Errorf("modules %v, want %v", p.Modules, want)
	}
	for _, f := range slices.Concat(p.Packaged, p.Modules) {
		if !within(dir, f) || strings.Contains(f, "loop") || strings.Contains(f, "away") {
			t.Errorf("%s reached outside the project or through a link", f)
		}
	}
	var outside []string
	for _, pr := range p.Problems {
		if errors.Is(pr.Err, ErrOutsideProject) {
			outside = append(outside, pr.Err.Error())
		}
	}
	if len(outside) != 3 {
		t.Errorf("want 3 problems for the absolute, /** and .. items, got %q", outside)
	}

	// The bound: a wildcard that would look at more entries stops with
	// a problem instead.
	many := t.TempDir()
	for i := range 50 {
		must(t, os.WriteFile(filepath.Join(many, fmt.Sprintf("M%d.pqm", i)), nil, 0o644))
	}
	g := &globber{src: OS(), root: many, limit: 20}
	if _, err := g.glob("**/*.pqm"); !errors.Is(err, errGlobBound) {
		t.Errorf("glob over 50 entries with a bound of 20: %v", err)
	}
}

// Item 6: a Loader parses a resource file once while it does not change,
// and again when it does.
func TestFaultResxCache(t *testing.T) {
	dir := faultProject(t, nil)
	resx := filepath.Join(dir, "resources.resx")
	src := &countingSource{Source: OS(), reads: map[string]int{}}
	var l Loader
	for range 3 {
		p, err := l.Load(src, dir)
		if err != nil {
			t.Fatal(err)
		}
		if p.Resources["K"] != "v" {
			t.Fatalf("resources %v", p.Resources)
		}
	}
	if n := src.count(resx); n != 1 {
		t.Errorf("resources.resx read %d times in three loads, want 1", n)
	}
	must(t, os.WriteFile(resx, []byte(`<root><data name="K"><value>changed</value></data></root>`), 0o644))
	must(t, os.Chtimes(resx, time.Now(), time.Now().Add(time.Hour)))
	p, err := l.Load(src, dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.Resources["K"] != "changed" || src.count(resx) != 2 {
		t.Errorf("after a change: %q, %d reads", p.Resources["K"], src.count(resx))
	}
}

// Item 2, last part: a Loader is safe to call from goroutines at once,
// as the language server does off its message loop.
func TestFaultConcurrentLoads(t *testing.T) {
	dir := faultProject(t, nil)
	var l Loader
	first, err := l.Load(OS(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Go(func() {
			p, err := l.Load(OS(), filepath.Join(dir, "A.pqm"))
			switch {
			case err != nil:
				errs <- err
			case p.Main != first.Main || !slices.Equal(p.Modules, first.Modules) || p.Resources["K"] != "v":
				errs <- fmt.Errorf("concurrent load differs: %+v", p)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Item 7: a project file that does not parse leaves what it packages
// unknown, so that rules do not warn about every file it fails to list.
func TestFaultBrokenProjectFile(t *testing.T) {
	dir := faultProject(t, map[string]string{"Fault.proj": "<Project><ItemGroup><MezContent Include="})
	p := loadWithin(t, OS(), dir)
	if p.PackageKnown() {
		t.Error("PackageKnown for a project file that does not parse")
	}
	if len(p.Problems) != 1 || p.Problems[0].IO {
		t.Errorf("want one parse problem, got %v", p.Problems)
	}
	if p.Main != filepath.Join(dir, "Fault.pq") {
		t.Errorf("main %q: the folder's document should stand in", p.Main)
	}
}

// countingSource counts the reads of each file.
type countingSource struct {
	Source
	mu    sync.Mutex
	reads map[string]int
}

func (s *countingSource) ReadFile(path string) ([]byte, error) {
	s.mu.Lock()
	s.reads[path]++
	s.mu.Unlock()
	return s.Source.ReadFile(path)
}

func (s *countingSource) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reads[path]
}

func (s *countingSource) EvalSymlinks(path string) (string, error) {
	return filepath.EvalSymlinks(path)
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
