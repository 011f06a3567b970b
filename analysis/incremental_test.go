package analysis_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/internal/testconnector"
	"github.com/pqls/pqls/project"
)

// editFragments are what the random edit scripts insert: pieces of M that
// break and mend syntax, and pieces that make or unmake findings of the
// per-member rules (a credential in a URL, http://, Expression.Evaluate,
// ApiKeyName, an ODBC connection string) and references between members.
var editFragments = []string{
	"a", "1", " ", "\n", ";", ",", "=", "(", ")", "[", "]", "{", "}", "\"", "let", " in ", "each ",
	"x = 1;", "shared ", "//c\n", "/*", "*/",
	`Web.Contents("http://example.com/?key=" & Extension.CurrentCredential()[Key])`,
	`Web.Contents(url, [ApiKeyName = "k", Headers = [Authorization = Extension.CurrentCredential()[Password]]])`,
	`Expression.Evaluate(Text.FromBinary(Web.Contents(u)))`,
	`Odbc.DataSource([Driver = "x", PWD = Extension.CurrentCredential()[Password]])`,
	"\nHelper = (u) => Web.Contents(u & Extension.CurrentCredential()[Key]);\n",
	"Helper(", "Bench.Page1(", "Extension.CurrentCredential()[Key]", "http://", "https://",
}

// randomEdit returns an edit of src: mostly small, anywhere in the file.
func randomEdit(rng *rand.Rand, src []byte) parser.Edit {
	start := rng.Intn(len(src) + 1)
	end := min(start+rng.Intn(4), len(src))
	if rng.Intn(8) == 0 {
		end = min(start+rng.Intn(200), len(src)) // a larger cut
	}
	text := ""
	for n := rng.Intn(3); n > 0; n-- {
		text += editFragments[rng.Intn(len(editFragments))]
	}
	return parser.Edit{Start: start, End: end, Text: []byte(text)}
}

// checkEditScript applies n random edits to src, reparsing after each as
// the server does, and checks that the incremental check of each version
// finds exactly what a full check finds: the same findings, places, fixes
// and related places, in the same order. It returns how many members the
// incremental checks reused.
func checkEditScript(t *testing.T, name string, src []byte, seed int64, n int) int {
	t.Helper()
	rng := rand.New(rand.NewSource(seed))
	// A third of the edits undo the edit before, as a user does, so that
	// the document keeps coming back to one that parses and checks.
	var undo *parser.Edit
	return checkEdits(t, name, src, n, func(src []byte) parser.Edit {
		if undo != nil && rng.Intn(3) == 0 {
			e := *undo
			undo = nil
			return e
		}
		e := randomEdit(rng, src)
		undo = &parser.Edit{Start: e.Start, End: e.Start + len(e.Text), Text: slices.Clone(src[e.Start:e.End])}
		return e
	})
}

// checkEdits is checkEditScript with the edits that next returns.
func checkEdits(t *testing.T, name string, src []byte, n int, next func(src []byte) parser.Edit) int {
	t.Helper()
	p := &project.Project{Root: "/t", Name: "T", Main: "/t/" + name, Listed: true}
	return checkProjectEdits(t, name, p, nil, src, n, next)
}

