package config

import (
	"encoding/json"
	"strconv"
)

// Format is the layout of `pqls fmt` and of editor formatting, the
// "format" object of pqls.json:
//
//	"format": {"indent": 4, "lineWidth": 120}
//
// indent is a number of spaces (1 to 16) or "tab". An editor's own tab
// size and spaces-or-tabs choice, sent with each formatting request, take
// the place of indent there; lineWidth always comes from here.
type Format struct {
	Tabs        bool // "indent": "tab"
	IndentWidth int  // spaces a level; 0 for the formatter's default
	LineWidth   int  // 0 for the formatter's default
}

const (
	formatName      = "format"
	formatIndent    = "format.indent"
	formatLineWidth = "format.lineWidth"
	maxIndent       = 16
	minLineWidth    = 20
	maxLineWidth    = 1000
)

// format reads the "format" object.
func (r *reader) format(c *Config) error {
	return r.object(formatName, func(name string, off int) error {
		switch name {
		case "indent":
			tok, off, err := r.next()
			if err != nil {
				return err
			}
			switch v := tok.(type) {
			case string:
				if v != "tab" {
					return r.errorf(off, "%s must be a number of spaces or \"tab\", not %q", formatIndent, v)
				}
				c.Format.Tabs, c.Format.IndentWidth = true, 0
			default:
				n, ok := jsonInt(tok)
				if !ok || n < 1 || n > maxIndent {
					return r.errorf(off, "%s must be a number of spaces from 1 to %d, or \"tab\"", formatIndent, maxIndent)
				}
				c.Format.Tabs, c.Format.IndentWidth = false, n
			}
			c.mark(formatIndent)
			return nil
		case "lineWidth":
			n, off, err := r.integer(formatLineWidth)
			if err != nil {
				return err
			}
			if n < minLineWidth || n > maxLineWidth {
				return r.errorf(off, "%s must be between %d and %d", formatLineWidth, minLineWidth, maxLineWidth)
			}
			c.Format.LineWidth = int(n)
			c.mark(formatLineWidth)
			return nil
		}
		return r.errorf(off, "unknown field %q of format (want indent or lineWidth)", name)
	})
}

// mergeFormat copies the format setting name from over to c, and reports
// whether name is one.
func mergeFormat(c, over *Config, name string) bool {
	switch name {
	case formatIndent:
		c.Format.Tabs, c.Format.IndentWidth = over.Format.Tabs, over.Format.IndentWidth
	case formatLineWidth:
		c.Format.LineWidth = over.Format.LineWidth
	default:
		return false
	}
	return true
}

// jsonInt returns tok as a whole number, if it is one.
func jsonInt(tok json.Token) (int, bool) {
	num, ok := tok.(json.Number)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(num.String())
	return n, err == nil
}
