package scanner

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pqls/pqls/grammar/token"
)

// tok is one scanned token as the tests show it.
type tok struct {
	t   token.Token
	lit string
}

func (x tok) String() string { return fmt.Sprintf("%s %q", x.t, x.lit) }

// scanAll returns the tokens of src up to EOF, the comments, and the
// messages of malformed tokens and comments.
func scanAll(src string) (toks []tok, comments []string, msgs []string) {
	var s Scanner
	s.Comment = func(start, end int, msg string) {
		comments = append(comments, src[start:end])
		if msg != "" {
			msgs = append(msgs, msg)
		}
	}
	s.Init([]byte(src), 0)
	for i := 0; i < len(src)+2; i++ {
		t, start, end, msg := s.Scan()
		if msg != "" {
			msgs = append(msgs, msg)
		}
		if t == token.EOF {
			break
		}
		toks = append(toks, tok{t, src[start:end]})
	}
	return
}

func TestTokens(t *testing.T) {
	I := token.IDENT
	cases := []struct {
		src  string
		want []tok
	}{
		// Identifiers: regular, dotted, with non-ASCII letters, quoted.
		{"x", []tok{{I, "x"}}},
		{"_a1", []tok{{I, "_a1"}}},
		{"Table.AddColumn", []tok{{I, "Table.AddColumn"}}},
		{"A.B.C", []tok{{I, "A.B.C"}}},
		{"Straße", []tok{{I, "Straße"}}},
		{"名前", []tok{{I, "名前"}}},
		{`#"a b"`, []tok{{token.QUOTED_IDENT, `#"a b"`}}},
		{`#"a""b"`, []tok{{token.QUOTED_IDENT, `#"a""b"`}}},
		{`#"let"`, []tok{{token.QUOTED_IDENT, `#"let"`}}},
		// A dot not followed by a name part ends the name.
		{"a..b", []tok{{I, "a"}, {token.DOTDOT, ".."}, {I, "b"}}},
		// Keywords, and words that look like them.
		{"and as each else error false if in is let meta not null or otherwise section shared then true try type",
			[]tok{{token.AND, "and"}, {token.AS, "as"}, {token.EACH, "each"}, {token.ELSE, "else"}, {token.ERROR, "error"},
				{token.FALSE, "false"}, {token.IF, "if"}, {token.IN, "in"}, {token.IS, "is"}, {token.LET, "let"},
				{token.META, "meta"}, {token.NOT, "not"}, {token.NULL, "null"}, {token.OR, "or"},
				{token.OTHERWISE, "otherwise"}, {token.SECTION, "section"}, {token.SHARED, "shared"},
				{token.THEN, "then"}, {token.TRUE, "true"}, {token.TRY, "try"}, {token.TYPE, "type"}}},
		{"#binary #date #datetime #datetimezone #duration #infinity #nan #sections #shared #table #time",
			[]tok{{token.HASH_BINARY, "#binary"}, {token.HASH_DATE, "#date"}, {token.HASH_DATETIME, "#datetime"},
				{token.HASH_DATETIMEZONE, "#datetimezone"}, {token.HASH_DURATION, "#duration"},
				{token.HASH_INFINITY, "#infinity"}, {token.HASH_NAN, "#nan"}, {token.HASH_SECTIONS, "#sections"},
				{token.HASH_SHARED, "#shared"}, {token.HASH_TABLE, "#table"}, {token.HASH_TIME, "#time"}}},
		{"catch optional nullable number letter Let", []tok{{I, "catch"}, {I, "optional"}, {I, "nullable"}, {I, "number"}, {I, "letter"}, {I, "Let"}}},
		{"let.x in.y", []tok{{I, "let.x"}, {I, "in.y"}}},
		// U+FEFF inside a name is a formatting character, an identifier part.
		{"a\ufeffb", []tok{{I, "a\ufeffb"}}},
		{"#date(2020,1,1)", []tok{{token.HASH_DATE, "#date"}, {token.LPAREN, "("}, {token.NUMBER, "2020"}, {token.COMMA, ","},
			{token.NUMBER, "1"}, {token.COMMA, ","}, {token.NUMBER, "1"}, {token.RPAREN, ")"}}},
		// Numbers.
		{"0 1 123 1.5 .05 1e3 1E+3 1.5e-10 0xFF 0X1a 0xdeadBEEF", []tok{{token.NUMBER, "0"}, {token.NUMBER, "1"},
			{token.NUMBER, "123"}, {token.NUMBER, "1.5"}, {token.NUMBER, ".05"}, {token.NUMBER, "1e3"}, {token.NUMBER, "1E+3"},
			{token.NUMBER, "1.5e-10"}, {token.NUMBER, "0xFF"}, {token.NUMBER, "0X1a"}, {token.NUMBER, "0xdeadBEEF"}}},
		{"1..10", []tok{{token.NUMBER, "1"}, {token.DOTDOT, ".."}, {token.NUMBER, "10"}}},
		{"{1..10}", []tok{{token.LBRACE, "{"}, {token.NUMBER, "1"}, {token.DOTDOT, ".."}, {token.NUMBER, "10"}, {token.RBRACE, "}"}}},
		{"-1", []tok{{token.SUB, "-"}, {token.NUMBER, "1"}}},
		// Text.
		{`"abc"`, []tok{{token.TEXT, `"abc"`}}},
		{`""`, []tok{{token.TEXT, `""`}}},
		{`"a""b"`, []tok{{token.TEXT, `"a""b"`}}},
		{`""""`, []tok{{token.TEXT, `""""`}}},
		{`"#(cr,lf)#(tab)#(000D)#(0000000D)#(#)"`, []tok{{token.TEXT, `"#(cr,lf)#(tab)#(000D)#(0000000D)#(#)"`}}},
		{"\"two\nlines\"", []tok{{token.TEXT, "\"two\nlines\""}}},
		{`"a // not a comment"`, []tok{{token.TEXT, `"a // not a comment"`}}},
		{`"#"`, []tok{{token.TEXT, `"#"`}}},
		{`"#x"`, []tok{{token.TEXT, `"#x"`}}},
		// Verbatim literals.
		{`#!"abc"`, []tok{{token.VERBATIM, `#!"abc"`}}},
		{`#!"a""b"`, []tok{{token.VERBATIM, `#!"a""b"`}}},
		// Operators and punctuators, longest match first.
		{", ; = < <= > >= <> + - * / & ( ) [ ] { } @ ? ?? => .. ... !", []tok{{token.COMMA, ","}, {token.SEMICOLON, ";"},
			{token.ASSIGN, "="}, {token.LT, "<"}, {token.LE, "<="}, {token.GT, ">"}, {token.GE, ">="}, {token.NE, "<>"},
			{token.ADD, "+"}, {token.SUB, "-"}, {token.MUL, "*"}, {token.QUO, "/"}, {token.AND_TEXT, "&"},
			{token.LPAREN, "("}, {token.RPAREN, ")"}, {token.LBRACK, "["}, {token.RBRACK, "]"}, {token.LBRACE, "{"},
			{token.RBRACE, "}"}, {token.AT, "@"}, {token.QUESTION, "?"}, {token.COALESCE, "??"}, {token.ARROW, "=>"},
			{token.DOTDOT, ".."}, {token.ELLIPSIS, "..."}, {token.BANG, "!"}}},
		{"=>=<=<>", []tok{{token.ARROW, "=>"}, {token.ASSIGN, "="}, {token.LE, "<="}, {token.NE, "<>"}}},
		{"???", []tok{{token.COALESCE, "??"}, {token.QUESTION, "?"}}},
		{"Section1!Member", []tok{{I, "Section1"}, {token.BANG, "!"}, {I, "Member"}}},
		{"x{0}?", []tok{{I, "x"}, {token.LBRACE, "{"}, {token.NUMBER, "0"}, {token.RBRACE, "}"}, {token.QUESTION, "?"}}},
		{"@f", []tok{{token.AT, "@"}, {I, "f"}}},
		// White space: ASCII, Unicode Zs, every new-line character.
		{"a\tb\vc\fd", []tok{{I, "a"}, {I, "b"}, {I, "c"}, {I, "d"}}},
		{"a\u00a0b\u2003c\u3000d\u202fe", []tok{{I, "a"}, {I, "b"}, {I, "c"}, {I, "d"}, {I, "e"}}},
		{"a\rb\nc\r\nd\u0085e\u2028f\u2029g", []tok{{I, "a"}, {I, "b"}, {I, "c"}, {I, "d"}, {I, "e"}, {I, "f"}, {I, "g"}}},
		// Comments are trivia.
		{"a // c\nb", []tok{{I, "a"}, {I, "b"}}},
		{"a /* c */ b", []tok{{I, "a"}, {I, "b"}}},
		{"a/**/b", []tok{{I, "a"}, {I, "b"}}},
		{"a / b", []tok{{I, "a"}, {token.QUO, "/"}, {I, "b"}}},
		// A byte order mark at the start is skipped.
		{"\ufefflet", []tok{{token.LET, "let"}}},
		{"\ufeff\ufefflet", []tok{{token.LET, "let"}}}, // two marks at the start: the engine takes them
		{"", nil},
	}
	for _, tc := range cases {
		got, _, msgs := scanAll(tc.src)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%q:\n got %v\nwant %v", tc.src, got, tc.want)
		}
		if len(msgs) != 0 {
			t.Errorf("%q: unexpected errors %q", tc.src, msgs)
		}
	}
}

