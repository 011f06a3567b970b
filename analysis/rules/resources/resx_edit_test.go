package resources

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
)

// loadResx writes a project of one connector and the given resources.resx
// to a temporary folder and loads it.
func loadResx(t *testing.T, resx string) *project.Project {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Contoso.pq"), []byte("section Contoso;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if resx != "" {
		if err := os.WriteFile(filepath.Join(dir, "resources.resx"), []byte(resx), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := project.Load(project.OS(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestResxAdd adds strings to resx files of several layouts: the result
// must read back with exactly the values added and the old ones, and look
// as the file's own entries do.
func TestResxAdd(t *testing.T) {
	strs := []newString{
		{"Plain", "Contoso"},
		{"Markup", `Say "hi" to <Contoso> & co > all`},
		{"Lines", "one\r\ntwo\nthree\rfour\tend "},
		{"Spaces", "  padded  "},
	}
	cases := []struct {
		name, resx string
		want       string // text the result must contain
	}{
		{"two spaces", "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<root>\n  <data name=\"Old\" xml:space=\"preserve\">\n    <value>old</value>\n  </data>\n</root>\n",
			"  </data>\n  <data name=\"Plain\" xml:space=\"preserve\">\n    <value>Contoso</value>\n  </data>\n"},
		{"crlf and bom", "\uFEFF<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<root>\r\n\t<data name=\"Old\" xml:space=\"preserve\">\r\n\t\t<value>old</value>\r\n\t</data>\r\n</root>\r\n",
			"\t</data>\r\n\t<data name=\"Plain\" xml:space=\"preserve\">\r\n\t\t<value>Contoso</value>\r\n\t</data>\r\n"},
		{"one line entries", "<root>\n    <data name=\"Old\"><value>old</value></data>\n</root>",
			"\n    <data name=\"Plain\" xml:space=\"preserve\"><value>Contoso</value></data>\n"},
		{"file reference first", "<root>\n  <data name=\"Icon\" type=\"System.Resources.ResXFileRef\"><value>a.png</value></data>\n  <data name=\"Old\" xml:space=\"preserve\">\n    <value>old</value>\n  </data>\n</root>\n",
			"    <value>old</value>\n  </data>\n  <data name=\"Plain\" xml:space=\"preserve\">\n    <value>Contoso</value>\n  </data>\n"},
		{"no data yet", "<root>\n  <resheader name=\"resmimetype\">\n    <value>text/microsoft-resx</value>\n  </resheader>\n</root>\n",
			"  </resheader>\n  <data name=\"Plain\" xml:space=\"preserve\">\n    <value>Contoso</value>\n  </data>\n"},
		{"root on one line", "<root></root>",
			"<root>\n  <data name=\"Plain\" xml:space=\"preserve\">\n    <value>Contoso</value>\n  </data>\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := loadResx(t, c.resx)
			r, why := openResx(&model.Program{Project: p})
			if r == nil {
				t.Fatalf("no edit: %s", why)
			}
			e, ok := r.add(strs)
			if !ok {
				t.Fatal("add refused")
			}
			out, err := analysis.ApplyEdits(p.ResxText, []analysis.TextEdit{e})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(out), c.want) {
				t.Errorf("result lacks %q:\n%s", c.want, out)
			}
			if strings.HasPrefix(c.resx, "\uFEFF") != strings.HasPrefix(string(out), "\uFEFF") {
				t.Errorf("byte-order mark not kept:\n%q", out)
			}
			if strings.Contains(c.resx, "\r\n") && strings.Count(string(out), "\n") != strings.Count(string(out), "\r\n") {
				// Even a value's line feed is written as the file's line
				// ending: XML reads both as a line feed.
				t.Errorf("line endings mixed:\n%q", out)
			}
			if err := os.WriteFile(p.Resx, out, 0o644); err != nil {
				t.Fatal(err)
			}
			q, err := project.Load(project.OS(), p.Root)
			if err != nil {
				t.Fatal(err)
			}
			if len(q.Problems) > 0 {
				t.Fatalf("problems after the edit: %v\n%s", q.Problems[0].Err, out)
			}
			for k, v := range p.Resources {
				if q.Resources[k] != v {
					t.Errorf("old key %s = %q after the edit, want %q", k, q.Resources[k], v)
				}
			}
			for _, s := range strs {
				if got := q.Resources[s.key]; got != s.value {
					t.Errorf("%s reads back as %q, want %q", s.key, got, s.value)
				}
			}
		})
	}
}

// TestResxRefused lists the resx files no string is added to, and what the
// finding then says.
func TestResxRefused(t *testing.T) {
	for _, c := range []struct {
		name, resx, why string
	}{
		{"missing", "", "no resources.resx"},
		{"malformed", "<root>\n  <data name=\"A\"><value>a</value>\n</root>\n", "has errors"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, why := openResx(&model.Program{Project: loadResx(t, c.resx)})
			if r != nil || !strings.Contains(why, c.why) {
				t.Errorf("openResx = %v, %q; want no file and a reason with %q", r, why, c.why)
			}
		})
	}
	p := loadResx(t, "<root/>")
	r, _ := openResx(&model.Program{Project: p})
	if r == nil {
		t.Fatal("<root/> refused")
	}
	if _, ok := r.add([]newString{{"Bell", "ring\a"}}); ok {
		t.Error("a control character XML cannot carry was written")
	}
}

// TestFreeKey picks keys that neither clash with the file's nor with keys
// the same fix takes, and reuses a key that already holds the text.
func TestFreeKey(t *testing.T) {
	r := &resxStrings{keys: map[string]string{"ButtonTitle": "Other", "Label": "Contoso", "ButtonTitle2": "More"}}
	taken := map[string]string{"ButtonHelp": "Help", "KeyLabel": "API key"}
	for _, c := range []struct {
		base, value, want string
		exists            bool
	}{
		{"ButtonTitle", "Contoso", "ButtonTitle3", false},
		{"Label", "Contoso", "Label", true},
		{"ButtonHelp", "x", "ButtonHelp2", false},
		{"KeyLabel", "API key", "KeyLabel", true},
		{"#\"My Func\".Name", "x", "MyFunc.Name", false},
		{"...", "x", "Text", false},
	} {
		got, exists := r.freeKey(c.base, c.value, taken)
		if got != c.want || exists != c.exists {
			t.Errorf("freeKey(%q, %q) = %q, %v; want %q, %v", c.base, c.value, got, exists, c.want, c.exists)
		}
	}
}
