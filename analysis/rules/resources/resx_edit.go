package resources

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/model"
)

// resxStrings is the project's neutral resources.resx, read so that fixes
// can add <data> entries to it in its own layout. Only the neutral file is
// edited: culture files (resources.de-DE.resx) fall back to it for a key
// they lack, so a string added there is seen in every culture.
type resxStrings struct {
	path string
	keys map[string]string // existing key → value
	at   int               // where new entries go
	// afterData says new entries follow the last <data> element (each is
	// preceded by a line break); otherwise they go on lines of their own
	// before </root> (each is followed by one).
	afterData bool
	nl        string // the file's line ending
	indent    string // the indentation of a <data> element
	// valueIndent is what a <value> line adds to indent; valueInline says
	// the file writes <value> on the line of its <data>.
	valueIndent string
	valueInline bool
	// breakLine says </root> shares the line where entries go: a line
	// break follows them.
	breakLine bool
}

// openResx returns the project's resources.resx ready for new strings, or
// why no string can be added to it, as a phrase that completes "no fix is
// offered: …".
func openResx(prog *model.Program) (*resxStrings, string) {
	proj := prog.Project
	if proj == nil || proj.Resx == "" {
		// pqls creates no file: a new resources.resx must also be packaged
		// (listed in the project file), which is the author's decision.
		return nil, "the project has no resources.resx to put it in (pqls does not create one)"
	}
	name := filepath.Base(proj.Resx)
	for _, pr := range proj.Problems {
		if pr.Path == proj.Resx {
			return nil, name + " has errors to correct first"
		}
	}
	if rel, err := filepath.Rel(proj.Root, proj.Resx); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, name + " lies outside the project folder"
	}
	r := &resxStrings{path: proj.Resx, keys: proj.Resources, nl: "\n"}
	if r.keys == nil {
		r.keys = map[string]string{}
	}
	src := proj.ResxText
	if bytes.Contains(src, []byte("\r\n")) {
		r.nl = "\r\n"
	}
	// Walk the elements for the layout: the end of the last <data>, the
	// first string <data> as the model of new ones, the </root> tag.
	d := xml.NewDecoder(bytes.NewReader(src))
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	depth, lastData, rootEnd, childStart := 0, -1, -1, -1
	tmpl, tmplValue := -1, -1 // the model entry and its <value>
	dataStart, isString := 0, false
	for {
		start := int(d.InputOffset())
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, name + " is not well-formed XML"
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 2 && childStart < 0 {
				childStart = start
			}
			switch {
			case depth == 2 && t.Name.Local == "data":
				dataStart, isString = start, !hasAttr(t, "type") && !hasAttr(t, "mimetype")
			case depth == 3 && t.Name.Local == "value" && isString && tmpl < 0:
				tmpl, tmplValue = dataStart, start
			}
		case xml.EndElement:
			switch {
			case depth == 2 && t.Name.Local == "data":
				lastData = int(d.InputOffset())
			case depth == 1:
				rootEnd = start
			}
			depth--
		}
	}
	if rootEnd < 0 {
		return nil, name + " has no root element"
	}
	r.indent = "  "
	if childStart >= 0 {
		r.indent = indentAt(src, childStart)
	}
	if tmpl >= 0 {
		r.indent = indentAt(src, tmpl)
		if lineStart(src, tmplValue) == lineStart(src, tmpl) {
			r.valueInline = true
		} else if vi := indentAt(src, tmplValue); strings.HasPrefix(vi, r.indent) && len(vi) > len(r.indent) {
			r.valueIndent = vi[len(r.indent):]
		}
	}
	if r.valueIndent == "" && !r.valueInline {
		r.valueIndent = cmp.Or(r.indent, "  ")
	}
	switch {
	case lastData >= 0:
		r.at, r.afterData = lastData, true
	case strings.TrimSpace(string(src[lineStart(src, rootEnd):rootEnd])) == "":
		r.at = lineStart(src, rootEnd)
	default:
		// </root> shares its line: break it.
		r.at, r.afterData, r.breakLine = rootEnd, true, true
	}
	return r, ""
}

