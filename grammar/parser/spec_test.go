package parser

import (
	"strings"
	"testing"
)

// specExamples are examples taken from the pages of the M language
// specification (shared/m-spec); each is a fact of the language and must
// parse without errors. The page each comes from is named.
var specExamples = []struct {
	page string
	src  string
	want string // the tree as an s-expression, or "" to check only that it parses
}{
	{"m-spec-let", "let     x = 1 + 1,\n        y = 2 + 2,\n        z = y + 1\nin\n        x + y + z",
		`(let (x (+ 1 1)) (y (+ 2 2)) (z (+ y 1)) (+ (+ x y) z))`},
	{"m-spec-let", "[     x = 1 + 1,\n      y = 2 + 2,\n      z = y + 1,\n      result = x + y + z\n][result]",
		`(field (record (x (+ 1 1)) (y (+ 2 2)) (z (+ y 1)) (result (+ (+ x y) z))) result)`},
	{"m-spec-functions", "(x, y) => x + y", `(fn (x y) (+ x y))`},
	{"m-spec-functions", " (x, y) => ...", `(fn (x y) ...)`},
	{"m-spec-functions", "[ \n    MyFunction = (x, y, z) => x + y + z, \n    Result1 = MyFunction(1, 2, 3)           // 6\n]",
		`(record (MyFunction (fn (x y z) (+ (+ x y) z))) (Result1 (call MyFunction 1 2 3)))`},
	{"m-spec-functions", "[ \n    MyFunction = (x, optional y) =>\n                      if (y = null) then x else x + y, \n    Result1 = MyFunction(1),        // 1 \n    Result2 = MyFunction(1, null)  // 1 \n]",
		`(record (MyFunction (fn (x optional y) (if (paren (= y null)) x (+ x y)))) (Result1 (call MyFunction 1)) (Result2 (call MyFunction 1 null)))`},
	{"m-spec-functions", "[ \n    Factorial = (x) => \n                if x = 0 then 1 else x * @Factorial(x - 1), \n    Result = Factorial(3)  // 6 \n]",
		`(record (Factorial (fn (x) (if (= x 0) 1 (* x (call @Factorial (- x 1)))))) (Result (call Factorial 3)))`},
	{"m-spec-functions", "[ \n    MyFunction = (x) => () => x, \n    MyFunction1 = MyFunction(1), \n    MyFunction2 = MyFunction(2), \n    Result = MyFunction1() + MyFunction2()  // 3 \n]", ""},
	{"m-spec-functions", "[ \nA =  \n    [ \n        MyFunction = () => C, \n        C = 1 \n    ], \nB = A[MyFunction]()           // 1 \n]",
		`(record (A (record (MyFunction (fn () C)) (C 1))) (B (call (field A MyFunction))))`},
	{"m-spec-functions", "each _ + 1", `(each (+ _ 1))`},
	{"m-spec-functions", "(_) => _[A]", `(fn (_) (field _ A))`},
	{"m-spec-functions", "Table.SelectRows( aTable, each [Weight] > 12 )", `(call Table.SelectRows aTable (each (> (field Weight) 12)))`},
	{"m-spec-functions", "Table.SelectRows( aTable, (_) => _[Weight] > 12 )", `(call Table.SelectRows aTable (fn (_) (> (field _ Weight) 12)))`},
	{"m-spec-error-handling", "[\n    Reason = ..., // nullable text\n    Message = ..., // nullable text\n    Detail = ..., // any\n    Message.Format = ..., // nullable text\n    Message.Parameters = ..., // nullable list\n    ErrorCode = ... // any\n]", ""},
	{"m-spec-error-handling", "error [\n    Message.Format = \"Unexpected value '#{0}' in field #{1}\", \n    Message.Parameters = {\"???\", \"Customer\"}\n]", ""},
	{"m-spec-error-handling", `error "Hello, world" // error with message "Hello, world"`, `(error "Hello, world")`},
	{"m-spec-error-handling", "error Error.Record(\"FileNotFound\", \"File my.txt not found\",\n     \"my.txt\")", `(error (call Error.Record "FileNotFound" "File my.txt not found" "my.txt"))`},
	{"m-spec-error-handling", "let\n    x = try error \"A\" catch (e) => e\nin\n    x", `(let (x (try (error "A") catch (fn (e) e))) x)`},
	{"m-spec-error-handling", `try error "A" otherwise 1`, `(try (error "A") otherwise 1)`},
	{"m-spec-error-handling", `try error "A" catch () => 1`, `(try (error "A") catch (fn () 1))`},
	{"m-spec-error-handling", `try error "A" otherwise error "B"`, `(try (error "A") otherwise (error "B"))`},
	{"m-spec-error-handling", `try error "A" catch (e) => error "B"`, `(try (error "A") catch (fn (e) (error "B")))`},
	{"m-spec-error-handling", "[\n    A = error \"A\",\n    B = A + 1,\n    C = let x =\n            try A in\n                if not x[HasError] then x[Value]\n                else x[Error],\n    D = 1 + 1\n]",
		`(record (A (error "A")) (B (+ A 1)) (C (let (x (try A)) (if (not (field x HasError)) (field x Value) (field x Error)))) (D (+ 1 1)))`},
	{"m-spec-error-handling", "let\n    f = (x) => [ a = error \"bad\", b = x ],\n    g = try f(42) otherwise 123\nin\n    g[a]  // error \"bad\"", ""},
	{"m-spec-error-handling", "(x, y) =>\n     if x > y then\n         x - y\n     else\n         error Error.Record(\"Expression.Error\",\n            \"Not Implemented\")", ""},
	{"m-spec-error-handling", "(x, y) => if x > y then x - y else ...", `(fn (x y) (if (> x y) (- x y) ...))`},
	{"m-spec-sections", "section Section1;\n\nA = 1;                          //1\nB = 2;                          //2\nC = A + B;                      //3", `(section Section1 (A 1) (B 2) (C (+ A B)))`},
	{"m-spec-sections", "section Section1;\nA = \"Hello\";                    //\"Hello\"\nB = 1 + Section2!A;             //3", `(section Section1 (A "Hello") (B (+ 1 Section2!A)))`},
	{"m-spec-sections", "section Section2;\nA = 2;                          //2\nB = Section1!A & \" world!\";     //\"Hello, world\"", ""},
	{"m-spec-sections", "section Section3;\nA = \"Hello\";         // \"Hello\"\nB = A + \" world\";    // \"Hello world\" (refers to local A)\nC = Section1!A + 2;  // 3", ""},
	{"m-spec-sections", "section Section1;\nshared A = 1;        // 1", `(section Section1 (shared A 1))`},
	{"m-spec-sections", "#sections\n//[\n//  Section1 = [ A = 1, B = 2],\n//  Section2 = [ C = \"Hello\", D = \"world\" ]\n//]", `#sections`},
	{"m-spec-types", "type [A = number, ...]", `(type (recordtype (A number) ...))`},
	{"m-spec-types", "type [ X = number, Y = number ]", `(type (recordtype (X number) (Y number)))`},
	{"m-spec-types", "type [ Title = text, optional Description = text ] ", `(type (recordtype (Title text) (optional Description text)))`},
	{"m-spec-types", "type [ ... ]  // custom type classifying all records", `(type (recordtype ...))`},
	{"m-spec-types", "let  record = type [ A = any ]  in  type {(record)} ", `(let (record (type (recordtype (A any)))) (type (listtype (paren record))))`},
	{"m-spec-types", "Type.Is(type [a=any], type record)      // true ", `(call Type.Is (type (recordtype (a any))) (type record))`},
	{"m-spec-values", "type { number }", `(type (listtype number))`},
	{"m-spec-values", "type table [ A = any, B = text ]", `(type (tabletype (recordtype (A any) (B text))))`},
	{"m-spec-operators", "x + y * z", `(+ x (* y z))`},
	{"m-spec-introduction", `"Mozart" meta [ Rating = 5, Tags = {"Classical"} ]`, `(meta "Mozart" (record (Rating 5) (Tags (list "Classical"))))`},
	{"m-spec-introduction", `("Mozart" meta [ Rating = 5 ]) meta [ Tags = {"Classical"} ]`, `(meta (paren (meta "Mozart" (record (Rating 5)))) (record (Tags (list "Classical"))))`},
	{"m-spec-introduction", `"Mozart" meta ([ Rating = 5 ] & [ Tags = {"Classical"} ])`, `(meta "Mozart" (paren (& (record (Rating 5)) (record (Tags (list "Classical"))))))`},
	{"m-spec-operators", `"Amadeus " & ("Mozart" meta [ Rating = 5 ])`, `(& "Amadeus " (paren (meta "Mozart" (record (Rating 5)))))`},
	{"m-spec-operators", `Value.Metadata( "Mozart" meta [ Rating = 5 ] )[Rating]`, `(field (call Value.Metadata (meta "Mozart" (record (Rating 5)))) Rating)`},
	{"m-spec-operators", "(1 meta [ a = 1 ]) = (1 meta [ a = 2 ]) // true", `(= (paren (meta 1 (record (a 1)))) (paren (meta 1 (record (a 2)))))`},
	{"m-spec-operators", "[A=1,B=2][C]?      // null", `(field? (record (A 1) (B 2)) C)`},
	{"m-spec-operators", `{"a","b","c"}{0}                        // "a"`, `(item (list "a" "b" "c") 0)`},
	{"m-spec-operators", `{"a","b","c"}{0}?                       // "a"`, `(item? (list "a" "b" "c") 0)`},
	{"m-spec-operators", `#table({"A","B"},{{0,1},{2,1}}){[A=2]}? // [A=2,B=1]`, `(item? (call #table (list "A" "B") (list (list 0 1) (list 2 1))) (record (A 2)))`},
	{"m-spec-operators", "[A=1,B=2][[B]]           // [B=2]", `(project (record (A 1) (B 2)) B)`},
	{"m-spec-operators", "[A=1,B=2][[B],[C]]?      // [B=2,C=null]", `(project? (record (A 1) (B 2)) B C)`},
	{"m-spec-operators", "#date(2013,02,26) & #time(09,17,00)", `(& (call #date 2013 02 26) (call #time 09 17 00))`},
	{"m-spec-values", "0xff  // Whole number in hex (255)", `0xff`},
	{"m-spec-lexical-structure", `"Hello world#(cr,lf)"`, `"Hello world#(cr,lf)"`},
	{"m-spec-lexical-structure", `"The ""quoted"" text" // The "quoted" text`, `"The ""quoted"" text"`},
	{"m-spec-lexical-structure", "[\n    #\"1998 Sales\" = 1000,\n    #\"1999 Sales\" = 1100,\n    #\"Total Sales\" = #\"1998 Sales\" + #\"1999 Sales\"\n]",
		`(record (#"1998 Sales" 1000) (#"1999 Sales" 1100) (#"Total Sales" (+ #"1998 Sales" #"1999 Sales")))`},
	{"m-spec-lexical-structure", "[\n    #\"A + B\" = A + B,\n    A = 1,\n    B = 2\n]", `(record (#"A + B" (+ A B)) (A 1) (B 2))`},
	{"m-spec-values", "{ 1, 5..9, 11 }     // { 1, 5, 6, 7, 8, 9, 11 }", `(list 1 (.. 5 9) 11)`},
	{"m-spec-values", "List.Count({true, false})  // 2", `(call List.Count (list true false))`},
	{"m-spec-lexical-structure", "[Data = [ Base Line = 100, Rate = 1.8 ], Progression = Data[Base Line] * Data[Rate]]",
		`(record (Data (record (Base Line 100) (Rate 1.8))) (Progression (* (field Data Base Line) (field Data Rate))))`},
	{"m-spec-values", "#date(2013,02,26)", `(call #date 2013 02 26)`},
	{"m-spec-values", "#datetimezone(2013,02,26, 09,15,00, 09,00)", `(call #datetimezone 2013 02 26 09 15 00 09 00)`},
	{"m-spec-values", "#table({\"X\",\"Y\"},{{0,1},{1,0}})", `(call #table (list "X" "Y") (list (list 0 1) (list 1 0)))`},
	{"m-spec-values", "#binary(\"AQID\")", `(call #binary "AQID")`},
}

func TestSpecExamples(t *testing.T) {
	for _, ex := range specExamples {
		f := Parse(ex.page+".pq", []byte(ex.src))
		if errs := errorList(f); len(errs) != 0 {
			t.Errorf("%s: %q:\n  %s", ex.page, ex.src, strings.Join(errs, "\n  "))
			continue
		}
		checkFile(t, f)
		if ex.want != "" {
			if got := sx(f.Root()); got != ex.want {
				t.Errorf("%s: %q:\n got %s\nwant %s", ex.page, ex.src, got, ex.want)
			}
		}
	}
}
