package project

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzResx feeds arbitrary bytes to the resources.resx reader, directly
// and through a project load. It must never panic, and every span it
// returns must lie inside the file, in order. Run longer with
//
//	go test -run '^$' -fuzz FuzzResx -fuzztime 2m ./project
func FuzzResx(f *testing.F) {
	for _, name := range []string{"vscode/resources.resx", "malformed/resources.resx", "mproj/resources.resx"} {
		if data, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`<root><data name="A"><value>x &amp; y</value></data><data name='B'/><data name="A"><value/></data></root>`))
	f.Add([]byte(`<?xml version="1.0" encoding="utf-16"?><root/>`))
	f.Add([]byte(`<root><data name="A"><value>unclosed`))
	dir := f.TempDir()
	must(f, os.WriteFile(filepath.Join(dir, "R.pq"), []byte("section R;"), 0o644))
	resx := filepath.Join(dir, "resources.resx")
	f.Fuzz(func(t *testing.T, data []byte) {
		r, _ := parseResx(data)
		if r == nil {
			t.Fatal("parseResx returned nothing")
		}
		for key, s := range r.spans {
			for _, sp := range []Span{s.Data, s.Name, s.Value} {
				if sp.Start < 0 || sp.End < sp.Start || sp.End > len(data) {
					t.Fatalf("span %v of %q outside the %d bytes", sp, key, len(data))
				}
			}
			if s.Name.Start < s.Data.Start || s.Name.End > s.Data.End || s.Value.Start < s.Data.Start || s.Value.End > s.Data.End {
				t.Fatalf("spans of %q not nested: %+v", key, s)
			}
			if _, ok := r.values[key]; !ok {
				t.Fatalf("span without a value for %q", key)
			}
		}
		p, err := Load(Overlay(OS(), map[string][]byte{resx: data}), dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Resources) != len(r.values) {
			t.Fatalf("the load found %d resources, the parser %d", len(p.Resources), len(r.values))
		}
		for _, pr := range p.Problems {
			_ = pr.Error()
			if pr.Offset < 0 || pr.Offset > len(data) {
				t.Fatalf("problem located outside the file: %v at %d", pr, pr.Offset)
			}
		}
	})
}

// FuzzProjectFile loads a project whose .proj file is arbitrary bytes. The
// load must never panic, and it must neither read nor list anything
// outside the project folder, whatever the items say. Run longer with
//
//	go test -run '^$' -fuzz FuzzProjectFile -fuzztime 2m ./project
func FuzzProjectFile(f *testing.F) {
	for _, name := range []string{"vscode/Contoso.proj", "mproj/TripPin.mproj", "malformed/Broken.proj"} {
		if data, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(data)
		}
	}
	for _, inc := range []string{"**/*.pqm", "/**/*.pqm", `..\..\x.pqm`, "sub/../A.pqm", `$(MSBuildProjectDirectory)\A.pqm`, "$(X)/**/**/*.pq;*.png", "C:/x.pqm", "**/../../*", "P.pq;up/Outside.pq;up/*.pq;up/Outside.pqm"} {
		f.Add([]byte(fmt.Sprintf(`<Project><PropertyGroup><X>..</X></PropertyGroup><ItemGroup><MezContent Include="%s" Exclude="*.png" /><Compile Remove="A.pqm"/></ItemGroup></Project>`, inc)))
	}
	parent := f.TempDir()
	dir := filepath.Join(parent, "proj")
	for name, content := range map[string]string{
		"proj/P.pq": "section P;", "proj/A.pqm": "1", "proj/sub/B.pqm": "2", "proj/I.png": "", "Outside.pqm": "3", "Outside.pq": "section Outside;",
	} {
		p := filepath.Join(parent, filepath.FromSlash(name))
		must(f, os.MkdirAll(filepath.Dir(p), 0o755))
		must(f, os.WriteFile(p, []byte(content), 0o644))
	}
	must(f, os.Symlink(".", filepath.Join(dir, "sub", "loop")))
	must(f, os.Symlink(parent, filepath.Join(dir, "up")))
	projFile := filepath.Join(dir, "P.proj")
	f.Fuzz(func(t *testing.T, data []byte) {
		src := &fencedSource{Source: Overlay(OS(), map[string][]byte{projFile: data}), root: dir, t: t}
		p, err := Load(src, dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, list := range [][]string{p.Packaged, p.Modules, p.Tests, p.Icons, {p.Main, p.Resx}} {
			for _, f := range list {
				if f != "" && !within(dir, f) {
					t.Fatalf("%s listed, outside the project", f)
				}
			}
		}
		for _, pr := range p.Problems {
			if pr.Offset < 0 || pr.Offset > len(data) {
				t.Fatalf("problem located outside the file: %v at %d", pr, pr.Offset)
			}
		}
	})
}

// fencedSource fails the test when a file or folder outside root is read.
// Stat is allowed anywhere: looking up a project above is part of the load.
type fencedSource struct {
	Source
	root string
	t    *testing.T
}

func (s *fencedSource) fence(path string) {
	if p := filepath.Clean(path); !within(s.root, p) {
		s.t.Fatalf("read outside the project: %s", p)
	}
	if real, err := filepath.EvalSymlinks(path); err == nil && !strings.HasPrefix(real+"/", mustReal(s.t, s.root)+"/") {
		s.t.Fatalf("read outside the project through a link: %s → %s", path, real)
	}
}

func (s *fencedSource) ReadFile(path string) ([]byte, error) {
	s.fence(path)
	return s.Source.ReadFile(path)
}

func (s *fencedSource) ReadDir(dir string) ([]fs.DirEntry, error) {
	if filepath.Clean(dir) != filepath.Dir(s.root) { // listing the parent for a project file is fine
		s.fence(dir)
	}
	return s.Source.ReadDir(dir)
}

func (s *fencedSource) EvalSymlinks(path string) (string, error) {
	return s.Source.(linkEvaluator).EvalSymlinks(path)
}

func mustReal(t *testing.T, path string) string {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		t.Fatal(err)
	}
	return real
}