func TestComments(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		{"// line", []string{"// line"}},
		{"a // one\r\nb // two", []string{"// one", "// two"}},
		{"// ends at U+2028\u2028x", []string{"// ends at U+2028"}},
		{"// ends at NEL\u0085x", []string{"// ends at NEL"}},
		{"// ends at CR\rx", []string{"// ends at CR"}},
		{"/* block */ /* two\nlines */", []string{"/* block */", "/* two\nlines */"}},
		{"/* /* no nesting */ x */", []string{"/* /* no nesting */"}},
		{"/***/", []string{"/***/"}},
		{`"// in text" /* c */`, []string{"/* c */"}},
	}
	for _, tc := range cases {
		_, got, msgs := scanAll(tc.src)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%q: comments %q, want %q", tc.src, got, tc.want)
		}
		if len(msgs) != 0 {
			t.Errorf("%q: unexpected errors %q", tc.src, msgs)
		}
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		src  string
		want string // a fragment of the message
		toks []tok  // what is still returned
	}{
		{`"a#(xyz)b"`, `invalid escape sequence "#(xyz)"`, []tok{{token.TEXT, `"a#(xyz)b"`}}},
		{`"a#(12)b"`, `invalid escape sequence "#(12)"`, []tok{{token.TEXT, `"a#(12)b"`}}},
		{`"#(cr"`, `it must end with )`, []tok{{token.TEXT, `"#(cr"`}}},
		{`"#(000D0)"`, `invalid escape sequence`, []tok{{token.TEXT, `"#(000D0)"`}}},
		{`"#(CR)"`, `invalid escape sequence`, []tok{{token.TEXT, `"#(CR)"`}}},
		{`"#()"`, `invalid escape sequence`, []tok{{token.TEXT, `"#()"`}}},
		{"1e", "exponent", []tok{{token.NUMBER, "1e"}}},
		{"1e+", "exponent", []tok{{token.NUMBER, "1e+"}}},
		{"0x", "hexadecimal", []tok{{token.NUMBER, "0x"}}},
		{`"abc`, "text is not terminated", []tok{{token.TEXT, `"abc`}}},
		{"\"abc\ndef", "text is not terminated", []tok{{token.TEXT, "\"abc\ndef"}}},
		{`#"abc`, "quoted identifier is not terminated", []tok{{token.QUOTED_IDENT, `#"abc`}}},
		{`#!"abc`, "not terminated", []tok{{token.VERBATIM, `#!"abc`}}},
		{"/* abc", "comment is not terminated", nil},
		{"a /* abc\n\nb", "comment is not terminated", []tok{{token.IDENT, "a"}}},
		{"#foo", "unknown keyword #foo", []tok{{token.ILLEGAL, "#foo"}}},
		{"#", "unexpected '#': a quoted name", []tok{{token.ILLEGAL, "#"}}},
		{"#(cr)", "belongs inside a text literal", []tok{{token.ILLEGAL, "#"}, {token.LPAREN, "("}, {token.IDENT, "cr"}, {token.RPAREN, ")"}}},
		{"$", "unexpected character '$'", []tok{{token.ILLEGAL, "$"}}},
		{"a.", "unexpected '.'", []tok{{token.IDENT, "a"}, {token.ILLEGAL, "."}}},
		{"....", "unexpected '.'", []tok{{token.ELLIPSIS, "..."}, {token.ILLEGAL, "."}}},
		{"a \ufeff b", "byte order mark", []tok{{token.IDENT, "a"}, {token.ILLEGAL, "\ufeff"}, {token.IDENT, "b"}}},
		{"a\xffb", "invalid UTF-8", []tok{{token.IDENT, "a"}, {token.ILLEGAL, "\xff"}, {token.IDENT, "b"}}},
		{"€", "unexpected character '€' (U+20AC)", []tok{{token.ILLEGAL, "€"}}},
	}
	for _, tc := range cases {
		got, _, msgs := scanAll(tc.src)
		if len(msgs) != 1 || !strings.Contains(msgs[0], tc.want) {
			t.Errorf("%q: messages %q, want one containing %q", tc.src, msgs, tc.want)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.toks) {
			t.Errorf("%q:\n got %v\nwant %v", tc.src, got, tc.toks)
		}
	}
}

