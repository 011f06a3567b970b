package format

import (
	"strings"
	"testing"
)

// layoutCases show the layout: each input formatted with four spaces and
// a line width of 40 gives want.
var layoutCases = []struct {
	name, in, want string
}{
	{"let one binding a line", "let a=1,b=a+1 in b", `
let
    a = 1,
    b = a + 1
in
    b
`},
	{"short record on one line", "[a=1,b=\"x\"]", `
[a = 1, b = "x"]
`},
	{"long record broken", `[Name="Contoso",Description="Reads orders",Version=1]`, `
[
    Name = "Contoso",
    Description = "Reads orders",
    Version = 1
]
`},
	{"long list broken, nested kept short", `{{"a",1},{"b",2},{"c",3},{"d",4},{"e",5}}`, `
{
    {"a", 1},
    {"b", 2},
    {"c", 3},
    {"d", 4},
    {"e", 5}
}
`},
	{"operators spaced", "a+b*-c&d<>e", `
a + b * -c & d <> e
`},
	{"long operator chain breaks before operators", `"https://example.com/" & path & "?" & query & "&x=" & y`, `
"https://example.com/"
    & path
    & "?"
    & query
    & "&x="
    & y
`},
	{"each body", "Table.SelectRows(t,each [a]>1)", `
Table.SelectRows(t, each [a] > 1)
`},
	{"function body let indented", "(x as number) as number=>let y=x*2 in y", `
(x as number) as number =>
    let
        y = x * 2
    in
        y
`},
	{"long each body indented", `each Text.Length([Description]) > 1000 and not [Archived]`, `
each
    Text.Length([Description]) > 1000
        and not [Archived]
`},
	{"if broken", `if Value.Is(x, type text) then Text.Upper(x) else Text.From(x)`, `
if Value.Is(x, type text) then
    Text.Upper(x)
else
    Text.From(x)
`},
	{"else if chained", `if a then 1 else if b then 2 else 3`, `
if a then 1 else if b then 2 else 3
`},
	{"section members with a blank line between", "section S;a=1;shared b=a;[DataSource.Kind=\"S\"]\nshared S.Contents=()=>b;", `
section S;

a = 1;

shared b = a;

[DataSource.Kind = "S"]
shared S.Contents = () => b;
`},
	{"comments kept in place", "let\n  // the answer\n  a = 42, // why not\n\n\n  b = a /* twice */ * 2\nin b", `
let
    // the answer
    a = 42, // why not

    b = a /* twice */ * 2
in
    b
`},
	{"comment before closing bracket", "[\na = 1\n// end\n]", `
[
    a = 1
    // end
]
`},
	{"meta record hugged", `type function (x as text) as any meta [Documentation.Name = "F"]`, `
type function (x as text) as any meta [
    Documentation.Name = "F"
]
`},
	{"types", "type [a=date,optional b=text,...]", `
type [a = date, optional b = text, ...]
`},
	{"try otherwise and catch", "try x otherwise 0", `
try x otherwise 0
`},
	{"try catch", "try f() catch (e)=>e[Message]", `
try f() catch (e) => e[Message]
`},
	{"access and ranges", "x{0}?[a]?[[b],[c]]&{1..3}", `
x{0}?[a]?[[b], [c]] & {1..3}
`},
	{"quoted and generalized names as written", `[#"Order Date"=1, Order Date=2]`, `
[#"Order Date" = 1, Order Date = 2]
`},
}

func TestLayout(t *testing.T) {
	opt := Options{IndentWidth: 4, LineWidth: 40}
	for _, tc := range layoutCases {
		t.Run(tc.name, func(t *testing.T) {
			got := string(checkFormat(t, "layout.pq", []byte(tc.in), opt))
			want := strings.TrimPrefix(tc.want, "\n")
			if got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestOptions(t *testing.T) {
	src := "let a = [x = 1, y = 2] in a"
	tests := []struct {
		name string
		opt  Options
		want string
	}{
		{"tabs", Options{Tabs: true, IndentWidth: 4, LineWidth: 80}, "let\n\ta = [x = 1, y = 2]\nin\n\ta\n"},
		{"two spaces", Options{IndentWidth: 2, LineWidth: 80}, "let\n  a = [x = 1, y = 2]\nin\n  a\n"},
		{"narrow", Options{IndentWidth: 2, LineWidth: 12}, "let\n  a = [\n    x = 1,\n    y = 2\n  ]\nin\n  a\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(checkFormat(t, "o.pq", []byte(src), tt.opt)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLineEndingsAndBOM(t *testing.T) {
	src := "\xEF\xBB\xBFsection S;\r\n// c\r\na=\"x\r\ny\";\r\n"
	got := string(checkFormat(t, "crlf.pq", []byte(src), DefaultOptions()))
	want := "\xEF\xBB\xBFsection S;\r\n\r\n// c\r\na = \"x\r\ny\";\r\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSyntaxErrorsLeaveMembers(t *testing.T) {
	src := "section S;\n\na=1+  2;\n\nb = (  ;\n\nc=[x=1];\n"
	got := string(checkFormat(t, "err.pq", []byte(src), DefaultOptions()))
	want := "section S;\n\na = 1 + 2;\n\nb = (  ;\n\nc = [x = 1];\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// A top-level let: the broken binding stays, the others are formatted.
	src = "let\n  a=1,\n  b=1 +,\n  c=a+1\nin\n  c"
	got = string(checkFormat(t, "err.pq", []byte(src), DefaultOptions()))
	want = "let\n  a = 1,\n  b=1 +,\n  c = a + 1\nin\n  c"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRange(t *testing.T) {
	src := "section S;\na=1+  2;\nb=3+  4;\nc=5+  6;\n"
	start := strings.Index(src, "b=")
	got, err := Range("r.pq", []byte(src), start, start+3, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if want := "section S;\na=1+  2;\nb = 3 + 4;\nc=5+  6;\n"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