// checkProjectEdits is checkEdits on the main document of project p, whose
// other files others holds parsed.
func checkProjectEdits(t *testing.T, name string, p *project.Project, others parsedFiles, src []byte, n int, next func(src []byte) parser.Edit) int {
	t.Helper()
	with := func(main *ast.File) parsedFiles {
		files := parsedFiles{p.Main: main}
		for path, f := range others {
			files[path] = f
		}
		return files
	}
	// With the defaults, and in review mode, where the review rules run.
	review := config.Default()
	review.Settings.ReviewMode = true
	cfgs := []*config.Config{config.Default(), review}
	all := rules.All()
	file := parser.Parse(p.Main, src)
	states := make([]*analysis.Incremental, len(cfgs))
	reused := 0
	for i := 0; i <= n; i++ {
		if i > 0 {
			file = parser.Reparse(file, next(file.Src))
		}
		prog, loaded := analysis.Load(p, with(file))
		// The full check reads a tree parsed from scratch: a rule that
		// compares positions of different members (each its own chunk,
		// renumbered by Reparse) shows here.
		fprog, floaded := analysis.Load(p, with(parser.Parse(p.Main, file.Src)))
		for c, cfg := range cfgs {
			got, after, _ := analysis.CheckIncremental(context.Background(), states[c], prog, loaded, cfg, all)
			reused += after.Reused()
			states[c] = after
			want := analysis.Check(fprog, floaded, cfg, all)
			if plain := analysis.Check(prog, loaded, cfg, all); !reflect.DeepEqual(normal(plain), normal(want)) {
				t.Fatalf("%s, edit %d, review mode %v: check of the reparsed tree differs from a check of the parsed one\n%s\nsource:\n%s",
					name, i, cfg.Settings.ReviewMode, diffFindings(plain, want), file.Src)
			}
			if !reflect.DeepEqual(normal(got), normal(want)) {
				t.Fatalf("%s, edit %d, review mode %v: incremental check differs from a full check\n%s\nsource:\n%s",
					name, i, cfg.Settings.ReviewMode, diffFindings(got, want), file.Src)
			}
		}
	}
	return reused
}

// normal makes empty and nil slices alike, which DeepEqual tells apart.
func normal(diags []analysis.Diagnostic) []analysis.Diagnostic {
	out := make([]analysis.Diagnostic, len(diags))
	for i, d := range diags {
		if len(d.Fixes) == 0 {
			d.Fixes = nil
		}
		if len(d.Related) == 0 {
			d.Related = nil
		}
		for j := range d.Fixes {
			if len(d.Fixes[j].Edits) == 0 {
				d.Fixes[j].Edits = nil
			}
		}
		out[i] = d
	}
	return out
}

func diffFindings(got, want []analysis.Diagnostic) string {
	var b strings.Builder
	str := func(d analysis.Diagnostic) string {
		return fmt.Sprintf("%s %d-%d %s fixes=%v related=%v", d.Code, d.Start, d.End, d.Message, d.Fixes, d.Related)
	}
	for i := 0; i < max(len(got), len(want)); i++ {
		var g, w string
		if i < len(got) {
			g = str(got[i])
		}
		if i < len(want) {
			w = str(want[i])
		}
		if g != w {
			fmt.Fprintf(&b, "#%d\n incremental: %s\n        full: %s\n", i, g, w)
		}
	}
	return b.String()
}

// incrementalSources are the documents the edit scripts start from: the
// section documents of the rule fixtures and of the all-rules corpus, and a
// generated connector.
func incrementalSources(t testing.TB) map[string][]byte {
	out := map[string][]byte{"generated.pq": testconnector.Section(16 << 10)}
	paths, err := filepath.Glob("rules/*/testdata/*/*.pq")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("rules/testdata/corpus/*/*.pq")
	for _, path := range append(paths, more...) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if parser.Parse(path, src).Section != nil {
			// Members that hold nothing to report make the members an
			// edit touches a small share, as in a real connector, so that
			// the checks reuse the others rather than start again.
			out[path] = append(slices.Clip(src), fillers(24)...)
		}
	}
	return out
}

// fillers returns n members that hold nothing to report.
func fillers(n int) []byte {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "\nFiller%d = [Index = %d];\n", i, i)
	}
	return []byte(b.String())
}

func TestIncrementalMatchesFullCheck(t *testing.T) {
	sources := incrementalSources(t)
	if len(sources) < 50 {
		t.Fatalf("found %d section documents to edit, want the rule fixtures", len(sources))
	}
	// PQLS_INCREMENTAL_EDITS=n runs longer scripts, with other seeds.
	edits, salt := 12, int64(0)
	if n, err := strconv.Atoi(os.Getenv("PQLS_INCREMENTAL_EDITS")); err == nil && n > 0 {
		edits, salt = n, int64(n)
	}
	reused := 0
	for name, src := range sources {
		seed := int64(len(src)) + salt
		reused += checkEditScript(t, fmt.Sprintf("%s (seed %d)", filepath.Base(name), seed), src, seed, edits)
	}
	t.Logf("%d documents, %d edits each; %d members reused in all", len(sources), edits, reused)
	if reused == 0 {
		t.Error("no incremental check reused a member: the test does not exercise reuse")
	}
}