func TestScanGeneralized(t *testing.T) {
	cases := []struct{ src, want string }{
		{"Content Type]", "Content Type"},
		{"Order  Date]", "Order  Date"},
		{"Timestamp.1]", "Timestamp.1"},
		{"1 = 2", "1"},
		{"a b c = 1", "a b c"},
		{"let = 1", "let"},
		{"if then else]", "if then else"},
		{"a.b c.d]", "a.b c.d"},
		{"a. b]", "a. b"}, // a blank after the dot, as the engine takes it
		{"a.  b c]", "a.  b c"},
		{"a. ]", "a"},
		{"a. 1]", "a"},
		{"a ]", "a"},
		{"a", "a"},
		{"a ", "a"},
		{"a.", "a"}, // a dot at the end of the text: once a panic (IsIdentPart(-1))
		{"a b.", "a b"},
		{"Straße Nr]", "Straße Nr"},
		{"]", ""},
		{"", ""},
	}
	for _, tc := range cases {
		var s Scanner
		s.Init([]byte(tc.src), 0)
		if got := tc.src[:s.ScanGeneralized(0)]; got != tc.want {
			t.Errorf("ScanGeneralized(%q) = %q, want %q", tc.src, got, tc.want)
		}
	}
}

func TestIdentClasses(t *testing.T) {
	for _, r := range []rune{-1, ' ', '.', '#', '"', 0x2028} {
		if IsIdentStart(r) || IsIdentPart(r) {
			t.Errorf("%q must not be part of an identifier", r)
		}
	}
	for _, r := range []rune{'a', '_', 'é', '名', 0x2160 /* Ⅰ, Nl */} {
		if !IsIdentStart(r) || !IsIdentPart(r) {
			t.Errorf("%q must start and continue an identifier", r)
		}
	}
	for _, r := range []rune{'0', 0x0301 /* combining acute, Mn */, 0x203F /* ‿, Pc */, 0xFEFF /* Cf */} {
		if IsIdentStart(r) || !IsIdentPart(r) {
			t.Errorf("%q must continue but not start an identifier", r)
		}
	}
}

