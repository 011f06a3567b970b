package project

import (
	"unicode"
	"unicode/utf8"
)

// hasSectionKeyword reports whether the M text src contains the keyword
// section outside comments, text literals and quoted identifiers, at the
// start of a token. It tells a section document from an expression
// document without parsing, so that a project can be loaded before, and
// independently of, the parser.
func hasSectionKeyword(src []byte) bool {
	const kw = "section"
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' && src[i] != '\r' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			i += 2
			for i < len(src) && !(src[i] == '*' && i+1 < len(src) && src[i+1] == '/') {
				i++
			}
			i += 2
		case c == '"' || c == '#' && i+1 < len(src) && src[i+1] == '"':
			// A text literal or quoted identifier; "" is an escaped quote.
			if c == '#' {
				i++
			}
			i++
			for i < len(src) {
				if src[i] == '"' {
					if i+1 < len(src) && src[i+1] == '"' {
						i += 2
						continue
					}
					break
				}
				i++
			}
			i++
		case isIdentByte(src, i):
			start := i
			for i < len(src) && isIdentByte(src, i) {
				_, n := utf8.DecodeRune(src[i:])
				i += n
			}
			if string(src[start:i]) == kw {
				return true
			}
		default:
			i++
		}
	}
	return false
}

// isIdentByte reports whether the character at src[i] can be part of an M
// identifier. Dots count, so that a dotted name such as Foo.section is
// one token.
func isIdentByte(src []byte, i int) bool {
	c := src[i]
	if c < utf8.RuneSelf {
		return c == '_' || c == '.' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
	}
	r, _ := utf8.DecodeRune(src[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Pc, unicode.Cf)
}