// FuzzIncremental runs random edit scripts over a document; the seeds run
// in go test.
func FuzzIncremental(f *testing.F) {
	f.Add([]byte(testconnector.Section(4<<10)), int64(1), uint8(20))
	for _, path := range []string{
		"rules/security/testdata/PQC030/helper_options.pq",
		"rules/auth/testdata/PQC064/headers.pq",
	} {
		if src, err := os.ReadFile(path); err == nil {
			f.Add(src, int64(2), uint8(20))
		}
	}
	f.Fuzz(func(t *testing.T, src []byte, seed int64, n uint8) {
		if len(src) > 64<<10 {
			return
		}
		checkEditScript(t, "fuzz.pq", append(slices.Clip(src), fillers(24)...), seed, int(n%24))
	})
}

// TestIncrementalSharedState starts several checks from one state at once,
// as a server may when a project's checks overlap: a state is read, never
// changed, by the checks that start from it (run with -race).
func TestIncrementalSharedState(t *testing.T) {
	src := testconnector.Section(32 << 10)
	p := &project.Project{Root: "/t", Name: "T", Main: "/t/T.pq", Listed: true}
	cfg := config.Default()
	all := rules.All()
	base := parser.Parse(p.Main, src)
	prog, loaded := analysis.Load(p, parsedFiles{p.Main: base})
	_, state, _ := analysis.CheckIncremental(context.Background(), nil, prog, loaded, cfg, all)
	anchor := []byte(`Web.Contents(url`)
	var wg sync.WaitGroup
	for i := range 4 {
		// Each goroutine puts a credential into the URL of a different
		// member, which the per-member rules report.
		at := bytes.Index(src[len(src)*(i+1)/6:], anchor) + len(src)*(i+1)/6 + len(anchor)
		file := parser.Reparse(base, parser.Edit{Start: at, End: at, Text: []byte(` & Extension.CurrentCredential()[Key]`)})
		wg.Add(1)
		go func() {
			defer wg.Done()
			prog, loaded := analysis.Load(p, parsedFiles{p.Main: file})
			got, next, _ := analysis.CheckIncremental(context.Background(), state, prog, loaded, cfg, all)
			fprog, floaded := analysis.Load(p, parsedFiles{p.Main: parser.Parse(p.Main, file.Src)})
			want := analysis.Check(fprog, floaded, cfg, all)
			if !reflect.DeepEqual(normal(got), normal(want)) {
				t.Errorf("edit %d: incremental check differs from a full check\n%s", i, diffFindings(got, want))
			}
			if !slices.ContainsFunc(got, func(d analysis.Diagnostic) bool { return d.Code == "PQC030" && d.Start <= at && at <= d.End }) {
				t.Errorf("edit %d: no PQC030 finding for the credential put into the URL", i)
			}
			if next.Reused() == 0 {
				t.Errorf("edit %d: nothing reused", i)
			}
		}()
	}
	wg.Wait()
}

// TestIncrementalFactEdits edits the members other members' findings
// depend on without referring to them: a scheme guard, which PQC031's fix
// calls, and the line endings, which fixes follow.
func TestIncrementalFactEdits(t *testing.T) {
	src := []byte(`section Tailspin;

[DataSource.Kind = "Tailspin"]
shared Tailspin.Contents = (endpoint as text) => Fetch(endpoint);

Fetch = (u as text) => Web.Contents(u & "/items");

Guard = (a as text) as text =>
    if not Text.StartsWith(a, "https://") then error "Only HTTPS." else a;

Other = 1;

Tailspin = [Authentication = [OAuth = [StartLogin = (a, b, c, d) => null, FinishLogin = (a, b, c) => null]]];

` + string(fillers(12)))
	steps := []struct{ find, replace string }{
		{"Other = 1", "Other = 12"},                 // reused: nothing the findings read
		{`error "Only HTTPS."`, `"Only HTTPS."`},    // Guard is no longer a guard
		{"Other = 12", "Other = 123"},               // reused again
		{`then "Only HTTPS."`, `then error "Only"`}, // a guard again
		{"Other = 123;\n", "Other = 123;\r\n"},      // the first CRLF
		{"Other = 123", "Other = 1234"},
	}
	reused := checkEdits(t, "facts.pq", src, len(steps), findReplace(t, steps))
	if reused == 0 {
		t.Error("no member reused")
	}
}

