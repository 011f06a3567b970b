// Package token defines the lexical tokens of the Power Query M language,
// compact source positions, and the line table that maps byte offsets to
// (line, column) pairs in the encodings editors use.
package token

import "strconv"

// Token is the kind of a lexical token.
type Token uint8

// The tokens of M. Keywords that begin with '#' have their own tokens;
// identifier-like words with a contextual meaning (catch, optional,
// nullable, the primitive type names) are plain IDENT tokens.
const (
	ILLEGAL Token = iota
	EOF
	COMMENT

	literalBeg
	IDENT        // Table.AddColumn, x
	QUOTED_IDENT // #"a b"
	NUMBER       // 1, 1.5e3, .05, 0xFF
	TEXT         // "abc"
	VERBATIM     // #!"abc"
	literalEnd

	operatorBeg
	COMMA     // ,
	SEMICOLON // ;
	ASSIGN    // =  (also the equality operator)
	LT        // <
	LE        // <=
	GT        // >
	GE        // >=
	NE        // <>
	ADD       // +
	SUB       // -
	MUL       // *
	QUO       // /
	AND_TEXT  // &
	LPAREN    // (
	RPAREN    // )
	LBRACK    // [
	RBRACK    // ]
	LBRACE    // {
	RBRACE    // }
	AT        // @
	QUESTION  // ?
	COALESCE  // ??
	ARROW     // =>
	DOTDOT    // ..
	ELLIPSIS  // ...
	BANG      // !
	operatorEnd

	keywordBeg
	AND
	AS
	EACH
	ELSE
	ERROR
	FALSE
	IF
	IN
	IS
	LET
	META
	NOT
	NULL
	OR
	OTHERWISE
	SECTION
	SHARED
	THEN
	TRUE
	TRY
	TYPE
	HASH_BINARY
	HASH_DATE
	HASH_DATETIME
	HASH_DATETIMEZONE
	HASH_DURATION
	HASH_INFINITY
	HASH_NAN
	HASH_SECTIONS
	HASH_SHARED
	HASH_TABLE
	HASH_TIME
	keywordEnd
)

var tokens = [...]string{
	ILLEGAL:      "ILLEGAL",
	EOF:          "EOF",
	COMMENT:      "COMMENT",
	IDENT:        "identifier",
	QUOTED_IDENT: "quoted identifier",
	NUMBER:       "number",
	TEXT:         "text",
	VERBATIM:     "verbatim literal",

	COMMA:     ",",
	SEMICOLON: ";",
	ASSIGN:    "=",
	LT:        "<",
	LE:        "<=",
	GT:        ">",
	GE:        ">=",
	NE:        "<>",
	ADD:       "+",
	SUB:       "-",
	MUL:       "*",
	QUO:       "/",
	AND_TEXT:  "&",
	LPAREN:    "(",
	RPAREN:    ")",
	LBRACK:    "[",
	RBRACK:    "]",
	LBRACE:    "{",
	RBRACE:    "}",
	AT:        "@",
	QUESTION:  "?",
	COALESCE:  "??",
	ARROW:     "=>",
	DOTDOT:    "..",
	ELLIPSIS:  "...",
	BANG:      "!",

	AND:               "and",
	AS:                "as",
	EACH:              "each",
	ELSE:              "else",
	ERROR:             "error",
	FALSE:             "false",
	IF:                "if",
	IN:                "in",
	IS:                "is",
	LET:               "let",
	META:              "meta",
	NOT:               "not",
	NULL:              "null",
	OR:                "or",
	OTHERWISE:         "otherwise",
	SECTION:           "section",
	SHARED:            "shared",
	THEN:              "then",
	TRUE:              "true",
	TRY:               "try",
	TYPE:              "type",
	HASH_BINARY:       "#binary",
	HASH_DATE:         "#date",
	HASH_DATETIME:     "#datetime",
	HASH_DATETIMEZONE: "#datetimezone",
	HASH_DURATION:     "#duration",
	HASH_INFINITY:     "#infinity",
	HASH_NAN:          "#nan",
	HASH_SECTIONS:     "#sections",
	HASH_SHARED:       "#shared",
	HASH_TABLE:        "#table",
	HASH_TIME:         "#time",
}

// String returns the token's spelling for operators and keywords, and a
// description for the other tokens.
func (t Token) String() string {
	if int(t) < len(tokens) && tokens[t] != "" {
		return tokens[t]
	}
	return "token(" + strconv.Itoa(int(t)) + ")"
}

// IsKeyword reports whether t is a keyword, including the '#' keywords.
func (t Token) IsKeyword() bool { return keywordBeg < t && t < keywordEnd }

// IsOperator reports whether t is an operator or punctuator.
func (t Token) IsOperator() bool { return operatorBeg < t && t < operatorEnd }

// IsLiteral reports whether t is an identifier or a literal with a value
// spelled in the source.
func (t Token) IsLiteral() bool { return literalBeg < t && t < literalEnd }

var keywords map[string]Token

func init() {
	keywords = make(map[string]Token, keywordEnd-keywordBeg)
	for t := keywordBeg + 1; t < keywordEnd; t++ {
		keywords[tokens[t]] = t
	}
}

// Lookup returns the keyword token for word, or IDENT if word is not a
// keyword. The '#' keywords are looked up with their '#'.
func Lookup(word string) Token {
	if t, ok := keywords[word]; ok {
		return t
	}
	return IDENT
}

// Precedence returns the binding power of a binary operator, higher binds
// tighter, and 0 for tokens that are not binary operators. The levels follow
// the M specification: `??` < or < and < is < as < equality < relational <
// additive < multiplicative < meta.
func (t Token) Precedence() int {
	switch t {
	case COALESCE:
		return 1
	case OR:
		return 2
	case AND:
		return 3
	case IS:
		return 4
	case AS:
		return 5
	case ASSIGN, NE:
		return 6
	case LT, LE, GT, GE:
		return 7
	case ADD, SUB, AND_TEXT:
		return 8
	case MUL, QUO:
		return 9
	case META:
		return 10
	}
	return 0
}

// PrimitiveTypes are the names of M's primitive types. They are ordinary
// identifiers lexically and only name types after `type`, `as`, `is` and
// `nullable`.
var PrimitiveTypes = map[string]bool{
	"action": true, // not in the specification; the engine and Microsoft's parser accept it
	"any":    true, "anynonnull": true, "binary": true, "date": true,
	"datetime": true, "datetimezone": true, "duration": true,
	"function": true, "list": true, "logical": true, "none": true,
	"null": true, "number": true, "record": true, "table": true,
	"text": true, "time": true, "type": true,
}
