package analysis_test

import (
	"bytes"
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
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) { checkRuleEdits(t, tc.code, tc.src, tc.steps) })
	}
}
