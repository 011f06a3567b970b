package analysis_test

import (
	"bytes"
	"maps"
	"slices"
	"strconv"
	"testing"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules"
	"github.com/pqls/pqls/config"
	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/project"
)

// ruleStep is one edit of a rule's edit script: the first occurrence of
// find is replaced.
type ruleStep struct{ find, replace string }

// apply returns the edit of src that step st makes.
func (st ruleStep) apply(t *testing.T, i int, src []byte) parser.Edit {
	t.Helper()
	at := bytes.Index(src, []byte(st.find))
	if at < 0 {
		t.Fatalf("step %d: %q not found in\n%s", i, st.find, src)
	}
	return parser.Edit{Start: at, End: at + len(st.find), Text: []byte(st.replace)}
}

// checkRuleEdits runs an edit script over src (with filler members, so
// that the incremental checks reuse members) and checks that every
// incremental check finds what a full check finds. It also checks that the
// script does what it is for: the findings of rule code change along the
// way — appear, go, move — in the full checks, and members are reused.
func checkRuleEdits(t *testing.T, code string, src string, steps []ruleStep) {
	t.Helper()
	doc := append([]byte(src), fillers(12)...)
	p := &project.Project{Root: "/t", Name: "T", Main: "/t/" + code + ".pq", Listed: true}
	review := config.Default()
	review.Settings.ReviewMode = true
	// The findings of the rule in each version, from full checks, as
	// "start-end message" lines.
	var versions, places []string
	cur := doc
	for i := 0; i <= len(steps); i++ {
		if i > 0 {
			e := steps[i-1].apply(t, i, cur)
			cur = append(append(append([]byte{}, cur[:e.Start]...), e.Text...), cur[e.End:]...)
		}
		prog, loaded := analysis.Load(p, parsedFiles{p.Main: parser.Parse(p.Main, cur)})
		var b, at bytes.Buffer
		for _, d := range analysis.Check(prog, loaded, review, rules.All()) {
			if d.Code == code {
				b.WriteString(string(cur[d.Start:d.End]) + " @" + strconv.Itoa(d.Start) + ": " + d.Message + "\n")
				at.WriteString(" " + strconv.Itoa(d.Start))
			}
		}
		versions = append(versions, b.String())
		places = append(places, "["+at.String()+" ]")
	}
	t.Logf("%s findings, version by version, at %v", code, places)
	if versions[0] == "" {
		t.Fatalf("%s: the document has no finding to start from: the script does not test what it says", code)
	}
	changes := 0
	for i := 1; i < len(versions); i++ {
		if versions[i] != versions[i-1] {
			changes++
		}
	}
	if changes < 2 {
		t.Fatalf("%s: the edits change the rule's findings %d times, want at least 2:\n%q", code, changes, versions)
	}
	i := 0
	reused := checkProjectEdits(t, code+".pq", p, nil, doc, len(steps), func(src []byte) parser.Edit {
		e := steps[i].apply(t, i+1, src)
		i++
		return e
	})
	if reused == 0 {
		t.Errorf("%s: no member reused", code)
	}
}