func TestUnquote(t *testing.T) {
	cases := []struct{ lit, want string }{
		{`"abc"`, "abc"},
		{`""`, ""},
		{`"a""b"`, `a"b`},
		{`"#(cr,lf)"`, "\r\n"},
		{`"#(cr)#(lf)#(tab)"`, "\r\n\t"},
		{`"#(000D)#(0000000D)"`, "\r\r"},
		{`"#(#)(cr)"`, "#(cr)"},
		{`"#(0041,0042)"`, "AB"},
		{`"#(0001F600)"`, "😀"},
		{`"#(xyz)"`, "#(xyz)"},
		{`#"a b"`, "a b"},
		{`#"a""b#(tab)"`, "a\"b\t"},
		{`#!"x"`, "x"},
		{`"#x"`, "#x"},
		{`"abc`, "abc"},
	}
	for _, tc := range cases {
		if got := Unquote(tc.lit); got != tc.want {
			t.Errorf("Unquote(%s) = %q, want %q", tc.lit, got, tc.want)
		}
	}
}

func TestInitMidText(t *testing.T) {
	src := []byte("\ufefflet a = 1 in a")
	var s Scanner
	s.Init(src, 10)
	if tok, start, _, _ := s.Scan(); tok != token.NUMBER || start != 11 {
		t.Errorf("scan from 10: %v at %d, want number at 11", tok, start)
	}
	s.SetOffset(3)
	if tok, start, end, _ := s.Scan(); tok != token.LET || start != 3 || end != 6 {
		t.Errorf("scan after SetOffset(3): %v [%d,%d)", tok, start, end)
	}
}