// hasAttr reports whether the element has the attribute name, in no
// namespace.
func hasAttr(t xml.StartElement, name string) bool {
	for _, a := range t.Attr {
		if a.Name.Space == "" && a.Name.Local == name {
			return true
		}
	}
	return false
}

// lineStart returns the offset of the start of the line holding off.
func lineStart(src []byte, off int) int {
	return bytes.LastIndexByte(src[:off], '\n') + 1
}

// indentAt returns the white space before off on its line, or "" when
// something else precedes off there.
func indentAt(src []byte, off int) string {
	ind := string(src[lineStart(src, off):off])
	if strings.Trim(ind, " \t") != "" {
		return ""
	}
	return ind
}

// newString is a string to add to resources.resx.
type newString struct {
	key, value string
}

// freeKey returns base, made a valid key, or base followed by the first
// number that makes it differ from the existing keys and from the keys
// taken (key → value) by the same fix; it reports whether the key already
// holds value, in the file or in taken, so that no entry is needed.
func (r *resxStrings) freeKey(base, value string, taken map[string]string) (string, bool) {
	base = keyName(base)
	for i := 1; ; i++ {
		k := base
		if i > 1 {
			k += strconv.Itoa(i)
		}
		old, exists := taken[k]
		if !exists {
			old, exists = r.keys[k]
		}
		if !exists {
			return k, false
		}
		if old == value {
			return k, true
		}
	}
}

// keyName keeps the letters, digits, dots and underscores of s: a key that
// reads well in the resx editor and needs no escaping anywhere.
func keyName(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c == '.' || c == '_' || c < utf8.RuneSelf && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			b.WriteRune(c)
		}
	}
	if k := strings.Trim(b.String(), "."); k != "" {
		return k
	}
	return "Text"
}

// add returns the edit that adds the strings to the file, each a <data>
// element in the file's layout, or false when a value holds a character
// XML cannot carry.
func (r *resxStrings) add(strs []newString) (analysis.TextEdit, bool) {
	var b strings.Builder
	for _, s := range strs {
		v, ok := xmlText(s.value, r.nl)
		if !ok {
			return analysis.TextEdit{}, false
		}
		if r.afterData {
			b.WriteString(r.nl)
		}
		b.WriteString(r.indent)
		fmt.Fprintf(&b, `<data name="%s" xml:space="preserve">`, xmlAttr(s.key))
		if r.valueInline {
			fmt.Fprintf(&b, "<value>%s</value>", v)
		} else {
			fmt.Fprintf(&b, "%s%s%s<value>%s</value>%s%s", r.nl, r.indent, r.valueIndent, v, r.nl, r.indent)
		}
		b.WriteString("</data>")
		if !r.afterData {
			b.WriteString(r.nl)
		}
	}
	if r.breakLine {
		b.WriteString(r.nl)
	}
	return analysis.TextEdit{Path: r.path, Start: r.at, End: r.at, NewText: b.String()}, true
}

// xmlText writes s as the text of an XML element whose value is read back
// exactly: markup characters as entities, a line feed as the file's line
// ending (parsers read any line ending as a line feed), a carriage return
// as a character reference (else it would be read as a line feed). It
// reports false for characters XML 1.0 cannot carry, such as most control
// characters.
func xmlText(s, nl string) (string, bool) {
	var b strings.Builder
	for i, c := range s {
		switch {
		case c == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return "", false // not UTF-8
		case c == '&':
			b.WriteString("&amp;")
		case c == '<':
			b.WriteString("&lt;")
		case c == '>':
			b.WriteString("&gt;")
		case c == '\n':
			b.WriteString(nl)
		case c == '\r':
			b.WriteString("&#xD;")
		case c == '\t':
			b.WriteRune(c)
		case c < 0x20 || c == 0xFFFE || c == 0xFFFF:
			return "", false
		default:
			b.WriteRune(c)
		}
	}
	return b.String(), true
}

// xmlAttr escapes s for a double-quoted attribute value.
func xmlAttr(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", `"`, "&quot;").Replace(s)
}