// TestIncrementalRuleEdits runs, for each rule checked member by member
// since the whole-document rules were made per-member, an edit script that
// adds, removes and moves the rule's findings through edits of the member
// that holds them, of the members connected to it, and of members that are
// not.
func TestIncrementalRuleEdits(t *testing.T) {
	tests := []struct {
		code  string
		src   string
		steps []ruleStep
	}{
		{
			code: "PQC039",
			src: `section Tracer;

Orders = () =>
    let
        source = Json.Document(Web.Contents("https://api.example.com/orders")),
        traced = Diagnostics.LogValue("Response", source)
    in
        traced;

Items = () => Diagnostics.LogValue("Items", Source);

Source = Json.Document(Web.Contents("https://api.example.com/items"));

Flag = true;

Rows = (t) => Table.TransformRows(t, each if Flag then Diagnostics.LogValue("row", _) else _);

Other = 1;
`,
			steps: []ruleStep{
				{"Other = 1", "Other = 12"}, // an unconnected member
				{`source = Json.Document(Web.Contents("https://api.example.com/orders"))`, `source = 1`}, // the finding goes
				{`source = 1`, `source = Table.Buffer(#table({}, {}))`},                                  // and comes back, as a table
				{`Source = Json.Document(Web.Contents("https://api.example.com/items"))`, `Source = 2`},  // a member Items refers to
				{`Source = 2`, `Source = Binary.Buffer(Web.Contents("https://api.example.com/items"))`},
				{"Other = 12", `Other = Diagnostics.ValueToText(Web.Contents("https://x.example.com"))`}, // a finding in an unconnected member
				{"Flag = true", "Flag = false"},                          // the row logging becomes dead code
				{"Other = Diagnostics.ValueToText", "Other = Text.From"}, // the finding goes
				{"Flag = false", "Flag = true"},
			},
		},
		{
			code: "PQC065",
			src: `section Poller;

Poll = (url as text) =>
    Value.WaitFor(
        (iteration) =>
            let
                result = Web.Contents(url, [ManualStatusHandling = {500, 503}]),
                actualResult = if Value.Metadata(result)[Response.Status] = 500 then null else result
            in
                actualResult,
        (iteration) => #duration(0, 0, 0, 1),
        5);

PollMember = (url as text) => Value.WaitFor(Producer, (i) => #duration(0, 0, 0, 1), 3);

Producer = (attempt) => let r = Web.Contents("https://api.example.com/status", Options) in if r = null then null else r;

Options = [ManualStatusHandling = {500}];

Other = 1;
`,
			steps: []ruleStep{
				{"Other = 1", "Other = 12"},                             // an unconnected member
				{"{500, 503}]", "{500, 503}, IsRetry = iteration > 0]"}, // the finding in Poll goes
				{"Options = [ManualStatusHandling = {500}]", "Options = [ManualStatusHandling = {500}, IsRetry = true]"}, // a member the producer names
				{", IsRetry = true]", "]"},            // and back
				{"if r = null then null else r", "r"}, // the producer never returns null
				{"Other = 12", "Other = Value.WaitFor((i) => let r = Web.Contents(\"https://x.example.com\") in if r = null then null else r, (i) => #duration(0, 0, 0, 1), 3)"},
				{"PollMember = (url as text) => Value.WaitFor(Producer", "PollMember = (url as text) => Value.Wait(Producer"},
				{"in\n                actualResult", "in\n                if true then null else actualResult"},
			},
		},
		{
			code: "PQC059",
			src: `section Cobalt;

Shares = (endpoint as text) as table =>
    let
        shares = #table({"name"}, {{"a"}, {"b"}}),
        withData = Table.AddColumn(shares, "Data", each Schemas(endpoint, [name]), type table),
        withKind = Table.AddColumn(withData, "ItemKind", each "DataBase", type text),
        withItemName = Table.AddColumn(withKind, "ItemName", each "Database", type text),
        withLeaf = Table.AddColumn(withItemName, "IsLeaf", each false, type logical)
    in
        NavTable(withLeaf);

Schemas = (endpoint as text, share as text) as table =>
    let
        schemas = #table({"name"}, {{"s"}}),
        withData = Table.AddColumn(schemas, "Data", each 1, type table),
        withKind = Table.AddColumn(withData, "ItemKind", each "Folder", type text),
        withItemName = Table.AddColumn(withKind, "ItemName", each "Folder", type text),
        withLeaf = Table.AddColumn(withItemName, "IsLeaf", each false, type logical)
    in
        NavTable(withLeaf);

NavTable = (source as table) as table =>
    let
        renamed = Table.RenameColumns(source, {{"name", "Name"}}),
        navTable = Table.ToNavigationTable(renamed, {"Name"}, "Name", "Data", "ItemKind", "ItemName", "IsLeaf")
    in
        navTable;

Rows = #table({"Name", "Key", "Data", "ItemKind", "ItemName", "IsLeaf"}, {{"Orders", "Orders", 1, "Tables", "Table", true}});

Other = 1;
`,
			steps: []ruleStep{
				{"Other = 1", "Other = 12"},                             // an unconnected member
				{`each "Folder", type text`, `each "Foldr", type text`}, // a finding in a caller of the helper
				{`each "DataBase"`, `each "Database"`},                  // one goes
				{"Other = 12", `Other = Table.ToNavigationTable(Rows, {"Key"}, "Name", "Data", "ItemKind", "ItemName", "IsLeaf")`}, // a table in another member
				{`"Tables", "Table", true`, `"Table", "Table", true`},
				{`"Table", "Table", true`, `"Cubes", "Table", true`},
				{`"ItemKind", "ItemName", "IsLeaf")
    in`, `"Kind", "ItemName", "IsLeaf")
    in`}, // the helper reads another column
				{`"Kind", "ItemName", "IsLeaf")
    in`, `"ItemKind", "ItemName", "IsLeaf")
    in`},
			},
		},
		{
			code: "PQC069",
			src: `section Eager;

Nav = () =>
    let
        rows = Table.FromRecords({
            [Name = "Orders", Data = GetEntity("orders"), ItemKind = "Table", ItemName = "Table", IsLeaf = true],
            [Name = "Items", Data = Items, ItemKind = "Table", ItemName = "Table", IsLeaf = true]
        })
    in
        Table.ToNavigationTable(rows, {"Name"}, "Name", "Data", "ItemKind", "ItemName", "IsLeaf");

GetEntity = (name as text) => Json.Document(Web.Contents("https://api.example.com/" & name));

Items = Table.FromRows({{1}});

Other = 1;
`,
			steps: []ruleStep{
				{"Other = 1", "Other = 12"}, // an unconnected member
				{`Json.Document(Web.Contents("https://api.example.com/" & name))`, `#table({}, {})`},                     // the called function no longer fetches
				{"Items = Table.FromRows({{1}})", `Items = Csv.Document(Web.Contents("https://api.example.com/items"))`}, // a member the row names does
				{`GetEntity = (name as text) => #table({}, {})`, `GetEntity = (name as text) => OData.Feed("https://api.example.com/" & name)`},
				{"Other = 12", `Other = Table.ToNavigationTable(Table.FromRecords({[Name = "x", Data = GetEntity("x")]}), {"Name"}, "Name", "Data", "ItemKind", "ItemName", "IsLeaf")`},
				{`"Name", "Data", "ItemKind", "ItemName", "IsLeaf");

GetEntity`, `"Name", "Content", "ItemKind", "ItemName", "IsLeaf");

GetEntity`},
			},
		},
		{
			code: "PQC036",
			src: `section Tracer;

Fetch = () =>
    let
        key = Extension.CurrentCredential()[Key],
        logged = Diagnostics.LogValue("Key", key)
    in
        logged;

Log = (msg, value) => Diagnostics.Trace(TraceLevel.Information, msg, value);

UseLog = () => Log("token " & Extension.CurrentCredential()[Key], 1);

Secret = Extension.CurrentCredential()[Password];

UseSecret = () => Diagnostics.Trace(TraceLevel.Information, "secret " & Secret, 1);

Other = 1;
`,
			steps: []ruleStep{
				{"Other = 1", "Other = 12"},                                                  // an unconnected member
				{`logged = Diagnostics.LogValue("Key", key)`, `logged = key`},                // the finding goes
				{`logged = key`, `logged = Diagnostics.LogValue("Key", key)`},                // and comes back
				{`Log("token " & Extension.CurrentCredential()[Key], 1)`, `Log("token", 1)`}, // the helper's call no longer passes it
				{"Other = 12", `Other = Diagnostics.LogValue("user", Extension.CurrentCredential()[Username])`},
				{`Log("token", 1)`, `Log("token " & Extension.CurrentCredential()[Password], 1)`},
				{`Log = (msg, value) => Diagnostics.Trace(TraceLevel.Information, msg, value)`, `Log = (msg, value) => value`}, // the helper no longer traces
				{`Secret = Extension.CurrentCredential()[Password]`, `Secret = "x"`},                                           // a member the traced text names
				{`Secret = "x"`, `Secret = Extension.CurrentCredential()[Key]`},
			},
		},
		{
			code: "PQC062",
			src: `section Legacy;

Helpers = Extension.Module("Helpers");

Other = let m = Extension.Module in m("Other");

Uses = () => Helpers[Get];

Record = [Extension.Module = 1];

Plain = 1;
`,
			steps: []ruleStep{
				{"Plain = 1", "Plain = 12"}, // an unconnected member
				{`Extension.Module("Helpers")`, `Expression.Evaluate(Text.FromBinary(Extension.Contents("Helpers.pqm")), #shared)`}, // the finding goes
				{"Plain = 12", `Plain = Extension.Module("Plain")`},                                                                 // one in another member
				{"let m = Extension.Module in", "let Extension.Module = 2, m = Extension.Module in"},                                // shadowed by a binding
				{"Uses = () => Helpers[Get]", `Uses = () => Extension.Module("Uses")`},                                              // a member that refers to another
				{"let Extension.Module = 2, m = Extension.Module in", "let m = Extension.Module in"},
			},
		},
		{
			code: "PQC022",
			src: `section Iconic;

Iconic.Icons = [
    Icon16 = { Extension.Contents("Iconic16.png"), Extension.Contents("Iconic20.png") },
    Icon32 = Icons32
];

Icons32 = { Extension.Contents("Iconic32.png"), Extension.Contents("Iconic40.png"), Extension.Contents("Iconic48.png"), Extension.Contents("Iconic64.png") };

Other = 1;
`,
			steps: []ruleStep{
				{"Other = 1", "Other = 12"}, // an unconnected member
				{`Extension.Contents("Iconic20.png") }`, `Extension.Contents("Iconic20.png"), Extension.Contents("Iconic24.png"), Extension.Contents("Iconic32.png") }`}, // the finding goes
				{`Extension.Contents("Iconic48.png")`, `Extension.Contents("Iconic40.png")`},                                                                             // one in a member the record names
				{"Other = 12", `Other = [Icon16 = { Extension.Contents("Other16.png") }]`},                                                                               // and in an unconnected member
				{`Icon32 = Icons32`, `Icon32 = { Extension.Contents("Iconic32.png") }`},                                                                                  // the record no longer names the list
				{`Other = [Icon16`, `Other = [Icon32`},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) { checkRuleEdits(t, tc.code, tc.src, tc.steps) })
	}
}