// TestIncrementalSharedHeaders edits the requests that share headers held
// in a member, and the member itself: PQC064 reports the key once, where it
// is written, with a fix that reaches every request that sends it, so an
// edit to one request changes the finding in the headers' member and the
// fix in the other request's.
func TestIncrementalSharedHeaders(t *testing.T) {
	src := []byte(`section Fabrikam;

Headers = [#"X-Api-Key" = Extension.CurrentCredential()[Key], Accept = "application/json"];

Orders = () => Web.Contents("https://api.fabrikam.example/orders", [Headers = Headers]);

Items = () => Web.Contents("https://api.fabrikam.example/items", [Headers = Headers, Timeout = #duration(0, 0, 1, 0)]);

[DataSource.Kind = "Fabrikam"]
shared Fabrikam.Contents = () => {Orders(), Items()};

Fabrikam = [Authentication = [Key = []]];

` + string(fillers(12)))
	steps := []struct{ find, replace string }{
		{"/orders\"", "/order\""},                                                // one request edited: the finding still names both
		{"[Headers = Headers, Timeout", "[Headers = [], Timeout"},                // Items no longer sends the key
		{"[Headers = [], Timeout", "[Headers = Headers, Timeout"},                // and again
		{"[Headers = Headers]", "[Headers = Headers, ManualCredentials = true]"}, // Orders sets the option
		{"Accept = \"application/json\"", "Accept = \"text/csv\""},               // the headers' member
		{", ManualCredentials = true]", "]"},
	}
	p := &project.Project{Root: "/t", Name: "T", Main: "/t/shared_headers.pq", Listed: true}
	prog, loaded := analysis.Load(p, parsedFiles{p.Main: parser.Parse(p.Main, src)})
	if !slices.ContainsFunc(analysis.Check(prog, loaded, config.Default(), rules.All()), func(d analysis.Diagnostic) bool {
		return d.Code == "PQC064" && strings.Contains(d.Message, "2 requests")
	}) {
		t.Fatal("no PQC064 finding for the key both requests send: the test does not test what it says")
	}
	reused := checkEdits(t, "shared_headers.pq", src, len(steps), findReplace(t, steps))
	if reused == 0 {
		t.Error("no member reused")
	}
}

// findReplace returns the edits that replace, in turn, the first
// occurrence of each step's find with its replace.
func findReplace(t *testing.T, steps []struct{ find, replace string }) func([]byte) parser.Edit {
	i := 0
	return func(src []byte) parser.Edit {
		st := steps[i]
		i++
		at := bytes.Index(src, []byte(st.find))
		if at < 0 {
			t.Fatalf("step %d: %q not found", i, st.find)
		}
		return parser.Edit{Start: at, End: at + len(st.find), Text: []byte(st.replace)}
	}
}

// TestIncrementalProjects runs edit scripts over the main documents of the
// all-rules corpus read as projects: with their modules and test queries,
// whose references to the main document's members the plan must mind.
func TestIncrementalProjects(t *testing.T) {
	dirs, err := filepath.Glob("rules/testdata/corpus/*")
	if err != nil {
		t.Fatal(err)
	}
	withOthers, reused := 0, 0
	for _, dir := range dirs {
		projects, err := project.Discover(project.OS(), dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range projects {
			if p.Main == "" {
				continue
			}
			others := parsedFiles{}
			for _, path := range p.Documents() {
				src, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if path != p.Main {
					others[path] = parser.Parse(path, src)
				}
			}
			if len(others) > 0 {
				withOthers++
			}
			src, err := os.ReadFile(p.Main)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewSource(int64(len(src))))
			reused += checkProjectEdits(t, p.Main, p, others, src, 16, func(src []byte) parser.Edit { return randomEdit(rng, src) })
		}
	}
	t.Logf("%d projects with modules or test queries; %d members reused in all", withOthers, reused)
	if withOthers == 0 {
		t.Error("no corpus project has modules or test queries")
	}
	if reused == 0 {
		t.Error("no incremental check reused a member")
	}
}
