package parser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pqls/pqls/grammar/ast"
)

// errorList renders a file's errors as "line:col: message", 1-based, the
// column in UTF-16 code units as editors count characters.
func errorList(f *ast.File) []string {
	var out []string
	for _, e := range f.Errors {
		p := f.Lines.UTF16(f.Offset(e.From))
		out = append(out, fmt.Sprintf("%d:%d: %s", p.Line+1, p.Column+1, f.Message(e)))
	}
	return out
}

type constructCase struct {
	src  string
	want string // the tree as an s-expression (see sx)
}

// constructCases are valid documents, one or more per construct of the
// grammar; each must parse without errors into the shape given.
var constructCases = []constructCase{
	// Literals.
	{`1`, `1`},
	{`1.5e-3`, `1.5e-3`},
	{`.05`, `.05`},
	{`0xFF`, `0xFF`},
	{`"a""b"`, `"a""b"`},
	{`"#(cr,lf)#(tab)#(000D)#(0000000D)#(#)"`, `"#(cr,lf)#(tab)#(000D)#(0000000D)#(#)"`},
	{`#!"verbatim"`, `#!"verbatim"`},
	{`true`, `true`},
	{`false`, `false`},
	{`null`, `null`},
	{`#infinity`, `#infinity`},
	{`-#infinity`, `(- #infinity)`},
	{`#nan`, `#nan`},
	// Identifiers and references.
	{`x`, `x`},
	{`Table.AddColumn`, `Table.AddColumn`},
	{`#"a b"`, `#"a b"`},
	{`#"a""b"`, `#"a\"b"`},
	{`@f`, `@f`},
	{`@#"f g"`, `@#"f g"`},
	{`Section1!Member`, `Section1!Member`},
	{`TableModule!Table.AddColumns(t)`, `(call TableModule!Table.AddColumns t)`},
	{`#sections`, `#sections`},
	{`#shared`, `#shared`},
	{`#date(2024, 1, 31)`, `(call #date 2024 1 31)`},
	{`#datetime(2024,1,1,0,0,0)`, `(call #datetime 2024 1 1 0 0 0)`},
	{`#datetimezone(2024,1,1,0,0,0,1,0)`, `(call #datetimezone 2024 1 1 0 0 0 1 0)`},
	{`#time(1,2,3)`, `(call #time 1 2 3)`},
	{`#duration(1,0,0,0)`, `(call #duration 1 0 0 0)`},
	{`#binary({1,2})`, `(call #binary (list 1 2))`},
	{`#table({"a"}, {{1}})`, `(call #table (list "a") (list (list 1)))`},
	// Parentheses, not implemented.
	{`(1)`, `(paren 1)`},
	{`((x))`, `(paren (paren x))`},
	{`...`, `...`},
	// Lists and ranges.
	{`{}`, `(list)`},
	{`{1, "a", {2}}`, `(list 1 "a" (list 2))`},
	{`{1..10}`, `(list (.. 1 10))`},
	{`{1..3, 5, 7..9}`, `(list (.. 1 3) 5 (.. 7 9))`},
	{`{"a".."z"}`, `(list (.. "a" "z"))`},
	{`{x - 1..x + 1}`, `(list (.. (- x 1) (+ x 1)))`},
	// Records and generalized identifiers as field names.
	{`[]`, `(record)`},
	{`[a = 1, b = "x"]`, `(record (a 1) (b "x"))`},
	{`[Content Type = "json", #"a b" = 2]`, `(record (Content Type "json") (#"a b" 2))`},
	{`[if = 1, let = 2, type = 3]`, `(record (if 1) (let 2) (type 3))`},
	// A blank after the dot of a generalized identifier: the engine takes it.
	{`[Documentation. Name = "n", Documentation.Caption = "c"]`, `(record (Documentation. Name "n") (Documentation.Caption "c"))`},
	{`[Message.Format = "x", Message.Parameters = {}]`, `(record (Message.Format "x") (Message.Parameters (list)))`},
	{`[1 = 2]`, `(record (1 2))`},
	{`[a = [b = [c = 1]]]`, `(record (a (record (b (record (c 1))))))`},
	// Field access, projection, item access, invocation.
	{`r[a]`, `(field r a)`},
	{`r[a]?`, `(field? r a)`},
	{`r[Content Type]`, `(field r Content Type)`},
	{`r[#"a b"]`, `(field r #"a b")`},
	{`r[Timestamp.1]`, `(field r Timestamp.1)`},
	{`r[let]`, `(field r let)`},
	{`r[a][b]`, `(field (field r a) b)`},
	{`[a]`, `(field a)`},
	{`[a]?`, `(field? a)`},
	{`r[[a],[b]]`, `(project r a b)`},
	{`r[[a]]?`, `(project? r a)`},
	{`[[a],[Content Type]]`, `(project a Content Type)`},
	{`l{0}`, `(item l 0)`},
	{`l{0}?`, `(item? l 0)`},
	{`t{[Key = 1]}[Value]`, `(field (item t (record (Key 1))) Value)`},
	{`f()`, `(call f)`},
	{`f(1)(2)`, `(call (call f 1) 2)`},
	{`f(x)[a]{0}(y)`, `(call (item (field (call f x) a) 0) y)`},
	{`Web.Contents(url, [Headers = [Accept = "application/json"]])`, `(call Web.Contents url (record (Headers (record (Accept "application/json")))))`},
	// Unary operators.
	{`-1`, `(- 1)`},
	{`+x`, `(+ x)`},
	{`not x`, `(not x)`},
	{`not not x`, `(not (not x))`},
	{`- -1`, `(- (- 1))`},
	{`-1 - -2`, `(- (- 1) (- 2))`},
	// Binary operators: precedence from tightest to loosest:
	// meta > * / > + - & > relational > equality > as > is > and > or > ??.
	{`1 + 2 * 3`, `(+ 1 (* 2 3))`},
	{`1 * 2 + 3`, `(+ (* 1 2) 3)`},
	{`a / b * c`, `(* (/ a b) c)`},
	{`a - b - c`, `(- (- a b) c)`},
	{`a & b & c`, `(& (& a b) c)`},
	{`a + b & c`, `(& (+ a b) c)`},
	{`-a * b`, `(* (- a) b)`},
	{`x meta [a = 1]`, `(meta x (record (a 1)))`},
	{`1 * x meta m`, `(* 1 (meta x m))`},
	{`-x meta m`, `(meta (- x) m)`},
	{`a < b + 1`, `(< a (+ b 1))`},
	{`a <= b`, `(<= a b)`},
	{`a > b`, `(> a b)`},
	{`a >= b`, `(>= a b)`},
	{`a = b < c`, `(= a (< b c))`},
	{`a <> b`, `(<> a b)`},
	{`a = b and c <> d`, `(and (= a b) (<> c d))`},
	{`x as number`, `(as x number)`},
	{`x as nullable text`, `(as x (nullable text))`},
	{`x = y as logical`, `(as (= x y) logical)`},
	{`x is number`, `(is x number)`},
	{`x as number is number`, `(is (as x number) number)`},
	{`x is text and y is null`, `(and (is x text) (is y null))`},
	{`x is nullable type`, `(is x (nullable type))`},
	// action: a primitive type the engine knows, not in the specification.
	{`x is action`, `(is x action)`},
	{`(a as action) as action => a`, `(fn (a:action) as action a)`},
	{`type function (a as action) as nullable action`, `(type (functiontype (a:action) (nullable action)))`},
	{`a and b or c and d`, `(or (and a b) (and c d))`},
	{`a or b or c`, `(or (or a b) c)`},
	{`not a and b`, `(and (not a) b)`},
	{`a ?? b`, `(?? a b)`},
	{`a ?? b or c`, `(?? a (or b c))`},
	{`a ?? b ?? c`, `(?? (?? a b) c)`},
	{`x[a]? ?? 0`, `(?? (field? x a) 0)`},
	// let.
	{`let x = 1 in x`, `(let (x 1) x)`},
	{"let\n    x = 1 + 1,\n    y = 2 + 2,\n    z = y + 1\nin\n    x + y + z", `(let (x (+ 1 1)) (y (+ 2 2)) (z (+ y 1)) (+ (+ x y) z))`},
	{`let #"a b" = 1 in #"a b"`, `(let (#"a b" 1) #"a b")`},
	{`let Source.Data = 1 in Source.Data`, `(let (Source.Data 1) Source.Data)`},
	{`let a = let b = 1 in b in a`, `(let (a (let (b 1) b)) a)`},
	{`1 + let x = 2 in x`, `(+ 1 (let (x 2) x))`},
	// A let without bindings: not in the specification, taken by the engine.
	{`let in 1`, `(let 1)`},
	{"let\nin\n    x", `(let x)`},
	{`let a = let in 2 in a`, `(let (a (let 2)) a)`},
	// if.
	{`if a then b else c`, `(if a b c)`},
	{`if a then b else if c then d else e`, `(if a b (if c d e))`},
	{`if a > 1 then "big" else "small"`, `(if (> a 1) "big" "small")`},
	// each and functions.
	{`each _ + 1`, `(each (+ _ 1))`},
	{`each [A]`, `(each (field A))`},
	{`each [Weight] > 12`, `(each (> (field Weight) 12))`},
	{`() => 1`, `(fn () 1)`},
	{`(x) => x`, `(fn (x) x)`},
	{`(x, y) => x + y`, `(fn (x y) (+ x y))`},
	{`(x as number) => x`, `(fn (x:number) x)`},
	{`(x as number, optional y as nullable text) as any => x`, `(fn (x:number optional y:(nullable text)) as any x)`},
	{`(optional x) => x`, `(fn (optional x) x)`},
	{`(optional) => optional`, `(fn (optional) optional)`},
	{`(optional optional) => 1`, `(fn (optional optional) 1)`},
	{`(x) as nullable number => x`, `(fn (x) as (nullable number) x)`},
	{`(#"a b" as text) => #"a b"`, `(fn (#"a b":text) #"a b")`},
	{`(x) => (y) => x + y`, `(fn (x) (fn (y) (+ x y)))`},
	{`(x as list) as table => x`, `(fn (x:list) as table x)`},
	{`(t as table, f as function, r as record, d as date, n as null, y as type) => 1`, `(fn (t:table f:function r:record d:date n:null y:type) 1)`},
	{`(x) => x meta [a = 1]`, `(fn (x) (meta x (record (a 1))))`},
	// error, try.
	{`error "bad"`, `(error "bad")`},
	{`error Error.Record("Reason", "Message")`, `(error (call Error.Record "Reason" "Message"))`},
	{`try x`, `(try x)`},
	{`try x otherwise 0`, `(try x otherwise 0)`},
	{`try error "A" otherwise error "B"`, `(try (error "A") otherwise (error "B"))`},
	{`try x catch (e) => e[Message]`, `(try x catch (fn (e) (field e Message)))`},
	{`try x catch () => 1`, `(try x catch (fn () 1))`},
	{`try f(1) otherwise 1 + 1`, `(try (call f 1) otherwise (+ 1 1))`},
	{`(try x)[HasError]`, `(field (paren (try x)) HasError)`},
	// Type expressions.
	{`type number`, `(type number)`},
	{`type nullable text`, `(type (nullable text))`},
	{`type any`, `(type any)`},
	{`type anynonnull`, `(type anynonnull)`},
	{`type null`, `(type null)`},
	{`type type`, `(type type)`},
	{`type none`, `(type none)`},
	{`type {number}`, `(type (listtype number))`},
	{`type {nullable number}`, `(type (listtype (nullable number)))`},
	{`type [A = number, optional B = text]`, `(type (recordtype (A number) (optional B text)))`},
	{`type [A = number, ...]`, `(type (recordtype (A number) ...))`},
	{`type [...]`, `(type (recordtype ...))`},
	{`type []`, `(type (recordtype))`},
	{`type [A, B]`, `(type (recordtype (A) (B)))`},
	{`type [Content Type = text, #"a b" = any]`, `(type (recordtype (Content Type text) (#"a b" any)))`},
	{`type [optional = number]`, `(type (recordtype (optional number)))`},
	{`type table [A = number, B = text]`, `(type (tabletype (recordtype (A number) (B text))))`},
	{`type table RowType`, `(type (tabletype RowType))`},
	// The inclusive identifier in a type, as section members write it.
	{`type table @Bundle.Type`, `(type (tabletype @Bundle.Type))`},
	{`Type.RecordFields(@Row.Type)`, `(call Type.RecordFields @Row.Type)`},
	{`type function (x as number, optional y as text) as list`, `(type (functiontype (x:number optional y:text) list))`},
	{`type function () as any`, `(type (functiontype () any))`},
	{`type function (x as {number}) as [a = text]`, `(type (functiontype (x:(listtype number)) (recordtype (a text))))`},
	{`type [A = [B = {number}]]`, `(type (recordtype (A (recordtype (B (listtype number))))))`},
	{`type nullable [A = number]`, `(type (nullable (recordtype (A number))))`},
	{`type text meta [Documentation.FieldCaption = "Url"]`, `(meta (type text) (record (Documentation.FieldCaption "Url")))`},
	{`Value.ReplaceType(f, type function (url as (type text meta [a = 1])) as table)`, `(call Value.ReplaceType f (type (functiontype (url:(paren (meta (type text) (record (a 1))))) table)))`},
	// Comments anywhere.
	{"/* a */ 1 /* b */ + // c\n 2", `(+ 1 2)`},
	// Section documents.
	{`section S;`, `(section S)`},
	{`section S; A = 1;`, `(section S (A 1))`},
	{`section S; shared A = 1; B = A;`, `(section S (shared A 1) (B A))`},
	{`section S; shared Demo.Contents = 1;`, `(section S (shared Demo.Contents 1))`},
	{`section S; #"A b" = 1;`, `(section S (#"A b" 1))`},
	{`[Version = "1.0.0"] section S; [DataSource.Kind = "S", Publish = "S.Publish"] shared S.Contents = 1;`,
		`(section (record (Version "1.0.0")) S ((record (DataSource.Kind "S") (Publish "S.Publish")) shared S.Contents 1))`},
	{`[A = {1, "x", true, null}, B = [C = 1.5]] section S;`, `(section (record (A (list 1 "x" true null)) (B (record (C 1.5)))) S)`},
	{"section Section1;\nA = 1;\nB = 2;\nC = A + B;", `(section Section1 (A 1) (B 2) (C (+ A B)))`},
	{`section S; A = Section2!A & " world";`, `(section S (A (& Section2!A " world")))`},
	// Expression documents that begin like a member.
	{`a = b`, `(= a b)`},
	{`a = b = c`, `(= (= a b) c)`}, // binary operators are left-associative
	{`[a = 1] = [a = 1]`, `(= (record (a 1)) (record (a 1)))`},
	{`[a = 1][a]`, `(field (record (a 1)) a)`},
	// Spec deviations of Microsoft's parser that follow the spec here.
	{"let\rx = 1\rin\rx", `(let (x 1) x)`},
	{"let\u0085x = 1\u2028in\u2029x", `(let (x 1) x)`},
	{`let x = .05 in x`, `(let (x .05) x)`},
	{"\ufefflet x = 1 in x", `(let (x 1) x)`},
	{"\ufeff\ufefflet x = 1 in x", `(let (x 1) x)`}, // a second mark, as some editors leave
	{"let\u00a0x\u3000=\u20031 in x", `(let (x 1) x)`},
}

