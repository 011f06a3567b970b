// Package scanner turns Power Query M source text into tokens.
//
// The scanner works on bytes and reports byte offsets; it keeps no state
// beyond its offset, so it can start at any token boundary, which is what
// incremental reparsing relies on. It never fails: a malformed token is
// returned with an error message and scanning goes on after it.
package scanner

import (
	"bytes"
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/pqls/pqls/grammar/token"
)

// Scanner holds the scanning state for one text.
type Scanner struct {
	src []byte
	off int

	// Comment, when set, is called for each comment with its byte range and,
	// for an unterminated block comment, an error message.
	Comment func(start, end int, msg string)
}

// Init prepares s to scan src from byte offset off. UTF-8 byte order marks
// at offset 0 are skipped: the engine accepts a file that starts with two
// (an editor that added one to a file that had one already).
func (s *Scanner) Init(src []byte, off int) {
	s.src = src
	s.off = off
	if off == 0 {
		s.off = LeadingBOMs(src)
	}
}

// LeadingBOMs returns the length of the UTF-8 byte order marks at the start
// of src.
func LeadingBOMs(src []byte) int {
	n := 0
	for len(src) >= n+3 && src[n] == 0xEF && src[n+1] == 0xBB && src[n+2] == 0xBF {
		n += 3
	}
	return n
}

// Offset returns the offset at which the next Scan starts.
func (s *Scanner) Offset() int { return s.off }

// SetOffset moves the scanner to a token boundary.
func (s *Scanner) SetOffset(off int) { s.off = off }

// Character classes of ASCII bytes.
const (
	clsOther uint8 = iota
	clsSpace
	clsLetter // letters and _
	clsDigit
)

var asciiClass [128]uint8

func init() {
	for c := 0; c < 128; c++ {
		switch {
		case c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n':
			asciiClass[c] = clsSpace
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_':
			asciiClass[c] = clsLetter
		case c >= '0' && c <= '9':
			asciiClass[c] = clsDigit
		}
	}
}

// punctuation maps the operators and punctuators of one character that
// never begin a longer token.
var punctuation = [128]token.Token{
	',': token.COMMA,
	';': token.SEMICOLON,
	'+': token.ADD,
	'-': token.SUB,
	'*': token.MUL,
	'/': token.QUO,
	'&': token.AND_TEXT,
	'(': token.LPAREN,
	')': token.RPAREN,
	'[': token.LBRACK,
	']': token.RBRACK,
	'{': token.LBRACE,
	'}': token.RBRACE,
	'@': token.AT,
	'!': token.BANG,
}

// isSpaceRune reports whether r is M white space or a new-line character.
func isSpaceRune(r rune) bool {
	return r == 0x85 || r == 0x2028 || r == 0x2029 || unicode.Is(unicode.Zs, r)
}

// IsIdentStart reports whether r may begin an identifier.
func IsIdentStart(r rune) bool {
	if r < 0 {
		return false
	}
	if r < utf8.RuneSelf {
		return asciiClass[r] == clsLetter
	}
	return unicode.IsLetter(r) || unicode.Is(unicode.Nl, r)
}

// IsIdentPart reports whether r may continue an identifier.
func IsIdentPart(r rune) bool {
	if r < 0 {
		return false // runeAt's end of text
	}
	if r < utf8.RuneSelf {
		c := asciiClass[r]
		return c == clsLetter || c == clsDigit
	}
	return unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Nd, r) ||
		unicode.Is(unicode.Pc, r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) ||
		unicode.Is(unicode.Cf, r)
}

