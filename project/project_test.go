package project

import (
	"archive/zip"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// rel makes the paths of p relative to dir, for comparison with the
// expectations of the tests.
func rel(t *testing.T, dir string, paths ...string) []string {
	t.Helper()
	var out []string
	for _, p := range paths {
		if p == "" {
			out = append(out, "")
			continue
		}
		r, err := filepath.Rel(dir, p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, filepath.ToSlash(r))
	}
	return out
}

func TestLoad(t *testing.T) {
	type want struct {
		root, name, projFile, main, resx string
		modules, tests, icons, packaged  []string
		problems                         int
	}
	tests := []struct {
		path string
		want want
	}{
		{"vscode", want{
			root: "vscode", name: "Contoso", projFile: "vscode/Contoso.proj", main: "vscode/Contoso.pq", resx: "vscode/resources.resx",
			modules:  []string{"vscode/Scratch.pqm", "vscode/Table.ToNavigationTable.pqm", "vscode/lib/Helpers.pqm"},
			tests:    []string{"vscode/Contoso.query.pq"},
			icons:    []string{"vscode/Contoso16.png", "vscode/Stray.png", "vscode/images/32/Contoso32.png"},
			packaged: []string{"vscode/Contoso.pq", "vscode/Contoso16.png", "vscode/Missing.png", "vscode/Table.ToNavigationTable.pqm", "vscode/images/32/Contoso32.png", "vscode/lib/Helpers.pqm", "vscode/resources.resx"},
		}},
		// A module in a subfolder belongs to the project whose file lists it.
		{"vscode/lib/Helpers.pqm", want{
			root: "vscode", name: "Contoso", projFile: "vscode/Contoso.proj", main: "vscode/Contoso.pq", resx: "vscode/resources.resx",
			modules:  []string{"vscode/Scratch.pqm", "vscode/Table.ToNavigationTable.pqm", "vscode/lib/Helpers.pqm"},
			tests:    []string{"vscode/Contoso.query.pq"},
			icons:    []string{"vscode/Contoso16.png", "vscode/Stray.png", "vscode/images/32/Contoso32.png"},
			packaged: []string{"vscode/Contoso.pq", "vscode/Contoso16.png", "vscode/Missing.png", "vscode/Table.ToNavigationTable.pqm", "vscode/images/32/Contoso32.png", "vscode/lib/Helpers.pqm", "vscode/resources.resx"},
		}},
		// The legacy SDK: the test query is a Compile item, the connector a
		// Content item, and the .mez is named by the Name property.
		{"mproj/TripPin.pq", want{
			root: "mproj", name: "TripPinService", projFile: "mproj/TripPin.mproj", main: "mproj/TripPin.pq", resx: "mproj/resources.resx",
			modules:  []string{"mproj/Diagnostics.pqm"},
			tests:    []string{"mproj/TripPin.query.pq"},
			icons:    []string{"mproj/TripPin16.png"},
			packaged: []string{"mproj/Diagnostics.pqm", "mproj/TripPin.pq", "mproj/TripPin16.png", "mproj/resources.resx"},
		}},
		// No project file: the section document wins over an expression
		// document that mentions the word only in a comment and text.
		{"loose", want{
			root: "loose", name: "Loose", main: "loose/Loose.m",
			tests: []string{"loose/Loose.query.pq", "loose/Loose.query.pqout"},
		}},
		// A file the folder's project does not use is still part of the
		// result: an expression document as a module…
		{"loose/Aaa.pq", want{
			root: "loose", name: "Loose", main: "loose/Loose.m",
			modules: []string{"loose/Aaa.pq"},
			tests:   []string{"loose/Loose.query.pq", "loose/Loose.query.pqout"},
		}},
		// …a second section document as the main document.
		{"loose/Second.pq", want{
			root: "loose", name: "Second", main: "loose/Second.pq",
			tests: []string{"loose/Loose.query.pq", "loose/Loose.query.pqout"},
		}},
		// Malformed project and resource files are problems, not failures.
		{"malformed", want{
			root: "malformed", name: "Broken", projFile: "malformed/Broken.proj", main: "malformed/Broken.pq", resx: "malformed/resources.resx",
			problems: 2,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			p, err := Load(OS(), filepath.Join("testdata", tt.path))
			if err != nil {
				t.Fatal(err)
			}
			r := func(paths ...string) []string { return rel(t, "testdata", paths...) }
			got := want{
				root: r(p.Root)[0], name: p.Name, projFile: r(p.ProjFile)[0], main: r(p.Main)[0], resx: r(p.Resx)[0],
				modules: r(p.Modules...), tests: r(p.Tests...), icons: r(p.Icons...), packaged: r(p.Packaged...),
				problems: len(p.Problems),
			}
			if got.root != tt.want.root || got.name != tt.want.name || got.projFile != tt.want.projFile ||
				got.main != tt.want.main || got.resx != tt.want.resx || got.problems != tt.want.problems {
				t.Errorf("got  %+v\nwant %+v\nproblems: %v", got, tt.want, p.Problems)
			}
			for _, c := range []struct {
				what      string
				got, want []string
			}{
				{"modules", got.modules, tt.want.modules},
				{"tests", got.tests, tt.want.tests},
				{"icons", got.icons, tt.want.icons},
				{"packaged", got.packaged, tt.want.packaged},
			} {
				if !slices.Equal(c.got, c.want) {
					t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
				}
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		path string
		is   error
	}{
		{"empty-ish", ErrNoProject},
		{"does-not-exist", fs.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := Load(OS(), filepath.Join("testdata", tt.path))
			if !errors.Is(err, tt.is) {
				t.Fatalf("Load: %v, want %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.path) {
				t.Errorf("error %q does not name the path", err)
			}
		})
	}
}

func TestProblems(t *testing.T) {
	p, err := Load(OS(), filepath.Join("testdata", "malformed"))
	if err != nil {
		t.Fatal(err)
	}
	// What was read before the fault is kept.
	if got := p.Resources["A"]; got != "a" {
		t.Errorf("Resources[A] = %q, want %q", got, "a")
	}
	for _, pr := range p.Problems {
		data, err := os.ReadFile(pr.Path)
		if err != nil {
			t.Fatal(err)
		}
		if pr.Offset <= 0 || pr.Offset > len(data) {
			t.Errorf("%v: offset %d outside the file (%d bytes)", pr, pr.Offset, len(data))
		}
		if !strings.HasPrefix(pr.Error(), pr.Path+": ") {
			t.Errorf("problem %q does not start with its path", pr.Error())
		}
	}
}

func TestResources(t *testing.T) {
	p, err := Load(OS(), filepath.Join("testdata", "vscode"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(p.Resx)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key, value, rawValue string
	}{
		{"ButtonTitle", "Contoso", "Contoso"},
		{"ButtonHelp", "Connect to Contoso & friends", "Connect to Contoso &amp; friends"},
		{"Empty", "", ""},
	}
	if len(p.Resources) != len(tests) {
		t.Errorf("Resources = %q, want %d keys", p.Resources, len(tests))
	}
	for _, tt := range tests {
		if got := p.Resources[tt.key]; got != tt.value {
			t.Errorf("Resources[%q] = %q, want %q", tt.key, got, tt.value)
		}
		s, ok := p.ResourceSpans[tt.key]
		if !ok {
			t.Errorf("no span for %q", tt.key)
			continue
		}
		if got := string(data[s.Name.Start:s.Name.End]); got != tt.key {
			t.Errorf("%s: name span holds %q", tt.key, got)
		}
		if got := string(data[s.Value.Start:s.Value.End]); got != tt.rawValue {
			t.Errorf("%s: value span holds %q, want %q", tt.key, got, tt.rawValue)
		}
		if d := string(data[s.Data.Start:s.Data.End]); !strings.HasPrefix(d, "<data") || !strings.HasSuffix(d, ">") {
			t.Errorf("%s: data span holds %q", tt.key, d)
		}
	}
}

func TestHasSectionKeyword(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{"section Foo;", true},
		{"\ufeff// c\n[Version=\"1.0.0\"]\nsection Foo;", true},
		{"[Version=\"1.0.0\"]section Foo;", true},
		{"let a = 1 in a", false},
		{"// section Foo;\nlet a = 1 in a", false},
		{"/* section */ 1", false},
		{"/* unterminated section", false},
		{`"section"`, false},
		{`"a ""section"" b"`, false},
		{`#"section" = 1`, false},
		{"Foo.section = 1", false},
		{"sections", false},
		{"_section", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := hasSectionKeyword([]byte(tt.src)); got != tt.want {
			t.Errorf("hasSectionKeyword(%q) = %v, want %v", tt.src, got, tt.want)
		}
	}
}

func TestRole(t *testing.T) {
	p, err := Load(OS(), filepath.Join("testdata", "vscode"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file string
		want Role
	}{
		{"Contoso.pq", Main},
		{"lib/Helpers.pqm", Module},
		{"Contoso.query.pq", Test},
		{"resources.resx", Resx},
		{"Contoso.proj", ProjectFile},
		{"Contoso16.png", Icon},
		{"README.md", Other},
		{"lib/../Contoso.pq", Main},
	}
	for _, tt := range tests {
		if got := p.Role(filepath.Join(p.Root, filepath.FromSlash(tt.file))); got != tt.want {
			t.Errorf("Role(%s) = %v, want %v", tt.file, got, tt.want)
		}
	}
}

func TestResolveContents(t *testing.T) {
	p, err := Load(OS(), filepath.Join("testdata", "vscode"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		want string // relative to the project, "" for not found
	}{
		{"Contoso16.png", "Contoso16.png"},
		{"Table.ToNavigationTable.pqm", "Table.ToNavigationTable.pqm"},
		{"lib/Helpers.pqm", "lib/Helpers.pqm"},
		{`lib\Helpers.pqm`, "lib/Helpers.pqm"},
		{"Helpers.pqm", "lib/Helpers.pqm"}, // flattened into the .mez
		{"Contoso32.png", "images/32/Contoso32.png"},
		{"contoso16.PNG", "Contoso16.png"}, // Windows does not mind case
		{"./Contoso16.png", "Contoso16.png"},
		{"Missing.png", ""}, // packaged but absent
		{"lib", ""},         // a folder
		{"", ""},
		{"../vscode/Contoso16.png", ""},
		{"lib/../Contoso16.png", ""},
		{"/etc/passwd", ""},
		{`\Contoso16.png`, ""},
		{`C:\Windows\win.ini`, ""},
		{"Contoso16.png\x00", ""},
	}
	for _, tt := range tests {
		got, ok := p.ResolveContents(tt.name)
		want := tt.want
		if want != "" {
			want = filepath.Join(p.Root, filepath.FromSlash(want))
		}
		if got != want || ok != (want != "") {
			t.Errorf("ResolveContents(%q) = %q, %v; want %q", tt.name, got, ok, want)
		}
	}
}

func TestResolveContentsSymlinks(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "proj")
	outside := filepath.Join(dir, "outside")
	for _, d := range []string{root, outside, filepath.Join(root, "icons")} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(root, "Proj.pq"), "section Proj;")
	writeFile(t, filepath.Join(root, "icons", "Real.png"), "png")
	writeFile(t, filepath.Join(outside, "secret.txt"), "secret")
	links := map[string]string{
		"escape.txt": filepath.Join(outside, "secret.txt"),
		"outdir":     outside,
		"inside.png": filepath.Join(root, "icons", "Real.png"),
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	p, err := Load(OS(), root)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ok   bool
	}{
		{"escape.txt", false},
		{"outdir/secret.txt", false},
		{"inside.png", true},
		{"icons/Real.png", true},
	}
	for _, tt := range tests {
		got, ok := p.ResolveContents(tt.name)
		if ok != tt.ok {
			t.Errorf("ResolveContents(%q) = %q, %v; want ok %v", tt.name, got, ok, tt.ok)
		}
	}
	// The same holds when the disk is seen through editor buffers.
	p, err = Load(Overlay(OS(), map[string][]byte{filepath.Join(root, "New.png"): []byte("png")}), root)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range append(tests, struct {
		name string
		ok   bool
	}{"New.png", true}) {
		if _, ok := p.ResolveContents(tt.name); ok != tt.ok {
			t.Errorf("overlay: ResolveContents(%q) ok = %v, want %v", tt.name, ok, tt.ok)
		}
	}
}

func TestDiscover(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a/A.proj":               `<Project><ItemGroup><MezContent Include="A.pq;lib\Helpers.pq" /></ItemGroup></Project>`,
		"a/lib/Helpers.pq":       "(x) => x", // packaged by A.proj, not a project
		"a/A.pq":                 "section A;",
		"a/bin/A.pq":             "section A;", // build output
		"a/obj/MEZ/A.pq":         "section A;",
		"a/tests/A.query.pq":     "let x = 1 in x",
		"b/c/C.m":                "section C;",
		"b/notes.txt":            "",
		"node_modules/pkg/D.pq":  "section D;",
		".git/x/E.pq":            "section E;",
		"f/F.proj":               "<Project>", // malformed, still a project
		"g/G.query.pq":           "let x = 1 in x",
		"h/only-module/Util.pqm": "1",
	}
	for name, content := range files {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(name)), content)
	}
	// The packaged document in a subfolder belongs to the project above.
	p, err := Load(OS(), filepath.Join(dir, "a", "lib", "Helpers.pq"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Root != filepath.Join(dir, "a") || p.Role(filepath.Join(dir, "a", "lib", "Helpers.pq")) != Module {
		t.Errorf("Load(a/lib/Helpers.pq) = project %s, role %v", p.Root, p.Role(filepath.Join(dir, "a", "lib", "Helpers.pq")))
	}

	projects, err := Discover(OS(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var roots []string
	for _, p := range projects {
		roots = append(roots, rel(t, dir, p.Root)[0])
	}
	// a/tests and g hold test queries alone: the test framework's layout.
	want := []string{"a", "a/tests", "b/c", "f", "g"}
	if !slices.Equal(roots, want) {
		t.Errorf("Discover found %q, want %q", roots, want)
	}
	if _, err := Discover(OS(), filepath.Join(dir, "nope")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Discover of a missing folder: %v", err)
	}
}

// TestDiscoverSiblings: in a folder without a project file, each section
// document that declares a data source kind is a connector of its own.
func TestDiscoverSiblings(t *testing.T) {
	const kinded = "section %s;\n[DataSource.Kind = \"%s\"]\nshared %s.Contents = () => 1;\n"
	dir := t.TempDir()
	files := map[string]string{
		"loose/Alder.pq":       fmt.Sprintf(kinded, "Alder", "Alder", "Alder"),
		"loose/Birch.pq":       fmt.Sprintf(kinded, "Birch", "Birch", "Birch"),
		"loose/Notes.pq":       "section Notes;\nshared Notes.Text = \"no kind\";\n",
		"loose/Alder.query.pq": "Alder.Contents()",
		"loose/Shared.pqm":     "(x) => x",
		"built/Cedar.proj":     `<Project><ItemGroup><MezContent Include="Cedar.pq" /></ItemGroup></Project>`,
		"built/Cedar.pq":       fmt.Sprintf(kinded, "Cedar", "Cedar", "Cedar"),
		"built/Draft.pq":       fmt.Sprintf(kinded, "Draft", "Draft", "Draft"), // not built: not a project
	}
	for name, content := range files {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(name)), content)
	}
	projects, err := Discover(OS(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range projects {
		got = append(got, fmt.Sprintf("%s %s sibling=%v", rel(t, dir, p.Root)[0], filepath.Base(p.Main), p.Sibling))
	}
	want := []string{"built Cedar.pq sibling=false", "loose Alder.pq sibling=false", "loose Birch.pq sibling=true"}
	if !slices.Equal(got, want) {
		t.Errorf("Discover found\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, p := range projects {
		if p.Sibling && (p.Name != "Birch" || len(p.Tests) != 1 || len(p.Modules) != 1) {
			t.Errorf("sibling project: name %q, tests %q, modules %q; want Birch with the folder's test and module", p.Name, p.Tests, p.Modules)
		}
	}
}

func TestOverlay(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "X.pq"), "section X;")
	writeFile(t, filepath.Join(dir, "resources.resx"), `<root><data name="Old"><value>o</value></data></root>`)
	src := Overlay(OS(), map[string][]byte{
		filepath.Join(dir, "resources.resx"):      []byte(`<root><data name="New"><value>n</value></data></root>`),
		filepath.Join(dir, "New.pqm"):             []byte("1"),
		filepath.Join(dir, "sub", "deep", "Y.pq"): []byte("section Y;"),
	})
	data, err := src.ReadFile(filepath.Join(dir, "X.pq"))
	if err != nil || string(data) != "section X;" {
		t.Errorf("ReadFile(X.pq) = %q, %v", data, err)
	}
	entries, err := src.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"New.pqm", "X.pq", "resources.resx", "sub"}; !slices.Equal(names, want) {
		t.Errorf("ReadDir = %q, want %q", names, want)
	}
	if info, err := src.Stat(filepath.Join(dir, "sub", "deep")); err != nil || !info.IsDir() {
		t.Errorf("Stat of a folder that only buffers make: %v, %v", info, err)
	}
	if entries, err := src.ReadDir(filepath.Join(dir, "sub", "deep")); err != nil || len(entries) != 1 {
		t.Errorf("ReadDir of a folder that only buffers make: %v, %v", entries, err)
	}
	if info, err := src.Stat(filepath.Join(dir, "New.pqm")); err != nil || info.Size() != 1 {
		t.Errorf("Stat(New.pqm) = %v, %v", info, err)
	}
	p, err := Load(src, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Resources["New"]; !ok || len(p.Resources) != 1 {
		t.Errorf("Resources = %v, want the buffer's", p.Resources)
	}
	if want := []string{filepath.Join(dir, "New.pqm")}; !slices.Equal(p.Modules, want) {
		t.Errorf("Modules = %q, want %q", p.Modules, want)
	}
	if _, err := src.ReadFile(filepath.Join(dir, "absent")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile of a missing file: %v", err)
	}
}

func TestOpenMez(t *testing.T) {
	dir := t.TempDir()
	mez := filepath.Join(dir, "Foo.mez")
	writeZip(t, mez, map[string]string{
		"[Content_Types].xml": `<Types/>`,
		"Foo.m":               "[Version=\"1.0.0\"] section Foo; shared Foo.Contents = 1;",
		"Foo16.png":           "png",
		"resources.resx":      `<root><data name="ButtonTitle"><value>Foo</value></data></root>`,
		"Helpers.pqm":         "1",
		"sub/Deep.pqm":        "2",
		"../evil.pq":          "section Evil;",
		"/abs.pq":             "section Abs;",
	})
	writeFile(t, filepath.Join(dir, "pqls.json"), "{}")

	src, root, err := OpenMez(mez)
	if err != nil {
		t.Fatal(err)
	}
	if root != mez {
		t.Errorf("root = %q, want %q", root, mez)
	}
	p, err := Load(src, root)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Foo" || p.Main != filepath.Join(mez, "Foo.m") || p.Resources["ButtonTitle"] != "Foo" {
		t.Errorf("project = %+v", p)
	}
	if want := []string{filepath.Join(mez, "Helpers.pqm")}; !slices.Equal(p.Modules, want) {
		t.Errorf("Modules = %q, want %q", p.Modules, want)
	}
	if got, ok := p.ResolveContents("Foo16.png"); !ok || got != filepath.Join(mez, "Foo16.png") {
		t.Errorf("ResolveContents(Foo16.png) = %q, %v", got, ok)
	}
	if data, err := src.ReadFile(filepath.Join(mez, "sub", "Deep.pqm")); err != nil || string(data) != "2" {
		t.Errorf("ReadFile(sub/Deep.pqm) = %q, %v", data, err)
	}
	for _, evil := range []string{filepath.Join(dir, "evil.pq"), filepath.Join(mez, "abs.pq")} {
		if _, err := src.ReadFile(evil); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("entry escaping the archive readable as %s: %v", evil, err)
		}
	}
	// Files beside the archive come from the disk.
	if data, err := src.ReadFile(filepath.Join(dir, "pqls.json")); err != nil || string(data) != "{}" {
		t.Errorf("ReadFile beside the archive = %q, %v", data, err)
	}
	if _, err := src.ReadFile(filepath.Join(mez, "nope")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile of a missing entry: %v", err)
	}
}

func TestOpenMezErrors(t *testing.T) {
	dir := t.TempDir()
	tests := map[string]string{
		"garbage.mez":   "this is not a zip file",
		"empty.mez":     "",
		"truncated.mez": "PK\x03\x04\x14\x00\x00\x00",
	}
	for name, content := range tests {
		path := filepath.Join(dir, name)
		writeFile(t, path, content)
		if _, _, err := OpenMez(path); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("OpenMez(%s) error = %v, want one naming the file", name, err)
		}
	}
	if _, _, err := OpenMez(filepath.Join(dir, "missing.mez")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("OpenMez of a missing file: %v", err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeZip(t *testing.T, path string, files map[string]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		// CreateRaw-free path: zip.Writer.Create refuses nothing, so hostile
		// names go in as written.
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestTestPqIsATest: *.test.pq files are test files, never the main
// document.
func TestTestPqIsATest(t *testing.T) {
	if !isTestFile("Contoso.test.pq") || isMDocument("Contoso.test.pq") {
		t.Error("Contoso.test.pq is not taken for a test file")
	}
}