// checkTiling checks that the tokens and comments of src tile it: in
// increasing order, without overlap, each inside the text, with only white
// space between them.
func checkTiling(t *testing.T, src []byte) {
	type span struct{ start, end int }
	var spans []span
	var s Scanner
	s.Comment = func(start, end int, msg string) { spans = append(spans, span{start, end}) }
	s.Init(src, 0)
	for i := 0; ; i++ {
		if i > len(src)+1 {
			t.Fatalf("more tokens than bytes in %q", src)
		}
		tok, start, end, msg := s.Scan()
		if tok == token.EOF {
			if start != len(src) || end != len(src) {
				t.Fatalf("EOF at [%d,%d), want %d, src %q", start, end, len(src), src)
			}
			break
		}
		if end <= start {
			t.Fatalf("empty token %v at %d in %q", tok, start, src)
		}
		if tok == token.ILLEGAL && msg == "" {
			t.Fatalf("ILLEGAL token without a message at %d in %q", start, src)
		}
		spans = append(spans, span{start, end})
	}
	prev := 0
	if len(src) >= 3 && string(src[:3]) == "\ufeff" {
		prev = 3
	}
	for _, sp := range spans {
		if sp.start < prev || sp.end > len(src) || sp.end < sp.start {
			t.Fatalf("span [%d,%d) after %d out of order or bounds in %q", sp.start, sp.end, prev, src)
		}
		gap := src[prev:sp.start]
		for len(gap) > 0 {
			r, n := utf8.DecodeRune(gap)
			if !(r < utf8.RuneSelf && asciiClass[r] == clsSpace) && !isSpaceRune(r) {
				t.Fatalf("non-space %q between tokens at %d in %q", r, sp.start-len(gap), src)
			}
			gap = gap[n:]
		}
		prev = sp.end
	}
}

func FuzzScanner(f *testing.F) {
	for _, s := range []string{
		"let x = 1 in x", `section A; shared B = #"a b"[Content Type]?;`, `"a#(cr,lf)b" & #!"v"`,
		"0xFF .5 1e3 1e", "/* c */ // d\r\n", "\ufeffx\u2028y\u0085z", "a..b...c", "#date #foo #", "\xff\xfe",
		`#"unterminated`, "/* open", "Section!Member{0}?", "(x as number) => x ?? 1",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkTiling(t, src)
		var s Scanner
		for off := 0; off < len(src) && off < 64; off++ {
			// Starting anywhere must not panic either.
			s.Init(src, off)
			for i := 0; i <= len(src); i++ {
				if tok, _, _, _ := s.Scan(); tok == token.EOF {
					break
				}
			}
			s.ScanGeneralized(off)
		}
		Unquote(string(src))
	})
}

func BenchmarkScan(b *testing.B) {
	src := []byte(strings.Repeat("shared Demo.Contents = (url as text, optional options as record) as table => let Source = Web.Contents(url, [Headers = [#\"Content-Type\" = \"application/json\"]]), n = 0x1F + 1.5e3 in Source; // comment\n", 200))
	b.SetBytes(int64(len(src)))
	var s Scanner
	for b.Loop() {
		s.Init(src, 0)
		for {
			if tok, _, _, _ := s.Scan(); tok == token.EOF {
				break
			}
		}
	}
}