func (s *Scanner) runeAt(i int) (rune, int) {
	if i >= len(s.src) {
		return -1, 0
	}
	if c := s.src[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRune(s.src[i:])
}

// skipTrivia skips white space and comments.
func (s *Scanner) skipTrivia() {
	for s.off < len(s.src) {
		c := s.src[s.off]
		if c < utf8.RuneSelf {
			switch {
			case asciiClass[c] == clsSpace:
				s.off++
				continue
			case c == '/' && s.off+1 < len(s.src) && s.src[s.off+1] == '/':
				s.lineComment()
				continue
			case c == '/' && s.off+1 < len(s.src) && s.src[s.off+1] == '*':
				s.blockComment()
				continue
			}
			return
		}
		r, n := utf8.DecodeRune(s.src[s.off:])
		if !isSpaceRune(r) {
			return
		}
		s.off += n
	}
}

func (s *Scanner) lineComment() {
	start := s.off
	i := s.off + 2
	for i < len(s.src) && token.BreakLen(s.src, i) == 0 {
		i++
	}
	s.off = i
	if s.Comment != nil {
		s.Comment(start, i, "")
	}
}

func (s *Scanner) blockComment() {
	start := s.off
	for i := s.off + 2; i+1 < len(s.src); i++ {
		if s.src[i] == '*' && s.src[i+1] == '/' {
			s.off = i + 2
			if s.Comment != nil {
				s.Comment(start, s.off, "")
			}
			return
		}
	}
	s.off = len(s.src)
	if s.Comment != nil {
		s.Comment(start, s.off, "comment is not terminated: /* has no closing */")
	}
}

// Scan returns the next token and its byte range. msg is non-empty when the
// token is malformed; the token is still usable.
func (s *Scanner) Scan() (tok token.Token, start, end int, msg string) {
	s.skipTrivia()
	start = s.off
	if s.off >= len(s.src) {
		return token.EOF, start, start, ""
	}
	c := s.src[s.off]
	if c >= utf8.RuneSelf {
		r, n := utf8.DecodeRune(s.src[s.off:])
		if IsIdentStart(r) {
			return s.ident(start)
		}
		s.off += n
		if r == utf8.RuneError && n == 1 {
			k := 1
			for s.off < len(s.src) {
				if r, n := utf8.DecodeRune(s.src[s.off:]); r != utf8.RuneError || n != 1 {
					break
				}
				s.off++
				k++
			}
			if k > 1 {
				return token.ILLEGAL, start, s.off, fmt.Sprintf("%d invalid UTF-8 bytes: M files must be saved as UTF-8", k)
			}
			return token.ILLEGAL, start, s.off, "invalid UTF-8 byte: M files must be saved as UTF-8"
		}
		if k := s.repeats(start); k > 1 {
			return token.ILLEGAL, start, s.off, fmt.Sprintf("%d unexpected characters %q (U+%04X) in a row", k, r, r)
		}
		if r == 0xFEFF {
			return token.ILLEGAL, start, s.off, "unexpected byte order mark (U+FEFF) inside the text"
		}
		return token.ILLEGAL, start, s.off, fmt.Sprintf("unexpected character %q (U+%04X)", r, r)
	}
	switch asciiClass[c] {
	case clsLetter:
		return s.ident(start)
	case clsDigit:
		return s.number(start)
	}
	s.off++
	if t := punctuation[c]; t != token.ILLEGAL {
		return t, start, s.off, ""
	}
	switch c {
	case '=':
		if s.next('>') {
			return token.ARROW, start, s.off, ""
		}
		return token.ASSIGN, start, s.off, ""
	case '<':
		if s.next('=') {
			return token.LE, start, s.off, ""
		}
		if s.next('>') {
			return token.NE, start, s.off, ""
		}
		return token.LT, start, s.off, ""
	case '>':
		if s.next('=') {
			return token.GE, start, s.off, ""
		}
		return token.GT, start, s.off, ""
	case '?':
		if s.next('?') {
			return token.COALESCE, start, s.off, ""
		}
		return token.QUESTION, start, s.off, ""
	case '.':
		if s.off < len(s.src) && s.src[s.off] >= '0' && s.src[s.off] <= '9' {
			s.off = start
			return s.number(start)
		}
		if s.next('.') {
			if s.next('.') {
				return token.ELLIPSIS, start, s.off, ""
			}
			return token.DOTDOT, start, s.off, ""
		}
		return token.ILLEGAL, start, s.off, "unexpected '.': a dot belongs inside a name, a number, '..' or '...'"
	case '"':
		msg := s.text(start)
		return token.TEXT, start, s.off, msg
	case '#':
		return s.hash(start)
	}
	if k := s.repeats(start); k > 1 {
		return token.ILLEGAL, start, s.off, fmt.Sprintf("%d unexpected characters %q (U+%04X) in a row", k, rune(c), c)
	}
	if c < ' ' || c == 0x7F {
		return token.ILLEGAL, start, s.off, fmt.Sprintf("unexpected character %q (U+%04X)", rune(c), c)
	}
	return token.ILLEGAL, start, s.off, fmt.Sprintf("unexpected character %q", rune(c))
}

// repeats extends the unexpected character src[start:s.off] over the copies
// of it that follow and returns how many there are: a run of NUL bytes (a
// file padded with zeros, a binary file) is one error with its count, not
// one per byte.
func (s *Scanner) repeats(start int) int {
	ch := s.src[start:s.off]
	k := 1
	for bytes.HasPrefix(s.src[s.off:], ch) {
		s.off += len(ch)
		k++
	}
	return k
}

func (s *Scanner) next(c byte) bool {
	if s.off < len(s.src) && s.src[s.off] == c {
		s.off++
		return true
	}
	return false
}

// ident scans a regular identifier, dotted parts included, or a keyword.
func (s *Scanner) ident(start int) (token.Token, int, int, string) {
	i := start
	dotted := false
	for i < len(s.src) {
		c := s.src[i]
		if c < utf8.RuneSelf {
			if cls := asciiClass[c]; cls == clsLetter || cls == clsDigit {
				i++
				continue
			}
			if c == '.' && i+1 < len(s.src) {
				if r, _ := s.runeAt(i + 1); IsIdentPart(r) {
					dotted = true
					i++
					continue
				}
			}
			break
		}
		r, n := utf8.DecodeRune(s.src[i:])
		if !IsIdentPart(r) {
			break
		}
		i += n
	}
	s.off = i
	if !dotted && i-start <= 9 {
		if t := token.Lookup(string(s.src[start:i])); t != token.IDENT {
			return t, start, i, ""
		}
	}
	return token.IDENT, start, i, ""
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func (s *Scanner) digits(i int) int {
	for i < len(s.src) && s.src[i] >= '0' && s.src[i] <= '9' {
		i++
	}
	return i
}

// number scans a decimal or hexadecimal number literal.
func (s *Scanner) number(start int) (token.Token, int, int, string) {
	src := s.src
	i := start
	if src[i] == '0' && i+1 < len(src) && (src[i+1] == 'x' || src[i+1] == 'X') {
		i += 2
		j := i
		for j < len(src) && isHex(src[j]) {
			j++
		}
		s.off = j
		if j == i {
			return token.NUMBER, start, j, "hexadecimal number has no digits after 0x"
		}
		return token.NUMBER, start, j, ""
	}
	i = s.digits(i)
	if i+1 < len(src) && src[i] == '.' && src[i+1] >= '0' && src[i+1] <= '9' {
		i = s.digits(i + 1)
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		j := i + 1
		if j < len(src) && (src[j] == '+' || src[j] == '-') {
			j++
		}
		k := s.digits(j)
		if k == j {
			s.off = j
			return token.NUMBER, start, j, "number has an exponent marker but no exponent digits"
		}
		i = k
	}
	s.off = i
	return token.NUMBER, start, i, ""
}

// text scans the rest of a text literal whose opening quote is at
// s.off-1, checking its escape sequences.
func (s *Scanner) text(start int) string {
	msg := ""
	src := s.src
	for i := s.off; i < len(src); {
		switch src[i] {
		case '"':
			if i+1 < len(src) && src[i+1] == '"' {
				i += 2
				continue
			}
			s.off = i + 1
			return msg
		case '#':
			if i+1 < len(src) && src[i+1] == '(' {
				end, m := escape(src, i)
				if m != "" && msg == "" {
					msg = m
				}
				i = end
				continue
			}
		}
		i++
	}
	s.off = len(src)
	return "text is not terminated: the opening \" has no closing quote"
}

// escape checks the escape sequence #(…) at src[i:] and returns the offset
// after it.
func escape(src []byte, i int) (end int, msg string) {
	j := i + 2
	for {
		k := j
		for k < len(src) && (isHex(src[k]) || src[k] >= 'a' && src[k] <= 'z' || src[k] == '#') {
			k++
		}
		item := string(src[j:k])
		switch {
		case item == "cr" || item == "lf" || item == "tab" || item == "#":
		case (len(item) == 4 || len(item) == 8) && allHex(item):
		default:
			return escapeEnd(src, i), fmt.Sprintf("invalid escape sequence %q: use #(cr), #(lf), #(tab), #(#) or 4 or 8 hex digits", escapeText(src, i))
		}
		if k < len(src) && src[k] == ',' {
			j = k + 1
			continue
		}
		if k < len(src) && src[k] == ')' {
			return k + 1, ""
		}
		return escapeEnd(src, i), fmt.Sprintf("invalid escape sequence %q: it must end with )", escapeText(src, i))
	}
}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// escapeEnd finds where a malformed escape ends: after its ), or before the
// closing quote of the text.
func escapeEnd(src []byte, i int) int {
	for j := i + 2; j < len(src) && j < i+40; j++ {
		switch src[j] {
		case ')':
			return j + 1
		case '"':
			return j
		}
	}
	return i + 2
}

func escapeText(src []byte, i int) string {
	return string(src[i:escapeEnd(src, i)])
}

// hash scans what starts with #: a quoted identifier, a verbatim literal or a
// # keyword.
func (s *Scanner) hash(start int) (token.Token, int, int, string) {
	switch {
	case s.next('"'):
		msg := s.text(start)
		if msg != "" && s.off == len(s.src) && s.src[len(s.src)-1] != '"' {
			msg = "quoted identifier is not terminated: #\" has no closing quote"
		}
		return token.QUOTED_IDENT, start, s.off, msg
	case s.off+1 < len(s.src) && s.src[s.off] == '!' && s.src[s.off+1] == '"':
		s.off += 2
		msg := s.text(start)
		return token.VERBATIM, start, s.off, msg
	}
	i := s.off
	for i < len(s.src) && s.src[i] >= 'a' && s.src[i] <= 'z' {
		i++
	}
	s.off = i
	if i > start+1 {
		if t := token.Lookup(string(s.src[start:i])); t != token.IDENT {
			return t, start, i, ""
		}
		return token.ILLEGAL, start, i, fmt.Sprintf("unknown keyword %s: the # keywords are #binary, #date, #datetime, #datetimezone, #duration, #infinity, #nan, #sections, #shared, #table and #time; a quoted name is written #\"name\"", s.src[start:i])
	}
	if s.off < len(s.src) && s.src[s.off] == '(' {
		return token.ILLEGAL, start, s.off, "#( starts an escape sequence, which belongs inside a text literal"
	}
	return token.ILLEGAL, start, s.off, "unexpected '#': a quoted name is written #\"name\" and a verbatim literal #!\"text\""
}

// ScanGeneralized scans a generalized identifier — a record field name or
// the name in a field access, such as Content Type or Timestamp.1 — starting
// at offset start, and returns its end, or start if there is none. Parts are
// separated by single blanks (U+0020) and may contain dots and keywords.
func (s *Scanner) ScanGeneralized(start int) int {
	end := start
	i := start
	for {
		j := i
		for j < len(s.src) {
			r, n := s.runeAt(j)
			if IsIdentPart(r) {
				j += n
				continue
			}
			if r == '.' && j > i {
				if r2, _ := s.runeAt(j + 1); IsIdentPart(r2) {
					j++
					continue
				}
				// Documentation. Name: the engine and Microsoft's
				// parser take blanks after the dot of a generalized
				// identifier, although the specification has none
				// there. The name is the text as written.
				k := j + 1
				for k < len(s.src) && s.src[k] == ' ' {
					k++
				}
				if r2, _ := s.runeAt(k); k > j+1 && IsIdentStart(r2) {
					j = k
					continue
				}
			}
			break
		}
		if j == i {
			return end
		}
		end = j
		// More parts follow only after blanks.
		k := j
		for k < len(s.src) && s.src[k] == ' ' {
			k++
		}
		if k == j {
			return end
		}
		if r, _ := s.runeAt(k); !IsIdentPart(r) {
			return end
		}
		i = k
	}
}

// Unquote returns the value of a text literal, quoted identifier or verbatim
// literal as written in the source, with its delimiters, "" and #(…)
// escapes decoded. Malformed escapes are kept as written.
func Unquote(lit string) string {
	switch {
	case len(lit) >= 3 && lit[0] == '#' && lit[1] == '!':
		lit = lit[2:]
	case len(lit) >= 2 && lit[0] == '#':
		lit = lit[1:]
	}
	if len(lit) > 0 && lit[0] == '"' {
		lit = lit[1:]
	}
	if len(lit) > 0 && lit[len(lit)-1] == '"' {
		lit = lit[:len(lit)-1]
	}
	// Fast path: nothing to decode.
	simple := true
	for i := 0; i < len(lit); i++ {
		if lit[i] == '"' || lit[i] == '#' {
			simple = false
			break
		}
	}
	if simple {
		return lit
	}
	out := make([]byte, 0, len(lit))
	src := []byte(lit)
	for i := 0; i < len(src); {
		switch {
		case src[i] == '"' && i+1 < len(src) && src[i+1] == '"':
			out = append(out, '"')
			i += 2
		case src[i] == '#' && i+1 < len(src) && src[i+1] == '(':
			end, msg := escape(src, i)
			if msg != "" {
				out = append(out, src[i:end]...)
				i = end
				continue
			}
			out = appendEscapes(out, string(src[i+2:end-1]))
			i = end
		default:
			out = append(out, src[i])
			i++
		}
	}
	return string(out)
}

func appendEscapes(out []byte, list string) []byte {
	start := 0
	for i := 0; i <= len(list); i++ {
		if i < len(list) && list[i] != ',' {
			continue
		}
		switch item := list[start:i]; item {
		case "cr":
			out = append(out, '\r')
		case "lf":
			out = append(out, '\n')
		case "tab":
			out = append(out, '\t')
		case "#":
			out = append(out, '#')
		default:
			var r rune
			for j := 0; j < len(item); j++ {
				r = r<<4 | rune(hexVal(item[j]))
			}
			out = utf8.AppendRune(out, r)
		}
		start = i + 1
	}
	return out
}

func hexVal(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
