package parser

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/pqls/pqls/grammar/ast"
)

// genConnector returns a section document of at least size bytes that looks
// like a large real connector: members with let expressions, records,
// Web.Contents calls, function types with documentation metadata, tables,
// each, try/otherwise, and comments.
func genConnector(size int) []byte {
	var b bytes.Buffer
	b.WriteString("// Generated connector for tests and benchmarks.\n[Version = \"2.1.0\"]\nsection Generated;\n\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, `// Member %[1]d: fetch one page of entity %[1]d.
[DataSource.Kind = "Generated", Publish = "Generated.Publish"]
shared Generated.Entity%[1]d = Value.ReplaceType(Entity%[1]dImpl, Entity%[1]dType);

Entity%[1]dType = type function (
    url as (type text meta [Documentation.FieldCaption = "URL", Documentation.SampleValues = {"https://example.com/%[1]d"}]),
    optional options as (type nullable [optional Top = number, optional Filter = text, ...])
) as table meta [Documentation.Name = "Entity %[1]d", Documentation.LongDescription = "Reads entity %[1]d."];

/* The implementation: paging, headers and a typed table. */
Entity%[1]dImpl = (url as text, optional options as nullable record) as table =>
    let
        top = if options <> null and Record.HasFields(options, "Top") then options[Top] else 100,
        headers = [#"Content-Type" = "application/json", Accept = "application/json", #"X-Request-Id" = Text.NewGuid()],
        response = Web.Contents(url, [RelativePath = "entity%[1]d", Headers = headers, Query = [#"$top" = Text.From(top)], ManualStatusHandling = {400, 404, 429}]),
        status = Value.Metadata(response)[Response.Status]? ?? 200,
        json = try Json.Document(response) otherwise [value = {}],
        rows = List.Transform(json[value], each [Id = _[id], Name = _[name]?, Amount = Number.From(_[amount]? ?? 0) * 1.5e0]),
        table = Table.FromRecords(rows, type table [Id = number, Name = nullable text, Amount = number]),
        filtered = Table.SelectRows(table, each [Amount] >= 0 and not ([Name] = null)),
        result = if status = 200 then filtered else error Error.Record("Generated.Error", "HTTP " & Text.From(status), [Status = status, Entity = %[1]d])
    in
        result;

`, i)
	}
	return b.Bytes()
}

// TestLargeModule parses a generated module of about 1 MB: no errors, the
// tree covers the file, and an edit in the middle reparses to the same tree
// as a full parse.
func TestLargeModule(t *testing.T) {
	src := genConnector(1 << 20)
	f := Parse("large.pq", src)
	if len(f.Errors) != 0 {
		t.Fatalf("%d errors, first: %s", len(f.Errors), errorList(f)[0])
	}
	if f.Section == nil || len(f.Section.Members) < 1000 {
		t.Fatalf("want a section with many members, got %v", f.Section != nil)
	}
	if s, e := f.Span(f.Section); s != bytes.IndexByte(src, '[') || e != len(bytes.TrimRight(src, "\n")) {
		t.Errorf("section spans [%d,%d) of %d bytes", s, e, len(src))
	}
	mid := bytes.Index(src[len(src)/2:], []byte("top = if")) + len(src)/2
	checkReparse(t, f, Edit{Start: mid, End: mid, Text: []byte("x")})
	checkReparse(t, f, Edit{Start: mid, End: mid, Text: []byte("(")})
	checkReparse(t, f, Edit{Start: mid, End: mid, Text: []byte("\"")})
	checkReparse(t, f, Edit{Start: mid, End: mid, Text: []byte("/*")})
	checkReparse(t, f, Edit{Start: mid, End: mid, Text: []byte(";")})
}

// TestDeepNesting checks that nesting past the bound ends in one error, not
// a stack overflow, for every bracket and prefix form.
func TestDeepNesting(t *testing.T) {
	const n = 100000
	for _, open := range []string{"(", "{", "[a=", "-", "not ", "each ", "if x then ", "try ", "let a = ", "f(", "x{", "error ", "type {", "type [a=", "type nullable ", "type function (x as {"} {
		prefix, rep, _ := strings.Cut(open, " ")
		if rep == "" {
			prefix, rep = "", open
		} else if prefix != "type" {
			prefix, rep = "", open
		} else {
			prefix += " "
		}
		src := append([]byte(prefix), bytes.Repeat([]byte(rep), n)...)
		f := Parse("deep.pq", src)
		found := false
		for _, e := range errorList(f) {
			if bytes.Contains([]byte(e), []byte("nested too deeply")) {
				found = true
			}
		}
		if !found {
			t.Errorf("%q × %d: no nesting error in %q", open, n, errorList(f))
		}
		checkFile(t, f)
	}
	// Nesting under the bound is fine.
	src := bytes.Repeat([]byte("("), 500)
	src = append(src, '1')
	src = append(src, bytes.Repeat([]byte(")"), 500)...)
	if f := Parse("ok.pq", src); len(f.Errors) != 0 {
		t.Errorf("500 parentheses: %v", errorList(f))
	}
}

// BenchmarkParse1MB measures a full parse of the generated 1 MB connector.
// Besides what a parse allocates, it reports tree-B/op: the heap the
// finished tree keeps alive (the source text not counted), which is what a
// language server holds per open file and what load does not skew.
func BenchmarkParse1MB(b *testing.B) {
	src := genConnector(1 << 20)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		Parse("large.pq", src)
	}
	b.ReportMetric(float64(treeBytes(src)), "tree-B/op")
}

// treeBytes returns the heap held by the parse of src, less src itself.
func treeBytes(src []byte) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f := Parse("large.pq", src)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(f)
	return after.HeapAlloc - before.HeapAlloc
}

// BenchmarkReparseKeystroke measures Reparse of a one-character insertion
// inside one member in the middle of the 1 MB module, as typing does.
func BenchmarkReparseKeystroke(b *testing.B) {
	src := genConnector(1 << 20)
	f := Parse("large.pq", src)
	mid := bytes.Index(src[len(src)/2:], []byte("top = if")) + len(src)/2
	e := Edit{Start: mid, End: mid, Text: []byte("x")}
	b.ReportAllocs()
	for b.Loop() {
		Reparse(f, e)
	}
}

// BenchmarkReparseTyping measures a run of keystrokes, each applied to the
// result of the one before, so chunk tables grow as they do in an editor.
func BenchmarkReparseTyping(b *testing.B) {
	src := genConnector(1 << 20)
	f := Parse("large.pq", src)
	mid := bytes.Index(src[len(src)/2:], []byte("top = if")) + len(src)/2
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		f = Reparse(f, Edit{Start: mid + i, End: mid + i, Text: []byte("x")})
		i++
	}
}

// genModule returns an expression document of at least size bytes shaped
// like a big .pqm module: a let whose bindings are helper functions, ending
// in a record that exports them.
func genModule(size int) []byte {
	var b bytes.Buffer
	b.WriteString("// Generated module.\nlet\n")
	var names []string
	for i := 0; b.Len() < size; i++ {
		name := fmt.Sprintf("Helper%d", i)
		names = append(names, name)
		fmt.Fprintf(&b, `    // Helper %[1]d
    %[2]s = (value as any, optional options as nullable record) as text =>
        let
            text = if value is text then value else Text.From(value),
            trimmed = Text.Trim(text),
            limit = options[Limit]? ?? 100
        in
            try Text.Start(trimmed, limit) otherwise trimmed,
`, i, name)
	}
	b.WriteString("    Exports = [\n")
	for i, n := range names {
		sep := ","
		if i == len(names)-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "        %s = %s%s\n", n, n, sep)
	}
	b.WriteString("    ]\nin\n    Exports\n")
	return b.Bytes()
}

// TestLargeExpressionModule parses a generated 1 MB .pqm-style module and
// checks keystrokes in its middle against full parses.
func TestLargeExpressionModule(t *testing.T) {
	src := genModule(1 << 20)
	f := Parse("large.pqm", src)
	if len(f.Errors) != 0 {
		t.Fatalf("%d errors, first: %s", len(f.Errors), errorList(f)[0])
	}
	let, ok := f.Expr.(*ast.LetExpr)
	if !ok || len(let.Bindings) < 3000 {
		t.Fatalf("want a let with many bindings, got %T", f.Expr)
	}
	mid := bytes.Index(src[len(src)/2:], []byte("trimmed = ")) + len(src)/2
	for _, text := range []string{"x", ",", "in ", "let ", "\""} {
		checkReparse(t, f, Edit{Start: mid, End: mid, Text: []byte(text)})
	}
}