// loaderMember is the loader connectors copy from the SDK samples: a
// member named Extension.LoadFunction that evaluates a module of the
// project, which the model follows into the module.
const loaderMember = `Extension.LoadFunction = (name as text) =>
    let
        binary = Extension.Contents(name),
        asText = Text.FromBinary(binary)
    in
        Expression.Evaluate(asText, #shared);
`

// checkModuleEdits runs an edit script over the main document main of a
// project with one module (with filler members, so that the incremental
// checks reuse members), after checking that a full check reports each of
// codes in the module: findings that calls or records of the main document
// place there, which an incremental check must find though it runs the
// rules over only the members an edit may have changed.
func checkModuleEdits(t *testing.T, main, modName, module string, codes []string, steps []ruleStep) {
	t.Helper()
	main += string(fillers(12))
	p := &project.Project{Root: "/t", Name: "T", Main: "/t/Modular.pq", Modules: []string{"/t/" + modName}, Listed: true}
	others := parsedFiles{"/t/" + modName: parser.Parse("/t/"+modName, []byte(module))}
	files := parsedFiles{p.Main: parser.Parse(p.Main, []byte(main))}
	maps.Copy(files, others)
	prog, loaded := analysis.Load(p, files)
	found := analysis.Check(prog, loaded, config.Default(), rules.All())
	for _, code := range codes {
		if !slices.ContainsFunc(found, func(d analysis.Diagnostic) bool { return d.Code == code && d.Path == "/t/"+modName }) {
			t.Fatalf("no %s finding in the module: the test does not test what it says", code)
		}
	}
	i := 0
	if reused := checkProjectEdits(t, "Modular.pq", p, others, []byte(main), len(steps), func(src []byte) parser.Edit {
		e := steps[i].apply(t, i+1, src)
		i++
		return e
	}); reused == 0 {
		t.Error("no member reused")
	}
}

