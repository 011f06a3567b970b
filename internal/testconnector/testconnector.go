// Package testconnector generates large, realistic connector source for
// benchmarks and stress tests: section documents and .pqm modules of a
// chosen size, built from the shapes real connectors use.
package testconnector

import (
	"fmt"
	"strings"
)

// header is the start of every generated connector.
const header = `// Generated connector for benchmarks.
[Version = "1.0.0"]
section Bench;

[DataSource.Kind = "Bench", Publish = "Bench.Publish"]
shared Bench.Contents = Value.ReplaceType(BenchImpl, BenchType);

BenchType = type function (url as (type text meta [Documentation.FieldCaption = "URL"])) as table
    meta [Documentation.Name = "Bench", Documentation.LongDescription = "Generated."];

BenchImpl = (url as text) as table => Bench.Navigation(url);

Bench = [
    TestConnection = (dataSourcePath) => { "Bench.Contents", dataSourcePath },
    Authentication = [ Key = [], Anonymous = [] ]
];

Bench.Publish = [ Beta = true, Category = "Other", ButtonText = { "Bench", "Bench connector" } ];
`

// member returns the i-th generated member: a function with a let body,
// records, lists, text with escapes, comments, optional access and types.
func member(i int) string {
	return fmt.Sprintf(`
// Member %[1]d fetches one page of results.
Bench.Page%[1]d = (url as text, optional page as nullable number) as table =>
    let
        query = [ #"page" = Text.From(page ?? %[1]d), size = "100" ],
        source = Web.Contents(url, [ RelativePath = "items/%[1]d", Query = query, Headers = [ Accept = "application/json" ] ]),
        json = Json.Document(source),
        rows = List.Transform(json[value]? ?? {}, each [ Id = _[id], Name = _[name]?, Tag = "#(tab)%[1]d" ]),
        table = Table.FromRecords(rows, type table [ Id = number, Name = nullable text, Tag = text ]),
        typed = if Table.IsEmpty(table) then #table({"Id"}, {}) else table
    in
        try typed otherwise error Error.Record("Bench.Error", "page %[1]d failed", url);
`, i)
}

// Section returns a section document of at least size bytes.
func Section(size int) []byte { return document(size, header, member) }

// document returns head followed by member(0), member(1)… up to at least
// size bytes.
func document(size int, head string, member func(int) string) []byte {
	var b strings.Builder
	b.Grow(size + 2048)
	b.WriteString(head)
	for i := 0; b.Len() < size; i++ {
		b.WriteString(member(i))
	}
	return []byte(b.String())
}

// Members returns how many generated members Section(size) holds.
func Members(size int) int {
	n, total := 0, len(header)
	for total < size {
		total += len(member(n))
		n++
	}
	return n
}

// Module returns a .pqm expression document of at least size bytes: a let
// whose bindings are functions, ending in a record of them.
func Module(size int) []byte {
	var b strings.Builder
	b.Grow(size + 1024)
	b.WriteString("let\n")
	var names []string
	for i := 0; b.Len() < size; i++ {
		name := fmt.Sprintf("Helper%d", i)
		names = append(names, name)
		fmt.Fprintf(&b, "    // helper %[1]d\n    %[2]s = (x as any, optional n as nullable number) as any =>\n        let v = if x is text then Text.Upper(x) else x, r = [ Value = v, N = n ?? %[1]d ] in r,\n", i, name)
	}
	b.WriteString("    Result = [\n")
	for i, n := range names {
		sep := ","
		if i == len(names)-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "        %s = %s%s\n", n, n, sep)
	}
	b.WriteString("    ]\nin\n    Result\n")
	return []byte(b.String())
}

// typeHeader is the start of every generated type module: a connector
// whose data-source function returns tables of the generated types.
const typeHeader = `// Generated type module for benchmarks.
[Version = "1.0.0"]
section Types;

[DataSource.Kind = "Types", Publish = "Types.Publish"]
shared Types.Contents = (url as text) as table => Types.Navigation(url);

Types = [
    TestConnection = (dataSourcePath) => { "Types.Contents", dataSourcePath },
    Authentication = [ Anonymous = [] ]
];

Types.Publish = [ Beta = true, Category = "Other", ButtonText = { "Types", "Types connector" } ];
`

// typesPerDomain is how many entity types refer to each other in a chain,
// as the types of one domain of a schema do.
const typesPerDomain = 10

// typeMember returns the i-th generated entity: a nested record type, the
// type of its child rows taken apart with Type.TableRow and
// Type.RecordFields, and a function that builds a table of it.
func typeMember(i int) string {
	children := "table [ Id = number, Note = nullable text ]"
	if i%typesPerDomain != 0 {
		children = fmt.Sprintf("table @Schema.Entity%d.Type", i-1)
	}
	return fmt.Sprintf(`
// Entity %[1]d of the schema.
Schema.Entity%[1]d.Type = type [
    Id = number,
    Name = nullable text,
    Created = datetimezone,
    Address = [ Street = text, City = text, Geo = [ Lat = number, Lon = number, Accuracy = nullable number ] ],
    Tags = { text },
    Children = %[2]s,
    Extra = nullable [ Source = text, Version = number ]
];

Schema.Entity%[1]d.ChildRow = Type.TableRow(Type.RecordFields(@Schema.Entity%[1]d.Type)[Children][Type]);

Schema.Entity%[1]d.GeoType = Type.RecordFields(Type.RecordFields(@Schema.Entity%[1]d.Type)[Address][Type])[Geo][Type];

Schema.Entity%[1]d.Table = (rows as list) as table =>
    let
        typed = Table.FromRecords(rows, Schema.Entity%[1]d.Type),
        withKey = Table.AddKey(typed, { "Id" }, true)
    in
        Value.ReplaceType(withKey, type table Schema.Entity%[1]d.Type);
`, i, children)
}

// TypeModule returns a section document of at least size bytes made of
// entity types: nested record types, table types of other entities'
// types, and Type.TableRow(Type.RecordFields(@X.Type)[f][Type]) chains.
func TypeModule(size int) []byte { return document(size, typeHeader, typeMember) }