func TestConstructs(t *testing.T) {
	for _, tc := range constructCases {
		f := Parse("test.pq", []byte(tc.src))
		if errs := errorList(f); len(errs) != 0 {
			t.Errorf("%q: unexpected errors:\n  %s", tc.src, strings.Join(errs, "\n  "))
			continue
		}
		if got := sx(f.Root()); got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.src, got, tc.want)
		}
	}
}

// errorCases are invalid documents: each must give exactly these errors,
// "line:col: message", and still a tree.
var errorCases = []struct {
	src  string
	errs []string
	want string // the tree, if the test cares
}{
	// Lexical errors.
	{`"a#(xyz)b"`, []string{`1:1: invalid escape sequence "#(xyz)": use #(cr), #(lf), #(tab), #(#) or 4 or 8 hex digits`}, `"a#(xyz)b"`},
	{`1e`, []string{`1:1: number has an exponent marker but no exponent digits`}, ``},
	{`0x`, []string{`1:1: hexadecimal number has no digits after 0x`}, ``},
	{`"abc`, []string{`1:1: text is not terminated: the opening " has no closing quote`}, `"abc`},
	{`/* abc`, []string{`1:1: comment is not terminated: /* has no closing */`, `1:7: the document is empty: expected a section document or an expression`}, ``},
	{`#foo`, []string{`1:1: unknown keyword #foo: the # keywords are #binary, #date, #datetime, #datetimezone, #duration, #infinity, #nan, #sections, #shared, #table and #time; a quoted name is written #"name"`}, `BAD`},
	{`$`, []string{`1:1: unexpected character '$'`}, `BAD`},
	{`a.`, []string{`1:2: unexpected '.': a dot belongs inside a name, a number, '..' or '...'`}, `a`},
	// Documents.
	{``, []string{`1:1: the document is empty: expected a section document or an expression`}, `<nil>`},
	{"  // only a comment\n", []string{`2:1: the document is empty: expected a section document or an expression`}, `<nil>`},
	{`1 2`, []string{"1:3: unexpected `2` after the end of the expression"}, `1`},
	{`A = 1; B = 2;`, []string{"1:1: section members need a header: add `section Name;` before them"}, `(section <nil> (A 1) (B 2))`},
	{`section;`, []string{"1:8: expected a section name after `section`, found `;`"}, `(section <nil>)`},
	{`section S`, []string{"1:10: expected `;` after the section name, found the end of the file"}, `(section S)`},
	{`section S; A = 1`, []string{"1:17: expected `;` to end member A, found the end of the file"}, `(section S (A 1))`},
	{`section S; A = 1 B = 2;`, []string{"1:18: expected `;` to end member A, found `B`"}, `(section S (A 1) (B 2))`},
	{`section S; A 1;`, []string{"1:14: expected `=` after the member name A, found `1`"}, `(section S (A 1))`},
	{`section S; [A = f(1)] B = 1;`, []string{"1:17: an attribute value must be a literal: text, a number, true, false, null, or a list or record of literals"}, ``},
	// let.
	{`let x = 1`, []string{"1:10: `let` at 1:1 has no `in`"}, `(let (x 1) <nil>)`},
	{`let x = 1, y = 2`, []string{"1:17: `let` at 1:1 has no `in`"}, `(let (x 1) (y 2) <nil>)`},
	{`let x = 1 y = 2 in x`, []string{"1:11: expected `,` or `in` after a let binding, found `y`"}, `(let (x 1) (y 2) x)`},
	{`let x = in x`, []string{"1:9: expected an expression, found `in`"}, `(let (x BAD) x)`},
	{`let x 1 in x`, []string{"1:7: expected `=` after x, found `1`"}, `(let (x 1) x)`},
	{`let x = 1 in`, []string{"1:13: expected an expression after `in`, found the end of the file"}, ``},
	{`(let x = 1)`, []string{"1:11: `let` at 1:2 has no `in`"}, `(paren (let (x 1) <nil>))`},
	// if.
	{`if a then b`, []string{"1:12: `if` at 1:1 has no `else`"}, `(if a b BAD)`},
	{`if a b else c`, []string{"1:6: `if` at 1:1 has no `then`"}, ``},
	// Brackets.
	{`{1, 2`, []string{"1:6: list `{` at 1:1 has no matching `}`"}, `(list 1 2)`},
	{`[a = 1`, []string{"1:7: record `[` at 1:1 has no matching `]`"}, `(record (a 1))`},
	{`f(1, 2`, []string{"1:7: `(` at 1:2 has no matching `)`"}, `(call f 1 2)`},
	{`(1 + 2`, []string{"1:7: `(` at 1:1 has no matching `)`"}, `(paren (+ 1 2))`},
	{`x{0`, []string{"1:4: item access `{` at 1:2 has no matching `}`"}, ``},
	{`x[a`, []string{"1:4: field access `[` at 1:2 has no matching `]`"}, ``},
	{`f(1,,2)`, []string{"1:5: expected an expression, found `,`"}, `(call f 1 BAD 2)`},
	{`{1 2}`, []string{"1:4: expected `,` or `}`, found `2`"}, ``},
	{`[a = 1 b = 2]`, []string{"1:8: expected `,` or `]` in the record, found `b`"}, ``},
	{`[a + 1]`, []string{"1:4: expected `=` after the field name a, found `+`"}, `(record (a (+ 1)))`},
	{`[a = 1,]`, []string{"1:8: expected a field name after `,`, found `]`: remove the trailing comma"}, `(record (a 1))`},
	{`{1,}`, []string{"1:4: expected an item after `,`, found `}`: remove the trailing comma"}, `(list 1)`},
	{`f(1,)`, []string{"1:5: expected an argument after `,`, found `)`: remove the trailing comma"}, `(call f 1)`},
	{`let x = 1, in x`, []string{"1:12: expected a variable name after `,`, found `in`: the last binding of a let takes no comma"}, `(let (x 1) x)`},
	{`let`, []string{"1:4: `let` at 1:1 has no `in`"}, `(let <nil>)`},
	{`[A = 1] section S;`, nil, `(section (record (A 1)) S)`},
	{`[A = -1] section S;`, []string{"1:6: an attribute value must be a literal: text, a number, true, false, null, or a list or record of literals"}, ``},
	{`x[]`, []string{"1:3: expected a field name, found `]`"}, ``},
	// Functions and types.
	{`(x as foo) => x`, []string{"1:7: the parameter type must be a primitive type such as number or nullable text; foo is not one (use Value.ReplaceType for other types)"}, ``},
	{`(optional x, y) => x`, []string{"1:14: required parameter y comes after an optional one"}, ``},
	{`(x) =>`, []string{"1:7: expected an expression, found the end of the file"}, ``},
	{`x as foo`, []string{"1:6: the type after `as` must be a primitive type such as number or nullable text; foo is not one (use Value.ReplaceType for other types)"}, ``},
	{`x is`, []string{"1:5: expected a primitive type after `is`, found the end of the file"}, ``},
	{`(x as) => x`, []string{"1:6: expected a primitive type as the parameter type, found `)`"}, `(fn (x:BAD) x)`},
	{`(x) as => x`, []string{"1:8: expected a primitive type as the return type, found `=>`"}, `(fn (x) as BAD x)`},
	{`#`, []string{"1:1: unexpected '#': a quoted name is written #\"name\" and a verbatim literal #!\"text\""}, `BAD`},
	{"\xff", []string{"1:1: invalid UTF-8 byte: M files must be saved as UTF-8"}, `BAD`},
	{`type [A = number, ..., B = text]`, []string{"1:22: expected `]`, found `,`: `...` must end a record type"}, ``},
	{`type function (x) number`, []string{"1:19: expected `as` and a return type after the parameters of a function type, found `number`"}, ``},
	{`try x catch e => e`, []string{"1:13: expected `(` after `catch`, found `e`: a catch function is written catch (e) => … or catch () => …"}, `(try x catch (fn (e) e))`},
	{`try x catch (a, b) => a`, []string{"1:15: expected `)`, found `,`: a catch function takes at most one parameter"}, ``},
	{`@`, []string{"1:2: expected a name after `@`, found the end of the file"}, ``},
	{`S!1`, []string{"1:3: expected a member name after `!`, found `1`"}, ``},
}

func TestErrors(t *testing.T) {
	for _, tc := range errorCases {
		f := Parse("test.pq", []byte(tc.src))
		got := errorList(f)
		if strings.Join(got, "\n") != strings.Join(tc.errs, "\n") {
			t.Errorf("%q:\n got errors\n  %s\nwant\n  %s", tc.src, strings.Join(got, "\n  "), strings.Join(tc.errs, "\n  "))
		}
		if tc.want != "" {
			if s := sx(f.Root()); s != tc.want {
				t.Errorf("%q:\n got tree %s\nwant %s", tc.src, s, tc.want)
			}
		}
	}
}

func TestUTF16File(t *testing.T) {
	for _, bom := range [][]byte{{0xFF, 0xFE}, {0xFE, 0xFF}} {
		src := append(append([]byte{}, bom...), []byte("s\x00e\x00c\x00;\x00")...)
		f := Parse("u16.pq", src)
		if len(f.Errors) != 1 || !strings.Contains(f.Message(f.Errors[0]), "UTF-16") {
			t.Errorf("% x: errors %v", bom, errorList(f))
		}
	}
}