// TestIncrementalNavModule edits a connector whose navigation table is
// loaded from a module: PQC059 reports the module's literal, and PQC069 its
// row, from the call in the main document, which an incremental check does
// not run the rules over when another member is edited.
func TestIncrementalNavModule(t *testing.T) {
	main := `section Modular;

Nav = Table.ToNavigationTable(Extension.LoadFunction("Rows.pqm"), {"Key"}, "Name", "Data", "ItemKind", "ItemName", "IsLeaf");

` + loaderMember + `
Other = 1;
`
	module := `Table.FromRecords({
    [Name = "a", Key = "a", Data = Json.Document(Web.Contents("https://api.example.com/a")), ItemKind = "Tabel", ItemName = "Table", IsLeaf = true]
})`
	checkModuleEdits(t, main, "Rows.pqm", module, []string{"PQC059", "PQC069"}, []ruleStep{
		{"Other = 1", "Other = 12"},
		{"Other = 12", "Other = 123"},
		{`Filler3 = [Index = 3]`, `Filler3 = [Index = 4]`},
		{`"IsLeaf");`, `"IsLeaf", 1);`}, // the call's own member
		{"Other = 123", "Other = 1"},
	})
}

// TestIncrementalIconsModule edits a connector whose icon list is loaded
// from a module: PQC022 reports the module's list from the record in the
// main document, which an incremental check does not run the rule over
// when another member is edited.
func TestIncrementalIconsModule(t *testing.T) {
	main := `section Modular;

Modular.Icons = [Icon16 = Extension.LoadFunction("Icons.pqm"), Icon32 = { Extension.Contents("Modular32.png") }];

` + loaderMember + `
Other = 1;
`
	module := `{ Extension.Contents("Modular16.png"), Extension.Contents("Modular16.png") }`
	checkModuleEdits(t, main, "Icons.pqm", module, []string{"PQC022"}, []ruleStep{
		{"Other = 1", "Other = 12"},
		{"Other = 12", `Other = [Icon16 = { Extension.Contents("Other16.png") }]`},
		{`Filler3 = [Index = 3]`, `Filler3 = [Index = 4]`},
		{`Icon32 = { Extension.Contents("Modular32.png") }`, `Icon32 = {}`}, // the record's own member
		{`Other = [Icon16`, `Other = [Icon32`},
	})
}
